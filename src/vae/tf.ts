/**
 * Lazy access to TensorFlow.js.
 *
 * Loading @tensorflow/tfjs takes a noticeable moment and registers several backends, so the
 * library only requires it when a VAE is actually used: users who only want the
 * Gaussian mixtures never pay for it. Type-only imports are erased at compile time.
 */
import type * as TfModule from '@tensorflow/tfjs';

export type Tf = typeof TfModule;
export type Tensor = TfModule.Tensor;
export type Tensor1D = TfModule.Tensor1D;
export type Tensor2D = TfModule.Tensor2D;
export type Scalar = TfModule.Scalar;
export type Variable = TfModule.Variable;

let cached: Tf | undefined;

/** The tfjs module, loaded on first call. */
export function loadTf(): Tf {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (cached === undefined) cached = require('@tensorflow/tfjs') as Tf;
  return cached;
}
