/**
 * Options: a misspelt name is an error everywhere (not a silent default), seeds follow
 * one rule (integers in [0, 2**32 − 1], as scikit-learn's), and nJobs never starts more
 * threads than the machine has.
 */
import { expect } from 'chai';
import { KMeans } from '../src/cluster';
import { makeBlobs, makeMoons } from '../src/datasets';
import { GaussianMixture } from '../src/mixture';
import { availableThreads, configurePool, poolStatus, terminateWorkers } from '../src/parallel/pool';
import { Random } from '../src/random';
import { VAE, loadIdx, loadMnist, makeImageSet, subsetImages } from '../src/vae';
import { imageGrid, kmeansCircles, labelledScatter, latentScatter, show, trainingCurves } from '../src/plot';
import { latentGridPoints } from '../src/vae/latent-grid';

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('misspelt options are rejected, naming the nearest known one', () => {
  const set = makeImageSet(new Float32Array(4 * 4).fill(0.5), { width: 2, height: 2 });
  const cases: [string, () => unknown, RegExp][] = [
    ['KMeans({ nCluster: 3 })', () => new KMeans({ nCluster: 3 } as never), /Unknown KMeans option 'nCluster' \(did you mean 'nClusters'\?\); known options: nClusters, init/],
    ['GaussianMixture({ ncomponents: 3 })', () => new GaussianMixture({ ncomponents: 3 } as never), /Unknown GaussianMixture option 'ncomponents' \(did you mean 'nComponents'\?\)/],
    ['new VAE({ latentdim: 5 })', () => new VAE({ latentdim: 5 } as never), /Unknown VAE option 'latentdim' \(did you mean 'latentDim'\?\)/],
    ['loadMnist({ testfraction: 0.5 })', () => loadMnist({ testfraction: 0.5 } as never), /Unknown loadMnist option 'testfraction' \(did you mean 'testFraction'\?\)/],
    ['subsetImages(set, 2, { sed: 1 })', () => subsetImages(set, 2, { sed: 1 } as never), /Unknown subsetImages option 'sed' \(did you mean 'seed'\?\)/],
    ['makeImageSet(.., { label: [] })', () => makeImageSet(new Float32Array(4), { width: 2, height: 2, label: [1] } as never), /Unknown makeImageSet option 'label' \(did you mean 'labels'\?\)/],
    ['loadIdx(.., { maxbytes })', () => loadIdx('/nonexistent', undefined, { maxbytes: 5 } as never), /Unknown loadIdx option 'maxbytes' \(did you mean 'maxBytes'\?\)/],
    ['makeBlobs({ nSample: 10 })', () => makeBlobs({ nSample: 10 } as never), /Unknown makeBlobs option 'nSample' \(did you mean 'nSamples'\?\)/],
    ['makeMoons({ noize: 0.1 })', () => makeMoons({ noize: 0.1 } as never), /Unknown makeMoons option 'noize' \(did you mean 'noise'\?\)/],
    ['labelledScatter(.., { markersize })', () => labelledScatter([[0, 0], [1, 1]], [0, 1], { markersize: 3 } as never), /Unknown labelledScatter option 'markersize' \(did you mean 'markerSize'\?\)/],
    ['kmeansCircles(.., { radii })', () => kmeansCircles([[0, 0], [1, 1]], [[0, 0]], { radii: [1] } as never), /Unknown kmeansCircles option 'radii' \(did you mean 'radius'\?\)/],
    ['latentScatter(.., { titel })', () => latentScatter([[0, 0]], [0], { titel: 'x' } as never), /Unknown latentScatter option 'titel' \(did you mean 'title'\?\)/],
    ['imageGrid(.., { column: 3 })', () => imageGrid(new Float32Array(4), { imageShape: [2, 2], column: 3 } as never), /Unknown imageGrid option 'column' \(did you mean 'columns'\?\)/],
    ['latentGridPoints(5, { spaceing })', () => latentGridPoints(5, { spaceing: 'quantile' } as never), /Unknown latentGrid option 'spaceing' \(did you mean 'spacing'\?\)/],
    ['trainingCurves(.., { logy })', () => trainingCurves({ loss: [1, 2] }, { logy: true } as never), /Unknown trainingCurves option 'logy' \(did you mean 'logY'\?\)/],
  ];
  for (const [what, f, message] of cases) it(what, () => expect(f).to.throw(message));

  it('show(fig, { interactiv: false })', async () => {
    expect((await rejection(show(labelledScatter([[0, 0]]), { interactiv: false } as never))).message).to.match(/Unknown show option 'interactiv' \(did you mean 'interactive'\?\)/);
  });

  it('VAE.fit(set, { epoch: 1 }) and VAE.evaluate(set, { seeds: 1 })', async () => {
    const vae = new VAE({ inputDim: 4, hiddenUnits: [3] });
    expect((await rejection(vae.fit(set, { epoch: 1 } as never))).message).to.match(/Unknown VAE\.fit option 'epoch' \(did you mean 'epochs'\?\)/);
    expect((await rejection(vae.evaluate(set, { seeds: 1 } as never))).message).to.match(/Unknown VAE\.evaluate option 'seeds' \(did you mean 'seed'\?\)/);
    vae.dispose();
  });
});

describe('seeds: integers in [0, 2**32 − 1]', () => {
  for (const bad of [1.5, -1, 2 ** 32, 2 ** 32 + 1, NaN]) {
    it(`rejects ${bad} everywhere a seed is taken`, () => {
      const msg = /must be an integer in \[0, 2\*\*32 − 1\]/;
      expect(() => new Random(bad)).to.throw(msg);
      expect(() => new KMeans({ randomState: bad })).to.throw(/randomState must be an integer in \[0, 2\*\*32 − 1\]/);
      expect(() => new GaussianMixture({ randomState: bad })).to.throw(/randomState must be an integer in \[0, 2\*\*32 − 1\]/);
      expect(() => new VAE({ seed: bad })).to.throw(/VAE option seed must be an integer in \[0, 2\*\*32 − 1\]/);
      expect(() => loadMnist({ seed: bad })).to.throw(msg);
      expect(() => makeBlobs({ randomState: bad })).to.throw(msg);
    });
  }
  it('accepts 0 and 2**32 − 1, which give different streams', () => {
    expect(new Random(0).nextUint32()).to.not.equal(new Random(2 ** 32 - 1).nextUint32());
  });
});

describe('nJobs is capped at the cores', function () {
  this.timeout(120000);
  after(async () => {
    configurePool({ mainThreadWorks: true, enable: true });
    await terminateWorkers();
  });
  it('nJobs: 1000 starts at most availableThreads() − 1 workers', async () => {
    await terminateWorkers();
    const { X } = makeBlobs({ nSamples: 200_000, centers: 4, randomState: 3 });
    new KMeans({ nClusters: 4, nInit: 1, maxIter: 2, nJobs: 1000 }).fit(X);
    new GaussianMixture({ nComponents: 2, maxIter: 1, nJobs: 1000, warnOnNoConvergence: false }).fit(X);
    expect(poolStatus().workers).to.be.at.most(availableThreads() - 1);
  });
});
