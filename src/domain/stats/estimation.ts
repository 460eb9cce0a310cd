/**
 * Design-based estimation of population accuracy from a risk-based QA sample. Pure.
 *
 * A risk-based plan oversamples some decisions (rare, severe, new-hire...), so the plain mean of the
 * reviewed outcomes ("sample accuracy") is biased for the population. The Hajek estimator weights each
 * reviewed decision by w_i = 1 / pi_i (pi_i = its inclusion probability) and its variance comes from the
 * stratified design (Taylor linearisation, with-replacement approximation within strata).
 */
import { zForConfidence } from './distributions.ts';
import { wilson, type ProportionInterval } from './proportions.ts';
import { accumulateSums, totalFromSums, type TotalEstimate } from './ratio-estimation.ts';

/** One reviewed decision of the QA sample. */
export interface SampledOutcome {
  /** 1 = the decision was correct, 0 = it was wrong. */
  y: number;
  /** Inclusion probability pi in (0, 1]: the chance the sampling plan picked this decision. */
  pi: number;
  /** Stratum label h of the sampling design (e.g. "severe", "new-hire", "routine"). */
  stratum: string;
}

export interface HajekOptions {
  /** Confidence level in (0, 1), default 0.95. */
  confidence?: number;
}

export interface HajekResult {
  /** Weighted (Hajek) population accuracy sum(w y) / sum(w), or null when the sample is empty. */
  estimate: number | null;
  /** Linearised design-based variance of the estimate (null when empty). */
  variance: number | null;
  /** Standard error sqrt(variance) (null when empty). */
  se: number | null;
  /** estimate -+ z * se clipped to [0, 1]; [0, 1] when empty. */
  lower: number;
  upper: number;
  confidence: number;
  /** Number of reviewed decisions. */
  n: number;
  /** Number of distinct strata in the sample. */
  strata: number;
  /** Sum of weights = estimated population size N-hat (0 when empty). */
  estimatedPopulation: number;
  /**
   * Design effect: variance / (p(1-p)/n), the variance relative to simple random sampling with
   * replacement of the same n; null when empty or when p in {0, 1} (the SRS variance is 0).
   */
  designEffect: number | null;
  /** Kish's effective sample size (sum w)^2 / sum w^2, in [1, n]; null when empty. */
  effectiveSampleSize: number | null;
  /** The unweighted "sample accuracy" sum(y) / n with its Wilson interval (not a population figure). */
  sampleAccuracy: ProportionInterval;
  /** Strata with a single reviewed decision (they contribute 0 to the variance, so it is understated). */
  singletonStrata: string[];
  /** Human-readable caveats (singleton strata...). */
  warnings: string[];
  /** Why estimate is null (empty sample); undefined otherwise. */
  reason?: string;
}

/**
 * Hajek (ratio) estimate of population accuracy from a stratified, unequal-probability QA sample.
 *
 * Formulas, with w_i = 1 / pi_i and W = sum_i w_i:
 * - estimate p = sum_i w_i y_i / W (always in [0, 1]).
 * - residuals e_i = w_i (y_i - p) / W; per stratum h with n_h items, mean e_h-bar;
 *   variance = sum_h n_h / (n_h - 1) * sum_{i in h} (e_i - e_h-bar)^2 (with-replacement approximation
 *   within strata, i.e. no finite population correction: conservative for without-replacement designs).
 *   A stratum with n_h = 1 contributes 0 and is listed in singletonStrata and in a warning.
 *   With one stratum and equal pi this reduces exactly to p(1 - p) / (n - 1).
 * - CI: p -+ z se, z = zForConfidence(confidence), clipped to [0, 1].
 * - designEffect = variance / (p(1 - p) / n); effectiveSampleSize (Kish) = W^2 / sum_i w_i^2.
 * Invariance: multiplying every pi by the same constant leaves estimate, variance and CI unchanged.
 * Empty input: estimate, variance, se, designEffect, effectiveSampleSize null, CI [0, 1], reason set.
 * Validation: y must be 0 or 1 and pi in (0, 1] (finite), stratum a string, confidence in (0, 1);
 * otherwise RangeError naming the offending index.
 */
export function hajekProportion(items: readonly SampledOutcome[], options: HajekOptions = {}): HajekResult {
  const confidence = options.confidence ?? 0.95;
  const z = zForConfidence(confidence); // throws RangeError for an invalid confidence
  items.forEach((item, i) => {
    if (item.y !== 0 && item.y !== 1) throw new RangeError(`items[${i}].y must be 0 or 1, got ${item.y}`);
    if (!(Number.isFinite(item.pi) && item.pi > 0 && item.pi <= 1)) {
      throw new RangeError(`items[${i}].pi must be in (0, 1], got ${item.pi}`);
    }
    if (typeof item.stratum !== 'string') throw new RangeError(`items[${i}].stratum must be a string`);
  });
  const n = items.length;
  const correct = items.reduce((s, it) => s + it.y, 0);
  const sampleAccuracy = wilson(correct, n, confidence);
  if (n === 0) {
    return {
      estimate: null,
      variance: null,
      se: null,
      lower: 0,
      upper: 1,
      confidence,
      n: 0,
      strata: 0,
      estimatedPopulation: 0,
      designEffect: null,
      effectiveSampleSize: null,
      sampleAccuracy,
      singletonStrata: [],
      warnings: [],
      reason: 'empty sample: no reviewed decisions',
    };
  }

  const w = items.map((it) => 1 / it.pi);
  let sumW = 0;
  let sumWY = 0;
  let sumW2 = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    sumW += wi;
    sumWY += wi * items[i]!.y;
    sumW2 += wi * wi;
  }
  const p = Math.min(1, Math.max(0, sumWY / sumW));

  const byStratum = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const e = (w[i]! * (items[i]!.y - p)) / sumW;
    const list = byStratum.get(items[i]!.stratum);
    if (list) list.push(e);
    else byStratum.set(items[i]!.stratum, [e]);
  }
  let variance = 0;
  const singletonStrata: string[] = [];
  for (const [h, es] of byStratum) {
    const nh = es.length;
    if (nh === 1) {
      singletonStrata.push(h);
      continue;
    }
    const mean = es.reduce((s, e) => s + e, 0) / nh;
    const ss = es.reduce((s, e) => s + (e - mean) * (e - mean), 0);
    variance += (nh / (nh - 1)) * ss;
  }
  const se = Math.sqrt(variance);
  const warnings: string[] = [];
  if (singletonStrata.length > 0) {
    warnings.push(
      `${singletonStrata.length} stratum/strata with a single reviewed decision contribute 0 to the variance ` +
        `(the standard error is understated): ${singletonStrata.join(', ')}`,
    );
  }
  const srs = (p * (1 - p)) / n;
  return {
    estimate: p,
    variance,
    se,
    lower: Math.max(0, p - z * se),
    upper: Math.min(1, p + z * se),
    confidence,
    n,
    strata: byStratum.size,
    estimatedPopulation: sumW,
    designEffect: srs > 0 ? variance / srs : null,
    effectiveSampleSize: (sumW * sumW) / sumW2,
    sampleAccuracy,
    singletonStrata,
    warnings,
  };
}

export interface HorvitzThompsonOptions {
  /** Confidence level in (0, 1), default 0.95. */
  confidence?: number;
  /** Known population size N (the frame, e.g. from sampling_strata_daily); enables the proportion. */
  populationSize?: number;
}

export interface HorvitzThompsonResult {
  /** Estimated number of correct decisions in the population, sum w y, with its stratified variance. */
  correct: TotalEstimate;
  /** Sum of weights N-hat (compare with the known N: a large gap means the pi are off). */
  estimatedPopulation: number;
  populationSize: number | null;
  /**
   * Horvitz-Thompson accuracy sum(w y) / N with se / N and the Wald interval clipped to [0, 1]; null without
   * populationSize. Unbiased, but noisier than Hajek when N-hat varies; prefer hajekProportion for reporting.
   */
  proportion: { estimate: number; variance: number; se: number; lower: number; upper: number } | null;
}

/**
 * Horvitz-Thompson estimate of the number (and, given N, the share) of correct decisions from a stratified,
 * unequal-probability QA sample: T = sum_i y_i / pi_i, v(T) = sum_h n_h / (n_h - 1) sum_{i in h} (w_i y_i - mean_h)^2
 * (with-replacement approximation, as hajekProportion). Validation as hajekProportion; populationSize must
 * be a positive finite number.
 */
export function horvitzThompson(items: readonly SampledOutcome[], options: HorvitzThompsonOptions = {}): HorvitzThompsonResult {
  const { confidence = 0.95, populationSize } = options;
  const z = zForConfidence(confidence);
  if (populationSize !== undefined && !(Number.isFinite(populationSize) && populationSize > 0)) {
    throw new RangeError(`populationSize must be positive, got ${populationSize}`);
  }
  items.forEach((item, i) => {
    if (item.y !== 0 && item.y !== 1) throw new RangeError(`items[${i}].y must be 0 or 1, got ${item.y}`);
    if (!(Number.isFinite(item.pi) && item.pi > 0 && item.pi <= 1)) throw new RangeError(`items[${i}].pi must be in (0, 1], got ${item.pi}`);
  });
  const sums = accumulateSums(items.map((it) => ({ stratum: it.stratum, w: 1 / it.pi, a: it.y, b: 1 })));
  const correct = totalFromSums(sums, { confidence });
  const estimatedPopulation = sums.reduce((a, s) => a + s.sumWB, 0);
  let proportion: HorvitzThompsonResult['proportion'] = null;
  if (populationSize !== undefined) {
    const estimate = correct.estimate / populationSize;
    const se = correct.se / populationSize;
    proportion = { estimate, variance: se * se, se, lower: Math.max(0, estimate - z * se), upper: Math.min(1, estimate + z * se) };
  }
  return { correct, estimatedPopulation, populationSize: populationSize ?? null, proportion };
}
