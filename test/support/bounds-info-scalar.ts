/**
 * The executable specification of lloyd-kernel.wat's `centres`: the tiles of centres that the
 * wide passes read, and what their Hamerly bounds need each pass (how far each centre moved, the
 * most any other centre moved, half the distance to the nearest other centre, and the margins
 * μ and E that make a kept label the label computing would give; the .wat gives the reasoning).
 * Plain TypeScript, as ./wasm-pass wrote them before the kernel did.
 */
import { sqDist } from '../../src/cluster/sq-dist';
import { shiftedCentres } from './lloyd-pass-scalar';

/** The Euclidean distance between row a of A and row b of B (d columns). */
function distance(A: Float64Array, a: number, B: Float64Array, b: number, d: number): number {
  return Math.sqrt(sqDist(A, a * d, B, b * d, d));
}

/**
 * The tiles (kp/4 × (4 + 4·dp) f64: [bias of 4 centres] then dp/2 steps of [centre 0..3: 2
 * features]) and the info (3·kp + 4 f64: δ, δ′, h, then [μ, E, fresh, 0]) for centres k × d,
 * measured from r, after `previous` (or a fresh pass when it is null).
 */
export function centresScalar(
  centers: Float64Array, previous: Float64Array | null, d: number, dp: number, k: number, kp: number, r: Float64Array, maxNorm: number,
): { tiles: Float64Array; info: Float64Array } {
  const { cs, bias } = shiftedCentres(centers, k, d, r);
  const tile = 4 + 4 * dp;
  const tiles = new Float64Array((kp / 4) * tile);
  for (let c = 0; c < kp; c++) {
    const o = (c >> 2) * tile;
    tiles[o + (c & 3)] = c < k ? bias[c] : Infinity;
    if (c >= k) continue;
    for (let j = 0; j < d; j++) tiles[o + 4 + (j >> 1) * 8 + (c & 3) * 2 + (j & 1)] = cs[c * d + j];
  }
  const info = new Float64Array(3 * kp + 4);
  writeInfo(info, kp, d, dp, k, r, maxNorm, centers, previous, cs);
  return { tiles, info };
}

/** The info part of `centresScalar`. */
function writeInfo(info: Float64Array, kSlots: number, d: number, dp: number, k: number, origin: Float64Array, maxNorm: number, centers: Float64Array, previous: Float64Array | null, cs: Float64Array): void {
  let rNorm = 0;
  for (let j = 0; j < d; j++) rNorm += origin[j] * origin[j];
  let cMax = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += cs[c * d + j] * cs[c * d + j];
    cMax = Math.max(cMax, s);
  }
  const M = maxNorm + Math.sqrt(rNorm) + Math.sqrt(cMax);
  const E = (dp + 4) * 2 ** -49 * M * M;
  const at = 3 * kSlots;
  info[at] = Math.sqrt(2 * E) * (1 + 2 ** -20); // μ
  info[at + 1] = E;
  info[at + 2] = previous === null ? 1 : 0;
  if (previous === null) return;
  const up = 1 + 2 ** -40;
  let first = 0; // the largest move, and the second largest
  let second = 0;
  for (let c = 0; c < k; c++) {
    const delta = distance(centers, c, previous, c, d) * up;
    info[c] = delta;
    if (delta > first) {
      second = first;
      first = delta;
    } else if (delta > second) second = delta;
  }
  for (let c = 0; c < k; c++) {
    info[kSlots + c] = info[c] === first ? second : first;
    let nearest = Infinity;
    for (let o = 0; o < k; o++) if (o !== c) nearest = Math.min(nearest, distance(centers, c, centers, o, d));
    info[2 * kSlots + c] = (nearest / 2) / up;
  }
}
