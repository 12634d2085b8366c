/**
 * Several figures as panels (subplots) of one figure: side-by-side comparisons
 * ("K-Means vs GMM", "2 vs 16 components") read best when they share one image.
 * Each panel keeps its own axes, ranges and equal scaling; legends merge into one.
 */
import { checkOptionNames, optionNames } from '../options';
import { Figure, Layout, Trace, baseLayout, titleOf } from './figure';

export interface PanelOptions {
  /** Panels per row (default: all in one row). */
  columns?: number;
  /** A title above each panel (default: each figure's own title, if any). */
  titles?: (string | undefined)[];
  /** Title of the whole figure. */
  title?: string;
  /** Pixels (default 400 per column). */
  width?: number;
  /** Pixels (default 360 per row + 80). */
  height?: number;
  /**
   * One shared legend below the panels, each entry once (default true). An entry is a
   * (legendgroup, name) pair: the same cluster in every panel toggles together.
   */
  legend?: boolean;
  /** Horizontal gap between panels, as a fraction of the figure width (default 0.06). */
  gapX?: number;
  /** Vertical gap between rows, as a fraction of the figure height (default 0.1). */
  gapY?: number;
  /** Keep contour/heatmap colour bars (default false: several would overlap at the right edge). */
  colorbars?: boolean;
}

/** Layout keys of a figure that apply to the whole figure and carry over from the first figure that sets them. */
const SHARED_LAYOUT_KEYS = ['barmode', 'bargap', 'bargroupgap', 'boxmode', 'hovermode'];

/** Combine `figures` into one figure, panel i on axes x{i+1}/y{i+1}, row by row. */
export function panels(figures: Figure[], options: PanelOptions = {}): Figure {
  checkOptionNames(options, optionNames<PanelOptions>({ columns: true, titles: true, title: true, width: true, height: true, legend: true, gapX: true, gapY: true, colorbars: true }), 'panels');
  if (!Array.isArray(figures) || figures.length === 0) throw new Error('figures must be a non-empty array of figures.');
  const nc = options.columns ?? figures.length;
  if (!Number.isInteger(nc) || nc < 1) throw new Error(`columns must be a positive integer; got ${nc}.`);
  if (options.titles !== undefined && (!Array.isArray(options.titles) || options.titles.length > figures.length)) {
    throw new Error(`titles must be an array of at most ${figures.length} strings (one per figure); got ${Array.isArray(options.titles) ? options.titles.length : typeof options.titles}.`);
  }
  const nr = Math.ceil(figures.length / nc);
  const gx = checkGap(options.gapX ?? 0.06, 'gapX'), gy = nr > 1 ? checkGap(options.gapY ?? 0.1, 'gapY') : 0;
  const w = (1 - gx * (nc - 1)) / nc, h = (1 - gy * (nr - 1)) / nr;
  const legend = options.legend ?? true;
  const layout: Layout = baseLayout(
    { title: options.title, width: options.width ?? 400 * nc, height: options.height ?? 360 * nr + 80 },
    {
      margin: { t: options.title ? 100 : 50, b: legend ? 100 : 50 },
      legend: { orientation: 'h', x: 0.5, xanchor: 'center', y: -0.14, yanchor: 'top' },
    },
  );
  const data: Trace[] = [];
  const annotations: Layout[] = [];
  const shapes: Layout[] = [];
  const seen = new Set<string>();
  figures.forEach((fig, i) => {
    if (!fig || !Array.isArray(fig.data)) throw new Error(`figures[${i}] is not a figure { data, layout }.`);
    if (fig.frames?.length) throw new Error(`figures[${i}] is an animation (${fig.frames.length} frames); panels cannot hold animations.`);
    const src = fig.layout ?? {};
    const n = i === 0 ? '' : String(i + 1);
    const x0 = (i % nc) * (w + gx), y1 = 1 - Math.floor(i / nc) * (h + gy);
    const box: PanelBox = { x0, y0: y1 - h, w, h, n };
    const figLegend = src.showlegend !== false;
    fig.data.forEach((t, j) => {
      if ((t.xaxis ?? 'x') !== 'x' || (t.yaxis ?? 'y') !== 'y') {
        throw new Error(`figures[${i}].data[${j}] is on axes ${String(t.xaxis)}/${String(t.yaxis)}; panels takes single-axis figures.`);
      }
      data.push({ ...t, xaxis: `x${n}`, yaxis: `y${n}`, ...legendEntry(t, legend && figLegend, seen), ...colorbar(t, options.colorbars ?? false) });
    });
    layout[`xaxis${n}`] = { ...axisOf(src.xaxis, n), domain: [x0, x0 + w], anchor: `y${n}` };
    layout[`yaxis${n}`] = { ...axisOf(src.yaxis, n), domain: [y1 - h, y1], anchor: `x${n}` };
    for (const a of arrayOf(src.annotations)) annotations.push(placeRefs(a, box));
    for (const s of arrayOf(src.shapes)) shapes.push(placeRefs(s, box));
    const text = options.titles ? options.titles[i] : titleOf(fig);
    if (text) {
      annotations.push({
        text, x: x0 + w / 2, y: y1, xref: 'paper', yref: 'paper',
        xanchor: 'center', yanchor: 'bottom', yshift: 6, showarrow: false, font: { size: 13 },
      });
    }
  });
  for (const key of SHARED_LAYOUT_KEYS) {
    const from = figures.find((f) => f.layout?.[key] !== undefined);
    if (from) layout[key] = from.layout[key];
  }
  return { data, layout: { ...layout, showlegend: legend && data.some((t) => t.showlegend !== false), annotations, ...(shapes.length ? { shapes } : {}) } };
}

interface PanelBox { x0: number; y0: number; w: number; h: number; n: string }

function checkGap(g: number, name: string): number {
  if (!(typeof g === 'number' && g >= 0 && g < 0.5)) throw new Error(`${name} must be a fraction in [0, 0.5); got ${g}.`);
  return g;
}

function arrayOf(x: unknown): Layout[] {
  return Array.isArray(x) ? (x as Layout[]) : [];
}

/** An axis of the source figure with its references to 'x'/'y' (scaleanchor: equal scaling) moved to the panel's axes. */
function axisOf(axis: unknown, n: string): Layout {
  if (axis === null || typeof axis !== 'object') return {};
  const out: Layout = { ...(axis as Layout) };
  for (const key of ['scaleanchor', 'matches', 'overlaying']) {
    const v = out[key];
    if (v === 'x' || v === 'y') out[key] = `${v}${n}`;
  }
  return out;
}

/** Show a trace in the shared legend only the first time its (group, name) appears. */
function legendEntry(t: Trace, legend: boolean, seen: Set<string>): Trace {
  if (!legend || t.showlegend === false) return { showlegend: false };
  // Traces without a name have no useful legend entry (Plotly would say "trace 7").
  if (typeof t.name !== 'string' || t.name === '') return { showlegend: false };
  const key = `${String(t.legendgroup ?? '')}\u0000${t.name}`;
  if (seen.has(key)) return { showlegend: false };
  seen.add(key);
  return {};
}

function colorbar(t: Trace, keep: boolean): Trace {
  return !keep && ['contour', 'heatmap', 'histogram2dcontour', 'histogram2d'].includes(String(t.type)) ? { showscale: false } : {};
}

/** An annotation or shape moved into its panel: axis references renamed, paper coordinates scaled into the panel's box. */
function placeRefs(item: Layout, box: PanelBox): Layout {
  const out: Layout = { ...item };
  const place = (ref: 'xref' | 'yref', keys: string[], origin: number, size: number, axis: string): void => {
    const r = out[ref] ?? axis;
    if (r === 'paper') {
      for (const k of keys) if (typeof out[k] === 'number') out[k] = origin + (out[k] as number) * size;
    } else if (r === axis) out[ref] = `${axis}${box.n}`;
    else if (r === `${axis} domain`) out[ref] = `${axis}${box.n} domain`;
  };
  place('xref', ['x', 'x0', 'x1'], box.x0, box.w, 'x');
  place('yref', ['y', 'y0', 'y1'], box.y0, box.h, 'y');
  return out;
}
