/**
 * What the chunked passes of KMeans and GaussianMixture share when they plan a fit: how many
 * threads a pass gets, and their data in shared memory for the workers.
 *
 * The chunks themselves are cut by the number of rows alone (each pass has its own chunk
 * size), never by the number of threads, so results do not depend on it.
 */

/**
 * Threads for a pass of `nChunks` chunks with `nJobs` allowed: 1 unless there is more than
 * one chunk, more than one job, and at least `minWork` of work: waking workers has a cost
 * every pass, and starting them the first time a larger one.
 */
export function threadsFor(nChunks: number, nJobs: number, work: number, minWork: number): number {
  return nChunks > 1 && nJobs > 1 && work >= minWork ? Math.min(nJobs, nChunks) : 1;
}

/** `x` in a SharedArrayBuffer, which workers can read: `x` itself if it is in one, else a copy. */
export function toShared(x: Float64Array): Float64Array {
  if (x.buffer instanceof SharedArrayBuffer) return x;
  const copy = new Float64Array(new SharedArrayBuffer(x.byteLength));
  copy.set(x);
  return copy;
}

/** A zeroed Float64Array of `length`, shared with workers or not. */
export function float64Slots(length: number, shared: boolean): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length);
}
