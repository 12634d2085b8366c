import { expect } from 'chai';
import type * as TfModule from '@tensorflow/tfjs';
import { VAE, initBackend, loadMnist, subsetImages } from '../src/vae';
import { chooseTrainingKernels } from '../src/vae/train';
import type { TrainingPath } from '../src/vae/training-kernels';
import type { WasmBackendLike } from '../src/vae/fast/wasm-backend';
import { nativeMatMulInfo } from '../src/vae/fast/native-matmul';
import { stepKernels } from '../src/vae/fast/step-kernels';
import { bceWasm, reluGradWasm, wasmOpCalls } from '../src/vae/fast/wasm-ops';
import { Random } from '../src/random';
import { loadTf } from '../src/vae/tf';
import { expectReject } from './support/errors';

type Tf = typeof TfModule;

/** Σ max(l, 0) − x·l + log(1 + e^−|l|) and sigmoid(l) − x, in float64. */
function reference(l: Float32Array, x: Float32Array): { sum: number; grad: Float64Array } {
  let sum = 0;
  const grad = new Float64Array(l.length);
  for (let i = 0; i < l.length; i++) {
    sum += Math.max(l[i], 0) - x[i] * l[i] + Math.log1p(Math.exp(-Math.abs(l[i])));
    grad[i] = 1 / (1 + Math.exp(-l[i])) - x[i];
  }
  return { sum, grad };
}

describe('VAE training step: wasm SIMD passes (loss, ReLU)', function () {
  let tf: Tf;
  before(async () => {
    await initBackend('wasm');
    tf = loadTf();
  });

  // Sizes around the vector width (4) and the two-vector loop, and one batch of MNIST.
  for (const n of [4, 5, 7, 9, 270, 128 * 784 + 3]) {
    it(`bce over ${n} values: sum and gradient match float64 within float32 rounding`, () => {
      const rng = new Random(n);
      // Logits from about −100 to 100 (where e^−|l| underflows) and pixels with exact 0s and 1s.
      const l = Float32Array.from({ length: n }, (_, i) => (i % 11 === 0 ? rng.normal(0, 40) : rng.normal(0, 4)));
      const x = Float32Array.from({ length: n }, () => (rng.random() < 0.3 ? 0 : rng.random() < 0.2 ? 1 : rng.random()));
      const lt = tf.tensor1d(l), xt = tf.tensor1d(x);
      const before = wasmOpCalls().bce;
      const got = bceWasm(tf, lt, xt)!;
      expect(wasmOpCalls().bce).to.equal(before + 1);
      const want = reference(l, x);
      expect(Math.abs(got.sum - want.sum)).to.be.at.most(1e-6 * want.sum);
      const g = got.grad.dataSync();
      expect(got.grad.shape).to.deep.equal([n]);
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(g[i] - want.grad[i]));
      expect(worst).to.be.at.most(2.5e-7);
      tf.dispose([lt, xt, got.grad]);
    });
  }

  it('bce: a NaN logit makes the sum NaN; fewer than 4 values or another dtype fall back (undefined)', () => {
    const l = tf.tensor1d([0.5, -2, NaN, 3, 1]), x = tf.tensor1d([1, 0, 0.5, 1, 0]);
    const got = bceWasm(tf, l, x)!;
    expect(got.sum).to.be.NaN;
    const short = tf.tensor1d([1, 2, 3]);
    expect(bceWasm(tf, short, short)).to.equal(undefined);
    const ints = tf.tensor1d([1, 2, 3, 4, 5], 'int32');
    expect(bceWasm(tf, ints, x)).to.equal(undefined);
    tf.dispose([l, x, got.grad, short, ints]);
  });

  it('reluGrad equals dy ⊙ step(y), tail included', () => {
    const rng = new Random(3);
    const dy = tf.tensor2d(Float32Array.from({ length: 13 * 17 }, () => rng.normal()), [13, 17]);
    const y = tf.tensor2d(Float32Array.from({ length: 13 * 17 }, (_, i) => (i % 5 === 0 ? 0 : rng.normal())), [13, 17]);
    const want = tf.tidy(() => dy.mul(tf.step(y)));
    const got = reluGradWasm(tf, dy, y)!;
    expect(got.shape).to.deep.equal([13, 17]);
    const w = want.dataSync(), g = got.dataSync();
    let zeros = 0;
    for (let i = 0; i < w.length; i++) {
      expect(g[i]).to.equal(w[i] === 0 ? 0 : w[i]); // −0 from 0·(−dy) reads as 0
      if (g[i] === 0) zeros++;
    }
    expect(zeros).to.be.greaterThan(w.length / 4);
    tf.dispose([dy, y, want, got]);
  });

  it('relu clips in place, tail included, and keeps NaN', () => {
    const t = tf.tensor1d([-1, 2, NaN, -0.5, 5, -3, 0.25]);
    const backend = tf.backend() as unknown as WasmBackendLike;
    stepKernels(backend.wasm.asm.memory).relu(backend.dataIdMap.get(t.dataId)!.memoryOffset, t.size);
    const v = Array.from(t.dataSync());
    expect(v.map((a) => (Number.isNaN(a) ? 'NaN' : a))).to.deep.equal([0, 2, 'NaN', 0, 5, 0, 0.25]);
    t.dispose();
  });

  describe('a training run', () => {
    const images = () => subsetImages(loadMnist().train, 96);
    const options = { verbose: false, batchSize: 32, epochs: 1 };

    async function batchLosses(training: TrainingPath): Promise<number[]> {
      const vae = await VAE.create({ hiddenUnits: [48], seed: 4 });
      const losses: number[] = [];
      await vae.fit(images(), { ...options, training, onBatchEnd: (info) => void losses.push(info.batchLoss) });
      expect(vae.trainingPath).to.equal(training);
      vae.dispose();
      return losses;
    }

    it('takes the fast paths (native products when nblas loads, the SIMD loss and ReLU gradients), leaking no tensors', async () => {
      const set = images();
      const vae = await VAE.create({ hiddenUnits: [48], seed: 4 });
      const tensors = tf.memory().numTensors;
      const ops = wasmOpCalls();
      const native = nativeMatMulInfo().calls;
      await vae.fit(set, { ...options, training: 'fast' });
      const batches = 3;
      expect(wasmOpCalls().bce - ops.bce).to.equal(batches);
      // One ReLU layer in the encoder and one in the decoder.
      expect(wasmOpCalls().reluGrad - ops.reluGrad).to.equal(2 * batches);
      // Forward: encoder hidden, mean, logVar, decoder hidden, output (5); backward: 4 dense
      // layers with an input gradient × 3 products (dx, dW, db) + the data layer's 2 (dW, db):
      // 19 products a step, all through nblas where it loads.
      expect(nativeMatMulInfo().calls - native).to.equal(nativeMatMulInfo().available ? batches * 19 : 0);
      expect(tf.memory().numTensors).to.equal(tensors);
      vae.dispose();
    });

    it('takes the path FitOptions.training names; VAE_FAST_TRAINING=0 only changes the default', async () => {
      const saved = process.env.VAE_FAST_TRAINING;
      try {
        delete process.env.VAE_FAST_TRAINING;
        expect(chooseTrainingKernels(tf).path).to.equal('fast');
        process.env.VAE_FAST_TRAINING = '0';
        expect(chooseTrainingKernels(tf).path).to.equal('reference');
        expect(chooseTrainingKernels(tf, 'fast').path).to.equal('fast');
      } finally {
        if (saved === undefined) delete process.env.VAE_FAST_TRAINING;
        else process.env.VAE_FAST_TRAINING = saved;
      }
      const vae = await VAE.create({ hiddenUnits: [8], seed: 1 });
      try {
        await expectReject(vae.fit(images(), { ...options, training: 'bogus' as TrainingPath }), /training must be 'fast' or 'reference'; got bogus/);
        await vae.fit(images(), { ...options, training: 'reference' });
        // Adam's moments belong to one path: switching is refused, not silently restarted.
        await expectReject(vae.fit(images(), { ...options, training: 'fast' }), /Adam state comes from the 'reference' training path/);
      } finally {
        vae.dispose();
      }
    });

    it('gives the losses of the reference path (tfjs\'s own autodiff) within float32 rounding', async () => {
      const fast = await batchLosses('fast');
      const ops = wasmOpCalls();
      const native = nativeMatMulInfo().calls;
      const plain = await batchLosses('reference');
      expect(nativeMatMulInfo().calls).to.equal(native);
      // The plain path runs none of the fast kernels.
      expect(wasmOpCalls()).to.deep.equal(ops);
      expect(fast.length).to.equal(3);
      // Same weights at the first batch: the same loss to float32 rounding; later batches follow
      // weights that Adam moved from gradients equal to rounding, so they may drift a little more.
      expect(Math.abs(fast[0] - plain[0])).to.be.at.most(2e-6 * plain[0]);
      for (let i = 1; i < fast.length; i++) expect(Math.abs(fast[i] - plain[i])).to.be.at.most(1e-4 * plain[i]);
    });
  });
});
