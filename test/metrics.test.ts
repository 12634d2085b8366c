import { expect } from 'chai';
import {
  adjustedRandIndex,
  adjustedRandScore,
  clusterAccuracy,
  contingencyMatrix,
  hungarian,
  matchClusters,
} from '../src/metrics';
import { Random } from '../src/random';

// Reference values from scikit-learn 1.2.1 on this machine:
//   /usr/bin/python3 -c "from sklearn.metrics import adjusted_rand_score as a; print(repr(a(t, p)))"
const SKLEARN_ARI: Array<[number[], number[], number]> = [
  [[0, 0, 1, 2], [0, 0, 1, 1], 0.5714285714285714],
  [[0, 0, 1, 1], [0, 0, 1, 2], 0.5714285714285714],
  [[0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2], -0.36363636363636365],
  [[0, 0, 0, 0], [0, 1, 2, 3], 0.0],
  [[0, 0, 1, 1, 2, 2, 2, 3], [1, 1, 0, 0, 0, 2, 2, 2], 0.3684210526315789],
  [[0, 1, 1, 0, 2, 2, 1, 0, 0, 2, 1, 1], [2, 2, 1, 0, 0, 1, 1, 0, 2, 2, 1, 0], -0.013651877133105802],
  [[0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2], [0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 0, 1], 0.24124513618677043],
  // numpy default_rng(0): integers(0, 3, 30) and integers(0, 4, 30)
  [
    [2, 1, 1, 0, 0, 0, 0, 0, 0, 2, 1, 2, 1, 1, 2, 2, 1, 1, 1, 2, 0, 2, 2, 0, 1, 2, 1, 0, 2, 2],
    [3, 0, 0, 3, 0, 2, 0, 1, 1, 1, 1, 0, 0, 0, 0, 2, 2, 2, 1, 2, 3, 1, 1, 3, 3, 3, 1, 2, 3, 2],
    -0.053717358319801956,
  ],
];

function randomLabels(rng: Random, n: number, k: number): number[] {
  return Array.from({ length: n }, () => rng.int(k));
}

describe('contingencyMatrix', () => {
  it('counts classes against clusters with sorted label values', () => {
    const m = contingencyMatrix([5, 5, -1, -1, 5], [2, 0, 0, 0, 2]);
    expect(m.classes).to.deep.equal([-1, 5]);
    expect(m.clusters).to.deep.equal([0, 2]);
    expect(m.counts).to.deep.equal([
      [2, 0],
      [1, 2],
    ]);
  });
});

describe('adjustedRandIndex', () => {
  it('matches scikit-learn on small cases', () => {
    for (const [t, p, want] of SKLEARN_ARI) expect(adjustedRandIndex(t, p)).to.be.closeTo(want, 1e-12);
  });

  it('is 1 for identical partitions under any renaming, and symmetric', () => {
    const rng = new Random(3);
    const t = randomLabels(rng, 200, 5);
    const rename = [7, -2, 0, 11, 3];
    expect(adjustedRandIndex(t, t.map((l) => rename[l]))).to.equal(1);
    const p = randomLabels(rng, 200, 4);
    expect(adjustedRandIndex(t, p)).to.be.closeTo(adjustedRandIndex(p, t), 1e-12);
    expect(adjustedRandIndex(t, p.map((l) => 10 - l))).to.be.closeTo(adjustedRandIndex(t, p), 1e-12);
  });

  it('is about 0 for independent random labellings', () => {
    const rng = new Random(11);
    const scores = Array.from({ length: 20 }, () => adjustedRandIndex(randomLabels(rng, 2000, 3), randomLabels(rng, 2000, 3)));
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    expect(mean).to.be.closeTo(0, 0.002);
    expect(Math.max(...scores.map(Math.abs))).to.be.lessThan(0.01);
  });

  it('returns 1 in the degenerate cases, as scikit-learn does', () => {
    expect(adjustedRandIndex([0, 0, 0], [4, 4, 4])).to.equal(1); // one cluster each
    expect(adjustedRandIndex([0, 1, 2, 3], [3, 2, 1, 0])).to.equal(1); // every sample alone
    expect(adjustedRandIndex([1], [0])).to.equal(1);
    expect(adjustedRandScore).to.equal(adjustedRandIndex);
  });

  it('accepts typed arrays', () => {
    const [t, p, want] = SKLEARN_ARI[4];
    expect(adjustedRandIndex(Int32Array.from(t), Float64Array.from(p))).to.be.closeTo(want, 1e-12);
  });
});

describe('matchClusters / clusterAccuracy', () => {
  it('is 1 for a relabelled perfect clustering and recovers the renaming', () => {
    const t = [0, 0, 1, 1, 2, 2];
    const p = [2, 2, 0, 0, 1, 1];
    const m = matchClusters(t, p);
    expect(m.accuracy).to.equal(1);
    expect(m.nCorrect).to.equal(6);
    expect([...m.mapping.entries()].sort()).to.deep.equal([[0, 1], [1, 2], [2, 0]]);
  });

  it('finds the optimal matching where greedy matching is wrong', () => {
    // Contingency table (classes × clusters) [[5, 4], [4, 0]]: greedy takes the 5 and
    // is left with the 0 (5 correct); the best matching takes both 4s (8 correct).
    const t = [...Array(9).fill(0), ...Array(4).fill(1)];
    const p = [0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0];
    expect(contingencyMatrix(t, p).counts).to.deep.equal([[5, 4], [4, 0]]);
    const m = matchClusters(t, p);
    expect(m.nCorrect).to.equal(8);
    expect(m.accuracy).to.be.closeTo(8 / 13, 1e-15);
    expect(m.mapping.get(0)).to.equal(1);
    expect(m.mapping.get(1)).to.equal(0);
  });

  it('handles more clusters than classes (extra clusters unmatched, their samples wrong)', () => {
    // class 0 split over clusters 0 and 1 (3 + 1), class 1 in cluster 2 (2)
    const t = [0, 0, 0, 0, 1, 1];
    const p = [0, 0, 0, 1, 2, 2];
    const m = matchClusters(t, p);
    expect(m.nCorrect).to.equal(5);
    expect(m.mapping.size).to.equal(2);
    expect(m.mapping.get(0)).to.equal(0);
    expect(m.mapping.get(2)).to.equal(1);
    expect(m.mapping.has(1)).to.equal(false);
  });

  it('handles more classes than clusters (extra classes all wrong)', () => {
    const t = [0, 0, 1, 1, 1, 2];
    const p = [5, 5, 9, 9, 9, 9];
    const m = matchClusters(t, p);
    expect(m.nCorrect).to.equal(5);
    expect(clusterAccuracy(t, p)).to.be.closeTo(5 / 6, 1e-15);
    expect(m.mapping.get(5)).to.equal(0);
    expect(m.mapping.get(9)).to.equal(1);
  });
});

describe('hungarian', () => {
  function bruteForce(cost: number[][]): number {
    const n = cost.length;
    const m = cost[0].length;
    let best = Infinity;
    const used = new Array<boolean>(m).fill(false);
    const go = (i: number, acc: number): void => {
      if (i === n) {
        best = Math.min(best, acc);
        return;
      }
      for (let j = 0; j < m; j++) {
        if (used[j]) continue;
        used[j] = true;
        go(i + 1, acc + cost[i][j]);
        used[j] = false;
      }
    };
    go(0, 0);
    return best;
  }

  it('finds the minimum-cost assignment on random rectangular matrices (checked by brute force)', () => {
    const rng = new Random(5);
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + rng.int(5);
      const m = n + rng.int(3);
      const cost = Array.from({ length: n }, () => Array.from({ length: m }, () => rng.int(20) - 5));
      const cols = hungarian(cost);
      expect(new Set(cols).size).to.equal(n);
      cols.forEach((c) => expect(c).to.be.within(0, m - 1));
      expect(cols.reduce((s, c, i) => s + cost[i][c], 0)).to.equal(bruteForce(cost));
    }
  });
});

describe('label validation', () => {
  it('names each kind of bad input', () => {
    expect(() => adjustedRandIndex([0, 1], [0, 1, 1])).to.throw(/same length; got 2 and 3/);
    expect(() => adjustedRandIndex([], [])).to.throw(/labelsTrue is empty/);
    expect(() => clusterAccuracy([0, 1.5], [0, 1])).to.throw(/labelsTrue\[1\] is 1\.5; labels must be integers/);
    expect(() => clusterAccuracy([0, 1], [0, NaN])).to.throw(/labelsPred\[1\] is NaN/);
    expect(() => contingencyMatrix(null as any, [0])).to.throw(/labelsTrue must be an array/);
    expect(() => hungarian([[1], [2]])).to.throw(/no more rows than columns/);
  });
});
