/**
 * Waiting on a word of shared memory between the pool's threads (./pool, ./bell): spin a
 * moment, then sleep in a futex wait with a flag raised, so that a waker makes the wake's system
 * call only for a sleeper. (A sleeping thread's virtual CPU here took 30 µs to over 1 ms to wake;
 * one that polls answers at once.)
 *
 * A waker changes the word first and looks at the flag after. If it sees no flag, the sleeper
 * raised it later, so its wait compares the word after the change and returns at once.
 */

/** How long a waiting thread spins before it sleeps. */
const SPIN_MS = 0.3;

/** Spin until word `index` of `a` is no longer `value`, for at most `ms`; returns its value. */
function spinWhile(a: Int32Array, index: number, value: number, ms: number): number {
  const until = performance.now() + ms;
  for (let i = 1; ; i++) {
    const now = Atomics.load(a, index);
    if (now !== value || ((i & 255) === 0 && performance.now() > until)) return now;
  }
}

/** While word `index` is `value`: spin SPIN_MS, then sleep up to `ms` with word `sleeps` set to 1. */
export function waitWhile(a: Int32Array, index: number, value: number, sleeps: number, ms: number): void {
  if (spinWhile(a, index, value, SPIN_MS) !== value) return;
  Atomics.store(a, sleeps, 1);
  Atomics.wait(a, index, value, ms);
  Atomics.store(a, sleeps, 0);
}

/** After changing word `index`: wake its waiter if it sleeps (word `sleeps`). */
export function wake(a: Int32Array, index: number, sleeps: number): void {
  if (Atomics.load(a, sleeps) === 1) Atomics.notify(a, index);
}
