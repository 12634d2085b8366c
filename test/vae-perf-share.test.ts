import { expect } from 'chai';
import type * as TfModule from '@tensorflow/tfjs';
import { initBackend } from '../src/vae';
import { withTrainingKernels } from '../src/vae/fast/scope';
import { loadTf } from '../src/vae/tf';

type Tf = typeof TfModule;

describe('VAE copy-free Identity and Cast in training steps (wasm)', () => {
  let tf: Tf;
  before(async () => {
    await initBackend('wasm');
    tf = loadTf();
  });

  it('shares the buffer inside a training scope, and survives disposing the original', () => {
    const x = tf.tensor([1, 2, 3]);
    const [c, k] = withTrainingKernels(() => [tf.clone(x), tf.cast(x, 'float32')]);
    expect(c.dataId === x.dataId, 'clone shares').to.equal(true);
    expect(k.dataId === x.dataId, 'cast shares').to.equal(true);
    x.dispose();
    expect(Array.from(c.dataSync())).to.deep.equal([1, 2, 3]);
    c.dispose();
    expect(Array.from(k.dataSync())).to.deep.equal([1, 2, 3]);
    k.dispose();
  });

  it('copies as before outside a training scope, and still converts types inside one', () => {
    const x = tf.tensor([1.5, -2.5]);
    const c = tf.clone(x);
    expect(c.dataId).to.not.equal(x.dataId);
    const i = withTrainingKernels(() => tf.cast(x, 'int32'));
    expect(i.dtype).to.equal('int32');
    expect(Array.from(i.dataSync())).to.deep.equal([1, -2]);
    tf.dispose([x, c, i]);
  });

  it('gives bit-identical gradients and frees every buffer', () => {
    const x = tf.tensor2d([[0.5, -1, 2], [1, 1, -3]]);
    const w = tf.tensor2d([[1, -2], [0.5, 1], [-1, 0.25]]);
    const f = (a: TfModule.Tensor, b: TfModule.Tensor) => tf.relu(tf.matMul(a as TfModule.Tensor2D, b as TfModule.Tensor2D)).exp().sum() as TfModule.Scalar;
    const g = tf.grads(f);
    const plain = g([x, w]);
    const ids = (tf.engine().backend as unknown as { numDataIds(): number }).numDataIds();
    const shared = withTrainingKernels(() => g([x, w]));
    expect((tf.engine().backend as unknown as { numDataIds(): number }).numDataIds()).to.equal(ids + 2);
    for (let j = 0; j < 2; j++) expect(Array.from(shared[j].dataSync())).to.deep.equal(Array.from(plain[j].dataSync()));
    tf.dispose([x, w, ...plain, ...shared]);
  });
});
