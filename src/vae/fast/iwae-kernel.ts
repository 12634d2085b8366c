/**
 * The compiled ./iwae-kernel.wat (WebAssembly SIMD): the IWAE decoder's elementwise passes
 * (ReLU that also reports which hidden units a block of samples uses; the Bernoulli
 * log-likelihood of rows of logits), instantiated on a memory of ./iwae-decoder's.
 * After editing the .wat, `npm run wasm` re-embeds the binary (a test checks they agree).
 */
import { WasmMemory, instantiateOn } from '../../wasm';

/** Addresses in bytes, counts in float32 elements. */
export interface IwaeKernel {
  /**
   * ReLU in place on `rows` rows of `cols` values; active[row] (i32) ← 1 when the row has a
   * value > 0, else 0. Returns the number of such rows.
   */
  reluActive(h: number, rows: number, cols: number, active: number): number;
  /**
   * out[row] (float64) ← Σⱼ max(lⱼ, 0) − xⱼ·lⱼ + log(1 + e^−|lⱼ|) with l = c[row] + b, for
   * `rows` rows of n logits at c, all scored against the n pixels at x. Needs n ≥ 4.
   */
  bceRows(c: number, b: number, x: number, out: number, rows: number, n: number): void;
}

const WASM_BASE64 = 'AGFzbQEAAAABHwRgBH9/f38Bf2ADe3t7AXtgAnt7AXtgBn9/f39/fwACEgEDZW52Bm1lbW9yeQIDAYCABAMFBAABAgMHGAIKcmVsdUFjdGl2ZQAAB2JjZVJvd3MAAwq2CQSPAgMEfwJ7An8CQANAIAQgAU8NASAAIAQgAmxBAnRqIQf9DAAAAAAAAAAAAAAAAAAAAAAhCEEAIQUgAkF8cUECdCEGAkADQCAFIAZPDQEgByAFav0ABAAhCSAIIAn9DAAAAAAAAAAAAAAAAAAAAAD9RP1QIQggByAFaiAJ/QwAAAAAAAAAAAAAAAAAAAAA/ekB/QsEACAFQRBqIQUMAAsLIAj9U0EAciELIAJBAnQhBgJAA0AgBSAGTw0BIAsgByAFaioCAEMAAAAAXnIhCyAHIAVqIAcgBWoqAgBDAAAAAJc4AgAgBUEEaiEFDAALCyADIARBAnRqIAs2AgAgCiALaiEKIARBAWohBAwACwsgCguGBQEJeyAAIAH95AEhA/0MAACuQgAArkIAAK5CAACuQiAD/eAB/eoBIQQgBP0MO6q4PzuquD87qrg/O6q4P/3mAf0MAAAASwAAAEsAAABLAAAAS/3kASEFIAX9DAAAAEsAAABLAAAASwAAAEv95QEhBiAG/QwAgDE/AIAxPwCAMT8AgDE//eYBIAT95QEgBv0Mg4BeuYOAXrmDgF65g4Beuf3mAf3kASEH/QxnaVA5Z2lQOWdpUDlnaVA5IAf95gH9DM5DtzrOQ7c6zkO3Os5Dtzr95AEhCCAIIAf95gH9DAiJCDwIiQg8CIkIPAiJCDz95AEhCCAIIAf95gH9DMGpKj3BqSo9wakqPcGpKj395AEhCCAIIAf95gH9DKqqKj6qqio+qqoqPqqqKj795AEhCCAIIAf95gH9DAAAAD8AAAA/AAAAPwAAAD/95AEhCCAIIAf95gEgB/3mASAH/eQB/QwAAIA/AACAPwAAgD8AAIA//eQBIQggCP0MfwAAS38AAEt/AABLfwAASyAF/bEBQRf9qwH95gEhCSAJIAn9DAAAAEAAAABAAAAAQAAAAED95AH95wEhCiAKIAr95gEhC/0M2f3tPdn97T3Z/e092f3tPSAL/eYB/Qx3PN49dzzePXc83j13PN49/eQBIQggCCAL/eYB/QzuZBI+7mQSPu5kEj7uZBI+/eQBIQggCCAL/eYB/QxozEw+aMxMPmjMTD5ozEw+/eQBIQggCCAL/eYB/Qyrqqo+q6qqPquqqj6rqqo+/eQBIQggCiAK/eQBIQr9DAAAAAAAAAAAAAAAAAAAAAAgA/3rASACIAP95gH95QEgCiAKIAv95gEgCP3mAf3kAf3kAQsmACAAIAH9X/3wASABIAH9DQgJCgsMDQ4PAAECAwQFBgf9X/3wAQvzAQIFfwJ7IAVBfHFBAnQhCSAFQQJ0QRBrIQr9DAAAAAABAAAAAgAAAAMAAABBBCAFQQNxa/0R/T8hDAJAA0AgBiAETw0BIAAgBiAFbEECdGohB/0MAAAAAAAAAAAAAAAAAAAAACELQQAhCAJAA0AgCCAJTw0BIAsgByAIav0ABAAgASAIav0ABAAgAiAIav0ABAAQARACIQsgCEEQaiEIDAALCyAFQQNxBEAgCyAMIAcgCmr9AAQAIAEgCmr9AAQAIAIgCmr9AAQAEAH9ThACIQsLIAMgBkEDdGogC/0hACAL/SEBoDkDACAGQQFqIQYMAAsLCw==';

/** The kernel bound to `memory`. */
export function iwaeKernel(memory: WasmMemory): IwaeKernel {
  return instantiateOn(WASM_BASE64, memory) as unknown as IwaeKernel;
}
