'use strict';
/**
 * Our IWAE estimate as notebook 03 computes it: `vae.logLikelihood(images, { samples, seed })`
 * on the shipped weights (`VAE.pretrained()`), timed from the call to its return. An
 * untimed small call first (10 images, 10 samples) loads native BLAS and warms the JIT,
 * as the notebook's earlier cells do.
 */
const { readMatrix } = require('../lib/data');
const { spec, emit, runWorker } = require('../lib/worker');

runWorker(async () => {
  const s = spec();
  const { VAE, backendInfo } = require('../../dist/vae');
  const m = readMatrix(s.case.dataPath, s.case.n, s.case.d);
  const images = Float32Array.from(m.data);
  const vae = await VAE.pretrained();
  await vae.logLikelihood(images.subarray(0, 10 * 784), { samples: 10, seed: s.seed });
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const r = await vae.logLikelihood(images, { samples: s.samples, seed: s.seed });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const info = backendInfo();
  emit({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, logLikelihood: r.logLikelihood, backend: info.backend, nativeMatMul: info.nativeBlas });
});
