import { expect } from 'chai';
import { Random, checkRandomState } from '../src/random';
import { toMatrix } from '../src/matrix';

describe('Random', () => {
  it('repeats its stream for the same seed and differs across seeds', () => {
    const a = new Random(42), b = new Random(42), c = new Random(43);
    const xs = Array.from({ length: 5 }, () => a.random());
    expect(Array.from({ length: 5 }, () => b.random())).to.deep.equal(xs);
    expect(Array.from({ length: 5 }, () => c.random())).to.not.deep.equal(xs);
  });

  it('draws standard normals with mean 0 and variance 1', () => {
    const r = new Random(7);
    let s = 0, s2 = 0;
    const n = 200000;
    for (let i = 0; i < n; i++) { const z = r.normal(); s += z; s2 += z * z; }
    expect(s / n).to.be.closeTo(0, 0.01);
    expect(s2 / n).to.be.closeTo(1, 0.01);
  });

  it('shuffles into a permutation and draws weighted indices in proportion', () => {
    const r = new Random(1);
    const p = Array.from(r.permutation(100)).sort((x, y) => x - y);
    expect(p).to.deep.equal(Array.from({ length: 100 }, (_, i) => i));
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[r.weightedIndex([1, 0, 2])]++;
    expect(counts[1]).to.equal(0);
    expect(counts[2] / counts[0]).to.be.closeTo(2, 0.1);
  });

  it('treats an undefined random state as seed 0 and rejects nonsense', () => {
    expect(checkRandomState(undefined).random()).to.equal(new Random(0).random());
    expect(() => checkRandomState(NaN)).to.throw(/randomState/);
  });
});

describe('toMatrix', () => {
  it('accepts nested arrays and matrices alike', () => {
    const m = toMatrix([[1, 2], [3, 4], [5, 6]]);
    expect(m.rows).to.equal(3);
    expect(m.cols).to.equal(2);
    expect(Array.from(m.data)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(toMatrix(m)).to.equal(m);
  });

  it('names each kind of bad input', () => {
    expect(() => toMatrix([])).to.throw(/empty/);
    expect(() => toMatrix([1, 2, 3] as any)).to.throw(/1-D/);
    expect(() => toMatrix([[1, 2], [3]])).to.throw(/ragged.*row 1/);
    expect(() => toMatrix([[1, NaN]])).to.throw(/NaN at row 0, column 1/);
    expect(() => toMatrix([[1], [Infinity]])).to.throw(/Infinity at row 1/);
    expect(() => toMatrix({ rows: 2, cols: 2, data: new Float64Array(3) })).to.throw(/3 values/);
    expect(() => toMatrix('abc' as any)).to.throw(/2-D array/);
  });
});
