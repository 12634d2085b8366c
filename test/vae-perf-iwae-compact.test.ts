import { expect } from 'chai';
import type * as TfModule from '@tensorflow/tfjs';
import { initBackend } from '../src/vae';
import { CompactDecoder, DenseWeights } from '../src/vae/fast/iwae-decoder';
import { nativeSgemm } from '../src/vae/fast/native-matmul';
import { repeatedReconstruction } from '../src/vae/scoring';
import { Random } from '../src/random';
import { loadTf } from '../src/vae/tf';

type Tf = typeof TfModule;

/**
 * A random dense layer; units listed in `dead` get a bias of −50, so no sample switches them
 * on (their ReLU output is exactly zero), as with the units a narrow posterior never uses.
 */
function layer(rng: Random, inDim: number, outDim: number, dead: number[] = []): DenseWeights {
  const kernel = Float32Array.from({ length: inDim * outDim }, () => rng.normal(0, 1 / Math.sqrt(inDim)));
  const bias = Float32Array.from({ length: outDim }, (_, u) => (dead.includes(u) ? -50 : rng.normal(0, 0.3)));
  return { kernel, bias, inDim, outDim };
}

/** The reference: tfjs dense layers (ReLU between), then ../scoring's Bernoulli −log p(x|z). */
function reference(tf: Tf, layers: DenseWeights[], x: Float32Array, z: Float32Array, samples: number): Float32Array {
  return tf.tidy(() => {
    let h = tf.tensor2d(z, [z.length / layers[0].inDim, layers[0].inDim]);
    layers.forEach((l, i) => {
      const y = tf.matMul(h, tf.tensor2d(l.kernel, [l.inDim, l.outDim])).add(tf.tensor1d(l.bias)) as TfModule.Tensor2D;
      h = i < layers.length - 1 ? tf.relu(y) : y;
    });
    const n = layers[layers.length - 1].outDim;
    return repeatedReconstruction(tf, tf.tensor2d(x, [x.length / n, n]), h, samples).dataSync() as Float32Array;
  });
}

describe('VAE IWAE decoder on native BLAS, hidden units folded per block (dead, linear, mixed)', () => {
  let tf: Tf;
  before(async function () {
    await initBackend();
    tf = loadTf();
    if (nativeSgemm() === undefined) this.skip();
  });

  // 37 pixels: not a multiple of 4, so the scoring pass's masked last vector is exercised.
  const shapes: { name: string; samples: number; images: number; hidden: number[] }[] = [
    { name: 'one block per image (k ≥ 256)', samples: 300, images: 3, hidden: [16, 24] },
    { name: 'several images per block (small k)', samples: 7, images: 50, hidden: [16, 24] },
    { name: "an image's samples split over blocks (k > 2048)", samples: 2100, images: 2, hidden: [16] },
    { name: 'no hidden layer (z straight to logits)', samples: 300, images: 2, hidden: [] },
  ];
  // Scored on the calling thread, and by the scoring thread while the next logits are computed.
  const cases = shapes.flatMap((c) => [false, true].map((parallel) => ({ ...c, parallel })));
  for (const c of cases) {
    it(`gives the reference's −log p(x|z) for every sample: ${c.name}, ${c.parallel ? 'scoring thread' : 'one thread'}`, () => {
      const rng = new Random(11);
      const dims = [2, ...c.hidden, 37];
      // A third of each hidden layer never switches on.
      const layers = dims.slice(1).map((out, i) => layer(rng, dims[i], out, i < c.hidden.length ? [0, 3, 5, 6, 9].filter((u) => u < out / 3 + 2) : []));
      const x = Float32Array.from({ length: c.images * 37 }, () => (rng.random() < 0.4 ? 0 : rng.random()));
      const z = Float32Array.from({ length: c.images * c.samples * 2 }, () => rng.normal(0, 1.5));
      const tensors = tf.memory().numTensors;
      const decoder = CompactDecoder.create(nativeSgemm()!, layers.slice(0, -1), layers[layers.length - 1], { parallelScoring: c.parallel })!;
      expect(decoder).to.not.equal(undefined);
      expect(decoder.parallel).to.equal(c.parallel);
      const got = decoder.reconstruction(x, z, c.samples);
      // A second call reuses the memory and the thread, and gives the same values.
      expect(Array.from(decoder.reconstruction(x, z, c.samples))).to.deep.equal(Array.from(got));
      decoder.dispose();
      expect(tf.memory().numTensors, 'no tensors').to.equal(tensors);
      const want = reference(tf, layers, x, z, c.samples);
      expect(got.length).to.equal(want.length);
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
      expect(worst).to.be.at.most(2e-6);
      // Dead and linear units were folded: fewer multiply-adds than the dense layers.
      if (c.hidden.length > 0) expect(decoder.work.multiplyAdds).to.be.lessThan(decoder.work.dense);
      else expect(decoder.work.multiplyAdds).to.equal(decoder.work.dense);
    });
  }

  it('gives the same values to the bit whether the scoring thread or the calling thread scores', () => {
    const rng = new Random(7);
    const layers = [layer(rng, 2, 16, [1, 4]), layer(rng, 16, 24, [2]), layer(rng, 24, 37)];
    const samples = 1000, images = 3;
    const x = Float32Array.from({ length: images * 37 }, () => rng.random());
    const z = Float32Array.from({ length: images * samples * 2 }, () => rng.normal(0, 0.3));
    const values = [false, true].map((parallelScoring) => {
      const decoder = CompactDecoder.create(nativeSgemm()!, layers.slice(0, 2), layers[2], { parallelScoring })!;
      expect(decoder.parallel).to.equal(parallelScoring);
      const v = Array.from(decoder.reconstruction(x, z, samples));
      decoder.dispose();
      return v;
    });
    expect(values[1]).to.deep.equal(values[0]);
  });

  it('folds linear units into the affine map and drops dead ones, per block', () => {
    const rng = new Random(3);
    // Units 0–6 are 1 for every z (linear); unit 7 is z₀ − 5: dead for image 0 (z₀ = 0), linear
    // for image 1 (z₀ = 6). No unit is mixed, so the logits are an affine map of z alone.
    const hidden = layer(rng, 2, 8);
    for (let u = 0; u < 8; u++) hidden.kernel[u] = hidden.kernel[8 + u] = 0;
    hidden.bias.fill(1);
    hidden.kernel[7] = 1;
    hidden.bias[7] = -5;
    const output = layer(rng, 8, 12);
    const samples = 256;
    const z = new Float32Array(2 * samples * 2);
    for (let s = 0; s < samples; s++) z[2 * (samples + s)] = 6;
    const x = Float32Array.from({ length: 24 }, () => rng.random());
    const decoder = CompactDecoder.create(nativeSgemm()!, [hidden], output, { parallelScoring: false })!;
    const got = decoder.reconstruction(x, z, samples);
    // Per block: the hidden pre-activations (8 × 256 × 2), the map G' = W[linear]ᵀ·G (12 × 2 × L)
    // and g' (12 × L) for L = 7 and 8 linear units, then the logits from z alone (256 × 12 × 2).
    const perBlock = (linear: number) => 8 * samples * 2 + 12 * 2 * linear + 12 * linear + samples * 12 * 2;
    expect(decoder.work.multiplyAdds).to.equal(perBlock(7) + perBlock(8));
    const want = reference(tf, [hidden, output], x, z, samples);
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).to.be.at.most(1e-5 * Math.abs(want[i]));
  });

  it('declines weights that are not finite (0 · ∞ would not be 0) and fewer than 4 pixels', () => {
    const rng = new Random(1);
    const hidden = layer(rng, 2, 4);
    const output = layer(rng, 4, 8);
    output.kernel[5] = Infinity;
    expect(CompactDecoder.create(nativeSgemm()!, [hidden], output, { parallelScoring: false })).to.equal(undefined);
    expect(CompactDecoder.create(nativeSgemm()!, [hidden], layer(rng, 4, 3), { parallelScoring: false })).to.equal(undefined);
  });
});
