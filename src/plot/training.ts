/**
 * Training curves: one panel per quantity (loss, reconstruction, KL), train
 * solid and validation dashed, so over-fitting and KL collapse are visible at once.
 */
import { checkOptionNames, optionNames } from '../options';
import { Figure, Layout, LayoutOptions, Trace, baseLayout, colorOf, LAYOUT_OPTIONS } from './figure';
import { numberArray } from './inputs';

/** One epoch of a history in rows form: its numbers by name (`{ epoch, loss, valLoss }`). */
export type HistoryRow<R> = { readonly [K in keyof R]?: number };

/** A history in columns form: every property a per-epoch array (or absent). */
export type HistoryColumns<C> = { readonly [K in keyof C]?: ArrayLike<number> };

/**
 * Per-epoch history, as columns `{ loss: [...], valLoss: [...], kl: [...] }` — any
 * object of number arrays, an interface such as `VAEHistory` or the `history` of
 * `trainingProgress` included — or as rows `[{ epoch, loss, valLoss }, ...]`. Keys
 * starting with `val` (`valLoss`, `val_loss`, `validationLoss`) are the validation
 * curve of the same quantity; an `epoch` key gives the x values. (Generic because an
 * interface is not assignable to a `Record<string, …>`: it has no index signature.)
 */
export type TrainingHistory<H = Record<string, ArrayLike<number> | undefined> | readonly Record<string, number | undefined>[]> =
  H extends readonly (infer R)[] ? readonly HistoryRow<R>[] : HistoryColumns<H>;

export interface TrainingCurveOptions extends LayoutOptions {
  /** Which quantities to draw, in order (default: loss, reconstruction, kl — those present — else every curve). */
  metrics?: string[];
  /** Use a log scale on y (default false). */
  logY?: boolean;
  /** Panel titles by metric key; the VAE's loss, reconstruction and kl have readable defaults, other keys show as they are. */
  titles?: Record<string, string>;
}

/** What the VAE's history keys measure, in nats per image. */
const METRIC_TITLES: Record<string, string> = { loss: '−ELBO (loss)', reconstruction: 'reconstruction', kl: 'KL' };

interface Curve { train?: number[]; val?: number[] }

/**
 * Side-by-side panels of training (solid) and validation (dashed) curves per epoch,
 * e.g. `trainingCurves(await vae.fit(...))` or `trainingCurves(progress.history)`.
 */
export function trainingCurves<H extends object & HistoryColumns<H>>(history: H, options?: TrainingCurveOptions): Figure;
export function trainingCurves<R extends object & HistoryRow<R>>(history: readonly R[], options?: TrainingCurveOptions): Figure;
export function trainingCurves(history: object, options: TrainingCurveOptions = {}): Figure {
  checkOptionNames(options, optionNames<TrainingCurveOptions>({ ...LAYOUT_OPTIONS, metrics: true, logY: true, titles: true }), 'trainingCurves');
  const cols = asColumns(history);
  const { epochs, curves } = pairCurves(cols);
  const names = options.metrics ?? orderMetrics([...curves.keys()]);
  if (names.length === 0) throw new Error('history has no curves: expected keys like loss, valLoss, reconstruction, kl.');
  const marginTop = options.title ? 80 : 40;
  // Epochs are whole numbers: over a short run Plotly would otherwise tick 1, 1.5, 2.
  const short = epochs.every(Number.isInteger) && Math.max(...epochs) - Math.min(...epochs) <= 10;
  const epochTicks = short ? { dtick: 1 } : {};
  const data: Trace[] = [];
  const layoutExtra: Record<string, unknown> = { annotations: [] as unknown[] };
  const gapFrac = 0.08, width = (1 - gapFrac * (names.length - 1)) / names.length;
  names.forEach((name, p) => {
    const c = curves.get(name);
    if (!c) throw new Error(`history has no curve named ${JSON.stringify(name)}; it has ${[...curves.keys()].join(', ')}.`);
    const ax = p === 0 ? '' : String(p + 1);
    const domain = [p * (width + gapFrac), p * (width + gapFrac) + width];
    const line = (values: number[], which: 'train' | 'validation'): Trace => ({
      type: 'scatter', mode: values.length > 40 ? 'lines' : 'lines+markers',
      name: which, legendgroup: which, showlegend: p === 0,
      x: epochs.slice(0, values.length), y: values, xaxis: `x${ax}`, yaxis: `y${ax}`,
      line: { color: colorOf(which === 'train' ? 0 : 1), width: 2, dash: which === 'train' ? 'solid' : 'dash' },
      marker: { size: 5 }, hovertemplate: `${name} (${which})<br>epoch %{x}: %{y:.4g}<extra></extra>`,
    });
    if (c.train) data.push(line(c.train, 'train'));
    if (c.val) data.push(line(c.val, 'validation'));
    layoutExtra[`xaxis${ax}`] = { domain, anchor: `y${ax}`, title: { text: 'epoch' }, ...epochTicks };
    layoutExtra[`yaxis${ax}`] = { anchor: `x${ax}`, ...(options.logY ? { type: 'log' } : {}) };
    (layoutExtra.annotations as unknown[]).push({
      text: `<b>${options.titles?.[name] ?? METRIC_TITLES[name] ?? name}</b>`, showarrow: false, xref: 'paper', yref: 'paper',
      x: (domain[0] + domain[1]) / 2, xanchor: 'center', y: 1, yanchor: 'bottom',
    });
  });
  // Every panel gets the house axis style, not only the first.
  const size = { width: options.width ?? Math.max(500, 340 * names.length), height: options.height ?? 400 };
  const base = baseLayout({ ...options, ...size });
  for (let p = 1; p < names.length; p++) {
    layoutExtra[`xaxis${p + 1}`] = { ...(base.xaxis as object), ...(layoutExtra[`xaxis${p + 1}`] as object) };
    layoutExtra[`yaxis${p + 1}`] = { ...(base.yaxis as object), ...(layoutExtra[`yaxis${p + 1}`] as object) };
  }
  const layout = baseLayout({ ...options, ...size }, {
    ...layoutExtra,
    margin: { t: marginTop, b: marginBottom },
    legend: legendBelow(size.height - marginTop - marginBottom),
  });
  return { data, layout };
}

// The legend goes below the x-axis titles, in a bottom margin made tall enough for both:
// Plotly places legends in fractions of the plot area, so the pixel offset is converted.
const marginBottom = 105;
const LEGEND_TOP_PX = 62;

function legendBelow(plotHeight: number): Layout {
  if (!(plotHeight > LEGEND_TOP_PX)) throw new Error(`height leaves ${plotHeight} px for the panels; give a larger height.`);
  return { orientation: 'h', x: 0.5, xanchor: 'center', y: -LEGEND_TOP_PX / plotHeight, yanchor: 'top' };
}

function asColumns(history: object): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (Array.isArray(history)) {
    if (history.length === 0) throw new Error('history is empty: no epochs to plot.');
    const keys = new Set<string>();
    history.forEach((row) => Object.keys(row ?? {}).forEach((k) => keys.add(k)));
    for (const k of keys) {
      const values = history.map((row, i) => {
        const v = (row ?? {})[k];
        if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v))) throw new Error(`history[${i}].${k} must be a finite number; got ${v}.`);
        return v;
      });
      // Validation may be missing on some epochs only at the end (not yet computed): keep the prefix.
      const last = values.findIndex((v) => v === undefined);
      if (last !== -1 && values.slice(last).some((v) => v !== undefined)) throw new Error(`history.${k} is missing at epoch index ${last} but present later.`);
      out.set(k, (last === -1 ? values : values.slice(0, last)) as number[]);
    }
    return out;
  }
  if (history === null || typeof history !== 'object') throw new Error(`history must be an object of per-epoch arrays or an array of per-epoch records; got ${history === null ? 'null' : typeof history}.`);
  // An absent optional column (valLoss: undefined when fit had no validation set) is no curve.
  for (const [k, v] of Object.entries(history)) if (v !== undefined) out.set(k, numberArray(v, `history.${k}`));
  return out;
}

function pairCurves(cols: Map<string, number[]>): { epochs: number[]; curves: Map<string, Curve> } {
  const curves = new Map<string, Curve>();
  let n = 0;
  for (const [key, values] of cols) {
    if (key === 'epoch') continue;
    n = Math.max(n, values.length);
    // valLoss, val_loss, validationLoss, validation_loss — but not e.g. "value".
    const m = /^val(?:idation)?(?:_(.+)|([A-Z].*))$/.exec(key);
    const rest = m ? m[1] ?? m[2] : undefined;
    const name = rest ? rest.charAt(0).toLowerCase() + rest.slice(1) : key;
    const c = curves.get(name) ?? {};
    if (m) c.val = values;
    else c.train = values;
    curves.set(name, c);
  }
  const epochs = cols.get('epoch') ?? Array.from({ length: n }, (_, i) => i + 1);
  if (epochs.length < n) throw new Error(`history.epoch has ${epochs.length} entries but a curve has ${n}.`);
  return { epochs, curves };
}

/** The VAE's three losses when present (not bookkeeping such as learningRate or seconds), else every curve. */
function orderMetrics(names: string[]): string[] {
  const known = ['loss', 'reconstruction', 'kl'].filter((f) => names.includes(f));
  return known.length > 0 ? known : names;
}
