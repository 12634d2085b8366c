/**
 * A figure as one self-contained HTML page: plotly.js is inlined, so the file
 * opens offline and needs no browser to produce.
 */
import { readFileSync } from 'fs';
import { Figure, titleOf, toPlotlyJson } from './figure';
import { plotlySourcePath } from './browser';
import { checkOptionNames, optionNames } from '../options';
import { packFigure } from './typed-arrays';

let plotlySource: string | null = null;

/** plotly.js source, read once (it is several megabytes). */
export function plotlyJs(): string {
  plotlySource ??= readFileSync(plotlySourcePath(), 'utf8');
  return plotlySource;
}

export interface HtmlOptions {
  /** Page title (default the figure title). */
  title?: string;
  /** Figure size in CSS pixels (default the layout's, else full width × 600). */
  width?: number;
  height?: number;
}

/** The figure as a standalone HTML document (frames and sliders keep working). */
export function figureToHtml(fig: Figure, options: HtmlOptions = {}): string {
  checkOptionNames(options, optionNames<HtmlOptions>({ title: true, width: true, height: true }), 'figureToHtml');
  if (options.title !== undefined && typeof options.title !== 'string') {
    throw new Error(`figureToHtml: title must be a string; got ${quote(options.title)}.`);
  }
  if (options.width !== undefined) checkPixels(options.width, 'figureToHtml: width');
  if (options.height !== undefined) checkPixels(options.height, 'figureToHtml: height');
  const json = toPlotlyJson(fig);
  const title = options.title ?? titleOf(json) ?? 'Figure';
  const w = options.width ?? json.layout.width, h = options.height ?? json.layout.height;
  const width = typeof w === 'number' ? `${w}px` : '100%';
  const height = typeof h === 'number' ? `${h}px` : '600px';
  const packed = packFigure(json);
  const figure = { data: packed.data, layout: packed.layout, frames: packed.frames ?? [], config: { displaylogo: false, responsive: true } };
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(title.replace(/<[^>]*>/g, ''))}</title>`,
    // "</script" inside the inlined code would end the script element early.
    `<script>${plotlyJs().replace(/<\/script/gi, '<\\/script')}</script>`,
    '</head>',
    '<body style="margin:0;background:white">',
    `<div id="figure" style="width:${width};height:${height}"></div>`,
    `<script>Plotly.newPlot("figure", ${scriptJson(figure)});</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A figure size: a number of CSS pixels in [10, 10000]. `name` names the option in errors. */
export function checkPixels(x: unknown, name: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 10 || x > 10000) {
    throw new Error(`${name} must be a number of pixels in [10, 10000]; got ${quote(x)}.`);
  }
  return x;
}

function quote(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}

/** JSON that is safe inside a <script> element. */
function scriptJson(x: unknown): string {
  return JSON.stringify(x).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
