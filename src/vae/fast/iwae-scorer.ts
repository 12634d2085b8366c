/**
 * Scoring IWAE's logits on both cores while the main thread computes the next ones.
 *
 * ./iwae-decoder hands over each sub-block of logits in one of two slots of its shared memory:
 * the logits, the pixels of the images they belong to, and a job listing the rows of each
 * image. A worker thread scores submitted slots (./iwae-kernel's bceRows) while the main
 * thread's BLAS product fills the other slot; when the main thread needs a slot back before
 * the worker has taken it, or while it waits for the worker, it scores a submitted slot itself.
 * Each slot's state word says who has it: FREE (the main thread may fill it), SUBMITTED (to be
 * scored by whoever claims it first) or CLAIMED (being scored).
 *
 * Without a worker (one core, or threads unavailable) the main thread scores each slot on
 * submission, by the same function, so the values do not depend on who scored them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker, isMainThread, workerData } from 'worker_threads';
import type { WasmMemory } from '../../wasm';
import { iwaeKernel } from './iwae-kernel';

const FREE = 0;
const SUBMITTED = 1;
const CLAIMED = 2;
/** Int32 words at SlotLayout.ctl: the two slots' states, n, the constants' address, a submission count, quit. */
export const CTL_WORDS = 6;
const N = 2, CONSTANTS = 3, SUBMISSIONS = 4, QUIT = 5;

/** Where a slot's job is in the memory (byte addresses); per segment: logits, pixels, out, rows. */
export interface SlotLayout {
  ctl: number;
  /** Per slot: the job (segment count, the logits' bias address, then 4 ints per segment). */
  jobs: [number, number];
  /** The scoring pass's constants (CONSTANT_BYTES). */
  constants: number;
}

/** workerData key marking this module's worker. */
const MARK = 'gmmVaeIwaeScorer';
/** With a slot scored by the worker for this long, the worker is taken to be gone. */
const STALL_MS = 60_000;

/** Score every segment of `slot`'s job: out[row] ← −log p(x|z) of its logit row. */
function scoreSlot(memory: WasmMemory, at: SlotLayout, slot: number): void {
  const ctl = new Int32Array(memory.buffer, at.ctl, CTL_WORDS);
  const job = new Int32Array(memory.buffer, at.jobs[slot]);
  const kernel = iwaeKernel(memory);
  const n = ctl[N], constants = ctl[CONSTANTS], bias = job[1];
  for (let s = 0, segments = job[0]; s < segments; s++) {
    const [logits, x, out, rows] = job.subarray(2 + 4 * s, 6 + 4 * s);
    kernel.bceRows(logits, bias, x, out, rows, n, constants);
  }
}

/** Claim `slot` if it is submitted, score it and free it; false if it was not submitted. */
function tryScore(memory: WasmMemory, at: SlotLayout, ctl: Int32Array, slot: number): boolean {
  if (Atomics.compareExchange(ctl, slot, SUBMITTED, CLAIMED) !== SUBMITTED) return false;
  scoreSlot(memory, at, slot);
  Atomics.store(ctl, slot, FREE);
  Atomics.notify(ctl, slot);
  return true;
}

/** The worker thread's loop: score whatever slot is submitted, sleep when none is, until quit. */
function serve(memory: WasmMemory, at: SlotLayout): void {
  const ctl = new Int32Array(memory.buffer, at.ctl, CTL_WORDS);
  while (Atomics.load(ctl, QUIT) === 0) {
    const seen = Atomics.load(ctl, SUBMISSIONS);
    const scored = tryScore(memory, at, ctl, 0);
    if (!(tryScore(memory, at, ctl, 1) || scored)) Atomics.wait(ctl, SUBMISSIONS, seen);
  }
}

/** The main thread's side: submit slots, get them back scored. */
export class SlotScorer {
  private worker?: Worker;
  private readonly ctl: Int32Array;

  /** With `useWorker` false, or where a worker cannot start, slots are scored on submit. */
  constructor(private readonly memory: WasmMemory, private readonly at: SlotLayout, n: number, useWorker: boolean) {
    this.ctl = new Int32Array(memory.buffer, at.ctl, CTL_WORDS);
    this.ctl.set([FREE, FREE, n, at.constants, 0, 0]);
    iwaeKernel(memory).constants(at.constants);
    const file = path.join(__dirname, 'iwae-scorer.js');
    if (!useWorker || !__filename.endsWith('.js') || !fs.existsSync(file)) return;
    try {
      this.worker = new Worker(file, { workerData: { [MARK]: true, memory, at } });
      this.worker.unref();
    } catch {
      this.worker = undefined;
    }
  }

  /** Whether a worker scores slots too. */
  get parallel(): boolean {
    return this.worker !== undefined;
  }

  /** Hand `slot` (its job written) over to be scored. */
  submit(slot: number): void {
    Atomics.store(this.ctl, slot, SUBMITTED);
    if (this.worker === undefined) {
      tryScore(this.memory, this.at, this.ctl, slot);
      return;
    }
    Atomics.add(this.ctl, SUBMISSIONS, 1);
    Atomics.notify(this.ctl, SUBMISSIONS);
  }

  /**
   * Return once `slot` has been scored (its out values readable, the slot refillable): score it
   * here if the worker has not taken it, else score the other slot meanwhile if it waits, else wait.
   */
  wait(slot: number): void {
    const started = Date.now();
    for (;;) {
      const state = Atomics.load(this.ctl, slot);
      if (state === FREE || tryScore(this.memory, this.at, this.ctl, slot)) return;
      if (state !== CLAIMED) continue;
      if (tryScore(this.memory, this.at, this.ctl, 1 - slot)) continue;
      if (Atomics.wait(this.ctl, slot, CLAIMED, 1000) === 'timed-out' && Date.now() - started > STALL_MS) {
        this.dispose();
        throw new Error(`VAE.logLikelihood: the IWAE scoring thread stopped responding (one block took over ${STALL_MS / 1000} s).`);
      }
    }
  }

  /** Let the worker end (it exits once its current slot is done). */
  dispose(): void {
    if (this.worker === undefined) return;
    Atomics.store(this.ctl, QUIT, 1);
    Atomics.add(this.ctl, SUBMISSIONS, 1);
    Atomics.notify(this.ctl, SUBMISSIONS);
    this.worker = undefined;
  }
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[MARK] === true) {
  const { memory, at } = workerData as { memory: WasmMemory; at: SlotLayout };
  serve(memory, at);
}
