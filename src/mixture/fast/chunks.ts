/**
 * The fused EM pass (./pass) over the whole data, chunk by chunk, on the worker
 * pool of src/parallel when the data are large enough to pay for it.
 *
 * The rows are cut into chunks whose size depends only on N and the size of the sums,
 * never on the number of threads; each chunk's log-likelihood and sums go to a slot of
 * their own, and the slots are added up in chunk order. So a fit gives bit-identical
 * results with 1, 2 or 16 threads, and single-threaded it runs the very same code.
 */
import { stableObject } from '../../stable-object';
import { float64Slots, threadsFor, toShared } from '../../parallel/plan';
import { ChunkTask, runChunks } from '../../parallel/pool';
import { Scratch, allocScratch, emPass } from './pass';
import { PreparedComponents } from './prepared';
import { Sums, allocSums, sumsLength } from './sums';

/** Rows per chunk: small enough to balance two to a few threads, large enough that claiming one is free. */
export const CHUNK_ROWS = 4096;
/** At most this much memory for the per-chunk slots (matters only for large d: K·d² values per slot). */
const SLOT_BUDGET_BYTES = 64 * 1024 * 1024;
/**
 * Below about this much work per pass (in nanoseconds, roughly, by the estimate in
 * `workEstimate`) a pass stays on the calling thread (see src/parallel/plan).
 */
const MIN_PARALLEL_WORK = 5e6;

export interface ChunkPlan {
  nChunks: number;
  chunkRows: number;
  /** 1 (log-likelihood) + the sums. */
  slotLength: number;
}

export function chunkPlan(N: number, kern: PreparedComponents): ChunkPlan {
  const slotLength = 1 + sumsLength(kern.type, kern.K, kern.d);
  const maxSlots = Math.max(1, Math.floor(SLOT_BUDGET_BYTES / (8 * slotLength)));
  const nChunks = Math.min(Math.ceil(N / CHUNK_ROWS), maxSlots);
  return { nChunks, chunkRows: Math.ceil(N / nChunks), slotLength };
}

/** Rough nanoseconds of one pass: per point and component, the d×d triangular work plus a constant. */
function workEstimate(N: number, kern: PreparedComponents): number {
  const triangular = kern.type === 'full' || kern.type === 'tied';
  return N * kern.K * ((triangular ? kern.d * kern.d : 2 * kern.d) + 16);
}

/** What a thread needs to run chunks: everything large is in SharedArrayBuffers when workers take part. */
export interface EmChunkPayload {
  x: Float64Array;
  n: number;
  kern: PreparedComponents;
  exact: boolean;
  plan: ChunkPlan;
  /** nChunks slots of plan.slotLength: [log-likelihood, sums...]. */
  results: Float64Array;
}

/** The chunk function (workers build theirs from the same payload through the pool). */
export function emChunkTask(p: EmChunkPayload, scratch: Scratch = allocScratch(p.kern.K, p.kern.d)): (chunk: number) => void {
  const { x, n, kern, exact, plan, results } = p;
  // Sums in this thread's own memory, copied to the chunk's slot once: the slots of chunks
  // running at the same time on other threads may share cache lines with this one.
  const local = new Float64Array(plan.slotLength);
  const sums = allocSums(kern.type, kern.K, kern.d, local, 1);
  return (chunk: number) => {
    const start = chunk * plan.chunkRows;
    const end = Math.min(n, start + plan.chunkRows);
    local.fill(0);
    local[0] = emPass(x, start, end, kern, sums, scratch, exact);
    results.set(local, chunk * plan.slotLength);
  };
}

/** Per-fit state of the chunked pass: the plan, the slots, and the data shared with workers. */
export interface ChunkedPass {
  plan: ChunkPlan;
  threads: number;
  x: Float64Array;
  results: Float64Array;
  /** The combined [log-likelihood, sums] and the Sums view on it. */
  total: Float64Array;
  sums: Sums;
}

/**
 * Set up the chunked pass of one fit: `nJobs` threads at most, and only if the work is
 * worth it. With workers, X is copied once into a SharedArrayBuffer (unless it is in
 * one already).
 */
export function planPass(x: Float64Array, N: number, kern: PreparedComponents, nJobs: number): ChunkedPass {
  const plan = chunkPlan(N, kern);
  const threads = threadsFor(plan.nChunks, nJobs, workEstimate(N, kern), MIN_PARALLEL_WORK);
  const shared = threads > 1;
  const total = new Float64Array(plan.slotLength);
  return stableObject({
    plan,
    threads,
    x: shared ? toShared(x) : x,
    results: float64Slots(plan.nChunks * plan.slotLength, shared),
    total,
    sums: allocSums(kern.type, kern.K, kern.d, total, 1),
  });
}

/**
 * One fused pass over all rows: fills `pass.sums` (and returns Σ log p(x)) from every
 * chunk's slot, added in chunk order.
 */
export function runPass(pass: ChunkedPass, N: number, kern: PreparedComponents, exact: boolean, scratch: Scratch): number {
  const payload: EmChunkPayload = { x: pass.x, n: N, kern, exact, plan: pass.plan, results: pass.results };
  const task: ChunkTask = { module: __filename, name: 'emChunkTask', payload };
  runChunks(task, pass.plan.nChunks, pass.threads, emChunkTask(payload, scratch));
  const { total, results } = pass;
  const L = pass.plan.slotLength;
  total.fill(0);
  for (let c = 0; c < pass.plan.nChunks; c++) {
    const o = c * L;
    for (let i = 0; i < L; i++) total[i] += results[o + i];
  }
  return total[0];
}
