#!/usr/bin/env node
/**
 * Train the VAE shipped in weights/vae-mnist-mlp (npm run train:vae), or run experiments.
 *
 *   node scripts/train-vae.js [--epochs 100] [--hidden 512,256] [--latent 2] [--batch 64]
 *       [--lr 1e-3] [--schedule cosine|constant] [--warmup 0] [--seed 0]
 *       [--training fast|reference] [--no-native-blas]
 *       [--out weights/vae-mnist-mlp] [--iwae 1000] [--no-save] [--validation N]
 *   node scripts/train-vae.js --export-split /tmp/vae-split   (data for scripts/torch_vae.py)
 *   node scripts/train-vae.js --bench [--hidden 512]  (ms per training step on wasm, stock vs patched matmul)
 *
 * Needs the built library (npm run build); VAE_LIB=<path> points it at another build.
 * Writes model.json, weights.bin and training.json (hyperparameters, per-epoch history,
 * final train/test negative ELBO, IWAE log-likelihood, backend, the training path and how its
 * matrix products ran, time) into --out. --training reference trains with tfjs's autodiff and
 * tf.train.adam (FitOptions.training); --no-native-blas keeps the fast path's products on wasm
 * (initBackend({ nativeBlas: false })).
 *
 * --validation N chooses hyperparameters (the number of epochs) without looking at the test
 * split: it trains on all but the last N training images, reports the negative ELBO on those N,
 * and saves nothing.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const lib = require(process.env.VAE_LIB || '..');

function parseArgs(argv) {
  const args = {
    // The defaults train the shipped model (weights/vae-mnist-mlp/training.json records them).
    epochs: 100, hidden: '512,256', latent: 2, batch: 64, lr: 1e-3, schedule: 'cosine', warmup: 0, seed: 0,
    out: path.join(__dirname, '..', 'weights', 'vae-mnist-mlp'), iwae: 1000, save: true, exportSplit: undefined,
    evalEvery: 10, bench: false, training: 'fast', nativeBlas: true, validation: 0,
  };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${key} needs a value`);
      return argv[++i];
    };
    switch (key) {
      case '--epochs': args.epochs = Number(next()); break;
      case '--hidden': args.hidden = next(); break;
      case '--latent': args.latent = Number(next()); break;
      case '--batch': args.batch = Number(next()); break;
      case '--lr': args.lr = Number(next()); break;
      case '--schedule': args.schedule = next(); break;
      case '--warmup': args.warmup = Number(next()); break;
      case '--seed': args.seed = Number(next()); break;
      case '--out': args.out = path.resolve(next()); break;
      case '--iwae': args.iwae = Number(next()); break;
      case '--eval-every': args.evalEvery = Number(next()); break;
      case '--no-save': args.save = false; break;
      case '--export-split': args.exportSplit = path.resolve(next()); break;
      case '--bench': args.bench = true; break;
      case '--training': args.training = next(); break;
      case '--no-native-blas': args.nativeBlas = false; break;
      case '--validation': args.validation = Number(next()); args.save = false; break;
      default: throw new Error(`unknown argument ${key}`);
    }
  }
  args.hiddenUnits = args.hidden.split(',').filter(Boolean).map(Number);
  return args;
}

/** The loadMnist() split as raw little-endian float32 pixels and uint8 labels. */
function exportSplit(dir) {
  const { train, test } = lib.loadMnist();
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, set] of [['train', train], ['test', test]]) {
    fs.writeFileSync(path.join(dir, `${name}-images.f32`), Buffer.from(set.images.buffer, set.images.byteOffset, set.images.byteLength));
    fs.writeFileSync(path.join(dir, `${name}-labels.u8`), Buffer.from(set.labels));
  }
  fs.writeFileSync(path.join(dir, 'README.txt'), `loadMnist({seed: 0, testFraction: 0.2}): ${train.count} train, ${test.count} test images of 784 float32 pixels\n`);
  console.log(`wrote ${train.count} train and ${test.count} test images to ${dir}`);
}

/** The training set split into its first count − n images (to fit) and its last n (to validate on). */
function holdOut(set, n) {
  if (!Number.isInteger(n) || n < 1 || n >= set.count) throw new Error(`--validation takes an integer in 1..${set.count - 1}; got ${n}.`);
  const size = set.width * set.height;
  const part = (from, to) => lib.makeImageSet(set.images.subarray(from * size, to * size), {
    labels: set.labels && set.labels.subarray(from, to), width: set.width, height: set.height,
  });
  return { train: part(0, set.count - n), test: part(set.count - n, set.count) };
}

/** Median wall time of a training step (batch 128) on wasm, with the stock and the patched matmul kernels. */
async function bench(args) {
  // Performance internals: not on the public API.
  const { patchWasmMatMul, unpatchWasmMatMul } = require(path.join(path.dirname(require.resolve(process.env.VAE_LIB || '..')), 'vae', 'fast', 'wasm-matmul'));
  await lib.initBackend('wasm');
  const { train } = lib.loadMnist();
  const set = lib.subsetImages(train, 128 * 21);
  const result = {};
  for (const variant of ['stock', 'patched', 'stock', 'patched']) {
    if (variant === 'stock') unpatchWasmMatMul(); else patchWasmMatMul();
    const vae = await lib.VAE.create({ hiddenUnits: args.hiddenUnits, latentDim: args.latent });
    const stamps = [];
    await vae.fit(set, { epochs: 1, batchSize: 128, verbose: false, onBatchEnd: () => { stamps.push(performance.now()); } });
    vae.dispose();
    // The first step warms up (kernel setup, allocation): leave it out.
    const steps = stamps.slice(2).map((t, i) => t - stamps[i + 1]).sort((a, b) => a - b);
    (result[variant] ||= []).push(steps[Math.floor(steps.length / 2)]);
  }
  patchWasmMatMul();
  const fmt = (xs) => xs.map((x) => x.toFixed(1)).join(', ');
  console.log(`784-${args.hiddenUnits.join('-')}-${args.latent} VAE, batch 128, wasm: median ms/step stock ${fmt(result.stock)}; patched ${fmt(result.patched)}`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.exportSplit) return exportSplit(args.exportSplit);
  if (args.bench) return bench(args);
  const backend = await lib.initBackend({ nativeBlas: args.nativeBlas });
  const split = lib.loadMnist();
  const { train, test } = args.validation > 0 ? holdOut(split.train, args.validation) : split;
  const testName = args.validation > 0 ? 'validation' : 'test';
  const options = { inputDim: 784, latentDim: args.latent, hiddenUnits: args.hiddenUnits, beta: 1, seed: args.seed };
  const fit = { epochs: args.epochs, batchSize: args.batch, learningRate: args.lr, learningRateSchedule: args.schedule, klWarmup: args.warmup, training: args.training };
  console.log(`backend ${backend}; ${train.count} train / ${test.count} ${testName} images; VAE ${JSON.stringify(options)}; fit ${JSON.stringify(fit)}`);
  const vae = await lib.VAE.create(options);
  const started = Date.now();
  const testCurve = [];
  const history = await vae.fit(train, {
    ...fit,
    verbose: true,
    onEpochEnd: async (info) => {
      if (info.epoch % args.evalEvery === 0 || info.epoch === args.epochs) {
        const t = await vae.evaluate(test);
        testCurve.push({ epoch: info.epoch, loss: t.loss });
        console.log(`  ${testName} -ELBO after epoch ${info.epoch}: ${t.loss.toFixed(2)} (rec ${t.reconstruction.toFixed(2)}, kl ${t.kl.toFixed(2)})`);
      }
    },
  });
  const trainSeconds = (Date.now() - started) / 1000;
  const trainEval = await vae.evaluate(train);
  const testEval = await vae.evaluate(test);
  let iwae;
  if (args.iwae > 0 && args.validation === 0) {
    const t0 = Date.now();
    const ll = await vae.logLikelihood(test, { samples: args.iwae });
    iwae = { samples: args.iwae, testLogLikelihood: ll.logLikelihood, seconds: (Date.now() - t0) / 1000 };
  }
  const summary = {
    model: 'VAE, MLP encoder/decoder, Bernoulli decoder, Gaussian q(z|x), N(0, I) prior',
    data: 'loadMnist({ seed: 0, testFraction: 0.2 }) from the mnist npm package 1.1.0',
    trainImages: train.count,
    testImages: test.count,
    vaeOptions: vae.options,
    fit,
    optimizer: 'Adam (tfjs defaults beta1 0.9, beta2 0.999, epsilon 1e-7)',
    final: {
      trainNegElbo: trainEval.loss, trainReconstruction: trainEval.reconstruction, trainKl: trainEval.kl,
      testNegElbo: testEval.loss, testReconstruction: testEval.reconstruction, testKl: testEval.kl,
      note: 'nats per image; negative ELBO with one z sample per image (evaluate(), seed 0)',
    },
    iwae,
    testCurve,
    history,
    backend,
    // Which training kernels ran (FitOptions.training) and how their matrix products were computed.
    trainingPath: vae.trainingPath,
    matrixProduct: lib.backendInfo().matrixProduct,
    trainSeconds,
    // Time per training step of fit() alone: the per-epoch evaluations above are not in it.
    msPerStep: (1000 * history.seconds.reduce((a, b) => a + b, 0)) / (args.epochs * Math.ceil(train.count / args.batch)),
    node: process.version,
    tfjs: require('@tensorflow/tfjs/package.json').version,
    date: new Date().toISOString(),
    command: `node scripts/train-vae.js ${process.argv.slice(2).join(' ')}`.trim(),
  };
  console.log(`final: train -ELBO ${trainEval.loss.toFixed(2)}, ${testName} -ELBO ${testEval.loss.toFixed(2)}` +
    (iwae ? `, test IWAE log p(x) ${iwae.testLogLikelihood.toFixed(2)} (k=${iwae.samples})` : '') + `; ${trainSeconds.toFixed(0)} s training`);
  if (args.save) {
    await vae.save(args.out, { trainedBy: 'scripts/train-vae.js', testNegElbo: testEval.loss, testIwaeLogLikelihood: iwae?.testLogLikelihood });
    fs.writeFileSync(path.join(args.out, 'training.json'), JSON.stringify(summary, null, 1) + '\n');
    console.log(`saved to ${args.out}`);
  }
}

main().catch((err) => {
  console.error(err.stack || String(err));
  process.exit(1);
});
