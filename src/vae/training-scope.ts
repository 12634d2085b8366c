/**
 * A scope for the VAE's training step, inside which the patched wasm kernels take their
 * fast paths (native BLAS products, ./native-matmul; copy-free Identity and Cast,
 * ./wasm-share). Outside it those kernels behave exactly as tfjs's own, so inference and
 * everybody else's tfjs code see no change.
 *
 * VAE_FAST_TRAINING=0 in the environment turns the scope off and makes the training step use
 * tfjs's autodiff of the loss (./model's vaeLoss) instead of ./fused-loss: that is the
 * training arithmetic of the shipped weights, bit for bit (Adam, ./fused-adam, is bit-identical
 * either way), for reproducing weights/vae-mnist-mlp/training.json.
 */
let depth = 0;

/** False when VAE_FAST_TRAINING=0: training then runs tfjs's own kernels and autodiff only. */
export function fastTrainingEnabled(): boolean {
  return process.env.VAE_FAST_TRAINING !== '0';
}

/** Run `fn` (synchronous) with the training fast paths on (unless VAE_FAST_TRAINING=0). */
export function withTrainingKernels<T>(fn: () => T): T {
  if (!fastTrainingEnabled()) return fn();
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
