/**
 * IWAE's decoder and Bernoulli scoring outside tfjs: native BLAS products on a wasm memory of
 * our own, and the SIMD passes of ./iwae-kernel on it. With k = 1000 samples on 1,000 images
 * this is a million decodes, and the products are nearly all of the work.
 *
 * The k samples of one image come from a narrow posterior, so over a block of them each
 * hidden unit is mostly of one of three kinds (./iwae-kernel's reluClassify): dead (zero for
 * every sample), linear (never negative, so its ReLU changes nothing) or mixed. With the
 * shipped 2-256-512-784 decoder about 20 of 256 and 45 of 512 units are mixed per image
 * (BENCHMARKS.md). So each layer's pre-activations are written as an affine map of a few
 * features: the latent code z and the outputs of the mixed units so far,
 *     a = G·f + g,   f = (z, mixed units of earlier layers),
 * and the next layer's map follows from the kinds of this one's units: dead ones drop out,
 * linear ones fold into G' = W[S]ᵀ·G[S] and g' = W[S]ᵀ·g[S] + b, mixed ones add a feature.
 * The logits then cost (2 + mixed units) multiply-adds per pixel and sample instead of 512.
 * Nothing is approximated: the products are the same sums taken in another order (float32
 * rounding; tested against the tfjs reference, and against float64 in BENCHMARKS.md).
 *
 * Features are kept unit-major (one row of the block's samples each). The output layer runs
 * in sub-blocks of SUB_ROWS samples whose logits stay in cache for the scoring pass, which
 * adds the bias g itself. Sub-blocks alternate between two slots, so that a worker thread
 * can score one while the next is computed (./iwae-scorer).
 */
import { WasmMemory, newMemory } from '../../wasm';
import { CTL_WORDS, SlotLayout, SlotScorer } from './iwae-scorer';
import { CONSTANT_BYTES, DEAD, LINEAR, MIXED, iwaeKernel, IwaeKernel } from './iwae-kernel';
import { NO_TRANS, Sgemm, TRANS, countNativeCalls } from './native-matmul';

/** A dense layer's weights: kernel inDim × outDim (row-major), bias outDim. */
export interface DenseWeights {
  kernel: Float32Array;
  bias: Float32Array;
  inDim: number;
  outDim: number;
}

/** Rows (samples) decoded together: blocks of whole images of at least MIN, at most MAX rows. */
const MIN_BLOCK_ROWS = 256;
const MAX_BLOCK_ROWS = 2048;
/** Rows of logits computed and scored at a time (256 × 784 floats: 800 KB, about one L2). */
const SUB_ROWS = 256;

/** Byte offsets of the buffers in the decoder's memory; per slot: logits, pixels, bias, out, job. */
interface Layout extends SlotLayout {
  f: number; a: number; gA: number; gB: number; bA: number; bB: number;
  wS: number; gL: number; gS: number; kind: number;
  logits: [number, number]; x: [number, number]; bias: [number, number]; out: [number, number]; bytes: number;
}

/** Sizes: d latent, the hidden widths, n pixels. */
function layout(d: number, hidden: DenseWeights[], n: number): Layout {
  const widest = Math.max(1, ...hidden.map((l) => l.outDim));
  const features = d + hidden.reduce((sum, l) => sum + l.outDim, 0);
  const outs = Math.max(n, widest);
  let bytes = 0;
  // 16-byte aligned buffers, for the SIMD passes.
  const take = (floats: number) => ((bytes += Math.ceil(floats / 4) * 16), bytes - Math.ceil(floats / 4) * 16);
  const pair = (floats: number): [number, number] => [take(floats), take(floats)];
  return {
    f: take(features * MAX_BLOCK_ROWS), a: take(widest * MAX_BLOCK_ROWS),
    gA: take(features * outs), gB: take(features * outs), bA: take(outs), bB: take(outs),
    wS: take(widest * outs), gL: take(features * widest), gS: take(widest),
    kind: take(widest), ctl: take(CTL_WORDS), constants: take(CONSTANT_BYTES / 4),
    // A sub-block holds rows of at most SUB_ROWS + 1 images (one segment each).
    logits: pair(SUB_ROWS * n), x: pair((SUB_ROWS + 1) * n), bias: pair(n), out: pair(2 * SUB_ROWS),
    jobs: pair(2 + 4 * (SUB_ROWS + 1)),
    get bytes() { return bytes; },
  };
}

function allFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/**
 * The affine map from the f features to a layer's pre-activations, a = Gᵀ·features + g: G
 * (f × units, row-major) and g, at these addresses (or the first layer's own weights).
 */
interface AffineMap {
  G: number | Float32Array;
  g: number | Float32Array;
  f: number;
}

export class CompactDecoder {
  /** Multiply-adds of the products so far, and what the dense layers would have taken. */
  readonly work = { multiplyAdds: 0, dense: 0 };
  private readonly heap: Float32Array;
  private readonly heap64: Float64Array;
  private readonly kinds: Int32Array;
  private readonly kernel: IwaeKernel;
  private readonly latentDim: number;
  private readonly dim: number;
  private readonly scorer: SlotScorer;
  /** The layers after the latent code: the hidden ones, then the output. */
  private readonly layers: DenseWeights[];
  /** Sub-blocks handed to the scorer so far (they alternate between the two slots). */
  private submitted = 0;
  /** Per slot: the rows of the call its out values belong to, until they are collected. */
  private readonly pending: ({ row: number; rows: number } | undefined)[] = [undefined, undefined];
  private calls = 0;

  /**
   * `hidden`: the ReLU layers from the latent code on; `output`: the logits' layer. Undefined
   * when this path does not apply (fewer than 4 pixels, a weight that is not finite, or no
   * memory): the caller then decodes through tfjs.
   */
  static create(blas: Sgemm, hidden: DenseWeights[], output: DenseWeights, options: { parallelScoring: boolean }): CompactDecoder | undefined {
    if (output.outDim < 4) return undefined;
    // 0 · ∞ is NaN, not 0: a dropped unit must add exactly nothing.
    for (const l of [...hidden, output]) if (!allFinite(l.kernel) || !allFinite(l.bias)) return undefined;
    const d = hidden.length > 0 ? hidden[0].inDim : output.inDim;
    const at = layout(d, hidden, output.outDim);
    const memory = newMemory(at.bytes, true, 65536);
    return memory === null ? undefined : new CompactDecoder(blas, [...hidden, output], at, memory, options.parallelScoring);
  }

  private constructor(private readonly blas: Sgemm, layers: DenseWeights[], private readonly at: Layout, memory: WasmMemory, parallelScoring: boolean) {
    this.layers = layers;
    this.latentDim = layers[0].inDim;
    this.dim = layers[layers.length - 1].outDim;
    this.heap = new Float32Array(memory.buffer);
    this.heap64 = new Float64Array(memory.buffer);
    this.kinds = new Int32Array(memory.buffer, at.kind, Math.max(1, ...layers.slice(0, -1).map((l) => l.outDim)));
    this.kernel = iwaeKernel(memory);
    this.scorer = new SlotScorer(memory, at, this.dim, parallelScoring);
  }

  /** Whether a worker thread scores the logits while the next ones are computed. */
  get parallel(): boolean {
    return this.scorer.parallel;
  }

  /** End the scoring thread, if any. */
  dispose(): void {
    this.scorer.dispose();
  }

  /**
   * −log p(x|z) for each row of z (rows × latentDim), where rows i·samples … i·samples +
   * samples − 1 belong to image i of x (images × dim pixels).
   */
  reconstruction(x: Float32Array, z: Float32Array, samples: number): Float64Array {
    const rows = z.length / this.latentDim;
    const out = new Float64Array(rows);
    // Whole images per block when an image has few samples; else each image's samples in equal parts.
    const perImage = Math.ceil(samples / MAX_BLOCK_ROWS);
    const blockRows = samples >= MIN_BLOCK_ROWS ? Math.ceil(samples / perImage) : Math.max(1, Math.floor(MIN_BLOCK_ROWS / samples)) * samples;
    for (let start = 0; start < rows; ) {
      const imageEnd = (Math.floor(start / samples) + 1) * samples;
      const end = Math.min(rows, samples >= MIN_BLOCK_ROWS ? Math.min(imageEnd, start + blockRows) : start + blockRows);
      this.block(x, z, samples, start, end, out);
      start = end;
    }
    for (const slot of [0, 1]) this.collect(slot, out);
    return out;
  }

  /** Rows [start, end) of z: decode, score, write into out. */
  private block(x: Float32Array, z: Float32Array, samples: number, start: number, end: number, out: Float64Array): void {
    const { heap, at } = this;
    const R = end - start, d = this.latentDim, n = this.dim;
    // The first features: z, unit-major; the first map is the first layer itself.
    for (let r = 0; r < R; r++) for (let k = 0; k < d; k++) heap[(at.f >> 2) + k * R + r] = z[(start + r) * d + k];
    let map: AffineMap = { G: this.layers[0].kernel, g: this.layers[0].bias, f: d };
    for (let i = 0; i + 1 < this.layers.length; i++) {
      const units = this.layers[i].outDim;
      // Pre-activations (units × R) = Gᵀ·features + g, then ReLU, and each unit's kind.
      const g = this.floats(map.g, units);
      for (let u = 0; u < units; u++) heap.fill(g[u], (at.a >> 2) + u * R, (at.a >> 2) + (u + 1) * R);
      this.gemm(TRANS, NO_TRANS, units, R, map.f, map.G, units, at.f, R, 1, at.a, R);
      this.kernel.reluClassify(at.a, units, R, at.kind);
      map = this.nextMap(map, this.layers[i + 1], i % 2 === 0 ? [at.gA, at.bA] : [at.gB, at.bB], R);
    }
    this.work.dense += R * this.layers.reduce((sum, l) => sum + l.inDim * l.outDim, 0);
    const g = this.floats(map.g, n);
    for (let s = 0; s < R; s += SUB_ROWS) {
      const S = Math.min(SUB_ROWS, R - s);
      const slot = this.submitted++ & 1;
      this.collect(slot, out);
      // logits (S × n) = features[:, s … s + S)ᵀ · G; the scoring pass adds g.
      this.gemm(TRANS, NO_TRANS, S, n, map.f, at.f + s * 4, R, map.G, n, 0, at.logits[slot], n);
      heap.set(g, at.bias[slot] >> 2);
      this.submit(slot, x, samples, start + s, S);
    }
    countNativeCalls(this.calls);
    this.calls = 0;
  }

  /**
   * The map to the next layer's pre-activations, from this layer's (`map`; its outputs after
   * ReLU in `at.a`, their kinds in `at.kind`), into the buffers `into`. Whichever has fewer features:
   * - folded: the features so far plus the mixed units' outputs, with
   *     G' = [G[:, linear]·W[linear]; W[mixed]],  g' = g[linear]·W[linear] + b;
   * - plain: the outputs of the units that are not dead, with G' = W[those], g' = b.
   */
  private nextMap(map: AffineMap, next: DenseWeights, into: [number, number], R: number): AffineMap {
    const { heap, at } = this;
    const units = next.inDim, o = next.outDim;
    const linear: number[] = [], mixed: number[] = [], live: number[] = [];
    for (let u = 0; u < units; u++) {
      if (this.kinds[u] === LINEAR) linear.push(u);
      else if (this.kinds[u] === MIXED) mixed.push(u);
      if (this.kinds[u] !== DEAD) live.push(u);
    }
    const [G2, g2] = into;
    const row = (u: number) => next.kernel.subarray(u * o, (u + 1) * o);
    heap.set(next.bias, g2 >> 2);
    if (map.f >= linear.length) {
      live.forEach((u, j) => {
        heap.set(row(u), (G2 >> 2) + j * o);
        heap.copyWithin((at.f >> 2) + j * R, (at.a >> 2) + u * R, (at.a >> 2) + (u + 1) * R);
      });
      return { G: G2, g: g2, f: live.length };
    }
    // G[:, linear] (f × |linear|), g[linear] and W[linear] (|linear| × o), gathered.
    const G = this.floats(map.G, map.f * units), g = this.floats(map.g, units);
    linear.forEach((u, j) => {
      heap.set(row(u), (at.wS >> 2) + j * o);
      heap[(at.gS >> 2) + j] = g[u];
      for (let k = 0; k < map.f; k++) heap[(at.gL >> 2) + k * linear.length + j] = G[k * units + u];
    });
    this.gemm(NO_TRANS, NO_TRANS, map.f, o, linear.length, at.gL, linear.length, at.wS, o, 0, G2, o);
    this.gemm(NO_TRANS, NO_TRANS, 1, o, linear.length, at.gS, linear.length, at.wS, o, 1, g2, o);
    mixed.forEach((u, k) => {
      heap.set(row(u), (G2 >> 2) + (map.f + k) * o);
      heap.copyWithin((at.f >> 2) + (map.f + k) * R, (at.a >> 2) + u * R, (at.a >> 2) + (u + 1) * R);
    });
    return { G: G2, g: g2, f: map.f + mixed.length };
  }

  /** `count` floats at an address of the memory, or the array itself. */
  private floats(where: number | Float32Array, count: number): Float32Array {
    return typeof where === 'number' ? this.view(where, count) : where;
  }

  /** Row-major sgemm on buffers of the memory (byte addresses), C = A·B + beta·C; counted as work. */
  private gemm(
    ta: number, tb: number, m: number, n: number, k: number, a: number | Float32Array, lda: number, b: number | Float32Array, ldb: number,
    beta: number, c: number, ldc: number,
  ): void {
    this.work.multiplyAdds += m * n * k;
    if (k === 0) {
      if (beta === 0) for (let i = 0; i < m; i++) this.heap.fill(0, (c >> 2) + i * ldc, (c >> 2) + i * ldc + n);
      return;
    }
    const span = (rows: number, cols: number, ld: number) => (rows - 1) * ld + cols;
    const [ar, ac] = ta === TRANS ? [k, m] : [m, k];
    const [br, bc] = tb === TRANS ? [n, k] : [k, n];
    this.blas.sgemm(ta, tb, m, n, k, 1, this.floats(a, span(ar, ac, lda)), lda, this.floats(b, span(br, bc, ldb)), ldb, beta, this.view(c, span(m, n, ldc)), ldc);
    this.calls++;
  }

  /**
   * Write `slot`'s job, the rows [first, first + S) of the call split by image, each image's
   * pixels beside them, and hand it to the scorer.
   */
  private submit(slot: number, x: Float32Array, samples: number, first: number, S: number): void {
    const { at, heap } = this;
    const n = this.dim;
    const job = new Int32Array(heap.buffer, at.jobs[slot], 2 + 4 * (SUB_ROWS + 1));
    let segments = 0;
    for (let r = first; r < first + S; segments++) {
      const image = Math.floor(r / samples);
      const stop = Math.min(first + S, (image + 1) * samples);
      const pixels = at.x[slot] + segments * n * 4;
      heap.set(x.subarray(image * n, (image + 1) * n), pixels >> 2);
      job.set([at.logits[slot] + (r - first) * n * 4, pixels, at.out[slot] + (r - first) * 8, stop - r], 2 + 4 * segments);
      r = stop;
    }
    job[0] = segments;
    job[1] = at.bias[slot];
    this.pending[slot] = { row: first, rows: S };
    this.scorer.submit(slot);
  }

  /** Wait until `slot` is scored, and copy its values (if not done yet) into out. */
  private collect(slot: number, out: Float64Array): void {
    const p = this.pending[slot];
    if (p === undefined) return;
    this.scorer.wait(slot);
    out.set(this.heap64.subarray(this.at.out[slot] >> 3, (this.at.out[slot] >> 3) + p.rows), p.row);
    this.pending[slot] = undefined;
  }

  private view(byteOffset: number, floats: number): Float32Array {
    return this.heap.subarray(byteOffset >> 2, (byteOffset >> 2) + floats);
  }
}
