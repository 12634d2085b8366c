/**
 * The mixture's fast path, behind one entry point: one EM iteration as a fused pass over the
 * data (E-step and M-step sums together, WebAssembly SIMD for the d×d work, worker threads for
 * large data), computing what the reference `eStep` (../e-step) then `mStep` (../m-step)
 * compute. ../gaussian-mixture calls it from BaseMixture's `emIteration`.
 */
export { EmWorkspace, allocWorkspace, fastEmIteration } from './iteration';
