/**
 * The shared control block of one pool job, used by both sides of src/parallel:
 *   bytes 0..8    claim word (BigInt64): job generation << 32 | next unclaimed chunk
 *   bytes 8..12   chunks finished (Int32; the main thread waits on it)
 *   bytes 12..16  set to 1 when a worker's chunk threw
 *   bytes 16..20  1 while the main thread sleeps waiting for chunks (./wait: only a sleeper
 *                 is woken)
 *
 * Generation and chunk counter share one word so that a worker still holding an
 * old job's message can never claim a chunk of the next job: its compare-exchange
 * fails as soon as the generation has moved on.
 */
import { wake } from './wait';

export const CONTROL_BYTES = 24;
export const DONE = 2; // Int32 index
export const FAILED = 3; // Int32 index
export const MAIN_SLEEPS = 4; // Int32 index

const LOW = 0xffffffffn;

export function claimWord(gen: number, next: number): bigint {
  return (BigInt(gen) << 32n) | BigInt(next);
}

/** The next chunk of job `gen` for the caller, or -1 when there is none (all claimed, or another job). */
export function claimChunk(claim: BigInt64Array, gen: number, nChunks: number): number {
  const mine = BigInt(gen);
  for (;;) {
    const word = Atomics.load(claim, 0);
    if (word >> 32n !== mine) return -1;
    const next = Number(word & LOW);
    if (next >= nChunks) return -1;
    if (Atomics.compareExchange(claim, 0, word, word + 1n) === word) return next;
  }
}

/** Count chunk `done` and wake the main thread if it sleeps. */
export function finishChunk(ctl: Int32Array, failed: boolean): void {
  if (failed) Atomics.store(ctl, FAILED, 1);
  Atomics.add(ctl, DONE, 1);
  wake(ctl, DONE, MAIN_SLEEPS);
}
