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
 * `Matrix`. A `Matrix` is returned as is (not copied) once validated. With `checkValues`
 * false, a `Matrix`'s values are left for the caller to check (with `checkFinite`) in a pass
 * over them it makes anyway; nested arrays are always checked as they are converted.
 */
export function toMatrix(x: MatrixLike, name = 'X', checkValues = true): Matrix {
  if (isMatrix(x)) {
    const { rows, cols, data } = x;
    if (rows < 1 || cols < 1) throw new Error(`${name} is empty: got ${rows} rows and ${cols} columns.`);
    if (data.length !== rows * cols) {
      throw new Error(`${name}.data has ${data.length} values, but rows × cols = ${rows} × ${cols} = ${rows * cols}.`);
    }
    if (checkValues) checkFinite(data, cols, name);
    return x;
  }
  if (!Array.isArray(x)) {
    throw new Error(`${name} must be a 2-D array (number[][]) or a { rows, cols, data: Float64Array } matrix; got ${describe(x)}.`);
  }
  if (x.length === 0) throw new Error(`${name} is empty: it needs at least one row.`);
  const first = x[0];
  if (!isRow(first)) {
    if (typeof first !== 'number' && typeof first !== 'boolean') {
      throw new Error(`${name} has ${describeValue(first)} as row 0; each row must be an array of numbers (${name} must be 2-D).`);
    }
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
    if (!isRow(row)) {
      throw new Error(`${name} has ${describeValue(row)} as row ${i}; each row must be an array of numbers (${name} must be 2-D).`);
    }
    if (row.length !== cols) {
      throw new Error(`${name} is ragged: row 0 has ${cols} values but row ${i} has ${row.length}.`);
    }
    for (let j = 0; j < cols; j++) data[i * cols + j] = matrixValue(row[j], name, i, j);
  }
  return { rows, cols, data };
}

/** A row of nested input: a plain array or a typed array (not a DataView). */
function isRow(row: unknown): row is ArrayLike<unknown> {
  return Array.isArray(row) || (ArrayBuffer.isView(row) && !(row instanceof DataView));
}

/**
 * One element of a user's matrix as a double, with scikit-learn's check_array rule:
 * numbers, and booleans as 0/1 (as numpy reads them); nothing else is coerced, so
 * null, '', '0x10', nested arrays, BigInts and objects are errors, never 0 or NaN.
 * NaN and ±Infinity are errors too.
 */
export function matrixValue(v: unknown, name: string, i: number, j: number): number {
  if (typeof v === 'number') {
    if (v - v !== 0) throw notFinite(v, name, i, j);
    return v;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  const hint = Array.isArray(v) || ArrayBuffer.isView(v)
    ? `; ${name} must be 2-D (rows × features), not nested deeper`
    : typeof v === 'string' ? '; convert strings with Number() first, deciding what an unparsable one means'
    : v === null || v === undefined ? '; remove or impute missing values first'
    : typeof v === 'bigint' ? '; convert with Number() first'
    : '';
  throw new Error(`${name} has ${describeValue(v)} at row ${i}, column ${j}; values must be numbers (or booleans)${hint}.`);
}

/** What a non-number value is, for error messages: `null`, `the string "0x10"`, `an array of 2`, ... */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined (a missing value)';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  if (typeof v === 'bigint') return `the BigInt ${v}n`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  const ctor = (v as object).constructor?.name;
  return ctor && ctor !== 'Object' ? `a ${ctor} object` : 'an object';
}

/** Throw, naming the row and column, at the first value of `data` that is NaN or ±Infinity. */
export function checkFinite(data: Float64Array, cols: number, name: string): void {
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    // `v - v` is NaN exactly for NaN and ±Infinity; cheaper than Number.isFinite in a hot loop.
    if (v - v !== 0) throw notFinite(v, name, Math.floor(k / cols), k % cols);
  }
}

function notFinite(v: number, name: string, i: number, j: number): Error {
  return new Error(`${name} contains ${Number.isNaN(v) ? 'NaN' : String(v)} at row ${i}, column ${j}; all values must be finite.`);
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
