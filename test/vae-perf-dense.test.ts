import { expect } from 'chai';
import type * as TfModule from '@tensorflow/tfjs';
import { initBackend } from '../src/vae';
import { denseWithGrad } from '../src/vae/fast/dense';
import { withTrainingKernels } from '../src/vae/fast/scope';
import { Random } from '../src/random';
import { loadTf } from '../src/vae/tf';

type Tf = typeof TfModule;
type T2 = TfModule.Tensor2D;

describe('VAE dense layer with a hand-written gradient', () => {
  let tf: Tf;
  before(async () => {
    await initBackend('wasm');
    tf = loadTf();
  });

  for (const activation of ['relu', 'linear'] as const) {
    for (const inputNeedsGrad of [true, false]) {
      it(`${activation}, input gradient ${inputNeedsGrad ? 'needed' : 'not needed'}: same output and gradients as tf.fused.matMul's autodiff`, () => {
        const rng = new Random(5);
        const rand = (shape: [number, number]) => tf.tensor2d(Float32Array.from({ length: shape[0] * shape[1] }, () => rng.normal()), shape);
        const x = rand([13, 40]);
        const kernel = tf.variable(rand([40, 17]), true, `dense-test-k-${activation}-${inputNeedsGrad}`);
        const bias = tf.variable(tf.tensor1d(Float32Array.from({ length: 17 }, () => rng.normal())), true, `dense-test-b-${activation}-${inputNeedsGrad}`);
        const layer = { kernel, bias };
        // A loss that weighs every output differently, so wrong placement would show.
        const weights = rand([13, 17]);
        const reference = (xx: T2) => tf.fused.matMul({ a: xx, b: kernel as unknown as T2, bias, activation });
        const xs = inputNeedsGrad ? [x, kernel, bias] : [kernel, bias];
        const refGrads = tf.grads((...t: TfModule.Tensor[]) => reference((inputNeedsGrad ? t[0] : x) as T2).mul(weights).sum() as TfModule.Scalar)(xs);
        const ours = withTrainingKernels(() => tf.grads((...t: TfModule.Tensor[]) =>
          denseWithGrad(tf, layer, (inputNeedsGrad ? t[0] : x) as T2, activation, inputNeedsGrad).mul(weights).sum() as TfModule.Scalar)(xs));
        const y = withTrainingKernels(() => denseWithGrad(tf, layer, x, activation, inputNeedsGrad));
        const yRef = reference(x);
        const close = (a: TfModule.Tensor, b: TfModule.Tensor) => {
          expect(a.shape).to.deep.equal(b.shape);
          const p = a.dataSync(), q = b.dataSync();
          const scale = Math.max(...Array.from(q, Math.abs));
          for (let i = 0; i < q.length; i++) expect(Math.abs(p[i] - q[i])).to.be.at.most(1e-5 * scale);
        };
        close(y, yRef);
        if (activation === 'relu') expect(Array.from(y.dataSync()).filter((v) => v === 0).length).to.be.greaterThan(20);
        expect(ours.length).to.equal(refGrads.length);
        for (let j = 0; j < ours.length; j++) close(ours[j], refGrads[j]);
        tf.dispose([x, kernel, bias, weights, y, yRef, ...refGrads, ...ours]);
      });
    }
  }
});
