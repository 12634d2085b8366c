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
import { BLOCK, LogSum, expShifted, normaliseBlock, prepareOffsets } from './em-block';
import { emPassWasm } from './em-wasm';
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
  /** Log-weights, then responsibilities: BLOCK×K (the per-point paths use the first K). */
  w: Float64Array;
  /** x − μₖ for every component (K×d), in the per-point diagonal path. */
  diff: Float64Array;
  /** x − μₖ for a block of points (BLOCK×d), then for those of them a component holds. */
  D: Float64Array;
  /** r · (x − μₖ) for the latter. */
  RD: Float64Array;
  maha: Float64Array;
  /** The common centre c of a blocked pass (d), and Lₖ(μₖ − c) per component (K×d). */
  centre: Float64Array;
  offsets: Float64Array;
  /** d = 2: parameters and sums per component, 12 values each. */
  packed: Float64Array;
  /** Whether the blocked pass may run on the WebAssembly kernel of ./em-wasm (same results bit for bit). */
  wasm: boolean;
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

export function allocScratch(K: number, d: number, wasm = true): Scratch {
  return {
    w: new Float64Array(BLOCK * K),
    diff: new Float64Array(K * d),
    D: new Float64Array(BLOCK * d),
    RD: new Float64Array(BLOCK * d),
    maha: new Float64Array(BLOCK),
    centre: new Float64Array(d),
    offsets: new Float64Array(K * d),
    packed: new Float64Array(12 * K),
    wasm,
  };
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
      : emPassBlocked(x, start, end, kern, sums, scratch, skipBelow);
  }
  return emPassDiagonal(x, start, end, kern, sums, scratch, skipBelow);
}

/**
 * Full and tied covariance, any d: the data go through in blocks of BLOCK points so that
 * the d×d work runs as small matrix products whose inner loops keep several
 * accumulators in registers, rather than as one matrix–vector product per point (a
 * dependency chain, and loads and stores of every product element).
 *
 * The E-step centres each block once, about the mean c of the component means, and
 * takes Lₖ(x − μₖ) = Lₖ(x − c) − Lₖ(μₖ − c) with the last term computed once per pass:
 * scikit-learn's X·U − μ·U, but measured from c (near the data) rather than from the
 * origin, so the rounding stays proportional to the data's spread, not to their offset.
 * The M-step sums stay centred on each component's own mean (see the file comment).
 */
function emPassBlocked(x: Float64Array, start: number, end: number, kern: Kernel, sums: Sums, scratch: Scratch, skipBelow: number): number {
  if (scratch.wasm) {
    const ll = emPassWasm(x, start, end, kern, sums, scratch.centre, scratch.offsets, skipBelow);
    if (ll !== null) return ll;
  }
  const { K, d, chol, cholStride, logC } = kern;
  const { skipped } = sums;
  const { w, D, maha, centre: c, offsets } = scratch;
  prepareOffsets(kern, c, offsets);
  let ll = 0;
  const logs = new LogSum();
  for (let b = start; b < end; b += BLOCK) {
    const nb = Math.min(BLOCK, end - b);
    centreBlock(x, b, nb, d, c, D);
    for (let k = 0; k < K; k++) {
      mahalanobisBlock(chol, k * cholStride, d, D, nb, offsets, k * d, maha);
      for (let p = 0; p < nb; p++) w[p * K + k] = logC[k] - 0.5 * maha[p];
    }
    ll = normaliseBlock(w, nb, K, skipBelow, skipped, logs, ll);
    for (let k = 0; k < K; k++) addComponentBlock(x, b, nb, kern, k, sums, scratch);
  }
  return ll + logs.total();
}

/** D[p] = x[b + p] − c for p < nb. */
function centreBlock(x: Float64Array, b: number, nb: number, d: number, c: Float64Array, D: Float64Array): void {
  const n = nb * d;
  const xo = b * d;
  for (let i = 0, j = 0; i < n; i++) {
    D[i] = x[xo + i] - c[j];
    if (++j === d) j = 0;
  }
}

/**
 * maha[p] = ‖L D[p] − f‖² for the lower-triangular L at chol[co..] (row-major d×d) and
 * f = offsets[fo..fo+d), for the points p < nb rounded up to a multiple of 4 (rows past nb
 * hold stale values; their results are not read). Four points × two rows of L per pass:
 * each loaded element of L serves four points and each element of D two rows.
 */
function mahalanobisBlock(chol: Float64Array, co: number, d: number, D: Float64Array, nb: number, offsets: Float64Array, fo: number, maha: Float64Array): void {
  for (let p = 0; p < nb; p += 4) {
    const o0 = p * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
    let m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const ra = co + j * d, rb = ra + d;
      const fa = offsets[fo + j], fb = offsets[fo + j + 1];
      let a0 = -fa, a1 = -fa, a2 = -fa, a3 = -fa, b0 = -fb, b1 = -fb, b2 = -fb, b3 = -fb;
      for (let t = 0; t <= j; t++) {
        const la = chol[ra + t], lb = chol[rb + t];
        const x0 = D[o0 + t], x1 = D[o1 + t], x2 = D[o2 + t], x3 = D[o3 + t];
        a0 += la * x0; a1 += la * x1; a2 += la * x2; a3 += la * x3;
        b0 += lb * x0; b1 += lb * x1; b2 += lb * x2; b3 += lb * x3;
      }
      const t = j + 1;
      const lb = chol[rb + t];
      b0 += lb * D[o0 + t]; b1 += lb * D[o1 + t]; b2 += lb * D[o2 + t]; b3 += lb * D[o3 + t];
      m0 += a0 * a0 + b0 * b0; m1 += a1 * a1 + b1 * b1; m2 += a2 * a2 + b2 * b2; m3 += a3 * a3 + b3 * b3;
    }
    if (j < d) {
      const ro = co + j * d;
      const f = offsets[fo + j];
      let y0 = -f, y1 = -f, y2 = -f, y3 = -f;
      for (let t = 0; t <= j; t++) {
        const l = chol[ro + t];
        y0 += l * D[o0 + t]; y1 += l * D[o1 + t]; y2 += l * D[o2 + t]; y3 += l * D[o3 + t];
      }
      m0 += y0 * y0; m1 += y1 * y1; m2 += y2 * y2; m3 += y3 * y3;
    }
    maha[p] = m0; maha[p + 1] = m1; maha[p + 2] = m2; maha[p + 3] = m3;
  }
}

/**
 * Add the points of block [b, b + nb) that component k holds (responsibility > 0, in
 * scratch.w) into its sums: first gathered into D (x − μ) and RD (r (x − μ)), then
 * S += RDᵀ D over the upper triangle in 2×4 tiles, each tile summed over the points in
 * registers and added to S once.
 */
function addComponentBlock(x: Float64Array, b: number, nb: number, kern: Kernel, k: number, sums: Sums, scratch: Scratch): void {
  const { K, d, means } = kern;
  const { nk, s, S } = sums;
  const { w, D, RD } = scratch;
  const mo = k * d;
  let m = 0;
  let rk = 0;
  for (let p = 0; p < nb; p++) {
    const r = w[p * K + k];
    if (r === 0) continue; // skipped, or underflowed: adds (almost) exactly nothing
    rk += r;
    const xo = (b + p) * d;
    const o = m * d;
    for (let j = 0; j < d; j++) {
      const dj = x[xo + j] - means[mo + j];
      D[o + j] = dj;
      RD[o + j] = r * dj;
    }
    m++;
  }
  if (m === 0) return;
  nk[k] += rk;
  rankUpdateUpper(S, k * d * d, s, mo, d, D, RD, m);
}

/**
 * S[so..] (upper triangle, row-major d×d) += Σ_{q<m} RD[q]ᵀ D[q], and s[mo..mo+d) += Σ_q RD[q].
 * Per pair of rows j, j+1: first their 2×2 diagonal block, which also sums the two
 * columns of RD it loads anyway (that is s), then 2×4 tiles to the right of it.
 */
function rankUpdateUpper(S: Float64Array, so: number, s: Float64Array, mo: number, d: number, D: Float64Array, RD: Float64Array, m: number): void {
  let j = 0;
  for (; j + 1 < d; j += 2) {
    const u = so + j * d, v = u + d;
    let c0 = 0, c1 = 0, s00 = 0, s01 = 0, s11 = 0;
    for (let q = 0; q < m; q++) {
      const o = q * d;
      const a0 = RD[o + j], a1 = RD[o + j + 1];
      const x0 = D[o + j], x1 = D[o + j + 1];
      c0 += a0; c1 += a1;
      s00 += a0 * x0; s01 += a0 * x1; s11 += a1 * x1;
    }
    s[mo + j] += c0; s[mo + j + 1] += c1;
    S[u + j] += s00; S[u + j + 1] += s01; S[v + j + 1] += s11;
    let t = j + 2;
    for (; t + 3 < d; t += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let q = 0; q < m; q++) {
        const o = q * d;
        const a0 = RD[o + j], a1 = RD[o + j + 1];
        const x0 = D[o + t], x1 = D[o + t + 1], x2 = D[o + t + 2], x3 = D[o + t + 3];
        s00 += a0 * x0; s01 += a0 * x1; s02 += a0 * x2; s03 += a0 * x3;
        s10 += a1 * x0; s11 += a1 * x1; s12 += a1 * x2; s13 += a1 * x3;
      }
      S[u + t] += s00; S[u + t + 1] += s01; S[u + t + 2] += s02; S[u + t + 3] += s03;
      S[v + t] += s10; S[v + t + 1] += s11; S[v + t + 2] += s12; S[v + t + 3] += s13;
    }
    for (; t < d; t++) {
      let s0 = 0, s1 = 0;
      for (let q = 0; q < m; q++) {
        const o = q * d;
        const xt = D[o + t];
        s0 += RD[o + j] * xt;
        s1 += RD[o + j + 1] * xt;
      }
      S[u + t] += s0;
      S[v + t] += s1;
    }
  }
  if (j < d) {
    let c0 = 0, s0 = 0;
    for (let q = 0; q < m; q++) {
      const a = RD[q * d + j];
      c0 += a;
      s0 += a * D[q * d + j];
    }
    s[mo + j] += c0;
    S[so + j * d + j] += s0;
  }
}

/** The same for d = 2, unrolled and one point at a time: the common case of plots and tutorials. */
function emPassTriangular2(x: Float64Array, start: number, end: number, kern: Kernel, sums: Sums, scratch: Scratch, skipBelow: number): number {
  const { K, means, chol, cholStride, logC } = kern;
  const { nk, s, S, skipped } = sums;
  const w = scratch.w;
  // Per component, its parameters and then its sums side by side in one small array
  // (fewer arrays to address in the loop): μ0 μ1 L00 L10 L11 log c | R s0 s1 S00 S01 S11.
  const P = scratch.packed;
  for (let k = 0; k < K; k++) {
    const o = 12 * k, c = k * cholStride;
    P[o] = means[2 * k]; P[o + 1] = means[2 * k + 1];
    P[o + 2] = chol[c]; P[o + 3] = chol[c + 2]; P[o + 4] = chol[c + 3]; P[o + 5] = logC[k];
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
function emPassDiagonal(x: Float64Array, start: number, end: number, kern: Kernel, sums: Sums, scratch: Scratch, skipBelow: number): number {
  const { K, d, means, chol, logC } = kern;
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
        const y = chol[mo + j] * dj;
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
