/**
 * The compiled ./distance-kernel.wat (WebAssembly SIMD, f64x2): direct-form squared distances
 * over X in the layout of ./wasm-pass, for k-means++'s sweeps (`closer`, `trials`) and the
 * inertia of a labelling (`labelled`). After editing the .wat, `npm run wasm` re-embeds the
 * binary (a test checks they agree).
 */
import { instantiateOn } from '../../wasm';
import { WasmMemory } from './lloyd-kernel';

export interface DistanceKernel {
  /** See the .wat for the layouts (addresses in bytes). */
  closer(X: number, dp: number, start: number, end: number, P: number, D: number): number;
  trials(X: number, dp: number, start: number, end: number, C: number, t: number, D: number, out: number, S: number, gap: number): void;
  labelled(X: number, dp: number, L: number, start: number, end: number, C: number): number;
}

const WASM_BASE64 =
  'AGFzbQEAAAABGAJgBn9/f39/fwF8YAp/f39/f39/f39/AAISAQNlbnYGbWVtb3J5AgMBgIAEAwQDAAEABx4DBmNsb3NlcgAABnRyaWFscwABCGxhYmVsbGVkAAIKyQcDpAICBX8FeyACIQYCQANAIAYgA08NASAAIAZBAXYgAUEEdGxqIQcgByABQQR0aiEI/QwAAAAAAAAAAAAAAAAAAAAAIQv9DAAAAAAAAAAAAAAAAAAAAAAhDCAHIQkgBCEKA0AgCv0ABAAhDiAJ/QAEACAO/fEBIQ0gCyANIA398gH98AEhCyAJ/QAEECAO/fEBIQ0gDCANIA398gH98AEhDCAJQSBqIQkgCkEQaiEKIAkgCEkNAAsgCyAM/Q0AAQIDBAUGBxAREhMUFRYXIAsgDP0NCAkKCwwNDg8YGRobHB0eH/3wASENIAUgBkEDdGohCiAK/QAEACAN/fYBIQ0gCiAN/QsEACAPIA398AEhDyAGQQJqIQYMAAsLIA/9IQAgD/0hAaAL9AICCn8FeyABQQN0IRIgByAFQQR0aiERIAdBACAFQQR0/AsAIAIhCgJAA0AgCiADTw0BIAAgCkEBdiABQQR0bGohCyALIAFBBHRqIQwgBiAKQQN0av0ABAAhGCAEIQ8gByEQIAggCkEDdGohEwNA/QwAAAAAAAAAAAAAAAAAAAAAIRT9DAAAAAAAAAAAAAAAAAAAAAAhFSALIQ0gDyEOA0AgDv0ABAAhFyAN/QAEACAX/fEBIRYgFCAWIBb98gH98AEhFCAN/QAEECAX/fEBIRYgFSAWIBb98gH98AEhFSANQSBqIQ0gDkEQaiEOIA0gDEkNAAsgFCAV/Q0AAQIDBAUGBxAREhMUFRYXIBQgFf0NCAkKCwwNDg8YGRobHB0eH/3wASEWIBggFv32ASEWIBAgEP0ABAAgFv3wAf0LBAAgCARAIBMgFv0LBAALIBMgCWohEyAPIBJqIQ8gEEEQaiEQIBAgEUkNAAsgCkECaiEKDAALCwuqAgMJfwN7AnwgAUEDdCEOIAMhBgJAA0AgBiAETw0BIAZBAWogBEkhDCAAIAZBAXYgAUEEdGxqIQcgByABQQR0aiEIIAIgBkECdGohDSAFIA0oAgAgDmxqIQogBSANIAxBAnRqKAIAIA5saiEL/QwAAAAAAAAAAAAAAAAAAAAAIQ/9DAAAAAAAAAAAAAAAAAAAAAAhECAHIQkDQCAJ/QAEACAK/QAEAP3xASERIA8gESAR/fIB/fABIQ8gCf0ABBAgC/0ABAD98QEhESAQIBEgEf3yAf3wASEQIAlBIGohCSAKQRBqIQogC0EQaiELIAkgCEkNAAsgEiAP/SEAIA/9IQGgoCESIAwEQCATIBD9IQAgEP0hAaCgIRMLIAZBAmohBgwACwsgEiAToAs=';

/** The kernel working on `memory`. */
export function distanceKernel(memory: WasmMemory): DistanceKernel {
  return instantiateOn(WASM_BASE64, memory) as unknown as DistanceKernel;
}
