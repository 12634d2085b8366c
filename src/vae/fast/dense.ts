/**
 * A dense layer (x·W + b, then ReLU or nothing) with a hand-written gradient, for training
 * steps. tfjs differentiates the layer op by op (matMul, add, relu: each taped, its inputs
 * cloned, its gradient a few more kernels, the bias gradient a transpose plus a row sum);
 * here the forward is one `_FusedMatMul` kernel and the backward five:
 *   g = dy ⊙ [y > 0] (ReLU only; one wasm SIMD pass),  dx = g·Wᵀ,  dW = xᵀ·g,  db = 1ᵀ·g.
 * Inside the training scope (./scope) the three products go to native BLAS (./native-matmul). With `inputNeedsGrad`
 * false (the data layer) dx, the costliest product, is skipped.
 */
import type { Dense, DenseOp } from '../model';
import type { Tensor, Tensor2D, Tf } from '../tf';
import { reluGradWasm } from './wasm-ops';

/** The model's DenseOp for training steps on wasm. */
export const wasmDense: DenseOp = (tf, layer, x, activation, inputIsData) => denseWithGrad(tf, layer, x, activation, !inputIsData);

export function denseWithGrad(tf: Tf, layer: Dense, x: Tensor2D, activation: 'relu' | 'linear', inputNeedsGrad: boolean): Tensor2D {
  const [rows] = x.shape;
  const units = layer.kernel.shape[1] as number;
  const forward = (input: Tensor2D): Tensor2D => {
    // The kernel itself (not tf.fused.matMul, which splits off the ReLU while gradients are recorded).
    const out = tf.engine().runKernel(
      '_FusedMatMul',
      { a: input.reshape([1, rows, input.shape[1]]), b: layer.kernel.reshape([1, layer.kernel.shape[0] as number, units]), bias: layer.bias },
      { transposeA: false, transposeB: false, activation, leakyreluAlpha: 0 } as never,
    ) as Tensor;
    return out.reshape([rows, units]) as Tensor2D;
  };
  const backward = (dy: Tensor, input: Tensor2D, y: Tensor2D): Tensor[] => {
    // One wasm SIMD pass for dy ⊙ [y > 0] (./wasm-ops) when it applies, else two tfjs kernels.
    const g = activation === 'relu' ? (reluGradWasm(tf, dy, y) ?? dy.mul(tf.step(y))) : dy;
    const dW = tf.matMul(input, g as Tensor2D, true, false);
    const db = tf.matMul(tf.ones([1, rows]), g as Tensor2D).reshape([units]);
    return inputNeedsGrad ? [tf.matMul(g as Tensor2D, layer.kernel as unknown as Tensor2D, false, true), dW, db] : [dW, db];
  };
  if (inputNeedsGrad) {
    const op = tf.customGrad((...args: unknown[]) => {
      const [input, , , save] = args as [Tensor2D, Tensor, Tensor, (t: Tensor[]) => void];
      const y = forward(input);
      save([input, y]);
      return { value: y, gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => backward(dy as Tensor, saved[0] as Tensor2D, saved[1] as Tensor2D) };
    });
    return (op as unknown as (...t: Tensor[]) => Tensor2D)(x, layer.kernel, layer.bias);
  }
  const op = tf.customGrad((...args: unknown[]) => {
    const save = args[2] as (t: Tensor[]) => void;
    const y = forward(x);
    save([y]);
    return { value: y, gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => backward(dy as Tensor, x, saved[0] as Tensor2D) };
  });
  return (op as unknown as (...t: Tensor[]) => Tensor2D)(layer.kernel, layer.bias);
}
