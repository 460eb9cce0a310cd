/**
 * Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability") for nominal,
 * ordinal, interval and ratio data with missing values, via the coincidence matrix. Pure.
 */
import {
  ratingsToCounts,
  raterCount,
  undefinedCoefficient,
  type Category,
  type Coefficient,
  type CountMatrix,
  type RatingMatrix,
} from './agreement-data.ts';

export type AlphaLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export interface KrippendorffAlpha extends Coefficient {
  level: AlphaLevel;
  /** Number of pairable values n.. (values in units with at least two values). */
  pairableValues: number;
  /** Observed and expected disagreement; alpha = 1 - Do / De. */
  observedDisagreement: number | null;
  expectedDisagreement: number | null;
}

/**
 * Squared difference delta^2(c, k) between categories at index c, k (values sorted ascending):
 * nominal [c != k]; ordinal (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2; interval (v_c - v_k)^2;
 * ratio ((v_c - v_k) / (v_c + v_k))^2 (0 when both are 0).
 */
function delta(level: AlphaLevel, values: readonly number[], nc: readonly number[], c: number, k: number): number {
  if (c === k) return 0;
  switch (level) {
    case 'nominal':
      return 1;
    case 'ordinal': {
      const [lo, hi] = c < k ? [c, k] : [k, c];
      let s = 0;
      for (let g = lo; g <= hi; g++) s += nc[g]!;
      return (s - (nc[lo]! + nc[hi]!) / 2) ** 2;
    }
    case 'interval':
      return (values[c]! - values[k]!) ** 2;
    case 'ratio': {
      const sum = values[c]! + values[k]!;
      return sum === 0 ? 0 : ((values[c]! - values[k]!) / sum) ** 2;
    }
  }
}

/**
 * Alpha from value counts per unit (units x categories; values[k] = numeric value of column k, ascending;
 * for nominal data any distinct numbers will do). Coincidences: o_ck = sum_u n_uc (n_uk - [c = k]) / (m_u - 1)
 * over units with m_u >= 2 values; n_c = sum_k o_ck; n = sum n_c.
 * alpha = 1 - (n - 1) sum o_ck delta^2_ck / sum n_c n_k delta^2_ck. Range: at most 1 (1 = perfect,
 * 0 = chance, < 0 = systematic disagreement). Null when fewer than two pairable values, or expected disagreement is 0 (one value only).
 */
export function krippendorffAlphaFromCounts(counts: CountMatrix, values: readonly number[], level: AlphaLevel, raters = 0): KrippendorffAlpha {
  const q = values.length;
  const o = Array.from({ length: q }, () => new Array<number>(q).fill(0));
  let units = 0;
  for (const row of counts) {
    const m = row.reduce((a, b) => a + b, 0);
    if (m < 2) continue;
    units += 1;
    for (let c = 0; c < q; c++) {
      if (row[c] === 0) continue;
      for (let k = 0; k < q; k++) o[c]![k]! += (row[c]! * (row[k]! - (c === k ? 1 : 0))) / (m - 1);
    }
  }
  const nc = o.map((row) => row.reduce((a, b) => a + b, 0));
  const n = nc.reduce((a, b) => a + b, 0);
  const base = { level, pairableValues: n, observedDisagreement: null, expectedDisagreement: null };
  if (n < 2) return { ...undefinedCoefficient('fewer than two pairable values', units, raters), ...base };
  let dObs = 0;
  let dExp = 0;
  for (let c = 0; c < q; c++) for (let k = 0; k < q; k++) {
    const d = delta(level, values, nc, c, k);
    dObs += o[c]![k]! * d;
    dExp += nc[c]! * nc[k]! * d;
  }
  const observed = dObs / n;
  const expected = dExp / (n * (n - 1));
  if (expected <= 0) {
    return { ...undefinedCoefficient('no variation: expected disagreement is 0', units, raters), ...base, observedDisagreement: observed, expectedDisagreement: expected };
  }
  const alpha = 1 - observed / expected;
  return { value: alpha, reason: null, po: 1 - observed, pe: 1 - expected, n: units, raters, ...base, observedDisagreement: observed, expectedDisagreement: expected };
}

/**
 * Krippendorff's alpha from a ratings matrix: rows = units, columns = coders, null = missing.
 * Nominal accepts any labels; ordinal, interval and ratio need numbers (ordinal uses only their order).
 * See krippendorffAlphaFromCounts for the formula and degenerate cases. n = units with >= 2 values.
 */
export function krippendorffAlpha(ratings: RatingMatrix, level: AlphaLevel = 'nominal'): KrippendorffAlpha {
  const { categories, counts } = ratingsToCounts(ratings);
  const numeric = categories.every((c): c is number => typeof c === 'number');
  if (level !== 'nominal' && !numeric) throw new RangeError(`${level} alpha needs numeric values`);
  const values = numeric ? (categories as number[]) : categories.map((_: Category, i) => i);
  return krippendorffAlphaFromCounts(counts, values, level, raterCount(ratings));
}
