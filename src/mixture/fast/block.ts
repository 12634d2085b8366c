/**
 * Parts of the fused EM passes (./pass, ./wasm-pass): the log-sum of a pass, the shifted
 * exponentials of a point's log-weights, and a block's log-weights turned into responsibilities.
 */
import { expNonPositive } from './exp';
import { PreparedComponents } from './prepared';

/** Points per block in the blocked pass: its buffers (BLOCK×d) stay in the L1 cache up to d ≈ 16. Multiple of 8. */
export const BLOCK = 32;

/**
 * Σ log(sum) over many points with one Math.log per ~hundred points instead of one per
 * point (Math.log, like Math.exp, is a call out of the JIT's code): every sum is ≥ 1
 * (the largest term is e⁰), so the running product only grows; it is logged and reset
 * long before it could overflow.
 */
export class LogSum {
  private product = 1;
  private logs = 0;
  add(sum: number): void {
    this.product *= sum;
    if (this.product > 1e250) {
      this.logs += Math.log(this.product);
      this.product = 1;
    }
  }
  total(): number {
    return this.logs + Math.log(this.product);
  }
}

/**
 * exp(w[o + k] − max) in place for k < K, and their sum. A term below e^skipBelow is set
 * to exactly 0 (no exp, and the caller then skips its M-step sums) and counted in `skipped`.
 */
export function expShifted(w: Float64Array, o: number, K: number, max: number, skipBelow: number, skipped: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const t = w[o + k] - max;
    if (t < skipBelow) {
      w[o + k] = 0;
      skipped[k]++;
    } else {
      const e = expNonPositive(t);
      w[o + k] = e;
      sum += e;
    }
  }
  return sum;
}

/**
 * The log-weights w[p·K + k] of the points p < nb of a block into their responsibilities
 * in place; returns ll + Σ_p max_k w[p·K + k] (added point by point), and adds each
 * point's Σ exp(w − max) to `logs`.
 */
export function normaliseBlock(w: Float64Array, nb: number, K: number, skipBelow: number, skipped: Float64Array, logs: LogSum, ll: number): number {
  for (let p = 0; p < nb; p++) {
    const o = p * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (w[o + k] > max) max = w[o + k];
    const sum = expShifted(w, o, K, max, skipBelow, skipped);
    ll += max;
    logs.add(sum);
    const inv = 1 / sum;
    for (let k = 0; k < K; k++) w[o + k] *= inv;
  }
  return ll;
}

/** c = mean of the component means; offsets[k] = Lₖ(μₖ − c). */
export function prepareOffsets(kern: PreparedComponents, c: Float64Array, offsets: Float64Array): void {
  const { K, d, means, invChol, invCholStride } = kern;
  c.fill(0);
  for (let k = 0; k < K; k++) for (let j = 0; j < d; j++) c[j] += means[k * d + j] / K;
  for (let k = 0; k < K; k++) {
    const co = k * invCholStride;
    for (let j = 0; j < d; j++) {
      let y = 0;
      for (let t = 0; t <= j; t++) y += invChol[co + j * d + t] * (means[k * d + t] - c[t]);
      offsets[k * d + j] = y;
    }
  }
}

