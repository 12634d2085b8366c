/**
 * Comparing a clustering with the true classes: the contingency table, the
 * adjusted Rand index (chance-corrected pair agreement, as scikit-learn's
 * `adjusted_rand_score`) and the accuracy under the best one-to-one matching of
 * clusters to classes (Hungarian algorithm).
 *
 * Labels are any integers (negative ones too, e.g. -1 for noise); only their
 * equality matters, never their values.
 */

/** Labels, one per sample: a number[] or a typed array of integers. (Not exported: plot has the same alias.) */
type Labels = ArrayLike<number>;

export interface ContingencyMatrix {
  /** counts[i][j] = number of samples of class `classes[i]` put in cluster `clusters[j]`. */
  counts: number[][];
  /** Distinct true labels, ascending. */
  classes: number[];
  /** Distinct predicted labels, ascending. */
  clusters: number[];
}

/** Cross-tabulate true classes (rows) against predicted clusters (columns). */
export function contingencyMatrix(labelsTrue: Labels, labelsPred: Labels): ContingencyMatrix {
  checkPair(labelsTrue, labelsPred);
  const classes = distinctSorted(labelsTrue);
  const clusters = distinctSorted(labelsPred);
  const rowOf = new Map(classes.map((c, i) => [c, i]));
  const colOf = new Map(clusters.map((c, j) => [c, j]));
  const counts = classes.map(() => new Array<number>(clusters.length).fill(0));
  for (let s = 0; s < labelsTrue.length; s++) {
    counts[rowOf.get(labelsTrue[s]) as number][colOf.get(labelsPred[s]) as number]++;
  }
  return { counts, classes, clusters };
}

/**
 * Adjusted Rand index (Hubert & Arabie 1985): 1 for identical partitions (up to
 * renaming), about 0 for independent ones, negative when worse than chance.
 * As in scikit-learn, two partitions that agree on every pair score exactly 1,
 * which covers both "everything in one cluster" and "every sample alone".
 */
export function adjustedRandIndex(labelsTrue: Labels, labelsPred: Labels): number {
  const { counts } = contingencyMatrix(labelsTrue, labelsPred);
  // Pair counts grow like n², their products like n⁴: BigInt keeps them exact.
  const n = BigInt(labelsTrue.length);
  let sumSquares = 0n;
  const rowSums = counts.map(() => 0n);
  const colSums = counts[0].map(() => 0n);
  counts.forEach((row, i) =>
    row.forEach((v, j) => {
      const b = BigInt(v);
      sumSquares += b * b;
      rowSums[i] += b;
      colSums[j] += b;
    }),
  );
  const sq = (xs: bigint[]): bigint => xs.reduce((s, x) => s + x * x, 0n);
  // The pair confusion matrix (ordered pairs), as scikit-learn's pair_confusion_matrix.
  const tp = sumSquares - n;
  const fp = sq(colSums) - sumSquares;
  const fn = sq(rowSums) - sumSquares;
  const tn = n * n - fp - fn - sumSquares;
  if (fn === 0n && fp === 0n) return 1;
  const num = 2n * (tp * tn - fn * fp);
  const den = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
  return Number(num) / Number(den);
}

/** scikit-learn's name for `adjustedRandIndex`. */
export const adjustedRandScore = adjustedRandIndex;

export interface ClusterMatching {
  /** Fraction of samples whose cluster is matched to their class, in [0, 1]. */
  accuracy: number;
  /** Number of such samples. */
  nCorrect: number;
  /**
   * Predicted cluster label → the class label it is matched to. With more
   * clusters than classes, the unmatched clusters are absent (their samples count as wrong).
   */
  mapping: Map<number, number>;
}

/**
 * The best one-to-one matching of clusters to classes: the one that puts the
 * most samples in a cluster matched to their own class (Hungarian algorithm on
 * the contingency table). Greedy matching, biggest cell first, can miss it.
 */
export function matchClusters(labelsTrue: Labels, labelsPred: Labels): ClusterMatching {
  const { counts, classes, clusters } = contingencyMatrix(labelsTrue, labelsPred);
  const transpose = classes.length > clusters.length;
  // The Hungarian routine wants no more rows than columns, and minimises.
  const cost = transpose
    ? clusters.map((_, j) => classes.map((_, i) => -counts[i][j]))
    : counts.map((row) => row.map((v) => -v));
  const assignment = hungarian(cost);
  const mapping = new Map<number, number>();
  let nCorrect = 0;
  assignment.forEach((col, r) => {
    const [i, j] = transpose ? [col, r] : [r, col];
    mapping.set(clusters[j], classes[i]);
    nCorrect += counts[i][j];
  });
  return { accuracy: nCorrect / labelsTrue.length, nCorrect, mapping };
}

/** Accuracy under the best one-to-one matching of clusters to classes (see `matchClusters`). */
export function clusterAccuracy(labelsTrue: Labels, labelsPred: Labels): number {
  return matchClusters(labelsTrue, labelsPred).accuracy;
}

/**
 * Minimum-cost assignment of each row to a distinct column (rows ≤ columns),
 * by the O(rows² · columns) shortest-augmenting-path form of the Hungarian
 * algorithm with row and column potentials. Returns the column of each row.
 */
export function hungarian(cost: number[][]): number[] {
  const n = cost.length;
  const m = n === 0 ? 0 : cost[0].length;
  if (n > m) throw new Error(`hungarian: needs no more rows than columns; got ${n} × ${m}.`);
  // 1-based with a virtual column 0, which makes the augmenting loop uniform.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const rowOfCol = new Int32Array(m + 1); // 0 = column free
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    rowOfCol[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = rowOfCol[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[rowOfCol[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (rowOfCol[j0] !== 0);
    do {
      const j1 = way[j0];
      rowOfCol[j0] = rowOfCol[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const colOfRow = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (rowOfCol[j] !== 0) colOfRow[rowOfCol[j] - 1] = j - 1;
  return colOfRow;
}

function checkPair(labelsTrue: Labels, labelsPred: Labels): void {
  checkLabels('labelsTrue', labelsTrue);
  checkLabels('labelsPred', labelsPred);
  if (labelsTrue.length !== labelsPred.length) {
    throw new Error(`labelsTrue and labelsPred must have the same length; got ${labelsTrue.length} and ${labelsPred.length}.`);
  }
}

function checkLabels(name: string, labels: Labels): void {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new Error(`${name} must be an array of integer labels; got ${labels === null ? 'null' : typeof labels}.`);
  }
  if (labels.length === 0) throw new Error(`${name} is empty: it needs one label per sample.`);
  for (let i = 0; i < labels.length; i++) {
    if (!Number.isInteger(labels[i])) {
      throw new Error(`${name}[${i}] is ${String(labels[i])}; labels must be integers.`);
    }
  }
}

function distinctSorted(labels: Labels): number[] {
  return Array.from(new Set(Array.from(labels))).sort((a, b) => a - b);
}
