/**
 * A small persistent pool of worker threads for data-parallel passes over chunks of
 * rows, run synchronously: `runChunks` returns when every chunk is done, so callers
 * (GaussianMixture.fit, KMeans.fit) keep their synchronous API.
 *
 * - Lazy: no thread starts until a fit plans parallel passes (`prepareWorkers`) or a pass
 *   asks for one; the workers then stay for the next passes (starting one costs tens of
 *   milliseconds, during which the passes run without it).
 * - unref'd: an idle pool never keeps the process alive; `terminateWorkers()` ends it.
 * - Data go through SharedArrayBuffers (no copies per pass); small parameters go in
 *   the job message. A fit's passes reuse one payload, which each worker keeps, and wake a
 *   worker parked after the pass before by its doorbell instead of a message (./bell).
 * - Chunks are claimed one at a time by whichever thread is free — the main thread
 *   too — so a core busy with something else slows the pass down only by its share.
 *   Each chunk writes its result to a place of its own and the caller combines them
 *   in chunk order: results never depend on the number of threads or who ran what.
 * - Works from the compiled library only (a worker needs a .js file); elsewhere, or if
 *   workers fail, everything runs on the calling thread.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { CONTROL_BYTES, DONE, FAILED, MAIN_SLEEPS, claimChunk, claimWord, finishChunk } from './control';
import { POOL_WORKER_MARK, WorkerJob } from './pool-worker';
import { BELL_BYTES, beforePost, isParked, ring } from './bell';
import { waitWhile } from './wait';

/** A chunk function that workers can build for themselves: `require(module)[name](payload)`. */
export interface ChunkTask {
  /** Absolute path of a compiled module (pass the task module's own `__filename`). */
  module: string;
  name: string;
  /** Structured-cloned into each worker: put large arrays in SharedArrayBuffers. */
  payload: unknown;
  /**
   * The same payload object serves many tasks (a fit's passes): each worker keeps it and is not
   * sent it again while tasks pass that object (cloning it cost ~50 µs a pass). It must not
   * change once used, and is held until a task with another payload runs.
   */
  reuse?: boolean;
}

/** If no chunk finishes for this long, a worker is taken to be gone. */
const STALL_MS = 60_000;
const WORKER_FILE = path.join(__dirname, 'pool-worker.js');

/** A worker, and the flag it sets once it listens for jobs. */
interface PoolWorker {
  worker: Worker;
  ready: Int32Array;
  /** Its doorbell (./bell), and the reused task it last ran (see ChunkTask.reuse), which the bell repeats. */
  bell: Int32Array;
  last: ChunkTask | null;
}

const state = {
  workers: [] as PoolWorker[],
  control: new SharedArrayBuffer(CONTROL_BYTES),
  gen: 0,
  /** Set when workers cannot be used in this process (with the reason). */
  disabled: null as string | null,
  /** Whether a pass is running (a nested pass runs on its own thread). */
  busy: false,
  /** Tests turn this off so that every chunk is computed by a worker. */
  mainThreadWorks: true,
  /** For tests: a thread cap other than the number of cores. */
  maxThreads: undefined as number | undefined,
  /** Chunks the workers did in the last pass (for tests and diagnostics). */
  lastWorkerChunks: 0,
  /** Jobs handed to workers by their bell rather than by message (for tests and diagnostics). */
  rung: 0,
};

let threadsHere: number | undefined;

/** Threads this machine runs in parallel: the default number of jobs. */
export function availableThreads(): number {
  // Asked once: every pass asks, and the system call costs ~30 µs.
  threadsHere ??= typeof os.availableParallelism === 'function' ? os.availableParallelism() : Math.max(1, os.cpus().length);
  return threadsHere;
}

/**
 * Run chunks 0..nChunks−1 on up to `threads` threads, this one included. `local(i)` runs
 * chunk i here; a worker runs `require(task.module)[task.name](task.payload)(i)`. Both
 * must compute the same thing into a per-chunk place.
 */
export function runChunks(task: ChunkTask, nChunks: number, threads: number, local: (chunk: number) => void): void {
  const helpers = helpersFor(Math.min(threads, nChunks));
  const workers = helpers > 0 && !state.busy ? readyWorkers(startWorkers(helpers)) : [];
  if (workers.length === 0) {
    for (let i = 0; i < nChunks; i++) local(i);
    return;
  }
  state.busy = true;
  try {
    if (runOnWorkers(task, nChunks, workers, local)) return;
  } finally {
    state.busy = false;
  }
  // A worker's chunk threw. Redo everything here: a genuine error then surfaces on this thread.
  for (let i = 0; i < nChunks; i++) local(i);
  const reason = 'a worker thread failed on a chunk that then succeeded on the main thread';
  disable(reason);
  process.emitWarning(`Parallel passes are off for this process: ${reason}. Its error is reported separately.`);
}

/** Returns false if some worker's chunk failed. */
function runOnWorkers(task: ChunkTask, nChunks: number, workers: PoolWorker[], local: (chunk: number) => void): boolean {
  const claim = new BigInt64Array(state.control, 0, 1);
  const ctl = new Int32Array(state.control);
  const gen = ++state.gen;
  Atomics.store(ctl, DONE, 0);
  Atomics.store(ctl, FAILED, 0);
  Atomics.store(claim, 0, claimWord(gen, 0));
  for (const w of workers) {
    const same = task.reuse === true && w.last !== null && w.last.payload === task.payload && w.last.module === task.module && w.last.name === task.name;
    if (same && ring(w.bell, gen, nChunks)) {
      state.rung++;
      continue;
    }
    w.last = task.reuse === true ? task : null;
    const job: WorkerJob = { gen, nChunks, control: state.control, module: task.module, name: task.name, payload: same ? undefined : task.payload, keep: task.reuse === true };
    beforePost(w.bell);
    w.worker.postMessage(job);
  }
  let mine = 0;
  if (state.mainThreadWorks) {
    for (;;) {
      const chunk = claimChunk(claim, gen, nChunks);
      if (chunk < 0) break;
      try {
        local(chunk);
      } catch (err) {
        // Stop handing out chunks, and let the workers finish theirs before the buffers are reused.
        const word = Atomics.exchange(claim, 0, claimWord(gen, nChunks));
        waitDone(ctl, Math.min(Number(word & 0xffffffffn), nChunks) - mine - 1);
        throw err;
      }
      mine++;
    }
  }
  waitDone(ctl, nChunks - mine);
  state.lastWorkerChunks = nChunks - mine;
  return Atomics.load(ctl, FAILED) === 0;
}

/** Block until the workers have finished `target` chunks. */
function waitDone(ctl: Int32Array, target: number): void {
  let seen = Atomics.load(ctl, DONE);
  let since = Date.now();
  while (seen < target) {
    waitWhile(ctl, DONE, seen, MAIN_SLEEPS, 250);
    const now = Atomics.load(ctl, DONE);
    if (now !== seen) {
      seen = now;
      since = Date.now();
    } else if (Date.now() - since > STALL_MS) {
      disable('a worker thread stopped responding');
      void terminateWorkers();
      throw new Error(
        `A worker thread stopped responding (no chunk finished in ${STALL_MS / 1000} s). ` +
          'Parallel passes are now off for this process; fit again, or pass nJobs: 1.',
      );
    }
  }
}

/**
 * Start the workers a fit's passes will use, before its first pass: a worker takes some 60 ms
 * to start here, and a fit's set-up (copying X, seeding) can run meanwhile.
 */
export function prepareWorkers(threads: number): void {
  const helpers = helpersFor(threads);
  if (helpers > 0 && !state.busy) startWorkers(helpers);
}

/** Workers beside this thread for `threads` threads: never more threads than cores (nJobs: 1000 must not start 999 workers on 2 cores); tests may raise the cap. */
function helpersFor(threads: number): number {
  return Math.min(threads, state.maxThreads ?? availableThreads()) - 1;
}

/**
 * The workers that listen for jobs. A job posted to a worker still starting would wait in its
 * queue, and the worker would then deserialise a backlog of jobs long done before its first
 * live one; so a pass runs without it until it is ready (tests, where this thread does no
 * chunks, wait for it).
 */
function readyWorkers(workers: PoolWorker[]): PoolWorker[] {
  if (!state.mainThreadWorks) for (const w of workers) Atomics.wait(w.ready, 0, 0, 10_000);
  return workers.filter((w) => Atomics.load(w.ready, 0) === 1);
}

/** Up to n workers, started on first need; fewer (maybe none) if threads cannot be used here. */
function startWorkers(n: number): PoolWorker[] {
  if (state.disabled) return [];
  if (state.workers.length >= n) return state.workers.slice(0, n);
  if (!__filename.endsWith('.js') || !fs.existsSync(WORKER_FILE)) {
    disable(`the worker script ${WORKER_FILE} is not there (not running from the compiled library)`);
    return [];
  }
  try {
    while (state.workers.length < n) {
      const ready = new Int32Array(new SharedArrayBuffer(4));
      const bell = new Int32Array(new SharedArrayBuffer(BELL_BYTES));
      const w = new Worker(WORKER_FILE, { workerData: { [POOL_WORKER_MARK]: true, ready, bell } });
      w.on('message', (m: { error?: string }) => {
        if (m && m.error) process.emitWarning(`A parallel worker failed: ${m.error}`);
      });
      w.on('error', (err) => disable(`a worker thread crashed: ${err.message}`));
      // After the listeners: adding a 'message' listener refs the worker again.
      w.unref();
      state.workers.push({ worker: w, ready, bell, last: null });
    }
  } catch (err) {
    disable(`worker threads could not start: ${(err as Error).message}`);
    return [];
  }
  return state.workers.slice(0, n);
}

function disable(reason: string): void {
  state.disabled ??= reason;
}

/** Stop all workers (the next parallel pass starts new ones). Resolves once they have exited. */
export async function terminateWorkers(): Promise<void> {
  const workers = state.workers;
  state.workers = [];
  await Promise.all(workers.map((w) => w.worker.terminate()));
}

/** What the pool is doing, for tests and diagnostics. */
export function poolStatus(): { workers: number; disabled: string | null; lastWorkerChunks: number; rung: number; parked: number } {
  const parked = state.workers.filter((w) => isParked(w.bell)).length;
  return { workers: state.workers.length, disabled: state.disabled, lastWorkerChunks: state.lastWorkerChunks, rung: state.rung, parked };
}

/**
 * For tests: with `mainThreadWorks: false` the calling thread only waits, so every chunk
 * of a parallel pass is computed by a worker. `enable: true` clears an earlier failure.
 * `maxThreads` lets a test run more threads than this machine has cores (undefined: the cores).
 */
export function configurePool(options: { mainThreadWorks?: boolean; enable?: boolean; maxThreads?: number }): void {
  if (options.mainThreadWorks !== undefined) state.mainThreadWorks = options.mainThreadWorks;
  if ('maxThreads' in options) state.maxThreads = options.maxThreads;
  if (options.enable) state.disabled = null;
}
