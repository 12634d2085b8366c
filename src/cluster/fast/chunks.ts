/**
 * The Lloyd pass over all rows, chunk by chunk, on the worker pool of src/parallel when the
 * data are large enough to pay for it: the same scheme as GaussianMixture's EM pass
 * (src/mixture/fast/chunks.ts). Chunks are cut by the number of rows alone, each chunk's sums
 * and count of changed labels go to a slot of its own, and the slots are reduced in chunk
 * order, so the centres are bit-identical for every number of threads. Labels are written by
 * each chunk into its own rows of one shared array.
 *
 * From 3 features on, a run's later passes give the change in the sums since the pass before,
 * added here to that pass's sums (in chunk order too); see ./wasm-pass.
 *
 * The pass runs the WebAssembly SIMD kernel (./wasm-pass; Node always has it). Where it cannot
 * (no WebAssembly, or data too large for its 32-bit memory), it runs ../lloyd's plain
 * `assignAndSum` instead.
 */
import { float64Slots, threadsFor, toShared } from '../../parallel/plan';
import { ChunkTask, prepareWorkers, runChunks } from '../../parallel/pool';
import { assignAndSum, assignLabels, inertiaForLabels } from '../lloyd';
import { DataStats, dataStats } from '../data-stats';
import { labelledInertia } from './seeding';
import { runLabelsAt } from './seed-runs';
import { computedRows, passInertia, reduceSlots } from './slots';
import { WasmPlan, planWasm, setLabelsFrom, wasmChunkTask, wasmLabels, writeCentres } from './wasm-pass';

/** Rows per chunk (even, so rows keep their lane of the kernel's two-row pass). */
export const CHUNK_ROWS = 8192;
/** Below about this much work per pass (~ns, by n·k·(d + 2)) a pass stays on the calling thread. */
const MIN_PARALLEL_WORK = 2e6;
/** The module workers load the pass from (resolved once: resolving costs ~20 µs a pass). */
const WASM_PASS_MODULE = require.resolve('./wasm-pass');

/** The plain pass's chunks: per chunk a slot of k·d sums, k counts, and the number of labels changed. */
export interface PlainPayload {
  X: Float64Array;
  d: number;
  n: number;
  centers: Float64Array;
  k: number;
  labels: Int32Array;
  chunkRows: number;
  results: Float64Array;
}

function slotLength(k: number, d: number): number {
  return k * d + k + 1;
}

export function plainChunkTask(p: PlainPayload): (chunk: number) => void {
  const { k, d } = p;
  // Sums in this thread's own memory, copied to the slot once: slots of chunks that run at
  // the same time on other threads may share a cache line with this one.
  const local = new Float64Array(slotLength(k, d));
  const sums = local.subarray(0, k * d), counts = local.subarray(k * d, k * d + k);
  return (chunk: number) => {
    const start = chunk * p.chunkRows;
    local.fill(0);
    local[k * d + k] = assignAndSum(p.X, d, start, Math.min(p.n, start + p.chunkRows), p.centers, k, p.labels, sums, counts);
    p.results.set(local, chunk * local.length);
  };
}

/** Per-fit state: the kernel's plan, or X and result slots for the plain pass (shared when workers take part). */
export type LloydPass = {
  labels: Int32Array;
  /** Where a fit keeps the labels of its best run so far (the next run overwrites `labels`). */
  bestLabels: Int32Array;
  /** X's statistics, gathered by the one pass over X that copies it (../data-stats). */
  stats: DataStats;
  threads: number;
  nChunks: number;
} & (
  | {
      wasm: WasmPlan;
      /**
       * The centres of the last pass, whose labels and bounds the kernel's memory holds; null
       * (a new plan, or labels changed outside the pass) makes the next pass compute every row.
       */
      previous: Float64Array | null;
      /** The sums (k × d) and counts (k) of the last pass's labels: later passes give their change. */
      sums: Float64Array;
      counts: Float64Array;
      /** Rows the last pass computed distances for (the others kept their labels by their bounds). */
      computed: number;
      /** The last pass's index in its run (0: the run's first). */
      inRun: number;
      /** Where the next run's first pass finds its labels, from k-means++ (`useSeedLabels`); 0: it computes them. */
      seeded: number;
    }
  | { wasm: null; X: Float64Array; results: Float64Array }
);

/**
 * Set up the passes of one fit on X (n × d, k clusters) with at most `nJobs` threads; X is
 * read once (and copied at most once), which also gives its statistics. `useWasm` false (tests) takes the plain pass.
 */
export function planLloyd(X: Float64Array, n: number, d: number, k: number, nJobs: number, useWasm = true, runs = 0): LloydPass {
  const nChunks = Math.ceil(n / CHUNK_ROWS);
  const threads = threadsFor(nChunks, nJobs, n * k * (d + 2), MIN_PARALLEL_WORK);
  if (threads > 1) prepareWorkers(threads);
  const planned = useWasm ? planWasm(X, n, d, k, CHUNK_ROWS, threads, runs) : null;
  if (planned !== null) {
    const { plan } = planned;
    return { labels: wasmLabels(plan), bestLabels: new Int32Array(plan.memory.buffer, plan.bestLabelsAt, n), stats: planned.stats, threads, nChunks, wasm: plan, previous: null, sums: new Float64Array(k * d), counts: new Float64Array(k), computed: 0, inRun: 0, seeded: 0 };
  }
  const shared = threads > 1;
  return {
    labels: shared ? new Int32Array(new SharedArrayBuffer(4 * n)) : new Int32Array(n),
    bestLabels: new Int32Array(n),
    stats: dataStats(X, n, d),
    threads,
    nChunks,
    wasm: null,
    X: shared ? toShared(X) : X,
    results: float64Slots(nChunks * slotLength(k, d), shared),
  };
}

/**
 * Assign every row to its nearest centre (into pass.labels) and add the rows into
 * `sums` (k × d) and `counts` (the caller zeroes both). Returns how many labels changed.
 */
export function lloydPass(pass: LloydPass, n: number, d: number, centers: Float64Array, k: number, sums: Float64Array, counts: Float64Array): number {
  if (pass.wasm !== null) {
    // A run starts with every label −1 (../lloyd): then every row is computed and summed. So
    // is its second pass: the first pass's centres are far from settled, and the bounds leave
    // nearly every row, which the bounded pass computes more slowly than the full one (measured).
    pass.inRun = pass.labels[0] < 0 ? 0 : pass.inRun + 1;
    const fresh = pass.previous === null || pass.inRun < 2;
    writeCentres(pass.wasm, centers, fresh ? null : pass.previous);
    if (pass.inRun === 0 && pass.seeded !== 0) setLabelsFrom(pass.wasm, pass.seeded);
    pass.seeded = 0;
    const task: ChunkTask = { module: WASM_PASS_MODULE, name: 'wasmChunkTask', payload: pass.wasm, reuse: true };
    runChunks(task, pass.nChunks, pass.threads, wasmChunkTask(pass.wasm));
    // passBounded gives the change in the sums since the last pass (a fresh pass, the sums).
    if (pass.wasm.wide && !fresh) {
      sums.set(pass.sums);
      counts.set(pass.counts);
    }
    const changed = reduceSlots(pass.wasm, pass.nChunks, sums, counts);
    pass.computed = pass.wasm.wide ? computedRows(pass.wasm, pass.nChunks) : n;
    pass.sums.set(sums);
    pass.counts.set(counts);
    // An empty cluster takes a row from outside the pass (../lloyd): its bounds no longer hold.
    pass.previous = counts.includes(0) ? null : centers.slice();
    return changed;
  }
  const payload: PlainPayload = { X: pass.X, d, n, centers, k, labels: pass.labels, chunkRows: CHUNK_ROWS, results: pass.results };
  const task: ChunkTask = { module: __filename, name: 'plainChunkTask', payload };
  runChunks(task, pass.nChunks, pass.threads, plainChunkTask(payload));
  const L = slotLength(k, d);
  let changed = 0;
  for (let c = 0; c < pass.nChunks; c++) {
    const o = c * L;
    for (let i = 0; i < k * d; i++) sums[i] += pass.results[o + i];
    for (let i = 0; i < k; i++) counts[i] += pass.results[o + k * d + i];
    changed += pass.results[o + k * d + k];
  }
  return changed;
}

/**
 * The next run's first pass takes its labels from k-means++ (run `run`'s, if ./seeding found
 * them: `labelled`) instead of computing them.
 */
export function useSeedLabels(pass: LloydPass, run: number, labelled: boolean): void {
  if (pass.wasm !== null) pass.seeded = labelled ? runLabelsAt(pass.wasm, run) : 0;
}

/**
 * The end of a run (../lloyd's `FinishStep`) on the fast path: the relabelling is one more
 * Lloyd pass (its sums unused), and the inertia is summed in the direct form by
 * ./distance-kernel. The plain pass ends with ../lloyd's plain functions.
 */
export function lloydFinish(pass: LloydPass, X: Float64Array, n: number, d: number, centers: Float64Array, k: number, relabel: boolean): number {
  if (pass.wasm === null) return relabel ? assignLabels(X, d, 0, n, centers, k, pass.labels) : inertiaForLabels(X, d, 0, n, centers, pass.labels);
  if (relabel) lloydPass(pass, n, d, centers, k, new Float64Array(k * d), new Float64Array(k));
  // pass2's distances are the direct form's: it summed the inertia as labelledInertia would.
  if (relabel && !pass.wasm.wide) return passInertia(pass.wasm, pass.nChunks);
  return labelledInertia(pass.wasm, pass.threads, centers);
}
