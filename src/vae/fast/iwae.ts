/**
 * The IWAE estimate's costly part, fast: decoding k samples per image and their Bernoulli
 * log-likelihoods. With k = 1000 on 1,000 images that is a million decodes, about 4·10¹¹
 * multiply-adds in the decoder's last layer and 784 million log-likelihood terms.
 *
 * - The decoder runs inside the training scope (./scope), so its products go to native BLAS
 *   when `nblas` loads (./native-matmul), rather than wasm's single-threaded XNNPACK.
 * - −log p(x|z) of each decoded row is one call of the Bernoulli pass of ./step-kernels on
 *   that row and its image's pixels, where tfjs ops would run about seven passes over all
 *   logits (and the reference's repeated-image product). The pass also writes the gradient,
 *   into one scratch row that is overwritten each time.
 *
 * ../scoring's reference computes the same values (to float32 rounding; tested).
 */
import type { Decoder } from '../model';
import type { IwaeKernels } from '../scoring';
import type { Tensor1D, Tensor2D, Tf } from '../tf';
import { withTrainingKernels } from './scope';
import { stepKernels } from './step-kernels';
import { WasmBackendLike, tensorAddress } from './wasm-backend';

/** The fast kernels for the backend tfjs runs now: BLAS-backed decoding, and the SIMD pass on wasm. */
export function fastIwaeKernels(tf: Tf): IwaeKernels {
  return {
    decode: (decoder: Decoder, z: Tensor2D) => withTrainingKernels(() => decoder.apply(z)),
    reconstruction: (x: Tensor2D, logits: Tensor2D, samples: number) => rowReconstructionWasm(tf, x, logits, samples),
  };
}

/**
 * −log p(x|z) of each logit row, where rows i·k … i·k + k − 1 belong to image i of x, by the
 * wasm Bernoulli pass; undefined off wasm (the caller then uses tfjs ops).
 */
export function rowReconstructionWasm(tf: Tf, x: Tensor2D, logits: Tensor2D, samples: number): Tensor1D | undefined {
  if (tf.getBackend() !== 'wasm' || x.dtype !== 'float32' || logits.dtype !== 'float32') return undefined;
  const [images, dim] = x.shape;
  const rows = logits.shape[0];
  if (logits.shape[1] !== dim || rows !== images * samples || dim < 4) return undefined;
  const backend = tf.backend() as unknown as WasmBackendLike;
  const kernels = stepKernels(backend.wasm.asm.memory);
  const scratch = tf.zeros([dim]);
  try {
    const out = new Float32Array(rows);
    // Addresses, not views: the heap does not move while nothing is allocated.
    const xAt = tensorAddress(backend, x, 'IWAE'), lAt = tensorAddress(backend, logits, 'IWAE');
    const gAt = tensorAddress(backend, scratch, 'IWAE');
    for (let r = 0; r < rows; r++) {
      out[r] = kernels.bce(lAt + r * dim * 4, xAt + Math.floor(r / samples) * dim * 4, gAt, dim);
    }
    return tf.tensor1d(out);
  } finally {
    scratch.dispose();
  }
}
