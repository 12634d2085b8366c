/**
 * The EM hot loop: one fused sweep over a range of rows computes, per point,
 * the weighted log-densities (triangular Mahalanobis), their log-sum-exp, the
 * responsibilities, and adds the point into the M-step sums — nothing of size
 * N is stored. The sums are taken about each component's *current* mean c:
 *   R = Σ r,  s = Σ r (x − c),  S = Σ r (x − c)(x − c)ᵀ
 * so that the new covariance comes out centred (no catastrophic cancellation
 * when the data sit far from the origin).
 *
 * `emPass` works on rows [start, end) and only adds into its `sums`, so a range
 * can go to another thread and the sums be added up afterwards.
 */
import { Matrix } from '../matrix';
import { Kernel, mahalanobis } from './gaussian';
import { NK_EPS } from './params';
import { CovarianceType } from './types';

/**
 * Responsibilities below e^SKIP_BELOW ≈ 1e-30 (relative to the largest term of their
 * row) are neither exponentiated nor added to the M-step sums: with well-separated
 * components that is most of them. Each leaves out less than 1e-30 of a point, which
 * is invisible next to any component holding more than a tiny fraction of a point;
 * for one that does not, `needsExactPass` asks for the pass again without skipping.
 */
const SKIP_BELOW = Math.log(1e-30);
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

export interface Scratch {
  w: Float64Array;
  diff: Float64Array;
}

export function allocSums(type: CovarianceType, K: number, d: number): Sums {
  const triangular = type === 'full' || type === 'tied';
  return {
    triangular, K, d,
    nk: new Float64Array(K),
    s: new Float64Array(K * d),
    S: new Float64Array(triangular ? K * d * d : K * d),
    skipped: new Float64Array(K),
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

export function allocScratch(K: number, d: number): Scratch {
  return { w: new Float64Array(K), diff: new Float64Array(K * d) };
}

/**
 * Fused E-step and M-step sums over rows [start, end) of the row-major data `x`
 * (d columns), about the kernel's means. Returns Σ log p(xᵢ) over those rows.
 */
export function emPass(x: Float64Array, start: number, end: number, kern: Kernel, sums: Sums, scratch: Scratch, exact = false): number {
  const skipBelow = exact ? -Infinity : SKIP_BELOW;
  if (kern.type === 'full' || kern.type === 'tied') {
    return kern.d === 2
      ? emPassTriangular2(x, start, end, kern, sums, scratch, skipBelow)
      : emPassTriangular(x, start, end, kern, sums, scratch, skipBelow);
  }
  return emPassDiagonal(x, start, end, kern, sums, scratch, skipBelow);
}

/**
 * exp(w[k] − max) in place, and their sum. A term below e^skipBelow is set to exactly 0
 * (no exp, and the caller then skips its M-step sums) and counted in `skipped`.
 */
function expShifted(w: Float64Array, K: number, max: number, skipBelow: number, skipped: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const t = w[k] - max;
    if (t < skipBelow) {
      w[k] = 0;
      skipped[k]++;
    } else {
      const e = t === 0 ? 1 : Math.exp(t);
      w[k] = e;
      sum += e;
    }
  }
  return sum;
}

function emPassTriangular(x: Float64Array, start: number, end: number, kern: Kernel, sums: Sums, scratch: Scratch, skipBelow: number): number {
  const { K, d, means, chol, cholStride, logC } = kern;
  const { nk, s, S, skipped } = sums;
  const { w, diff } = scratch;
  const dd = d * d;
  let ll = 0;
  for (let i = start; i < end; i++) {
    const xo = i * d;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const mo = k * d;
      const co = k * cholStride;
      for (let j = 0; j < d; j++) diff[mo + j] = x[xo + j] - means[mo + j];
      const wk = logC[k] - 0.5 * triangularNormSq(chol, co, diff, mo, d);
      w[k] = wk;
      if (wk > max) max = wk;
    }
    const sum = expShifted(w, K, max, skipBelow, skipped);
    ll += max + Math.log(sum);
    const inv = 1 / sum;
    for (let k = 0; k < K; k++) {
      const r = w[k] * inv;
      if (r === 0) continue; // skipped, or underflowed: adds (almost) exactly nothing
      nk[k] += r;
      const mo = k * d;
      const so = k * dd;
      for (let j = 0; j < d; j++) {
        const rd = r * diff[mo + j];
        s[mo + j] += rd;
        addScaled(S, so + j * d, rd, diff, mo, j, d);
      }
    }
  }
  return ll;
}

/**
 * ‖L v‖² for the lower-triangular L at chol[co..] (row-major d×d) and v = diff[mo..mo+d).
 * Four partial sums: short inner loops otherwise spend their time on loop overhead.
 */
function triangularNormSq(chol: Float64Array, co: number, diff: Float64Array, mo: number, d: number): number {
  let m = 0;
  for (let j = 0; j < d; j++) {
    const ro = co + j * d;
    let y0 = 0, y1 = 0, y2 = 0, y3 = 0;
    let t = 0;
    for (; t + 3 <= j; t += 4) {
      y0 += chol[ro + t] * diff[mo + t];
      y1 += chol[ro + t + 1] * diff[mo + t + 1];
      y2 += chol[ro + t + 2] * diff[mo + t + 2];
      y3 += chol[ro + t + 3] * diff[mo + t + 3];
    }
    for (; t <= j; t++) y0 += chol[ro + t] * diff[mo + t];
    const y = y0 + y1 + (y2 + y3);
    m += y * y;
  }
  return m;
}

/** S[so + t] += a · diff[mo + t] for t = from..d−1 (one row of the upper triangle). */
function addScaled(S: Float64Array, so: number, a: number, diff: Float64Array, mo: number, from: number, d: number): void {
  let t = from;
  for (; t + 3 < d; t += 4) {
    S[so + t] += a * diff[mo + t];
    S[so + t + 1] += a * diff[mo + t + 1];
    S[so + t + 2] += a * diff[mo + t + 2];
    S[so + t + 3] += a * diff[mo + t + 3];
  }
  for (; t < d; t++) S[so + t] += a * diff[mo + t];
}

/** The same for d = 2, unrolled: the common case of plots and tutorials. */
function emPassTriangular2(x: Float64Array, start: number, end: number, kern: Kernel, sums: Sums, scratch: Scratch, skipBelow: number): number {
  const { K, means, chol, cholStride, logC } = kern;
  const { nk, s, S, skipped } = sums;
  const w = scratch.w;
  let ll = 0;
  for (let i = start; i < end; i++) {
    const x0 = x[2 * i];
    const x1 = x[2 * i + 1];
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const a = x0 - means[2 * k];
      const b = x1 - means[2 * k + 1];
      const c = k * cholStride;
      const y0 = chol[c] * a;
      const y1 = chol[c + 2] * a + chol[c + 3] * b;
      const wk = logC[k] - 0.5 * (y0 * y0 + y1 * y1);
      w[k] = wk;
      if (wk > max) max = wk;
    }
    const sum = expShifted(w, K, max, skipBelow, skipped);
    ll += max + Math.log(sum);
    const inv = 1 / sum;
    for (let k = 0; k < K; k++) {
      const r = w[k] * inv;
      if (r === 0) continue;
      const a = x0 - means[2 * k];
      const b = x1 - means[2 * k + 1];
      const ra = r * a;
      const rb = r * b;
      nk[k] += r;
      s[2 * k] += ra;
      s[2 * k + 1] += rb;
      S[4 * k] += ra * a;
      S[4 * k + 1] += ra * b;
      S[4 * k + 3] += rb * b;
    }
  }
  return ll;
}

/** diag and spherical (the latter with its one precision repeated per feature). */
function emPassDiagonal(x: Float64Array, start: number, end: number, kern: Kernel, sums: Sums, scratch: Scratch, skipBelow: number): number {
  const { K, d, means, chol, logC } = kern;
  const { nk, s, S, skipped } = sums;
  const { w, diff } = scratch;
  let ll = 0;
  for (let i = start; i < end; i++) {
    const xo = i * d;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const mo = k * d;
      let maha = 0;
      for (let j = 0; j < d; j++) {
        const dj = x[xo + j] - means[mo + j];
        diff[mo + j] = dj;
        const y = chol[mo + j] * dj;
        maha += y * y;
      }
      const wk = logC[k] - 0.5 * maha;
      w[k] = wk;
      if (wk > max) max = wk;
    }
    const sum = expShifted(w, K, max, skipBelow, skipped);
    ll += max + Math.log(sum);
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
  return ll;
}

/**
 * The M-step sums taken about an arbitrary `center` (K×d) instead of the kernel's
 * means: the slow, general second pass used when the one-pass sums lose precision.
 */
export function accumulateAbout(X: Matrix, kern: Kernel, center: Float64Array, sums: Sums): void {
  const { K, d, means, chol, cholStride, logC } = kern;
  const triangular = sums.triangular;
  const x = X.data;
  const w = new Float64Array(K);
  const diff = new Float64Array(d);
  for (let i = 0; i < X.rows; i++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - means[k * d + j];
      w[k] = logC[k] - 0.5 * mahalanobis(diff, chol, k * cholStride, d, triangular);
      if (w[k] > max) max = w[k];
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += (w[k] = Math.exp(w[k] - max));
    for (let k = 0; k < K; k++) {
      const r = w[k] / sum;
      sums.nk[k] += r;
      for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - center[k * d + j];
      for (let j = 0; j < d; j++) {
        sums.s[k * d + j] += r * diff[j];
        if (triangular) for (let t = j; t < d; t++) sums.S[k * d * d + j * d + t] += r * diff[j] * diff[t];
        else sums.S[k * d + j] += r * diff[j] * diff[j];
      }
    }
  }
}
