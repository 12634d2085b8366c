/**
 * Axis ticks for a grid of images whose cells stand for values (the latent
 * manifold): evenly spaced on screen, at most `maxTicks`, ends labelled when possible.
 */

/** Tick positions as (possibly fractional) cell indices along the axis, with their labels. */
export interface GridTicks {
  index: number[];
  label: string[];
}

/**
 * Ticks for n cells holding ascending `values`. Evenly spaced values (a linear grid)
 * get ticks at round values — placed between cells where needed, since the axis is
 * continuous there. Other grids (quantile spacing) get ticks on cells evenly spaced
 * in index, labelled with those cells' values.
 */
export function gridTicks(values: readonly number[], maxTicks = 7): GridTicks {
  const n = values.length;
  if (n === 0) throw new Error('gridTicks: no values.');
  if (!Number.isInteger(maxTicks) || maxTicks < 2) throw new Error(`maxTicks must be an integer ≥ 2; got ${maxTicks}.`);
  if (n === 1) return { index: [0], label: [formatValue(values[0])] };
  const kMax = Math.min(maxTicks, n);
  if (isLinear(values)) {
    const round = roundTicks(values[0], values[n - 1], kMax);
    if (round) return { index: round.map((v) => ((v - values[0]) / (values[n - 1] - values[0])) * (n - 1)), label: round.map(String) };
  }
  const index = evenIndices(n, kMax);
  return { index, label: index.map((k) => formatValue(values[k])) };
}

/** A tick count at least this high is "enough"; fewer only when nothing better exists. */
const enough = (kMax: number): number => Math.max(2, Math.ceil(kMax / 2));

function isLinear(values: readonly number[]): boolean {
  const n = values.length, lo = values[0], span = values[n - 1] - lo;
  if (!(span > 0)) return false;
  return values.every((v, i) => Math.abs(v - (lo + (span * i) / (n - 1))) <= 1e-9 * span);
}

/**
 * Multiples of a round step (1, 1.5, 2, 2.5, 3 or 5 × 10ᵉ) inside [lo, hi], at most kMax of them.
 * Preferred: both ends on ticks with enough ticks, then enough ticks, then the plainer step
 * (1, 2, 5), then more ticks. Null when no step gives two ticks.
 */
function roundTicks(lo: number, hi: number, kMax: number): number[] | null {
  const e0 = Math.floor(Math.log10(hi - lo));
  let best: { ticks: number[]; score: number[] } | null = null;
  for (let e = e0 - 2; e <= e0 + 1; e++) {
    for (const m of [1, 1.5, 2, 2.5, 3, 5]) {
      const step = m * 10 ** e;
      const first = Math.ceil(lo / step - 1e-9), last = Math.floor(hi / step + 1e-9);
      const count = last - first + 1;
      if (count < 2 || count > kMax) continue;
      const onTick = (v: number): boolean => Math.abs(v / step - Math.round(v / step)) < 1e-9;
      const ok = count >= enough(kMax);
      const score = [ok && onTick(lo) && onTick(hi) ? 1 : 0, ok ? 1 : 0, [1, 2, 5].includes(m) ? 1 : 0, count];
      if (!best || compare(score, best.score) > 0) {
        // k·step, cleaned of float noise (0.30000000000000004 → 0.3).
        best = { ticks: Array.from({ length: count }, (_, k) => Number(((first + k) * step).toPrecision(12))), score };
      }
    }
  }
  return best && best.ticks;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * Cell indices o, o + s, …, evenly spaced, at most kMax: both ends (o = 0, s divides n − 1)
 * if that gives enough ticks; else placed symmetrically (the same margin o at both ends)
 * over at least half the axis; else from 0 with the smallest step that fits.
 */
function evenIndices(n: number, kMax: number): number[] {
  const last = n - 1, kMin = enough(kMax);
  const run = (o: number, s: number, k: number): number[] => Array.from({ length: k }, (_, t) => o + t * s);
  for (let k = kMax; k >= kMin; k--) if (last % (k - 1) === 0) return run(0, last / (k - 1), k);
  for (let k = kMax; k >= kMin; k--) {
    for (let s = Math.floor(last / (k - 1)); s >= 1 && 2 * (k - 1) * s >= last; s--) {
      const margin = last - (k - 1) * s;
      if (margin % 2 === 0) return run(margin / 2, s, k);
    }
  }
  const s = Math.ceil(last / (kMax - 1));
  return run(0, s, Math.floor(last / s) + 1);
}

/** Two decimals at most, and no "-0". */
export function formatValue(v: number): string {
  return Math.abs(v) < 5e-3 ? '0' : String(Number(v.toFixed(2)));
}
