import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { requirePiece } from './support/setup-pieces';
import { ImageSet, loadIdx, loadMnist, makeImageSet, mnistDigits, parseIdx, subsetImages, takeImages } from '../src/vae';

function imageKey(set: ImageSet, i: number): string {
  return Buffer.from(set.images.buffer, set.images.byteOffset + i * 784 * 4, 784 * 4).toString('base64');
}

function idxBytes(type: number, dims: number[], values: ArrayLike<number>): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(values))]);
}

function expectThrow(f: () => unknown, pattern: RegExp): void {
  expect(f).to.throw(pattern);
}

describe('loadMnist', () => {
  it('splits each digit class 80/20 and keeps all 10,000 digits', () => {
    const { train, test } = loadMnist();
    expect(train.count + test.count).to.equal(10000);
    expect([train.width, train.height, test.width, test.height]).to.deep.equal([28, 28, 28, 28]);
    expect(train.images.length).to.equal(train.count * 784);
    const all = mnistDigits();
    for (let d = 0; d < 10; d++) {
      const n = all.labels!.filter((l) => l === d).length;
      const inTest = test.labels!.filter((l) => l === d).length;
      expect(inTest).to.equal(Math.round(0.2 * n));
      expect(train.labels!.filter((l) => l === d).length).to.equal(n - inTest);
    }
  });

  it('never puts a test digit in train, and the same seed gives the same split', () => {
    const a = loadMnist({ seed: 0 });
    const trainKeys = new Set(Array.from({ length: a.train.count }, (_, i) => imageKey(a.train, i)));
    for (let i = 0; i < a.test.count; i++) expect(trainKeys.has(imageKey(a.test, i))).to.equal(false);
    // The package has no duplicate images, so 10,000 distinct keys means nothing was lost.
    expect(trainKeys.size + a.test.count).to.equal(10000);
    const b = loadMnist({ seed: 0 });
    expect(b.test.images).to.deep.equal(a.test.images);
    expect(b.train.labels).to.deep.equal(a.train.labels);
    const c = loadMnist({ seed: 1 });
    expect(c.test.images).to.not.deep.equal(a.test.images);
  });

  it('mixes the classes and keeps pixels in [0, 1]', () => {
    const { test } = loadMnist();
    expect(new Set(test.labels!.subarray(0, 50)).size).to.be.greaterThan(5);
    let min = Infinity, max = -Infinity;
    for (const v of test.images) { min = Math.min(min, v); max = Math.max(max, v); }
    expect(min).to.equal(0);
    expect(max).to.be.at.most(1);
    expect(max).to.be.above(0.9);
  });

  it('honours testFraction and rejects impossible ones', () => {
    const { test } = loadMnist({ testFraction: 0.1 });
    expect(test.count).to.be.closeTo(1000, 5);
    expectThrow(() => loadMnist({ testFraction: 1 }), /testFraction must be in \(0, 1\); got 1/);
    expectThrow(() => loadMnist({ testFraction: 0 }), /testFraction/);
  });
});

describe('image set helpers', () => {
  it('takes and subsets images with their labels', () => {
    const { test } = loadMnist();
    const t = takeImages(test, [5, 2]);
    expect(t.count).to.equal(2);
    expect(t.images.subarray(0, 784)).to.deep.equal(test.images.subarray(5 * 784, 6 * 784));
    expect(Array.from(t.labels!)).to.deep.equal([test.labels![5], test.labels![2]]);
    expect(subsetImages(test, 10).images).to.deep.equal(test.images.subarray(0, 7840));
    const r = subsetImages(test, 10, { seed: 3 });
    expect(r.count).to.equal(10);
    expect(r.images).to.not.deep.equal(test.images.subarray(0, 7840));
    expect(subsetImages(test, 10, { seed: 3 }).images).to.deep.equal(r.images);
    expectThrow(() => takeImages(test, [test.count]), /index 2000 \(position 0\) is out of range 0\.\.1999/);
    expectThrow(() => subsetImages(test, 0), /n must be a positive integer/);
  });

  it('builds image sets from nested rows and checks their sizes', () => {
    const set = makeImageSet([[0, 0.5, 1, 0.25]], { width: 2, height: 2, labels: [7] });
    expect(set.count).to.equal(1);
    expect(Array.from(set.images)).to.deep.equal([0, 0.5, 1, 0.25]);
    expectThrow(() => makeImageSet([[0, 1, 0]], { width: 2, height: 2 }), /images\[0\] has 3 pixels; expected width × height = 4/);
    expectThrow(() => makeImageSet(new Float32Array(5), { width: 2, height: 2 }), /5 pixel values are not a whole number of 2×2 images/);
    expectThrow(() => makeImageSet(new Float32Array(8), { width: 2, height: 2, labels: [1] }), /1 labels for 2 images/);
  });
});

describe('IDX files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vae-idx-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const pixels = [0, 255, 51, 102, 0, 0, 255, 255, 1, 2, 3, 4]; // 3 images of 2×2
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('reads raw and gzipped images and labels, scaling pixels to [0, 1]', () => {
    const raw = idxBytes(0x08, [3, 2, 2], pixels);
    const labels = idxBytes(0x08, [3], [7, 1, 9]);
    for (const [imgs, labs] of [
      [write('raw-images', raw), write('raw-labels', labels)],
      [write('images.gz', gzipSync(raw)), write('labels.gz', gzipSync(labels))],
    ]) {
      const set = loadIdx(imgs, labs);
      expect([set.count, set.height, set.width]).to.deep.equal([3, 2, 2]);
      expect(Array.from(set.images)).to.deep.equal(pixels.map((p) => Math.fround(p / 255)));
      expect(Array.from(set.labels!)).to.deep.equal([7, 1, 9]);
    }
    expect(loadIdx(write('only-images', raw)).labels).to.equal(undefined);
  });

  it('names a bad magic number, a truncated file and extra bytes', () => {
    expectThrow(() => loadIdx(write('png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))), /bad magic number 0x89504e47; not an IDX file/);
    expectThrow(() => loadIdx(write('float', idxBytes(0x0d, [1, 1, 1], [0, 0, 0, 0]))), /value type 0xd is not supported/);
    const full = idxBytes(0x08, [3, 2, 2], pixels);
    expectThrow(() => loadIdx(write('short', full.subarray(0, full.length - 3))), /truncated: the header promises 3×2×2 = 12 values but only 9 bytes follow/);
    expectThrow(() => loadIdx(write('short-header', full.subarray(0, 10))), /truncated header \(10 of 16 bytes\)/);
    expectThrow(() => loadIdx(write('short.gz', gzipSync(full).subarray(0, 20))), /gzip data is corrupt or truncated/);
    expectThrow(() => loadIdx(write('long', Buffer.concat([full, Buffer.from([1])]))), /1 unexpected bytes after/);
    expectThrow(() => parseIdx(new Uint8Array([0, 0]), 'tiny'), /tiny: only 2 bytes/);
  });

  it('names image/label count mismatches, wrong ranks and missing files', () => {
    const imgs = write('i3', idxBytes(0x08, [3, 2, 2], pixels));
    expectThrow(() => loadIdx(imgs, write('l2', idxBytes(0x08, [2], [1, 2]))), /3 images in .*i3 but 2 labels in .*l2/);
    expectThrow(() => loadIdx(write('rank1', idxBytes(0x08, [4], [1, 2, 3, 4]))), /expected 3 dimensions .* got 1 \(4\)/);
    expectThrow(() => loadIdx(imgs, imgs), /expected 1 dimension for labels; got 3/);
    expectThrow(() => loadIdx(join(dir, 'nope.gz')), /cannot read .*nope\.gz: no such file/);
  });
});

/** Debian's dataset-fashion-mnist, which `npm test` installs first (scripts/setup.js). */
describe('IDX files: Fashion-MNIST from Debian', function () {
  this.timeout(60000);
  const dir = '/usr/share/datasets/fashion-mnist';
  const file = (name: string): string => join(dir, name);

  it('reads the 10,000 gzipped test images: 28×28, 1,000 of each class, pixels spanning [0, 1]', function () {
    requirePiece(this, 'fashion-mnist', existsSync(file('t10k-images-idx3-ubyte.gz')), `Fashion-MNIST is missing in ${dir}`);
    const set = loadIdx(file('t10k-images-idx3-ubyte.gz'), file('t10k-labels-idx1-ubyte.gz'));
    expect([set.count, set.height, set.width]).to.deep.equal([10000, 28, 28]);
    expect(set.images.length).to.equal(10000 * 784);
    const perClass = new Array(10).fill(0);
    set.labels!.forEach((l) => perClass[l]++);
    expect(perClass).to.deep.equal(new Array(10).fill(1000));
    let min = Infinity, max = -Infinity, sum = 0;
    for (const v of set.images) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    expect([min, max]).to.deep.equal([0, 1]);
    // Clothes cover far more of the frame than digits do (MNIST's mean pixel is about 0.13).
    expect(sum / set.images.length).to.be.within(0.2, 0.4);
  });
});
