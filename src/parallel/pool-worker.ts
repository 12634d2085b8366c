/**
 * The worker-thread side of the pool (pool.ts starts this compiled file as a worker).
 * A job message names a task — a module and an exported factory `(payload) => (chunk) => void`
 * — and the worker claims chunks of it until none are left. The factory runs only once
 * the worker has actually won a chunk, so a stale message (the job already finished by
 * other threads) costs nothing.
 */
import { isMainThread, parentPort, workerData } from 'worker_threads';
import { claimChunk, finishChunk } from './control';
import { messageRead, park } from './bell';

/** workerData key that tells this module it runs as a pool worker, not imported by the main thread. */
export const POOL_WORKER_MARK = 'gmmVaePoolWorker';

export interface WorkerJob {
  gen: number;
  nChunks: number;
  control: SharedArrayBuffer;
  module: string;
  name: string;
  /** Undefined for a reused payload this worker keeps already (pool.ts's ChunkTask.reuse). */
  payload: unknown;
  /** Keep this payload for the next jobs. */
  keep: boolean;
}

type ChunkFactory = (payload: unknown) => (chunk: number) => void;

function serve(bell: Int32Array): void {
  let kept: unknown;
  parentPort!.on('message', (job: WorkerJob) => {
    messageRead(bell);
    const payload = job.keep && job.payload === undefined ? kept : job.payload;
    kept = job.keep ? payload : undefined;
    runJob(job, payload);
    // The next pass of a reused task may come by the bell (./bell).
    if (job.keep) for (let next = park(bell); next !== null; next = park(bell)) runJob({ ...job, ...next }, payload);
  });
}

function runJob(job: WorkerJob, payload: unknown): void {
  const claim = new BigInt64Array(job.control, 0, 1);
  const ctl = new Int32Array(job.control);
  let run: ((chunk: number) => void) | null = null;
  let reported = false;
  for (;;) {
    const chunk = claimChunk(claim, job.gen, job.nChunks);
    if (chunk < 0) break;
    try {
      if (!run) {
        const factory = (require(job.module) as Record<string, ChunkFactory>)[job.name];
        run = factory(payload);
      }
      run(chunk);
      finishChunk(ctl, false);
    } catch (err) {
      // The main thread sees the flag and redoes the job itself (and raises the error there if it recurs).
      if (!reported) parentPort!.postMessage({ error: err instanceof Error ? (err.stack ?? err.message).split('\n').slice(0, 3).join('\n') : String(err) });
      reported = true;
      finishChunk(ctl, true);
    }
  }
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[POOL_WORKER_MARK] === true) {
  const { ready, bell } = workerData as { ready: Int32Array; bell: Int32Array };
  serve(bell);
  // Listening: the pool may post jobs now.
  Atomics.store(ready, 0, 1);
  Atomics.notify(ready, 0);
}
