/**
 * Tensor-level wrappers of ./step-kernels for the wasm backend: each runs one SIMD pass over
 * tensors in the wasm heap and returns a new tensor, or undefined when it does not apply (another
 * backend, another dtype, too few values), in which case the caller uses tfjs ops.
 * Counted in `wasmOpCalls` so tests can see the fast paths are taken.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { WasmBackendLike, tensorAddress } from './wasm-backend';
import { StepKernels, stepKernels } from './step-kernels';
import type { Tensor, Tf } from '../tf';

const calls = { reluGrad: 0, bce: 0 };

/** How often each wasm op ran (a copy). */
export function wasmOpCalls(): { reluGrad: number; bce: number } {
  return { ...calls };
}

function wasmBackend(tf: Tf, tensors: Tensor[]): { backend: WasmBackendLike; kernels: StepKernels } | undefined {
  if (tf.getBackend() !== 'wasm' || tensors.some((t) => t.dtype !== 'float32')) return undefined;
  const backend = tf.backend() as unknown as WasmBackendLike;
  return { backend, kernels: stepKernels(backend.wasm.asm.memory) };
}

const address = (backend: WasmBackendLike, t: TensorInfo): number => tensorAddress(backend, t, 'wasm-ops');

/** dy where y > 0, else 0 (the gradient through a ReLU with output y), one pass. */
export function reluGradWasm(tf: Tf, dy: Tensor, y: Tensor): Tensor | undefined {
  const w = wasmBackend(tf, [dy, y]);
  if (w === undefined || dy.size !== y.size) return undefined;
  calls.reluGrad++;
  const out = w.backend.makeOutput(dy.shape, 'float32');
  w.kernels.reluGrad(address(w.backend, dy), address(w.backend, y), address(w.backend, out), dy.size);
  return tf.engine().makeTensorFromTensorInfo(out);
}

/**
 * Bernoulli cross-entropy of pixels x under logits l, summed over all values (float64), and
 * sigmoid(l) − x (its gradient w.r.t. l), in one pass.
 */
export function bceWasm(tf: Tf, logits: Tensor, x: Tensor): { sum: number; grad: Tensor } | undefined {
  const w = wasmBackend(tf, [logits, x]);
  if (w === undefined || logits.size !== x.size || logits.size < 4) return undefined;
  calls.bce++;
  const out = w.backend.makeOutput(logits.shape, 'float32');
  const sum = w.kernels.bce(address(w.backend, logits), address(w.backend, x), address(w.backend, out), logits.size);
  return { sum, grad: tf.engine().makeTensorFromTensorInfo(out) };
}
