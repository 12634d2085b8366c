/**
 * The doorbell of a pool worker (src/parallel). After a job, a worker parks for a moment in
 * Atomics.wait instead of going back to its event loop, and the next job of the same task
 * (a fit's next pass) rings it awake with the job's generation and chunk count: a futex wake
 * of some microseconds, where a message cost the main thread ~40 µs to post and reached the
 * worker ~90 µs later (measured on 100k × 16-D K-Means passes of ~0.5 ms). Any other job
 * goes by message, and first calls a parked worker back to its event loop to read it.
 *
 * Int32 words of a worker's bell:
 *   0  state: AWAY (in its event loop), PARKED, RINGING (the main thread is writing a job),
 *      RUNG (a job is written), CALLED (a message is coming)
 *   1  the rung job's generation     2  its number of chunks
 *   3  messages posted to the worker and not yet handled (it parks only when there are none)
 *   4  1 while the worker sleeps in its wait (./wait: only a sleeper is woken)
 * Only the worker sets AWAY and PARKED; the main thread moves PARKED on, by compare-exchange,
 * so the two never overwrite each other's signal.
 */
import { waitWhile, wake } from './wait';

export const BELL_BYTES = 24;

const STATE = 0;
const GEN = 1;
const CHUNKS = 2;
const MAIL = 3;
const SLEEPS = 4;

const AWAY = 0;
const PARKED = 1;
const RINGING = 2;
const RUNG = 3;
const CALLED = 4;

/** How long a worker waits for the next ring: longer than the main thread's work between two passes. */
const PARK_MS = 2;

/** Main thread: hand job `gen` of the worker's last task to it if it is parked; false if it is not. */
export function ring(bell: Int32Array, gen: number, nChunks: number): boolean {
  if (Atomics.compareExchange(bell, STATE, PARKED, RINGING) !== PARKED) return false;
  Atomics.store(bell, GEN, gen);
  Atomics.store(bell, CHUNKS, nChunks);
  Atomics.store(bell, STATE, RUNG);
  wake(bell, STATE, SLEEPS);
  return true;
}

/** Whether the worker waits for a ring now (for tests and diagnostics). */
export function isParked(bell: Int32Array): boolean {
  return Atomics.load(bell, STATE) === PARKED;
}

/** Main thread, before posting a message to the worker: count it, and call the worker back to read it. */
export function beforePost(bell: Int32Array): void {
  Atomics.add(bell, MAIL, 1);
  if (Atomics.compareExchange(bell, STATE, PARKED, CALLED) === PARKED) wake(bell, STATE, SLEEPS);
}

/** Worker, on each message. */
export function messageRead(bell: Int32Array): void {
  Atomics.sub(bell, MAIL, 1);
}

/**
 * Worker, after a job: wait a moment for the next one of the same task. Returns its generation
 * and chunk count, or null to go back to the event loop (no ring in time, or a message waits).
 */
export function park(bell: Int32Array): { gen: number; nChunks: number } | null {
  Atomics.store(bell, STATE, PARKED);
  if (Atomics.load(bell, MAIL) === 0) waitWhile(bell, STATE, PARKED, SLEEPS, PARK_MS);
  if (Atomics.compareExchange(bell, STATE, PARKED, AWAY) === PARKED) return null;
  let state = Atomics.load(bell, STATE);
  while (state === RINGING) state = Atomics.load(bell, STATE);
  if (state === CALLED) {
    Atomics.store(bell, STATE, AWAY);
    return null;
  }
  // RUNG: the job is written, and stays so until this worker parks again.
  const job = { gen: Atomics.load(bell, GEN), nChunks: Atomics.load(bell, CHUNKS) };
  Atomics.store(bell, STATE, AWAY);
  return job;
}
