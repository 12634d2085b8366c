/**
 * Principal component analysis for images: the covariance of the rows (a plain
 * loop that skips exact zeros, which are most of a digit's pixels), its
 * eigendecomposition by ml-pca, and the projection to and from the first m
 * components. Notebook 02 builds its digit generator on it, notebook 04
 * compares that generator with the VAE.
 */
import { PCA as MlPca } from 'ml-pca';
import { DenseRows, RowsLike, denseRows } from './dense-rows';

export interface RowCovariance {
  /** Column means. */
  mean: Float64Array;
  /** The d×d sample covariance (divided by n − 1), symmetric. */
  covariance: number[][];
  /** Share of the values that were exactly 0 and skipped in the products. */
  zeroFraction: number;
}

/**
 * Mean and sample covariance of the rows, as (Σ x xᵀ − n·mean meanᵀ) / (n − 1).
 * Forming Σ x xᵀ directly lets a zero value skip its whole row of products;
 * on digits (about 80 % zeros) that is several times faster than centring first.
 */
export function rowCovariance(x: RowsLike): RowCovariance {
  const m = denseRows(x, 'X');
  if (m.rows < 2) throw new Error(`a covariance needs at least 2 rows; got ${m.rows}.`);
  return covarianceOf(m);
}

function covarianceOf({ data, rows: n, cols: d }: DenseRows): RowCovariance {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const products = new Float64Array(d * d);  // upper triangle of Σ x xᵀ
  const row = new Float64Array(d);
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = data[i * d + j];
    for (let a = 0; a < d; a++) {
      const va = row[a];
      if (va === 0) { zeros++; continue; }
      const base = a * d;
      for (let b = a; b < d; b++) products[base + b] += va * row[b];
    }
  }
  const covariance = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    return (products[lo * d + hi] - n * mean[a] * mean[b]) / (n - 1);
  }));
  return { mean, covariance, zeroFraction: zeros / (n * d) };
}

/** A fitted PCA: the mean, the components by decreasing variance, and the maps to and from their coordinates. */
export class PcaModel {
  /** Column means of the training rows. */
  readonly mean: Float64Array;
  /** Unit-length principal axes, one row per component, by decreasing variance. */
  readonly components: Float64Array[];
  /** Variance along each component (the covariance's eigenvalues). */
  readonly explainedVariance: number[];
  /** Share of the total variance kept by the first 1, 2, ... components. */
  readonly cumulativeVarianceRatio: number[];
  /** Share of exact zeros skipped when the covariance was formed. */
  readonly zeroFraction: number;

  constructor(x: RowsLike) {
    const m = denseRows(x, 'X');
    if (m.rows < 2) throw new Error(`PCA needs at least 2 rows; got ${m.rows}.`);
    const { mean, covariance, zeroFraction } = covarianceOf(m);
    const pca = new MlPca(covariance, { isCovarianceMatrix: true });
    const vectors = pca.getEigenvectors();  // d × d, one eigenvector per column
    const d = m.cols;
    this.mean = mean;
    this.zeroFraction = zeroFraction;
    this.components = Array.from({ length: d }, (_, k) => Float64Array.from({ length: d }, (_, j) => vectors.get(j, k)));
    this.explainedVariance = pca.getEigenvalues();
    this.cumulativeVarianceRatio = pca.getCumulativeVariance();
  }

  /** Number of input columns (pixels). */
  get nFeatures(): number {
    return this.mean.length;
  }

  /** The fewest components that keep at least `fraction` of the variance. */
  componentsFor(fraction: number): number {
    if (!(fraction > 0 && fraction <= 1)) throw new Error(`fraction must be in (0, 1]; got ${fraction}.`);
    const i = this.cumulativeVarianceRatio.findIndex((v) => v >= fraction - 1e-12);
    return i < 0 ? this.nFeatures : i + 1;
  }

  /** Coordinates of each row on the first m components: (x − mean) · component_k. */
  transform(x: RowsLike, m: number): number[][] {
    const rows = denseRows(x, 'X');
    this.checkDims(m);
    if (rows.cols !== this.nFeatures) throw new Error(`X has ${rows.cols} columns; this PCA was fitted on ${this.nFeatures}.`);
    const { data, cols: d } = rows;
    const centred = new Float64Array(d);
    return Array.from({ length: rows.rows }, (_, i) => {
      for (let j = 0; j < d; j++) centred[j] = data[i * d + j] - this.mean[j];
      return this.components.slice(0, m).map((w) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += centred[j] * w[j];
        return s;
      });
    });
  }

  /**
   * Back to the input space: mean + Σ_k z_k · component_k, one row per code.
   * `clip` bounds every value (for images: [0, 1], so a reconstruction displays as pixels).
   */
  inverseTransform(z: ArrayLike<number>[], options: { clip?: [number, number] } = {}): Float64Array {
    if (!Array.isArray(z) || z.length === 0) throw new Error('inverseTransform needs a non-empty array of codes.');
    const m = z[0].length;
    this.checkDims(m);
    const d = this.nFeatures, [lo, hi] = options.clip ?? [-Infinity, Infinity];
    const out = new Float64Array(z.length * d);
    z.forEach((code, i) => {
      if (code.length !== m) throw new Error(`code ${i} has ${code.length} values; code 0 has ${m}.`);
      for (let j = 0; j < d; j++) {
        let v = this.mean[j];
        for (let k = 0; k < m; k++) v += code[k] * this.components[k][j];
        out[i * d + j] = Math.min(hi, Math.max(lo, v));
      }
    });
    return out;
  }

  private checkDims(m: number): void {
    if (!Number.isInteger(m) || m < 1 || m > this.nFeatures) throw new Error(`the number of components must be an integer in [1, ${this.nFeatures}]; got ${m}.`);
  }
}
