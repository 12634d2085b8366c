/**
 * The VAE's objective, the negative ELBO, as tfjs ops that read like the formulas:
 *   −ELBO(x) = E_q(z|x)[−log p(x|z)] + KL(q(z|x) ‖ p(z)),
 * with one sample z = mean + σ·ε (the reparameterisation), a Bernoulli decoder (so
 * −log p(x|z) is the binary cross-entropy of the pixels under the logits) and the closed-form
 * KL of a diagonal Gaussian from N(0, I). Training differentiates `vaeLoss` with tfjs's
 * autodiff (./training-kernels); ./fast/loss has the same values with a hand-written gradient.
 */
import { Random } from '../random';
import type { Scalar, Tensor1D, Tensor2D, Tf } from './tf';

/**
 * Binary cross-entropy of pixels x under Bernoulli logits, summed over pixels: one value
 * per image, in nats. Written as max(l, 0) − x·l + log(1 + e^−|l|), which never overflows.
 */
export function reconstructionPerImage(tf: Tf, x: Tensor2D, logits: Tensor2D): Tensor1D {
  const bce = tf.relu(logits).sub(x.mul(logits)).add(tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
  return bce.sum(1) as Tensor1D;
}

/** KL(N(mean, exp(logVar)) ‖ N(0, I)) in closed form, one value per image, in nats. */
export function klPerImage(tf: Tf, mean: Tensor2D, logVar: Tensor2D): Tensor1D {
  // ½ Σ (μ² + σ² − 1 − log σ²)
  return tf.mul(0.5, mean.square().add(logVar.exp()).sub(1).sub(logVar).sum(1)) as Tensor1D;
}

/** z = mean + σ·ε with ε given: the reparameterisation that lets gradients reach the encoder. */
export function reparameterise(tf: Tf, mean: Tensor2D, logVar: Tensor2D, eps: Tensor2D): Tensor2D {
  return mean.add(tf.exp(logVar.mul(0.5)).mul(eps));
}

/**
 * The VAE loss on a batch, averaged over its images: reconstruction (nats), KL (nats),
 * and the objective reconstruction + klWeight·KL that training minimises.
 */
export function vaeLoss(
  tf: Tf,
  x: Tensor2D,
  logits: Tensor2D,
  mean: Tensor2D,
  logVar: Tensor2D,
  klWeight: number,
): { objective: Scalar; reconstruction: Scalar; kl: Scalar } {
  const reconstruction = reconstructionPerImage(tf, x, logits).mean() as Scalar;
  const kl = klPerImage(tf, mean, logVar).mean() as Scalar;
  return { objective: reconstruction.add(kl.mul(klWeight)), reconstruction, kl };
}

/** Standard normal noise of the given shape, from the library's seeded generator. */
export function normalNoise(tf: Tf, rng: Random, rows: number, cols: number): Tensor2D {
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < values.length; i++) values[i] = rng.normal();
  return tf.tensor2d(values, [rows, cols]);
}
