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
import { Random } from '../random';
import { fastIwaeKernels } from './fast';
import { checkOptionNames } from '../options';
import { ensureBackend, requireBackend } from './backend';
import { mapRowChunks } from './chunks';
import { ImageSet, checkImages } from './images';
import { SavedMetadata, assignWeights, loadWeights, pretrainedDir, saveWeights } from './io';
import { LatentGridSpec, latentGridPoints } from './latent-grid';
import { checkLatents, lineCodes, nested, planeCodes, priorCodes } from './latents';
import { Decoder, Encoder, Params, ResolvedVAEOptions, VAEOptions, createNetworks, resolveOptions } from './model';
import { LogLikelihood, Scored, VAELosses, iwaeLogLikelihood, negativeElbo } from './scoring';
import type { Tensor, Tf } from './tf';
import { disposeSnapshot, restoreSnapshot, takeSnapshot } from './fit-snapshot';
import { FitOptions, TrainContext, VAEHistory, checkFitOptions, chooseTrainingKernels, fitLoop } from './train';
import type { TrainingPath, VAEOptimizer } from './training-kernels';

/** Images (or rows of pixels) the VAE accepts: an ImageSet or count × inputDim pixels. */
export type ImageInput = ImageSet | Float32Array;

interface Networks {
  encoder: Encoder;
  decoder: Decoder;
  params: Params;
}

export class VAE {
  readonly options: ResolvedVAEOptions;
  /** Epochs trained over all fit calls (restored by load). */
  epochsTrained = 0;
  /** model.json's userDefinedMetadata when the model was loaded from disk. */
  metadata?: SavedMetadata;
  private nets?: Networks;
  /** Adam's state, kept between fit calls, and the training path it belongs to. */
  private optimizer?: { path: TrainingPath; adam: VAEOptimizer };
  /** Stream of the training noise and shuffling, derived from the seed. */
  private rng?: Random;
  private disposed = false;
  /** A fit call is running (fits on one model must not interleave). */
  private training = false;

  /**
   * Cheap: only validates the options. The weights are created (seeded, as `options.init` says)
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
    const { metadata, options, weights } = await loadWeights(tf, dir);
    let vae: VAE | undefined;
    try {
      vae = new VAE(options);
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

  /** Which training kernels trained this model (FitOptions.training); undefined before the first fit. */
  get trainingPath(): TrainingPath | undefined {
    return this.optimizer?.path;
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
   * Throws, naming epoch and batch, if the loss becomes NaN or infinite. `options.training`
   * chooses the training kernels (fast by default; see FitOptions).
   */
  async fit(set: ImageInput, options: FitOptions = {}): Promise<VAEHistory> {
    // Two fits at once would interleave their batches on one optimiser.
    if (this.training) throw new Error('VAE.fit: this VAE is already training (another fit call has not finished); await it first, or train a second VAE.');
    this.training = true;
    return this.fitOnce(set, options).finally(() => (this.training = false));
  }

  private async fitOnce(set: ImageInput, options: FitOptions): Promise<VAEHistory> {
    const tf = await ensureBackend();
    const { images, count } = checkImages(set, this.options.inputDim, 'VAE.fit');
    if (options.validation !== undefined) checkImages(options.validation, this.options.inputDim, 'VAE.fit (validation)');
    const { learningRate } = checkFitOptions(options);
    const { encoder, decoder, params } = this.networks('VAE.fit');
    const kernels = chooseTrainingKernels(tf, options.training);
    if (this.optimizer !== undefined && this.optimizer.path !== kernels.path) {
      throw new Error(
        `VAE.fit: this model's Adam state comes from the '${this.optimizer.path}' training path, and its moments cannot move to ` +
          `the '${kernels.path}' one; fit it with training: '${this.optimizer.path}', or start a new VAE.`,
      );
    }
    const before = takeSnapshot(tf, params, this.optimizer?.adam, this.epochsTrained, this.rng!);
    this.optimizer ??= { path: kernels.path, adam: kernels.createOptimizer(tf, learningRate) };
    const onEpochEnd = options.onEpochEnd;
    const context: TrainContext = {
      tf, encoder, decoder, params, kernels, optimizer: this.optimizer.adam, rng: this.rng!,
      inputDim: this.options.inputDim, latentDim: this.options.latentDim, beta: this.options.beta,
      evaluate: (s) => this.evaluate(s),
      disposed: () => this.disposed,
    };
    try {
      return await fitLoop(context, images, count, {
        ...options,
        onEpochEnd: async (info) => {
          this.epochsTrained++;
          if (onEpochEnd !== undefined) await onEpochEnd(info);
        },
      });
    } catch (err) {
      if (!this.disposed) {
        restoreSnapshot(before, params);
        if (before.optimizer === undefined) {
          this.optimizer.adam.dispose(); // created by this fit
          this.optimizer = undefined;
        }
        this.epochsTrained = before.epochsTrained;
        this.rng = before.rng;
        if (err instanceof Error) err.message += ' The model was restored to its state before this fit call.';
      }
      throw err;
    } finally {
      disposeSnapshot(tf, before);
    }
  }

  /**
   * Negative ELBO on `set`, nats per image, with one z sample per image drawn with `seed`
   * (so repeated calls agree): loss = reconstruction + kl, whatever β is.
   */
  async evaluate(set: ImageInput, options: { seed?: number } = {}): Promise<VAELosses> {
    checkOptionNames(options, ['seed'], 'VAE.evaluate');
    const tf = await ensureBackend();
    const { images, count } = checkImages(set, this.options.inputDim, 'VAE.evaluate');
    return negativeElbo(this.scored(tf, 'VAE.evaluate'), images, count, options.seed ?? 0);
  }

  /**
   * Importance-weighted estimate of log p(x) (Burda et al.'s IWAE bound): for each image,
   * log (1/k) Σ p(x|zᵢ) p(zᵢ) / q(zᵢ|x) with k = `samples` draws zᵢ ~ q(z|x). It is a lower
   * bound that tightens as k grows (k = 1 is the ELBO). Batched to about `batchRows`
   * decoded samples at a time so memory stays bounded. Cost grows with k: k decodes per image,
   * on native BLAS when it is available, skipping the hidden units a block of samples leaves
   * at zero (./fast/iwae; the reference kernels in ./scoring give the same values).
   */
  async logLikelihood(set: ImageInput, options: { samples?: number; seed?: number; batchRows?: number } = {}): Promise<LogLikelihood> {
    checkOptionNames(options, ['samples', 'seed', 'batchRows'], 'VAE.logLikelihood');
    const { samples = 100, seed = 0, batchRows = 5000 } = options;
    if (!Number.isInteger(samples) || samples < 1) throw new Error(`logLikelihood: samples must be a positive integer; got ${samples}.`);
    if (!Number.isInteger(batchRows) || batchRows < 1) throw new Error(`logLikelihood: batchRows must be a positive integer; got ${batchRows}.`);
    const tf = await ensureBackend();
    const { images, count } = checkImages(set, this.options.inputDim, 'VAE.logLikelihood');
    return iwaeLogLikelihood(this.scored(tf, 'VAE.logLikelihood'), images, count, { samples, seed, batchRows }, fastIwaeKernels(tf, count * samples));
  }

  /** Mean and log-variance of q(z|x) for each image: count rows of latentDim numbers. */
  encode(set: ImageInput): { mean: number[][]; logVar: number[][] } {
    const tf = requireBackend('VAE.encode');
    const { images, count } = checkImages(set, this.options.inputDim, 'VAE.encode');
    const { encoder } = this.networks('VAE.encode');
    const [mean, logVar] = mapRowChunks(tf, images, this.options.inputDim, count, (x) => {
      const q = encoder.apply(x);
      return [q.mean, q.logVar];
    });
    return { mean: nested(mean, this.options.latentDim), logVar: nested(logVar, this.options.latentDim) };
  }

  /**
   * Decode latent codes into images: count × inputDim pixel probabilities (the sigmoid
   * of the Bernoulli logits, i.e. the mean image of p(x|z)), image after image.
   */
  decode(z: number[][]): Float32Array {
    const tf = requireBackend('VAE.decode');
    const flat = checkLatents(z, this.options.latentDim, 'VAE.decode');
    return this.decodeFlat(tf, flat, z.length, 'VAE.decode');
  }

  /** Decode the mean of q(z|x) for each image: a deterministic reconstruction. */
  reconstruct(set: ImageInput): Float32Array {
    const tf = requireBackend('VAE.reconstruct');
    const { images, count } = checkImages(set, this.options.inputDim, 'VAE.reconstruct');
    const { encoder, decoder } = this.networks('VAE.reconstruct');
    return mapRowChunks(tf, images, this.options.inputDim, count, (x) => [tf.sigmoid(decoder.apply(encoder.apply(x).mean))])[0];
  }

  /** `n` new images: z ~ N(0, I) drawn with `seed`, decoded to pixel probabilities. */
  generate(n: number, seed = 0): Float32Array {
    const tf = requireBackend('VAE.generate');
    if (!Number.isInteger(n) || n < 1) throw new Error(`VAE.generate: n must be a positive integer; got ${n}.`);
    return this.decodeFlat(tf, priorCodes(n, this.options.latentDim, new Random(seed)), n, 'VAE.generate');
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
    return this.decodeFlat(tf, planeCodes(points, this.options.latentDim), points.length, 'VAE.latentGrid');
  }

  /** `steps` images decoded along the straight line from zA to zB, both ends included. */
  interpolate(zA: number[], zB: number[], steps = 10): Float32Array {
    const tf = requireBackend('VAE.interpolate');
    if (!Number.isInteger(steps) || steps < 2) throw new Error(`VAE.interpolate: steps must be an integer ≥ 2; got ${steps}.`);
    return this.decodeFlat(tf, lineCodes(zA, zB, steps, this.options.latentDim, 'VAE.interpolate'), steps, 'VAE.interpolate');
  }

  /**
   * Write model.json + weights.bin (tfjs layout) into `dir`, created if needed. The VAE
   * options and epochsTrained go into model.json's userDefinedMetadata, with `metadata`.
   * Adam's state is not saved.
   */
  async save(dir: string, metadata: Record<string, unknown> = {}): Promise<void> {
    const tf = await ensureBackend();
    if (typeof dir !== 'string' || dir === '') throw new Error(`VAE.save: dir must be a folder path (a non-empty string); got ${JSON.stringify(dir)}.`);
    const { params } = this.networks('VAE.save');
    await saveWeights(tf, dir, params as Map<string, Tensor>, { ...metadata, vaeOptions: this.options, epochsTrained: this.epochsTrained });
  }

  /** Free the weights and Adam's state. The model cannot be used afterwards. */
  dispose(): void {
    if (this.nets !== undefined) for (const v of this.nets.params.values()) v.dispose();
    this.optimizer?.adam.dispose();
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

  private scored(tf: Tf, what: string): Scored {
    const { encoder, decoder } = this.networks(what);
    return { tf, encoder, decoder, inputDim: this.options.inputDim, latentDim: this.options.latentDim };
  }

  private decodeFlat(tf: Tf, z: Float32Array, count: number, what: string): Float32Array {
    const { decoder } = this.networks(what);
    return mapRowChunks(tf, z, this.options.latentDim, count, (zs) => [tf.sigmoid(decoder.apply(zs))])[0];
  }
}
