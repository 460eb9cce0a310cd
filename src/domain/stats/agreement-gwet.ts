/**
 * Gwet's AC1 (nominal) and AC2 (weighted), plus the generalized Fleiss kappa and Brennan-Prediger
 * coefficient on the same footing, for any number of raters with missing ratings (Gwet 2014, ch. 2-3). Pure.
 */
import {
  agreementWeights,
  categoryScores,
  ratingsToCounts,
  raterCount,
  undefinedCoefficient,
  type Category,
  type Coefficient,
  type CountMatrix,
  type RatingMatrix,
  type WeightScheme,
} from './agreement-data.ts';

export interface GwetOptions {
  /** Category list; default = observed categories. q = its length. */
  categories?: readonly Category[];
  /** Agreement weights (default identity = AC1); 'quadratic' / 'linear' use category values when numeric. */
  weights?: WeightScheme | number[][];
  /** Scores for linear / quadratic weights: category values (default when numeric) or positions ('ranks'). */
  scores?: 'values' | 'ranks';
}

export interface ChanceCorrected {
  gwet: Coefficient;
  fleiss: Coefficient;
  brennanPrediger: Coefficient;
}

/**
 * From a counts matrix r_ik (units x categories; units may have different numbers of ratings r_i) and agreement
 * weights w (q x q, 1 on the diagonal):
 * Pa = mean over units with r_i >= 2 of sum_k r_ik (r*_ik - 1) / (r_i (r_i - 1)), r*_ik = sum_l w_kl r_il;
 * pi_k = mean over units with r_i >= 1 of r_ik / r_i;
 * Gwet AC1/AC2: Pe = T_w / (q (q - 1)) * sum_k pi_k (1 - pi_k), T_w = sum of all weights;
 * Fleiss (generalized): Pe = sum_kl w_kl pi_k pi_l; Brennan-Prediger: Pe = T_w / q^2.
 * coefficient = (Pa - Pe) / (1 - Pe), range (-inf, 1]. Null when no unit has two ratings, q < 2, or Pe = 1.
 * raters = the given raters count (the counts form cannot know it).
 */
export function chanceCorrectedFromCounts(counts: CountMatrix, weights: number[][], raters: number): ChanceCorrected {
  const q = weights.length;
  const rated = counts.filter((row) => row.reduce((a, b) => a + b, 0) >= 1);
  const paired = rated.filter((row) => row.reduce((a, b) => a + b, 0) >= 2);
  const n = paired.length;
  const none = (reason: string): ChanceCorrected => ({
    gwet: undefinedCoefficient(reason, n, raters),
    fleiss: undefinedCoefficient(reason, n, raters),
    brennanPrediger: undefinedCoefficient(reason, n, raters),
  });
  if (n === 0) return none('no unit has two or more ratings');
  if (q < 2) return none('fewer than two categories');
  let pa = 0;
  for (const row of paired) {
    const ri = row.reduce((a, b) => a + b, 0);
    let s = 0;
    for (let k = 0; k < q; k++) {
      const star = row.reduce((a, r, l) => a + weights[k]![l]! * r, 0);
      s += row[k]! * (star - 1);
    }
    pa += s / (ri * (ri - 1));
  }
  pa /= n;
  const pi = Array.from({ length: q }, (_, k) => rated.reduce((a, row) => a + row[k]! / row.reduce((x, y) => x + y, 0), 0) / rated.length);
  const tw = weights.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
  const make = (pe: number): Coefficient =>
    1 - pe <= 1e-12
      ? undefinedCoefficient('chance agreement Pe = 1', n, raters, pa, pe)
      : { value: (pa - pe) / (1 - pe), reason: null, po: pa, pe, n, raters };
  const peGwet = (tw / (q * (q - 1))) * pi.reduce((a, p) => a + p * (1 - p), 0);
  let peFleiss = 0;
  for (let k = 0; k < q; k++) for (let l = 0; l < q; l++) peFleiss += weights[k]![l]! * pi[k]! * pi[l]!;
  return { gwet: make(peGwet), fleiss: make(peFleiss), brennanPrediger: make(tw / (q * q)) };
}

function weightsFor(categories: readonly Category[], options: GwetOptions): number[][] {
  if (Array.isArray(options.weights)) return options.weights;
  return agreementWeights(categoryScores(categories, options.scores ?? 'values'), options.weights ?? 'identity');
}

/**
 * Gwet's AC1 (identity weights) or AC2 (other weights) from a ratings matrix (units x raters, null = missing).
 * See chanceCorrectedFromCounts for the formula and degenerate cases. Units with no rating are ignored.
 */
export function gwetAC(ratings: RatingMatrix, options: GwetOptions = {}): Coefficient {
  return chanceCorrected(ratings, options).gwet;
}

/** AC1, generalized Fleiss kappa and Brennan-Prediger together from a ratings matrix (units x raters). */
export function chanceCorrected(ratings: RatingMatrix, options: GwetOptions = {}): ChanceCorrected {
  const { categories, counts } = ratingsToCounts(ratings, options.categories);
  return chanceCorrectedFromCounts(counts, weightsFor(categories, options), raterCount(ratings));
}

/**
 * Gwet's AC1 from a counts matrix (units x categories). q = number of columns. raters defaults to the largest
 * row sum.
 */
export function gwetAC1FromCounts(counts: CountMatrix, raters?: number): Coefficient {
  const q = counts[0]?.length ?? 0;
  const m = raters ?? counts.reduce((a, row) => Math.max(a, row.reduce((x, y) => x + y, 0)), 0);
  return chanceCorrectedFromCounts(counts, agreementWeights(Array.from({ length: q }, (_, i) => i), 'identity'), m).gwet;
}
