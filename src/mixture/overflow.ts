/**
 * Where a Gaussian mixture meets the limits of double precision: data so spread out that EM's
 * sums of squares overflow, and points so far from every component that their log-densities do.
 * Both get an error that names the overflow, instead of NaN or a misleading message.
 */
import { Matrix } from '../matrix';

/**
 * A row whose weighted log-densities are all −Infinity (or NaN) lies so far from every
 * component that its squared Mahalanobis distances overflow: comparing components there
 * would compare −Infinity with −Infinity (NaN probabilities, a quiet label 0).
 */
export function checkLogDensities(wlp: Float64Array, rows: number, K: number, method: string): void {
  for (let i = 0; i < rows; i++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, wlp[i * K + k]);
    if (!(max > -Infinity)) {
      throw new Error(
        `X row ${i} is so far from every component that its log-densities overflow (squared Mahalanobis distances ` +
          `beyond the double range, about 1.8e308), so ${method} cannot compare the components there. ` +
          'Such a point is an outlier for this model: drop it, or rescale X and fit again.',
      );
    }
  }
}

/**
 * EM sums squared deviations over all rows: when the data's spread is so large that these
 * overflow double precision, fitting fails; say so, instead of letting the failure look
 * like an ill-defined covariance (which blames regCovar).
 */
export function checkSquaresFit(M: Matrix): void {
  const { rows: n, cols: d, data } = M;
  let widest = 0, column = 0;
  for (let j = 0; j < d; j++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = data[i * d + j];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    // hi − lo itself may overflow to Infinity, which the check below also catches.
    if (!(hi - lo <= widest)) {
      widest = hi - lo;
      column = j;
    }
  }
  const limit = Math.sqrt(Number.MAX_VALUE / (16 * n * d));
  if (!(widest <= limit)) {
    throw new Error(
      `X spans up to ${widest.toPrecision(3)} along column ${column}: the squared distances EM sums over ${n} rows ` +
        `would overflow double precision (beyond about 1.8e308). Please rescale X (divide it by a power of ten, ` +
        'or standardise each column) and fit again.',
    );
  }
}
