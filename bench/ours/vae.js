'use strict';
/**
 * Our VAE training step, through the library's public `VAE.fit`: the step time is the
 * gap between consecutive `onBatchEnd` calls, so it includes everything one batch costs
 * in real training (tensor upload, forward, gradients, Adam, reading the loss back, the
 * per-epoch shuffle spread over its batches). Warm-up batches are dropped; then
 * `reps` windows of `steps` batches each are timed.
 *
 * With spec.profileKernels, it also runs `tf.profile` over `steps` more batches and reports
 * the kernels' wall time by kernel name (used by bench/profile.js vae).
 */
const { readMatrix } = require('../lib/data');
const { spec, emit, runWorker } = require('../lib/worker');

runWorker(async () => {
  const s = spec();
  const { VAE, backendInfo } = require('../../dist/vae');
  // Performance internals: counters of the patched kernels, not on the public API.
  const { wasmMatMulStats } = require('../../dist/vae/fast/wasm-matmul');
  const m = readMatrix(s.case.dataPath, s.case.n, s.case.d);
  const images = Float32Array.from(m.data);
  const vae = await VAE.create({ inputDim: 784, latentDim: 2, hiddenUnits: [512], seed: s.seed });
  const batchesPerEpoch = Math.ceil(s.case.n / s.batchSize);
  const needed = s.warmup + s.reps * s.steps + 1;
  const stamps = [];
  let lastLoss = NaN;
  await vae.fit(images, {
    epochs: Math.ceil(needed / batchesPerEpoch),
    batchSize: s.batchSize,
    learningRate: 1e-3,
    verbose: false,
    onBatchEnd: (info) => {
      stamps.push(process.hrtime.bigint());
      lastLoss = info.batchLoss;
    },
  });
  const secondsPerStep = [];
  for (let r = 0; r < s.reps; r++) {
    const a = stamps[s.warmup + r * s.steps];
    const b = stamps[s.warmup + (r + 1) * s.steps];
    secondsPerStep.push(Number(b - a) / 1e9 / s.steps);
  }
  // Whether the step's matmuls went to native BLAS (the optional nblas), on how many threads.
  const info = backendInfo();
  const nativeMatMul = info.nativeBlas;
  const kernels = s.profileKernels ? await profileKernels(vae, images, s) : undefined;
  emit({
    kernels,
    backend: info.backend,
    skipped: info.skipped,
    secondsPerStep,
    lastLoss,
    matmul: wasmMatMulStats(),
    nativeMatMul,
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
