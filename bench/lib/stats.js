'use strict';
/**
 * Per-iteration time from fits of two lengths.
 *
 * A fit costs fixed work (input validation, initialisation, a final E-step or label
 * pass, copying results out) plus one cost per iteration. Timing fits of `lo` and `hi`
 * iterations and taking the difference cancels the fixed part on both sides alike:
 *   perIter = (best(T_hi) − best(T_lo)) / (nIter_hi − nIter_lo),
 * with best = the minimum over repetitions (the least-disturbed run; noise on a shared
 * machine only ever adds time). The fixed part is reported too: best(T_lo) − nIter_lo·perIter.
 */
function perIteration(runs) {
  const byIter = new Map();
  for (const r of runs) {
    if (!byIter.has(r.maxIter)) byIter.set(r.maxIter, []);
    byIter.get(r.maxIter).push(r);
  }
  const keys = [...byIter.keys()].sort((a, b) => a - b);
  if (keys.length < 2) throw new Error(`perIteration needs fits of two lengths; got maxIter ${keys.join(', ')}`);
  const best = (k) => byIter.get(k).reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const lo = best(keys[0]);
  const hi = best(keys[keys.length - 1]);
  if (hi.nIter <= lo.nIter) {
    throw new Error(`fits of maxIter ${keys[0]} and ${keys[keys.length - 1]} both ran ${hi.nIter} iterations; cannot separate the per-iteration cost`);
  }
  const perIter = (hi.seconds - lo.seconds) / (hi.nIter - lo.nIter);
  const all = byIter.get(keys[keys.length - 1]).map((r) => r.seconds);
  return {
    perIter,
    fixed: lo.seconds - lo.nIter * perIter,
    total: hi.seconds,
    nIter: hi.nIter,
    reps: all.length,
    spread: (Math.max(...all) - Math.min(...all)) / Math.min(...all),
    last: hi,
  };
}

function relDiff(a, b) {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Sum of squared distances from each row of X to its nearest centre: the same yardstick for every K-Means. */
function inertia(X, centres) {
  const { rows: n, cols: d, data } = X;
  const k = centres.length;
  const c = Float64Array.from(centres.flat());
  let total = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const v = data[i * d + t] - c[j * d + t];
        s += v * v;
      }
      if (s < best) best = s;
    }
    total += best;
  }
  return total;
}

module.exports = { perIteration, relDiff, median, inertia };
