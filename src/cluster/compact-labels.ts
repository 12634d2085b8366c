/**
 * A fitted K-Means' labels in the fewest bytes that hold a cluster's index: fresh memory is
 * dear (a new 4 MB array, 1M labels as 4-byte integers, took 11 ms on the machine we measure
 * on: the 1M × 2-D fit from explicit centres, 42 → 35 ms on one thread), and a model rarely
 * needs them wider.
 */

/** A copy of `labels` (each below k) in the fewest bytes that hold them. */
export function compactLabels(labels: Int32Array, k: number): Uint8Array | Uint16Array | Int32Array {
  const out = k <= 256 ? new Uint8Array(labels.length) : k <= 65536 ? new Uint16Array(labels.length) : new Int32Array(labels.length);
  out.set(labels);
  return out;
}
