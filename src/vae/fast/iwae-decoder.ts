/**
 * IWAE's decoder and Bernoulli scoring outside tfjs: native BLAS products on a wasm memory of
 * our own, and the SIMD passes of ./iwae-kernel on it. With k = 1000 samples on 1,000 images
 * this is a million decodes, and the products are nearly all of the work.
 *
 * The k samples of one image come from a narrow posterior, so they switch on only part of
 * each hidden layer: with the shipped 2-256-512-784 decoder about 190 of 256 and 260 of 512
 * units (BENCHMARKS.md). A unit that is zero for every sample of a block adds exactly zero to
 * the next layer, so each block's products skip it: the output layer's product, three
 * quarters of the work, shrinks by about half. Nothing is approximated; only the order of
 * float32 additions changes, as with any other BLAS.
 *
 * Hidden activations are kept unit-major (one row of the block's samples per unit), so
 * dropping unused units moves whole rows, and the weights' rows for the units kept are
 * gathered likewise. The output layer runs in sub-blocks of SUB_ROWS samples whose logits
 * stay in cache for the scoring pass, which adds the output bias itself. Sub-blocks alternate
 * between two slots, so that a worker thread can score one while the next is computed
 * (./iwae-scorer).
 */
import { WasmMemory, newMemory } from '../../wasm';
import { CTL_WORDS, SlotLayout, SlotScorer } from './iwae-scorer';
import { CONSTANT_BYTES, iwaeKernel, IwaeKernel } from './iwae-kernel';
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

/** Byte offsets of the buffers in the decoder's memory; per slot: logits, pixels, out, job. */
interface Layout extends SlotLayout {
  z: number; hA: number; hB: number; w: number; bias: number; active: number;
  logits: [number, number]; x: [number, number]; out: [number, number]; bytes: number;
}

function layout(latentDim: number, hidden: DenseWeights[], output: DenseWeights): Layout {
  const widest = Math.max(latentDim, ...hidden.map((l) => l.outDim));
  const weights = Math.max(...[...hidden, output].map((l) => l.inDim * l.outDim));
  const n = output.outDim;
  let bytes = 0;
  // 16-byte aligned buffers, for the SIMD passes.
  const take = (floats: number) => ((bytes += Math.ceil(floats / 4) * 16), bytes - Math.ceil(floats / 4) * 16);
  const pair = (floats: number): [number, number] => [take(floats), take(floats)];
  return {
    z: take(MAX_BLOCK_ROWS * latentDim), hA: take(widest * MAX_BLOCK_ROWS), hB: take(widest * MAX_BLOCK_ROWS),
    w: take(weights), bias: take(n), active: take(widest), ctl: take(CTL_WORDS), constants: take(CONSTANT_BYTES / 4),
    // A sub-block holds rows of at most SUB_ROWS + 1 images (one segment each).
    logits: pair(SUB_ROWS * n), x: pair((SUB_ROWS + 1) * n), out: pair(2 * SUB_ROWS), jobs: pair(1 + 4 * (SUB_ROWS + 1)),
    get bytes() { return bytes; },
  };
}

function allFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

export class CompactDecoder {
  /** Multiply-adds of the products so far, and what they would have been without skipping units. */
  readonly work = { multiplyAdds: 0, dense: 0 };
  private readonly heap: Float32Array;
  private readonly heap64: Float64Array;
  private readonly active: Int32Array;
  private readonly kernel: IwaeKernel;
  private readonly latentDim: number;
  private readonly dim: number;
  private readonly scorer: SlotScorer;
  /** Sub-blocks handed to the scorer so far (they alternate between the two slots). */
  private submitted = 0;
  /** Per slot: the rows of the call its out values belong to, until they are collected. */
  private readonly pending: ({ row: number; rows: number } | undefined)[] = [undefined, undefined];

  /**
   * `hidden`: the ReLU layers from the latent code on; `output`: the logits' layer. Undefined
   * when this path does not apply (fewer than 4 pixels, a weight that is not finite, or no
   * memory): the caller then decodes through tfjs.
   */
  static create(blas: Sgemm, hidden: DenseWeights[], output: DenseWeights, options: { parallelScoring: boolean }): CompactDecoder | undefined {
    if (output.outDim < 4) return undefined;
    // 0 · ∞ is NaN, not 0: a skipped unit must add exactly nothing.
    for (const l of [...hidden, output]) if (!allFinite(l.kernel) || !allFinite(l.bias)) return undefined;
    const at = layout(hidden.length > 0 ? hidden[0].inDim : output.inDim, hidden, output);
    const memory = newMemory(at.bytes, true, 65536);
    return memory === null ? undefined : new CompactDecoder(blas, hidden, output, at, memory, options.parallelScoring);
  }

  private constructor(
    private readonly blas: Sgemm, private readonly hidden: DenseWeights[], private readonly output: DenseWeights,
    private readonly at: Layout, memory: WasmMemory, parallelScoring: boolean,
  ) {
    this.latentDim = hidden.length > 0 ? hidden[0].inDim : output.inDim;
    this.dim = output.outDim;
    this.heap = new Float32Array(memory.buffer);
    this.heap64 = new Float64Array(memory.buffer);
    this.active = new Int32Array(memory.buffer, at.active, Math.max(this.latentDim, ...hidden.map((l) => l.outDim)));
    this.kernel = iwaeKernel(memory);
    this.heap.set(output.bias, at.bias >> 2);
    this.scorer = new SlotScorer(memory, at, this.dim, at.bias, parallelScoring);
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
    const { heap, at, blas } = this;
    const R = end - start;
    const d = this.latentDim;
    heap.set(z.subarray(start * d, end * d), at.z >> 2);
    // Layer input, unit-major (units × R), and which of its units are in use.
    let input = at.z, units = d, unitMajor = false, next = at.hA;
    let calls = 0;
    for (const layer of this.hidden) {
      const width = this.gatherUsed(layer, units, unitMajor);
      // Output rows start as the bias; sgemm adds Wᵀ·input on top (beta = 1).
      for (let u = 0; u < layer.outDim; u++) heap.fill(layer.bias[u], (next >> 2) + u * R, (next >> 2) + (u + 1) * R);
      this.count(width, layer, R);
      if (width > 0) {
        // (outDim × R) += W'ᵀ (outDim × width) · input (width × R); the latent rows come sample-major.
        blas.sgemm(TRANS, unitMajor ? NO_TRANS : TRANS, layer.outDim, R, width, 1,
          this.view(at.w, width * layer.outDim), layer.outDim, this.view(input, width * R), unitMajor ? R : d, 1, this.view(next, layer.outDim * R), R);
        calls++;
      }
      units = this.kernel.reluActive(next, layer.outDim, R, at.active);
      this.compactRows(next, layer.outDim, R);
      input = next;
      next = next === at.hA ? at.hB : at.hA;
      unitMajor = true;
    }
    const width = this.gatherUsed(this.output, units, unitMajor);
    const n = this.dim;
    this.count(width, this.output, R);
    for (let s = 0; s < R; s += SUB_ROWS) {
      const S = Math.min(SUB_ROWS, R - s);
      const slot = this.submitted++ & 1;
      this.collect(slot, out);
      // logits (S × n) = input[:, s … s + S)ᵀ · W' (width × n), or z's rows · W when there is no
      // hidden layer; the scoring pass adds the bias.
      const logits = this.view(at.logits[slot], S * n);
      if (width === 0) logits.fill(0);
      else if (unitMajor) blas.sgemm(TRANS, NO_TRANS, S, n, width, 1, this.view(input + s * 4, (width - 1) * R + S), R, this.view(at.w, width * n), n, 0, logits, n);
      else blas.sgemm(NO_TRANS, NO_TRANS, S, n, d, 1, this.view(input + s * d * 4, S * d), d, this.view(at.w, d * n), n, 0, logits, n);
      if (width > 0) calls++;
      this.submit(slot, x, samples, start + s, S);
    }
    countNativeCalls(calls);
  }

  /**
   * Write `slot`'s job, the rows [first, first + S) of the call split by image, each image's
   * pixels beside them, and hand it to the scorer.
   */
  private submit(slot: number, x: Float32Array, samples: number, first: number, S: number): void {
    const { at, heap } = this;
    const n = this.dim;
    const job = new Int32Array(heap.buffer, at.jobs[slot], 1 + 4 * (SUB_ROWS + 1));
    let segments = 0;
    for (let r = first; r < first + S; segments++) {
      const image = Math.floor(r / samples);
      const stop = Math.min(first + S, (image + 1) * samples);
      const pixels = at.x[slot] + segments * n * 4;
      heap.set(x.subarray(image * n, (image + 1) * n), pixels >> 2);
      job.set([at.logits[slot] + (r - first) * n * 4, pixels, at.out[slot] + (r - first) * 8, stop - r], 1 + 4 * segments);
      r = stop;
    }
    job[0] = segments;
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

  /**
   * Gather into the weight buffer the rows of `layer`'s kernel for the units in use (all of
   * them for the latent code, which has no ReLU), and return how many there are.
   */
  private gatherUsed(layer: DenseWeights, units: number, afterRelu: boolean): number {
    const w = this.at.w >> 2, o = layer.outDim;
    if (!afterRelu) {
      this.heap.set(layer.kernel, w);
      return layer.inDim;
    }
    let row = 0;
    for (let u = 0; u < layer.inDim; u++) {
      if (this.active[u] !== 0) this.heap.set(layer.kernel.subarray(u * o, (u + 1) * o), w + o * row++);
    }
    return units;
  }

  private count(width: number, layer: DenseWeights, R: number): void {
    this.work.multiplyAdds += width * layer.outDim * R;
    this.work.dense += layer.inDim * layer.outDim * R;
  }

  /** Move the rows of active units (R values each) to the front, in order. */
  private compactRows(h: number, rows: number, R: number): void {
    const base = h >> 2;
    let to = 0;
    for (let u = 0; u < rows; u++) {
      if (this.active[u] === 0) continue;
      if (to !== u) this.heap.copyWithin(base + to * R, base + u * R, base + (u + 1) * R);
      to++;
    }
  }

  private view(byteOffset: number, floats: number): Float32Array {
    return this.heap.subarray(byteOffset >> 2, (byteOffset >> 2) + floats);
  }
}
