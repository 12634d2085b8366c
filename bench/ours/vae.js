'use strict';
/**
 * Our VAE training loop, through the library's public `VAE.fit`, as a user calls it: each
 * repetition is one whole `fit(images, { epochs: 1 })` call (shuffle, tensor uploads,
 * forward, gradients, Adam, reading the losses back, the history), timed from the call to
 * its return and divided by its steps. Set-up is the time from the call to the end of the
 * first batch, less one median step. One untimed warm-up epoch first.
 *
 * With spec.profileKernels, it also runs `tf.profile` over `steps` more batches and reports
 * the kernels' wall time by kernel name (used by bench/profile.js vae).
 */
const { readMatrix } = require('../lib/data');
const { spec, emit, runWorker } = require('../lib/worker');

runWorker(async () => {
  const s = spec();
  const { VAE, backendInfo } = require('../../dist/vae');
  const m = readMatrix(s.case.dataPath, s.case.n, s.case.d);
  const images = Float32Array.from(m.data);
  const vae = await VAE.create({ inputDim: 784, latentDim: 2, hiddenUnits: [512], seed: s.seed });
  const epoch = async () => {
    const stamps = [];
    const start = process.hrtime.bigint();
    await vae.fit(images, { epochs: 1, batchSize: s.batchSize, learningRate: 1e-3, verbose: false, onBatchEnd: () => { stamps.push(process.hrtime.bigint()); } });
    const end = process.hrtime.bigint();
    const gaps = stamps.slice(1).map((t, i) => Number(t - stamps[i]) / 1e9).sort((a, b) => a - b);
    const medianStep = gaps[gaps.length >> 1];
    return { perStep: Number(end - start) / 1e9 / stamps.length, setup: Number(stamps[0] - start) / 1e9 - medianStep, steps: stamps.length };
  };
  await epoch(); // warm-up
  const epochs = [];
  for (let r = 0; r < s.reps; r++) epochs.push(await epoch());
  // What trained: the backend, and whether the step's matmuls went to native BLAS (the optional nblas).
  const info = backendInfo();
  const kernels = s.profileKernels ? await profileKernels(vae, images, s) : undefined;
  emit({
    kernels,
    backend: info.backend,
    secondsPerStep: epochs.map((e) => e.perStep),
    setupSeconds: epochs.map((e) => e.setup),
    steps: epochs[0].steps,
    nativeMatMul: info.nativeBlas,
  });
});

/** Per-kernel wall time (ms per step) of `s.steps` training batches, from tf.profile. */
async function profileKernels(vae, images, s) {
  const tf = require('@tensorflow/tfjs');
  const rows = s.steps * s.batchSize;
  const subset = images.subarray(0, Math.min(rows, images.length / 784) * 784);
  const started = process.hrtime.bigint();
  const info = await tf.profile(() => vae.fit(subset, { epochs: 1, batchSize: s.batchSize, verbose: false }));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const steps = Math.ceil(subset.length / 784 / s.batchSize);
  const byName = new Map();
  for (const k of info.kernels) {
    const e = byName.get(k.name) ?? { name: k.name, calls: 0, ms: 0 };
    e.calls += 1;
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    byName.set(k.name, e);
  }
  const list = [...byName.values()].sort((a, b) => b.ms - a.ms).map((e) => ({ ...e, ms: e.ms / steps, calls: e.calls / steps }));
  return { steps, wallMsPerStep: wallMs / steps, kernels: list };
}
