/**
 * Adam for the VAE's training loop, fused into one pass per variable on the wasm backend.
 *
 * tfjs's AdamOptimizer runs about 15 small kernels per variable per step, each one an
 * allocation and a pass over the weights. On the wasm backend this class does the same update in one pass of a small WebAssembly
 * SIMD kernel (./adam-kernel.wat) working in the wasm heap where tfjs keeps the weights and
 * gradients; the moments live there too. (A plain JavaScript loop was slower than tfjs's
 * kernels: scalar double-precision division and square root.)
 *
 * Bit-identical to tf.train.adam (tested): the kernel runs the float32 operations tfjs
 * runs, in the same order, with the float32 constants tfjs makes from the same JavaScript
 * numbers. So the shipped weights' training history reproduces.
 *
 * On other backends `createAdam` gives tf.train.adam.
 */
import { OptimizerSnapshot, VAEOptimizer, tfjsAdam } from '../training-kernels';
import type { Tensor, Tf, Variable } from '../tf';
import { AdamKernel, adamKernel } from './adam-kernel';
import { WasmBackendLike, tensorAddress } from './wasm-backend';

const WHO = 'FusedAdam';

const BETA1 = 0.9;
const BETA2 = 0.999;

/** Adam (β₁ 0.9, β₂ 0.999, ε = the backend's epsilon, as tf.train.adam(lr)): fused on wasm, else tfjs's own. */
export function createAdam(tf: Tf, learningRate: number): VAEOptimizer {
  if (tf.getBackend() !== 'wasm') return tfjsAdam(tf, learningRate);
  return new FusedAdam(tf, learningRate);
}

const f = Math.fround;

interface Moments {
  m: number;
  v: number;
  size: number;
  savedM: number;
  savedV: number;
}

export class FusedAdam implements VAEOptimizer {
  learningRate: number;
  /**
   * Per variable name, byte addresses of float32 arrays in the wasm heap: its moments m and v,
   * and the places `snapshot` copies them to (made with the moments, not in a later fit's set-up).
   */
  private readonly moments = new Map<string, Moments>();
  private readonly backend: WasmBackendLike;
  private readonly kernel: AdamKernel;
  /** β₁ᵗ and β₂ᵗ as float32, like tfjs's accBeta variables. */
  private accBeta1 = f(BETA1);
  private accBeta2 = f(BETA2);
  private readonly epsilon: number;

  constructor(private readonly tf: Tf, learningRate: number) {
    this.learningRate = learningRate;
    this.epsilon = f(tf.backend().epsilon());
    this.backend = tf.backend() as unknown as WasmBackendLike;
    this.kernel = adamKernel(this.backend.wasm.asm.memory);
  }

  applyGradients(grads: Record<string, Tensor>): void {
    const tf = this.tf;
    const backend = this.backend;
    if (tf.backend() !== (backend as unknown)) throw new Error('FusedAdam: the tfjs backend changed since this optimizer was created.');
    const c = {
      b1: f(BETA1), c1: f(1 - BETA1), b2: f(BETA2), c2: f(1 - BETA2),
      d1: f(1 - this.accBeta1), d2: f(1 - this.accBeta2), eps: this.epsilon, negLr: f(-this.learningRate),
    };
    for (const name of Object.keys(grads)) {
      const g = grads[name];
      if (g == null) continue;
      const v = tf.engine().registeredVariables[name] as Variable | undefined;
      if (v === undefined) throw new Error(`FusedAdam: no variable named '${name}' is registered.`);
      if (v.dtype !== 'float32' || g.dtype !== 'float32' || g.size !== v.size) {
        throw new Error(`FusedAdam: variable '${name}' (${v.dtype}, ${v.size} values) does not match its gradient (${g.dtype}, ${g.size} values).`);
      }
      let state = this.moments.get(name);
      if (state === undefined) {
        state = { m: this.zeros(v.size), v: this.zeros(v.size), size: v.size, savedM: this.zeros(v.size), savedV: this.zeros(v.size) };
        this.moments.set(name, state);
      }
      // The new weights go to a fresh buffer, as with tfjs's assign: writing in place would
      // corrupt tensors sharing the buffer, and wasm's fully-connected operators cache
      // packed weights by tensor id, so they must see a new id to re-read them.
      const out = backend.makeOutput(v.shape, 'float32');
      this.kernel(tensorAddress(backend, v, WHO), tensorAddress(backend, g, WHO), state.m, state.v, tensorAddress(backend, out, WHO), v.size,
        c.b1, c.c1, c.b2, c.c2, c.d1, c.d2, c.eps, c.negLr);
      const t = tf.engine().makeTensorFromTensorInfo(out);
      v.assign(t);
      t.dispose();
    }
    this.accBeta1 = f(this.accBeta1 * c.b1);
    this.accBeta2 = f(this.accBeta2 * c.b2);
  }

  /**
   * The moments as they are now, copied within the wasm heap into places kept from one
   * snapshot to the next (fresh JavaScript copies of the 6.4 MB of moments cost a fit's set-up
   * 13–18 ms, most of it in allocating them). One snapshot lives at a time (VAE.fit's).
   */
  snapshot(): OptimizerSnapshot {
    const heap = () => this.backend.wasm.HEAPF32; // re-read: a growing heap replaces it
    const copy = (from: number, to: number, size: number) => heap().copyWithin(to >>> 2, from >>> 2, (from >>> 2) + size);
    const names = new Set(this.moments.keys());
    for (const s of this.moments.values()) {
      copy(s.m, s.savedM, s.size);
      copy(s.v, s.savedV, s.size);
    }
    const [accBeta1, accBeta2] = [this.accBeta1, this.accBeta2];
    return {
      restore: () => {
        for (const [name, s] of this.moments) {
          if (names.has(name)) {
            copy(s.savedM, s.m, s.size);
            copy(s.savedV, s.v, s.size);
          } else {
            this.free(s);
            this.moments.delete(name);
          }
        }
        [this.accBeta1, this.accBeta2] = [accBeta1, accBeta2];
      },
      dispose: () => {}, // the copies' places stay for the next snapshot
    };
  }

  dispose(): void {
    for (const s of this.moments.values()) this.free(s);
    this.moments.clear();
  }

  private free(s: Moments): void {
    for (const at of [s.m, s.v, s.savedM, s.savedV]) this.backend.wasm._free(at);
  }

  /** A zeroed float32 array in the wasm heap; its byte address. */
  private zeros(size: number): number {
    const ptr = this.backend.wasm._malloc(Math.max(4, size * 4));
    if (ptr === 0) throw new Error(`FusedAdam: the wasm heap has no room for ${size} more values.`);
    // HEAPF32 is re-read after _malloc: a growing heap replaces it.
    this.backend.wasm.HEAPF32.fill(0, ptr >>> 2, (ptr >>> 2) + size);
    return ptr;
  }
}
