/**
 * The executable specification of the WebAssembly EM kernel (src/mixture/fast/em-kernel.wat):
 * the blocked fused pass for 'full' and 'tied' covariance, written in scalar TypeScript, in the
 * kernel's order of operations, so both give the same results bit for bit (tested in
 * mixture-em-wasm.test.ts). Node always has WebAssembly SIMD, so the library runs only the
 * kernel; this twin lives here, where it specifies it.
 */
import { BLOCK, LogSum, normaliseBlock, prepareOffsets } from '../../src/mixture/fast/block';
import type { Scratch as LibraryScratch } from '../../src/mixture/fast/pass';
import type { PreparedComponents } from '../../src/mixture/fast/prepared';
import type { Sums } from '../../src/mixture/fast/sums';

/** The library's scratch, plus a block's x − μₖ (D, BLOCK×d), r·(x − μₖ) (RD) and distances (maha, BLOCK). */
export type Scratch = LibraryScratch & { D: Float64Array; RD: Float64Array; maha: Float64Array };

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
 * The M-step sums stay centred on each component's own mean (see src/mixture/fast/sums.ts).
 */
export function emPassBlockedScalar(x: Float64Array, start: number, end: number, kern: PreparedComponents, sums: Sums, scratch: Scratch, skipBelow: number): number {
  const { K, d, invChol, invCholStride, logC } = kern;
  const { skipped } = sums;
  const { w, D, maha, centre: c, offsets } = scratch;
  prepareOffsets(kern, c, offsets);
  let ll = 0;
  const logs = new LogSum();
  for (let b = start; b < end; b += BLOCK) {
    const nb = Math.min(BLOCK, end - b);
    centreBlock(x, b, nb, d, c, D);
    for (let k = 0; k < K; k++) {
      mahalanobisBlock(invChol, k * invCholStride, d, D, nb, offsets, k * d, maha);
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
 * maha[p] = ‖L D[p] − f‖² for the lower-triangular L at invChol[co..] (row-major d×d) and
 * f = offsets[fo..fo+d), for the points p < nb rounded up to a multiple of 4 (rows past nb
 * hold stale values; their results are not read). Four points × two rows of L per pass:
 * each loaded element of L serves four points and each element of D two rows.
 */
function mahalanobisBlock(invChol: Float64Array, co: number, d: number, D: Float64Array, nb: number, offsets: Float64Array, fo: number, maha: Float64Array): void {
  for (let p = 0; p < nb; p += 4) {
    const o0 = p * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
    let m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    let j = 0;
    for (; j + 1 < d; j += 2) {
      const ra = co + j * d, rb = ra + d;
      const fa = offsets[fo + j], fb = offsets[fo + j + 1];
      let a0 = -fa, a1 = -fa, a2 = -fa, a3 = -fa, b0 = -fb, b1 = -fb, b2 = -fb, b3 = -fb;
      for (let t = 0; t <= j; t++) {
        const la = invChol[ra + t], lb = invChol[rb + t];
        const x0 = D[o0 + t], x1 = D[o1 + t], x2 = D[o2 + t], x3 = D[o3 + t];
        a0 += la * x0; a1 += la * x1; a2 += la * x2; a3 += la * x3;
        b0 += lb * x0; b1 += lb * x1; b2 += lb * x2; b3 += lb * x3;
      }
      const t = j + 1;
      const lb = invChol[rb + t];
      b0 += lb * D[o0 + t]; b1 += lb * D[o1 + t]; b2 += lb * D[o2 + t]; b3 += lb * D[o3 + t];
      m0 += a0 * a0 + b0 * b0; m1 += a1 * a1 + b1 * b1; m2 += a2 * a2 + b2 * b2; m3 += a3 * a3 + b3 * b3;
    }
    if (j < d) {
      const ro = co + j * d;
      const f = offsets[fo + j];
      let y0 = -f, y1 = -f, y2 = -f, y3 = -f;
      for (let t = 0; t <= j; t++) {
        const l = invChol[ro + t];
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
function addComponentBlock(x: Float64Array, b: number, nb: number, kern: PreparedComponents, k: number, sums: Sums, scratch: Scratch): void {
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
