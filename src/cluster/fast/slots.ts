/**
 * What each chunk of a Lloyd pass leaves in its slot of ./wasm-pass's memory, read back in chunk
 * order (so that the results are the same for every number of threads): the accumulator (two
 * lanes × kSlots blocks of [dp sums, count, unused]), then counters: the labels that changed,
 * the rows the pass computed, and pass2's inertia.
 */
import { WasmMemory, lloydKernel } from './lloyd-kernel';

/** The part of ./wasm-pass's plan the slots use. */
export interface SlotsPlan {
  memory: WasmMemory;
  d: number;
  k: number;
  dp: number;
  kSlots: number;
  slotsAt: number;
  slotBytes: number;
  sumsAt: number;
}

/** The counters after each slot's accumulator, as the kernels leave them. */
export const CHANGED = 0;
const COMPUTED = 1;
const INERTIA = 2;

/** Accumulator length (f64) of one slot; its counters follow it. */
export function accLength(p: SlotsPlan): number {
  return 2 * p.kSlots * (p.dp + 2);
}

/**
 * Add the slots of chunks 0..nChunks−1, in order, into sums (k × d) and counts; returns the labels
 * changed. For each chunk, cluster and feature: sums[c, j] += lane 0 + lane 1 (the kernel's `reduce`).
 */
export function reduceSlots(p: SlotsPlan, nChunks: number, sums: Float64Array, counts: Float64Array): number {
  const { d, k } = p;
  const out = new Float64Array(p.memory.buffer, p.sumsAt, k * d + k);
  out.set(sums);
  out.set(counts, k * d);
  lloydKernel(p.memory).reduce(p.slotsAt, p.slotBytes, nChunks, p.kSlots, p.dp, d, k, p.sumsAt);
  sums.set(out.subarray(0, k * d));
  counts.set(out.subarray(k * d));
  return slotCounter(p, nChunks, CHANGED);
}

/** The sum over chunks 0..nChunks−1, in order, of one of the slots' counters. */
function slotCounter(p: SlotsPlan, nChunks: number, counter: number): number {
  const f = new Float64Array(p.memory.buffer);
  let total = 0;
  for (let chunk = 0; chunk < nChunks; chunk++) total += f[(p.slotsAt + chunk * p.slotBytes) / 8 + accLength(p) + counter];
  return total;
}

/** The inertia of `pass2`'s labels around its centres, as it summed it (chunks in order). */
export function passInertia(p: SlotsPlan, nChunks: number): number {
  return slotCounter(p, nChunks, INERTIA);
}

/** How many rows the last wide pass computed (the others kept their label by their bounds). */
export function computedRows(p: SlotsPlan, nChunks: number): number {
  return slotCounter(p, nChunks, COMPUTED);
}
