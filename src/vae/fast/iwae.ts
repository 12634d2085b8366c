/**
 * The IWAE estimate's costly part, fast: decoding k samples per image and their Bernoulli
 * log-likelihoods. With k = 1000 on 1,000 images that is a million decodes, 5·10¹¹
 * multiply-adds through the dense layers, and 784 million log-likelihood terms.
 *
 * - With native BLAS (`nblas`): ./iwae-decoder, outside tfjs. Per block of samples, hidden
 *   units that are dead or never negative fold into an affine map of a few features (about
 *   12 % of the dense multiply-adds with the shipped weights); logits are scored by a SIMD
 *   pass, on a worker thread beside the products when OpenBLAS runs on one thread.
 * - Otherwise, on wasm: the decoder through tfjs, and each row's −log p(x|z) by one call of
 *   the Bernoulli pass of ./step-kernels on that row and its image's pixels, where tfjs ops
 *   would run about seven passes over all logits.
 * - Elsewhere the reference (../scoring).
 *
 * ../scoring's reference computes the same values (to float32 rounding; tested).
 */
import type { Decoder } from '../model';
import { IwaeKernels, repeatedReconstruction } from '../scoring';
import type { Tensor1D, Tensor2D, Tf } from '../tf';
import { CompactDecoder, DenseWeights } from './iwae-decoder';
import { availableThreads } from '../../parallel/pool';
import { nativeMatMulInfo, nativeSgemm } from './native-matmul';
import { withTrainingKernels } from './scope';
import { stepKernels } from './step-kernels';
import { WasmBackendLike, tensorAddress } from './wasm-backend';

/**
 * Samples (over all images) from which a scoring thread pays for its start (tens of
 * milliseconds): 50,000 rows of 784 logits take the scoring pass about 0.15 s.
 */
const PARALLEL_MIN_ROWS = 50_000;

/**
 * The fast kernels for the backend tfjs runs now, for an estimate over `rows` samples in all.
 * The decoder's weights are read once per decoder; `dispose` ends the scoring thread.
 */
export function fastIwaeKernels(tf: Tf, rows = Infinity): IwaeKernels {
  const compact = new Map<Decoder, CompactDecoder | undefined>();
  return {
    dispose() {
      for (const c of compact.values()) c?.dispose();
      compact.clear();
    },
    reconstruction(decoder, x, z, samples) {
      if (!compact.has(decoder)) compact.set(decoder, compactDecoder(decoder, rows >= PARALLEL_MIN_ROWS));
      const fast = compact.get(decoder);
      if (fast !== undefined) {
        return tf.tensor1d(Float32Array.from(fast.reconstruction(x.dataSync() as Float32Array, z.dataSync() as Float32Array, samples)));
      }
      const logits = withTrainingKernels(() => decoder.apply(z));
      return rowReconstructionWasm(tf, x, logits, samples) ?? repeatedReconstruction(tf, x, logits, samples);
    },
  };
}

/** The decoder on native BLAS, or undefined without it (or where ./iwae-decoder declines). */
function compactDecoder(decoder: Decoder, large: boolean): CompactDecoder | undefined {
  const blas = nativeSgemm();
  if (blas === undefined || decoder.layers.some((l) => l.kernel.dtype !== 'float32')) return undefined;
  const weights: DenseWeights[] = decoder.layers.map((l) => ({
    kernel: l.kernel.dataSync() as Float32Array, bias: l.bias.dataSync() as Float32Array,
    inDim: l.kernel.shape[0] as number, outDim: l.kernel.shape[1] as number,
  }));
  // A scoring thread beside the products when OpenBLAS runs on one thread and a second core exists
  // (with two BLAS threads both cores already work on the products), for estimates large enough.
  const parallelScoring = large && (nativeMatMulInfo().threads ?? 1) === 1 && availableThreads() >= 2;
  return CompactDecoder.create(blas, weights.slice(0, -1), weights[weights.length - 1], { parallelScoring });
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
