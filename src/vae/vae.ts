/**
 * A variational autoencoder (Kingma & Welling 2014) for images with pixels in [0, 1]:
 * MLP encoder → q(z|x) = N(mean, diag(exp(logVar))), MLP decoder → Bernoulli logits.
 *
 * Sync vs async: training and scoring (`fit`, `evaluate`, `logLikelihood`, `save`) and
 * construction from files (`VAE.create`, `VAE.load`, `VAE.pretrained`) are async and start
 * the tfjs backend themselves. The inference helpers (`encode`, `decode`, `reconstruct`,
 * `generate`, `latentGrid`, `interpolate`) are synchronous, which reads better in a
 * notebook; they need a started backend, which is the case after any of the async calls
 * above or `await initBackend()`.
 */
import { existsSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { Random } from '../random';
import { ensureBackend, requireBackend } from './backend';
import { VAEOptimizer, createAdam } from './fused-adam';
import { ImageSet, checkImages } from './images';
import { SavedMetadata, loadWeights, saveWeights } from './io';
import {
  Decoder, Encoder, Params, ResolvedVAEOptions, VAEOptions,
  createNetworks, klPerImage, normalNoise, reconstructionPerImage, reparameterise, resolveOptions,
} from './model';
import type { Tensor, Tensor2D, Tf } from './tf';
import { FitOptions, VAEHistory, VAELosses, checkFitOptions, fitLoop } from './train';
import { LatentGridSpec, latentGridPoints } from './latent-grid';

/** Images (or rows of pixels) the VAE accepts: an ImageSet or count × inputDim pixels. */
export type ImageInput = ImageSet | Float32Array;

/** Importance-weighted estimate of log p(x) (IWAE bound with `samples` samples). */
export interface LogLikelihood {
  /** Mean over images of the estimate of log p(x), nats per image (negative). */
  logLikelihood: number;
  /** The estimate for each image. */
  perImage: Float32Array;
  samples: number;
}

interface Networks {
  encoder: Encoder;
  decoder: Decoder;
  params: Params;
}

/** Rows per forward pass in inference and evaluation, to bound memory. */
const CHUNK = 2048;

export class VAE {
  readonly options: ResolvedVAEOptions;
  /** Epochs trained over all fit calls (restored by load). */
  epochsTrained = 0;
  /** model.json's userDefinedMetadata when the model was loaded from disk. */
  metadata?: SavedMetadata;
  private nets?: Networks;
  private optimizer?: VAEOptimizer;
  /** Stream of the training noise and shuffling, derived from the seed. */
  private rng?: Random;
  private disposed = false;

  /**
   * Cheap: only validates the options. The weights are created (seeded Glorot-uniform)
   * on first use, once a backend is running.
   */
  constructor(options: VAEOptions = {}) {
    this.options = resolveOptions(options);
  }

  /** A new VAE with initialised weights, after starting the backend. */
  static async create(options: VAEOptions = {}): Promise<VAE> {
    await ensureBackend();
    const vae = new VAE(options);
    vae.networks('VAE.create');
    return vae;
  }

  /** Load a model saved by `save(dir)`. */
  static async load(dir: string): Promise<VAE> {
    const tf = await ensureBackend();
    const { metadata, weights } = await loadWeights(tf, dir);
    let vae: VAE | undefined;
    try {
      vae = new VAE(metadata.vaeOptions);
      const { params } = vae.networks('VAE.load');
      assignWeights(tf, params, weights, dir);
      vae.epochsTrained = Number(metadata.epochsTrained) || 0;
      vae.metadata = metadata;
      return vae;
    } catch (err) {
      vae?.dispose();
      throw err;
    } finally {
      tf.dispose([...weights.values()]);
    }
  }

  /**
   * The weights shipped with the package (weights/vae-mnist-mlp), trained on
   * loadMnist()'s train split by `npm run train:vae`; see training.json there.
   */
  static async pretrained(): Promise<VAE> {
    return VAE.load(pretrainedDir());
  }

  /** Number of trainable weights. */
  get numParams(): number {
    let n = 0;
    for (const v of this.networks('numParams').params.values()) n += v.size;
    return n;
  }

  /**
   * Train with Adam on `set` (shuffled every epoch with the model's seed). Returns the
   * per-epoch history in nats per image. Adam's state is kept for later fit calls.
   * Throws, naming epoch and batch, if the loss becomes NaN or infinite.
   */
  async fit(set: ImageInput, options: FitOptions = {}): Promise<VAEHistory> {
    const tf = await ensureBackend();
    const { images, count } = checkImages(set, this.options.inputDim, 'VAE.fit');
    if (options.validation !== undefined) checkImages(options.validation, this.options.inputDim, 'VAE.fit (validation)');
    const { learningRate } = checkFitOptions(options);
    const { encoder, decoder, params } = this.networks('VAE.fit');
    this.optimizer ??= createAdam(tf, learningRate);
    const onEpochEnd = options.onEpochEnd;
    return fitLoop(
      {
        tf, encoder, decoder, params, optimizer: this.optimizer, rng: this.rng!,
        inputDim: this.options.inputDim, latentDim: this.options.latentDim, beta: this.options.beta,
        evaluate: (s) => this.evaluate(s),
      },
      images,
      count,
      {
        ...options,
        onEpochEnd: async (info) => {
          this.epochsTrained++;
          if (onEpochEnd !== undefined) await onEpochEnd(info);
        },
      },
    );
  }

  /**
   * Negative ELBO on `set`, nats per image, with one z sample per image drawn with `seed`
   * (so repeated calls agree): loss = reconstruction + kl, whatever β is.
   */
  async evaluate(set: ImageInput, options: { seed?: number } = {}): Promise<VAELosses> {
    const tf = await ensureBackend();
    const { images, count } = checkImages(set, this.options.inputDim, 'VAE.evaluate');
    const { encoder, decoder } = this.networks('VAE.evaluate');
    const rng = new Random(options.seed ?? 0);
    let rec = 0, kl = 0;
    for (let start = 0; start < count; start += CHUNK) {
      const rows = Math.min(CHUNK, count - start);
      const sums = tf.tidy(() => {
        const x = this.rows(tf, images, start, rows);
        const { mean, logVar } = encoder.apply(x);
        const z = reparameterise(tf, mean, logVar, normalNoise(tf, rng, rows, this.options.latentDim));
        return tf.stack([reconstructionPerImage(tf, x, decoder.apply(z)).sum(), klPerImage(tf, mean, logVar).sum()]);
      });
      const [r, k] = await sums.data();
      sums.dispose();
      rec += r;
      kl += k;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { loss: (rec + kl) / count, reconstruction: rec / count, kl: kl / count };
  }

  /**
   * Importance-weighted estimate of log p(x) (Burda et al.'s IWAE bound): for each image,
   * log (1/k) Σ p(x|zᵢ) p(zᵢ) / q(zᵢ|x) with k = `samples` draws zᵢ ~ q(z|x). It is a lower
   * bound that tightens as k grows (k = 1 is the ELBO). Batched to about `batchRows`
   * decoded samples at a time so memory stays bounded. Cost grows with k: about k forward
   * passes of the decoder per image.
   */
  async logLikelihood(set: ImageInput, options: { samples?: number; seed?: number; batchRows?: number } = {}): Promise<LogLikelihood> {
    const { samples = 100, seed = 0, batchRows = 5000 } = options;
    if (!Number.isInteger(samples) || samples < 1) throw new Error(`logLikelihood: samples must be a positive integer; got ${samples}.`);
    if (!Number.isInteger(batchRows) || batchRows < 1) throw new Error(`logLikelihood: batchRows must be a positive integer; got ${batchRows}.`);
    const tf = await ensureBackend();
    const { images, count } = checkImages(set, this.options.inputDim, 'VAE.logLikelihood');
    const { encoder, decoder } = this.networks('VAE.logLikelihood');
    const d = this.options.latentDim;
    const rng = new Random(seed);
    const perImage = new Float32Array(count);
    const imagesPerBatch = Math.max(1, Math.floor(batchRows / samples));
    const logNormalConst = -0.5 * d * Math.log(2 * Math.PI);
    for (let start = 0; start < count; start += imagesPerBatch) {
      const rows = Math.min(imagesPerBatch, count - start);
      const result = tf.tidy(() => {
        const x = this.rows(tf, images, start, rows);
        const { mean, logVar } = encoder.apply(x);
        // Row i·k + s is sample s of image i. gather, because wasm's Tile is very slow.
        const index = tf.tensor1d(Int32Array.from({ length: rows * samples }, (_, r) => Math.floor(r / samples)), 'int32');
        const repeat = (t: Tensor2D): Tensor2D => tf.gather(t, index);
        const eps = normalNoise(tf, rng, rows * samples, d);
        const lv = repeat(logVar);
        const z = reparameterise(tf, repeat(mean), lv, eps);
        const logPxz = repeatedReconstruction(tf, x, decoder.apply(z), samples).neg();
        const logPz = z.square().sum(1).mul(-0.5).add(logNormalConst);
        const logQz = eps.square().add(lv).sum(1).mul(-0.5).add(logNormalConst);
        const logW = logPxz.add(logPz).sub(logQz).reshape([rows, samples]);
        return tf.logSumExp(logW, 1).sub(Math.log(samples));
      });
      perImage.set(await result.data(), start);
      result.dispose();
      await new Promise((resolve) => setImmediate(resolve));
    }
    let sum = 0;
    for (const v of perImage) sum += v;
    return { logLikelihood: sum / count, perImage, samples };
  }

  /** Mean and log-variance of q(z|x) for each image: count rows of latentDim numbers. */
  encode(set: ImageInput): { mean: number[][]; logVar: number[][] } {
    const tf = requireBackend('VAE.encode');
    const { images, count } = checkImages(set, this.options.inputDim, 'VAE.encode');
    const { encoder } = this.networks('VAE.encode');
    const d = this.options.latentDim;
    const meanFlat = new Float32Array(count * d);
    const logVarFlat = new Float32Array(count * d);
    for (let start = 0; start < count; start += CHUNK) {
      const rows = Math.min(CHUNK, count - start);
      const [m, lv] = tf.tidy(() => {
        const { mean, logVar } = encoder.apply(this.rows(tf, images, start, rows));
        return [mean.dataSync(), logVar.dataSync()];
      });
      meanFlat.set(m, start * d);
      logVarFlat.set(lv, start * d);
    }
    return { mean: nested(meanFlat, d), logVar: nested(logVarFlat, d) };
  }

  /**
   * Decode latent codes into images: count × inputDim pixel probabilities (the sigmoid
   * of the Bernoulli logits, i.e. the mean image of p(x|z)), image after image.
   */
  decode(z: number[][]): Float32Array {
    const tf = requireBackend('VAE.decode');
    const flat = this.checkLatents(z, 'VAE.decode');
    return this.decodeFlat(tf, flat, z.length, 'VAE.decode');
  }

  /** Decode the mean of q(z|x) for each image: a deterministic reconstruction. */
  reconstruct(set: ImageInput): Float32Array {
    const tf = requireBackend('VAE.reconstruct');
    const { images, count } = checkImages(set, this.options.inputDim, 'VAE.reconstruct');
    const { encoder, decoder } = this.networks('VAE.reconstruct');
    const out = new Float32Array(count * this.options.inputDim);
    for (let start = 0; start < count; start += CHUNK) {
      const rows = Math.min(CHUNK, count - start);
      const probs = tf.tidy(() => tf.sigmoid(decoder.apply(encoder.apply(this.rows(tf, images, start, rows)).mean)).dataSync());
      out.set(probs, start * this.options.inputDim);
    }
    return out;
  }

  /** `n` new images: z ~ N(0, I) drawn with `seed`, decoded to pixel probabilities. */
  generate(n: number, seed = 0): Float32Array {
    const tf = requireBackend('VAE.generate');
    if (!Number.isInteger(n) || n < 1) throw new Error(`VAE.generate: n must be a positive integer; got ${n}.`);
    const rng = new Random(seed);
    const z = new Float32Array(n * this.options.latentDim);
    for (let i = 0; i < z.length; i++) z[i] = rng.normal();
    return this.decodeFlat(tf, z, n, 'VAE.generate');
  }

  /**
   * The learned manifold: an n × n grid of decoded images over the first two latent
   * dimensions (any others held at 0). `spec` spaces the values along each axis:
   * a range `[low, high]` (default [-3, 3]) spaces them evenly, so the axes read as z
   * values; `{ spacing: 'quantile' }` takes Φ⁻¹ of evenly spaced probabilities, so each
   * row and column covers the same share of the prior (Kingma & Welling's figure); see
   * `LatentGridOptions`. Image k = i·n + j (row i from the top, column j from the left)
   * decodes z = latentGridPoints(n, spec)[k]: z₀ grows left to right, z₁ grows bottom to
   * top, like a plot's axes, and in the order src/plot's `manifoldGrid` displays.
   */
  latentGrid(n: number, spec: LatentGridSpec = [-3, 3]): Float32Array {
    const tf = requireBackend('VAE.latentGrid');
    if (this.options.latentDim < 2) throw new Error(`VAE.latentGrid needs latentDim ≥ 2; this model has ${this.options.latentDim}.`);
    const points = latentGridPoints(n, spec);
    const d = this.options.latentDim;
    const z = new Float32Array(points.length * d);
    points.forEach(([a, b], k) => {
      z[k * d] = a;
      z[k * d + 1] = b;
    });
    return this.decodeFlat(tf, z, points.length, 'VAE.latentGrid');
  }

  /** `steps` images decoded along the straight line from zA to zB, both ends included. */
  interpolate(zA: number[], zB: number[], steps = 10): Float32Array {
    const tf = requireBackend('VAE.interpolate');
    if (!Number.isInteger(steps) || steps < 2) throw new Error(`VAE.interpolate: steps must be an integer ≥ 2; got ${steps}.`);
    this.checkLatents([zA], 'VAE.interpolate (zA)');
    this.checkLatents([zB], 'VAE.interpolate (zB)');
    const d = this.options.latentDim;
    const z = new Float32Array(steps * d);
    for (let s = 0; s < steps; s++) {
      const t = s / (steps - 1);
      for (let j = 0; j < d; j++) z[s * d + j] = (1 - t) * zA[j] + t * zB[j];
    }
    return this.decodeFlat(tf, z, steps, 'VAE.interpolate');
  }

  /**
   * Write model.json + weights.bin (tfjs layout) into `dir`, created if needed. The VAE
   * options and epochsTrained go into model.json's userDefinedMetadata, with `metadata`.
   * Adam's state is not saved.
   */
  async save(dir: string, metadata: Record<string, unknown> = {}): Promise<void> {
    const tf = await ensureBackend();
    const { params } = this.networks('VAE.save');
    await saveWeights(tf, dir, params as Map<string, Tensor>, { ...metadata, vaeOptions: this.options, epochsTrained: this.epochsTrained });
  }

  /** Free the weights and Adam's state. The model cannot be used afterwards. */
  dispose(): void {
    if (this.nets !== undefined) for (const v of this.nets.params.values()) v.dispose();
    this.optimizer?.dispose();
    this.nets = undefined;
    this.optimizer = undefined;
    this.disposed = true;
  }

  private networks(what: string): Networks {
    if (this.disposed) throw new Error(`${what}: this VAE has been disposed.`);
    if (this.nets === undefined) {
      const tf = requireBackend(what);
      const rng = new Random(this.options.seed);
      this.nets = createNetworks(tf, this.options, rng);
      this.rng = new Random(rng.nextSeed());
    }
    return this.nets;
  }

  private rows(tf: Tf, images: Float32Array, start: number, rows: number): Tensor2D {
    const dim = this.options.inputDim;
    return tf.tensor2d(images.subarray(start * dim, (start + rows) * dim), [rows, dim]);
  }

  private decodeFlat(tf: Tf, z: Float32Array, count: number, what: string): Float32Array {
    const { decoder } = this.networks(what);
    const d = this.options.latentDim;
    const out = new Float32Array(count * this.options.inputDim);
    for (let start = 0; start < count; start += CHUNK) {
      const rows = Math.min(CHUNK, count - start);
      const probs = tf.tidy(() => tf.sigmoid(decoder.apply(tf.tensor2d(z.subarray(start * d, (start + rows) * d), [rows, d]))).dataSync());
      out.set(probs, start * this.options.inputDim);
    }
    return out;
  }

  private checkLatents(z: number[][], what: string): Float32Array {
    const d = this.options.latentDim;
    if (!Array.isArray(z) || z.length === 0) throw new Error(`${what}: expected a non-empty array of latent vectors (number[][]).`);
    const flat = new Float32Array(z.length * d);
    z.forEach((row, i) => {
      if (!Array.isArray(row) && !ArrayBuffer.isView(row)) throw new Error(`${what}: latent vector ${i} is not an array.`);
      if (row.length !== d) throw new Error(`${what}: latent vector ${i} has length ${row.length}; this model's latentDim is ${d}.`);
      for (let j = 0; j < d; j++) {
        if (!Number.isFinite(row[j])) throw new Error(`${what}: latent vector ${i} has ${row[j]} at position ${j}; values must be finite.`);
        flat[i * d + j] = row[j];
      }
    });
    return flat;
  }
}

/** Where the shipped weights are: weights/vae-mnist-mlp at the package root. */
export function pretrainedDir(): string {
  // dist/vae/vae.js → ../../weights; searching upwards also covers other build folders.
  let dir = __dirname;
  for (let up = 0; up < 5; up++) {
    const candidate = join(dir, 'weights', 'vae-mnist-mlp');
    if (existsSync(join(candidate, 'model.json'))) return candidate;
    dir = dirname(dir);
  }
  const fromCwd = resolve('weights', 'vae-mnist-mlp');
  if (existsSync(join(fromCwd, 'model.json'))) return fromCwd;
  throw new Error(`VAE.pretrained: no weights/vae-mnist-mlp/model.json found above ${__dirname}; run \`npm run train:vae\` to create them.`);
}

function assignWeights(tf: Tf, params: Params, weights: Map<string, Tensor>, dir: string): void {
  for (const name of weights.keys()) {
    if (!params.has(name)) throw new Error(`VAE.load: ${dir} has an unexpected weight '${name}' for a model with these options.`);
  }
  for (const [name, variable] of params) {
    const w = weights.get(name);
    if (w === undefined) throw new Error(`VAE.load: ${dir} lacks weight '${name}'.`);
    if (w.shape.join() !== variable.shape.join()) {
      throw new Error(`VAE.load: weight '${name}' has shape [${w.shape}] in ${dir}, but the model options need [${variable.shape}].`);
    }
    const finite = tf.tidy(() => tf.all(tf.isFinite(w)).dataSync()[0]);
    if (!finite) throw new Error(`VAE.load: weight '${name}' in ${dir} contains NaN or infinite values (corrupt weights.bin?).`);
  }
  for (const [name, variable] of params) variable.assign(weights.get(name)!);
}

/**
 * reconstructionPerImage for `samples` consecutive logit rows per image of x, without
 * repeating x: the x·logits term becomes one batched matrix product per image.
 */
function repeatedReconstruction(tf: Tf, x: Tensor2D, logits: Tensor2D, samples: number): Tensor {
  const [rows, dim] = x.shape;
  const softplusSum = tf.relu(logits).add(tf.log1p(tf.exp(tf.neg(tf.abs(logits))))).sum(1);
  const xDotLogits = tf.matMul(logits.reshape([rows, samples, dim]), x.reshape([rows, dim, 1])).reshape([rows * samples]);
  return softplusSum.sub(xDotLogits);
}

function nested(flat: Float32Array, cols: number): number[][] {
  const out: number[][] = new Array(flat.length / cols);
  for (let i = 0; i < out.length; i++) out[i] = Array.from(flat.subarray(i * cols, (i + 1) * cols));
  return out;
}
