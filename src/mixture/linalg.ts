/**
 * The few dense d×d operations the mixture needs, on row-major blocks inside
 * flat Float64Arrays (`a[off + i*d + j]`), so K matrices can live in one array.
 * Only Cholesky and triangular solves: no general inverse is ever formed.
 */

/**
 * Lower Cholesky factor L (A = L Lᵀ) of the symmetric matrix at `a[aOff..]`,
 * written to `out[oOff..]` with zeros above the diagonal. Reads only the lower
 * triangle of A. Returns false, like LAPACK's potrf, when a pivot is not positive
 * (A is not numerically positive definite) or not finite.
 */
export function choleskyLower(a: Float64Array, aOff: number, d: number, out: Float64Array, oOff: number): boolean {
  for (let j = 0; j < d; j++) {
    let pivot = a[aOff + j * d + j];
    for (let k = 0; k < j; k++) {
      const v = out[oOff + j * d + k];
      pivot -= v * v;
    }
    if (!(pivot > 0) || pivot === Infinity) return false;
    const ljj = Math.sqrt(pivot);
    out[oOff + j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let s = a[aOff + i * d + j];
      for (let k = 0; k < j; k++) s -= out[oOff + i * d + k] * out[oOff + j * d + k];
      out[oOff + i * d + j] = s / ljj;
    }
    for (let i = 0; i < j; i++) out[oOff + i * d + j] = 0;
  }
  return true;
}

/** L⁻¹ of the lower-triangular L (forward substitution on the identity), lower triangular. */
export function invertLower(l: Float64Array, lOff: number, d: number, out: Float64Array, oOff: number): void {
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) {
      if (i < j) {
        out[oOff + i * d + j] = 0;
        continue;
      }
      let s = i === j ? 1 : 0;
      for (let k = j; k < i; k++) s -= l[lOff + i * d + k] * out[oOff + k * d + j];
      out[oOff + i * d + j] = s / l[lOff + i * d + i];
    }
  }
}

/** `out = Mᵀ` for the d×d block M (out must not alias m). */
export function transpose(m: Float64Array, mOff: number, d: number, out: Float64Array, oOff: number): void {
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[oOff + j * d + i] = m[mOff + i * d + j];
}

/** `out = M Mᵀ` for the d×d block M. */
export function multiplyByTranspose(m: Float64Array, mOff: number, d: number, out: Float64Array, oOff: number): void {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += m[mOff + i * d + k] * m[mOff + j * d + k];
      out[oOff + i * d + j] = s;
      out[oOff + j * d + i] = s;
    }
  }
}

/**
 * Reverse the order of rows and columns of a d×d block (J M J with J the
 * exchange matrix). It turns a lower Cholesky factorisation into an upper one.
 */
export function flip(m: Float64Array, mOff: number, d: number, out: Float64Array, oOff: number): void {
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[oOff + i * d + j] = m[mOff + (d - 1 - i) * d + (d - 1 - j)];
}

/** Whether the d×d block is symmetric up to numpy.allclose's default tolerances. */
export function isSymmetric(m: Float64Array, mOff: number, d: number): boolean {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const a = m[mOff + i * d + j];
      const b = m[mOff + j * d + i];
      if (Math.abs(a - b) > 1e-8 + 1e-5 * Math.abs(b)) return false;
    }
  }
  return true;
}
