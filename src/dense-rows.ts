/**
 * Read-only row-major data in single or double precision: the shape that
 * images (Float32Array, count × pixels) and plain nested arrays share, so that
 * k-NN and PCA can take 8,000 digits without first copying them into doubles.
 */

/** What k-NN and PCA accept: nested rows, or flat values with their shape. */
export type RowsLike = ArrayLike<number>[] | { data: Float32Array | Float64Array; rows: number; cols: number };

/** Validated flat rows: element (i, j) is `data[i * cols + j]`. */
export interface DenseRows {
  data: Float32Array | Float64Array;
  rows: number;
  cols: number;
}

/**
 * Check `x` and return it flat. Flat input is not copied; nested rows are copied
 * into a Float64Array once. Every value must be finite: a NaN would silently
 * poison every distance or covariance it touches.
 */
export function denseRows(x: RowsLike, name = 'X'): DenseRows {
  if (Array.isArray(x)) {
    if (x.length === 0) throw new Error(`${name} is empty: it needs at least one row.`);
    const cols = x[0]?.length;
    if (!Number.isInteger(cols) || cols < 1) throw new Error(`${name}[0] must be a non-empty row of numbers; got ${describe(x[0])}.`);
    const data = new Float64Array(x.length * cols);
    x.forEach((row, i) => {
      if (row?.length !== cols) throw new Error(`${name}[${i}] has ${row?.length ?? 'no'} values; row 0 has ${cols}. All rows need the same length.`);
      for (let j = 0; j < cols; j++) data[i * cols + j] = row[j];
    });
    return checkFinite({ data, rows: x.length, cols }, name);
  }
  if (typeof x !== 'object' || x === null || !(x.data instanceof Float32Array || x.data instanceof Float64Array)) {
    throw new Error(`${name} must be number[][] or { data: Float32Array | Float64Array, rows, cols }; got ${describe(x)}.`);
  }
  const { data, rows, cols } = x;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new Error(`${name} must have positive integer rows and cols; got rows = ${rows}, cols = ${cols}.`);
  }
  if (data.length !== rows * cols) throw new Error(`${name}.data has ${data.length} values, but rows × cols = ${rows} × ${cols} = ${rows * cols}.`);
  return checkFinite({ data, rows, cols }, name);
}

function checkFinite(m: DenseRows, name: string): DenseRows {
  for (let k = 0; k < m.data.length; k++) {
    if (!Number.isFinite(m.data[k])) {
      throw new Error(`${name} has a non-finite value (${m.data[k]}) at row ${Math.floor(k / m.cols)}, column ${k % m.cols}.`);
    }
  }
  return m;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return typeof x;
}
