/**
 * The compiled ./lloyd-kernel.wat (WebAssembly SIMD, f64x2): K-Means' Lloyd pass for two
 * features (`pass2`) and for any number (`passWide`), on a memory laid out by ./lloyd-wasm.
 * To regenerate after editing the .wat (wabt from npm, outside this project):
 *   wat2wasm --enable-threads src/cluster/lloyd-kernel.wat -o /tmp/k.wasm && base64 -w0 /tmp/k.wasm
 */

/** The WebAssembly API used here (the project's TypeScript libs do not declare it). */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
}
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

export interface LloydKernel {
  /** Returns the number of labels that changed. See the .wat for the layouts (addresses in bytes). */
  pass2(X: number, L: number, start: number, end: number, C: number, k: number, acc: number): number;
  passWide(X: number, dp: number, L: number, start: number, end: number, T: number, kp: number, acc: number): number;
}

const WASM_BASE64 =
  'AGFzbQEAAAABJQRgB39/f39/f38Bf2AIf39/f39/f38Bf2ACe3sBf2AEf39/fwACEgEDZW52Bm1lbW9yeQIDAYCABAMFBAABAgMHFAIFcGFzczIAAAhwYXNzV2lkZQABCqkOBJ8EAgp/C3sgBUEFdCELIAZBACALQQF0/AsAIAQgBUEEdGohCiACIQcCQANAIAcgA08NASAHQQFqIANJIQ8gACAHQQR0aiEIIAj9AAQAIREgCCAPQQR0av0ABAAhEiARIBL9DQABAgMEBQYHEBESExQVFhchEyARIBL9DQgJCgsMDQ4PGBkaGxwdHh8hFCATIAT9CgMA/fEBIRUgFCAE/QoDCP3xASEWIBUgFf3yASAWIBb98gH98AEhGP0MAAAAAAAAAAAAAAAAAAAAACEZ/QwAAAAAAAAAAAAAAAAAAAAAIRogBEEQaiEJAkADQCAJIApPDQEgGv0MAQAAAAAAAAABAAAAAAAAAP3OASEaIBMgCf0KAwD98QEhFSAUIAn9CgMI/fEBIRYgFSAV/fIBIBYgFv3yAf3wASEXIBcgGP1JIRsgFyAYIBv9UiEYIBogGSAb/VIhGSAJQRBqIQkMAAsLIBn9HQCnIQwgGf0dAachDSABIAdBAnRqIQ4gECAOKAIAIAxHaiEQIA4gDDYCACAGIAxBBXRqIQ4gDiAO/QAEACAR/fAB/QsEACAOIA4rAxBEAAAAAAAA8D+gOQMQIA8EQCABIAdBAnRqIQ4gECAOKAIEIA1HaiEQIA4gDTYCBCAGIAtqIA1BBXRqIQ4gDiAO/QAEACAS/fAB/QsEACAOIA4rAxBEAAAAAAAA8D+gOQMQCyAHQQJqIQcMAAsLIBAL9AgDD38SewJ8IAFBAmpBA3QhESAGIBFsIRIgB0EAIBJBAXT8CwBBICABQQV0aiEOIAUgBkECdiAObGohDSADIQgCQANAIAggBE8NASAIQQFqIARJIRUgACAIQQF2IAFBBHRsaiEJIAkgAUEEdGohCv0MAAAAAAAA8H8AAAAAAADwfyEi/QwAAAAAAADwfwAAAAAAAPB/ISP9DAAAAAAAAAAAAAAAAAAAAAAhJP0MAAAAAAAAAAAAAAAAAAAAACEl/QwAAAAAAAAAAAEAAAAAAAAAISYgBSEMA0D9DAAAAAAAAAAAAAAAAAAAAAAhGv0MAAAAAAAAAAAAAAAAAAAAACEb/QwAAAAAAAAAAAAAAAAAAAAAIRz9DAAAAAAAAAAAAAAAAAAAAAAhHf0MAAAAAAAAAAAAAAAAAAAAACEe/QwAAAAAAAAAAAAAAAAAAAAAIR/9DAAAAAAAAAAAAAAAAAAAAAAhIP0MAAAAAAAAAAAAAAAAAAAAACEhIAkhCyAMQSBqIQ8DQCAL/QAEACEXIAv9AAQQIRggD/0ABAAhGSAaIBcgGf3yAf3wASEaIB4gGCAZ/fIB/fABIR4gD/0ABBAhGSAbIBcgGf3yAf3wASEbIB8gGCAZ/fIB/fABIR8gD/0ABCAhGSAcIBcgGf3yAf3wASEcICAgGCAZ/fIB/fABISAgD/0ABDAhGSAdIBcgGf3yAf3wASEdICEgGCAZ/fIB/fABISEgC0EgaiELIA9BwABqIQ8gCyAKSQ0ACyAaIBv9DQABAgMEBQYHEBESExQVFhcgGiAb/Q0ICQoLDA0ODxgZGhscHR4f/fABIScgDP0ABAAgJyAn/fAB/fEBIScgJyAi/UkhKCAnICIgKP1SISIgJiAkICj9UiEkIB4gH/0NAAECAwQFBgcQERITFBUWFyAeIB/9DQgJCgsMDQ4PGBkaGxwdHh/98AEhJyAM/QAEACAnICf98AH98QEhJyAnICP9SSEoICcgIyAo/VIhIyAmICUgKP1SISUgJv0MAgAAAAAAAAACAAAAAAAAAP3OASEmIBwgHf0NAAECAwQFBgcQERITFBUWFyAcIB39DQgJCgsMDQ4PGBkaGxwdHh/98AEhJyAM/QAEECAnICf98AH98QEhJyAnICL9SSEoICcgIiAo/VIhIiAmICQgKP1SISQgICAh/Q0AAQIDBAUGBxAREhMUFRYXICAgIf0NCAkKCwwNDg8YGRobHB0eH/3wASEnIAz9AAQQICcgJ/3wAf3xASEnICcgI/1JISggJyAjICj9UiEjICYgJSAo/VIhJSAm/QwCAAAAAAAAAAIAAAAAAAAA/c4BISYgDCAOaiEMIAwgDUkNAAsgIiAkEAIhEyAjICUQAiEUIAIgCEECdGohDyAWIA8oAgAgE0dqIRYgDyATNgIAIAcgEyARbGogCSAKIAEQAyAVBEAgFiAPKAIEIBRHaiEWIA8gFDYCBCAHIBJqIBQgEWxqIAlBEGogCiABEAMLIAhBAmohCAwACwsgFgs6AgJ8An8gAP0hACECIAD9IQEhAyAB/R0ApyEEIAH9HQGnIQUgBSAEIAMgAmMgAyACYSAFIARJcXIbC1UBAX8gACEEA0AgBCAE/QAEACAB/QAEAP3wAf0LBAAgBEEQaiEEIAFBIGohASABIAJJDQALIAAgA0EDdGogACADQQN0aisDAEQAAAAAAADwP6A5AwAL';

let compiled: object | null = null;

function api(): WebAssemblyApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

/** A shared memory of `bytes` (rounded up to 64 KiB pages) that cannot grow, or null if WebAssembly cannot give one. */
export function newSharedMemory(bytes: number): WasmMemory | null {
  const wasm = api();
  const pages = Math.ceil(bytes / 65536);
  // Addresses are 32-bit and the kernels multiply row offsets in 32 bits: stay below 2 GiB.
  if (wasm === undefined || typeof SharedArrayBuffer === 'undefined' || pages > 32768) return null;
  try {
    return new wasm.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return null;
  }
}

/** The kernel working on `memory` (the module is compiled once per thread). */
export function lloydKernel(memory: WasmMemory): LloydKernel {
  const wasm = api() as WebAssemblyApi;
  compiled ??= new wasm.Module(Buffer.from(WASM_BASE64, 'base64'));
  const instance = new wasm.Instance(compiled, { env: { memory } });
  return instance.exports as unknown as LloydKernel;
}
