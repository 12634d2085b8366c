/**
 * The VAE's training loop: a custom loop over tf.variableGrads and Adam rather than
 * layers.fit, so that each batch is gathered from a per-epoch permutation into one reusable
 * buffer (no shuffled copy of the whole set before the first step), every tensor is freed
 * each step, and a NaN loss stops training at the batch it appears.
 * Per step there is one upload of the batch and one read of the two loss numbers, which the
 * NaN check needs.
 *
 * What the step computes with is a training-kernels bundle (./training-kernels): tfjs's
 * reference (autodiff of `vaeLoss`, tf.train.adam) or the fast path (./fast, the default).
 */
import { Random } from '../random';
import { OptionNames, checkOptionNames, optionNames } from '../options';
import { fastKernels } from './fast';
import type { ImageSet } from './images';
import { normalNoise, reparameterise } from './loss';
import type { Decoder, Encoder, Params } from './model';
import { ProgressBar } from './progress';
import type { VAELosses } from './scoring';
import type { Tensor, Tensor2D, Tf, Variable } from './tf';
import { TRAINING_PATHS, TrainingKernels, TrainingPath, VAEOptimizer, referenceKernels } from './training-kernels';

/** What onBatchEnd receives. Losses are running means over the epoch so far (nats per image). */
export interface BatchEndInfo extends VAELosses {
  /** 1-based epoch of this fit call. */
  epoch: number;
  epochs: number;
  /** 1-based batch within the epoch. */
  batch: number;
  batches: number;
  /** Negative ELBO of this batch alone. */
  batchLoss: number;
  imagesPerSecond: number;
}

/** What onEpochEnd receives: the epoch's mean losses, and validation losses if asked for. */
export interface EpochEndInfo extends BatchEndInfo {
  seconds: number;
  learningRate: number;
  klWeight: number;
  valLoss?: number;
  valReconstruction?: number;
  valKl?: number;
}

export interface FitOptions {
  /** Passes over the training set (default 10). */
  epochs?: number;
  /** Images per gradient step (default 128); the last batch of an epoch may be smaller. */
  batchSize?: number;
  /** Adam's learning rate (default 1e-3). */
  learningRate?: number;
  /**
   * 'constant' (default), or 'cosine': the learning rate decays from `learningRate` to 0
   * along half a cosine over this fit call's epochs (set once per epoch).
   */
  learningRateSchedule?: 'constant' | 'cosine';
  /**
   * KL warm-up: the KL weight grows linearly from 0 to β over this many epochs (default 0,
   * no warm-up). Reported losses are always the plain negative ELBO.
   */
  klWarmup?: number;
  /** Images evaluated (negative ELBO) after every epoch, e.g. the test split. */
  validation?: ImageSet;
  onBatchEnd?: (info: BatchEndInfo) => void | Promise<void>;
  onEpochEnd?: (info: EpochEndInfo) => void | Promise<void>;
  /** Progress bar on stdout; default: only when stdout is a terminal. */
  verbose?: boolean;
  /**
   * What the training step computes with (./training-kernels): 'fast' (default) or
   * 'reference' (tfjs's autodiff of `vaeLoss` and tf.train.adam; the same losses to float32
   * rounding, several times slower on wasm). VAE_FAST_TRAINING=0 in the environment makes
   * 'reference' the default.
   */
  training?: TrainingPath;
}

/** Per-epoch history of a fit call, nats per image. */
export interface VAEHistory {
  loss: number[];
  reconstruction: number[];
  kl: number[];
  valLoss?: number[];
  valReconstruction?: number[];
  valKl?: number[];
  learningRate: number[];
  seconds: number[];
}

/** What the loop needs from the model. */
export interface TrainContext {
  tf: Tf;
  encoder: Encoder;
  decoder: Decoder;
  params: Params;
  kernels: TrainingKernels;
  optimizer: VAEOptimizer;
  rng: Random;
  inputDim: number;
  latentDim: number;
  beta: number;
  evaluate(set: ImageSet): Promise<VAELosses>;
  /** True once the model was disposed (say, from a callback): the loop must stop before its next step. */
  disposed(): boolean;
}

const FIT_OPTIONS: OptionNames<FitOptions> = { epochs: true, batchSize: true, learningRate: true, learningRateSchedule: true, klWarmup: true, validation: true, onBatchEnd: true, onEpochEnd: true, verbose: true, training: true };

export function checkFitOptions(options: FitOptions): Required<Pick<FitOptions, 'epochs' | 'batchSize' | 'learningRate' | 'klWarmup'>> {
  if (options === null || typeof options !== 'object') throw new Error(`fit options must be an object; got ${String(options)}.`);
  checkOptionNames(options, optionNames<FitOptions>(FIT_OPTIONS), 'VAE.fit');
  const { epochs = 10, batchSize = 128, learningRate = 1e-3, klWarmup = 0, learningRateSchedule = 'constant' } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`fit: epochs must be a positive integer; got ${epochs}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`fit: batchSize must be a positive integer; got ${batchSize}.`);
  if (!(learningRate > 0 && Number.isFinite(learningRate))) throw new Error(`fit: learningRate must be a positive number; got ${learningRate}.`);
  if (!(klWarmup >= 0 && Number.isFinite(klWarmup))) throw new Error(`fit: klWarmup must be a number of epochs ≥ 0; got ${klWarmup}.`);
  if (learningRateSchedule !== 'constant' && learningRateSchedule !== 'cosine') {
    throw new Error(`fit: learningRateSchedule must be 'constant' or 'cosine'; got ${String(learningRateSchedule)}.`);
  }
  if (options.training !== undefined && !TRAINING_PATHS.includes(options.training)) {
    throw new Error(`fit: training must be ${TRAINING_PATHS.map((p) => `'${p}'`).join(' or ')}; got ${String(options.training)}.`);
  }
  return { epochs, batchSize, learningRate, klWarmup };
}

/** The bundle FitOptions.training names; without it 'fast', unless VAE_FAST_TRAINING=0. */
export function chooseTrainingKernels(tf: Tf, training?: TrainingPath): TrainingKernels {
  const path = training ?? (process.env.VAE_FAST_TRAINING === '0' ? 'reference' : 'fast');
  return path === 'reference' ? referenceKernels : fastKernels(tf);
}

export async function fitLoop(ctx: TrainContext, images: Float32Array, count: number, options: FitOptions): Promise<VAEHistory> {
  const { epochs, batchSize, learningRate, klWarmup } = checkFitOptions(options);
  const { tf, inputDim } = ctx;
  const verbose = options.verbose ?? process.stdout.isTTY === true;
  const bar = verbose ? new ProgressBar(process.stdout, process.stdout.isTTY === true) : undefined;
  const history: VAEHistory = { loss: [], reconstruction: [], kl: [], learningRate: [], seconds: [] };
  if (options.validation !== undefined) Object.assign(history, { valLoss: [], valReconstruction: [], valKl: [] });
  const batches = Math.ceil(count / batchSize);
  const vars = [...ctx.params.values()];
  const batch = new Float32Array(Math.min(batchSize, count) * inputDim);

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const lr = options.learningRateSchedule === 'cosine' ? learningRate * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / epochs)) : learningRate;
    // Adam reads its (protected) learningRate on every step, so a schedule can set it per epoch.
    ctx.optimizer.learningRate = lr;
    const klWeight = ctx.beta * (klWarmup > 0 ? Math.min(1, epoch / klWarmup) : 1);
    const perm = ctx.rng.permutation(count);

    const start = performance.now();
    let seen = 0, sumRec = 0, sumKl = 0;
    let info: BatchEndInfo | undefined;
    for (let b = 0; b < batches; b++) {
      if (ctx.disposed()) {
        const done = b > 0 ? `epoch ${epoch}, batch ${b} of ${batches}` : epoch > 1 ? `after epoch ${epoch - 1}` : 'before the first batch';
        throw new Error(`VAE.fit: the VAE was disposed during training (${done}); the fit stopped there.`);
      }
      const rows = Math.min(batchSize, count - b * batchSize);
      const pixels = gatherRows(images, inputDim, perm.subarray(b * batchSize, b * batchSize + rows), batch);
      const [rec, kl] = step(ctx, vars, pixels, rows, klWeight);
      if (!Number.isFinite(rec) || !Number.isFinite(kl)) {
        throw new Error(
          `VAE training diverged: the loss became ${Number.isNaN(rec + kl) ? 'NaN' : 'infinite'} at epoch ${epoch}, batch ${b + 1} of ${batches} ` +
            `(reconstruction ${rec}, KL ${kl}; learning rate ${lr}). The step was not applied; lower the learning rate.`,
        );
      }
      seen += rows;
      sumRec += rec * rows;
      sumKl += kl * rows;
      const elapsed = (performance.now() - start) / 1000;
      info = {
        epoch, epochs, batch: b + 1, batches,
        loss: (sumRec + sumKl) / seen, reconstruction: sumRec / seen, kl: sumKl / seen,
        batchLoss: rec + kl, imagesPerSecond: seen / Math.max(elapsed, 1e-9),
      };
      bar?.update(info);
      if (options.onBatchEnd !== undefined) await options.onBatchEnd(info);
      // Let timers and I/O (notebook display updates, Ctrl-C) run between steps.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const seconds = (performance.now() - start) / 1000;
    const end: EpochEndInfo = { ...info!, seconds, learningRate: lr, klWeight };
    if (options.validation !== undefined) {
      const v = await ctx.evaluate(options.validation);
      Object.assign(end, { valLoss: v.loss, valReconstruction: v.reconstruction, valKl: v.kl });
      history.valLoss!.push(v.loss);
      history.valReconstruction!.push(v.reconstruction);
      history.valKl!.push(v.kl);
    }
    history.loss.push(end.loss);
    history.reconstruction.push(end.reconstruction);
    history.kl.push(end.kl);
    history.learningRate.push(lr);
    history.seconds.push(seconds);
    bar?.end(end, `${end.valLoss === undefined ? '' : ` | val ${end.valLoss.toFixed(2)}`} | ${seconds.toFixed(1)} s`);
    if (options.onEpochEnd !== undefined) await options.onEpochEnd(end);
  }
  return history;
}

/**
 * Rows `indices` of `images` (row-major, `cols` wide), copied in that order to the front of
 * `into`; returns that part of it. The step uploads it at once, so the buffer is reused.
 */
function gatherRows(images: Float32Array, cols: number, indices: Uint32Array, into: Float32Array): Float32Array {
  for (let i = 0; i < indices.length; i++) into.set(images.subarray(indices[i] * cols, (indices[i] + 1) * cols), i * cols);
  return into.subarray(0, indices.length * cols);
}

/** One Adam step on one batch; returns its mean reconstruction and KL (nats per image). */
function step(ctx: TrainContext, vars: Variable[], pixels: Float32Array, rows: number, klWeight: number): [number, number] {
  const { tf, kernels } = ctx;
  const x = tf.tensor2d(pixels, [rows, ctx.inputDim]);
  const eps = normalNoise(tf, ctx.rng, rows, ctx.latentDim);
  let parts: Tensor | undefined;
  const { value, grads } = kernels.run(() => tf.variableGrads(() => {
    const { mean, logVar } = ctx.encoder.apply(x, kernels.dense);
    const logits = ctx.decoder.apply(reparameterise(tf, mean, logVar, eps as Tensor2D), kernels.dense);
    const loss = kernels.loss(tf, x, logits, mean, logVar, klWeight);
    parts = loss.parts;
    return loss.objective;
  }, vars));
  try {
    const [rec, kl] = parts!.dataSync();
    // A non-finite loss gives non-finite gradients: do not let them into the weights.
    if (Number.isFinite(rec) && Number.isFinite(kl)) ctx.optimizer.applyGradients(grads);
    return [rec, kl];
  } finally {
    tf.dispose([x, eps, value, parts!, ...Object.values(grads)]);
  }
}
