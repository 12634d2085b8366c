/**
 * Loading the hand-written WebAssembly kernels (the .wat files in src/, embedded as base64
 * by `npm run wasm`) on a memory their caller owns: tfjs-backend-wasm's heap for the VAE's
 * kernels, a shared memory of our own for K-Means. The project's TypeScript libs do not
 * declare WebAssembly, so the few parts used are typed here.
 */

/** A WebAssembly.Memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** This runtime's WebAssembly, if it has one. */
export function webAssembly(): WebAssemblyApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

/**
 * A memory of `bytes` rounded up to 64 KiB pages that cannot grow, shared between threads
 * or not; null if this runtime cannot give one, or if it would take more than `maxPages`
 * (the kernels address memory in 32 bits).
 */
export function newMemory(bytes: number, shared: boolean, maxPages: number): WasmMemory | null {
  const wasm = webAssembly();
  const pages = Math.ceil(bytes / 65536);
  if (wasm === undefined || pages > maxPages || (shared && typeof SharedArrayBuffer === 'undefined')) return null;
  try {
    return new wasm.Memory({ initial: pages, maximum: pages, shared });
  } catch {
    return null;
  }
}

const modules = new Map<string, object>();
const instances = new WeakMap<WasmMemory, Map<string, Record<string, unknown>>>();

/**
 * The exports of the module `base64` instantiated with `memory` as its imported
 * env.memory: compiled once per thread, instantiated once per memory.
 */
export function instantiateOn(base64: string, memory: WasmMemory): Record<string, unknown> {
  let onMemory = instances.get(memory);
  if (onMemory === undefined) instances.set(memory, (onMemory = new Map()));
  let exports = onMemory.get(base64);
  if (exports === undefined) {
    const wasm = webAssembly();
    if (wasm === undefined) throw new Error('this JavaScript runtime has no WebAssembly.');
    let module = modules.get(base64);
    if (module === undefined) modules.set(base64, (module = new wasm.Module(Buffer.from(base64, 'base64'))));
    exports = new wasm.Instance(module, { env: { memory } }).exports;
    onMemory.set(base64, exports);
  }
  return exports;
}
