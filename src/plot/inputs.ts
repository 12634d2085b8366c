/**
 * Input checks shared by the figure builders: they turn the plain arrays a
 * notebook has at hand into validated columns, and fail with a message naming
 * the argument, so a wrong shape never turns into a silently empty plot.
 */
import { MatrixLike, toMatrix } from '../matrix';

/** 2-D points: nested rows `[[x, y], ...]`, a `Matrix`, or a flat `[x0, y0, x1, y1, ...]` typed array (as tfjs `dataSync()` gives). */
export type Points = MatrixLike | Float32Array | Float64Array;

/** Per-point integer labels (class or cluster index). */
export type Labels = ArrayLike<number>;

/** The x and y columns of 2-D points, as plain arrays (JSON-ready). */
export interface Columns {
  x: number[];
  y: number[];
}

/** Validate 2-D points and split them into columns. */
export function columns(points: Points, name = 'points'): Columns {
  if (points instanceof Float32Array || points instanceof Float64Array) {
    if (points.length === 0 || points.length % 2 !== 0) {
      throw new Error(`${name} as a flat typed array must hold x, y pairs (even, non-zero length); got length ${points.length}.`);
    }
    const n = points.length / 2;
    const x = new Array<number>(n), y = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      x[i] = points[2 * i];
      y[i] = points[2 * i + 1];
      if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new Error(`${name} has a non-finite value at point ${i}.`);
    }
    return { x, y };
  }
  const m = toMatrix(points, name);
  if (m.cols !== 2) {
    throw new Error(`${name} must have 2 columns (x, y); got ${m.cols}. Project to 2-D first (for example with PCA).`);
  }
  const x = new Array<number>(m.rows), y = new Array<number>(m.rows);
  for (let i = 0; i < m.rows; i++) {
    x[i] = m.data[2 * i];
    y[i] = m.data[2 * i + 1];
  }
  return { x, y };
}

/** Validate integer labels, one per point. */
export function labelArray(labels: Labels, n: number, name = 'labels'): number[] {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new Error(`${name} must be an array of integers; got ${labels === null ? 'null' : typeof labels}.`);
  }
  if (labels.length !== n) throw new Error(`${name} has ${labels.length} entries but there are ${n} points.`);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (!Number.isInteger(v)) throw new Error(`${name}[${i}] must be an integer; got ${v}.`);
    out[i] = v;
  }
  return out;
}

/** Validate a finite number array (a curve, weights, ...). */
export function numberArray(values: ArrayLike<number>, name: string, length?: number): number[] {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new Error(`${name} must be an array of numbers; got ${values === null ? 'null' : typeof values}.`);
  }
  if (length !== undefined && values.length !== length) {
    throw new Error(`${name} has ${values.length} entries; expected ${length}.`);
  }
  const out = Array.from(values);
  out.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${name}[${i}] must be a finite number; got ${v}.`);
  });
  return out;
}

/** Validate a responsibilities matrix: n rows of K probabilities that sum to 1. */
export function probabilityRows(p: MatrixLike, n: number, name = 'probabilities'): number[][] {
  const m = toMatrix(p, name);
  if (m.rows !== n) throw new Error(`${name} has ${m.rows} rows but there are ${n} points.`);
  const rows: number[][] = [];
  for (let i = 0; i < m.rows; i++) {
    const r = Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
    let s = 0;
    for (const v of r) {
      if (v < -1e-9 || v > 1 + 1e-9) throw new Error(`${name}[${i}] holds ${v}, outside [0, 1]; pass probabilities (predictProba), not log-probabilities.`);
      s += v;
    }
    if (Math.abs(s - 1) > 1e-3) throw new Error(`${name}[${i}] sums to ${s}, not 1; pass predictProba's output (one row per point).`);
    rows.push(r);
  }
  return rows;
}

/** [min, max] of values, widened by `pad` of the span on each side (never empty). */
export function paddedRange(values: number[], pad = 0.08): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo || Math.abs(hi) || 1;
  return [lo - pad * span, hi + pad * span];
}

/** Round for JSON: figures carry fewer digits than Float64 without any visible change. */
export function round(v: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Significant digits kept relative to the data's span: 1/20000 of the span, far below a pixel. */
export const PLOT_SIGNIFICANT_DIGITS = 5;

/**
 * Decimals that keep `PLOT_SIGNIFICANT_DIGITS` digits of a coordinate whose values span `span`
 * (a span of 10 keeps 3 decimals, of 0.01 keeps 6). Capped at 12, and 0 for spans ≥ 10⁵.
 */
export function plotDecimals(span: number): number {
  if (!(Number.isFinite(span) && span > 0)) return 12;
  return Math.min(12, Math.max(0, PLOT_SIGNIFICANT_DIGITS - 1 - Math.floor(Math.log10(span))));
}

/**
 * Coordinates rounded for plotting, to decimals chosen from their span (or `span` when the
 * values are part of a larger picture). Full 17-digit doubles cost ~3× the JSON and no visible
 * precision: every figure's point coordinates go through here.
 */
export function plotRound(values: ArrayLike<number>, span?: number): number[] {
  let s = span;
  if (s === undefined) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    // A single value (or a constant column) keeps the digits of its own magnitude.
    s = hi > lo ? hi - lo : Math.abs(hi) || 1;
  }
  const d = plotDecimals(s);
  return Array.from(values, (v) => (Number.isFinite(v) ? round(v, d) : v));
}

/** Both columns rounded for plotting, each to its own span (axes may be scaled differently). */
export function plotColumns(cols: Columns): Columns {
  return { x: plotRound(cols.x), y: plotRound(cols.y) };
}
