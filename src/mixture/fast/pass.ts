/**
 * The fused EM pass: one sweep over a range of rows computes, per point, the weighted
 * log-densities, their log-sum-exp, the responsibilities, and adds the point into the
 * M-step sums (./sums): nothing of size N is stored. It computes what ../e-step's `eStep`
 * computes, and the sums ../m-step's `mStep` needs, in one pass (tested against them).
 *
 * Three implementations by shape: d = 2 full/tied unrolled here, other d full/tied blocked on
 * the WebAssembly SIMD kernel (./wasm-pass), diag and spherical here.
 */
import { BLOCK, LogSum, expShifted } from './block';
import { PreparedComponents } from './prepared';
import { SKIP_BELOW, Sums } from './sums';
import { emPassWasm } from './wasm-pass';

export interface Scratch {
  /** Log-weights, then responsibilities: BLOCK×K (the per-point paths use the first K). */
  w: Float64Array;
  /** x − μₖ for every component (K×d), in the per-point diagonal path. */
  diff: Float64Array;
  /** The common centre c of a blocked pass (d), and Lₖ(μₖ − c) per component (K×d). */
  centre: Float64Array;
  offsets: Float64Array;
  /** d = 2: parameters and sums per component, 12 values each. */
  packed: Float64Array;
}

export function allocScratch(K: number, d: number): Scratch {
  return {
    w: new Float64Array(BLOCK * K),
    diff: new Float64Array(K * d),
    centre: new Float64Array(d),
    offsets: new Float64Array(K * d),
    packed: new Float64Array(12 * K),
  };
}

/**
 * Fused E-step and M-step sums over rows [start, end) of the row-major data `x`
 * (d columns), about the kernel's means. Returns Σ log p(xᵢ) over those rows.
 */
export function emPass(x: Float64Array, start: number, end: number, kern: PreparedComponents, sums: Sums, scratch: Scratch, exact = false): number {
  const skipBelow = exact ? -Infinity : SKIP_BELOW;
  if (kern.type === 'full' || kern.type === 'tied') {
    return kern.d === 2
      ? emPassTriangular2(x, start, end, kern, sums, scratch, skipBelow)
      : emPassWasm(x, start, end, kern, sums, scratch.centre, scratch.offsets, skipBelow);
  }
  return emPassDiagonal(x, start, end, kern, sums, scratch, skipBelow);
}

/** The same for d = 2, unrolled and one point at a time: the common case of plots and tutorials. */
function emPassTriangular2(x: Float64Array, start: number, end: number, kern: PreparedComponents, sums: Sums, scratch: Scratch, skipBelow: number): number {
  const { K, means, invChol, invCholStride, logC } = kern;
  const { nk, s, S, skipped } = sums;
  const w = scratch.w;
  // Per component, its parameters and then its sums side by side in one small array
  // (fewer arrays to address in the loop): μ0 μ1 L00 L10 L11 log c | R s0 s1 S00 S01 S11.
  const P = scratch.packed;
  for (let k = 0; k < K; k++) {
    const o = 12 * k, c = k * invCholStride;
    P[o] = means[2 * k]; P[o + 1] = means[2 * k + 1];
    P[o + 2] = invChol[c]; P[o + 3] = invChol[c + 2]; P[o + 4] = invChol[c + 3]; P[o + 5] = logC[k];
    P.fill(0, o + 6, o + 12);
  }
  let ll = 0;
  const logs = new LogSum();
  for (let i = start; i < end; i++) {
    const x0 = x[2 * i];
    const x1 = x[2 * i + 1];
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const o = 12 * k;
      const a = x0 - P[o];
      const b = x1 - P[o + 1];
      const y0 = P[o + 2] * a;
      const y1 = P[o + 3] * a + P[o + 4] * b;
      const wk = P[o + 5] - 0.5 * (y0 * y0 + y1 * y1);
      w[k] = wk;
      if (wk > max) max = wk;
    }
    const sum = expShifted(w, 0, K, max, skipBelow, skipped);
    ll += max;
    logs.add(sum);
    const inv = 1 / sum;
    for (let k = 0; k < K; k++) {
      const r = w[k] * inv;
      if (r === 0) continue;
      const o = 12 * k;
      const a = x0 - P[o];
      const b = x1 - P[o + 1];
      const ra = r * a;
      const rb = r * b;
      P[o + 6] += r;
      P[o + 7] += ra;
      P[o + 8] += rb;
      P[o + 9] += ra * a;
      P[o + 10] += ra * b;
      P[o + 11] += rb * b;
    }
  }
  for (let k = 0; k < K; k++) {
    const o = 12 * k;
    nk[k] += P[o + 6];
    s[2 * k] += P[o + 7]; s[2 * k + 1] += P[o + 8];
    S[4 * k] += P[o + 9]; S[4 * k + 1] += P[o + 10]; S[4 * k + 3] += P[o + 11];
  }
  return ll + logs.total();
}

/** diag and spherical (the latter with its one precision repeated per feature). */
function emPassDiagonal(x: Float64Array, start: number, end: number, kern: PreparedComponents, sums: Sums, scratch: Scratch, skipBelow: number): number {
  const { K, d, means, invChol, logC } = kern;
  const { nk, s, S, skipped } = sums;
  const { w, diff } = scratch;
  let ll = 0;
  const logs = new LogSum();
  for (let i = start; i < end; i++) {
    const xo = i * d;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const mo = k * d;
      let maha = 0;
      for (let j = 0; j < d; j++) {
        const dj = x[xo + j] - means[mo + j];
        diff[mo + j] = dj;
        const y = invChol[mo + j] * dj;
        maha += y * y;
      }
      const wk = logC[k] - 0.5 * maha;
      w[k] = wk;
      if (wk > max) max = wk;
    }
    const sum = expShifted(w, 0, K, max, skipBelow, skipped);
    ll += max;
    logs.add(sum);
    const inv = 1 / sum;
    for (let k = 0; k < K; k++) {
      const r = w[k] * inv;
      if (r === 0) continue;
      nk[k] += r;
      const mo = k * d;
      for (let j = 0; j < d; j++) {
        const rd = r * diff[mo + j];
        s[mo + j] += rd;
        S[mo + j] += rd * diff[mo + j];
      }
    }
  }
  return ll + logs.total();
}
