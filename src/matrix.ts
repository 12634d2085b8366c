/**
 * Dense row-major matrices, and the one place where user input becomes one.
 *
 * Every public entry point takes a `MatrixLike` (nested arrays or a `Matrix`)
 * and calls `toMatrix`, so that bad input fails early with a message that
 * names the argument and the problem.
 */

/** A dense row-major matrix of doubles: element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** What public functions accept as a data matrix. */
export type MatrixLike = number[][] | Matrix;

export function isMatrix(x: unknown): x is Matrix {
  return (
    typeof x === 'object' &&
    x !== null &&
    !Array.isArray(x) &&
    (x as Matrix).data instanceof Float64Array &&
    Number.isInteger((x as Matrix).rows) &&
    Number.isInteger((x as Matrix).cols)
  );
}

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/**
 * Validate `x` as a non-empty 2-D matrix of finite numbers and return it as a
 * `Matrix`. A `Matrix` is returned as is (not copied) once validated.
 */
export function toMatrix(x: MatrixLike, name = 'X'): Matrix {
  if (isMatrix(x)) {
    const { rows, cols, data } = x;
    if (rows < 1 || cols < 1) throw new Error(`${name} is empty: got ${rows} rows and ${cols} columns.`);
    if (data.length !== rows * cols) {
      throw new Error(`${name}.data has ${data.length} values, but rows × cols = ${rows} × ${cols} = ${rows * cols}.`);
    }
    checkFinite(data, cols, name);
    return x;
  }
  if (!Array.isArray(x)) {
    throw new Error(`${name} must be a 2-D array (number[][]) or a { rows, cols, data: Float64Array } matrix; got ${describe(x)}.`);
  }
  if (x.length === 0) throw new Error(`${name} is empty: it needs at least one row.`);
  const first = x[0];
  if (!Array.isArray(first) && !ArrayBuffer.isView(first)) {
    throw new Error(
      `${name} must be 2-D, one row per sample; got a 1-D array. ` +
        `Wrap a single feature as [[x0], [x1], ...] or a single sample as [[...]].`,
    );
  }
  const cols = first.length;
  if (cols === 0) throw new Error(`${name} has rows with no features.`);
  const rows = x.length;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = x[i];
    if (!Array.isArray(row) && !ArrayBuffer.isView(row)) {
      throw new Error(`${name}[${i}] is not an array: ${name} must be 2-D.`);
    }
    if (row.length !== cols) {
      throw new Error(`${name} is ragged: row 0 has ${cols} values but row ${i} has ${row.length}.`);
    }
    for (let j = 0; j < cols; j++) data[i * cols + j] = row[j];
  }
  checkFinite(data, cols, name);
  return { rows, cols, data };
}

function checkFinite(data: Float64Array, cols: number, name: string): void {
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    // `v - v` is NaN exactly for NaN and ±Infinity; cheaper than Number.isFinite in a hot loop.
    if (v - v !== 0) {
      const i = Math.floor(k / cols);
      const j = k % cols;
      throw new Error(`${name} contains ${Number.isNaN(v) ? 'NaN' : String(v)} at row ${i}, column ${j}; all values must be finite.`);
    }
  }
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name} (1-D)`;
  return typeof x;
}

/** The matrix as nested arrays, row by row. */
export function toNested(m: Matrix): number[][] {
  const out: number[][] = new Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols));
  return out;
}

/** Row `i` as a view (no copy). */
export function row(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}
