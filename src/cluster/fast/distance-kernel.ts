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
  trials(X: number, dp: number, start: number, end: number, C: number, t: number, D: number, out: number): void;
  labelled(X: number, dp: number, L: number, start: number, end: number, C: number): number;
}

const WASM_BASE64 =
  'AGFzbQEAAAABFgJgBn9/f39/fwF8YAh/f39/f39/fwACEgEDZW52Bm1lbW9yeQIDAYCABAMEAwABAAceAwZjbG9zZXIAAAZ0cmlhbHMAAQhsYWJlbGxlZAACCqcHA6QCAgV/BXsgAiEGAkADQCAGIANPDQEgACAGQQF2IAFBBHRsaiEHIAcgAUEEdGohCP0MAAAAAAAAAAAAAAAAAAAAACEL/QwAAAAAAAAAAAAAAAAAAAAAIQwgByEJIAQhCgNAIAr9AAQAIQ4gCf0ABAAgDv3xASENIAsgDSAN/fIB/fABIQsgCf0ABBAgDv3xASENIAwgDSAN/fIB/fABIQwgCUEgaiEJIApBEGohCiAJIAhJDQALIAsgDP0NAAECAwQFBgcQERITFBUWFyALIAz9DQgJCgsMDQ4PGBkaGxwdHh/98AEhDSAFIAZBA3RqIQogCv0ABAAgDf32ASENIAogDf0LBAAgDyAN/fABIQ8gBkECaiEGDAALCyAP/SEAIA/9IQGgC9ICAgl/BXsgAUEDdCEQIAcgBUEEdGohDyAHQQAgBUEEdPwLACACIQgCQANAIAggA08NASAAIAhBAXYgAUEEdGxqIQkgCSABQQR0aiEKIAYgCEEDdGr9AAQAIRUgBCENIAchDgNA/QwAAAAAAAAAAAAAAAAAAAAAIRH9DAAAAAAAAAAAAAAAAAAAAAAhEiAJIQsgDSEMA0AgDP0ABAAhFCAL/QAEACAU/fEBIRMgESATIBP98gH98AEhESAL/QAEECAU/fEBIRMgEiATIBP98gH98AEhEiALQSBqIQsgDEEQaiEMIAsgCkkNAAsgESAS/Q0AAQIDBAUGBxAREhMUFRYXIBEgEv0NCAkKCwwNDg8YGRobHB0eH/3wASETIA4gDv0ABAAgFSAT/fYB/fAB/QsEACANIBBqIQ0gDkEQaiEOIA4gD0kNAAsgCEECaiEIDAALCwuqAgMJfwN7AnwgAUEDdCEOIAMhBgJAA0AgBiAETw0BIAZBAWogBEkhDCAAIAZBAXYgAUEEdGxqIQcgByABQQR0aiEIIAIgBkECdGohDSAFIA0oAgAgDmxqIQogBSANIAxBAnRqKAIAIA5saiEL/QwAAAAAAAAAAAAAAAAAAAAAIQ/9DAAAAAAAAAAAAAAAAAAAAAAhECAHIQkDQCAJ/QAEACAK/QAEAP3xASERIA8gESAR/fIB/fABIQ8gCf0ABBAgC/0ABAD98QEhESAQIBEgEf3yAf3wASEQIAlBIGohCSAKQRBqIQogC0EQaiELIAkgCEkNAAsgEiAP/SEAIA/9IQGgoCESIAwEQCATIBD9IQAgEP0hAaCgIRMLIAZBAmohBgwACwsgEiAToAs=';

/** The kernel working on `memory`. */
export function distanceKernel(memory: WasmMemory): DistanceKernel {
  return instantiateOn(WASM_BASE64, memory) as unknown as DistanceKernel;
}
