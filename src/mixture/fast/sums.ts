/**
 * The M-step sums one fused pass accumulates, taken about each component's *current* mean c:
 *   R = Σ r,  s = Σ r (x − c),  S = Σ r (x − c)(x − c)ᵀ
 * so that the new covariance comes out centred (./m-step-sums). A pass over a range of rows
 * only adds into its sums, so ranges can go to other threads and their sums be added up.
 */
import { NK_EPS } from '../params';
import { CovarianceType } from '../types';

/**
 * Responsibilities below e^SKIP_BELOW ≈ 1e-30 (relative to the largest term of their
 * row) are neither exponentiated nor added to the M-step sums: with well-separated
 * components that is most of them. Each leaves out less than 1e-30 of a point, which
 * is invisible next to any component holding more than a tiny fraction of a point;
 * for one that does not, `needsExactPass` asks for the pass again without skipping.
 */
export const SKIP_BELOW = Math.log(1e-30);
const SKIP_BOUND = 1e-30;

/** Whether what `emPass` left out could matter: a component with almost no responsibility. */
export function needsExactPass(sums: Sums): boolean {
  for (let k = 0; k < sums.K; k++) {
    if (sums.skipped[k] > 0 && sums.skipped[k] * SKIP_BOUND > 1e-20 * (sums.nk[k] + NK_EPS)) return true;
  }
  return false;
}

export interface Sums {
  triangular: boolean;
  K: number;
  d: number;
  /** Σ r per component. */
  nk: Float64Array;
  /** Σ r (x − c), K×d. */
  s: Float64Array;
  /** Σ r (x − c)(x − c)ᵀ: K×d×d with the upper triangle filled (full, tied), or its diagonal K×d. */
  S: Float64Array;
  /** How many responsibilities were below e^SKIP_BELOW and left out, per component. */
  skipped: Float64Array;
}

/** Number of values in one set of sums: nk, s, S, skipped. */
export function sumsLength(type: CovarianceType, K: number, d: number): number {
  const triangular = type === 'full' || type === 'tied';
  return K + K * d + (triangular ? K * d * d : K * d) + K;
}

/** Sums as views on buf[offset, offset + sumsLength) (a fresh array if no buffer is given). */
export function allocSums(type: CovarianceType, K: number, d: number, buf?: Float64Array, offset = 0): Sums {
  const triangular = type === 'full' || type === 'tied';
  const data = buf ?? new Float64Array(sumsLength(type, K, d));
  let o = offset;
  const take = (n: number) => data.subarray(o, (o += n));
  return {
    triangular, K, d,
    nk: take(K),
    s: take(K * d),
    S: take(triangular ? K * d * d : K * d),
    skipped: take(K),
  };
}

export function resetSums(sums: Sums): void {
  sums.nk.fill(0);
  sums.s.fill(0);
  sums.S.fill(0);
  sums.skipped.fill(0);
}

/** Add `b` into `a` (to combine the sums of row ranges). */
export function addSums(a: Sums, b: Sums): void {
  for (let i = 0; i < a.nk.length; i++) a.nk[i] += b.nk[i];
  for (let i = 0; i < a.s.length; i++) a.s[i] += b.s[i];
  for (let i = 0; i < a.S.length; i++) a.S[i] += b.S[i];
  for (let i = 0; i < a.skipped.length; i++) a.skipped[i] += b.skipped[i];
}
