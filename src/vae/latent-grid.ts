/**
 * The points of a 2-D latent grid, the one definition shared by `VAE.latentGrid`
 * (which decodes them) and src/plot's `manifoldGrid` (which labels the axes with
 * them). Pure arithmetic, no tfjs: src/plot imports this file directly.
 */
import { checkOptionNames, optionNames } from '../options';
import { normalQuantile } from './normal-quantile';

/**
 * How the n values along an axis are spaced:
 * - `'linear'`: evenly over `range`, both ends included — the axes read as z values;
 * - `'quantile'`: zᵢ = Φ⁻¹(pᵢ) with the pᵢ evenly spaced in (0, 1), so each row and
 *   column covers the same share of the N(0, 1) prior (Kingma & Welling's manifold figure).
 */
export type LatentSpacing = 'linear' | 'quantile';

export interface LatentGridOptions {
  /** Default 'linear'. */
  spacing?: LatentSpacing;
  /** Linear spacing: [low, high] (default [-3, 3]). */
  range?: readonly [number, number];
  /**
   * Quantile spacing: pᵢ evenly spaced over [pLow, pHigh], both ends included.
   * Default pᵢ = (i + ½)/n: the centres of n slices of equal prior mass.
   */
  probabilities?: readonly [number, number];
}

/** A linear range `[low, high]` (the short form), or the options. */
export type LatentGridSpec = readonly [number, number] | LatentGridOptions;

/** A latent grid in display order: rows from the top (largest z₂) down, columns left to right. */
export interface LatentGrid {
  /** n·n points [z₁, z₂]: point k = i·n + j has z₁ = xValues[j], z₂ = yValues[n − 1 − i]. */
  points: [number, number][];
  /** The n values along z₁, ascending. */
  xValues: number[];
  /** The n values along z₂, ascending. */
  yValues: number[];
}

const DEFAULT_RANGE: readonly [number, number] = [-3, 3];

/** The n ascending values along one axis of a latent grid. */
export function latentGridValues(n: number, spec: LatentGridSpec = DEFAULT_RANGE): number[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`latentGrid: n must be a positive integer; got ${n}.`);
  const options = asOptions(spec);
  if (options.spacing === 'quantile') {
    const p = options.probabilities;
    if (p !== undefined) {
      return Array.from({ length: n }, (_, i) => normalQuantile(n === 1 ? (p[0] + p[1]) / 2 : p[0] + ((p[1] - p[0]) * i) / (n - 1)));
    }
    // Mirrored from the lower half, so the grid is exactly symmetric about 0.
    const lower = (i: number): number => normalQuantile((i + 0.5) / n);
    return Array.from({ length: n }, (_, i) => (2 * i < n - 1 ? lower(i) : 2 * i === n - 1 ? 0 : -lower(n - 1 - i)));
  }
  const [lo, hi] = options.range ?? DEFAULT_RANGE;
  return Array.from({ length: n }, (_, i) => (n === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (n - 1)));
}

/**
 * The n × n grid over z₁ (spaced by `x`) and z₂ (spaced by `y`, default the same),
 * in the order `VAE.latentGrid` decodes and `manifoldGrid` displays.
 */
export function latentGrid(n: number, x: LatentGridSpec = DEFAULT_RANGE, y: LatentGridSpec = x): LatentGrid {
  const xValues = latentGridValues(n, x), yValues = latentGridValues(n, y);
  const points: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) points.push([xValues[j], yValues[n - 1 - i]]);
  return { points, xValues, yValues };
}

/** The points of `latentGrid(n, spec)`: what `VAE.latentGrid(n, spec)` decodes, image k from point k. */
export function latentGridPoints(n: number, spec: LatentGridSpec = DEFAULT_RANGE): [number, number][] {
  return latentGrid(n, spec).points;
}

/** Validated options, whichever form `spec` came in. */
function asOptions(spec: LatentGridSpec): LatentGridOptions {
  if (Array.isArray(spec)) {
    checkPair(spec, 'range', (lo, hi) => lo < hi, '[low, high] with low < high');
    return { spacing: 'linear', range: spec as readonly [number, number] };
  }
  if (spec === null || typeof spec !== 'object') throw new Error(`latentGrid: expected a range [low, high] or options { spacing, range, probabilities }; got ${spec === null ? 'null' : typeof spec}.`);
  checkOptionNames(spec, optionNames<LatentGridOptions>({ spacing: true, range: true, probabilities: true }), 'latentGrid');
  const options = spec as LatentGridOptions;
  const spacing = options.spacing ?? 'linear';
  if (spacing !== 'linear' && spacing !== 'quantile') throw new Error(`latentGrid: spacing must be 'linear' or 'quantile'; got ${JSON.stringify(spacing)}.`);
  if (spacing === 'linear' && options.probabilities !== undefined) throw new Error("latentGrid: probabilities apply to spacing 'quantile'; for 'linear' give a range.");
  if (spacing === 'quantile' && options.range !== undefined) throw new Error("latentGrid: range applies to spacing 'linear'; for 'quantile' give probabilities [pLow, pHigh].");
  if (options.range !== undefined) checkPair(options.range, 'range', (lo, hi) => lo < hi, '[low, high] with low < high');
  if (options.probabilities !== undefined) {
    checkPair(options.probabilities, 'probabilities', (lo, hi) => lo > 0 && lo < hi && hi < 1, '[pLow, pHigh] with 0 < pLow < pHigh < 1');
  }
  return { ...options, spacing };
}

function checkPair(pair: unknown, name: string, ok: (lo: number, hi: number) => boolean, expected: string): void {
  const valid = Array.isArray(pair) && pair.length === 2 && pair.every((v) => typeof v === 'number' && Number.isFinite(v)) && ok(pair[0], pair[1]);
  if (!valid) throw new Error(`latentGrid: ${name} must be ${expected}; got ${Array.isArray(pair) ? `[${pair.join(', ')}]` : JSON.stringify(pair)}.`);
}
