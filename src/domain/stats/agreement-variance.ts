/**
 * Standard errors and confidence intervals for multi-rater agreement coefficients (Gwet's AC1/AC2, generalized
 * Fleiss kappa, Brennan-Prediger, Krippendorff's alpha), conditional on the sample of raters, following
 * Gwet (2014, Handbook of Inter-Rater Reliability, 4th ed., ch. 5) as implemented by R irrCAC's *.raw functions.
 * Pure.
 *
 * Every variance has the linearisation form
 *   v(c) = ((1 - f) / (n (n - 1))) * sum_i (c*_i - c)^2,
 * where c*_i is unit i's linearised contribution (the mean of c*_i over units equals c), f the sampling
 * fraction of units (default 0), and the confidence interval is c ± t_{n-1, 1-α/2} × SE, capped above at 1
 * (as irrCAC does; the lower bound is not capped).
 */
import {
  agreementWeights,
  categoryScores,
  ratingsToCounts,
  raterCount,
  type Category,
  type RatingMatrix,
  type WeightScheme,
} from './agreement-data.ts';
import { betaQuantile } from './distributions.ts';

/**
 * Quantile of Student's t distribution with df degrees of freedom: the t with P(T <= t) = p.
 * Uses |t| = sqrt(df (1 - x) / x) with x = I^{-1}_{2 min(p, 1-p)}(df/2, 1/2) (regularized incomplete beta inverse).
 * Range: p in (0, 1), df > 0 (real); p = 0.5 -> 0; p = 0 -> -Infinity, p = 1 -> Infinity; otherwise NaN.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0) || !(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  const tail = Math.min(p, 1 - p);
  const x = betaQuantile(2 * tail, df / 2, 0.5);
  const t = Math.sqrt((df * (1 - x)) / x);
  return p < 0.5 ? -t : t;
}

export interface AgreementErrorOptions {
  /** Category list; default = observed categories. q = its length. */
  categories?: readonly Category[];
  /**
   * Agreement weights (default identity: AC1, Fleiss kappa, nominal alpha). 'linear' / 'quadratic' use
   * category values when numeric (see scores). For alpha, 'quadratic' equals interval alpha.
   */
  weights?: WeightScheme | number[][];
  /** Scores for linear / quadratic weights: category values (default when numeric) or positions ('ranks'). */
  scores?: 'values' | 'ranks';
  /** Confidence level of the interval, in (0, 1); default 0.95. */
  confidence?: number;
  /** Sampling fraction f = n / N of units (finite-population correction), in [0, 1]; default 0. */
  samplingFraction?: number;
}

/** A coefficient with its standard error and confidence interval. Nulls (with reason) when undefined. */
export interface CoefficientWithError {
  value: number | null;
  /** Standard error conditional on raters; null when the coefficient is undefined or n < 2. */
  se: number | null;
  /** [lower, upper] t-interval (upper capped at 1); null when se is null. */
  ci: [number, number] | null;
  confidence: number;
  /** Units used (AC1 / Fleiss / BP: units with >= 1 rating; alpha: units with >= 2 ratings). */
  n: number;
  raters: number;
  reason: string | null;
}

type Kind = 'gwet' | 'fleiss' | 'bp' | 'pa' | 'alpha';

interface Prepared {
  counts: number[][];
  weights: number[][];
  raters: number;
}

function prepare(ratings: RatingMatrix, options: AgreementErrorOptions): Prepared {
  const { categories, counts } = ratingsToCounts(ratings, options.categories);
  const weights = Array.isArray(options.weights)
    ? options.weights
    : agreementWeights(categoryScores(categories, options.scores ?? 'values'), options.weights ?? 'identity');
  return { counts, weights, raters: raterCount(ratings) };
}

const rowSum = (row: readonly number[]): number => row.reduce((a, b) => a + b, 0);

function validate(options: AgreementErrorOptions): { confidence: number; f: number } {
  const confidence = options.confidence ?? 0.95;
  const f = options.samplingFraction ?? 0;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be in (0, 1)');
  if (!(f >= 0 && f <= 1)) throw new RangeError('samplingFraction must be in [0, 1]');
  return { confidence, f };
}

/** r*_ik = sum_l w_kl r_il, and sum_k r_ik (r*_ik - 1) per unit. */
function weightedAgreement(row: readonly number[], w: number[][]): number {
  let s = 0;
  for (let k = 0; k < row.length; k++) {
    if (row[k] === 0) continue;
    let star = 0;
    for (let l = 0; l < row.length; l++) star += w[k]![l]! * row[l]!;
    s += row[k]! * (star - 1);
  }
  return s;
}

function finish(
  value: number,
  contributions: readonly number[],
  n: number,
  raters: number,
  confidence: number,
  f: number,
  centre: number = value,
): CoefficientWithError {
  if (n < 2) return { value, se: null, ci: null, confidence, n, raters, reason: 'fewer than two units: no standard error' };
  const ss = contributions.reduce((a, c) => a + (c - centre) ** 2, 0);
  const se = Math.sqrt(((1 - f) / (n * (n - 1))) * ss);
  const half = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * se;
  return { value, se, ci: [value - half, Math.min(1, value + half)], confidence, n, raters, reason: null };
}

const none = (reason: string, n: number, raters: number, confidence: number): CoefficientWithError => ({
  value: null,
  se: null,
  ci: null,
  confidence,
  n,
  raters,
  reason,
});

/**
 * AC1/AC2, Fleiss and Brennan-Prediger from counts (units x categories). Units with no rating are dropped;
 * n = remaining units, n2 = units with r_i >= 2. pa_i = sum_k r_ik (r*_ik - 1) / (r_i (r_i - 1)) (0 if r_i < 2),
 * pa = sum pa_i / n2, pi_k = mean_i r_ik / r_i, Pe as in chanceCorrectedFromCounts.
 * c*_i = (n / n2) (pa_i - Pe [r_i >= 2]) / (1 - Pe) - 2 (1 - c) (pe_i - Pe) / (1 - Pe), with
 * AC: pe_i = T_w / (q (q - 1)) * sum_k r_ik (1 - pi_k) / r_i;  Fleiss: pe_i = sum_k r_ik pibar_k / r_i,
 * pibar_k = (sum_l w_kl pi_l + sum_l w_lk pi_l) / 2;  BP: Pe is fixed, so the second term is absent;
 * percent agreement: Pe = 0 (irrCAC pa.coeff.raw).
 */
function chanceCorrectedWithError(kind: Exclude<Kind, 'alpha'>, p: Prepared, options: AgreementErrorOptions): CoefficientWithError {
  const { confidence, f } = validate(options);
  const w = p.weights;
  const q = w.length;
  const rows = p.counts.filter((row) => rowSum(row) >= 1);
  const n = rows.length;
  const r = rows.map(rowSum);
  const n2 = r.filter((x) => x >= 2).length;
  if (n2 === 0) return none('no unit has two or more ratings', n, p.raters, confidence);
  if (q < 2 && kind !== 'pa') return none('fewer than two categories', n, p.raters, confidence);
  const paI = rows.map((row, i) => (r[i]! >= 2 ? weightedAgreement(row, w) / (r[i]! * (r[i]! - 1)) : 0));
  const pa = paI.reduce((a, b) => a + b, 0) / n2;
  const pi = Array.from({ length: q }, (_, k) => rows.reduce((a, row, i) => a + row[k]! / r[i]!, 0) / n);
  const tw = w.reduce((a, row) => a + rowSum(row), 0);
  let pe: number;
  let peI: number[];
  if (kind === 'gwet') {
    const scale = tw / (q * (q - 1));
    pe = scale * pi.reduce((a, x) => a + x * (1 - x), 0);
    peI = rows.map((row, i) => (scale * row.reduce((a, x, k) => a + x * (1 - pi[k]!), 0)) / r[i]!);
  } else if (kind === 'fleiss') {
    pe = 0;
    for (let k = 0; k < q; k++) for (let l = 0; l < q; l++) pe += w[k]![l]! * pi[k]! * pi[l]!;
    const piBar = Array.from({ length: q }, (_, k) => {
      let s = 0;
      for (let l = 0; l < q; l++) s += (w[k]![l]! + w[l]![k]!) * pi[l]!;
      return s / 2;
    });
    peI = rows.map((row, i) => row.reduce((a, x, k) => a + x * piBar[k]!, 0) / r[i]!);
  } else if (kind === 'bp') {
    pe = tw / (q * q);
    peI = rows.map(() => pe);
  } else {
    pe = 0;
    peI = rows.map(() => 0);
  }
  if (1 - pe <= 1e-12) return none('chance agreement Pe = 1', n, p.raters, confidence);
  const value = (pa - pe) / (1 - pe);
  const contributions = rows.map(
    (_, i) => ((n / n2) * (paI[i]! - (r[i]! >= 2 ? pe : 0))) / (1 - pe) - (2 * (1 - value) * (peI[i]! - pe)) / (1 - pe),
  );
  return finish(value, contributions, n, p.raters, confidence, f);
}

/**
 * Gwet's AC1 (identity weights; AC2 with other weights) with its standard error and t-interval.
 * AC1 = (pa - Pe) / (1 - Pe), Pe = T_w / (q (q - 1)) sum_k pi_k (1 - pi_k); range (-inf, 1].
 * SE from the linearised unit terms c*_i = (n/n2)(pa_i - Pe)/(1 - Pe) - 2(1 - AC1)(pe_i - Pe)/(1 - Pe),
 * pe_i = T_w / (q (q - 1)) sum_k (r_ik / r_i)(1 - pi_k). Empty input or no unit with two ratings, q < 2 or Pe = 1:
 * value and se null with a reason; a single unit gives a value but se null.
 */
export function ac1WithError(ratings: RatingMatrix, options: AgreementErrorOptions = {}): CoefficientWithError {
  return chanceCorrectedWithError('gwet', prepare(ratings, options), options);
}

/**
 * Generalized Fleiss kappa with its standard error and t-interval. kappa = (pa - Pe) / (1 - Pe),
 * Pe = sum_kl w_kl pi_k pi_l; range (-inf, 1]. Unit terms: c*_i = (n/n2)(pa_i - Pe)/(1 - Pe) - 2(1 - kappa)(pe_i - Pe)/(1 - Pe),
 * pe_i = sum_k (r_ik / r_i) (sum_l (w_kl + w_lk) pi_l / 2). Undefined cases as for ac1WithError.
 */
export function fleissWithError(ratings: RatingMatrix, options: AgreementErrorOptions = {}): CoefficientWithError {
  return chanceCorrectedWithError('fleiss', prepare(ratings, options), options);
}

/**
 * Brennan-Prediger coefficient with its standard error and t-interval. BP = (pa - Pe) / (1 - Pe), Pe = T_w / q^2
 * (1/q unweighted), fixed, so c*_i = (n/n2)(pa_i - Pe [r_i >= 2]) / (1 - Pe). Range (-inf, 1].
 * Undefined cases as for ac1WithError (q counts the given categories, default the observed ones).
 */
export function brennanPredigerWithError(ratings: RatingMatrix, options: AgreementErrorOptions = {}): CoefficientWithError {
  return chanceCorrectedWithError('bp', prepare(ratings, options), options);
}

/**
 * Gwet's AC2: ac1WithError with agreement weights, quadratic unless options.weights says otherwise
 * ('linear', or an explicit matrix). Category values are the scores when numeric (options.scores).
 */
export function ac2WithError(ratings: RatingMatrix, options: AgreementErrorOptions = {}): CoefficientWithError {
  return ac1WithError(ratings, { ...options, weights: options.weights ?? 'quadratic' });
}

/**
 * Percent agreement (weighted when options.weights is given) with its standard error and t-interval, as
 * irrCAC pa.coeff.raw: pa = mean over units with r_i >= 2 of pa_i; unit terms c*_i = (n / n2) pa_i over the
 * n units with at least one rating (pa_i = 0 when r_i < 2). Range [0, 1]. Defined with a single category
 * (then 1); null only when no unit has two ratings; se null when n < 2.
 */
export function percentAgreementWithError(ratings: RatingMatrix, options: AgreementErrorOptions = {}): CoefficientWithError {
  return chanceCorrectedWithError('pa', prepare(ratings, options), options);
}

/**
 * Krippendorff's alpha (Gwet's formulation of irrCAC krippen.alpha.raw; identity weights = nominal alpha,
 * quadratic weights on numeric values = interval alpha) with standard error and t-interval.
 * Only units with r_i >= 2 ratings are used; n = their number, rbar = mean r_i, eps = 1 / sum r_i.
 * pa' = mean_i pa'_i, pa'_i = sum_k r_ik (r*_ik - 1) / (rbar (r_i - 1)); pa = (1 - eps) pa' + eps;
 * pi_k = mean_i r_ik / rbar; Pe = sum_kl w_kl pi_k pi_l; alpha = (pa - Pe) / (1 - Pe), range at most 1.
 * Unit terms: pa_i = pa'_i - pa' (r_i - rbar) / rbar; pe_i = sum_k r_ik pibar_k / rbar - Pe (r_i - rbar) / rbar,
 * pibar_k = sum_l (w_kl + w_lk) pi_l / 2; alpha' = (pa' - Pe) / (1 - Pe);
 * c*_i = (pa_i - Pe)/(1 - Pe) - 2(1 - alpha')(pe_i - Pe)/(1 - Pe); v = ((1 - f)/(n (n - 1))) sum_i (c*_i - alpha')^2
 * (the current irrCAC krippen.alpha.raw form). The t-interval uses n - 1 df with n = units with >= 2 ratings.
 * Caveat: irrCAC releases differ in this variance; results agree with the stored irrCAC outputs only to ~1e-4
 * with missing data and ~1e-3 on complete data (see tests).
 * Null value (with reason) when no unit has two ratings, q < 2 or Pe = 1; se null when n < 2.
 */
export function alphaWithError(ratings: RatingMatrix, options: AgreementErrorOptions = {}): CoefficientWithError {
  const { confidence, f } = validate(options);
  const p = prepare(ratings, options);
  const w = p.weights;
  const q = w.length;
  const rows = p.counts.filter((row) => rowSum(row) >= 2);
  const n = rows.length;
  if (n === 0) return none('no unit has two or more ratings', n, p.raters, confidence);
  if (q < 2) return none('fewer than two categories', n, p.raters, confidence);
  const r = rows.map(rowSum);
  const total = r.reduce((a, b) => a + b, 0);
  const rbar = total / n;
  const eps = 1 / total;
  const paPrimeI = rows.map((row, i) => weightedAgreement(row, w) / (rbar * (r[i]! - 1)));
  const paPrime = paPrimeI.reduce((a, b) => a + b, 0) / n;
  const pa = (1 - eps) * paPrime + eps;
  const pi = Array.from({ length: q }, (_, k) => rows.reduce((a, row) => a + row[k]!, 0) / (n * rbar));
  let pe = 0;
  for (let k = 0; k < q; k++) for (let l = 0; l < q; l++) pe += w[k]![l]! * pi[k]! * pi[l]!;
  if (1 - pe <= 1e-12) return none('chance agreement Pe = 1', n, p.raters, confidence);
  const value = (pa - pe) / (1 - pe);
  const piBar = Array.from({ length: q }, (_, k) => {
    let s = 0;
    for (let l = 0; l < q; l++) s += (w[k]![l]! + w[l]![k]!) * pi[l]!;
    return s / 2;
  });
  // The linearisation is that of alpha' = (pa' - Pe) / (1 - Pe) (the unit terms average to alpha'), so the
  // squared deviations are taken about alpha'; the interval is centred on alpha itself.
  const alphaPrime = (paPrime - pe) / (1 - pe);
  const contributions = rows.map((row, i) => {
    const paI = paPrimeI[i]! - (paPrime * (r[i]! - rbar)) / rbar;
    const peI = row.reduce((a, x, k) => a + x * piBar[k]!, 0) / rbar - (pe * (r[i]! - rbar)) / rbar;
    return (paI - pe) / (1 - pe) - (2 * (1 - alphaPrime) * (peI - pe)) / (1 - pe);
  });
  return finish(value, contributions, n, p.raters, confidence, f, alphaPrime);
}
