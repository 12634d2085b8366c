/**
 * Inference over many rows in chunks of bounded size, so memory stays bounded whatever the
 * number of images: the one loop behind encode, decode, reconstruct, evaluate and IWAE.
 */
import type { Tensor, Tensor2D, Tf } from './tf';

/** Rows per forward pass in inference and evaluation. */
export const CHUNK_ROWS = 2048;

/** Consecutive row ranges [start, start + rows) of at most `chunkRows` rows, covering `count` rows. */
export function* rowChunks(count: number, chunkRows = CHUNK_ROWS): Generator<{ start: number; rows: number }> {
  for (let start = 0; start < count; start += chunkRows) yield { start, rows: Math.min(chunkRows, count - start) };
}

/** Rows [start, start + rows) of a row-major matrix with `cols` columns, as a tensor. */
export function rowsTensor(tf: Tf, data: Float32Array, cols: number, start: number, rows: number): Tensor2D {
  return tf.tensor2d(data.subarray(start * cols, (start + rows) * cols), [rows, cols]);
}

/**
 * Apply `f` to `input` (count × cols) chunk by chunk, inside tf.tidy, and stack the chunks of
 * each matrix it returns: output k holds count rows of f's k-th result.
 */
export function mapRowChunks(tf: Tf, input: Float32Array, cols: number, count: number, f: (x: Tensor2D) => Tensor[]): Float32Array[] {
  let outputs: Float32Array[] | undefined;
  for (const { start, rows } of rowChunks(count)) {
    const results = tf.tidy(() => f(rowsTensor(tf, input, cols, start, rows)).map((t) => t.dataSync() as Float32Array));
    outputs ??= results.map((r) => new Float32Array((count * r.length) / rows));
    results.forEach((r, k) => outputs![k].set(r, (start * r.length) / rows));
  }
  return outputs ?? [];
}

/** Let timers and I/O (notebook display updates, Ctrl-C) run between chunks of a long computation. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
