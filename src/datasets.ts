/**
 * Seeded toy data sets in the manner of scikit-learn's `sklearn.datasets`:
 * isotropic Gaussian blobs, two moons, and the three blob variants from
 * scikit-learn's "Demonstration of k-means assumptions" example (stretched,
 * unequal variance, unequal sizes) on which K-Means goes wrong and a Gaussian
 * mixture does not.
 *
 * Every generator takes an options object with a `randomState` (seed; the same
 * seed gives the same data) and returns `{ X, y }` with `X` as nested arrays,
 * one row per sample, and `y` the integer label (generating component) of each row.
 */
import { Random, RandomState, checkRandomState } from './random';
import { OptionNames, checkOptionNames, optionNames } from './options';

export interface Dataset {
  X: number[][];
  y: number[];
}

/** Blob data sets also return the centre of each blob (after any transformation). */
export interface BlobsDataset extends Dataset {
  centers: number[][];
}

export interface BlobsOptions {
  /** Total number of samples, split as evenly as possible, or the number for each blob. Default 100. */
  nSamples?: number | number[];
  /** Number of features (ignored when `centers` are given explicitly). Default 2. */
  nFeatures?: number;
  /** Number of blobs (centres drawn uniformly in `centerBox`), or the centres themselves. Default 3 (or the length of an `nSamples` array). */
  centers?: number | number[][];
  /** Standard deviation of every blob, or of each blob. Default 1. */
  clusterStd?: number | number[];
  /** Range [low, high) for randomly drawn centres. Default [-10, 10]. */
  centerBox?: [number, number];
  /** Shuffle the rows (otherwise they come blob by blob). Default true. */
  shuffle?: boolean;
  randomState?: RandomState;
}

/** Isotropic Gaussian blobs, like scikit-learn's `make_blobs`. */
const BLOBS_OPTIONS: OptionNames<BlobsOptions> = { nSamples: true, nFeatures: true, centers: true, clusterStd: true, centerBox: true, shuffle: true, randomState: true };

export function makeBlobs(options: BlobsOptions = {}): BlobsDataset {
  checkOptionNames(options, optionNames<BlobsOptions>(BLOBS_OPTIONS), 'makeBlobs');
  const rng = checkRandomState(options.randomState);
  const centers = blobCenters(options, rng);
  const k = centers.length;
  const d = centers[0].length;
  const sizes = blobSizes(options.nSamples ?? 100, k);
  const stds = perBlob('clusterStd', options.clusterStd ?? 1, k);
  stds.forEach((s) => {
    if (!(s >= 0) || !Number.isFinite(s)) throw new Error(`makeBlobs: clusterStd values must be finite and ≥ 0; got ${s}.`);
  });
  const X: number[][] = [];
  const y: number[] = [];
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < sizes[c]; i++) {
      const row = new Array<number>(d);
      for (let j = 0; j < d; j++) row[j] = rng.normal(centers[c][j], stds[c]);
      X.push(row);
      y.push(c);
    }
  }
  if (options.shuffle ?? true) shuffleTogether(X, y, rng);
  return { X, y, centers };
}

export interface MoonsOptions {
  /** Total number of samples (the outer moon gets the smaller half), or [outer, inner]. Default 100. */
  nSamples?: number | [number, number];
  /** Standard deviation of Gaussian noise added to every coordinate. Default 0. */
  noise?: number;
  /** Default true. */
  shuffle?: boolean;
  randomState?: RandomState;
}

/** Two interleaving half circles, like scikit-learn's `make_moons` (label 0: upper moon, 1: lower). */
export function makeMoons(options: MoonsOptions = {}): Dataset {
  checkOptionNames(options, optionNames<MoonsOptions>({ nSamples: true, noise: true, shuffle: true, randomState: true }), 'makeMoons');
  const rng = checkRandomState(options.randomState);
  const ns = options.nSamples ?? 100;
  let nOut: number;
  let nIn: number;
  if (Array.isArray(ns)) {
    if (ns.length !== 2) throw new Error(`makeMoons: nSamples as an array must be [outer, inner]; got ${ns.length} values.`);
    [nOut, nIn] = ns;
    checkCount('makeMoons', 'nSamples[0]', nOut, 0);
    checkCount('makeMoons', 'nSamples[1]', nIn, 0);
    if (nOut + nIn < 1) throw new Error('makeMoons: nSamples adds up to 0; ask for at least one sample.');
  } else {
    checkCount('makeMoons', 'nSamples', ns, 1);
    nOut = Math.floor(ns / 2);
    nIn = ns - nOut;
  }
  const noise = options.noise ?? 0;
  if (!(noise >= 0) || !Number.isFinite(noise)) throw new Error(`makeMoons: noise must be a finite number ≥ 0; got ${noise}.`);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < nOut; i++) {
    const t = nOut === 1 ? 0 : (Math.PI * i) / (nOut - 1);
    X.push([Math.cos(t), Math.sin(t)]);
    y.push(0);
  }
  for (let i = 0; i < nIn; i++) {
    const t = nIn === 1 ? 0 : (Math.PI * i) / (nIn - 1);
    X.push([1 - Math.cos(t), 1 - Math.sin(t) - 0.5]);
    y.push(1);
  }
  if (options.shuffle ?? true) shuffleTogether(X, y, rng);
  if (noise > 0) for (const row of X) for (let j = 0; j < 2; j++) row[j] += rng.normal(0, noise);
  return { X, y };
}

export interface AnisotropicBlobsOptions extends BlobsOptions {
  /** Linear map applied to each row as a row vector (x ↦ x · T): nFeatures rows (usually square). Default [[0.6, -0.6], [-0.4, 0.8]]. */
  transformation?: number[][];
}

/**
 * Blobs stretched by a linear map, as in scikit-learn's "anisotropicly
 * distributed blobs": elongated, tilted clusters that K-Means cuts the wrong way.
 */
export function makeAnisotropicBlobs(options: AnisotropicBlobsOptions = {}): BlobsDataset {
  checkOptionNames(options, optionNames<AnisotropicBlobsOptions>({ ...BLOBS_OPTIONS, transformation: true }), 'makeAnisotropicBlobs');
  const { transformation, ...blobOptions } = options;
  const T = transformation ?? [[0.6, -0.6], [-0.4, 0.8]];
  const blobs = makeBlobs(blobOptions);
  const d = blobs.X[0].length;
  checkTransformation(T, d);
  const apply = (x: number[]): number[] => T[0].map((_, j) => x.reduce((s, xi, i) => s + xi * T[i][j], 0));
  return { X: blobs.X.map(apply), y: blobs.y, centers: blobs.centers.map(apply) };
}

/** Blobs of unequal spread. Default clusterStd [1.0, 2.5, 0.5] (scikit-learn's example). */
export function makeVariedBlobs(options: BlobsOptions = {}): BlobsDataset {
  checkOptionNames(options, optionNames<BlobsOptions>(BLOBS_OPTIONS), 'makeVariedBlobs');
  return makeBlobs({ ...options, clusterStd: options.clusterStd ?? [1.0, 2.5, 0.5] });
}

/** Blobs of unequal size. Default nSamples [500, 100, 10] (scikit-learn's example). */
export function makeUnevenBlobs(options: BlobsOptions = {}): BlobsDataset {
  checkOptionNames(options, optionNames<BlobsOptions>(BLOBS_OPTIONS), 'makeUnevenBlobs');
  return makeBlobs({ ...options, nSamples: options.nSamples ?? [500, 100, 10] });
}

function blobCenters(options: BlobsOptions, rng: Random): number[][] {
  const { centers, nSamples } = options;
  if (Array.isArray(centers)) {
    if (centers.length === 0) throw new Error('makeBlobs: centers is an empty array; give at least one centre.');
    const d = Array.isArray(centers[0]) ? centers[0].length : 0;
    centers.forEach((c, i) => {
      if (!Array.isArray(c) || c.length !== d || d === 0) {
        throw new Error(`makeBlobs: centers must be a non-empty number[][] with rows of equal length; row ${i} is ${JSON.stringify(c)}.`);
      }
      if (!c.every(Number.isFinite)) throw new Error(`makeBlobs: centers[${i}] contains a non-finite value.`);
    });
    if (Array.isArray(nSamples) && nSamples.length !== centers.length) {
      throw new Error(`makeBlobs: nSamples has ${nSamples.length} entries but there are ${centers.length} centers.`);
    }
    return centers.map((c) => c.slice());
  }
  const k = centers ?? (Array.isArray(nSamples) ? nSamples.length : 3);
  checkCount('makeBlobs', 'centers', k, 1);
  if (Array.isArray(nSamples) && nSamples.length !== k) {
    throw new Error(`makeBlobs: nSamples has ${nSamples.length} entries but centers is ${k}.`);
  }
  const d = options.nFeatures ?? 2;
  checkCount('makeBlobs', 'nFeatures', d, 1);
  const [low, high] = options.centerBox ?? [-10, 10];
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low <= high)) {
    throw new Error(`makeBlobs: centerBox must be [low, high] with finite low ≤ high; got [${low}, ${high}].`);
  }
  return Array.from({ length: k }, () => Array.from({ length: d }, () => rng.uniform(low, high)));
}

function blobSizes(nSamples: number | number[], k: number): number[] {
  if (Array.isArray(nSamples)) {
    nSamples.forEach((n, i) => checkCount('makeBlobs', `nSamples[${i}]`, n, 0));
    if (nSamples.reduce((a, b) => a + b, 0) < 1) throw new Error('makeBlobs: nSamples adds up to 0; ask for at least one sample.');
    return nSamples.slice();
  }
  checkCount('makeBlobs', 'nSamples', nSamples, 1);
  // As scikit-learn: an even split, the first (nSamples mod k) blobs one larger.
  return Array.from({ length: k }, (_, c) => Math.floor(nSamples / k) + (c < nSamples % k ? 1 : 0));
}

function perBlob(name: string, value: number | number[], k: number): number[] {
  if (Array.isArray(value)) {
    if (value.length !== k) throw new Error(`makeBlobs: ${name} has ${value.length} entries but there are ${k} blobs.`);
    return value.slice();
  }
  return new Array<number>(k).fill(value);
}

function checkTransformation(T: number[][], d: number): void {
  const ok =
    Array.isArray(T) &&
    T.length === d &&
    T.every((r) => Array.isArray(r) && r.length === T[0].length && r.length > 0 && r.every(Number.isFinite));
  if (!ok) {
    throw new Error(`makeAnisotropicBlobs: transformation must be a ${d} × m matrix of finite numbers (one row per feature of the blobs).`);
  }
}

function checkCount(where: string, name: string, n: unknown, min: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw new Error(`${where}: ${name} must be an integer ≥ ${min}; got ${String(n)}.`);
  }
}

/** Shuffle rows and labels with the same permutation. */
function shuffleTogether(X: number[][], y: number[], rng: Random): void {
  const order = rng.permutation(X.length);
  const X0 = X.slice();
  const y0 = y.slice();
  for (let i = 0; i < order.length; i++) {
    X[i] = X0[order[i]];
    y[i] = y0[order[i]];
  }
}
