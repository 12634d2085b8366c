/**
 * What a failed VAE.fit puts back. A step with a finite loss can already have broken the
 * weights before the step that failed, so "the step was not applied" is not enough: the
 * weights, Adam's state, the epoch count and the shuffling stream return to how they were
 * when the fit call began.
 */
import { Random } from '../random';
import type { Params } from './model';
import type { Tensor, Tf } from './tf';
import type { OptimizerSnapshot, VAEOptimizer } from './training-kernels';

export interface FitSnapshot {
  weights: Map<string, Tensor>;
  /** Undefined when the model had no optimizer yet (the fit creates it). */
  optimizer: OptimizerSnapshot | undefined;
  epochsTrained: number;
  rng: Random;
}

export function takeSnapshot(tf: Tf, params: Params, optimizer: VAEOptimizer | undefined, epochsTrained: number, rng: Random): FitSnapshot {
  const weights = new Map([...params].map(([name, v]) => [name, tf.clone(v)]));
  return { weights, optimizer: optimizer?.snapshot(), epochsTrained, rng: rng.clone() };
}

/** Assign the saved weights and optimizer state back (the caller restores epochsTrained and rng, and drops an optimizer the fit created). */
export function restoreSnapshot(s: FitSnapshot, params: Params): void {
  for (const [name, v] of params) v.assign(s.weights.get(name)!);
  s.optimizer?.restore();
}

export function disposeSnapshot(tf: Tf, s: FitSnapshot): void {
  tf.dispose([...s.weights.values()]);
  s.optimizer?.dispose();
}
