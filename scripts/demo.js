#!/usr/bin/env node
// K-Means and a Gaussian mixture on round and on stretched blobs, scored against the true labels.
// Run with `npm run demo` (builds dist/ first); it uses the built library.
'use strict';
const { KMeans, GaussianMixture, makeBlobs, makeAnisotropicBlobs, adjustedRandIndex, clusterAccuracy } = require('..');

// The geometry of scikit-learn's "Demonstration of k-means assumptions": 1500 samples
// around the centres numpy draws there for random_state=170.
const centers = [[-8.947, -5.463], [-4.589, 0.089], [1.939, 0.505]];
const options = { nSamples: 1500, centers, randomState: 170 };
const datasets = [
  ['round blobs', makeBlobs(options)],
  ['stretched blobs', makeAnisotropicBlobs(options)],
];

const methods = [
  ['K-Means', (X) => new KMeans({ nClusters: 3, randomState: 0 }).fit(X).labels],
  ['GMM (full covariance)', (X) => new GaussianMixture({ nComponents: 3, covarianceType: 'full', randomState: 0 }).fit(X).predict(X)],
];

const rows = [];
for (const [dataName, { X, y }] of datasets) {
  for (const [methodName, cluster] of methods) {
    const labels = cluster(X);
    rows.push([dataName, methodName, adjustedRandIndex(y, labels).toFixed(3), clusterAccuracy(y, labels).toFixed(3)]);
  }
}
printTable(['data', 'method', 'ARI', 'accuracy'], rows);

function printTable(header, body) {
  const all = [header, ...body];
  const widths = header.map((_, j) => Math.max(...all.map((r) => r[j].length)));
  // Text left-aligned, numbers right-aligned.
  const fmt = (r) => r.map((v, j) => (j < 2 ? v.padEnd(widths[j]) : v.padStart(widths[j]))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  body.forEach((r) => console.log(fmt(r)));
}
