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
   * ReLU in place on `rows` rows of `cols` values; kind[row] (i32) ← DEAD when no value is
   * > 0, LINEAR when all are ≥ 0 (ReLU changed nothing), else MIXED (also when a NaN is there).
   */
  reluClassify(h: number, rows: number, cols: number, kind: number): void;
  /** Write the constants bceRows reads (CONSTANT_BYTES, 16-byte aligned) at k. */
  constants(k: number): void;
  /**
   * out[row] (float64) ← Σⱼ max(lⱼ, 0) − xⱼ·lⱼ + log(1 + e^−|lⱼ|) with l = c[row] + b, for
   * `rows` rows of n logits at c, all scored against the n pixels at x; k: the constants.
   * Needs n ≥ 4.
   */
  bceRows(c: number, b: number, x: number, out: number, rows: number, n: number, k: number): void;
}

/** reluClassify's kinds of rows. */
export const DEAD = 0;
export const MIXED = 1;
export const LINEAR = 2;

/** Bytes of the constants bceRows reads. */
export const CONSTANT_BYTES = 18 * 16;

const WASM_BASE64 = 'AGFzbQEAAAABJAVgBH9/f38AYAF/AGAEe3t7fwF7YAJ7ewF7YAd/f39/f39/AAISAQNlbnYGbWVtb3J5AgMBgIAEAwYFAAECAwQHJgMMcmVsdUNsYXNzaWZ5AAAJY29uc3RhbnRzAAEHYmNlUm93cwAECpUMBYYDBAR/BHsBfQN/AkADQCAEIAFPDQEgACAEIAJsQQJ0aiEH/QwAAAAAAAAAAAAAAAAAAAAAIQn9DP////////////////////8hCv0MAAAAAAAAAAAAAAAAAAAAACELQQAhBSACQXxxQQJ0IQYCQANAIAUgBk8NASAHIAVq/QAEACEIIAkgCP0MAAAAAAAAAAAAAAAAAAAAAP1E/VAhCSAKIAj9DAAAAAAAAAAAAAAAAAAAAAD9Rv1OIQogCyAIIAj9Qv1QIQsgByAFaiAI/QwAAAAAAAAAAAAAAAAAAAAA/ekB/QsEACAFQRBqIQUMAAsLIAn9UyENIAr9owEhDiAL/VMhDyACQQJ0IQYCQANAIAUgBk8NASAHIAVqKgIAIQwgDSAMQwAAAABeciENIA4gDEMAAAAAYHEhDiAPIAwgDFxyIQ8gByAFaiAMQwAAAACXOAIAIAVBBGohBQwACwsgAyAEQQJ0akEBQQJBASAOG0EAIA0bIA8bNgIAIARBAWohBAwACwsLvAMAIAD9DAAArkIAAK5CAACuQgAArkL9CwQAIAD9DDuquD87qrg/O6q4PzuquD/9CwQQIAD9DAAAAEsAAABLAAAASwAAAEv9CwQgIAD9DACAMT8AgDE/AIAxPwCAMT/9CwQwIAD9DIOAXrmDgF65g4BeuYOAXrn9CwRAIAD9DGdpUDlnaVA5Z2lQOWdpUDn9CwRQIAD9DM5DtzrOQ7c6zkO3Os5Dtzr9CwRgIAD9DAiJCDwIiQg8CIkIPAiJCDz9CwRwIAD9DMGpKj3BqSo9wakqPcGpKj39CwSAASAA/Qyqqio+qqoqPqqqKj6qqio+/QsEkAEgAP0MAAAAPwAAAD8AAAA/AAAAP/0LBKABIAD9DAAAgD8AAIA/AACAPwAAgD/9CwSwASAA/QwAAABAAAAAQAAAAEAAAABA/QsEwAEgAP0M2f3tPdn97T3Z/e092f3tPf0LBNABIAD9DHc83j13PN49dzzePXc83j39CwTgASAA/QzuZBI+7mQSPu5kEj7uZBI+/QsE8AEgAP0MaMxMPmjMTD5ozEw+aMxMPv0LBIACIAD9DKuqqj6rqqo+q6qqPquqqj79CwSQAgusAwEJeyAAIAH95AEhBCAD/QAEACAE/eAB/eoBIQUgBSAD/QAEEP3mASAD/QAEIP3kASEGIAYgA/0ABCD95QEhByAHIAP9AAQw/eYBIAX95QEgByAD/QAEQP3mAf3kASEIIAP9AARQIAj95gEgA/0ABGD95AEhCSAJIAj95gEgA/0ABHD95AEhCSAJIAj95gEgA/0ABIAB/eQBIQkgCSAI/eYBIAP9AASQAf3kASEJIAkgCP3mASAD/QAEoAH95AEhCSAJIAj95gEgCP3mASAI/eQBIAP9AASwAf3kASEJIAn9DH8AAEt/AABLfwAAS38AAEsgBv2xAUEX/asB/eYBIQogCiAKIAP9AATAAf3kAf3nASELIAsgC/3mASEMIAP9AATQASAM/eYBIAP9AATgAf3kASEJIAkgDP3mASAD/QAE8AH95AEhCSAJIAz95gEgA/0ABIAC/eQBIQkgCSAM/eYBIAP9AASQAv3kASEJIAsgC/3kASEL/QwAAAAAAAAAAAAAAAAAAAAAIAT96wEgAiAE/eYB/eUBIAsgCyAM/eYBIAn95gH95AH95AELJgAgACAB/V/98AEgASAB/Q0ICQoLDA0ODwABAgMEBQYH/V/98AEL9wECBX8CeyAFQXxxQQJ0IQogBUECdEEQayEL/QwAAAAAAQAAAAIAAAADAAAAQQQgBUEDcWv9Ef0/IQ0CQANAIAcgBE8NASAAIAcgBWxBAnRqIQj9DAAAAAAAAAAAAAAAAAAAAAAhDEEAIQkCQANAIAkgCk8NASAMIAggCWr9AAQAIAEgCWr9AAQAIAIgCWr9AAQAIAYQAhADIQwgCUEQaiEJDAALCyAFQQNxBEAgDCANIAggC2r9AAQAIAEgC2r9AAQAIAIgC2r9AAQAIAYQAv1OEAMhDAsgAyAHQQN0aiAM/SEAIAz9IQGgOQMAIAdBAWohBwwACwsL';

/** The kernel bound to `memory`. */
export function iwaeKernel(memory: WasmMemory): IwaeKernel {
  return instantiateOn(WASM_BASE64, memory) as unknown as IwaeKernel;
}
