/**
 * A small seeded random number generator, so that every random choice in the
 * library (initialisation, data sets, sampling, shuffling) is reproducible.
 *
 * xoshiro128** (Blackman & Vigna) seeded through splitmix32: fast, 32-bit
 * friendly, and good enough statistically for everything done here.
 */

/** A seed, or an existing generator to draw from (like scikit-learn's `random_state`). */
export type RandomState = number | Random | undefined;

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  constructor(seed: number = 0) {
    checkSeed(seed, 'Random seed');
    // splitmix32 expands one 32-bit seed into four well-mixed state words.
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform double in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.random();
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new Error(`Random.int needs a positive integer bound; got ${n}.`);
    return Math.floor(this.random() * n);
  }

  /** A standard normal draw (Marsaglia's polar method). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return mean + std * u * f;
  }

  /** Shuffle `array` in place (Fisher–Yates) and return it. */
  shuffle<T extends { length: number; [i: number]: any }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /**
   * k distinct integers of 0..n-1, each set equally likely, in random order: Floyd's
   * sampling (k draws, no O(n) buffer), then shuffled, because Floyd's order is not uniform.
   */
  sample(n: number, k: number): number[] {
    const chosen = new Set<number>();
    for (let j = n - k; j < n; j++) {
      const t = this.int(j + 1);
      chosen.add(chosen.has(t) ? j : t);
    }
    return this.shuffle(Array.from(chosen));
  }

  /** An index drawn with probability proportional to `weights` (non-negative, not all zero). */
  weightedIndex(weights: ArrayLike<number>, total?: number): number {
    let sum = total ?? 0;
    if (total === undefined) for (let i = 0; i < weights.length; i++) sum += weights[i];
    let r = this.random() * sum;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    // Rounding can leave r ≥ 0 after the loop: return the last index with weight.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
    throw new Error('weightedIndex: all weights are zero.');
  }

  /** An independent copy in the same state: it draws the same numbers from here on. */
  clone(): Random {
    return Object.assign(Object.create(Random.prototype) as Random, this);
  }

  /** A 31-bit seed for a child generator, so sub-tasks get independent streams. */
  nextSeed(): number {
    return this.nextUint32() >>> 1;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Resolve a `RandomState`: a seed makes a new generator, a generator is used as is.
 * Unlike scikit-learn, `undefined` means seed 0, not "unpredictable": every run of
 * this library is reproducible unless the caller asks otherwise with a seed of their own.
 */
export function checkRandomState(state: RandomState, name = 'randomState'): Random {
  if (state instanceof Random) return state;
  if (state === undefined) return new Random(0);
  return new Random(checkSeed(state, name));
}

/**
 * The one rule for seeds, scikit-learn's: an integer in [0, 2**32 − 1]. Anything else is
 * an error rather than silently folded onto another seed (1.5 onto 1, 2**32 + 1 onto 0).
 */
export function checkSeed(seed: unknown, name: string): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`${name} must be an integer in [0, 2**32 − 1]; got ${typeof seed === 'string' ? `'${seed}'` : String(seed)}.`);
  }
  return seed;
}
