/**
 * Scoring IWAE's logits on the second core while the first computes the next ones.
 *
 * ./iwae-decoder hands over each sub-block of logits in one of two slots of its shared memory:
 * the logits, the pixels of the images they belong to, and a job listing the rows of each
 * image. A worker thread scores the slot (./iwae-kernel's bceRows) while the main thread's
 * BLAS product fills the other. With OpenBLAS on one thread the products and the scoring
 * then run side by side instead of one after the other. Each slot's state word says who has
 * it: FREE (the main thread may fill it), SUBMITTED (the worker may score it), or QUIT.
 *
 * Without a worker (one core, or threads unavailable) the main thread scores each slot itself,
 * by the same function, so the values do not depend on who scored them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker, isMainThread, workerData } from 'worker_threads';
import type { WasmMemory } from '../../wasm';
import { iwaeKernel } from './iwae-kernel';

export const FREE = 0;
export const SUBMITTED = 1;
const QUIT = 2;

/** Where a slot's job is in the memory (byte addresses); per segment: logits, pixels, out, rows. */
export interface SlotLayout {
  /** Int32 words: a state per slot, then n and the constants' address. */
  ctl: number;
  /** Per slot: the job (segment count, the logits' bias address, then 4 ints per segment). */
  jobs: [number, number];
  /** The scoring pass's constants (CONSTANT_BYTES). */
  constants: number;
}

/** Int32 words at SlotLayout.ctl. */
export const CTL_WORDS = 4;

/** workerData key marking this module's worker. */
const MARK = 'gmmVaeIwaeScorer';
/** With no slot scored for this long, the worker is taken to be gone. */
const STALL_MS = 60_000;

/** Score every segment of `slot`'s job: out[row] ← −log p(x|z) of its logit row. */
export function scoreSlot(memory: WasmMemory, at: SlotLayout, slot: number): void {
  const ctl = new Int32Array(memory.buffer, at.ctl, CTL_WORDS);
  const job = new Int32Array(memory.buffer, at.jobs[slot]);
  const kernel = iwaeKernel(memory);
  const n = ctl[2], constants = ctl[3], bias = job[1];
  for (let s = 0, segments = job[0]; s < segments; s++) {
    const [logits, x, out, rows] = job.subarray(2 + 4 * s, 6 + 4 * s);
    kernel.bceRows(logits, bias, x, out, rows, n, constants);
  }
}

/** The worker thread's loop: score slots 0, 1, 0, … as they are submitted, until QUIT. */
function serve(memory: WasmMemory, at: SlotLayout): void {
  const ctl = new Int32Array(memory.buffer, at.ctl, CTL_WORDS);
  for (let slot = 0; ; slot ^= 1) {
    while (Atomics.load(ctl, slot) === FREE) Atomics.wait(ctl, slot, FREE);
    if (Atomics.load(ctl, slot) === QUIT) return;
    scoreSlot(memory, at, slot);
    Atomics.store(ctl, slot, FREE);
    Atomics.notify(ctl, slot);
  }
}

/** The main thread's side: submit slots, wait until they are free again. */
export class SlotScorer {
  private worker?: Worker;
  private readonly ctl: Int32Array;

  /** With `useWorker` false, or where a worker cannot start, slots are scored on submit. */
  constructor(private readonly memory: WasmMemory, private readonly at: SlotLayout, n: number, useWorker: boolean) {
    this.ctl = new Int32Array(memory.buffer, at.ctl, CTL_WORDS);
    this.ctl.set([FREE, FREE, n, at.constants]);
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

  /** Whether a worker scores the slots. */
  get parallel(): boolean {
    return this.worker !== undefined;
  }

  /** Hand `slot` (its job written) over to be scored. */
  submit(slot: number): void {
    if (this.worker === undefined) return scoreSlot(this.memory, this.at, slot);
    Atomics.store(this.ctl, slot, SUBMITTED);
    Atomics.notify(this.ctl, slot);
  }

  /** Block until `slot` has been scored (its out values readable, the slot refillable). */
  wait(slot: number): void {
    const started = Date.now();
    while (Atomics.load(this.ctl, slot) === SUBMITTED) {
      if (Atomics.wait(this.ctl, slot, SUBMITTED, 1000) === 'timed-out' && Date.now() - started > STALL_MS) {
        this.dispose();
        throw new Error(`VAE.logLikelihood: the IWAE scoring thread stopped responding (one block took over ${STALL_MS / 1000} s).`);
      }
    }
  }

  /** Let the worker end (it exits once its current slot is done). */
  dispose(): void {
    if (this.worker === undefined) return;
    for (const slot of [0, 1]) {
      Atomics.store(this.ctl, slot, QUIT);
      Atomics.notify(this.ctl, slot);
    }
    this.worker = undefined;
  }
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[MARK] === true) {
  const { memory, at } = workerData as { memory: WasmMemory; at: SlotLayout };
  serve(memory, at);
}
