#!/usr/bin/env node
/**
 * Export the notebooks' key figures into figures/ (PNG, plus the EM animation as
 * self-contained HTML), built directly with the compiled library (run `npm run build` first).
 *
 *   node scripts/figures.js [--out figures] [--only name,name]
 *
 * Everything is seeded, so the PNGs are the same on every run on one machine.
 * The VAE figures need the shipped weights (weights/vae-mnist-mlp); without them
 * they are skipped with a note.
 */
'use strict';
const { join, relative } = require('path');
const lib = require('..');

const args = process.argv.slice(2);
const argValue = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const outDir = argValue('--out') ?? join(__dirname, '..', 'figures');
const only = argValue('--only')?.split(',');

/** name → async () => [{ fig, file, options? }] */
const figures = {
  'kmeans-blobs': async () => {
    const { X } = lib.makeBlobs({ nSamples: 400, centers: 4, clusterStd: 1.0, randomState: 3 });
    const km = new lib.KMeans({ nClusters: 4, randomState: 0 }).fit(X);
    const fig = lib.kmeansCircles(X, km.clusterCenters, { labels: km.labels, title: 'K-Means on blobs: every cluster is a circle' });
    return [{ fig, file: 'kmeans-blobs.png' }];
  },
  'gmm-ellipses': async () => {
    // Seed 3: blobs close enough that K-Means cuts across them (ARI 0.66) while the mixture recovers them (0.99).
    const { X } = lib.makeAnisotropicBlobs({ nSamples: 450, randomState: 3 });
    const gmm = new lib.GaussianMixture({ nComponents: 3, covarianceType: 'full', randomState: 0 }).fit(X);
    const km = new lib.KMeans({ nClusters: 3, randomState: 0 }).fit(X);
    return [
      { fig: lib.gmmEllipses(X, gmm, { title: 'Gaussian mixture on stretched blobs: 1σ, 2σ, 3σ ellipses' }), file: 'gmm-ellipses.png' },
      { fig: lib.kmeansCircles(X, km.clusterCenters, { labels: km.labels, title: 'K-Means on the same stretched blobs' }), file: 'kmeans-stretched.png' },
    ];
  },
  'soft-assignments': async () => {
    // Overlapping blobs, so that some points are genuinely shared between components.
    const { X } = lib.makeBlobs({ nSamples: 450, centers: [[0, 0], [3.5, 0], [1.75, 3]], clusterStd: 1.1, randomState: 0 });
    const gmm = new lib.GaussianMixture({ nComponents: 3, randomState: 0 }).fit(X);
    const fig = lib.softAssignments(X, gmm.predictProba(X), { params: gmm, title: 'Soft assignments: faded points are uncertain' });
    return [{ fig, file: 'soft-assignments.png' }];
  },
  'density-moons': async () => {
    const { X } = lib.makeMoons({ nSamples: 500, noise: 0.06, randomState: 0 });
    const gmm = new lib.GaussianMixture({ nComponents: 8, randomState: 0 }).fit(X);
    const fig = lib.densityContours(gmm, { points: X, title: 'Density of an 8-component mixture on two moons' });
    return [{ fig, file: 'density-moons.png' }];
  },
  'bic': async () => {
    const { X } = lib.makeAnisotropicBlobs({ nSamples: 450, randomState: 3 });
    const ks = [1, 2, 3, 4, 5, 6, 7, 8];
    const curves = {};
    for (const type of ['full', 'tied', 'diag', 'spherical']) {
      curves[type] = ks.map((k) => new lib.GaussianMixture({ nComponents: k, covarianceType: type, randomState: 0 }).fit(X).bic(X));
    }
    const fig = lib.criterionCurves(ks, curves, { title: 'BIC by number of components and covariance type', yTitle: 'BIC (lower is better)' });
    return [{ fig, file: 'bic.png' }];
  },
  'em-animation': async () => {
    // Means started at random data points (seed 2): 20 visible steps to the right answer.
    const { X } = lib.makeAnisotropicBlobs({ nSamples: 450, randomState: 3 });
    const gmm = new lib.GaussianMixture({ nComponents: 3, initParams: 'random_from_data', tol: 1e-4, maxIter: 200, randomState: 2 });
    const steps = [...gmm.fitSteps(X)].filter((s) => s.init === 0);
    const fig = lib.emAnimation(X, steps, { covarianceType: 'full', title: 'EM, iteration by iteration' });
    return [{ fig, file: 'em-animation.html' }, { fig, file: 'em-animation.png' }];
  },
  'vae-latent': async () => {
    const vae = await pretrainedOrNull();
    if (!vae) return [];
    const { test } = lib.loadMnist();
    const { mean } = vae.encode(test);
    const fig = lib.latentScatter(mean, Array.from(test.labels), { title: `VAE latent means of ${test.count} test digits` });
    return [{ fig, file: 'vae-latent.png' }];
  },
  'vae-manifold': async () => {
    const vae = await pretrainedOrNull();
    if (!vae) return [];
    const n = 20;
    const grid = lib.latentGrid(n, [-3, 3]);
    const fig = lib.manifoldGrid(vae.decode(grid.points), { grid, title: 'Decoded latent grid' });
    return [{ fig, file: 'vae-manifold.png' }];
  },
  'vae-reconstructions': async () => {
    const vae = await pretrainedOrNull();
    if (!vae) return [];
    const { test } = lib.loadMnist();
    const some = lib.takeImages(test, Array.from({ length: 10 }, (_, i) => i * 97));
    const fig = lib.reconstructionPairs(some, vae.reconstruct(some), { title: 'Test digits and their reconstructions' });
    return [{ fig, file: 'vae-reconstructions.png' }];
  },
};

let vaePromise;
/** The shipped VAE, loaded once, or null (with a note) when the weights are not there. */
function pretrainedOrNull() {
  vaePromise ??= (async () => {
    try {
      lib.pretrainedDir();
    } catch (e) {
      console.log(`  skipped: ${e.message}`);
      return null;
    }
    return lib.VAE.pretrained();
  })();
  return vaePromise;
}

async function main() {
  const names = only ?? Object.keys(figures);
  const unknown = names.filter((n) => !figures[n]);
  if (unknown.length) throw new Error(`unknown figure(s) ${unknown.join(', ')}; known: ${Object.keys(figures).join(', ')}`);
  const times = [];
  let first = true;
  for (const name of names) {
    const t0 = Date.now();
    const outputs = await figures[name]();
    const built = Date.now() - t0;
    for (const { fig, file, options } of outputs) {
      const t1 = Date.now();
      const path = await lib.exportFigure(fig, join(outDir, file), options);
      const ms = Date.now() - t1;
      // The first PNG also pays for starting Chromium and loading plotly.js.
      const note = file.endsWith('.png') && first ? ' (includes browser start)' : '';
      if (file.endsWith('.png') && first) first = false;
      else if (file.endsWith('.png')) times.push(ms);
      console.log(`${relative(process.cwd(), path)}: built in ${built} ms, exported in ${ms} ms${note}`);
    }
  }
  if (times.length) console.log(`median export time per PNG (browser running): ${times.sort((a, b) => a - b)[Math.floor(times.length / 2)]} ms`);
  await lib.closeBrowser();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
