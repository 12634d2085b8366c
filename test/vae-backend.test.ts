import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { join } from 'path';
import type * as TfModule from '@tensorflow/tfjs';
import { backend, initBackend } from '../src/vae';
import { VAE } from '../src/vae/vae';
import { isWasmMatMulPatched, patchWasmMatMul, unpatchWasmMatMul, wasmMatMulStats, WASM_MATMUL_MARKER } from '../src/vae/fast/wasm-matmul';
import { makeImageSet } from '../src/vae/images';
import { Random } from '../src/random';
import { loadTf } from '../src/vae/tf';

type Tensor = TfModule.Tensor;

function randomTensor(tf: typeof TfModule, shape: number[], seed: number): Tensor {
  const rng = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape);
}

describe('VAE backend', () => {
  it('loads no tfjs on import, and backend() says uninitialised until initBackend', () => {
    // A fresh process, so other tests' initialisation does not count.
    const lib = join(__dirname, '..', 'src', 'vae', 'index.js');
    const out = execFileSync(process.execPath, [
      '-e',
      `const v = require(${JSON.stringify(lib)});
       const loaded = Object.keys(require.cache).some((k) => k.includes('@tensorflow'));
       console.log(JSON.stringify({ name: v.backend(), loaded }));`,
    ]).toString();
    expect(JSON.parse(out)).to.deep.equal({ name: 'uninitialised', loaded: false });
  });

  it('starts the best available backend and reports it', async () => {
    const name = await initBackend();
    expect(['tensorflow', 'wasm', 'cpu']).to.include(name);
    expect(backend()).to.equal(name);
    expect(loadTf().getBackend()).to.equal(name);
  });

  it('rejects an unknown backend name clearly', async () => {
    let err: Error | undefined;
    try {
      await initBackend('webgpu' as never);
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).to.match(/unknown backend 'webgpu'.*tensorflow, wasm, cpu/);
  });
});

describe('wasm matmul with explicit transposes', function () {
  let tf: typeof TfModule;
  let previous: string;

  before(async function () {
    tf = loadTf();
    await initBackend();
    previous = tf.getBackend();
    try {
      await initBackend('wasm');
    } catch {
      this.skip();
    }
  });

  after(async () => {
    patchWasmMatMul();
    if (previous !== 'wasm') await initBackend(previous as never);
  });

  it('is registered, with a marker on the kernel configs and the original setupFunc', () => {
    expect(isWasmMatMulPatched()).to.equal(true);
    for (const name of ['BatchMatMul', '_FusedMatMul']) {
      const config = tf.getKernel(name, 'wasm') as unknown as { patchedBy?: string; setupFunc?: unknown };
      expect(config.patchedBy).to.equal(WASM_MATMUL_MARKER);
      expect(config.setupFunc).to.be.a('function');
    }
  });

  /**
   * The plain (no transpose) case delegates to the original kernel, so it must be bitwise
   * identical. With a transpose, the original wasm kernel and XNNPACK's plain GEMM add the
   * k products in a different order, so float32 rounding differs: we require agreement
   * within 1e-5 of Σ|a||b| per entry (float32 epsilon is 1.2e-7; k ≤ 784 terms).
   */
  function compareWithOriginal(run: () => Tensor, runAbs: () => Tensor, exact: boolean): void {
    unpatchWasmMatMul();
    expect(isWasmMatMulPatched()).to.equal(false);
    const reference = tf.tidy(run);
    const scale = tf.tidy(runAbs);
    patchWasmMatMul();
    const before = wasmMatMulStats();
    const patched = tf.tidy(run);
    const after = wasmMatMulStats();
    expect(after.calls).to.be.greaterThan(before.calls);
    const r = reference.dataSync(), p = patched.dataSync(), s = scale.dataSync();
    expect(patched.shape).to.deep.equal(reference.shape);
    for (let i = 0; i < r.length; i++) {
      if (exact) expect(p[i]).to.equal(r[i]);
      else expect(Math.abs(p[i] - r[i])).to.be.at.most(1e-5 * s[i] + 1e-6);
    }
    tf.dispose([reference, scale, patched]);
  }

  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    it(`BatchMatMul transposeA=${ta} transposeB=${tb} equals the original kernel`, () => {
      const m = 37, k = 300, n = 53;
      const a = randomTensor(tf, ta ? [k, m] : [m, k], 1);
      const b = randomTensor(tf, tb ? [n, k] : [k, n], 2);
      const before = wasmMatMulStats();
      compareWithOriginal(() => tf.matMul(a, b, ta, tb), () => tf.matMul(a.abs(), b.abs(), ta, tb), !ta && !tb);
      const transposed = wasmMatMulStats().transposedCalls - before.transposedCalls;
      // One patched call ran (|a|·|b| ran on the original kernel): the transpose path iff a flag was set.
      expect(transposed).to.equal(ta || tb ? 1 : 0);
      tf.dispose([a, b]);
    });

    it(`_FusedMatMul (bias + relu) transposeA=${ta} transposeB=${tb} equals matMul + bias + relu`, () => {
      const m = 16, k = 200, n = 24;
      const a = randomTensor(tf, ta ? [k, m] : [m, k], 3);
      const b = randomTensor(tf, tb ? [n, k] : [k, n], 4);
      const bias = randomTensor(tf, [n], 5);
      const fused = (x: Tensor, y: Tensor, z: Tensor, activation: 'relu' | 'linear') =>
        tf.fused.matMul({ a: x as TfModule.Tensor2D, b: y as TfModule.Tensor2D, transposeA: ta, transposeB: tb, bias: z, activation });
      // Reference without any transposed product: explicit transposes, plain matMul, add, relu.
      const reference = tf.tidy(() => tf.relu(tf.matMul(ta ? a.transpose() : a, tb ? b.transpose() : b).add(bias)));
      const scale = tf.tidy(() => tf.matMul(ta ? a.abs().transpose() : a.abs(), tb ? b.abs().transpose() : b.abs()).add(bias.abs()));
      const before = wasmMatMulStats();
      const patched = tf.tidy(() => fused(a, b, bias, 'relu'));
      expect(wasmMatMulStats().transposedCalls - before.transposedCalls).to.equal(ta || tb ? 1 : 0);
      const r = reference.dataSync(), p = patched.dataSync(), s = scale.dataSync();
      for (let i = 0; i < r.length; i++) expect(Math.abs(p[i] - r[i])).to.be.at.most(1e-5 * s[i] + 1e-6);
      tf.dispose([a, b, bias, reference, scale, patched]);
    });
  }

  it('fixes a wrong result of the original wasm _FusedMatMul with a bias and a transposed operand', () => {
    // tfjs-backend-wasm 4.22: with transposeA or transposeB *and* a bias, the original kernel
    // misplaces the bias on some rows. The patched kernel never passes a transpose to it.
    const a = randomTensor(tf, [4, 5], 8), b = randomTensor(tf, [3, 5], 9), bias = randomTensor(tf, [3], 10);
    const run = () => tf.tidy(() => tf.fused.matMul({ a: a as TfModule.Tensor2D, b: b as TfModule.Tensor2D, transposeB: true, bias }).dataSync());
    const reference = tf.tidy(() => tf.matMul(a, b.transpose()).add(bias).dataSync());
    unpatchWasmMatMul();
    const original = run();
    patchWasmMatMul();
    const patched = run();
    const maxDiff = (x: ArrayLike<number>) => Math.max(...Array.from(x, (v, i) => Math.abs(v - reference[i])));
    expect(maxDiff(patched)).to.be.below(1e-5);
    expect(maxDiff(original)).to.be.above(1e-2);
    tf.dispose([a, b, bias]);
  });

  it('handles batched, broadcast operands and frees its temporaries', () => {
    const a = randomTensor(tf, [3, 20, 7], 6); // transposed: 3 × 7 × 20
    const b = randomTensor(tf, [1, 11, 20], 7); // transposed: 1 × 20 × 11, broadcast over 3
    const wasm = tf.engine().backend as unknown as { numDataIds(): number };
    const ids = wasm.numDataIds();
    compareWithOriginal(() => tf.matMul(a, b, true, true), () => tf.matMul(a.abs(), b.abs(), true, true), false);
    expect(wasm.numDataIds()).to.equal(ids);
    tf.dispose([a, b]);
  });

  it('is the kernel a VAE training step actually runs through', async () => {
    const rng = new Random(3);
    const set = makeImageSet(Float32Array.from({ length: 64 * 784 }, () => rng.random()));
    const vae = await VAE.create({ hiddenUnits: [32], seed: 1 });
    const before = wasmMatMulStats();
    await vae.fit(set, { epochs: 1, batchSize: 32, verbose: false });
    const after = wasmMatMulStats();
    vae.dispose();
    // Each dense layer's gradient needs transposed products: 2 steps × several layers.
    expect(after.transposedCalls - before.transposedCalls).to.be.at.least(2 * 4);
  });
});
