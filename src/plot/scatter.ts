/**
 * Points coloured by label, the base layer of every clustering figure.
 */
import { OptionNames, checkOptionNames, optionNames } from '../options';
import { Figure, LAYOUT_OPTIONS, LayoutOptions, Trace, baseLayout, colorOf } from './figure';
import { Columns, Labels, Points, columns, labelArray, plotColumns } from './inputs';

/** The keys of ScatterOptions, for checking option names at run time. */
export const SCATTER_OPTIONS: OptionNames<ScatterOptions> = { ...LAYOUT_OPTIONS, names: true, labelName: true, markerSize: true, opacity: true, equalAxes: true, webgl: true };

export interface ScatterOptions extends LayoutOptions {
  /** Legend name of each label value (default `"cluster k"` or `"class k"`). */
  names?: string[] | ((label: number) => string);
  /** Word used in default legend names. */
  labelName?: string;
  markerSize?: number;
  opacity?: number;
  /** Lock y scale to x scale (default true: distances and shapes read correctly). */
  equalAxes?: boolean;
  /** Use WebGL (`scattergl`): needed for thousands of points. Default: when n > 5000. */
  webgl?: boolean;
}

/** Scatter of 2-D points, one trace (legend entry, colour) per label value. */
export function labelledScatter(points: Points, labels?: Labels, options: ScatterOptions = {}): Figure {
  checkOptionNames(options, optionNames<ScatterOptions>({ ...SCATTER_OPTIONS }), 'labelledScatter');
  const cols = columns(points);
  const lab = labels === undefined ? undefined : labelArray(labels, cols.x.length);
  return {
    data: scatterTraces(cols, lab, options),
    layout: baseLayout({ ...options, equalAxes: options.equalAxes ?? true }),
  };
}

/** The scatter traces of `labelledScatter`, reused under ellipses, circles and contours. */
export function scatterTraces(points: Columns, labels: number[] | undefined, options: ScatterOptions = {}): Trace[] {
  const cols = plotColumns(points);
  const n = cols.x.length;
  const type = options.webgl ?? n > 5000 ? 'scattergl' : 'scatter';
  const marker = (color: string): Record<string, unknown> => ({
    color,
    size: options.markerSize ?? (n > 2000 ? 4 : 6),
    opacity: options.opacity ?? 0.8,
    line: { width: n > 2000 ? 0 : 0.5, color: 'white' },
  });
  if (!labels) {
    return [{ type, mode: 'markers', x: cols.x, y: cols.y, marker: marker('#4c72b0'), name: 'points', showlegend: false }];
  }
  const groups = new Map<number, number[]>();
  labels.forEach((l, i) => {
    const g = groups.get(l);
    if (g) g.push(i);
    else groups.set(l, [i]);
  });
  return [...groups.keys()].sort((a, b) => a - b).map((l) => {
    const idx = groups.get(l)!;
    return {
      type,
      mode: 'markers',
      name: legendName(l, options),
      legendgroup: `label${l}`,
      x: idx.map((i) => cols.x[i]),
      y: idx.map((i) => cols.y[i]),
      marker: marker(colorOf(l)),
    };
  });
}

function legendName(label: number, options: ScatterOptions): string {
  const { names } = options;
  if (typeof names === 'function') return names(label);
  if (Array.isArray(names) && names[label] !== undefined) return names[label];
  return `${options.labelName ?? 'cluster'} ${label}`;
}
