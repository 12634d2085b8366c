/**
 * The figure type and the one house style every builder uses, so that all
 * notebooks look alike and a figure is plain JSON that Plotly (in the browser,
 * in JupyterLab or in headless Chromium) can draw as is.
 */
import type { OptionNames } from '../options';

/** One Plotly trace: a plain object (`type`, `x`, `y`, `marker`, ...). */
export type Trace = Record<string, unknown>;

/** A Plotly layout: a plain object (`title`, `xaxis`, `shapes`, ...). */
export type Layout = Record<string, unknown>;

/** One animation frame: traces that replace the numbered base traces. */
export interface Frame {
  name: string;
  data: Trace[];
  traces?: number[];
  layout?: Layout;
}

/** A Plotly figure, exactly the JSON that `Plotly.newPlot` and the Jupyter Plotly renderer accept. */
export interface Figure {
  data: Trace[];
  layout: Layout;
  frames?: Frame[];
}

/** Plotly's D3/T10 qualitative palette: ten colours that stay distinct, one per digit class. */
export const PALETTE: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd',
  '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

/** The colour of class `k` (wraps around after ten). */
export function colorOf(k: number): string {
  const n = PALETTE.length;
  return PALETTE[((Math.trunc(k) % n) + n) % n];
}

/** `#rrggbb` with an alpha, as Plotly's `rgba(...)` string (fills need their own opacity). */
export function withAlpha(hex: string, alpha: number): string {
  const v = parseInt(hex.slice(1), 16);
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 1000) / 1000;
  return `rgba(${(v >> 16) & 255},${(v >> 8) & 255},${v & 255},${a})`;
}

/** `#rrggbb` mixed with black by `amount` (0..1): outlines that stand out over points of the same hue. */
export function darken(hex: string, amount: number): string {
  const v = parseInt(hex.slice(1), 16);
  const f = 1 - Math.min(1, Math.max(0, amount));
  const c = (shift: number): string => Math.round(((v >> shift) & 255) * f).toString(16).padStart(2, '0');
  return `#${c(16)}${c(8)}${c(0)}`;
}

const AXIS: Layout = {
  showgrid: true,
  gridcolor: '#ebebeb',
  zeroline: false,
  showline: true,
  linecolor: '#b0b0b0',
  ticks: 'outside',
  tickcolor: '#b0b0b0',
  automargin: true,
};

/** Common layout options a caller may set on any builder. */
/** The keys of LayoutOptions, for checking option names at run time. */
export const LAYOUT_OPTIONS: OptionNames<LayoutOptions> = { title: true, width: true, height: true, xTitle: true, yTitle: true };

export interface LayoutOptions {
  title?: string;
  width?: number;
  height?: number;
  xTitle?: string;
  yTitle?: string;
}

/**
 * The house layout, with `extra` merged on top (objects merge key by key).
 * `equalAxes` locks the y scale to the x scale, so circles and ellipses keep their shape.
 */
export function baseLayout(options: LayoutOptions & { equalAxes?: boolean } = {}, extra: Layout = {}): Layout {
  const layout: Layout = {
    paper_bgcolor: 'white',
    plot_bgcolor: 'white',
    font: { family: 'Helvetica, Arial, sans-serif', size: 13, color: '#2a3f5f' },
    colorway: [...PALETTE],
    margin: { l: 60, r: 30, t: options.title ? 60 : 30, b: 55 },
    hovermode: 'closest',
    legend: { bgcolor: 'rgba(255,255,255,0.85)', bordercolor: '#e0e0e0', borderwidth: 1 },
    xaxis: { ...AXIS, ...(options.xTitle ? { title: { text: options.xTitle } } : {}) },
    yaxis: {
      ...AXIS,
      ...(options.yTitle ? { title: { text: options.yTitle } } : {}),
      ...(options.equalAxes ? { scaleanchor: 'x', scaleratio: 1 } : {}),
    },
  };
  if (options.title) layout.title = { text: options.title, x: 0.5, xanchor: 'center' };
  if (options.width !== undefined) layout.width = options.width;
  if (options.height !== undefined) layout.height = options.height;
  return mergeLayout(layout, extra);
}

/** Deep-merge plain objects (arrays and other values are replaced, not merged). */
export function mergeLayout(base: Layout, extra: Layout): Layout {
  const out: Layout = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? mergeLayout(prev, value) : value;
  }
  return out;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

/** The figure's title text, if it has one. */
export function titleOf(fig: Figure): string | undefined {
  const t = fig.layout?.title;
  if (typeof t === 'string') return t;
  if (isPlainObject(t) && typeof t.text === 'string') return t.text;
  return undefined;
}

/** Check that `fig` looks like a figure before it reaches Plotly, whose own errors are cryptic. */
export function checkFigure(fig: unknown, name = 'fig'): asserts fig is Figure {
  if (!isPlainObject(fig)) throw new Error(`${name} must be a Plotly figure { data, layout }; got ${fig === null ? 'null' : typeof fig}.`);
  const { data, layout, frames } = fig as Record<string, unknown>;
  if (!Array.isArray(data)) throw new Error(`${name}.data must be an array of traces; got ${data === undefined ? 'undefined' : typeof data}.`);
  data.forEach((t, i) => {
    if (!isPlainObject(t)) throw new Error(`${name}.data[${i}] must be a trace object; got ${t === null ? 'null' : typeof t}.`);
  });
  if (layout !== undefined && !isPlainObject(layout)) throw new Error(`${name}.layout must be an object; got ${typeof layout}.`);
  if (frames !== undefined && !Array.isArray(frames)) throw new Error(`${name}.frames must be an array when given; got ${typeof frames}.`);
}

/**
 * The figure as plain JSON values: typed arrays become arrays, non-finite numbers
 * become null (Plotly's gap), undefined keys vanish. Jupyter and JSON.stringify need this.
 */
export function toPlotlyJson(fig: Figure): Figure {
  checkFigure(fig);
  return plain(fig) as Figure;
}

function plain(x: unknown): unknown {
  if (typeof x === 'number') return Number.isFinite(x) ? x : null;
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    return Array.from(x as unknown as ArrayLike<number>, (v) => (Number.isFinite(v) ? v : null));
  }
  if (Array.isArray(x)) return x.map(plain);
  if (isPlainObject(x)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) if (v !== undefined) out[k] = plain(v);
    return out;
  }
  return x;
}

/** A one-line description of the figure for text outputs (`text/plain`, terminals). */
export function describeFigure(fig: Figure): string {
  const counts = new Map<string, number>();
  for (const t of fig.data) {
    const type = typeof t.type === 'string' ? t.type : 'scatter';
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  const kinds = [...counts].map(([t, n]) => (n > 1 ? `${n}×${t}` : t)).join(', ');
  const title = titleOf(fig);
  const frames = fig.frames?.length ? `, ${fig.frames.length} frames` : '';
  return `Plotly figure${title ? ` "${stripTags(title)}"` : ''} (${fig.data.length} traces: ${kinds || 'none'}${frames})`;
}

function stripTags(s: string): string {
  return s.replace(/<[^>]*>/g, '');
}
