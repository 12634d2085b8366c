/**
 * The VAE under failure: a diverging fit leaves the model as it was (weights, optimizer and
 * shuffling), float32 overflow is
 * named, disposing during training neither throws nor leaks, fits do not interleave,
 * saving is bounded and atomic, and loading trusts nothing in the folder.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ImageSet, VAE, initBackend, loadMnist, subsetImages } from '../src/vae';
import { loadTf } from '../src/vae/tf';
import { runIsolated } from './support/isolated';
import { rejectionOf } from './support/errors';


describe('VAE: robustness', function () {
  this.timeout(120000);
  let train: ImageSet;
  let dir: string;
  const small = { hiddenUnits: [32], seed: 3 };
  const quiet = { verbose: false, batchSize: 64 };

  before(async () => {
    await initBackend();
    train = subsetImages(loadMnist().train, 256, { seed: 1 });
    dir = mkdtempSync(join(tmpdir(), 'vae-robust-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('a failed fit', () => {
    it('restores the weights to how they were before that fit, and says so', async () => {
      const vae = await VAE.create(small);
      await vae.fit(train, { ...quiet, epochs: 1 });
      const before = await vae.evaluate(train);
      const err = await rejectionOf(() => vae.fit(train, { ...quiet, epochs: 5, learningRate: 1e9 }));
      expect(err.message).to.match(/VAE training diverged: .*The model was restored to its state before this fit call/);
      expect(await vae.evaluate(train)).to.deep.equal(before);
      expect(vae.epochsTrained).to.equal(1);
      // And it still trains.
      const history = await vae.fit(train, { ...quiet, epochs: 1 });
      expect(Number.isFinite(history.loss[0])).to.equal(true);
      vae.dispose();
    });
  });

  describe('a failed fit, twice', () => {
    it("puts Adam's moments and the shuffling back too: later fits train as if the failed ones never ran", async () => {
      const a = await VAE.create(small);
      const b = await VAE.create(small);
      const histories = { a: [] as number[][], b: [] as number[][] };
      for (let round = 0; round < 3; round++) {
        histories.a.push((await a.fit(train, { ...quiet, epochs: 1 })).loss);
        histories.b.push((await b.fit(train, { ...quiet, epochs: 1 })).loss);
        // Each failure runs steps that move the weights and moments before the loss turns NaN.
        if (round < 2) await rejectionOf(() => a.fit(train, { ...quiet, epochs: 2, learningRate: 1e9 }));
      }
      expect(histories.a).to.deep.equal(histories.b);
      expect(await a.evaluate(train)).to.deep.equal(await b.evaluate(train));
      a.dispose();
      b.dispose();
    });
  });

  describe('float32 overflow', () => {
    it('decode, interpolate and latentGrid-like inputs beyond float32 are named', async () => {
      const vae = await VAE.create(small);
      expect(() => vae.decode([[1e39, 0]])).to.throw(/VAE\.decode: latent vector 0 has 1e\+39 at position 0, beyond the float32 range \(±3\.4e38\)/);
      expect(() => vae.interpolate([0, 0], [-1e39, 0], 3)).to.throw(/VAE\.interpolate \(zB\): latent vector 0 has -1e\+39 at position 0, beyond the float32 range/);
      expect(vae.decode([[3e38, 0]]).length).to.equal(784);
      vae.dispose();
    });

    it('latent codes that are not numbers are named, not coerced', async () => {
      const vae = await VAE.create(small);
      expect(() => vae.decode([[null, 0]] as never)).to.throw(/VAE\.decode: latent vector 0 has null at position 0; values must be finite numbers/);
      expect(() => vae.decode([[0, 5n]] as never)).to.throw(/VAE\.decode: latent vector 0 has the BigInt 5n at position 1/);
      expect(() => vae.decode([[0, '1']] as never)).to.throw(/VAE\.decode: latent vector 0 has the string "1" at position 1/);
      vae.dispose();
    });
  });

  describe('dispose inside onBatchEnd', () => {
    it('stops the fit with a clear error, without "Tensor is disposed" and without leaking', async () => {
      const tf = loadTf();
      const baseline = tf.memory().numTensors;
      const vae = await VAE.create(small);
      const err = await rejectionOf(() => vae.fit(train, { ...quiet, epochs: 2, onBatchEnd: () => vae.dispose() }));
      expect(err.message).to.not.match(/Tensor is disposed/);
      expect(err.message).to.match(/VAE\.fit: the VAE was disposed during training \(epoch 1, batch 1 of 4\)/);
      expect(tf.memory().numTensors).to.equal(baseline);
    });
  });

  describe('concurrent fits', () => {
    it('a second fit while one runs is rejected, and the first completes', async () => {
      const vae = await VAE.create(small);
      const first = vae.fit(train, { ...quiet, epochs: 1 });
      const err = await rejectionOf(() => vae.fit(train, { ...quiet, epochs: 1 }));
      expect(err.message).to.match(/VAE\.fit: this VAE is already training \(another fit call has not finished\); await it first/);
      const history = await first;
      expect(history.loss).to.have.length(1);
      expect(vae.epochsTrained).to.equal(1);
      await vae.fit(train, { ...quiet, epochs: 1 }); // allowed again afterwards
      vae.dispose();
    });
  });

  describe('save', () => {
    it('fails promptly on a path that cannot be made (/proc/x)', async () => {
      const { stdout, timedOut } = await runIsolated(`
        const { VAE } = require('../src/vae');
        VAE.create({ hiddenUnits: [4], inputDim: 4 }).then((v) => v.save('/proc/x/model')).then(
          () => console.log('SAVED'), (e) => console.log('ERROR ' + e.message));`, 60000);
      expect(timedOut).to.equal(false);
      expect(stdout).to.match(/ERROR VAE\.save: cannot create folder \/proc\/x \(E[A-Z]+\)/);
    });

    it('is atomic: metadata that cannot be serialised leaves the saved model untouched', async () => {
      const vae = await VAE.create(small);
      const target = join(dir, 'atomic');
      await vae.save(target, { note: 'first' });
      const json = readFileSync(join(target, 'model.json'), 'utf8');
      const bin = readFileSync(join(target, 'weights.bin'));
      await vae.fit(train, { ...quiet, epochs: 1 });
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      const err = await rejectionOf(() => vae.save(target, { cyclic }));
      expect(err.message).to.match(/VAE\.save: metadata cannot be saved as JSON/);
      expect(readFileSync(join(target, 'model.json'), 'utf8')).to.equal(json);
      expect(readFileSync(join(target, 'weights.bin')).equals(bin)).to.equal(true);
      expect(readdirSync(target).sort()).to.deep.equal(['model.json', 'weights.bin']);
      vae.dispose();
    });
  });

  describe('load validates the whole manifest first', () => {
    let saved: string;
    let tensorsBefore: number;
    before(async () => {
      const vae = await VAE.create(small);
      saved = join(dir, 'good');
      await vae.save(saved);
      vae.dispose();
    });
    const variant = (name: string, edit: (json: any) => void, bin?: Buffer): string => {
      const d = join(dir, name);
      mkdirSync(d, { recursive: true });
      const json = JSON.parse(readFileSync(join(saved, 'model.json'), 'utf8'));
      edit(json);
      writeFileSync(join(d, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
      writeFileSync(join(d, 'weights.bin'), bin ?? readFileSync(join(saved, 'weights.bin')));
      return d;
    };
    const expectLoadError = async (d: string, message: RegExp) => {
      const tf = loadTf();
      tensorsBefore = tf.memory().numTensors;
      const err = await rejectionOf(() => VAE.load(d));
      expect(err).to.not.be.instanceOf(TypeError);
      expect(err).to.not.be.instanceOf(RangeError);
      expect(err.message).to.match(message);
      expect(tf.memory().numTensors, 'tensors leaked').to.equal(tensorsBefore);
    };

    it('a weight listed twice', async () => {
      await expectLoadError(variant('dup', (j) => j.weightsManifest[0].weights.push(j.weightsManifest[0].weights[0])),
        /VAE\.load: .*model\.json lists weight 'encoder\/dense0\/kernel' twice/);
    });
    it('paths that leave the folder', async () => {
      writeFileSync(join(dir, 'outside.bin'), Buffer.alloc(12345));
      for (const p of ['../outside.bin', '/etc/hostname', 'sub/../../outside.bin']) {
        const d = variant(`escape-${p.replace(/\W/g, '')}`, (j) => { j.weightsManifest[0].paths = [p]; });
        const err = await rejectionOf(() => VAE.load(d));
        expect(err.message).to.match(/VAE\.load: .*model\.json names weights file .* outside the model folder; only a plain file name such as 'weights\.bin' is allowed/);
        expect(err.message).to.not.match(/12345/);
      }
    });
    it('null and malformed model.json', async () => {
      await expectLoadError(variant('null', (j) => { for (const k of Object.keys(j)) delete j[k]; j.x = 1; }), /VAE\.load: .*model\.json has format undefined/);
      const nullFile = join(dir, 'null-json');
      mkdirSync(nullFile, { recursive: true });
      writeFileSync(join(nullFile, 'model.json'), 'null');
      await expectLoadError(nullFile, /VAE\.load: .*model\.json must hold a JSON object; got null/);
      await expectLoadError(variant('no-manifest', (j) => { j.weightsManifest = null; }), /VAE\.load: .*model\.json must list exactly one weights file/);
      await expectLoadError(variant('bad-spec', (j) => { j.weightsManifest[0].weights[1] = null; }), /VAE\.load: .*model\.json: weightsManifest\[0\]\.weights\[1\] must be an object/);
      await expectLoadError(variant('bad-shape', (j) => { j.weightsManifest[0].weights[0].shape = [784, '32']; }), /weights\[0\]\.shape must be an array of non-negative integers/);
    });
    it('absurd vaeOptions are rejected before any network is allocated', async () => {
      await expectLoadError(variant('huge', (j) => { j.userDefinedMetadata.vaeOptions.hiddenUnits = [2 ** 31]; }),
        /VAE\.load: weight 'encoder\/dense0\/kernel' has shape \[784,32\] in .*, but the model options need \[784,2147483648\]/);
      await expectLoadError(variant('bad-opts', (j) => { j.userDefinedMetadata.vaeOptions.latentDim = -1; }), /VAE option latentDim must be a positive integer; got -1/);
    });
  });
});
