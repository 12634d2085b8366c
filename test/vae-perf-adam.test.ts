import { expect } from 'chai';
import type * as TfModule from '@tensorflow/tfjs';
import { initBackend } from '../src/vae';
import { FusedAdam, createAdam } from '../src/vae/fast/adam';
import { Random } from '../src/random';
import { loadTf } from '../src/vae/tf';

type Tf = typeof TfModule;

function values(n: number, rng: Random, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}

/** Runs `steps` Adam updates with each optimizer on identical variables and gradients. */
function runBoth(tf: Tf, shapes: number[][], steps: number, lrAt: (step: number) => number) {
  const rng = new Random(7);
  const make = (tag: string) => shapes.map((shape, i) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return tf.variable(tf.tensor(values(n, new Random(100 + i), 0.1), shape), true, `adam-test-${tag}-${i}-${Math.random()}`);
  });
  const ours = make('ours');
  const theirs = make('tfjs');
  const fused = createAdam(tf, lrAt(0));
  const reference = tf.train.adam(lrAt(0));
  for (let s = 0; s < steps; s++) {
    // Gradients of very different sizes, some exactly zero, as in training.
    const grads = shapes.map((shape) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const g = values(n, rng, s % 2 === 0 ? 1 : 1e-3);
      g[0] = 0;
      return tf.tensor(g, shape);
    });
    fused.learningRate = lrAt(s);
    (reference as unknown as { learningRate: number }).learningRate = lrAt(s);
    fused.applyGradients(Object.fromEntries(ours.map((v, i) => [v.name, grads[i]])));
    reference.applyGradients(Object.fromEntries(theirs.map((v, i) => [v.name, grads[i]])) as unknown as Parameters<TfModule.AdamOptimizer['applyGradients']>[0]);
    tf.dispose(grads);
  }
  const result = { ours: ours.map((v) => v.dataSync().slice()), theirs: theirs.map((v) => v.dataSync().slice()), fused };
  fused.dispose();
  reference.dispose();
  tf.dispose([...ours, ...theirs]);
  return result;
}

describe('VAE fused Adam', () => {
  let tf: Tf;
  before(async () => {
    await initBackend('wasm');
    tf = loadTf();
  });

  it('is the fused optimizer on wasm', () => {
    const adam = createAdam(tf, 1e-3);
    expect(adam).to.be.instanceOf(FusedAdam);
    adam.dispose();
  });

  it('gives bit-identical weights to tf.train.adam over several steps, with a changing learning rate', () => {
    const { ours, theirs } = runBoth(tf, [[37, 11], [11], [5, 3]], 12, (s) => 1e-3 * 0.5 * (1 + Math.cos((Math.PI * s) / 12)));
    for (let i = 0; i < ours.length; i++) {
      // Bit for bit: compare the float32 patterns, so even -0 vs 0 or NaN would show.
      expect(Array.from(new Uint32Array(ours[i].buffer))).to.deep.equal(Array.from(new Uint32Array(theirs[i].buffer)));
    }
    // And the weights did move (the comparison is not between untouched copies).
    const start = values(37 * 11, new Random(100), 0.1);
    expect(ours[0].some((w, j) => w !== start[j])).to.equal(true);
  });

  it('leaves tensors that shared a variable\'s initial buffer unchanged, and leaks no tensors', () => {
    const init = tf.tensor([1, 2, 3, 4]);
    const v = tf.variable(init, true, `adam-share-${Math.random()}`);
    const adam = createAdam(tf, 0.1);
    const before = tf.memory().numTensors;
    for (let s = 0; s < 3; s++) {
      const g = tf.tensor([1, -1, 1, -1]);
      adam.applyGradients({ [v.name]: g });
      g.dispose();
    }
    expect(tf.memory().numTensors).to.equal(before);
    expect(Array.from(init.dataSync())).to.deep.equal([1, 2, 3, 4]);
    expect(Array.from(v.dataSync()).every((w, i) => w !== [1, 2, 3, 4][i])).to.equal(true);
    adam.dispose();
    tf.dispose([init, v]);
  });

  it('names a gradient whose variable is unknown', () => {
    const adam = createAdam(tf, 1e-3);
    const g = tf.tensor([1]);
    expect(() => adam.applyGradients({ 'no-such-variable': g })).to.throw(/no variable named 'no-such-variable'/);
    g.dispose();
    adam.dispose();
  });
});
