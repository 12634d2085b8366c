/**
 * The worker-thread side of the pool (pool.ts starts this compiled file as a worker).
 * A job message names a task — a module and an exported factory `(payload) => (chunk) => void`
 * — and the worker claims chunks of it until none are left. The factory runs only once
 * the worker has actually won a chunk, so a stale message (the job already finished by
 * other threads) costs nothing.
 */
import { isMainThread, parentPort, workerData } from 'worker_threads';
import { claimChunk, finishChunk } from './control';

/** workerData key that tells this module it runs as a pool worker, not imported by the main thread. */
export const POOL_WORKER_MARK = 'gmmVaePoolWorker';

export interface WorkerJob {
  gen: number;
  nChunks: number;
  control: SharedArrayBuffer;
  module: string;
  name: string;
  payload: unknown;
}

type ChunkFactory = (payload: unknown) => (chunk: number) => void;

function serve(): void {
  parentPort!.on('message', (job: WorkerJob) => {
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
          run = factory(job.payload);
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
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[POOL_WORKER_MARK] === true) {
  serve();
  // Listening: the pool may post jobs now.
  const ready = (workerData as { ready: Int32Array }).ready;
  Atomics.store(ready, 0, 1);
  Atomics.notify(ready, 0);
}
