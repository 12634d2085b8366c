/**
 * Image sets and their loaders: no silent wrapping, no empty split, no shared mutable
 * cache, bounded gzip inflation, and clear errors for arguments of the wrong kind.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { loadIdx, loadMnist, makeImageSet, mnistDigits, parseIdx } from '../src/vae';

const four = new Float32Array(2 * 4).fill(0.5); // two 2×2 images

describe('makeImageSet labels', () => {
  const cases: [string, unknown[], RegExp][] = [
    ['300 (would wrap to 44)', [1, 300], /labels\[1\] is 300; labels must be integers in 0\.\.255/],
    ['-1 (would wrap to 255)', [-1, 0], /labels\[0\] is -1; labels must be integers in 0\.\.255/],
    ['1.5 (would truncate to 1)', [0, 1.5], /labels\[1\] is 1\.5; labels must be integers/],
    ['NaN (would store 0)', [NaN, 1], /labels\[0\] is NaN/],
    ['null (would store 0)', [1, null], /labels\[1\] is null/],
    ["'3' (would be coerced)", ['3', 1], /labels\[0\] is the string "3"/],
  ];
  for (const [what, labels, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(() => makeImageSet(four, { width: 2, height: 2, labels: labels as number[] })).to.throw(message);
    });
  }
  it('keeps integer labels 0..255, given as numbers or bytes', () => {
    expect(Array.from(makeImageSet(four, { width: 2, height: 2, labels: [0, 255] }).labels!)).to.deep.equal([0, 255]);
    expect(Array.from(makeImageSet(four, { width: 2, height: 2, labels: Uint8Array.of(3, 4) }).labels!)).to.deep.equal([3, 4]);
  });
});

describe('loadMnist: splits with an empty side are refused', () => {
  it('testFraction 1e-4 would leave the test set empty', () => {
    expect(() => loadMnist({ testFraction: 1e-4 })).to.throw(/loadMnist: testFraction 0\.0001 leaves the test set empty \(0 of 10000 images\); use a testFraction of at least/);
  });
  it('testFraction 0.9999 would leave the training set empty', () => {
    expect(() => loadMnist({ testFraction: 0.9999 })).to.throw(/loadMnist: testFraction 0\.9999 leaves the training set empty \(0 of 10000 images\); use a testFraction of at most/);
  });
  it('the smallest fraction it suggests works', () => {
    const m = /at least ([0-9.e-]*[0-9])/.exec(errorMessage(() => loadMnist({ testFraction: 1e-4 })))!;
    const split = loadMnist({ testFraction: Number(m[1]) });
    expect(split.test.count).to.be.greaterThan(0);
  });
});

describe('mnistDigits: the cache is not shared with callers', () => {
  it('mutating the returned set does not change later loadMnist() or mnistDigits()', () => {
    const before = loadMnist();
    const digits = mnistDigits();
    digits.images.fill(1);
    digits.labels!.fill(7);
    digits.count = 3;
    const after = loadMnist();
    expect(after.train.count).to.equal(before.train.count);
    expect(Buffer.from(after.train.images.buffer).equals(Buffer.from(before.train.images.buffer))).to.equal(true);
    expect(Array.from(after.test.labels!)).to.deep.equal(Array.from(before.test.labels!));
    expect(mnistDigits().labels![0]).to.equal(0);
    expect(mnistDigits().count).to.equal(10000);
  });
});

function errorMessage(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

function idxHeader(dims: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return header;
}

describe('loadIdx / parseIdx: bounded inflation and argument checks', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'idx-robust-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // 3 × 1000 × 1000 zero pixels: 3 MB inflated from about 3 KB of gzip.
  const bomb = () => gzipSync(Buffer.concat([idxHeader([3, 1000, 1000]), Buffer.alloc(3e6)]));

  it('stops inflating at maxBytes and says how to raise it', () => {
    const path = join(dir, 'bomb.gz');
    writeFileSync(path, bomb());
    expect(() => loadIdx(path, undefined, { maxBytes: 1e6 })).to.throw(/bomb\.gz: gzip data inflates to more than 1000000 bytes \(the maxBytes limit\); .*raise it with \{ maxBytes \}/);
    expect(() => parseIdx(bomb(), 'bomb', { maxBytes: 1e6 })).to.throw(/bomb: gzip data inflates to more than 1000000 bytes/);
    expect(loadIdx(path, undefined, { maxBytes: 4e6 }).count).to.equal(3);
  });

  it('has a default bound that a gzip bomb hits before allocating it', () => {
    // 600 MB of zeros behind a header; streamed through gzip so the test does not hold it.
    const zlib = require('zlib') as typeof import('zlib');
    const gz = zlib.createGzip({ level: 1 });
    const chunks: Buffer[] = [];
    gz.on('data', (c: Buffer) => chunks.push(c));
    gz.write(idxHeader([600, 1000, 1000]));
    const zero = Buffer.alloc(1 << 20);
    for (let i = 0; i < 600e6 / (1 << 20); i++) gz.write(zero);
    return new Promise<void>((resolve, reject) => {
      gz.end(() => {
        try {
          expect(() => parseIdx(Buffer.concat(chunks), 'big')).to.throw(/big: gzip data inflates to more than 268435456 bytes \(the maxBytes limit\)/);
          resolve();
        } catch (err) {
          reject(err);
        }
      });
    });
  });

  it('rejects bad maxBytes', () => {
    const bytes = bomb();
    for (const bad of [0, -1, 1.5, NaN, '1e6']) {
      expect(() => parseIdx(bytes, 'x', { maxBytes: bad as number })).to.throw(/maxBytes must be a positive integer number of bytes/);
    }
  });

  it('rejects paths that are not strings instead of reading a file descriptor', () => {
    expect(() => loadIdx(0 as any)).to.throw(/loadIdx: imagesPath must be a file path \(a non-empty string\); got 0/);
    expect(() => loadIdx('')).to.throw(/loadIdx: imagesPath must be a file path \(a non-empty string\); got ''/);
    const path = join(dir, 'ok');
    writeFileSync(path, Buffer.concat([idxHeader([1, 1, 1]), Buffer.from([9])]));
    expect(() => loadIdx(path, 1 as any)).to.throw(/loadIdx: labelsPath must be a file path \(a non-empty string\); got 1/);
  });

  it('parseIdx(null) and other non-byte arguments name what they got', () => {
    expect(() => parseIdx(null as any)).to.throw(/parseIdx: bytes must be a Uint8Array \(or Buffer\); got null/);
    expect(() => parseIdx('abc' as any)).to.throw(/parseIdx: bytes must be a Uint8Array \(or Buffer\); got the string "abc"/);
    expect(() => parseIdx([0, 0, 8, 1] as any)).to.throw(/got an array of 4/);
  });
});
