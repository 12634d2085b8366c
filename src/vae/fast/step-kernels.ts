/**
 * The compiled ./step-kernels.wat (WebAssembly SIMD): elementwise passes of the VAE's training
 * step (ReLU, its gradient, the Bernoulli loss with its gradient), instantiated on
 * tfjs-backend-wasm's memory so they work on tensors where tfjs keeps them.
 * After editing the .wat, `npm run wasm` re-embeds the binary (a test checks they agree).
 */
import { WasmMemory, instantiateOn } from '../../wasm';

/** Addresses in bytes, counts in float32 elements. */
export interface StepKernels {
  /** x ← max(x, 0) in place. */
  relu(x: number, n: number): void;
  /** out ← dy where y > 0, else 0. */
  reluGrad(dy: number, y: number, out: number, n: number): void;
  /**
   * g ← sigmoid(l) − x; returns Σ max(l, 0) − x·l + log(1 + e^−|l|), summed in float64.
   * Needs n ≥ 4.
   */
  bce(l: number, x: number, g: number, n: number): number;
}

const WASM_BASE64 =
  'AGFzbQEAAAABIgVgAn9/AGAEf39/fwBgA3t7fwF7YAJ7ewF7YAR/f39/AXwCDwEDZW52Bm1lbW9yeQIAAQMGBQABAgMEBxkDBHJlbHUAAAhyZWx1R3JhZAABA2JjZQAECpsKBX4BAn8gAUF8cUECdCEDAkADQCACIANPDQEgACACaiAAIAJq/QAEAP0MAAAAAAAAAAAAAAAAAAAAAP3pAf0LBAAgAkEQaiECDAALCyABQQJ0IQMCQANAIAIgA08NASAAIAJqIAAgAmoqAgBDAAAAAJc4AgAgAkEEaiECDAALCwuWAQECfyADQXxxQQJ0IQUCQANAIAQgBU8NASACIARqIAAgBGr9AAQAIAEgBGr9AAQA/QwAAAAAAAAAAAAAAAAAAAAA/UT9Tv0LBAAgBEEQaiEEDAALCyADQQJ0IQUCQANAIAQgBU8NASACIARqIAAgBGoqAgBDAAAAACABIARqKgIAQwAAAABeGzgCACAEQQRqIQQMAAsLC9cFAQl7/QwAAK5CAACuQgAArkIAAK5CIAD94AH96gEhAyAD/Qw7qrg/O6q4PzuquD87qrg//eYB/QwAAABLAAAASwAAAEsAAABL/eQBIQQgBP0MAAAASwAAAEsAAABLAAAAS/3lASEFIAX9DACAMT8AgDE/AIAxPwCAMT/95gEgA/3lASAF/QyDgF65g4BeuYOAXrmDgF65/eYB/eQBIQb9DGdpUDlnaVA5Z2lQOWdpUDkgBv3mAf0MzkO3Os5DtzrOQ7c6zkO3Ov3kASEHIAcgBv3mAf0MCIkIPAiJCDwIiQg8CIkIPP3kASEHIAcgBv3mAf0MwakqPcGpKj3BqSo9wakqPf3kASEHIAcgBv3mAf0MqqoqPqqqKj6qqio+qqoqPv3kASEHIAcgBv3mAf0MAAAAPwAAAD8AAAA/AAAAP/3kASEHIAcgBv3mASAG/eYBIAb95AH9DAAAgD8AAIA/AACAPwAAgD/95AEhByAH/Qx/AABLfwAAS38AAEt/AABLIAT9sQFBF/2rAf3mASEI/QwAAIA/AACAPwAAgD8AAIA/IAj9DAAAgD8AAIA/AACAPwAAgD/95AH95wEhCSACIAkgCCAJ/eYBIAD9DAAAAAAAAAAAAAAAAAAAAAD9Rv1SIAH95QH9CwQAIAggCP0MAAAAQAAAAEAAAABAAAAAQP3kAf3nASEKIAogCv3mASEL/QzZ/e092f3tPdn97T3Z/e09IAv95gH9DHc83j13PN49dzzePXc83j395AEhByAHIAv95gH9DO5kEj7uZBI+7mQSPu5kEj795AEhByAHIAv95gH9DGjMTD5ozEw+aMxMPmjMTD795AEhByAHIAv95gH9DKuqqj6rqqo+q6qqPquqqj795AEhByAKIAr95AEhCv0MAAAAAAAAAAAAAAAAAAAAACAA/esBIAEgAP3mAf3lASAKIAogC/3mASAH/eYB/eQB/eQBCyYAIAAgAf1f/fABIAEgAf0NCAkKCwwNDg8AAQIDBAUGB/1f/fABC4ECAgN/A3sgA0F8cUECdCEFIANBeHFBAnQhBgJAA0AgBCAGTw0BIAcgACAEav0ABAAgASAEav0ABAAgAiAEahACEAMhByAIIAAgBGr9AAQQIAEgBGr9AAQQIAIgBGpBEGoQAhADIQggBEEgaiEEDAALCyAEIAVJBEAgByAAIARq/QAEACABIARq/QAEACACIARqEAIQAyEHCyADQQNxBEAgA0ECdEEQayEE/QwAAAAAAQAAAAIAAAADAAAAQQQgA0EDcWv9Ef0/IQkgCCAJIAAgBGr9AAQAIAEgBGr9AAQAIAIgBGoQAv1OEAMhCAsgByAI/fABIQcgB/0hACAH/SEBoAs=';

/** The kernels bound to `memory`. */
export function stepKernels(memory: WasmMemory): StepKernels {
  return instantiateOn(WASM_BASE64, memory) as unknown as StepKernels;
}
