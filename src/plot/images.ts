/**
 * Image mosaics (digits, reconstructions, the decoded latent manifold) drawn as
 * ONE heatmap with blank gaps: one trace stays light in JSON and fast to render,
 * unlike one subplot per image.
 */
import { OptionNames, checkOptionNames, optionNames } from '../options';
import { Figure, LAYOUT_OPTIONS, LayoutOptions, Layout, Trace, baseLayout, mergeLayout } from './figure';
import { gridTicks } from './grid-ticks';
// The one latent-grid definition, shared with VAE.latentGrid (a pure file: no tfjs here).
import { LatentGrid, latentGrid } from '../vae/latent-grid';

export { LatentGrid, latentGrid };

/**
 * A batch of images: flat `count × (height·width)` values (Float32Array from
 * tfjs, Float64Array or number[]), or one array per image.
 */
export type Images = Float32Array | Float64Array | number[] | ArrayLike<number>[] | ImageSetLike;

/** An image set as the VAE module holds one (`{ images, width, height }`, flat pixels). */
export interface ImageSetLike {
  images: Float32Array;
  width: number;
  height: number;
}

/** The keys of MosaicOptions, for checking option names at run time. */
const MOSAIC_OPTIONS: OptionNames<MosaicOptions> = { ...LAYOUT_OPTIONS, imageShape: true, gap: true, range: true, pixelSize: true };

export interface MosaicOptions extends LayoutOptions {
  /** Image height and width in pixels; default 28×28 for flat input, the square side for per-image arrays. */
  imageShape?: [number, number];
  /** Blank pixels between images (default 1). */
  gap?: number;
  /** Value range mapped to black..white (default [0, 1]). */
  range?: [number, number];
  /** Screen pixels per image pixel (default: fits about 720 px wide, at most 6). */
  pixelSize?: number;
}

/** A validated batch: count images of h×w row-major pixels. */
export interface ImageBatch {
  count: number;
  height: number;
  width: number;
  image(i: number): ArrayLike<number>;
}

/** Validate a batch of images and learn its shape. */
export function imageBatch(images: Images, imageShape: [number, number] | undefined, name = 'images'): ImageBatch {
  if (isImageSet(images)) return imageBatch(images.images, imageShape ?? [images.height, images.width], `${name}.images`);
  if (images === null || typeof images !== 'object' || typeof (images as ArrayLike<unknown>).length !== 'number') {
    throw new Error(`${name} must be a Float32Array (count × height·width) or an array of images; got ${images === null ? 'null' : typeof images}.`);
  }
  if (images.length === 0) throw new Error(`${name} is empty.`);
  if (imageShape !== undefined) checkShape(imageShape);
  const nested = typeof (images as ArrayLike<unknown>)[0] === 'object';
  if (!nested) {
    const flat = images as ArrayLike<number>;
    const [h, w] = imageShape ?? [28, 28];
    if (flat.length % (h * w) !== 0) {
      throw new Error(`${name} has ${flat.length} values, not a multiple of height×width = ${h}×${w} = ${h * w}; pass imageShape.`);
    }
    checkValues(flat, name);
    const size = h * w;
    const view = (i: number): ArrayLike<number> =>
      ArrayBuffer.isView(flat) ? (flat as Float32Array).subarray(i * size, (i + 1) * size) : (flat as number[]).slice(i * size, (i + 1) * size);
    return { count: flat.length / size, height: h, width: w, image: view };
  }
  const list = images as ArrayLike<number>[];
  const len = list[0].length;
  let shape = imageShape;
  if (!shape) {
    const side = Math.round(Math.sqrt(len));
    if (side * side !== len) throw new Error(`${name}[0] has ${len} pixels, not a square image; pass imageShape: [height, width].`);
    shape = [side, side];
  }
  const [h, w] = shape;
  for (let i = 0; i < list.length; i++) {
    const im = list[i];
    if (im === null || typeof im !== 'object' || im.length !== h * w) {
      throw new Error(`${name}[${i}] has ${im?.length} pixels; expected height×width = ${h}×${w} = ${h * w}.`);
    }
    checkValues(im, `${name}[${i}]`);
  }
  return { count: list.length, height: h, width: w, image: (i) => list[i] };
}

function isImageSet(x: unknown): x is ImageSetLike {
  return typeof x === 'object' && x !== null && (x as ImageSetLike).images instanceof Float32Array && typeof (x as ImageSetLike).width === 'number';
}

function checkShape(s: [number, number]): void {
  if (!Array.isArray(s) || s.length !== 2 || !s.every((v) => Number.isInteger(v) && v > 0)) {
    throw new Error(`imageShape must be [height, width] with positive integers; got ${JSON.stringify(s)}.`);
  }
}

function checkValues(a: ArrayLike<number>, name: string): void {
  for (let i = 0; i < a.length; i++) {
    if (typeof a[i] !== 'number' || !Number.isFinite(a[i])) throw new Error(`${name} has a non-finite pixel at index ${i}: ${a[i]}.`);
  }
}

/** Where each image goes: cells[row][col] = image index, or null for a blank cell. */
type Cells = (number | null)[][];

interface Mosaic {
  z: (number | null)[][];
  /** Pixel centre of each cell row / column, for axis ticks. */
  rowCentres: number[];
  colCentres: number[];
}

/** Paste images into one matrix with `gap` blank (null) pixels between cells; `rowGaps` adds extra blank rows after given rows. */
function mosaic(batch: ImageBatch, cells: Cells, gap: number, rowGaps: number[] = []): Mosaic {
  const { height: h, width: w } = batch;
  const nCols = Math.max(...cells.map((r) => r.length));
  const rowStart: number[] = [];
  let y = 0;
  cells.forEach((_, r) => {
    rowStart.push(y);
    y += h + gap + (rowGaps[r] ?? 0);
  });
  const H = y - gap - (rowGaps[cells.length - 1] ?? 0), W = nCols * (w + gap) - gap;
  const z: (number | null)[][] = Array.from({ length: H }, () => new Array<number | null>(W).fill(null));
  cells.forEach((row, r) => row.forEach((idx, c) => {
    if (idx === null) return;
    const im = batch.image(idx);
    for (let i = 0; i < h; i++) {
      const zr = z[rowStart[r] + i];
      for (let j = 0; j < w; j++) zr[c * (w + gap) + j] = Math.round(im[i * w + j] * 1000) / 1000;
    }
  }));
  return {
    z,
    rowCentres: rowStart.map((s) => s + (h - 1) / 2),
    colCentres: Array.from({ length: nCols }, (_, c) => c * (w + gap) + (w - 1) / 2),
  };
}

/** The heatmap trace and the image-friendly layout (square pixels, y down, no axes) of a mosaic. */
function mosaicFigure(m: Mosaic, options: MosaicOptions, extra: Layout = {}): Figure {
  const range = options.range ?? [0, 1];
  if (!(Array.isArray(range) && range.length === 2 && range[0] < range[1])) throw new Error(`range must be [min, max] with min < max; got ${JSON.stringify(range)}.`);
  const H = m.z.length, W = m.z[0].length;
  const px = options.pixelSize ?? Math.max(1, Math.min(6, Math.floor(720 / W)));
  const margin = { l: 10, r: 10, t: options.title ? 50 : 10, b: 10, ...(extra.margin as Record<string, number> | undefined) };
  const trace: Trace = {
    type: 'heatmap', z: m.z, zmin: range[0], zmax: range[1], showscale: false,
    colorscale: [[0, '#000000'], [1, '#ffffff']],
    hovertemplate: 'value %{z:.2f}<extra></extra>',
  };
  const hidden = { visible: false, showgrid: false, zeroline: false, constrain: 'domain' };
  const layout = baseLayout(
    { ...options, width: options.width ?? W * px + margin.l + margin.r, height: options.height ?? H * px + margin.t + margin.b },
    mergeLayout(
      mergeLayout({ xaxis: { ...hidden, range: [-0.5, W - 0.5] }, yaxis: { ...hidden, range: [H - 0.5, -0.5], scaleanchor: 'x', scaleratio: 1 } }, extra),
      { margin },
    ),
  );
  return { data: [trace], layout };
}

function checkGap(gap: number): number {
  if (!Number.isInteger(gap) || gap < 0) throw new Error(`gap must be a non-negative integer; got ${gap}.`);
  return gap;
}

export interface ImageGridOptions extends MosaicOptions {
  /** Images per row (default min(count, 10)). */
  columns?: number;
  /** Show at most this many images (default all). */
  max?: number;
}

/** Images in a grid, row by row, as one grey heatmap. */
export function imageGrid(images: Images, options: ImageGridOptions = {}): Figure {
  checkOptionNames(options, optionNames<ImageGridOptions>({ ...MOSAIC_OPTIONS, columns: true, max: true }), 'imageGrid');
  const batch = imageBatch(images, options.imageShape);
  const count = Math.min(batch.count, options.max ?? batch.count);
  const nCols = options.columns ?? Math.min(count, 10);
  if (!Number.isInteger(nCols) || nCols < 1) throw new Error(`columns must be a positive integer; got ${nCols}.`);
  const cells: Cells = [];
  for (let i = 0; i < count; i += nCols) {
    cells.push(Array.from({ length: nCols }, (_, c) => (i + c < count ? i + c : null)));
  }
  return mosaicFigure(mosaic(batch, cells, checkGap(options.gap ?? 1)), options);
}

export interface ReconstructionOptions extends MosaicOptions {
  /** Pairs per row block (default min(count, 10)). */
  columns?: number;
  /** Row names (default ['original', 'reconstruction']). */
  rowNames?: [string, string];
}

/** Originals on one row, their reconstructions right below, in blocks of `columns`. */
export function reconstructionPairs(originals: Images, reconstructions: Images, options: ReconstructionOptions = {}): Figure {
  checkOptionNames(options, optionNames<ReconstructionOptions>({ ...MOSAIC_OPTIONS, columns: true, rowNames: true }), 'reconstructionPairs');
  const a = imageBatch(originals, options.imageShape, 'originals');
  const b = imageBatch(reconstructions, options.imageShape ?? [a.height, a.width], 'reconstructions');
  if (a.count !== b.count) throw new Error(`originals has ${a.count} images but reconstructions has ${b.count}.`);
  if (a.height !== b.height || a.width !== b.width) throw new Error(`originals are ${a.height}×${a.width} but reconstructions are ${b.height}×${b.width}.`);
  const nCols = options.columns ?? Math.min(a.count, 10);
  if (!Number.isInteger(nCols) || nCols < 1) throw new Error(`columns must be a positive integer; got ${nCols}.`);
  // One batch holding both: originals first, then reconstructions.
  const both: ImageBatch = { ...a, count: 2 * a.count, image: (i) => (i < a.count ? a.image(i) : b.image(i - a.count)) };
  const cells: Cells = [];
  const rowGaps: number[] = [];
  for (let i = 0; i < a.count; i += nCols) {
    const idx = Array.from({ length: nCols }, (_, c) => (i + c < a.count ? i + c : null));
    cells.push(idx, idx.map((k) => (k === null ? null : k + a.count)));
    rowGaps.push(0, Math.ceil(a.height / 4));
  }
  const gap = checkGap(options.gap ?? 1);
  const m = mosaic(both, cells, gap, rowGaps);
  const [top, bottom] = options.rowNames ?? ['original', 'reconstruction'];
  return mosaicFigure(m, options, {
    margin: { l: 12 + 7 * Math.max(top.length, bottom.length) },
    yaxis: {
      visible: true, showgrid: false, showline: false, ticks: '', zeroline: false,
      tickvals: m.rowCentres, ticktext: m.rowCentres.map((_, r) => (r % 2 === 0 ? top : bottom)),
    },
  });
}

export interface ManifoldOptions extends MosaicOptions {
  /** The grid the images were decoded from (ascending values per axis); default `latentGrid(n)`, linear on [-3, 3]. */
  grid?: Pick<LatentGrid, 'xValues' | 'yValues'>;
  /**
   * At most this many labelled ticks per axis (default 7), evenly spaced: round z values
   * for a linearly spaced grid, evenly spaced cells (both ends when possible) otherwise.
   */
  maxTicks?: number;
}

/**
 * The n×n decoded images of a 2-D latent grid (order of `latentGrid(n).points`),
 * with the latent coordinates on the axes: how the decoder morphs digits.
 */
export function manifoldGrid(images: Images, options: ManifoldOptions = {}): Figure {
  checkOptionNames(options, optionNames<ManifoldOptions>({ ...MOSAIC_OPTIONS, grid: true, maxTicks: true }), 'manifoldGrid');
  const batch = imageBatch(images, options.imageShape);
  const n = Math.round(Math.sqrt(batch.count));
  if (n * n !== batch.count) throw new Error(`manifoldGrid needs n×n images; got ${batch.count}, not a square number.`);
  const grid = options.grid ?? latentGrid(n);
  if (grid.xValues.length !== n || grid.yValues.length !== n) {
    throw new Error(`grid has ${grid.xValues.length}×${grid.yValues.length} values but the images form a ${n}×${n} grid.`);
  }
  const cells: Cells = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => i * n + j));
  const m = mosaic(batch, cells, checkGap(options.gap ?? 0));
  const axis = (centres: number[], values: number[], fromTop: boolean): Layout => {
    const { index, label } = gridTicks(values, options.maxTicks ?? 7);
    // Cell centres are evenly spaced, so a fractional index maps linearly onto the axis.
    const step = n > 1 ? (centres[n - 1] - centres[0]) / (n - 1) : 0;
    const at = (k: number): number => (fromTop ? centres[n - 1] - k * step : centres[0] + k * step);
    // Listed by position on the axis (top row first on y).
    const order = index.map((_, t) => t);
    if (fromTop) order.reverse();
    return {
      visible: true, showgrid: false, zeroline: false, showline: false, ticks: 'outside',
      tickvals: order.map((t) => at(index[t])), ticktext: order.map((t) => label[t]),
    };
  };
  return mosaicFigure(m, options, {
    margin: { l: 70, b: 60 },
    xaxis: { ...axis(m.colCentres, grid.xValues, false), title: { text: 'z₁' } },
    // Rows run from the top (largest z₂), so value index k sits on row n − 1 − k.
    yaxis: { ...axis(m.rowCentres, grid.yValues, true), title: { text: 'z₂' } },
  });
}
