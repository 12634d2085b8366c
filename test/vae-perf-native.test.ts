import { expect } from 'chai';
import type * as TfModule from '@tensorflow/tfjs';
import { backendInfo, initBackend } from '../src/vae';
import { cpus } from 'os';
import { freeCores, nativeMatMulInfo, setNativeBlas } from '../src/vae/fast/native-matmul';
import { wasmMatMulStats } from '../src/vae/fast/wasm-matmul';
import { Random } from '../src/random';
import { loadTf } from '../src/vae/tf';
import { withTrainingKernels } from '../src/vae/fast/scope';
import { requirePiece } from './support/setup-pieces';
import { expectReject } from './support/errors';

type Tf = typeof TfModule;
type Tensor = TfModule.Tensor;

function randomTensor(tf: Tf, shape: number[], seed: number): Tensor {
  const rng = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape);
}

/**
 * Native BLAS vs the wasm kernels: the same products, summed in another order, so they agree
 * within float32 rounding: 1e-5 of Σ|a||b| per entry (plus the bias), as in vae-backend.test.ts.
 */
describe('VAE native matmul (nblas)', function () {
  let tf: Tf;
  before(async () => {
    await initBackend('wasm');
    tf = loadTf();
  });

  it('has nblas built and loaded (npm test installs OpenBLAS and a compiler first), unless VAE_NATIVE_BLAS=0', function () {
    if (process.env.VAE_NATIVE_BLAS === '0') this.skip();
    const info = nativeMatMulInfo();
    requirePiece(this, 'blas', info.available, `Native BLAS is not in use: ${info.reason}`);
  });

  it('reports whether native BLAS is available, with a reason when not', () => {
    const info = nativeMatMulInfo();
    if (info.available) expect(info.reason).to.equal(undefined);
    else expect(info.reason).to.be.a('string').and.match(/nblas|VAE_NATIVE_BLAS|nativeBlas/);
  });

  it('can be turned off by initBackend({ nativeBlas: false }), and backendInfo says so', async () => {
    try {
      await initBackend({ nativeBlas: false });
      const info = backendInfo();
      expect(info.nativeBlas.available).to.equal(false);
      expect(info.nativeBlas.reason).to.match(/initBackend\(\{ nativeBlas: false \}\)/);
      expect(info.threads).to.equal(1);
      expect(info.workerThreads).to.be.a('number').and.at.least(1);
      expect(info.matrixProduct).to.match(/^wasm XNNPACK .*native BLAS off/);
      const a = randomTensor(tf, [8, 8], 1);
      const calls = nativeMatMulInfo().calls;
      withTrainingKernels(() => tf.tidy(() => tf.matMul(a, a)));
      expect(nativeMatMulInfo().calls).to.equal(calls);
      a.dispose();
    } finally {
      setNativeBlas(undefined);
    }
    const info = backendInfo();
    if (info.nativeBlas.available) expect(info.matrixProduct).to.match(/^native BLAS .* \d threads?\)/);
    await expectReject(initBackend({ nativeBlas: 'no' as unknown as boolean }), /nativeBlas must be true or false; got no/);
  });

  it('measures free cores within [0, cores], and loaded BLAS with 1 or 2 threads (or OPENBLAS_NUM_THREADS)', () => {
    const free = freeCores(30);
    expect(free).to.be.within(0, cpus().length);
    const info = nativeMatMulInfo();
    if (!info.available) return;
    const env = process.env.OPENBLAS_NUM_THREADS;
    if (env !== undefined) expect(info.threads).to.equal(Number(env));
    else expect(info.threads).to.be.oneOf([1, 2]);
  });

  const cases: [string, number[], number[], boolean, boolean][] = [
    ['plain', [37, 300], [300, 53], false, false],
    ['transposeA', [300, 37], [300, 53], true, false],
    ['transposeB', [37, 300], [53, 300], false, true],
    ['both transposed', [300, 37], [53, 300], true, true],
    ['batched, b broadcast', [3, 20, 7], [1, 11, 20], true, true],
    ['batched', [4, 5, 6], [4, 6, 3], false, false],
  ];
  for (const [name, sa, sb, ta, tb] of cases) {
    it(`BatchMatMul ${name}: matches wasm within float32 rounding`, () => {
      const a = randomTensor(tf, sa, 1), b = randomTensor(tf, sb, 2);
      const wasm = tf.tidy(() => tf.matMul(a, b, ta, tb));
      const scale = tf.tidy(() => tf.matMul(a.abs(), b.abs(), ta, tb));
      const before = wasmMatMulStats();
      const nativeBefore = nativeMatMulInfo().calls;
      const native = withTrainingKernels(() => tf.tidy(() => tf.matMul(a, b, ta, tb)));
      expect(wasmMatMulStats().calls).to.be.greaterThan(before.calls);
      // Where nblas loads, the product really went through it.
      expect(nativeMatMulInfo().calls - nativeBefore).to.equal(nativeMatMulInfo().available ? 1 : 0);
      expect(native.shape).to.deep.equal(wasm.shape);
      const w = wasm.dataSync(), n = native.dataSync(), s = scale.dataSync();
      for (let i = 0; i < w.length; i++) expect(Math.abs(n[i] - w[i])).to.be.at.most(1e-5 * s[i] + 1e-6);
      tf.dispose([a, b, wasm, scale, native]);
    });
  }

  for (const activation of ['relu', 'linear'] as const) {
    it(`_FusedMatMul with bias and ${activation}, transposed operands: matches matMul + bias (+ relu)`, () => {
      const a = randomTensor(tf, [200, 16], 3), b = randomTensor(tf, [24, 200], 4), bias = randomTensor(tf, [24], 5);
      const reference = tf.tidy(() => {
        const y = tf.matMul(a.transpose(), b.transpose()).add(bias);
        return activation === 'relu' ? tf.relu(y) : y;
      });
      const scale = tf.tidy(() => tf.matMul(a.abs().transpose(), b.abs().transpose()).add(bias.abs()));
      const native = withTrainingKernels(() => tf.tidy(() =>
        tf.fused.matMul({ a: a as TfModule.Tensor2D, b: b as TfModule.Tensor2D, transposeA: true, transposeB: true, bias, activation })));
      const r = reference.dataSync(), n = native.dataSync(), s = scale.dataSync();
      let zeros = 0;
      for (let i = 0; i < r.length; i++) {
        expect(Math.abs(n[i] - r[i])).to.be.at.most(1e-5 * s[i] + 1e-6);
        if (n[i] === 0) zeros++;
      }
      // ReLU really clipped about half the entries (or none without it).
      if (activation === 'relu') expect(zeros).to.be.greaterThan(r.length / 4);
      else expect(zeros).to.equal(0);
      tf.dispose([a, b, bias, reference, scale, native]);
    });
  }

  it('gives the same gradients as wasm through a dense layer, and frees what it allocates', () => {
    const x = randomTensor(tf, [32, 50], 6), w = randomTensor(tf, [50, 20], 7), bias = randomTensor(tf, [20], 8);
    const f = (xx: Tensor, ww: Tensor, bb: Tensor) =>
      tf.fused.matMul({ a: xx as TfModule.Tensor2D, b: ww as TfModule.Tensor2D, bias: bb, activation: 'relu' }).square().sum() as TfModule.Scalar;
    const g = tf.grads(f);
    const wasm = g([x, w, bias]);
    const ids = (tf.engine().backend as unknown as { numDataIds(): number }).numDataIds();
    const native = withTrainingKernels(() => g([x, w, bias]));
    expect((tf.engine().backend as unknown as { numDataIds(): number }).numDataIds()).to.equal(ids + native.length);
    for (let j = 0; j < wasm.length; j++) {
      const a = wasm[j].dataSync(), b = native[j].dataSync();
      const tol = 1e-4 * Math.max(...Array.from(a, Math.abs));
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).to.be.at.most(tol);
    }
    tf.dispose([x, w, bias, ...wasm, ...native]);
  });
});
