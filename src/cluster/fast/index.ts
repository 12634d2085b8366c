/**
 * K-Means' fast path, behind one entry point: the assignment step of ../lloyd as one pass
 * over the data (WebAssembly SIMD kernel, worker threads for large data), which ../kmeans
 * hands to Lloyd's loop.
 */
export { LloydPass, lloydFinish, lloydPass, planLloyd } from './chunks';
export { seedRows } from './seeding';
