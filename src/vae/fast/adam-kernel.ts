/**
 * The compiled ./adam-kernel.wat (433 bytes, WebAssembly SIMD), instantiated on
 * tfjs-backend-wasm's memory so it works on tensors where tfjs keeps them.
 * After editing the .wat, `npm run wasm` re-embeds the binary (a test checks they agree).
 */
import { WasmMemory, instantiateOn } from '../../wasm';

/** adam(w, g, m, v, out, n, β₁, 1−β₁, β₂, 1−β₂, 1−β₁ᵗ, 1−β₂ᵗ, ε, −lr), addresses in bytes. */
export type AdamKernel = (
  w: number, g: number, m: number, v: number, out: number, n: number,
  b1: number, c1: number, b2: number, c2: number, d1: number, d2: number, eps: number, negLr: number,
) => void;

const WASM_BASE64 =
  'AGFzbQEAAAABEgFgDn9/f39/f319fX19fX19AAIPAQNlbnYGbWVtb3J5AgABAwIBAAcIAQRhZGFtAAAK8wIB8AIDAn8LewN9IAb9EyEQIAf9EyERIAj9EyESIAn9EyETIAr9EyEUIAv9EyEVIAz9EyEWIA39EyEXIAVBfHFBAnQhD0EAIQ4CQANAIA4gD08NASABIA5q/QAEACEYIAIgDmr9AAQAIBD95gEgGCAR/eYB/eQBIRkgAyAOav0ABAAgEv3mASAYIBj95gEgE/3mAf3kASEaIAIgDmogGf0LBAAgAyAOaiAa/QsEACAEIA5qIBkgFP3nASAaIBX95wH94wEgFv3kAf3nASAX/eYBIAAgDmr9AAQA/eQB/QsEACAOQRBqIQ4MAAsLIAVBAnQhDwJAA0AgDiAPTw0BIAEgDmoqAgAhGyACIA5qKgIAIAaUIBsgB5SSIRwgAyAOaioCACAIlCAbIBuUIAmUkiEdIAIgDmogHDgCACADIA5qIB04AgAgBCAOaiAcIAqVIB0gC5WRIAySlSANlCAAIA5qKgIAkjgCACAOQQRqIQ4MAAsLCw==';

/** The Adam kernel bound to `memory`. */
export function adamKernel(memory: WasmMemory): AdamKernel {
  return instantiateOn(WASM_BASE64, memory).adam as AdamKernel;
}
