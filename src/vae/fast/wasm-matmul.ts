/**
 * A faster matrix product for tfjs-backend-wasm 4.22 when an operand is transposed.
 *
 * The wasm kernels for `BatchMatMul` and `_FusedMatMul` are fast (XNNPACK, SIMD) only
 * when neither operand is transposed: with `transposeA` or `transposeB` a product is an
 * order of magnitude slower (BENCHMARKS.md). Every dense layer's gradient needs a
 * transposed product (dW = xᵀ·dy, dx = dy·Wᵀ), so training pays this on every step.
 * Transposing the operand explicitly first (a cheap copy) and then running the plain
 * kernel gives the same product many times faster.
 *
 * The patch re-registers the two kernels with a wrapper around the originals. It keeps
 * each original `setupFunc`, which binds the wasm function when the backend starts;
 * without it the kernel fails with "wasmBatchMatMul is not a function".
 *
 * It also fixes a wrong result: the original `_FusedMatMul` with a bias *and* a transposed
 * operand misplaces the bias on some rows (test/vae-backend.test.ts shows it); the patched
 * kernel never hands it a transpose.
 *
 * Inside `withTrainingKernels` (./scope: the fast path's training step) the patched kernels compute through
 * native BLAS instead when the optional `nblas` package loads: see ./native-matmul.
 *
 * This relies on internals of tfjs-backend-wasm (kernel registry entries, the backend's
 * `disposeData`); package.json pins the exact tfjs versions for that reason.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { nativeActive, nativeKernel } from './native-matmul';
import { loadTf } from '../tf';

/** Set on the registered kernel configs, so tests and users can see the patch is live. */
export const WASM_MATMUL_MARKER = 'gmm-vae-notebooks/explicit-transpose';

const PATCHED_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;
type PatchedKernel = (typeof PATCHED_KERNELS)[number];

interface PatchedConfig extends KernelConfig {
  patchedBy: string;
}

/** How often the patched kernels ran, and how often they took the explicit-transpose path. */
export interface WasmMatMulStats {
  calls: number;
  /** Calls with a transposed operand (transposed explicitly, or handed to native BLAS as is). */
  transposedCalls: number;
}

const originals = new Map<PatchedKernel, KernelConfig>();
const stats: WasmMatMulStats = { calls: 0, transposedCalls: 0 };

/** Minimal view of the wasm backend used here (its full type is internal to tfjs). */
interface BackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}

function swapLastTwo(x: TensorInfo, backend: BackendLike, transpose: KernelFunc): TensorInfo {
  const rank = x.shape.length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return transpose({ inputs: { x }, backend: backend as never, attrs: { perm } }) as TensorInfo;
}

function wrap(original: KernelConfig, transpose: KernelFunc): KernelFunc {
  return (args) => {
    stats.calls++;
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    if (nativeActive()) {
      // BLAS takes transposed operands as they are: no explicit transpose needed.
      const out = nativeKernel(args);
      if (out !== undefined) {
        if (attrs.transposeA || attrs.transposeB) stats.transposedCalls++;
        return out;
      }
    }
    if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
    stats.transposedCalls++;
    const backend = args.backend as unknown as BackendLike;
    const inputs = args.inputs as Record<string, TensorInfo>;
    const temporaries: TensorInfo[] = [];
    const a = attrs.transposeA ? swapLastTwo(inputs.a, backend, transpose) : inputs.a;
    if (attrs.transposeA) temporaries.push(a);
    const b = attrs.transposeB ? swapLastTwo(inputs.b, backend, transpose) : inputs.b;
    if (attrs.transposeB) temporaries.push(b);
    try {
      return original.kernelFunc({
        ...args,
        inputs: { ...inputs, a, b },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      // Kernel outputs called directly (not through the engine) are not tracked: free them here.
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}

/**
 * Re-register the wasm `BatchMatMul` and `_FusedMatMul` kernels so that transposed
 * operands are transposed explicitly before the fast plain product. Idempotent.
 * Needs @tensorflow/tfjs-backend-wasm to be loaded (its kernels registered).
 */
export function patchWasmMatMul(): void {
  const tf = loadTf();
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (transpose === undefined) {
    throw new Error('patchWasmMatMul: the wasm backend is not loaded (no wasm Transpose kernel is registered).');
  }
  for (const name of PATCHED_KERNELS) {
    if (isPatched(name)) continue;
    const original = tf.getKernel(name, 'wasm');
    if (original === undefined) throw new Error(`patchWasmMatMul: no wasm kernel '${name}' is registered.`);
    originals.set(name, original);
    const patched: PatchedConfig = {
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: wrap(original, transpose.kernelFunc),
      setupFunc: original.setupFunc,
      disposeFunc: original.disposeFunc,
      patchedBy: WASM_MATMUL_MARKER,
    };
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(patched);
  }
}

/** Put the original wasm kernels back (used by tests to compare against them). */
export function unpatchWasmMatMul(): void {
  const tf = loadTf();
  for (const name of PATCHED_KERNELS) {
    const original = originals.get(name);
    if (original === undefined || !isPatched(name)) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(original);
  }
}

/** True when both wasm matmul kernels currently registered are the patched ones. */
export function isWasmMatMulPatched(): boolean {
  return PATCHED_KERNELS.every(isPatched);
}

function isPatched(name: PatchedKernel): boolean {
  const config = loadTf().getKernel(name, 'wasm') as Partial<PatchedConfig> | undefined;
  return config?.patchedBy === WASM_MATMUL_MARKER;
}

/** A copy of the call counters of the patched kernels. */
export function wasmMatMulStats(): WasmMatMulStats {
  return { ...stats };
}
