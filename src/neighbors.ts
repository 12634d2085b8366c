/**
 * Nearest neighbours by Euclidean distance, and the k-nearest-neighbour vote:
 * the yardstick the notebooks use for "how separable are the classes here"
 * (latent codes) and "which digit does this image look like" (pixels).
 * Exhaustive search: at a few thousand reference rows that is fast enough, and exact.
 */
import { DenseRows, RowsLike, denseRows } from './dense-rows';

export interface Neighbours {
  /** Row indices into the reference set, nearest first. */
  indices: number[];
  /** Their Euclidean distances, ascending. */
  distances: number[];
}

/**
 * The k rows of `reference` nearest to each row of `queries`, nearest first
 * (ties: the lower index first).
 */
export function kNeighbours(reference: RowsLike, queries: RowsLike, k: number): Neighbours[] {
  const ref = denseRows(reference, 'reference');
  const q = denseRows(queries, 'queries');
  if (q.cols !== ref.cols) throw new Error(`queries have ${q.cols} columns but reference has ${ref.cols}.`);
  if (!Number.isInteger(k) || k < 1 || k > ref.rows) throw new Error(`k must be an integer in [1, ${ref.rows}] (the reference rows); got ${k}.`);
  return Array.from({ length: q.rows }, (_, i) => nearestOf(ref, q.data, i * q.cols, k));
}

/** One query: keep the k best in a small sorted list; stop summing a row once it is already worse than the k-th. */
function nearestOf(ref: DenseRows, qData: ArrayLike<number>, qOffset: number, k: number): Neighbours {
  const { data, rows, cols } = ref;
  const bestD: number[] = [], bestI: number[] = [];
  for (let r = 0; r < rows; r++) {
    const bound = bestD.length < k ? Infinity : bestD[k - 1];
    let s = 0;
    const base = r * cols;
    for (let j = 0; j < cols && s < bound; j++) {
      const t = data[base + j] - qData[qOffset + j];
      s += t * t;
    }
    if (s >= bound) continue;
    let p = bestD.length;
    while (p > 0 && bestD[p - 1] > s) p--;
    bestD.splice(p, 0, s);
    bestI.splice(p, 0, r);
    if (bestD.length > k) { bestD.pop(); bestI.pop(); }
  }
  return { indices: bestI, distances: bestD.map(Math.sqrt) };
}

/**
 * The majority label among the k nearest reference rows of each query. A tie
 * between labels goes to the tied label whose nearest member is closest, so
 * the answer never depends on label values.
 */
export function knnPredict(reference: RowsLike, labels: ArrayLike<number>, queries: RowsLike, k = 5): number[] {
  const n = Array.isArray(reference) ? reference.length : (reference as { rows: number }).rows;
  if (labels?.length !== n) throw new Error(`labels has ${labels?.length} entries but reference has ${n} rows: one label per row.`);
  return kNeighbours(reference, queries, k).map(({ indices }) => {
    const votes = new Map<number, number>();
    for (const i of indices) votes.set(labels[i], (votes.get(labels[i]) ?? 0) + 1);
    const top = Math.max(...votes.values());
    return labels[indices.find((i) => votes.get(labels[i]) === top)!];
  });
}
