/**
 * The VAE's networks and loss as small factory functions, in the style of the tfjs
 * fashion-mnist-vae example but with plain variables instead of tf.layers models, so the
 * training loop controls every tensor (speed, memory) and saving is a flat weight list.
 *
 * Encoder: x → MLP (ReLU) → (mean, logVar) of q(z|x) = N(mean, diag(exp(logVar))).
 * Decoder: z → MLP (ReLU, hidden sizes reversed) → Bernoulli logits of p(x|z).
 */
import { Random } from '../random';
import { denseWithGrad } from './fused-dense';
import { inTrainingKernels } from './training-scope';
import type { Scalar, Tensor2D, Tensor1D, Tf, Variable } from './tf';

export interface VAEOptions {
  /** Pixels per image (784 for 28×28). */
  inputDim?: number;
  /** Size of the latent code z (2 allows plotting the latent space directly). */
  latentDim?: number;
  /** Hidden layer sizes of the encoder; the decoder uses them in reverse order. */
  hiddenUnits?: number[];
  /** Weight of the KL term in the training objective (β-VAE; 1 is the plain ELBO). */
  beta?: number;
  /** Seed of the weight initialisation, the sampling noise and the shuffling. */
  seed?: number;
}

export type ResolvedVAEOptions = Required<VAEOptions>;

export function resolveOptions(options: VAEOptions = {}): ResolvedVAEOptions {
  if (options === null || typeof options !== 'object') throw new Error(`VAE options must be an object; got ${String(options)}.`);
  const { inputDim = 784, latentDim = 2, hiddenUnits = [512], beta = 1, seed = 0 } = options;
  const positiveInt = (v: unknown, name: string) => {
    if (!Number.isInteger(v) || (v as number) < 1) throw new Error(`VAE option ${name} must be a positive integer; got ${String(v)}.`);
  };
  positiveInt(inputDim, 'inputDim');
  positiveInt(latentDim, 'latentDim');
  if (!Array.isArray(hiddenUnits)) throw new Error(`VAE option hiddenUnits must be an array of layer sizes; got ${String(hiddenUnits)}.`);
  hiddenUnits.forEach((h, i) => positiveInt(h, `hiddenUnits[${i}]`));
  if (!(Number.isFinite(beta) && beta >= 0)) throw new Error(`VAE option beta must be a finite number ≥ 0; got ${beta}.`);
  if (!Number.isFinite(seed)) throw new Error(`VAE option seed must be a finite number; got ${seed}.`);
  return { inputDim, latentDim, hiddenUnits: [...hiddenUnits], beta, seed };
}

export interface Dense {
  kernel: Variable;
  bias: Variable;
}

/** Named parameters, in a fixed order; the names are the ones written to model.json. */
export type Params = Map<string, Variable>;

let instances = 0;

/**
 * A dense layer with Glorot-uniform weights drawn from `rng` (not from tfjs's own
 * generator, so the initialisation is the same on every backend) and zero biases.
 */
function dense(tf: Tf, params: Params, scope: string, name: string, inDim: number, outDim: number, rng: Random): Dense {
  const limit = Math.sqrt(6 / (inDim + outDim));
  const w = new Float32Array(inDim * outDim);
  for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-limit, limit);
  // tfjs variable names are global: the scope keeps two models' names apart.
  const kernel = tf.tidy(() => tf.variable(tf.tensor2d(w, [inDim, outDim]), true, `${scope}/${name}/kernel`));
  const bias = tf.tidy(() => tf.variable(tf.zeros([outDim]), true, `${scope}/${name}/bias`));
  params.set(`${name}/kernel`, kernel);
  params.set(`${name}/bias`, bias);
  return { kernel, bias };
}

/** `inputIsData`: x is the images, so no gradient with respect to it is needed. */
function apply(tf: Tf, layer: Dense, x: Tensor2D, activation: 'relu' | 'linear', inputIsData = false): Tensor2D {
  // In a training step on wasm: the layer with a hand-written gradient (./fused-dense).
  if (inTrainingKernels() && tf.getBackend() === 'wasm') return denseWithGrad(tf, layer, x, activation, !inputIsData);
  // fused.matMul maps to wasm's _FusedMatMul (matmul + bias + ReLU in one XNNPACK call).
  return tf.fused.matMul({ a: x, b: layer.kernel as unknown as Tensor2D, bias: layer.bias, activation }) as Tensor2D;
}

export interface Encoder {
  apply(x: Tensor2D): { mean: Tensor2D; logVar: Tensor2D };
}

export interface Decoder {
  /** Bernoulli logits, one per pixel. */
  apply(z: Tensor2D): Tensor2D;
}

export function createEncoder(tf: Tf, o: ResolvedVAEOptions, params: Params, scope: string, rng: Random): Encoder {
  const hidden: Dense[] = [];
  let inDim = o.inputDim;
  o.hiddenUnits.forEach((units, i) => {
    hidden.push(dense(tf, params, scope, `encoder/dense${i}`, inDim, units, rng));
    inDim = units;
  });
  const meanLayer = dense(tf, params, scope, 'encoder/mean', inDim, o.latentDim, rng);
  const logVarLayer = dense(tf, params, scope, 'encoder/logVar', inDim, o.latentDim, rng);
  return {
    apply(x) {
      let h = x;
      for (const layer of hidden) h = apply(tf, layer, h, 'relu', h === x);
      return { mean: apply(tf, meanLayer, h, 'linear', h === x), logVar: apply(tf, logVarLayer, h, 'linear', h === x) };
    },
  };
}

export function createDecoder(tf: Tf, o: ResolvedVAEOptions, params: Params, scope: string, rng: Random): Decoder {
  const hidden: Dense[] = [];
  let inDim = o.latentDim;
  [...o.hiddenUnits].reverse().forEach((units, i) => {
    hidden.push(dense(tf, params, scope, `decoder/dense${i}`, inDim, units, rng));
    inDim = units;
  });
  const output = dense(tf, params, scope, 'decoder/output', inDim, o.inputDim, rng);
  return {
    apply(z) {
      let h = z;
      for (const layer of hidden) h = apply(tf, layer, h, 'relu');
      return apply(tf, output, h, 'linear');
    },
  };
}

/** Both networks with freshly initialised parameters. */
export function createNetworks(tf: Tf, o: ResolvedVAEOptions, rng: Random): { encoder: Encoder; decoder: Decoder; params: Params } {
  const scope = `vae${++instances}`;
  const params: Params = new Map();
  const encoder = createEncoder(tf, o, params, scope, rng);
  const decoder = createDecoder(tf, o, params, scope, rng);
  return { encoder, decoder, params };
}

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
