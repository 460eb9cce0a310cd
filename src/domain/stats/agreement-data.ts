/**
 * Shared shapes for agreement statistics: rating matrices, category handling, count tables. Pure.
 *
 * Ratings matrix: rows = units (items), columns = raters (coders); null (or undefined) = missing.
 * Counts matrix: rows = units, columns = categories, entry = how many raters put the unit in that category.
 */

export type Category = number | string;
export type Rating = Category | null | undefined;
export type RatingMatrix = ReadonlyArray<ReadonlyArray<Rating>>;
export type CountMatrix = ReadonlyArray<ReadonlyArray<number>>;

/** Result of a chance-corrected coefficient. value is null (with reason) when it is undefined. */
export interface Coefficient {
  value: number | null;
  reason: string | null;
  /** Observed agreement (or 1 - observed disagreement ratio) and chance agreement, where defined. */
  po: number | null;
  pe: number | null;
  /** Number of units that contributed (units with at least two ratings). */
  n: number;
  /** Number of raters (columns of a rating matrix, or ratings per unit for fixed-rater count input). */
  raters: number;
}

export function undefinedCoefficient(reason: string, n: number, raters: number, po: number | null = null, pe: number | null = null): Coefficient {
  return { value: null, reason, po, pe, n, raters };
}

const isPresent = (r: Rating): r is Category => r !== null && r !== undefined && !(typeof r === 'number' && Number.isNaN(r));

/** Numbers ascending, then strings in code-point order. */
export function sortCategories(values: Iterable<Category>): Category[] {
  const unique = [...new Set(values)];
  return unique.sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'number') return -1;
    if (typeof b === 'number') return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** Distinct observed categories, sorted (see sortCategories). */
export function observedCategories(ratings: RatingMatrix): Category[] {
  return sortCategories(ratings.flatMap((row) => row.filter(isPresent)));
}

/** Present (non-missing) ratings of one unit. */
export function presentRatings(row: ReadonlyArray<Rating>): Category[] {
  return row.filter(isPresent);
}

/**
 * Turns a ratings matrix into per-unit category counts. categories defaults to the observed ones;
 * a rating outside a given category list throws RangeError.
 * Written as plain loops (no per-row filter / flatMap): every coefficient starts here, and the
 * benchmark (scripts/bench/stats.ts) runs it on 20,000 units x 5 raters.
 */
export function ratingsToCounts(ratings: RatingMatrix, categories?: readonly Category[]): { categories: Category[]; counts: number[][] } {
  let cats: Category[];
  if (categories) cats = [...categories];
  else {
    const seen = new Set<Category>();
    for (const row of ratings) {
      for (let j = 0; j < row.length; j++) {
        const r = row[j];
        if (isPresent(r)) seen.add(r);
      }
    }
    cats = sortCategories(seen);
  }
  const index = new Map<Category, number>(cats.map((c, i) => [c, i]));
  const q = cats.length;
  const counts = new Array<number[]>(ratings.length);
  for (let u = 0; u < ratings.length; u++) {
    const row = ratings[u]!;
    const out = new Array<number>(q).fill(0);
    for (let j = 0; j < row.length; j++) {
      const r = row[j];
      if (!isPresent(r)) continue;
      const i = index.get(r);
      if (i === undefined) throw new RangeError(`rating ${String(r)} is not one of the categories`);
      out[i]! += 1;
    }
    counts[u] = out;
  }
  return { categories: cats, counts };
}

/** Number of raters = the widest row of a ratings matrix. */
export function raterCount(ratings: RatingMatrix): number {
  return ratings.reduce((m, row) => Math.max(m, row.length), 0);
}

/** Transpose a rectangular matrix (e.g. coders x units -> units x coders). Ragged rows pad with null. */
export function transpose<T>(matrix: ReadonlyArray<ReadonlyArray<T>>): Array<Array<T | null>> {
  const width = matrix.reduce((m, row) => Math.max(m, row.length), 0);
  return Array.from({ length: width }, (_, j) => matrix.map((row) => (j < row.length ? row[j]! : null)));
}

/**
 * Expands a square contingency table (rows = rater A's category, cols = rater B's) into a units x 2 matrix
 * whose categories are the indices 0..q-1. Counts must be non-negative integers.
 */
export function tableToRatings(table: CountMatrix): number[][] {
  const out: number[][] = [];
  table.forEach((row, i) =>
    row.forEach((count, j) => {
      if (!Number.isInteger(count) || count < 0) throw new RangeError('table counts must be non-negative integers');
      for (let k = 0; k < count; k++) out.push([i, j]);
    }),
  );
  return out;
}

export type WeightScheme = 'identity' | 'linear' | 'quadratic';

/**
 * Agreement weights between categories with numeric scores s (1 on the diagonal):
 * identity: [k = l]; linear: 1 - |s_k - s_l| / (max - min); quadratic: 1 - (s_k - s_l)^2 / (max - min)^2.
 * With a single category (max = min) every weight is 1.
 */
export function agreementWeights(scores: readonly number[], scheme: WeightScheme): number[][] {
  const span = scores.length ? Math.max(...scores) - Math.min(...scores) : 0;
  return scores.map((a, k) =>
    scores.map((b, l) => {
      if (scheme === 'identity' || span === 0) return k === l ? 1 : scheme === 'identity' ? 0 : 1;
      const d = Math.abs(a - b) / span;
      return scheme === 'linear' ? 1 - d : 1 - d * d;
    }),
  );
}

/** Scores used for weights: the category values when all are numbers and scores = 'values', else positions 0..q-1. */
export function categoryScores(categories: readonly Category[], scores: 'values' | 'ranks' = 'values'): number[] {
  const numeric = categories.every((c) => typeof c === 'number');
  return categories.map((c, i) => (scores === 'values' && numeric ? (c as number) : i));
}
