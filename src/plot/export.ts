/**
 * Figures to files and images: PNG/SVG through Plotly.toImage in the shared
 * headless Chromium, HTML without any browser.
 */
import { writeFileSync } from 'fs';
import { dirname, extname, resolve } from 'path';
import { makeDirs } from '../files';
import { checkOptionNames, optionNames } from '../options';
import { Figure, toPlotlyJson } from './figure';
import { withPlotlyPage, closeBrowser } from './browser';
import { checkPixels, figureToHtml } from './html';
import { compactPng } from './png';

export { closeBrowser };

export type ExportFormat = 'png' | 'svg' | 'html';

export interface ImageOptions {
  /** CSS pixels (default the figure's layout.width, else 800). */
  width?: number;
  /** CSS pixels (default the figure's layout.height, else 600). */
  height?: number;
  /** Device pixel ratio: a PNG is width·scale × height·scale pixels (default 1). */
  scale?: number;
}

export interface ExportOptions extends ImageOptions {
  /** Default: from the file extension (.png, .svg, .html/.htm). */
  format?: ExportFormat;
}

/** Render timeouts: a stuck page must not hang a notebook or CI forever. */
const RENDER_TIMEOUT_MS = 60_000;

/** Render to PNG bytes (Chromium's pixels, losslessly re-encoded smaller). */
export async function renderPng(fig: Figure, options: ImageOptions = {}): Promise<Buffer> {
  const url = await toImage(fig, 'png', options);
  return compactPng(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
}

/** Render to an SVG document string. */
export async function renderSvg(fig: Figure, options: ImageOptions = {}): Promise<string> {
  const url = await toImage(fig, 'svg', options);
  return decodeURIComponent(url.slice(url.indexOf(',') + 1));
}

/** The width and height a render will use: options, then the figure's layout, then 800×600. */
export function imageSize(fig: Figure, options: ImageOptions = {}): { width: number; height: number; scale: number } {
  const pick = (v: unknown, layoutV: unknown, dflt: number, name: string): number =>
    Math.round(checkPixels(v ?? (typeof layoutV === 'number' ? layoutV : dflt), name));
  const scale = options.scale ?? 1;
  if (typeof scale !== 'number' || !(scale > 0 && scale <= 8)) throw new Error(`scale must be a number in (0, 8]; got ${scale}.`);
  return { width: pick(options.width, fig.layout?.width, 800, 'width'), height: pick(options.height, fig.layout?.height, 600, 'height'), scale };
}

function sizeOf({ width, height, scale }: ImageOptions): ImageOptions {
  return { width, height, scale };
}

async function toImage(fig: Figure, format: 'png' | 'svg', options: ImageOptions): Promise<string> {
  checkOptionNames(options, optionNames<ImageOptions>({ width: true, height: true, scale: true }), format === 'png' ? 'renderPng' : 'renderSvg');
  const json = toPlotlyJson(fig);
  const size = imageSize(json, options);
  return withPlotlyPage(async (page) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Plotly.toImage took longer than ${RENDER_TIMEOUT_MS / 1000} s; the browser is restarted.`)), RENDER_TIMEOUT_MS);
    });
    try {
      return await Promise.race([
        page.evaluate(
          async ({ figure, opts }) => {
            const Plotly = (globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } }).Plotly;
            return Plotly.toImage(JSON.parse(figure), opts);
          },
          // As one JSON string: Playwright's structured serialisation of large nested arrays is ~10× slower.
          { figure: JSON.stringify({ data: json.data, layout: json.layout }), opts: { format, ...size } },
        ),
        timeout,
      ]);
    } catch (e) {
      if (/took longer/.test(String(e))) void closeBrowser();
      const msg = e instanceof Error ? e.message.replace(/^page\.evaluate: /, '') : String(e);
      throw new Error(`Plotly could not render the figure: ${msg}`);
    } finally {
      clearTimeout(timer);
    }
  });
}

/** The format named by a path's extension, or undefined. */
export function formatOf(path: string): ExportFormat | undefined {
  const ext = extname(path).toLowerCase();
  return ext === '.png' ? 'png' : ext === '.svg' ? 'svg' : ext === '.html' || ext === '.htm' ? 'html' : undefined;
}

/**
 * Write the figure to `path` as PNG, SVG or self-contained HTML, creating parent
 * folders. Returns the absolute path written.
 */
export async function exportFigure(fig: Figure, path: string, options: ExportOptions = {}): Promise<string> {
  checkOptionNames(options, optionNames<ExportOptions>({ format: true, width: true, height: true, scale: true }), 'exportFigure');
  if (typeof path !== 'string' || path.length === 0) throw new Error(`path must be a non-empty string; got ${JSON.stringify(path)}.`);
  const format = options.format ?? formatOf(path);
  if (format === undefined) throw new Error(`cannot tell the format of ${JSON.stringify(path)}: use a .png, .svg or .html extension or pass { format }.`);
  if (format !== 'png' && format !== 'svg' && format !== 'html') {
    throw new Error(`format must be 'png', 'svg' or 'html'; got ${JSON.stringify(format)}.`);
  }
  const content = format === 'html' ? figureToHtml(fig, { width: options.width, height: options.height }) : format === 'svg' ? await renderSvg(fig, sizeOf(options)) : await renderPng(fig, sizeOf(options));
  const out = resolve(path);
  makeDirs(dirname(out), 'exportFigure');
  writeFileSync(out, content);
  return out;
}
