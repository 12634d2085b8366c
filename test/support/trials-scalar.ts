/**
 * The executable specification of the distance kernel's `trialsWide` (on the tiles its `tiles`
 * lays out; src/cluster/fast/distance-kernel.wat), in scalar TypeScript: k-means++'s local
 * trials scored in the expanded form, the values and sums the kernel gives, bit for bit.
 */
import { pairedDot, shiftedCentres } from './lloyd-pass-scalar';

/**
 * For each candidate (rows of X, n × d, by index) and each row i in [start, end): the distance
 * (q_i + bias_c) − 2 x_i·c′ (c′ = c − r, bias_c = ‖c′‖² + 2 r·c′, q_i = ‖x_i − r‖² as given),
 * raised to 0 if below it, then lowered to D[i]; `kept[t]` holds them per row, `sums[t]` their
 * sum over the even rows and over the odd ones, each in row order. `belowZero` counts the distances below zero
 * (rounding, for rows at a candidate), which the test wants to see.
 */
export function trialsWide(
  X: Float64Array,
  d: number,
  start: number,
  end: number,
  candidates: ArrayLike<number>,
  D: Float64Array,
  q: Float64Array,
  r: Float64Array,
): { kept: Float64Array[]; sums: [number, number][]; belowZero: number } {
  const t = candidates.length;
  const C = new Float64Array(t * d);
  for (let c = 0; c < t; c++) C.set(X.subarray(candidates[c] * d, candidates[c] * d + d), c * d);
  const { cs, bias } = shiftedCentres(C, t, d, r);
  const kept = Array.from({ length: t }, () => new Float64Array(end - start));
  const sums: [number, number][] = Array.from({ length: t }, () => [0, 0]);
  let belowZero = 0;
  for (let c = 0; c < t; c++) {
    for (let i = start; i < end; i++) {
      const dot = pairedDot(X, i * d, cs, c * d, d);
      const raw = q[i] + bias[c] - (dot + dot);
      if (raw < 0) belowZero++;
      const atLeast0 = raw < 0 ? 0 : raw;
      const v = atLeast0 < D[i] ? atLeast0 : D[i];
      kept[c][i - start] = v;
      sums[c][(i - start) & 1] += v;
    }
  }
  return { kept, sums, belowZero };
}
