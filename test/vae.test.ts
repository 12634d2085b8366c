import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ImageSet, VAE, initBackend, latentGridPoints, loadMnist, makeImageSet, subsetImages } from '../src/vae';
import { loadTf } from '../src/vae/tf';
import { rejectionOf } from './support/errors';


describe('VAE', function () {
  let train: ImageSet;
  let test: ImageSet;
  let dir: string;
  const small = { hiddenUnits: [64], seed: 1 };
  const quiet = { verbose: false, batchSize: 64 };

  before(async () => {
    await initBackend();
    const split = loadMnist();
    train = subsetImages(split.train, 512);
    test = subsetImages(split.test, 256);
    dir = mkdtempSync(join(tmpdir(), 'vae-test-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('training', () => {
    it('learns: the loss falls over epochs and on held-out images', async () => {
      const vae = await VAE.create(small);
      const before = await vae.evaluate(test);
      const history = await vae.fit(train, { ...quiet, epochs: 3, validation: test });
      const after = await vae.evaluate(test);
      vae.dispose();
      expect(history.loss).to.have.length(3);
      expect(history.loss[2]).to.be.below(history.loss[0] - 10);
      expect(history.valLoss![2]).to.be.below(history.valLoss![0]);
      expect(after.loss).to.be.below(before.loss - 50);
      expect(after.loss).to.be.closeTo(after.reconstruction + after.kl, 1e-3);
      expect(after.kl).to.be.above(0);
      expect(history.valLoss![2]).to.be.closeTo(after.loss, 1e-3);
      expect(vae.epochsTrained).to.equal(3);
    });

    it('reports batches and epochs to the callbacks', async () => {
      const vae = await VAE.create(small);
      const batches: { epoch: number; batch: number; batches: number; loss: number }[] = [];
      const epochs: { epoch: number; loss: number; imagesPerSecond: number; valLoss?: number }[] = [];
      const set = subsetImages(train, 200);
      const history = await vae.fit(set, {
        ...quiet, epochs: 2,
        onBatchEnd: (b) => { batches.push(b); },
        onEpochEnd: async (e) => { epochs.push(e); },
      });
      vae.dispose();
      expect(batches.map((b) => `${b.epoch}.${b.batch}/${b.batches}`)).to.deep.equal(['1.1/4', '1.2/4', '1.3/4', '1.4/4', '2.1/4', '2.2/4', '2.3/4', '2.4/4']);
      expect(epochs.map((e) => e.epoch)).to.deep.equal([1, 2]);
      expect(epochs.map((e) => e.loss)).to.deep.equal(history.loss);
      // The last batch's running mean is the epoch's mean.
      expect(batches[3].loss).to.equal(epochs[0].loss);
      expect(epochs[0].imagesPerSecond).to.be.above(0);
      expect(epochs[0].valLoss).to.equal(undefined);
    });

    it('is reproducible: same seed, same history; another seed differs', async () => {
      const run = async (seed: number) => {
        const vae = await VAE.create({ ...small, seed });
        const h = await vae.fit(subsetImages(train, 128), { ...quiet, epochs: 2 });
        vae.dispose();
        return h.loss;
      };
      const a = await run(5);
      expect(await run(5)).to.deep.equal(a);
      expect(await run(6)).to.not.deep.equal(a);
    });

    it('prints one progress line per epoch when verbose and not a terminal', async () => {
      const vae = await VAE.create(small);
      const lines: string[] = [];
      const write = process.stdout.write;
      process.stdout.write = ((chunk: string) => { lines.push(chunk); return true; }) as typeof process.stdout.write;
      try {
        await vae.fit(subsetImages(train, 128), { ...quiet, epochs: 2, verbose: true });
      } finally {
        process.stdout.write = write;
        vae.dispose();
      }
      if (process.stdout.isTTY) return; // a live bar redraws instead
      expect(lines).to.have.length(2);
      expect(lines[0]).to.match(/^epoch 1\/2 █+ 2\/2 loss \d+\.\d\d \(rec \d+\.\d\d, kl \d+\.\d\d\) \d+ img\/s \| \d+\.\d s\n$/);
    });

    it('stops with an error naming epoch and batch when the loss becomes NaN', async () => {
      const vae = await VAE.create(small);
      const err = await rejectionOf(() => vae.fit(subsetImages(train, 256), { ...quiet, epochs: 5, learningRate: 1e9 }));
      vae.dispose();
      expect(err.message).to.match(/VAE training diverged: the loss became (NaN|infinite) at epoch \d+, batch \d+ of 4 .*lower the learning rate/);
    });
  });

  describe('bad input', () => {
    let vae: VAE;
    before(async () => {
      vae = await VAE.create(small);
    });
    after(() => vae.dispose());

    it('rejects images of the wrong size', async () => {
      const tiny = makeImageSet(new Float32Array(3 * 100), { width: 10, height: 10 });
      expect((await rejectionOf(() => vae.fit(tiny))).message).to.match(/VAE.fit: images are 10×10 = 100 pixels, but the model expects inputDim = 784/);
      expect(() => vae.encode(new Float32Array(1000))).to.throw(/1000 pixel values are not a whole number of images of inputDim = 784/);
    });

    it('rejects NaN pixels, pixels outside [0, 1] and empty sets', async () => {
      const pixels = train.images.slice(0, 4 * 784);
      pixels[3 * 784 + 5] = NaN;
      expect((await rejectionOf(() => vae.evaluate(pixels))).message).to.match(/VAE.evaluate: image 3, pixel 5 is NaN/);
      pixels[3 * 784 + 5] = 255;
      expect(() => vae.reconstruct(pixels)).to.throw(/image 3, pixel 5 is 255, outside \[0, 1\] \(scale 0–255 pixels by 1\/255\)/);
      expect((await rejectionOf(() => vae.fit(new Float32Array(0)))).message).to.match(/VAE.fit: the image set is empty/);
      expect((await rejectionOf(() => vae.fit([[0.5]] as never))).message).to.match(/expected an ImageSet .* got an array \(use makeImageSet/);
    });

    it('rejects latent vectors of the wrong length or with NaN', () => {
      expect(() => vae.decode([[0, 0], [1, 2, 3]])).to.throw(/VAE.decode: latent vector 1 has length 3; this model's latentDim is 2/);
      expect(() => vae.decode([[0, NaN]])).to.throw(/latent vector 0 has NaN at position 1/);
      expect(() => vae.decode([])).to.throw(/non-empty array of latent vectors/);
      expect(() => vae.interpolate([0, 0], [1], 5)).to.throw(/interpolate \(zB\): latent vector 0 has length 1/);
    });

    it('rejects bad options', async () => {
      expect(() => new VAE({ latentDim: 0 })).to.throw(/latentDim must be a positive integer; got 0/);
      expect(() => new VAE({ hiddenUnits: [512, -1] })).to.throw(/hiddenUnits\[1\] must be a positive integer; got -1/);
      expect((await rejectionOf(() => vae.fit(train, { epochs: 0 }))).message).to.match(/epochs must be a positive integer; got 0/);
      expect(() => vae.generate(0)).to.throw(/n must be a positive integer/);
      expect(() => vae.latentGrid(3, [1, -1])).to.throw(/range must be \[low, high\] with low < high/);
    });

    it('asks for a started backend in the synchronous methods', () => {
      const lib = join(__dirname, '..', 'src', 'vae', 'index.js');
      const out = execFileSync(process.execPath, [
        '-e',
        `const { VAE } = require(${JSON.stringify(lib)});
         try { new VAE().decode([[0, 0]]); console.log('no error'); } catch (e) { console.log(e.message); }`,
      ]).toString();
      expect(out).to.match(/VAE.decode needs a started tfjs backend: call `await initBackend\(\)` first/);
    });
  });

  describe('initialisation', () => {
    /** Every weight and bias of a fresh model, by name. */
    async function weightsOf(options: object): Promise<Map<string, Float32Array>> {
      const vae = await VAE.create({ ...small, ...options });
      try {
        const out = new Map<string, Float32Array>();
        // The parameters are private: read them the way save() does.
        const nets = (vae as unknown as { networks(what: string): { params: Map<string, { dataSync(): unknown }> } }).networks('test');
        for (const [name, v] of nets.params) out.set(name, v.dataSync() as Float32Array);
        return out;
      } finally {
        vae.dispose();
      }
    }
    const maxAbs = (a: Float32Array) => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

    it("defaults to PyTorch's nn.Linear: weights and biases from U(±1/√fanIn)", async () => {
      const w = await weightsOf({});
      const kernel = w.get('encoder/dense0/kernel')!;
      const bias = w.get('encoder/dense0/bias')!;
      const bound = 1 / Math.sqrt(784);
      expect(maxAbs(kernel)).to.be.at.most(bound).and.above(0.95 * bound);
      expect(maxAbs(bias)).to.be.at.most(bound).and.above(0.5 * bound);
      // The decoder's output layer has fan-in 64 here: its bound is 1/8.
      expect(maxAbs(w.get('decoder/output/bias')!)).to.be.at.most(1 / 8).and.above(0.1);
    });

    it("keeps Glorot-uniform with zero biases as init: 'glorot'", async () => {
      const w = await weightsOf({ init: 'glorot' });
      const bound = Math.sqrt(6 / (784 + 64));
      expect(maxAbs(w.get('encoder/dense0/kernel')!)).to.be.at.most(bound).and.above(0.95 * bound);
      for (const [name, v] of w) if (name.endsWith('/bias')) expect(maxAbs(v), name).to.equal(0);
    });

    it('is seeded: the same seed gives the same weights, another seed others', async () => {
      const a = await weightsOf({ seed: 7 });
      const b = await weightsOf({ seed: 7 });
      const c = await weightsOf({ seed: 8 });
      for (const [name, v] of a) expect(Array.from(b.get(name)!), name).to.deep.equal(Array.from(v));
      expect(Array.from(c.get('encoder/dense0/bias')!)).to.not.deep.equal(Array.from(a.get('encoder/dense0/bias')!));
    });

    it('rejects an unknown initialisation', () => {
      expect(() => new VAE({ init: 'he' as never })).to.throw(/init must be 'pytorch' or 'glorot'; got he/);
    });
  });

  describe('inference', () => {
    let vae: VAE;
    before(async () => {
      vae = await VAE.create(small);
      await vae.fit(train, { ...quiet, epochs: 2 });
    });
    after(() => vae.dispose());

    it('encodes to count × latentDim means and log-variances', () => {
      const { mean, logVar } = vae.encode(test);
      expect(mean).to.have.length(test.count);
      expect(logVar).to.have.length(test.count);
      expect(mean[0]).to.have.length(2);
      expect(mean.flat().every(Number.isFinite)).to.equal(true);
      // Encoding an ImageSet or its raw pixels is the same.
      expect(vae.encode(test.images).mean).to.deep.equal(mean);
    });

    it('reconstructs as decode(encode(x).mean), with probabilities in (0, 1)', () => {
      const some = subsetImages(test, 10);
      const rec = vae.reconstruct(some);
      expect(rec).to.be.instanceOf(Float32Array);
      expect(rec.length).to.equal(10 * 784);
      expect(rec.every((p) => p > 0 && p < 1)).to.equal(true);
      expect(vae.decode(vae.encode(some).mean)).to.deep.equal(rec);
    });

    it('generates reproducibly from the seed', () => {
      const a = vae.generate(5, 1);
      expect(a.length).to.equal(5 * 784);
      expect(vae.generate(5, 1)).to.deep.equal(a);
      expect(vae.generate(5, 2)).to.not.deep.equal(a);
    });

    it('lays out the latent grid as documented', () => {
      const points = latentGridPoints(3, [-2, 2]);
      expect(points).to.deep.equal([[-2, 2], [0, 2], [2, 2], [-2, 0], [0, 0], [2, 0], [-2, -2], [0, -2], [2, -2]]);
      const grid = vae.latentGrid(3, [-2, 2]);
      expect(grid.length).to.equal(9 * 784);
      expect(grid.subarray(4 * 784, 5 * 784)).to.deep.equal(vae.decode([[0, 0]]));
      expect(grid.subarray(2 * 784, 3 * 784)).to.deep.equal(vae.decode([[2, 2]]));
    });

    it('interpolates between two codes, both ends included', () => {
      const steps = vae.interpolate([-1, 0.5], [2, -1], 4);
      expect(steps.length).to.equal(4 * 784);
      expect(steps.subarray(0, 784)).to.deep.equal(vae.decode([[-1, 0.5]]));
      expect(steps.subarray(3 * 784)).to.deep.equal(vae.decode([[2, -1]]));
      expect(steps.subarray(784, 2 * 784)).to.deep.equal(vae.decode([[0, 0]]));
    });

    it('estimates log p(x) by importance sampling, tighter than the ELBO', async () => {
      const some = subsetImages(test, 128);
      const elbo = -(await vae.evaluate(some)).loss;
      const k1 = await vae.logLikelihood(some, { samples: 1 });
      const k20 = await vae.logLikelihood(some, { samples: 20, batchRows: 1000 });
      expect(k20.perImage).to.have.length(some.count);
      expect(k20.samples).to.equal(20);
      expect(k20.perImage.every((v) => v < 0)).to.equal(true);
      // With k = 1 the estimate is a one-sample ELBO. With the same seed it draws the same z as
      // evaluate(), so the reconstruction terms agree; only the KL differs (Monte Carlo here,
      // closed form there), by a few tenths of a nat on 128 images. More samples: higher bound.
      expect(k1.logLikelihood).to.be.closeTo(elbo, 1);
      expect(k20.logLikelihood).to.be.above(elbo + 1);
      // Batching must not change the result (same noise stream, same order).
      const k20b = await vae.logLikelihood(some, { samples: 20, batchRows: 333 });
      expect(k20b.logLikelihood).to.be.closeTo(k20.logLikelihood, 1e-3);
    });
  });

  describe('tensor hygiene', () => {
    it('leaks no tensors in any method, and dispose frees everything', async () => {
      const tf = loadTf();
      const baseline = tf.memory().numTensors;
      const vae = await VAE.create(small);
      const some = subsetImages(train, 100);
      await vae.fit(some, { ...quiet, epochs: 1 }); // creates Adam's state once
      const withModel = tf.memory().numTensors;
      const check = async (what: string, f: () => unknown) => {
        await f();
        expect(tf.memory().numTensors, what).to.equal(withModel);
      };
      await check('fit', () => vae.fit(some, { ...quiet, epochs: 1, validation: some }));
      await check('evaluate', () => vae.evaluate(some));
      await check('logLikelihood', () => vae.logLikelihood(subsetImages(some, 10), { samples: 5 }));
      await check('encode', () => vae.encode(some));
      await check('decode', () => vae.decode([[0, 1], [1, 0]]));
      await check('reconstruct', () => vae.reconstruct(some));
      await check('generate', () => vae.generate(3));
      await check('latentGrid', () => vae.latentGrid(4));
      await check('interpolate', () => vae.interpolate([0, 0], [1, 1], 3));
      await check('save', () => vae.save(join(dir, 'hygiene')));
      await check('fit error', () => vae.fit(some, { ...quiet, epochs: 3, learningRate: 1e9 }).catch(() => undefined));
      vae.dispose();
      expect(tf.memory().numTensors).to.equal(baseline);
      const loaded = await VAE.load(join(dir, 'hygiene'));
      loaded.dispose();
      expect(tf.memory().numTensors).to.equal(baseline);
      expect(() => vae.generate(1)).to.throw(/VAE.generate: this VAE has been disposed/);
    });
  });

  describe('save and load', () => {
    let vae: VAE;
    let saved: string;
    before(async () => {
      vae = await VAE.create(small);
      await vae.fit(subsetImages(train, 128), { ...quiet, epochs: 1 });
      saved = join(dir, 'model');
      await vae.save(saved, { note: 'test' });
    });
    after(() => vae.dispose());

    it('writes the tfjs layout with the options in userDefinedMetadata', () => {
      const json = JSON.parse(readFileSync(join(saved, 'model.json'), 'utf8'));
      expect(json.weightsManifest[0].paths).to.deep.equal(['weights.bin']);
      expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).to.include('encoder/dense0/kernel');
      expect(json.userDefinedMetadata.vaeOptions).to.deep.equal({ inputDim: 784, latentDim: 2, hiddenUnits: [64], beta: 1, seed: 1, init: 'pytorch' });
      expect(json.userDefinedMetadata.epochsTrained).to.equal(1);
      expect(json.userDefinedMetadata.note).to.equal('test');
      expect(readFileSync(join(saved, 'weights.bin')).length).to.equal(4 * vae.numParams);
    });

    it('round-trips to identical outputs', async () => {
      const loaded = await VAE.load(saved);
      expect(loaded.options).to.deep.equal(vae.options);
      expect(loaded.epochsTrained).to.equal(1);
      expect(loaded.encode(test).mean).to.deep.equal(vae.encode(test).mean);
      expect(loaded.generate(4, 9)).to.deep.equal(vae.generate(4, 9));
      expect(await loaded.evaluate(test)).to.deep.equal(await vae.evaluate(test));
      loaded.dispose();
    });

    const corrupt = (name: string, change: (modelJson: any, weights: Buffer) => [unknown, Buffer]) => {
      const target = join(dir, name);
      const [json, bin] = change(JSON.parse(readFileSync(join(saved, 'model.json'), 'utf8')), readFileSync(join(saved, 'weights.bin')));
      execFileSync('mkdir', ['-p', target]);
      writeFileSync(join(target, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
      writeFileSync(join(target, 'weights.bin'), bin);
      return target;
    };

    it('names a missing directory or file', async () => {
      expect((await rejectionOf(() => VAE.load(join(dir, 'absent')))).message).to.match(/VAE.load: .*absent is not a directory/);
      const noBin = corrupt('no-bin', (j, w) => [j, w]);
      rmSync(join(noBin, 'weights.bin'));
      expect((await rejectionOf(() => VAE.load(noBin))).message).to.match(/missing weights file .*no-bin\/weights\.bin/);
    });

    it('names a truncated weights.bin, wrong shapes, NaN weights and broken JSON', async () => {
      const truncated = corrupt('truncated', (j, w) => [j, w.subarray(0, w.length - 100)]);
      expect((await rejectionOf(() => VAE.load(truncated))).message).to.match(/weights\.bin has \d+ bytes but model\.json describes \d+ \(truncated/);
      const shapes = corrupt('shapes', (j, w) => {
        j.userDefinedMetadata.vaeOptions.hiddenUnits = [32];
        return [j, w];
      });
      expect((await rejectionOf(() => VAE.load(shapes))).message).to.match(/weight 'encoder\/dense0\/kernel' has shape \[784,64\] in .*, but the model options need \[784,32\]/);
      const nan = corrupt('nan', (j, w) => {
        const copy = Buffer.from(w);
        copy.writeFloatLE(NaN, 400);
        return [j, copy];
      });
      expect((await rejectionOf(() => VAE.load(nan))).message).to.match(/weight 'encoder\/dense0\/kernel' .* contains NaN or infinite values/);
      const broken = corrupt('json', (j, w) => ['{"format": ', w]);
      expect((await rejectionOf(() => VAE.load(broken))).message).to.match(/model\.json is not valid JSON/);
    });
  });
});

describe('VAE.pretrained', () => {
  it('ships weights that reach test -ELBO ≤ 150 nats on loadMnist()\'s held-out split', async () => {
    const vae = await VAE.pretrained();
    const { test } = loadMnist();
    const result = await vae.evaluate(test);
    expect(vae.options.inputDim).to.equal(784);
    expect(vae.options.latentDim).to.equal(2);
    expect(result.loss).to.be.at.most(150);
    // The number recorded at training time (same evaluation seed; other backends round differently).
    expect(result.loss).to.be.closeTo(Number(vae.metadata!.testNegElbo), 0.05);
    vae.dispose();
  });
});
