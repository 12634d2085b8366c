/**
 * Matrix products through native BLAS (npm `nblas`, an optional dependency linking the
 * system's libblas, e.g. OpenBLAS) for the wasm backend's `BatchMatMul` and `_FusedMatMul`.
 *
 * OpenBLAS's sgemm is several times faster than wasm's XNNPACK on the VAE's products (see
 * BENCHMARKS.md), and a transposed operand costs BLAS nothing. sgemm reads and writes
 * Float32Array views of the wasm heap directly, so nothing is copied.
 *
 * BLAS adds the k products in another order than XNNPACK, so results differ in the last
 * bits (within float32 rounding, tested). To keep inference and the kernel tests
 * bit-identical to plain tfjs, the patched kernels only go native inside `withTrainingKernels`
 * (./scope), which the fast training path uses. `initBackend({ nativeBlas: false })` turns it
 * off (e.g. to reproduce a training run of the pure-wasm path bit for bit); so does
 * VAE_NATIVE_BLAS=0 in the environment, when the option is not given.
 *
 * When `nblas` is absent (it needs a C++ compiler and libopenblas-dev at install time) or
 * fails its self-test, everything stays on wasm; `nativeMatMulInfo()` says why.
 */
import { availableParallelism, cpus } from 'os';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { stepKernels } from './step-kernels';
import { inTrainingKernels } from './scope';
import { WasmBackendLike, tensorAddress } from './wasm-backend';

/** The part of nblas used here: row-major cblas_sgemm. */
export interface Sgemm {
  sgemm(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number,
  ): void;
}

export const NO_TRANS = 111;
export const TRANS = 112;

let blas: Sgemm | undefined;
let loadError: string | undefined;
let loaded = false;
let calls = 0;
let blasThreads: number | undefined;
/** initBackend's `nativeBlas` option, when given. */
let chosen: boolean | undefined;

/**
 * Allow (true) or forbid (false) native products; undefined restores the default: allowed
 * unless VAE_NATIVE_BLAS=0 in the environment.
 */
export function setNativeBlas(enabled: boolean | undefined): void {
  chosen = enabled;
}

function nativeBlasWanted(): boolean {
  return chosen ?? process.env.VAE_NATIVE_BLAS !== '0';
}

/**
 * Whether native BLAS is available (why not, if not), the OpenBLAS thread count it was
 * loaded with, and how many products it computed.
 */
export function nativeMatMulInfo(): { available: boolean; reason?: string; threads?: number; calls: number } {
  if (!nativeBlasWanted()) {
    return { available: false, reason: chosen === false ? 'turned off by initBackend({ nativeBlas: false })' : 'turned off by VAE_NATIVE_BLAS=0', calls };
  }
  load();
  return blas === undefined ? { available: false, reason: loadError, calls } : { available: true, threads: blasThreads, calls };
}

/**
 * Two threads when a second core is free now, else one. On an idle 2-core machine two threads
 * make a VAE step faster than one; with one core kept busy by another process they make it
 * many times slower (OpenBLAS's threads meet at barriers inside every product and spin-wait
 * for a core; timings in BENCHMARKS.md). The choice is made once, when BLAS loads
 * (OpenBLAS fixes its thread count then), from the cores' idle time over a short window.
 * The load average is no guide here: it trails by a minute, so a job that just ended
 * (e.g. the PyTorch run before ours in the benchmark) keeps it above 1 for a while, and one
 * that just started (a core fully busy) may not have lifted it above 1.5 yet.
 */
function chooseThreads(): number {
  const cores = typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
  return cores >= 2 && freeCores(IDLE_WINDOW_MS) >= cores - 0.25 ? 2 : 1;
}

/** How long the cores' idle time is sampled (once per process, sleeping). */
const IDLE_WINDOW_MS = 150;

/**
 * Cores left idle by other processes over the next `ms` milliseconds. This thread sleeps
 * meanwhile; this process's own CPU time (e.g. V8 compiling in the background) does not
 * count as busy.
 */
export function freeCores(ms: number): number {
  const sum = (t: { user: number; nice: number; sys: number; idle: number; irq: number }) => t.user + t.nice + t.sys + t.idle + t.irq;
  const before = cpus();
  const own0 = process.cpuUsage();
  // A synchronous sleep: BLAS loads inside a kernel call, which cannot await.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const after = cpus();
  const own = process.cpuUsage(own0);
  if (after.length === 0 || after.length !== before.length) return 0;
  let idle = 0, total = 0;
  after.forEach((c, i) => {
    idle += c.times.idle - before[i].times.idle;
    total += sum(c.times) - sum(before[i].times);
  });
  if (!(total > 0)) return 0;
  const othersBusy = Math.max(0, total - idle - (own.user + own.system) / 1000);
  return Math.max(0, after.length - othersBusy / (total / after.length));
}

/**
 * sgemm for callers outside tfjs's kernels (IWAE's decoder, ./iwae-decoder), or undefined
 * when native BLAS is unavailable or turned off.
 */
export function nativeSgemm(): Sgemm | undefined {
  return nativeBlasWanted() && load() ? blas : undefined;
}

/** Count `n` products computed through `nativeSgemm()` in `nativeMatMulInfo().calls`. */
export function countNativeCalls(n: number): void {
  calls += n;
}

/** True when a kernel called now should use BLAS. */
export function nativeActive(): boolean {
  return inTrainingKernels() && nativeBlasWanted() && load();
}

function load(): boolean {
  if (loaded) return blas !== undefined;
  loaded = true;
  try {
    // OpenBLAS reads its thread count once, when it loads (OPENBLAS_NUM_THREADS wins if set).
    const threads = process.env.OPENBLAS_NUM_THREADS;
    blasThreads = threads === undefined ? chooseThreads() : Number(threads);
    if (threads === undefined) process.env.OPENBLAS_NUM_THREADS = String(blasThreads);
    let candidate: Sgemm;
    try {
      // Optional dependency: absent where it could not build.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      candidate = require('nblas') as Sgemm;
    } finally {
      if (threads === undefined) delete process.env.OPENBLAS_NUM_THREADS;
    }
    selfTest(candidate);
    blas = candidate;
  } catch (err) {
    loadError = `nblas unavailable: ${(err as Error).message.split('\n')[0]}`;
  }
  return blas !== undefined;
}

/** A 2×3·3×2 product with a transposed, offset operand: catches a broken binding early. */
function selfTest(b: Sgemm): void {
  const buf = new Float32Array([9, 1, 2, 3, 4, 5, 6]);
  const a = buf.subarray(1); // 2×3: [1 2 3; 4 5 6]
  const c = new Float32Array(4);
  b.sgemm(NO_TRANS, TRANS, 2, 2, 3, 1, a, 3, a, 3, 0, c, 2); // a·aᵀ
  const want = [14, 32, 32, 77];
  if (!want.every((w, i) => c[i] === w)) throw new Error(`sgemm self-test gave [${Array.from(c)}], expected [${want}]`);
}

/** Split a shape into (batch size, rows, cols); rank ≥ 2. */
function dims(shape: number[]): [number, number, number] {
  const r = shape.length;
  return [shape.slice(0, r - 2).reduce((x, y) => x * y, 1), shape[r - 2], shape[r - 1]];
}

/**
 * The product of a and b (either transposed) plus an optional row bias and ReLU, by sgemm,
 * or undefined when this case is not handled here (the caller then uses the wasm kernel).
 */
export function nativeMatMul(
  backendArg: unknown, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean,
  bias?: TensorInfo, activation: string = 'linear',
): TensorInfo | undefined {
  if (blas === undefined) return undefined;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || (bias !== undefined && bias.dtype !== 'float32')) return undefined;
  if (activation !== 'linear' && activation !== 'relu') return undefined;
  if (a.shape.length < 2 || a.shape.length !== b.shape.length) return undefined;
  const [batchA, rowsA, colsA] = dims(a.shape);
  const [batchB, rowsB, colsB] = dims(b.shape);
  const m = transposeA ? colsA : rowsA;
  const k = transposeA ? rowsA : colsA;
  const n = transposeB ? rowsB : colsB;
  if ((transposeB ? colsB : rowsB) !== k || m * n * k === 0) return undefined;
  // Batch dimensions: equal, or all 1 on one side (broadcast).
  const lead = a.shape.length - 2;
  const batchShape: number[] = [];
  for (let i = 0; i < lead; i++) {
    const da = a.shape[i], db = b.shape[i];
    if (da !== db && batchA !== 1 && batchB !== 1) return undefined;
    batchShape.push(Math.max(da, db));
  }
  if (bias !== undefined && bias.shape.reduce((x, y) => x * y, 1) !== n) return undefined;
  const batch = Math.max(batchA, batchB);
  calls++;

  const backend = backendArg as WasmBackendLike;
  const out = backend.makeOutput([...batchShape, m, n], 'float32');
  // Views only after the allocation: a growing heap detaches earlier views.
  const heap = backend.wasm.HEAPF32;
  const at = (t: TensorInfo) => tensorAddress(backend, t, 'native matmul') >>> 2;
  const aStart = at(a), bStart = at(b), cStart = at(out);
  const biasView = bias === undefined ? undefined : heap.subarray(at(bias), at(bias) + n);
  for (let i = 0; i < batch; i++) {
    const aOff = aStart + (batchA === 1 ? 0 : i * rowsA * colsA);
    const bOff = bStart + (batchB === 1 ? 0 : i * rowsB * colsB);
    const c = heap.subarray(cStart + i * m * n, cStart + (i + 1) * m * n);
    if (biasView !== undefined) for (let r = 0; r < m; r++) c.set(biasView, r * n);
    blas.sgemm(
      transposeA ? TRANS : NO_TRANS, transposeB ? TRANS : NO_TRANS, m, n, k, 1,
      heap.subarray(aOff, aOff + rowsA * colsA), colsA, heap.subarray(bOff, bOff + rowsB * colsB), colsB,
      biasView === undefined ? 0 : 1, c, n,
    );
    // In wasm SIMD: a JavaScript loop here was measurably slower (a mispredicted branch per value).
    if (activation === 'relu') stepKernels(backend.wasm.asm.memory).relu((cStart + i * m * n) << 2, m * n);
  }
  return out;
}

/** Kernel arguments as the wasm BatchMatMul / _FusedMatMul kernels receive them. */
export function nativeKernel(args: Parameters<KernelFunc>[0]): TensorInfo | undefined {
  const inputs = args.inputs as Record<string, TensorInfo | undefined>;
  const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean; activation?: string };
  if (inputs.preluActivationWeights != null) return undefined;
  return nativeMatMul(args.backend, inputs.a!, inputs.b!, !!attrs.transposeA, !!attrs.transposeB, inputs.bias ?? undefined, attrs.activation ?? 'linear');
}
