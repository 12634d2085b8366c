/**
 * The fused EM pass for 'full' and 'tied' covariance at d ≠ 2, on the WebAssembly SIMD kernel
 * of ./em-kernel. The data go through in blocks of BLOCK points so that the d×d work runs as
 * small matrix products. The E-step centres each block once, about the mean c of the component
 * means, and takes Lₖ(x − μₖ) = Lₖ(x − c) − Lₖ(μₖ − c) with the last term computed once per
 * pass: scikit-learn's X·U − μ·U, but measured from c (near the data) rather than from the
 * origin, so the rounding stays proportional to the data's spread, not to their offset.
 *
 * Each thread has one private memory of its own (grown when a pass needs more), holding the
 * pass's parameters, one block of rows at a time (copied in, ~d values per point against
 * ~K·d² of work), and the pass's sums, added into the caller's at the end. The kernel's
 * executable specification, in scalar TypeScript and bit for bit the same, is
 * test/support/em-pass-blocked-scalar.ts.
 */
import { newMemory } from '../../wasm';
import { BLOCK, LogSum, normaliseBlock, prepareOffsets } from './block';
import { EmWasmKernel, emKernel } from './em-kernel';
import { PreparedComponents } from './prepared';
import type { Sums } from './sums';

/** Offsets (in f64) of the regions of the memory; see the .wat for what each holds. */
interface Layout {
  dp: number;
  chol: number; off: number; logC: number; means: number; c: number;
  X: number; Dt: number; W: number; G: number; RG: number;
  S: number; s: number; nk: number;
  bytes: number;
}

function layout(K: number, d: number): Layout {
  const dp = d + (d & 1);
  let o = 0;
  // Every region starts on 16 bytes, for the kernel's vector loads.
  const take = (n: number) => { const at = o; o += n + (n & 1); return at; };
  const l = {
    dp,
    chol: take(K * d * d), off: take(K * d), logC: take(K), means: take(K * dp), c: take(dp),
    X: take(BLOCK * dp), Dt: take(d * BLOCK), W: take(BLOCK * K), G: take(BLOCK * dp), RG: take(BLOCK * dp),
    S: take(K * dp * dp), s: take(K * dp), nk: take(K),
  };
  return { ...l, bytes: 8 * o };
}

interface Engine { kernel: EmWasmKernel; f: Float64Array }

/** This thread's engine; null once WebAssembly turned out to be missing or unable to run the kernel. */
let engine: Engine | null = null;
let unavailable = false;

function engineFor(bytes: number): Engine | null {
  if (engine !== null && engine.f.byteLength >= bytes) return engine;
  if (unavailable) return null;
  // A private memory (each thread has its own), well below the 2 GiB that 32-bit addresses reach.
  const memory = newMemory(Math.max(bytes, 2 * (engine?.f.byteLength ?? 0)), false, 16384);
  if (memory === null) {
    if (engine === null) unavailable = true;
    return null;
  }
  try {
    engine = { kernel: emKernel(memory), f: new Float64Array(memory.buffer) };
  } catch {
    unavailable = true; // no SIMD, for one
    return null;
  }
  return engine;
}

/**
 * Whether this runtime can run the kernel for K components in d dimensions (WebAssembly
 * SIMD, and a memory of the size the pass needs). Node has WebAssembly SIMD; without it
 * ./iteration falls back to the reference E- and M-steps.
 */
export function wasmPassAvailable(K: number, d: number): boolean {
  return engineFor(layout(K, d).bytes) !== null;
}

/**
 * The fused pass over rows [start, end) on the kernel: adds into `sums`, returns Σ log p(xᵢ).
 * `c` and `offsets` are scratch (d, K×d).
 */
export function emPassWasm(x: Float64Array, start: number, end: number, kern: PreparedComponents, sums: Sums, c: Float64Array, offsets: Float64Array, skipBelow: number): number {
  const { K, d, means, invChol, invCholStride, logC } = kern;
  const L = layout(K, d);
  const e = engineFor(L.bytes);
  if (e === null) throw new Error(`The EM pass needs WebAssembly SIMD and a ${L.bytes}-byte memory, which this runtime cannot give (K = ${K}, d = ${d}).`);
  const { f, kernel } = e;
  const dp = L.dp;
  prepareOffsets(kern, c, offsets);
  f.set(invChol, L.chol);
  f.set(offsets, L.off);
  f.set(logC, L.logC);
  f.set(c, L.c);
  f.fill(0, L.means, L.means + K * dp); // the padding column stays 0
  for (let k = 0; k < K; k++) f.set(means.subarray(k * d, k * d + d), L.means + k * dp);
  f.fill(0, L.X, L.X + BLOCK * dp);
  f.fill(0, L.S, L.nk + K);
  const w = f.subarray(L.W, L.W + BLOCK * K);
  let ll = 0;
  const logs = new LogSum();
  for (let b = start; b < end; b += BLOCK) {
    const nb = Math.min(BLOCK, end - b);
    // A plain loop: a subarray and set() per block cost more than the copy itself.
    for (let p = 0; p < nb; p++) {
      const xo = (b + p) * d, fo = L.X + p * dp;
      for (let j = 0; j < d; j++) f[fo + j] = x[xo + j];
    }
    kernel.estep(K, d, nb, 8 * L.X, 8 * dp, 8 * L.c, 8 * L.Dt, 8 * L.chol, 8 * invCholStride, 8 * L.off, 8 * L.logC, 8 * L.W);
    ll = normaliseBlock(w, nb, K, skipBelow, sums.skipped, logs, ll);
    kernel.mstep(K, d, dp, nb, 8 * L.X, 8 * L.W, 8 * L.means, 8 * L.G, 8 * L.RG, 8 * L.S, 8 * L.s, 8 * L.nk);
  }
  addSums(f, L, K, d, sums);
  return ll + logs.total();
}

/** The kernel's sums (rows of dp) into `sums` (upper triangle of S). */
function addSums(f: Float64Array, L: Layout, K: number, d: number, sums: Sums): void {
  const { dp } = L;
  const { nk, s, S } = sums;
  for (let k = 0; k < K; k++) {
    nk[k] += f[L.nk + k];
    for (let j = 0; j < d; j++) {
      s[k * d + j] += f[L.s + k * dp + j];
      const so = k * d * d + j * d, fo = L.S + k * dp * dp + j * dp;
      for (let t = j; t < d; t++) S[so + t] += f[fo + t];
    }
  }
}
