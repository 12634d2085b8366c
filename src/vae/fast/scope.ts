/**
 * A scope for the fast path's training step, inside which the patched wasm kernels take their
 * fast paths (native BLAS products, ./native-matmul; copy-free Identity and Cast,
 * ./wasm-share). Outside it those kernels behave exactly as tfjs's own, so inference, the
 * reference training path and everybody else's tfjs code see no change.
 */
let depth = 0;

/** Run `fn` (synchronous) with the training fast paths on. */
export function withTrainingKernels<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

/** True while a `withTrainingKernels` callback runs. */
export function inTrainingKernels(): boolean {
  return depth > 0;
}
