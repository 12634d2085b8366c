/**
 * IDX files, the format of the original MNIST and of Fashion-MNIST (LeCun et al.):
 * two zero bytes, a type byte (0x08 = unsigned byte), the number of dimensions, each
 * dimension as a big-endian uint32, then the values. Gzipped files are recognised by
 * their magic bytes, whatever their name.
 */
import { readFileSync } from 'fs';
import { gunzipSync } from 'zlib';
import { describeValue } from '../matrix';
import { checkOptionNames, optionNames } from '../options';
import { ImageSet } from './images';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

export interface IdxOptions {
  /**
   * The most bytes gzip data may inflate to (default 256 MiB; the MNIST training
   * images are 47 MB). A bound, so a small corrupt or hostile file cannot claim gigabytes.
   */
  maxBytes?: number;
}

export const DEFAULT_IDX_MAX_BYTES = 256 * 1024 * 1024;

/** Parse one IDX file's bytes (gzipped or not). `name` is used in error messages. */
export function parseIdx(bytes: Uint8Array, name = 'IDX data', options: IdxOptions = {}): IdxArray {
  if (!(bytes instanceof Uint8Array)) {
    throw new Error(`parseIdx: bytes must be a Uint8Array (or Buffer); got ${describeValue(bytes)}. Read a file with loadIdx(path) or fs.readFileSync(path).`);
  }
  checkOptionNames(options, optionNames<IdxOptions>({ maxBytes: true }), 'parseIdx');
  const maxBytes = checkMaxBytes(options.maxBytes);
  let raw = bytes;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      raw = gunzipSync(raw, { maxOutputLength: maxBytes });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new Error(
          `${name}: gzip data inflates to more than ${maxBytes} bytes (the maxBytes limit); ` +
            `if the file is genuine, raise it with { maxBytes } (for example loadIdx(path, labels, { maxBytes: 2 ** 30 })).`,
        );
      }
      throw new Error(`${name}: gzip data is corrupt or truncated (${(err as Error).message}).`);
    }
  }
  if (raw.length < 4) throw new Error(`${name}: only ${raw.length} bytes; too short for an IDX header.`);
  const magic = ((raw[0] << 24) | (raw[1] << 16) | (raw[2] << 8) | raw[3]) >>> 0;
  const type = raw[2];
  const ndims = raw[3];
  if (raw[0] !== 0 || raw[1] !== 0 || ndims < 1) {
    throw new Error(`${name}: bad magic number 0x${magic.toString(16).padStart(8, '0')}; not an IDX file (expected 0x000008NN).`);
  }
  if (type !== 0x08) {
    throw new Error(`${name}: IDX value type 0x${type.toString(16)} is not supported; only unsigned bytes (0x08) are.`);
  }
  const headerBytes = 4 + 4 * ndims;
  if (raw.length < headerBytes) throw new Error(`${name}: truncated header (${raw.length} of ${headerBytes} bytes).`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const available = raw.length - headerBytes;
  if (available < size) {
    throw new Error(`${name}: truncated: the header promises ${dims.join('×')} = ${size} values but only ${available} bytes follow.`);
  }
  if (available > size) {
    throw new Error(`${name}: ${available - size} unexpected bytes after the ${dims.join('×')} values.`);
  }
  return { dims, data: raw.subarray(headerBytes, headerBytes + size) };
}

/**
 * Read IDX image (and optionally label) files into an ImageSet, pixels scaled to [0, 1].
 * For example Fashion-MNIST under /usr/share/datasets/fashion-mnist (Debian's
 * dataset-fashion-mnist): `loadIdx(dir + '/t10k-images-idx3-ubyte.gz', dir + '/t10k-labels-idx1-ubyte.gz')`.
 */
export function loadIdx(imagesPath: string, labelsPath?: string, options: IdxOptions = {}): ImageSet {
  checkOptionNames(options, optionNames<IdxOptions>({ maxBytes: true }), 'loadIdx');
  checkPath(imagesPath, 'imagesPath');
  if (labelsPath !== undefined) checkPath(labelsPath, 'labelsPath');
  checkMaxBytes(options.maxBytes);
  const images = parseIdx(readFile(imagesPath), imagesPath, options);
  if (images.dims.length !== 3) {
    throw new Error(`${imagesPath}: expected 3 dimensions (count × rows × columns) for images; got ${images.dims.length} (${images.dims.join('×')}).`);
  }
  const [count, height, width] = images.dims;
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  const set: ImageSet = { images: pixels, count, width, height };
  if (labelsPath !== undefined) {
    const labels = parseIdx(readFile(labelsPath), labelsPath, options);
    if (labels.dims.length !== 1) {
      throw new Error(`${labelsPath}: expected 1 dimension for labels; got ${labels.dims.length} (${labels.dims.join('×')}).`);
    }
    if (labels.dims[0] !== count) {
      throw new Error(`loadIdx: ${count} images in ${imagesPath} but ${labels.dims[0]} labels in ${labelsPath}.`);
    }
    set.labels = Uint8Array.from(labels.data);
  }
  return set;
}

/** A path must be a string: fs would read a number as a file descriptor (0 is stdin). */
function checkPath(path: unknown, what: string): void {
  if (typeof path !== 'string' || path === '') {
    throw new Error(`loadIdx: ${what} must be a file path (a non-empty string); got ${typeof path === 'string' ? "''" : describeValue(path)}.`);
  }
}

function checkMaxBytes(maxBytes: unknown = DEFAULT_IDX_MAX_BYTES): number {
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new Error(`maxBytes must be a positive integer number of bytes; got ${describeValue(maxBytes)}.`);
  }
  return maxBytes;
}

function readFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`loadIdx: cannot read ${path}${code === 'ENOENT' ? ': no such file' : `: ${(err as Error).message}`}.`);
  }
}
