import { expect } from 'chai';
import type * as TfModule from '@tensorflow/tfjs';
import { VAE, initBackend } from '../src/vae';
import { fastIwaeKernels, rowReconstructionWasm } from '../src/vae/fast/iwae';
import { nativeMatMulInfo } from '../src/vae/fast/native-matmul';
import { iwaeLogLikelihood, referenceIwaeKernels, repeatedReconstruction } from '../src/vae/scoring';
import { Random } from '../src/random';
import { loadTf } from '../src/vae/tf';

type Tf = typeof TfModule;

describe('VAE IWAE fast kernels on tfjs (wasm): one SIMD pass per row', () => {
  let tf: Tf;
  before(async () => {
    await initBackend();
    tf = loadTf();
  });

  it('scores each logit row against its own image as the reference does, and frees what it allocates', () => {
    const rng = new Random(5);
    const images = 4, samples = 3, dim = 37;
    const x = tf.tensor2d(Float32Array.from({ length: images * dim }, () => (rng.random() < 0.3 ? 0 : rng.random())), [images, dim]);
    // Logits from strongly negative to strongly positive, where a naive formula would overflow.
    const logits = tf.tensor2d(Float32Array.from({ length: images * samples * dim }, () => rng.normal(0, 8)), [images * samples, dim]);
    const want = repeatedReconstruction(tf, x, logits, samples);
    const before = tf.memory().numTensors;
    const got = rowReconstructionWasm(tf, x, logits, samples);
    expect(got, 'the wasm pass applies on the wasm backend').to.not.equal(undefined);
    expect(tf.memory().numTensors).to.equal(before + 1);
    const w = want.dataSync(), g = got!.dataSync();
    expect(g.length).to.equal(images * samples);
    for (let i = 0; i < w.length; i++) expect(Math.abs(g[i] - w[i])).to.be.at.most(1e-5 * Math.abs(w[i]));
    // A row scored against another image's pixels would differ by far more.
    expect(Math.abs(w[0] - w[samples])).to.be.greaterThan(1);
    tf.dispose([x, logits, want, got!]);
  });

  it('declines shapes that do not pair rows with images, leaving the reference to answer', () => {
    const x = tf.zeros([2, 8]) as TfModule.Tensor2D;
    const logits = tf.zeros([5, 8]) as TfModule.Tensor2D;
    expect(rowReconstructionWasm(tf, x, logits, 2)).to.equal(undefined);
    tf.dispose([x, logits]);
  });

  it('gives logLikelihood the same per-image estimates as the reference kernels (same noise), without leaking tensors', async () => {
    const vae = await VAE.create({ inputDim: 64, latentDim: 2, hiddenUnits: [24], seed: 3 });
    const rng = new Random(9);
    const count = 5;
    const images = Float32Array.from({ length: count * 64 }, () => rng.random());
    await vae.fit(images, { epochs: 1, batchSize: 5, verbose: false });
    const scored = (vae as unknown as { scored(tf: Tf, what: string): Parameters<typeof iwaeLogLikelihood>[0] }).scored(tf, 'test');
    const options = { samples: 7, seed: 4, batchRows: 15 };
    const reference = await iwaeLogLikelihood(scored, images, count, options, referenceIwaeKernels(tf));
    const tensors = tf.memory().numTensors;
    const callsBefore = nativeMatMulInfo().calls;
    const fast = await iwaeLogLikelihood(scored, images, count, options, fastIwaeKernels(tf));
    expect(tf.memory().numTensors).to.equal(tensors);
    if (nativeMatMulInfo().available) expect(nativeMatMulInfo().calls).to.be.greaterThan(callsBefore);
    for (let i = 0; i < count; i++) expect(Math.abs(fast.perImage[i] - reference.perImage[i])).to.be.at.most(1e-5 * Math.abs(reference.perImage[i]));
    // The public method takes the fast kernels.
    const viaVae = await vae.logLikelihood(images, options);
    expect(Array.from(viaVae.perImage)).to.deep.equal(Array.from(fast.perImage));
    vae.dispose();
  });
});
