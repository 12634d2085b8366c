/**
 * K-Means' fast path, behind one entry point: the assignment step of ../lloyd as one pass
 * over the data (WebAssembly SIMD kernel, worker threads for large data), which ../kmeans
 * hands to Lloyd's loop, with the end of each run; and k-means++ seeding (../init's rows) as
 * sweeps over the same copy of the data.
 */
export { LloydPass, lloydFinish, lloydPass, planLloyd, useSeedLabels } from './chunks';
export { seedRows } from './seeding';
export { seedRuns } from './seed-runs';
