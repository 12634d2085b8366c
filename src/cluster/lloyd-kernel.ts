/**
 * The compiled ./lloyd-kernel.wat (WebAssembly SIMD, f64x2): K-Means' Lloyd pass for two
 * features (`pass2`) and for any number (`passWide`), on a memory laid out by ./lloyd-wasm.
 * After editing the .wat, `npm run wasm` re-embeds the binary (a test checks they agree).
 */
import { WasmMemory as BaseMemory, instantiateOn, webAssembly } from '../wasm';

/** A shared memory, which the kernel's workers all see. */
export interface WasmMemory extends BaseMemory {
  readonly buffer: SharedArrayBuffer;
}

export interface LloydKernel {
  /** Returns the number of labels that changed. See the .wat for the layouts (addresses in bytes). */
  pass2(X: number, L: number, start: number, end: number, C: number, k: number, acc: number): number;
  passWide(X: number, dp: number, L: number, start: number, end: number, T: number, kp: number, acc: number): number;
}

const WASM_BASE64 =
  'AGFzbQEAAAABGAJgB39/f39/f38Bf2AIf39/f39/f38BfwISAQNlbnYGbWVtb3J5AgMBgIAEAwMCAAEHFAIFcGFzczIAAAhwYXNzV2lkZQABCvQOAp8EAgp/C3sgBUEFdCELIAZBACALQQF0/AsAIAQgBUEEdGohCiACIQcCQANAIAcgA08NASAHQQFqIANJIQ8gACAHQQR0aiEIIAj9AAQAIREgCCAPQQR0av0ABAAhEiARIBL9DQABAgMEBQYHEBESExQVFhchEyARIBL9DQgJCgsMDQ4PGBkaGxwdHh8hFCATIAT9CgMA/fEBIRUgFCAE/QoDCP3xASEWIBUgFf3yASAWIBb98gH98AEhGP0MAAAAAAAAAAAAAAAAAAAAACEZ/QwAAAAAAAAAAAAAAAAAAAAAIRogBEEQaiEJAkADQCAJIApPDQEgGv0MAQAAAAAAAAABAAAAAAAAAP3OASEaIBMgCf0KAwD98QEhFSAUIAn9CgMI/fEBIRYgFSAV/fIBIBYgFv3yAf3wASEXIBcgGP1JIRsgFyAYIBv9UiEYIBogGSAb/VIhGSAJQRBqIQkMAAsLIBn9HQCnIQwgGf0dAachDSABIAdBAnRqIQ4gECAOKAIAIAxHaiEQIA4gDDYCACAGIAxBBXRqIQ4gDiAO/QAEACAR/fAB/QsEACAOIA4rAxBEAAAAAAAA8D+gOQMQIA8EQCABIAdBAnRqIQ4gECAOKAIEIA1HaiEQIA4gDTYCBCAGIAtqIA1BBXRqIQ4gDiAO/QAEACAS/fAB/QsEACAOIA4rAxBEAAAAAAAA8D+gOQMQCyAHQQJqIQcMAAsLIBAL0AoED38SewJ8A38gAUECakEDdCERIAYgEWwhEiAHQQAgEkEBdPwLAEEgIAFBBXRqIQ4gBSAGQQJ2IA5saiENIAMhCAJAA0AgCCAETw0BIAhBAWogBEkhFSAAIAhBAXYgAUEEdGxqIQkgCSABQQR0aiEK/QwAAAAAAADwfwAAAAAAAPB/ISL9DAAAAAAAAPB/AAAAAAAA8H8hI/0MAAAAAAAAAAAAAAAAAAAAACEk/QwAAAAAAAAAAAAAAAAAAAAAISX9DAAAAAAAAAAAAQAAAAAAAAAhJiAFIQwDQP0MAAAAAAAAAAAAAAAAAAAAACEa/QwAAAAAAAAAAAAAAAAAAAAAIRv9DAAAAAAAAAAAAAAAAAAAAAAhHP0MAAAAAAAAAAAAAAAAAAAAACEd/QwAAAAAAAAAAAAAAAAAAAAAIR79DAAAAAAAAAAAAAAAAAAAAAAhH/0MAAAAAAAAAAAAAAAAAAAAACEg/QwAAAAAAAAAAAAAAAAAAAAAISEgCSELIAxBIGohDwNAIAv9AAQAIRcgC/0ABBAhGCAP/QAEACEZIBogFyAZ/fIB/fABIRogHiAYIBn98gH98AEhHiAP/QAEECEZIBsgFyAZ/fIB/fABIRsgHyAYIBn98gH98AEhHyAP/QAEICEZIBwgFyAZ/fIB/fABIRwgICAYIBn98gH98AEhICAP/QAEMCEZIB0gFyAZ/fIB/fABIR0gISAYIBn98gH98AEhISALQSBqIQsgD0HAAGohDyALIApJDQALIBogG/0NAAECAwQFBgcQERITFBUWFyAaIBv9DQgJCgsMDQ4PGBkaGxwdHh/98AEhJyAM/QAEACAnICf98AH98QEhJyAnICL9SSEoICcgIiAo/VIhIiAmICQgKP1SISQgHiAf/Q0AAQIDBAUGBxAREhMUFRYXIB4gH/0NCAkKCwwNDg8YGRobHB0eH/3wASEnIAz9AAQAICcgJ/3wAf3xASEnICcgI/1JISggJyAjICj9UiEjICYgJSAo/VIhJSAm/QwCAAAAAAAAAAIAAAAAAAAA/c4BISYgHCAd/Q0AAQIDBAUGBxAREhMUFRYXIBwgHf0NCAkKCwwNDg8YGRobHB0eH/3wASEnIAz9AAQQICcgJ/3wAf3xASEnICcgIv1JISggJyAiICj9UiEiICYgJCAo/VIhJCAgICH9DQABAgMEBQYHEBESExQVFhcgICAh/Q0ICQoLDA0ODxgZGhscHR4f/fABIScgDP0ABBAgJyAn/fAB/fEBIScgJyAj/UkhKCAnICMgKP1SISMgJiAlICj9UiElICb9DAIAAAAAAAAAAgAAAAAAAAD9zgEhJiAMIA5qIQwgDCANSQ0ACyAi/SEAISkgIv0hASEqICT9HQCnISsgJP0dAachLCAsICsgKiApYyAqIClhICwgK0lxchshEyAj/SEAISkgI/0hASEqICX9HQCnISsgJf0dAachLCAsICsgKiApYyAqIClhICwgK0lxchshFCACIAhBAnRqIQ8gFiAPKAIAIBNHaiEWIA8gEzYCACAHIBMgEWxqIS0gCSELA0AgLSAt/QAEACAL/QAEAP3wAf0LBAAgLUEQaiEtIAtBIGohCyALIApJDQALIC0gLSsDAEQAAAAAAADwP6A5AwAgFQRAIBYgDygCBCAUR2ohFiAPIBQ2AgQgByASaiAUIBFsaiEtIAlBEGohCwNAIC0gLf0ABAAgC/0ABAD98AH9CwQAIC1BEGohLSALQSBqIQsgCyAKSQ0ACyAtIC0rAwBEAAAAAAAA8D+gOQMACyAIQQJqIQgMAAsLIBYL';

/** A shared memory of `bytes` (rounded up to 64 KiB pages) that cannot grow, or null if WebAssembly cannot give one. */
export function newSharedMemory(bytes: number): WasmMemory | null {
  const wasm = webAssembly();
  const pages = Math.ceil(bytes / 65536);
  // Addresses are 32-bit and the kernels multiply row offsets in 32 bits: stay below 2 GiB.
  if (wasm === undefined || typeof SharedArrayBuffer === 'undefined' || pages > 32768) return null;
  try {
    return new wasm.Memory({ initial: pages, maximum: pages, shared: true }) as WasmMemory;
  } catch {
    return null;
  }
}

/** The kernel working on `memory`. */
export function lloydKernel(memory: WasmMemory): LloydKernel {
  return instantiateOn(WASM_BASE64, memory) as unknown as LloydKernel;
}
