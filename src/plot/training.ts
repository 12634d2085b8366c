/**
 * Training curves: one panel per quantity (loss, reconstruction, KL), train
 * solid and validation dashed, so over-fitting and KL collapse are visible at once.
 */
import { Figure, LayoutOptions, Trace, baseLayout, colorOf } from './figure';
import { numberArray } from './inputs';

/**
 * Per-epoch history, as columns `{ loss: [...], valLoss: [...], kl: [...] }`
 * or as rows `[{ epoch, loss, valLoss }, ...]`. Keys starting with `val`
 * (`valLoss`, `val_loss`, `validationLoss`) are the validation curve of the
 * same quantity; an `epoch` key gives the x values.
 */
export type TrainingHistory = Record<string, ArrayLike<number>> | Record<string, number | undefined>[];

export interface TrainingCurveOptions extends LayoutOptions {
  /** Which quantities to draw, in order (default: loss, reconstruction, kl — those present — else every curve). */
  metrics?: string[];
  /** Use a log scale on y (default false). */
  logY?: boolean;
}

interface Curve { train?: number[]; val?: number[] }

/** Side-by-side panels of training (solid) and validation (dashed) curves per epoch. */
export function trainingCurves(history: TrainingHistory, options: TrainingCurveOptions = {}): Figure {
  const cols = asColumns(history);
  const { epochs, curves } = pairCurves(cols);
  const names = options.metrics ?? orderMetrics([...curves.keys()]);
  if (names.length === 0) throw new Error('history has no curves: expected keys like loss, valLoss, reconstruction, kl.');
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
    layoutExtra[`xaxis${ax}`] = { domain, anchor: `y${ax}`, title: { text: 'epoch' } };
    layoutExtra[`yaxis${ax}`] = { anchor: `x${ax}`, ...(options.logY ? { type: 'log' } : {}) };
    (layoutExtra.annotations as unknown[]).push({
      text: `<b>${name}</b>`, showarrow: false, xref: 'paper', yref: 'paper',
      x: (domain[0] + domain[1]) / 2, xanchor: 'center', y: 1, yanchor: 'bottom',
    });
  });
  // Every panel gets the house axis style, not only the first.
  const base = baseLayout({ ...options, width: options.width ?? Math.max(500, 340 * names.length) });
  for (let p = 1; p < names.length; p++) {
    layoutExtra[`xaxis${p + 1}`] = { ...(base.xaxis as object), ...(layoutExtra[`xaxis${p + 1}`] as object) };
    layoutExtra[`yaxis${p + 1}`] = { ...(base.yaxis as object), ...(layoutExtra[`yaxis${p + 1}`] as object) };
  }
  const layout = baseLayout({ ...options, width: options.width ?? Math.max(500, 340 * names.length) }, {
    ...layoutExtra,
    margin: { t: options.title ? 80 : 40 },
    legend: { orientation: 'h', x: 1, xanchor: 'right', y: -0.18 },
  });
  return { data, layout };
}

function asColumns(history: TrainingHistory): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (Array.isArray(history)) {
    if (history.length === 0) throw new Error('history is empty: no epochs to plot.');
    const keys = new Set<string>();
    history.forEach((row) => Object.keys(row ?? {}).forEach((k) => keys.add(k)));
    for (const k of keys) {
      const values = history.map((row, i) => {
        const v = row[k];
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
  for (const [k, v] of Object.entries(history)) out.set(k, numberArray(v, `history.${k}`));
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
