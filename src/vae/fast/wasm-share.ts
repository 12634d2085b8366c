/**
 * Copy-free Identity and same-dtype Cast for tfjs-backend-wasm 4.22, inside training steps.
 *
 * tfjs's autodiff clones every tensor a gradient will need (Engine.saveTensorsForBackwardMode),
 * and ReLU's gradient casts float32 to float32. The cpu and webgl backends make such a
 * clone share the input's buffer (one more reference); wasm copies it, dozens of times per
 * step of the 784-512-2 VAE. tfjs kernels never write their inputs, so sharing
 * is safe (the wasm backend counts references for reshapes already); the patched kernels
 * share inside `withTrainingKernels` and copy, as before, everywhere else.
 *
 * Like ./wasm-matmul, this re-registers wasm kernels (keeping setupFunc) and relies on
 * tfjs-backend-wasm internals: package.json pins the exact version.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { loadTf } from '../tf';
import { inTrainingKernels } from './scope';

const MARKER = 'gmm-vae-notebooks/share-in-training';

interface BackendLike {
  incRef(dataId: object): void;
}

function sharing(original: KernelConfig, sameType: (args: Parameters<KernelFunc>[0]) => boolean): KernelFunc {
  return (args) => {
    const x = (args.inputs as { x: TensorInfo }).x;
    if (!inTrainingKernels() || x.dtype === 'string' || !sameType(args)) return original.kernelFunc(args);
    (args.backend as unknown as BackendLike).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/** Re-register wasm's Identity and Cast with the sharing fast path. Idempotent. */
export function patchWasmShare(): void {
  const tf = loadTf();
  const kernels: [string, (args: Parameters<KernelFunc>[0]) => boolean][] = [
    ['Identity', () => true],
    ['Cast', (args) => (args.attrs as { dtype?: string }).dtype === (args.inputs as { x: TensorInfo }).x.dtype],
  ];
  for (const [name, sameType] of kernels) {
    const original = tf.getKernel(name, 'wasm') as (KernelConfig & { patchedBy?: string }) | undefined;
    if (original === undefined) throw new Error(`patchWasmShare: no wasm kernel '${name}' is registered (is the wasm backend loaded?).`);
    if (original.patchedBy === MARKER) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...original, kernelFunc: sharing(original, sameType), patchedBy: MARKER } as KernelConfig);
  }
}
