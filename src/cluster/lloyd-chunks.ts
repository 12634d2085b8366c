/**
 * The Lloyd pass (assignAndAccumulate in ./lloyd) over all rows, chunk by chunk, on the
 * worker pool of src/parallel when the data are large enough to pay for it — the same
 * scheme as GaussianMixture's EM pass (src/mixture/em-chunks.ts):
 *
 * chunks are cut by the number of rows alone, each chunk's accumulator and count of
 * changed labels go to a slot of their own, and the slots are reduced in chunk order,
 * so the centres are bit-identical for every number of threads. Labels are written by
 * each chunk into its own rows of one shared array.
 */
import { ChunkTask, runChunks } from '../parallel/pool';
import { accumulatorLength, assignAndAccumulate, reduceAccumulator } from './lloyd';
import { WasmPlan, planWasm, reduceSlots, wasmChunkTask, wasmLabels, writeCentres } from './lloyd-wasm';

/** Rows per chunk (even, so rows keep their lane of the two-row pass). About 0.1 ms of work at 2-D. */
export const CHUNK_ROWS = 8192;
/** Below about this much work per pass (~ns, by n·k·(d + 2)) a pass stays on the calling thread. */
const MIN_PARALLEL_WORK = 2e6;

export interface LloydPayload {
  X: Float64Array;
  d: number;
  n: number;
  centers: Float64Array;
  k: number;
  labels: Int32Array;
  chunkRows: number;
  /** Per chunk: the accumulator, then the number of labels that changed. */
  results: Float64Array;
}

export function lloydChunkTask(p: LloydPayload): (chunk: number) => void {
  const accLength = accumulatorLength(p.k, p.d);
  // Accumulate in this thread's own memory and copy to the slot once: slots of chunks that
  // run at the same time on other threads may share a cache line with this one.
  const acc = new Float64Array(accLength);
  return (chunk: number) => {
    const start = chunk * p.chunkRows;
    const end = Math.min(p.n, start + p.chunkRows);
    acc.fill(0);
    const changed = assignAndAccumulate(p.X, p.d, start, end, p.centers, p.k, p.labels, acc);
    const o = chunk * (accLength + 1);
    p.results.set(acc, o);
    p.results[o + accLength] = changed;
  };
}

/**
 * Per-fit state. Where WebAssembly is available (Node always has it) the passes run the
 * SIMD kernel on its own copy of X (./lloyd-wasm); otherwise the scalar pass of ./lloyd on
 * X and result slots, in SharedArrayBuffers when workers take part.
 */
export type LloydPass = {
  labels: Int32Array;
  threads: number;
  nChunks: number;
} & ({ wasm: WasmPlan } | { wasm: null; X: Float64Array; results: Float64Array });

/** Set up the passes of one fit on X (n × d, k clusters) with at most `nJobs` threads; X is copied at most once. */
export function planLloyd(X: Float64Array, n: number, d: number, k: number, nJobs: number, useWasm = true): LloydPass {
  const nChunks = Math.ceil(n / CHUNK_ROWS);
  const threads = nChunks > 1 && nJobs > 1 && n * k * (d + 2) >= MIN_PARALLEL_WORK ? Math.min(nJobs, nChunks) : 1;
  const wasm = useWasm ? planWasm(X, n, d, k, CHUNK_ROWS) : null;
  if (wasm !== null) return { labels: wasmLabels(wasm), threads, nChunks, wasm };
  const shared = threads > 1;
  const slots = nChunks * (accumulatorLength(k, d) + 1);
  return {
    labels: shared ? new Int32Array(new SharedArrayBuffer(4 * n)) : new Int32Array(n),
    threads,
    nChunks,
    wasm: null,
    X: shared && !(X.buffer instanceof SharedArrayBuffer) ? copyShared(X) : X,
    results: shared ? new Float64Array(new SharedArrayBuffer(8 * slots)) : new Float64Array(slots),
  };
}

function copyShared(X: Float64Array): Float64Array {
  const copy = new Float64Array(new SharedArrayBuffer(X.byteLength));
  copy.set(X);
  return copy;
}

/**
 * Assign every row to its nearest centre (into pass.labels) and add the rows into
 * `sums` (k × d) and `counts` (the caller zeroes both). Returns how many labels changed.
 */
export function lloydPass(pass: LloydPass, n: number, d: number, centers: Float64Array, k: number, sums: Float64Array, counts: Float64Array): number {
  if (pass.wasm !== null) {
    writeCentres(pass.wasm, centers);
    const task: ChunkTask = { module: require.resolve('./lloyd-wasm'), name: 'wasmChunkTask', payload: pass.wasm };
    runChunks(task, pass.nChunks, pass.threads, wasmChunkTask(pass.wasm));
    return reduceSlots(pass.wasm, pass.nChunks, sums, counts);
  }
  const payload: LloydPayload = { X: pass.X, d, n, centers, k, labels: pass.labels, chunkRows: CHUNK_ROWS, results: pass.results };
  const task: ChunkTask = { module: __filename, name: 'lloydChunkTask', payload };
  runChunks(task, pass.nChunks, pass.threads, lloydChunkTask(payload));
  const accLength = accumulatorLength(k, d);
  let changed = 0;
  for (let c = 0; c < pass.nChunks; c++) {
    const o = c * (accLength + 1);
    reduceAccumulator(pass.results.subarray(o, o + accLength), k, d, sums, counts);
    changed += pass.results[o + accLength];
  }
  return changed;
}
