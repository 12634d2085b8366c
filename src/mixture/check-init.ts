/**
 * Validation of user-given initial parameters (weightsInit, meansInit,
 * precisionsInit), and their conversion to the flat layout of params.ts.
 */
import { choleskyLower, flip, invertLower, isSymmetric, multiplyByTranspose, transpose } from './linalg';
import { MixtureParams, covarianceSize } from './params';
import { CovarianceType } from './types';

export function checkWeights(value: unknown, K: number): Float64Array {
  const w = flattenShaped(value, [K], 'weightsInit', 'nComponents');
  let min = Infinity, max = -Infinity, sum = 0;
  for (const v of w) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  if (min < 0 || max > 1) {
    throw new Error(`weightsInit must lie in [0, 1]; got min ${min} and max ${max}.`);
  }
  // numpy.allclose(|1 − Σw|, 0), as scikit-learn checks it.
  if (!(Math.abs(1 - sum) <= 1e-8)) throw new Error(`weightsInit must sum to 1; got a sum of ${sum}.`);
  return w;
}

export function checkMeans(value: unknown, K: number, d: number): Float64Array {
  return flattenShaped(value, [K, d], 'meansInit', 'nComponents × nFeatures');
}

const PRECISION_SHAPES: Record<CovarianceType, string> = {
  full: 'nComponents × nFeatures × nFeatures',
  tied: 'nFeatures × nFeatures',
  diag: 'nComponents × nFeatures',
  spherical: 'nComponents',
};

/** Precisions in the covariance layout of params.ts, checked symmetric positive definite (or positive). */
export function checkPrecisions(value: unknown, type: CovarianceType, K: number, d: number): Float64Array {
  const shape = type === 'full' ? [K, d, d] : type === 'tied' ? [d, d] : type === 'diag' ? [K, d] : [K];
  const p = flattenShaped(value, shape, 'precisionsInit', `${PRECISION_SHAPES[type]}, for covarianceType '${type}'`);
  if (type === 'full' || type === 'tied') {
    const work = new Float64Array(d * d);
    for (let k = 0; k < p.length / (d * d); k++) {
      const which = type === 'full' ? `precisionsInit[${k}]` : 'precisionsInit';
      if (!isSymmetric(p, k * d * d, d) || !choleskyLower(p, k * d * d, d, work, 0)) {
        throw new Error(`${which} must be a symmetric, positive-definite matrix ('${type}' precision).`);
      }
    }
  } else {
    p.forEach((v, i) => {
      if (!(v > 0)) throw new Error(`precisionsInit must be positive ('${type}' precision); got ${v} at index ${i}.`);
    });
  }
  return p;
}

/**
 * Set p.precChol from precisions P, and p.covariances = P⁻¹ through the factor.
 * For full/tied, precChol is made upper-triangular (P = U Uᵀ), like the factors the
 * M-step produces, by a Cholesky of P with rows and columns in reverse order.
 */
export function setFromPrecisions(p: MixtureParams, precisions: Float64Array): void {
  const { type, K, d, precChol, covariances } = p;
  if (type === 'full' || type === 'tied') {
    const dd = d * d;
    const a = new Float64Array(dd), b = new Float64Array(dd);
    for (let k = 0; k < covarianceSize(type, K, d) / dd; k++) {
      flip(precisions, k * dd, d, a, 0);
      choleskyLower(a, 0, d, b, 0); // J P J = L Lᵀ  ⇒  P = (J L J)(J L J)ᵀ, J L J upper
      flip(b, 0, d, precChol, k * dd);
      // Σ = P⁻¹ = U⁻ᵀ U⁻¹ = W Wᵀ with W = (Uᵀ)⁻¹ lower.
      transpose(precChol, k * dd, d, a, 0);
      invertLower(a, 0, d, b, 0);
      multiplyByTranspose(b, 0, d, covariances, k * dd);
    }
  } else {
    for (let i = 0; i < precisions.length; i++) {
      precChol[i] = Math.sqrt(precisions[i]);
      covariances[i] = 1 / precisions[i];
    }
  }
}

/** Check that `value` is a (nested) array of finite numbers with exactly `shape`, and flatten it. */
export function flattenShaped(value: unknown, shape: number[], name: string, meaning: string): Float64Array {
  const expected = `${shape.join(' × ')} (${meaning})`;
  const actual = describeShape(value);
  const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
  let pos = 0;
  const visit = (u: unknown, level: number, path: string): void => {
    if (level === shape.length) {
      if (typeof u !== 'number' || !Number.isFinite(u)) {
        throw new Error(`${name}${path} must be a finite number; got ${Array.isArray(u) ? 'an array' : String(u)} (expected shape ${expected}).`);
      }
      out[pos++] = u;
      return;
    }
    if (!isArrayLike(u) || u.length !== shape[level]) {
      const where = level === 0 ? '' : ` (${name}${path} has ${isArrayLike(u) ? `${u.length} entries` : 'no entries'})`;
      throw new Error(`${name} must have shape ${expected}; got shape ${actual}${where}.`);
    }
    for (let i = 0; i < u.length; i++) visit(u[i], level + 1, `${path}[${i}]`);
  };
  visit(value, 0, '');
  return out;
}

function isArrayLike(u: unknown): u is ArrayLike<unknown> {
  return Array.isArray(u) || (ArrayBuffer.isView(u) && !(u instanceof DataView));
}

/** The shape read along first elements, e.g. "3 × 2"; "a number", "undefined". */
function describeShape(v: unknown): string {
  const dims: number[] = [];
  let u = v;
  while (isArrayLike(u)) {
    dims.push(u.length);
    if (u.length === 0) break;
    u = u[0];
  }
  return dims.length ? dims.join(' × ') : typeof v === 'number' ? 'a number' : String(v);
}
