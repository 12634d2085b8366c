/**
 * What a training step computes with: how a dense layer runs, the loss and its gradient, the
 * optimizer. Two bundles give the same step:
 *
 * - 'reference': tfjs as a reader would write it: `tf.fused.matMul` layers, autodiff of
 *   ./loss's `vaeLoss`, `tf.train.adam`. Kept as the executable definition of training;
 * - 'fast' (./fast, the default): hand-written gradients, WebAssembly SIMD passes, native
 *   BLAS products when `nblas` loads. The same values to float32 rounding (tested against
 *   this reference).
 *
 * ./train picks one per fit call (FitOptions.training); nothing else knows the fast path.
 */
import type * as TfModule from '@tensorflow/tfjs';
import { vaeLoss } from './loss';
import { DenseOp, plainDense } from './model';
import type { Scalar, Tensor, Tensor2D, Tf, Variable } from './tf';

/** Which bundle trained a model; recorded in the fit history (and training.json). */
export type TrainingPath = 'fast' | 'reference';

export const TRAINING_PATHS: readonly TrainingPath[] = ['fast', 'reference'];

/** What the training loop needs from an optimizer. */
export interface VAEOptimizer {
  /** Read on every step, so a schedule may change it between steps. */
  learningRate: number;
  /** One update; `grads` maps variable names (Variable.name) to gradients. */
  applyGradients(grads: Record<string, Tensor>): void;
  /** A copy of the state (moments and step count), so a failed fit can put it back. */
  snapshot(): OptimizerSnapshot;
  dispose(): void;
}

export interface OptimizerSnapshot {
  /** Put the optimizer back as it was (moments of variables first seen since are dropped). */
  restore(): void;
  dispose(): void;
}

/** The fields of tfjs's AdamOptimizer that hold its state (tfjs-core 4.22, pinned). */
interface AdamState {
  accBeta1: Variable;
  accBeta2: Variable;
  accumulatedFirstMoment: { originalName: string; variable: Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: Variable }[];
}

/** The objective to differentiate, and [reconstruction, KL] batch means kept for the caller to read and dispose. */
export interface StepLoss {
  objective: Scalar;
  parts: Tensor;
}

export interface TrainingKernels {
  readonly path: TrainingPath;
  /** How the networks compute a dense layer inside the step. */
  readonly dense: DenseOp;
  loss(tf: Tf, x: Tensor2D, logits: Tensor2D, mean: Tensor2D, logVar: Tensor2D, klWeight: number): StepLoss;
  createOptimizer(tf: Tf, learningRate: number): VAEOptimizer;
  /** Runs the step's forward and backward pass (synchronous `fn`). */
  run<T>(fn: () => T): T;
}

/** tfjs's autodiff of `vaeLoss` with tfjs's own layers and Adam. */
export const referenceKernels: TrainingKernels = {
  path: 'reference',
  dense: plainDense,
  loss(tf, x, logits, mean, logVar, klWeight) {
    const loss = vaeLoss(tf, x, logits, mean, logVar, klWeight);
    return { objective: loss.objective, parts: tf.keep(tf.stack([loss.reconstruction, loss.kl])) };
  },
  createOptimizer: tfjsAdam,
  run: (fn) => fn(),
};

/** tf.train.adam(lr) (β₁ 0.9, β₂ 0.999, ε the backend's epsilon) behind the VAEOptimizer interface. */
export function tfjsAdam(tf: Tf, learningRate: number): VAEOptimizer {
  const adam = tf.train.adam(learningRate);
  // Adam reads its (protected) learningRate on every step.
  const state = adam as unknown as { learningRate: number };
  return {
    get learningRate() {
      return state.learningRate;
    },
    set learningRate(lr: number) {
      state.learningRate = lr;
    },
    applyGradients: (grads) => adam.applyGradients(grads as unknown as Parameters<TfModule.AdamOptimizer['applyGradients']>[0]),
    snapshot: () => {
      const a = adam as unknown as AdamState;
      const moments = [a.accumulatedFirstMoment, a.accumulatedSecondMoment];
      const copies = moments.map((list) => list.map((e) => tf.clone(e.variable)));
      const betas = [tf.clone(a.accBeta1), tf.clone(a.accBeta2)];
      return {
        restore() {
          moments.forEach((list, l) => {
            tf.dispose(list.slice(copies[l].length).map((e) => e.variable));
            list.length = copies[l].length;
            list.forEach((e, i) => e.variable.assign(copies[l][i]));
          });
          a.accBeta1.assign(betas[0]);
          a.accBeta2.assign(betas[1]);
        },
        dispose: () => tf.dispose([...copies.flat(), ...betas]),
      };
    },
    dispose: () => adam.dispose(),
  };
}
