/**
 * Renumbering clusters after the classes they match, so that a figure can give
 * a cluster the colour of its class and panels of different methods agree.
 * Cluster numbers are arbitrary; only this renumbering makes them comparable.
 */
import { contingencyMatrix, matchClusters } from './metrics';
import { GmmParams } from './plot/gaussian';

type Labels = ArrayLike<number>;

export interface ClusterAlignment {
  /** order[p] = the original cluster shown at position p: matched clusters by their class, unmatched ones after. */
  order: number[];
  /** Original cluster → its position (with classes 0..K−1 all matched, the position is the matched class). */
  relabel: (cluster: number) => number;
  /** The class matched to the cluster at position p, or undefined when it is unmatched (more clusters than classes). */
  classAt: (position: number) => number | undefined;
}

/**
 * Align clusters to classes by the best one-to-one matching (`matchClusters`,
 * the Hungarian matching behind `clusterAccuracy`).
 */
export function alignClusters(labelsTrue: Labels, labelsPred: Labels): ClusterAlignment {
  const { mapping } = matchClusters(labelsTrue, labelsPred);
  const { clusters } = contingencyMatrix(labelsTrue, labelsPred);
  const classes = [...new Set(mapping.values())].sort((a, b) => a - b);
  const rank = new Map(classes.map((c, i) => [c, i]));
  // Matched clusters first, by their class; then the unmatched ones by their own number.
  const key = (c: number) => (mapping.has(c) ? rank.get(mapping.get(c)!)! : classes.length + clusters.indexOf(c));
  const order = [...clusters].sort((a, b) => key(a) - key(b));
  const position = new Map(order.map((c, p) => [c, p]));
  return {
    order,
    relabel: (c) => {
      const p = position.get(c);
      if (p === undefined) throw new Error(`cluster ${c} does not occur in the predicted labels (clusters: ${clusters.join(', ')}).`);
      return p;
    },
    classAt: (p) => mapping.get(order[p]),
  };
}

/** `items` (one per original cluster) in the order of an alignment: result[p] = items[order[p]]. */
export function reorderByAlignment<T>(items: ArrayLike<T>, alignment: ClusterAlignment): T[] {
  return alignment.order.map((c) => {
    if (c < 0 || c >= items.length) throw new Error(`cluster ${c} has no entry: items has ${items.length} (one per cluster 0..${items.length - 1}).`);
    return items[c];
  });
}

/**
 * A mixture's components in the order of an alignment, as plain parameters the plot builders take
 * (a fitted GaussianMixture works as input). A tied covariance is shared by all components, so it stays.
 */
export function reorderMixture(params: GmmParams & { covarianceType: NonNullable<GmmParams['covarianceType']> }, alignment: ClusterAlignment): GmmParams {
  const c = params.covariances;
  return {
    weights: reorderByAlignment(params.weights, alignment),
    means: reorderByAlignment(params.means, alignment),
    covariances: (params.covarianceType === 'tied' ? c : reorderByAlignment(c as ArrayLike<number>, alignment)) as GmmParams['covariances'],
    covarianceType: params.covarianceType,
  };
}

export interface ClusterMajority {
  cluster: number;
  size: number;
  /** The most common class among the cluster's members (ties: the smaller class). */
  majority: number;
  /** Share of the members that belong to it. */
  share: number;
}

/**
 * Each cluster's majority class and how pure it is. Unlike the one-to-one
 * matching, two clusters may share a majority class, and a class may be the
 * majority of none: this is what a cluster *contains*, not what it is paired with.
 */
export function clusterMajorities(labelsTrue: Labels, labelsPred: Labels): ClusterMajority[] {
  const { counts, classes, clusters } = contingencyMatrix(labelsTrue, labelsPred);
  return clusters.map((cluster, j) => {
    let best = 0, size = 0;
    counts.forEach((row, i) => {
      size += row[j];
      if (row[j] > counts[best][j]) best = i;
    });
    return { cluster, size, majority: classes[best], share: counts[best][j] / size };
  });
}
