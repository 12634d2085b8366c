/**
 * Long numeric arrays as plotly.js's typed-array spec `{ dtype, bdata, shape? }`
 * (decoded by plotly.js ≥ 2.28; plotly.py 6 writes the same). A saved notebook
 * pretty-prints JSON one number per line, so a 2,000-point scatter costs ~50 kB
 * as plain arrays and about a third of that as one base64 string.
 *
 * Figures stay plain arrays everywhere users see them; `packFigure` is applied
 * only where a figure leaves the process (show's bundle, HTML export).
 */
import { endianness } from 'os';
import type { Figure, Frame, Trace } from './figure';

/** The dtypes we write: the narrowest one that holds every value exactly. */
export type Dtype = 'u1' | 'i1' | 'u2' | 'i2' | 'u4' | 'i4' | 'f4' | 'f8';

export interface TypedArraySpec {
  dtype: Dtype;
  /** The values' little-endian bytes, base64. */
  bdata: string;
  /** 'rows,cols' for a 2-D array (heatmap z); absent for 1-D. */
  shape?: string;
}

/** Arrays shorter than this stay readable JSON: small figures are worth inspecting in the .ipynb. */
export const PACK_MIN_LENGTH = 64;

type TypedArrayCtor = {
  new (n: number): ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number; [i: number]: number };
  BYTES_PER_ELEMENT: number;
};

const CTORS: Record<Dtype, TypedArrayCtor> = {
  u1: Uint8Array, i1: Int8Array, u2: Uint16Array, i2: Int16Array,
  u4: Uint32Array, i4: Int32Array, f4: Float32Array, f8: Float64Array,
};

const INT_RANGES: [Dtype, number, number][] = [
  ['u1', 0, 0xff], ['i1', -0x80, 0x7f], ['u2', 0, 0xffff], ['i2', -0x8000, 0x7fff],
  ['u4', 0, 0xffffffff], ['i4', -0x80000000, 0x7fffffff],
];

/** The narrowest dtype that stores every value exactly (f4 only when each value is already a float32). */
export function dtypeFor(values: readonly number[]): Dtype {
  let min = Infinity, max = -Infinity, ints = true, f4 = true;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    if (ints && !Number.isInteger(v)) ints = false;
    if (f4 && Math.fround(v) !== v) f4 = false;
  }
  if (ints) for (const [d, lo, hi] of INT_RANGES) if (min >= lo && max <= hi) return d;
  return f4 ? 'f4' : 'f8';
}

function isNumberArray(x: unknown): x is number[] {
  return Array.isArray(x) && x.every((v) => typeof v === 'number' && Number.isFinite(v));
}

/** A 1-D array of finite numbers as a spec; any other value (nulls are Plotly's gaps) gives null. */
export function encodeArray(values: readonly number[]): TypedArraySpec | null {
  if (!isNumberArray(values)) return null;
  const dtype = dtypeFor(values);
  return { dtype, bdata: toBase64(dtype, values) };
}

/** A rectangular 2-D array of finite numbers (rows of equal length) as a spec with shape, else null. */
export function encodeMatrix(rows: readonly (readonly number[])[]): TypedArraySpec | null {
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every((r) => isNumberArray(r) && r.length === rows[0].length) || rows[0].length === 0) return null;
  const flat = rows.flat();
  const dtype = dtypeFor(flat);
  return { dtype, bdata: toBase64(dtype, flat), shape: `${rows.length},${rows[0].length}` };
}

function toBase64(dtype: Dtype, values: readonly number[]): string {
  const a = new CTORS[dtype](values.length);
  for (let i = 0; i < values.length; i++) a[i] = values[i];
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** The plain values of a spec: 1-D → number[], with shape 'r,c' → number[][] (the inverse of encodeArray/encodeMatrix). */
export function decodeArray(spec: TypedArraySpec): number[] | number[][] {
  const Ctor = CTORS[spec.dtype];
  if (!Ctor) throw new Error(`decodeArray: unknown dtype ${JSON.stringify(spec.dtype)}; expected one of ${Object.keys(CTORS).join(', ')}.`);
  const bytes = Buffer.from(spec.bdata, 'base64');
  const n = bytes.length / Ctor.BYTES_PER_ELEMENT;
  if (!Number.isInteger(n)) throw new Error(`decodeArray: ${bytes.length} bytes is not a whole number of ${spec.dtype} values.`);
  // Copy into an aligned buffer: Buffer.from may hand back an offset into a shared pool.
  const a = new Ctor(n);
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).set(bytes);
  const flat = Array.from(a);
  if (spec.shape === undefined) return flat;
  const [rows, cols] = String(spec.shape).split(',').map(Number);
  if (!(rows * cols === n)) throw new Error(`decodeArray: shape ${spec.shape} does not match ${n} values.`);
  return Array.from({ length: rows }, (_, r) => flat.slice(r * cols, (r + 1) * cols));
}

/** True for `{ dtype, bdata }` objects as plotly.js recognises them. */
export function isTypedArraySpec(x: unknown): x is TypedArraySpec {
  return typeof x === 'object' && x !== null && typeof (x as TypedArraySpec).dtype === 'string' && typeof (x as TypedArraySpec).bdata === 'string';
}

/**
 * The figure with every numeric array of at least `minLength` values inside its traces
 * (data and animation frames) written as a typed-array spec. Expects plain JSON values
 * (toPlotlyJson's output); the input is not modified. Layouts are left as they are.
 */
export function packFigure(fig: Figure, minLength: number = PACK_MIN_LENGTH): Figure {
  // plotly.js reads bdata in the viewer's byte order, little-endian on every platform it runs on.
  if (endianness() !== 'LE') return fig;
  const packTrace = (t: Trace): Trace => pack(t, minLength) as Trace;
  const out: Figure = { ...fig, data: fig.data.map(packTrace) };
  // A frame may change only the layout (no data): leave it as it is.
  if (fig.frames) out.frames = fig.frames.map((f): Frame => (Array.isArray(f.data) ? { ...f, data: f.data.map(packTrace) } : f));
  return out;
}

function pack(x: unknown, minLength: number): unknown {
  if (Array.isArray(x)) {
    if (x.length > 0 && Array.isArray(x[0])) {
      const rows = x as number[][];
      if (rows.length * rows[0].length >= minLength) {
        const m = encodeMatrix(rows);
        if (m) return m;
      }
    } else if (x.length >= minLength) {
      const a = encodeArray(x as number[]);
      if (a) return a;
    }
    return x.map((v) => pack(v, minLength));
  }
  if (typeof x === 'object' && x !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = pack(v, minLength);
    return out;
  }
  return x;
}
