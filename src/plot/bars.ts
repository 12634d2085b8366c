/**
 * Grouped bar charts: scores of several methods on several data sets, the
 * summary figure of a comparison, with each bar's value written above it.
 */
import { checkOptionNames, optionNames } from '../options';
import { Figure, LayoutOptions, Trace, baseLayout, colorOf, LAYOUT_OPTIONS } from './figure';
import { numberArray } from './inputs';

/** One bar per category: a method's score on each data set. */
export interface BarSeries {
  name: string;
  values: ArrayLike<number>;
  /** Default: the palette colour of the series' index. */
  color?: string;
}

export interface GroupedBarsOptions extends LayoutOptions {
  /** Decimals of the value written above each bar, or false for none (default 2). */
  valueLabels?: number | false;
  /** Fixed y range, e.g. [0, 1.12] for scores in [0, 1] with room for the labels (default: automatic). */
  yRange?: [number, number];
  /** Gap between groups, as a fraction of a group's width (default 0.25). */
  bargap?: number;
}

/**
 * One group of bars per category, one bar per series in each group:
 * `groupedBars(['round', 'stretched'], [{ name: 'K-Means', values: [0.98, 0.6] }, ...])`,
 * or with series as a record `{ 'K-Means': [0.98, 0.6], GMM: [...] }`.
 */
export function groupedBars(
  categories: ArrayLike<string>,
  series: BarSeries[] | Record<string, ArrayLike<number>>,
  options: GroupedBarsOptions = {},
): Figure {
  checkOptionNames(options, optionNames<GroupedBarsOptions>({ ...LAYOUT_OPTIONS, valueLabels: true, yRange: true, bargap: true }), 'groupedBars');
  if (categories === null || typeof categories !== 'object' || typeof categories.length !== 'number' || categories.length === 0) {
    throw new Error(`categories must be a non-empty array of names; got ${categories === null ? 'null' : typeof categories === 'object' ? 'an empty array' : typeof categories}.`);
  }
  const cats = Array.from(categories, String);
  const list: BarSeries[] = Array.isArray(series)
    ? series
    : Object.entries(series ?? {}).map(([name, values]) => ({ name, values }));
  if (list.length === 0) throw new Error('series must hold at least one series, e.g. [{ name: "K-Means", values: [...] }].');
  const digits = options.valueLabels ?? 2;
  if (digits !== false && !(Number.isInteger(digits) && digits >= 0 && digits <= 20)) {
    throw new Error(`valueLabels must be a number of decimals in [0, 20] or false; got ${JSON.stringify(digits)}.`);
  }
  const data: Trace[] = list.map((s, i) => {
    if (s === null || typeof s !== 'object' || typeof s.name !== 'string') throw new Error(`series[${i}] must be { name, values }.`);
    const values = numberArray(s.values, `series[${i}] (${s.name}).values`, cats.length);
    return {
      type: 'bar', name: s.name, x: cats, y: values, marker: { color: s.color ?? colorOf(i) },
      ...(digits === false ? {} : {
        text: values.map((v) => v.toFixed(digits)), textposition: 'outside', textfont: { size: 10 }, cliponaxis: false,
      }),
    };
  });
  if (options.yRange !== undefined) {
    const r = options.yRange;
    if (!(Array.isArray(r) && r.length === 2 && Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] < r[1])) {
      throw new Error(`yRange must be [min, max] with min < max; got ${JSON.stringify(r)}.`);
    }
  }
  return {
    data,
    layout: baseLayout(options, {
      barmode: 'group', bargap: options.bargap ?? 0.25,
      xaxis: { showgrid: false },
      ...(options.yRange ? { yaxis: { range: [...options.yRange] } } : {}),
    }),
  };
}
