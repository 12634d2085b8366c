/**
 * The VAE's fast path, behind one entry point: the training-kernels bundle ./train picks by
 * default, the wasm kernel patches ./backend installs, and what ./backend reports about them.
 *
 * The bundle computes what ../training-kernels' reference computes (to float32 rounding):
 * - dense layers with hand-written gradients (./dense), ReLU's gradient and the Bernoulli loss
 *   with its gradient in WebAssembly SIMD passes (./wasm-ops, ./loss);
 * - Adam in one SIMD pass per variable, bit-identical to tf.train.adam (./adam);
 * - inside the step's scope (./scope), matrix products through native BLAS when the optional
 *   `nblas` loads (./native-matmul) and copy-free clones (./wasm-share).
 * On backends other than wasm only the closed-form loss gradient applies.
 *
 * It also serves IWAE (./iwae): a decoder on native BLAS that folds the hidden units a block of
 * samples leaves dead or linear, and a SIMD scoring pass, on a worker thread when it helps.
 */
import { plainDense } from '../model';
import type { Tf } from '../tf';
import type { TrainingKernels } from '../training-kernels';
import { createAdam } from './adam';
import { wasmDense } from './dense';
import { fusedVaeLoss } from './loss';
import { nativeMatMulInfo, setNativeBlas } from './native-matmul';
import { withTrainingKernels } from './scope';
import { isWasmMatMulPatched, patchWasmMatMul } from './wasm-matmul';
import { patchWasmShare } from './wasm-share';

export { setNativeBlas };
export { fastIwaeKernels } from './iwae';

/** The fast training kernels for the backend tfjs runs now. */
export function fastKernels(tf: Tf): TrainingKernels {
  return {
    path: 'fast',
    dense: tf.getBackend() === 'wasm' ? wasmDense : plainDense,
    loss: fusedVaeLoss,
    createOptimizer: createAdam,
    run: withTrainingKernels,
  };
}

/**
 * Re-register wasm's matrix-product, Identity and Cast kernels with their fast paths. Call
 * after loading @tensorflow/tfjs-backend-wasm and before tf.setBackend('wasm'), so the
 * patched kernels' setupFunc runs when wasm starts. Idempotent.
 */
export function installWasmKernels(): void {
  patchWasmMatMul();
  patchWasmShare();
}

/** How matrix products run on `backend`, and on how many BLAS threads. */
export interface MatrixProductInfo {
  /** A sentence for people, e.g. "native BLAS (OpenBLAS through nblas, 2 threads) in training steps; …". */
  matrixProduct: string;
  /** OpenBLAS threads when native products are on, else 1 (wasm multithreading does not run in Node). */
  threads: number;
  nativeBlas: { available: boolean; reason?: string; threads?: number; calls: number };
}

export function matrixProductInfo(backend: string): MatrixProductInfo {
  if (backend !== 'wasm') {
    const what = backend === 'tensorflow' ? 'libtensorflow (tfjs-node)' : backend === 'cpu' ? "tfjs's JavaScript cpu kernels" : 'no backend started yet';
    return { matrixProduct: what, threads: 1, nativeBlas: { available: false, reason: 'native products serve the wasm backend only', calls: 0 } };
  }
  const nativeBlas = nativeMatMulInfo();
  const wasm = isWasmMatMulPatched() ? 'wasm XNNPACK (SIMD, transposed operands transposed explicitly first)' : "wasm XNNPACK (SIMD, tfjs's stock kernels)";
  if (!nativeBlas.available) return { matrixProduct: `${wasm}; native BLAS off: ${nativeBlas.reason}`, threads: 1, nativeBlas };
  const threads = nativeBlas.threads ?? 1;
  return { matrixProduct: `native BLAS (OpenBLAS through nblas, ${threads} thread${threads === 1 ? '' : 's'}) in training steps; ${wasm} elsewhere`, threads, nativeBlas };
}
