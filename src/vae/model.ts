/**
 * The VAE's networks and loss as small factory functions, in the style of the tfjs
 * fashion-mnist-vae example but with plain variables instead of tf.layers models, so the
 * training loop controls every tensor (speed, memory) and saving is a flat weight list.
 *
 * Encoder: x → MLP (ReLU) → (mean, logVar) of q(z|x) = N(mean, diag(exp(logVar))).
 * Decoder: z → MLP (ReLU, hidden sizes reversed) → Bernoulli logits of p(x|z).
 *
 * How a dense layer is computed is a parameter (`DenseOp`, default `plainDense`): a training
 * step may pass another implementation of the same layer (see ./training-kernels).
 */
import { Random } from '../random';
import { checkOptionNames, optionNames } from '../options';
import { checkSeed } from '../random';
import type { Tensor2D, Tf, Variable } from './tf';

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
  /**
   * How fresh weights are drawn (default 'pytorch'):
   * - 'pytorch': weights and biases from U(±1/√fanIn), PyTorch's `nn.Linear` default. Measured
   *   here it learns faster in the first epochs (BENCHMARKS.md, "VAE initialisation").
   * - 'glorot': Glorot-uniform weights U(±√(6/(fanIn + fanOut))) and zero biases (Keras' default).
   */
  init?: VAEInit;
}

export type VAEInit = 'pytorch' | 'glorot';

export type ResolvedVAEOptions = Required<VAEOptions>;

export function resolveOptions(options: VAEOptions = {}): ResolvedVAEOptions {
  if (options === null || typeof options !== 'object') throw new Error(`VAE options must be an object; got ${String(options)}.`);
  checkOptionNames(options, optionNames<VAEOptions>({ inputDim: true, latentDim: true, hiddenUnits: true, beta: true, seed: true, init: true }), 'VAE');
  const { inputDim = 784, latentDim = 2, hiddenUnits = [512], beta = 1, seed = 0, init = 'pytorch' } = options;
  const positiveInt = (v: unknown, name: string) => {
    if (!Number.isInteger(v) || (v as number) < 1) throw new Error(`VAE option ${name} must be a positive integer; got ${String(v)}.`);
  };
  positiveInt(inputDim, 'inputDim');
  positiveInt(latentDim, 'latentDim');
  if (!Array.isArray(hiddenUnits)) throw new Error(`VAE option hiddenUnits must be an array of layer sizes; got ${String(hiddenUnits)}.`);
  hiddenUnits.forEach((h, i) => positiveInt(h, `hiddenUnits[${i}]`));
  if (!(Number.isFinite(beta) && beta >= 0)) throw new Error(`VAE option beta must be a finite number ≥ 0; got ${beta}.`);
  checkSeed(seed, 'VAE option seed');
  if (init !== 'pytorch' && init !== 'glorot') throw new Error(`VAE option init must be 'pytorch' or 'glorot'; got ${String(init)}.`);
  return { inputDim, latentDim, hiddenUnits: [...hiddenUnits], beta, seed, init };
}

export interface Dense {
  kernel: Variable;
  bias: Variable;
}

/** Named parameters, in a fixed order; the names are the ones written to model.json. */
export type Params = Map<string, Variable>;

let instances = 0;

/**
 * A dense layer initialised as `init` says, drawn from `rng` (not from tfjs's own generator,
 * so the initialisation is the same on every backend): weights first, then biases.
 */
function createDense(tf: Tf, params: Params, scope: string, name: string, inDim: number, outDim: number, rng: Random, init: VAEInit): Dense {
  const limit = init === 'pytorch' ? 1 / Math.sqrt(inDim) : Math.sqrt(6 / (inDim + outDim));
  const w = new Float32Array(inDim * outDim);
  for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-limit, limit);
  const b = new Float32Array(outDim);
  if (init === 'pytorch') for (let i = 0; i < outDim; i++) b[i] = rng.uniform(-limit, limit);
  // tfjs variable names are global: the scope keeps two models' names apart.
  const kernel = tf.tidy(() => tf.variable(tf.tensor2d(w, [inDim, outDim]), true, `${scope}/${name}/kernel`));
  const bias = tf.tidy(() => tf.variable(tf.tensor1d(b), true, `${scope}/${name}/bias`));
  params.set(`${name}/kernel`, kernel);
  params.set(`${name}/bias`, bias);
  return { kernel, bias };
}

/**
 * How a dense layer y = activation(x·W + b) is computed. `inputIsData`: x is the images, so
 * no gradient with respect to it is needed.
 */
export type DenseOp = (tf: Tf, layer: Dense, x: Tensor2D, activation: 'relu' | 'linear', inputIsData: boolean) => Tensor2D;

/** The layer as one tfjs op: tf.fused.matMul (matmul + bias + ReLU in one kernel where the backend has one). */
export const plainDense: DenseOp = (tf, layer, x, activation) =>
  tf.fused.matMul({ a: x, b: layer.kernel as unknown as Tensor2D, bias: layer.bias, activation }) as Tensor2D;

export interface Encoder {
  apply(x: Tensor2D, dense?: DenseOp): { mean: Tensor2D; logVar: Tensor2D };
}

export interface Decoder {
  /** Bernoulli logits, one per pixel. */
  apply(z: Tensor2D, dense?: DenseOp): Tensor2D;
  /** Its layers in order: the hidden ones (ReLU), then the output layer (linear, the logits). */
  readonly layers: readonly Dense[];
}

export function createEncoder(tf: Tf, o: ResolvedVAEOptions, params: Params, scope: string, rng: Random): Encoder {
  const hidden: Dense[] = [];
  let inDim = o.inputDim;
  o.hiddenUnits.forEach((units, i) => {
    hidden.push(createDense(tf, params, scope, `encoder/dense${i}`, inDim, units, rng, o.init));
    inDim = units;
  });
  const meanLayer = createDense(tf, params, scope, 'encoder/mean', inDim, o.latentDim, rng, o.init);
  const logVarLayer = createDense(tf, params, scope, 'encoder/logVar', inDim, o.latentDim, rng, o.init);
  return {
    apply(x, dense = plainDense) {
      let h = x;
      for (const layer of hidden) h = dense(tf, layer, h, 'relu', h === x);
      return { mean: dense(tf, meanLayer, h, 'linear', h === x), logVar: dense(tf, logVarLayer, h, 'linear', h === x) };
    },
  };
}

export function createDecoder(tf: Tf, o: ResolvedVAEOptions, params: Params, scope: string, rng: Random): Decoder {
  const hidden: Dense[] = [];
  let inDim = o.latentDim;
  [...o.hiddenUnits].reverse().forEach((units, i) => {
    hidden.push(createDense(tf, params, scope, `decoder/dense${i}`, inDim, units, rng, o.init));
    inDim = units;
  });
  const output = createDense(tf, params, scope, 'decoder/output', inDim, o.inputDim, rng, o.init);
  return {
    layers: [...hidden, output],
    apply(z, dense = plainDense) {
      let h = z;
      for (const layer of hidden) h = dense(tf, layer, h, 'relu', false);
      return dense(tf, output, h, 'linear', false);
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
