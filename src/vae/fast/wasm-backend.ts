/**
 * The parts of tfjs-backend-wasm 4.22's backend object (internal to tfjs) that the fast
 * training paths use, and where a tensor's values sit in its heap.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { WasmMemory } from '../../wasm';

export interface WasmBackendLike {
  dataIdMap: { get(dataId: object): { memoryOffset: number; refCount: number } | undefined };
  wasm: { HEAPF32: Float32Array; asm: { memory: WasmMemory }; _malloc(bytes: number): number; _free(ptr: number): void };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
}

/** Byte address of `t`'s values in the wasm heap; `who` names the caller in the error. */
export function tensorAddress(backend: WasmBackendLike, t: TensorInfo, who: string): number {
  const entry = backend.dataIdMap.get(t.dataId);
  if (entry === undefined) throw new Error(`${who}: a tensor has no data on the wasm backend (disposed?).`);
  return entry.memoryOffset;
}
