/**
 * Latent codes as the VAE takes and gives them: nested arrays (number[][]) of latentDim
 * numbers, checked and flattened on the way in, nested on the way out.
 */
import { describeValue } from '../matrix';
import type { Random } from '../random';

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** `z` checked (non-empty, each row of length d, finite numbers within float32) and flattened, row after row. */
export function checkLatents(z: number[][], d: number, what: string): Float32Array {
  if (!Array.isArray(z) || z.length === 0) throw new Error(`${what}: expected a non-empty array of latent vectors (number[][]).`);
  const flat = new Float32Array(z.length * d);
  z.forEach((row, i) => {
    if (!Array.isArray(row) && !ArrayBuffer.isView(row)) throw new Error(`${what}: latent vector ${i} is not an array.`);
    if (row.length !== d) throw new Error(`${what}: latent vector ${i} has length ${row.length}; this model's latentDim is ${d}.`);
    for (let j = 0; j < d; j++) {
      const v: unknown = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what}: latent vector ${i} has ${describeValue(v)} at position ${j}; values must be finite numbers.`);
      // The networks compute in float32: a larger double would become ±Infinity there, then NaN pixels.
      if (Math.abs(v) > FLOAT32_MAX) {
        throw new Error(`${what}: latent vector ${i} has ${v} at position ${j}, beyond the float32 range (±3.4e38) the model computes in; latent codes are typically within ±5.`);
      }
      flat[i * d + j] = v;
    }
  });
  return flat;
}

/** Rows of `cols` numbers from a flat array. */
export function nested(flat: Float32Array, cols: number): number[][] {
  const out: number[][] = new Array(flat.length / cols);
  for (let i = 0; i < out.length; i++) out[i] = Array.from(flat.subarray(i * cols, (i + 1) * cols));
  return out;
}

/** `n` codes z ~ N(0, I) of `d` numbers, drawn from `rng`, flat. */
export function priorCodes(n: number, d: number, rng: Random): Float32Array {
  const z = new Float32Array(n * d);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  return z;
}

/** Codes of `d` numbers at the given points of the first two dimensions (any others 0), flat. */
export function planeCodes(points: [number, number][], d: number): Float32Array {
  const z = new Float32Array(points.length * d);
  points.forEach(([a, b], k) => {
    z[k * d] = a;
    z[k * d + 1] = b;
  });
  return z;
}

/** `steps` codes along the straight line from zA to zB, both ends included, flat. */
export function lineCodes(zA: number[], zB: number[], steps: number, d: number, what: string): Float32Array {
  checkLatents([zA], d, `${what} (zA)`);
  checkLatents([zB], d, `${what} (zB)`);
  const z = new Float32Array(steps * d);
  for (let s = 0; s < steps; s++) {
    const t = s / (steps - 1);
    for (let j = 0; j < d; j++) z[s * d + j] = (1 - t) * zA[j] + t * zB[j];
  }
  return z;
}
