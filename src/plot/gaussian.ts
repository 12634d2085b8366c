/**
 * Fitted Gaussian-mixture parameters as plain data, and the 2-D geometry the
 * figures need from them (ellipse outlines, log-density). Taking plain data
 * rather than the GaussianMixture class keeps plotting independent of fitting.
 */
import type { CovarianceType } from '../mixture/types';
import { numberArray } from './inputs';

/** scikit-learn's covariance parameterisations (defined once, in src/mixture). */
export type { CovarianceType };

/**
 * A fitted mixture, in scikit-learn's shapes: `covariances` is K×d×d ('full'),
 * d×d ('tied'), K×d ('diag') or K ('spherical'). When `covarianceType` is left
 * out it is read from the shape (asked for only when K = d makes 'tied' and 'diag' look alike).
 */
export interface GmmParams {
  weights: ArrayLike<number>;
  means: ArrayLike<ArrayLike<number>>;
  covariances: ArrayLike<number> | ArrayLike<ArrayLike<number>> | ArrayLike<ArrayLike<ArrayLike<number>>>;
  covarianceType?: CovarianceType;
}

/** A validated 2-D mixture with every covariance as a full 2×2 matrix. */
export interface Gmm2D {
  weights: number[];
  means: [number, number][];
  covariances: [[number, number], [number, number]][];
}

/**
 * Expand covariances of any type to K full d×d matrices (tied: one shared
 * matrix; diag: variances on the diagonal; spherical: one variance per component).
 */
export function fullCovariances(
  covariances: GmmParams['covariances'],
  covarianceType: CovarianceType | undefined,
  nComponents: number,
  nFeatures: number,
): number[][][] {
  const type = covarianceType ?? inferType(covariances, nComponents, nFeatures);
  const K = nComponents, d = nFeatures;
  const eye = (v: (j: number) => number): number[][] =>
    Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, c) => (r === c ? v(r) : 0)));
  switch (type) {
    case 'full': {
      const c = covariances as ArrayLike<ArrayLike<ArrayLike<number>>>;
      checkLength(c, K, `'full' covariances (K×d×d)`);
      return Array.from({ length: K }, (_, k) => squareMatrix(c[k], d, `covariances[${k}]`));
    }
    case 'tied': {
      const m = squareMatrix(covariances as ArrayLike<ArrayLike<number>>, d, `'tied' covariances (d×d)`);
      return Array.from({ length: K }, () => m.map((r) => [...r]));
    }
    case 'diag': {
      const c = covariances as ArrayLike<ArrayLike<number>>;
      checkLength(c, K, `'diag' covariances (K×d)`);
      return Array.from({ length: K }, (_, k) => {
        const v = numberArray(c[k], `covariances[${k}]`, d);
        return eye((j) => v[j]);
      });
    }
    case 'spherical': {
      const v = numberArray(covariances as ArrayLike<number>, `'spherical' covariances (K)`, K);
      return v.map((s) => eye(() => s));
    }
    default:
      throw new Error(`covarianceType must be 'full', 'tied', 'diag' or 'spherical'; got ${JSON.stringify(type)}.`);
  }
}

function inferType(c: GmmParams['covariances'], K: number, d: number): CovarianceType {
  const depth = nesting(c);
  if (depth === 3) return 'full';
  if (depth === 1) return 'spherical';
  if (depth === 2) {
    const rows = c.length, cols = (c as ArrayLike<ArrayLike<number>>)[0].length;
    if (K === d && rows === d && cols === d) {
      throw new Error(`covariances is ${rows}×${cols} with K = d = ${d}: it could be 'tied' or 'diag'; pass covarianceType.`);
    }
    if (rows === d && cols === d) return 'tied';
    if (rows === K && cols === d) return 'diag';
    throw new Error(`covariances is ${rows}×${cols}: expected d×d = ${d}×${d} ('tied') or K×d = ${K}×${d} ('diag').`);
  }
  throw new Error(`covariances must be K×d×d, d×d, K×d or K numbers; got ${describeShape(c)}.`);
}

function nesting(x: unknown): number {
  let depth = 0;
  let cur: unknown = x;
  while (cur !== null && typeof cur === 'object' && typeof (cur as ArrayLike<unknown>).length === 'number') {
    depth++;
    if ((cur as ArrayLike<unknown>).length === 0) break;
    cur = (cur as ArrayLike<unknown>)[0];
  }
  return typeof cur === 'number' ? depth : -1;
}

function describeShape(x: unknown): string {
  return x === null || typeof x !== 'object' ? String(x) : `an array nested ${nesting(x)} deep`;
}

function checkLength(x: ArrayLike<unknown>, n: number, name: string): void {
  if (x === null || typeof x !== 'object' || x.length !== n) {
    throw new Error(`${name} must have ${n} entries (one per component); got ${x === null || typeof x !== 'object' ? typeof x : x.length}.`);
  }
}

function squareMatrix(m: ArrayLike<ArrayLike<number>>, d: number, name: string): number[][] {
  checkLength(m, d, name);
  return Array.from({ length: d }, (_, r) => numberArray(m[r], `${name}[${r}]`, d));
}

/** Validate 2-D mixture parameters and bring them to full 2×2 covariances. */
export function gmm2d(params: GmmParams, name = 'params'): Gmm2D {
  if (params === null || typeof params !== 'object') throw new Error(`${name} must be { weights, means, covariances }; got ${params === null ? 'null' : typeof params}.`);
  const weights = numberArray(params.weights, `${name}.weights`);
  const K = weights.length;
  if (K === 0) throw new Error(`${name}.weights is empty: a mixture needs at least one component.`);
  if (!params.means || params.means.length !== K) {
    throw new Error(`${name}.means has ${params.means?.length} rows but there are ${K} weights.`);
  }
  const means = Array.from({ length: K }, (_, k) => {
    const m = numberArray(params.means[k], `${name}.means[${k}]`);
    if (m.length !== 2) throw new Error(`${name}.means[${k}] has ${m.length} coordinates; these figures draw 2-D mixtures only.`);
    return [m[0], m[1]] as [number, number];
  });
  const full = fullCovariances(params.covariances, params.covarianceType, K, 2);
  const covariances = full.map((c, k) => {
    const [[a, b], [b2, d]] = c;
    if (Math.abs(b - b2) > 1e-9 * (Math.abs(a) + Math.abs(d))) throw new Error(`${name}.covariances[${k}] is not symmetric.`);
    if (!(a > 0 && d > 0 && a * d - b * b > 0)) throw new Error(`${name}.covariances[${k}] is not positive definite: [[${a}, ${b}], [${b2}, ${d}]].`);
    return [[a, b], [b, d]] as [[number, number], [number, number]];
  });
  return { weights, means, covariances };
}

/** Principal axes of a 2×2 covariance: standard deviations along them and the angle of the first. */
export function principalAxes(cov: [[number, number], [number, number]]): { sd1: number; sd2: number; angle: number } {
  const [[a, b], [, d]] = cov;
  // Closed-form symmetric 2×2 eigen-decomposition: stable and exact enough for drawing.
  const mean = (a + d) / 2;
  const r = Math.hypot((a - d) / 2, b);
  const l1 = mean + r, l2 = Math.max(mean - r, 0);
  const angle = 0.5 * Math.atan2(2 * b, a - d);
  return { sd1: Math.sqrt(l1), sd2: Math.sqrt(l2), angle };
}

/** The closed outline of the `sigmas`-standard-deviation ellipse of N(mean, cov), as columns. */
export function ellipseOutline(
  mean: [number, number],
  cov: [[number, number], [number, number]],
  sigmas: number,
  nPoints = 72,
): { x: number[]; y: number[] } {
  const { sd1, sd2, angle } = principalAxes(cov);
  const c = Math.cos(angle), s = Math.sin(angle);
  const x: number[] = [], y: number[] = [];
  for (let i = 0; i <= nPoints; i++) {
    const t = i === nPoints ? 0 : (2 * Math.PI * i) / nPoints; // exactly closed
    const u = sigmas * sd1 * Math.cos(t), v = sigmas * sd2 * Math.sin(t);
    x.push(mean[0] + c * u - s * v);
    y.push(mean[1] + s * u + c * v);
  }
  return { x, y };
}

/** log p(x, y) of the mixture, via log-sum-exp so far tails do not underflow to -Infinity. */
export function mixtureLogDensity(g: Gmm2D): (x: number, y: number) => number {
  const comps = g.covariances.map(([[a, b], [, d]], k) => {
    const det = a * d - b * b;
    return {
      mx: g.means[k][0], my: g.means[k][1],
      ia: d / det, ib: -b / det, id: a / det,
      logNorm: Math.log(g.weights[k]) - Math.log(2 * Math.PI) - 0.5 * Math.log(det),
    };
  });
  return (x, y) => {
    let max = -Infinity;
    const terms = comps.map((c) => {
      const dx = x - c.mx, dy = y - c.my;
      const t = c.logNorm - 0.5 * (c.ia * dx * dx + 2 * c.ib * dx * dy + c.id * dy * dy);
      if (t > max) max = t;
      return t;
    });
    if (max === -Infinity) return -Infinity;
    let s = 0;
    for (const t of terms) s += Math.exp(t - max);
    return max + Math.log(s);
  };
}
