/**
 * Hamerly's bounds for the wide Lloyd passes (./lloyd-kernel.wat's passBounded): per pass, how
 * far each centre moved, the most any other moved, half the distance to the nearest other
 * centre, and the margins that make a kept label the label computing would give.
 */
import { sqDist } from '../sq-dist';
import type { WasmMemory } from './lloyd-kernel';

/** The part of ./wasm-pass's plan the bounds use. */
export interface BoundsPlan {
  memory: WasmMemory;
  d: number;
  k: number;
  dp: number;
  kSlots: number;
  infoAt: number;
  /** r, the mean of the data, and at least the largest ‖x‖ over the rows. */
  origin: Float64Array;
  maxNorm: number;
}

/** The Euclidean distance between row a of A and row b of B (d columns). */
function distance(A: Float64Array, a: number, B: Float64Array, b: number, d: number): number {
  return Math.sqrt(sqDist(A, a * d, B, b * d, d));
}

/**
 * What the wide passes need to move and test the bounds this pass (layout in ./lloyd-kernel.wat).
 *
 * Why a kept label is the label computing would give: the kernel computes each row's
 * s_c = bias_c − 2 x·c′ and q = ‖x − r‖², and q + s_c is ‖x − c‖² up to rounding. Every
 * term in it is at most M² = (max‖x‖ + ‖r‖ + max‖c′‖)² in size, and each of the at most
 * dp + 3 roundings in a term is relative 2⁻⁵³, so |q + s_c − ‖x − c‖²| ≤ E = (dp + 4)·2⁻⁴⁹·M²
 * (with room to spare). Hence the kernel's u = √(q + s_a + E) and l = √(q + s_second − E)
 * bound the true distances. Moving them by how far the centres moved keeps them bounds (the
 * triangle inequality), and so does h_a: a row within h_a of its centre is nearer to it than
 * to any other. If u + μ < max(l, h_a), every other centre is farther than the row's own by
 * more than μ, so its squared distance is larger by more than μ² = 2E: more than the two
 * computed values' rounding, and computing would pick the row's centre again. The rounding
 * of the updates themselves (u + δ, l − δ′, about 2⁻⁵²·M each) would need more than 10⁸
 * passes to reach μ (at least 2⁻²³·M); the moves are rounded up and h down here by more than
 * their own rounding.
 */
export function writeBoundsInfo(p: BoundsPlan, centers: Float64Array, previous: Float64Array | null, cs: Float64Array): void {
  const { d, k, dp, kSlots } = p;
  const info = new Float64Array(p.memory.buffer, p.infoAt, 3 * kSlots + 4);
  info.fill(0);
  let rNorm = 0;
  for (let j = 0; j < d; j++) rNorm += p.origin[j] ** 2;
  let cMax = 0;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += cs[c * d + j] ** 2;
    cMax = Math.max(cMax, s);
  }
  const M = p.maxNorm + Math.sqrt(rNorm) + Math.sqrt(cMax);
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
    if (delta > first) [first, second] = [delta, first];
    else second = Math.max(second, delta);
  }
  for (let c = 0; c < k; c++) {
    info[kSlots + c] = info[c] === first ? second : first;
    let nearest = Infinity;
    for (let o = 0; o < k; o++) if (o !== c) nearest = Math.min(nearest, distance(centers, c, centers, o, d));
    info[2 * kSlots + c] = (nearest / 2) / up;
  }
}
