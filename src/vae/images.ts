/**
 * Sets of grayscale images as the VAE consumes them: one flat Float32Array, row-major,
 * one image after another, pixels in [0, 1].
 */
import { describeValue, matrixValue } from '../matrix';
import { checkOptionNames } from '../options';
import { Random } from '../random';

export interface ImageSet {
  /** count × (width·height) pixel values in [0, 1], image after image. */
  images: Float32Array;
  /** One class label per image (0–9 for MNIST); absent when the source had none. */
  labels?: Uint8Array;
  count: number;
  width: number;
  height: number;
}

/** Wrap flat pixels (or nested rows) as a validated ImageSet. */
export function makeImageSet(
  images: Float32Array | number[][],
  options: { labels?: Uint8Array | number[]; width?: number; height?: number } = {},
): ImageSet {
  checkOptionNames(options, ['labels', 'width', 'height'], 'makeImageSet');
  const { width = 28, height = 28 } = options;
  const size = width * height;
  let flat: Float32Array;
  if (images instanceof Float32Array) {
    flat = images;
  } else if (Array.isArray(images)) {
    flat = new Float32Array(images.length * size);
    images.forEach((row, i) => {
      if (!Array.isArray(row) && !ArrayBuffer.isView(row)) throw new Error(`makeImageSet: images[${i}] is not an array.`);
      if (row.length !== size) {
        throw new Error(`makeImageSet: images[${i}] has ${row.length} pixels; expected width × height = ${size}.`);
      }
      for (let j = 0; j < size; j++) flat[i * size + j] = matrixValue(row[j], 'makeImageSet: images', i, j);
    });
  } else {
    throw new Error(`makeImageSet: images must be a Float32Array or number[][]; got ${typeof images}.`);
  }
  if (flat.length % size !== 0) {
    throw new Error(`makeImageSet: ${flat.length} pixel values are not a whole number of ${width}×${height} images.`);
  }
  const count = flat.length / size;
  let labels: Uint8Array | undefined;
  if (options.labels !== undefined) {
    labels = options.labels instanceof Uint8Array ? options.labels : byteLabels(options.labels);
    if (labels.length !== count) throw new Error(`makeImageSet: ${labels.length} labels for ${count} images.`);
  }
  const set: ImageSet = { images: flat, count, width, height };
  if (labels !== undefined) set.labels = labels;
  return set;
}

/** Labels as bytes, refusing anything a Uint8Array would wrap, truncate or coerce (300 → 44, 1.5 → 1, null → 0). */
function byteLabels(labels: ArrayLike<unknown>): Uint8Array {
  if (!Array.isArray(labels) && !ArrayBuffer.isView(labels)) {
    throw new Error(`makeImageSet: labels must be an array of integers in 0..255; got ${describeValue(labels)}.`);
  }
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) {
      throw new Error(`makeImageSet: labels[${i}] is ${describeValue(v)}; labels must be integers in 0..255 (they are stored as bytes).`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Check that `set` holds `count` finite images of `inputDim` pixels in [0, 1]; return the
 * pixels. `what` names the caller in errors.
 */
export function checkImages(set: ImageSet | Float32Array, inputDim: number, what: string): { images: Float32Array; count: number } {
  let images: Float32Array;
  if (set instanceof Float32Array) {
    images = set;
  } else if (set !== null && typeof set === 'object' && (set as ImageSet).images instanceof Float32Array) {
    images = set.images;
    if (set.width * set.height !== inputDim) {
      throw new Error(`${what}: images are ${set.width}×${set.height} = ${set.width * set.height} pixels, but the model expects inputDim = ${inputDim}.`);
    }
    if (set.count * inputDim !== images.length) {
      throw new Error(`${what}: set.count = ${set.count} but images holds ${images.length} values (${images.length / inputDim} images of ${inputDim}).`);
    }
  } else {
    throw new Error(`${what}: expected an ImageSet { images: Float32Array, count, width, height } or a Float32Array; got ${describe(set)}.`);
  }
  if (images.length === 0) throw new Error(`${what}: the image set is empty.`);
  if (images.length % inputDim !== 0) {
    throw new Error(`${what}: ${images.length} pixel values are not a whole number of images of inputDim = ${inputDim} pixels.`);
  }
  const k = firstPixelOutside01(images);
  if (k >= 0) {
    const v = images[k];
    const reason = Number.isNaN(v) ? 'NaN' : `${v}, outside [0, 1]${v > 1 ? ' (scale 0–255 pixels by 1/255)' : ''}`;
    throw new Error(`${what}: image ${Math.floor(k / inputDim)}, pixel ${k % inputDim} is ${reason}; pixels must be numbers in [0, 1].`);
  }
  return { images, count: images.length / inputDim };
}

/**
 * Index of the first value that is not in [0, 1] (NaN included), or -1. It reads the pixels
 * in place, four per test (one branch per four values scans 20,000 images in about a third
 * less time), then finds the culprit one by one.
 */
function firstPixelOutside01(pixels: Float32Array): number {
  const n = pixels.length;
  let k = 0;
  // `!(v >= 0 && v <= 1)` is also true for NaN.
  for (; k + 4 <= n; k += 4) {
    const a = pixels[k], b = pixels[k + 1], c = pixels[k + 2], d = pixels[k + 3];
    if (!(a >= 0 && a <= 1 && b >= 0 && b <= 1 && c >= 0 && c <= 1 && d >= 0 && d <= 1)) break;
  }
  for (; k < n; k++) if (!(pixels[k] >= 0 && pixels[k] <= 1)) return k;
  return -1;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array (use makeImageSet(rows) to convert nested arrays)';
  if (ArrayBuffer.isView(x)) return `a ${x.constructor.name}`;
  return typeof x;
}

/** The images at `indices`, in that order (copied). */
export function takeImages(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = set.width * set.height;
  const images = new Float32Array(indices.length * size);
  const labels = set.labels === undefined ? undefined : new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    if (!Number.isInteger(j) || j < 0 || j >= set.count) {
      throw new Error(`takeImages: index ${j} (position ${i}) is out of range 0..${set.count - 1}.`);
    }
    images.set(set.images.subarray(j * size, (j + 1) * size), i * size);
    if (labels !== undefined) labels[i] = set.labels![j];
  }
  const out: ImageSet = { images, count: indices.length, width: set.width, height: set.height };
  if (labels !== undefined) out.labels = labels;
  return out;
}

/**
 * `n` images of `set`: the first n, or with `seed` a seeded random choice (in random order).
 * Handy for a notebook's quick mode.
 */
export function subsetImages(set: ImageSet, n: number, options: { seed?: number } = {}): ImageSet {
  checkOptionNames(options, ['seed'], 'subsetImages');
  if (!Number.isInteger(n) || n < 1) throw new Error(`subsetImages: n must be a positive integer; got ${n}.`);
  const m = Math.min(n, set.count);
  if (options.seed === undefined) return takeImages(set, Array.from({ length: m }, (_, i) => i));
  return takeImages(set, new Random(options.seed).permutation(set.count).subarray(0, m));
}
