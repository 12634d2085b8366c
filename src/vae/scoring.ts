/**
 * Scoring a trained VAE on a set of images: the negative ELBO (one z sample per image) and
 * the importance-weighted estimate of log p(x) (Burda et al.'s IWAE bound).
 */
import { Random } from '../random';
import { rowChunks, rowsTensor, yieldToEventLoop } from './chunks';
import { klPerImage, normalNoise, reconstructionPerImage, reparameterise } from './loss';
import type { Decoder, Encoder } from './model';
import type { Tensor, Tensor2D, Tf } from './tf';

/** Mean losses in nats per image. `loss` is the negative ELBO: reconstruction + kl. */
export interface VAELosses {
  loss: number;
  reconstruction: number;
  kl: number;
}

/** Importance-weighted estimate of log p(x) (IWAE bound with `samples` samples). */
export interface LogLikelihood {
  /** Mean over images of the estimate of log p(x), nats per image (negative). */
  logLikelihood: number;
  /** The estimate for each image. */
  perImage: Float32Array;
  samples: number;
}

/** What scoring needs from a model: its networks and sizes. */
export interface Scored {
  tf: Tf;
  encoder: Encoder;
  decoder: Decoder;
  inputDim: number;
  latentDim: number;
}

/** Negative ELBO of `count` images, nats per image, with noise from `seed`. */
export async function negativeElbo(m: Scored, images: Float32Array, count: number, seed: number): Promise<VAELosses> {
  const { tf, encoder, decoder } = m;
  const rng = new Random(seed);
  let rec = 0, kl = 0;
  for (const { start, rows } of rowChunks(count)) {
    const sums = tf.tidy(() => {
      const x = rowsTensor(tf, images, m.inputDim, start, rows);
      const { mean, logVar } = encoder.apply(x);
      const z = reparameterise(tf, mean, logVar, normalNoise(tf, rng, rows, m.latentDim));
      return tf.stack([reconstructionPerImage(tf, x, decoder.apply(z)).sum(), klPerImage(tf, mean, logVar).sum()]);
    });
    const [r, k] = await sums.data();
    sums.dispose();
    rec += r;
    kl += k;
    await yieldToEventLoop();
  }
  return { loss: (rec + kl) / count, reconstruction: rec / count, kl: kl / count };
}

/**
 * How IWAE gets −log p(x|z) of its samples: the reference below (the decoder's tfjs ops, then
 * the Bernoulli log-likelihood), or a faster implementation of the same values (./fast/iwae).
 */
export interface IwaeKernels {
  /** −log p(x|z) for each latent row of z, `samples` consecutive rows per image of x. */
  reconstruction(decoder: Decoder, x: Tensor2D, z: Tensor2D, samples: number): Tensor;
  /** Free what the kernels hold (threads, memory) once the estimate is done. */
  dispose?(): void;
}

export function referenceIwaeKernels(tf: Tf): IwaeKernels {
  return { reconstruction: (decoder, x, z, samples) => repeatedReconstruction(tf, x, decoder.apply(z), samples) };
}

/**
 * For each image, log (1/k) Σ p(x|zᵢ) p(zᵢ) / q(zᵢ|x) with k = `samples` draws zᵢ ~ q(z|x),
 * about `batchRows` decoded samples at a time.
 */
export async function iwaeLogLikelihood(
  m: Scored, images: Float32Array, count: number, options: { samples: number; seed: number; batchRows: number },
  kernels: IwaeKernels = referenceIwaeKernels(m.tf),
): Promise<LogLikelihood> {
  const { tf, encoder, decoder } = m;
  const { samples } = options;
  const d = m.latentDim;
  const rng = new Random(options.seed);
  const perImage = new Float32Array(count);
  const logNormalConst = -0.5 * d * Math.log(2 * Math.PI);
  try {
    for (const { start, rows } of rowChunks(count, Math.max(1, Math.floor(options.batchRows / samples)))) {
      const result = tf.tidy(() => {
        const x = rowsTensor(tf, images, m.inputDim, start, rows);
        const { mean, logVar } = encoder.apply(x);
        // Row i·k + s is sample s of image i. gather, because wasm's Tile is very slow.
        const index = tf.tensor1d(Int32Array.from({ length: rows * samples }, (_, r) => Math.floor(r / samples)), 'int32');
        const repeat = (t: Tensor2D): Tensor2D => tf.gather(t, index);
        const eps = normalNoise(tf, rng, rows * samples, d);
        const lv = repeat(logVar);
        const z = reparameterise(tf, repeat(mean), lv, eps);
        const logPxz = kernels.reconstruction(decoder, x, z, samples).neg();
        const logPz = z.square().sum(1).mul(-0.5).add(logNormalConst);
        const logQz = eps.square().add(lv).sum(1).mul(-0.5).add(logNormalConst);
        const logW = logPxz.add(logPz).sub(logQz).reshape([rows, samples]);
        return tf.logSumExp(logW, 1).sub(Math.log(samples));
      });
      perImage.set(await result.data(), start);
      result.dispose();
      await yieldToEventLoop();
    }
  } finally {
    kernels.dispose?.();
  }
  let sum = 0;
  for (const v of perImage) sum += v;
  return { logLikelihood: sum / count, perImage, samples };
}

/**
 * reconstructionPerImage for `samples` consecutive logit rows per image of x, without
 * repeating x: the x·logits term becomes one batched matrix product per image.
 */
export function repeatedReconstruction(tf: Tf, x: Tensor2D, logits: Tensor2D, samples: number): Tensor {
  const [rows, dim] = x.shape;
  const softplusSum = tf.relu(logits).add(tf.log1p(tf.exp(tf.neg(tf.abs(logits))))).sum(1);
  const xDotLogits = tf.matMul(logits.reshape([rows, samples, dim]), x.reshape([rows, dim, 1])).reshape([rows * samples]);
  return softplusSum.sub(xDotLogits);
}
