/**
 * The WebAssembly memory of K-Means' fast passes (./wasm-pass), kept from fit to fit.
 */
import { newMemory } from '../../wasm';
import { WasmMemory } from './lloyd-kernel';

/**
 * The last fit's memory when it is large enough, else a new one (kept for the next fit). A
 * fit runs to its end before the next starts (the passes wait for their workers), and keeps
 * copies of what it returns, so one memory serves them all; reusing it saves a fit the
 * allocation and first touch of pages the size of X.
 */
let lastMemory: WasmMemory | null = null;

export function memoryFor(bytes: number): WasmMemory | null {
  if (lastMemory !== null && lastMemory.buffer.byteLength >= bytes) return lastMemory;
  // Shared with the workers; the kernels multiply row offsets in 32 bits: stay below 2 GiB.
  const memory = newMemory(bytes, true, 32768) as WasmMemory | null;
  if (memory !== null) lastMemory = memory;
  return memory;
}
