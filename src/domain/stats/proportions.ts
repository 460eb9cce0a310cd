/**
 * Binomial proportion intervals and sample-size planning. Pure.
 *
 * Every interval function returns { estimate, lower, upper, n, x, confidence, method }.
 * Empty case: n = 0 -> estimate null and the uninformative interval [0, 1].
 * Inputs: integers 0 <= x <= n, confidence in (0, 1); anything else throws RangeError.
 */
import { betaQuantile, zForConfidence } from './distributions.ts';

export type IntervalMethod = 'wilson' | 'clopper-pearson' | 'wald' | 'agresti-coull';

export interface ProportionInterval {
  /** x / n, or null when n = 0. */
  estimate: number | null;
  lower: number;
  upper: number;
  x: number;
  n: number;
  confidence: number;
  method: IntervalMethod;
}

function check(x: number, n: number, confidence: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(x) || x < 0 || x > n) throw new RangeError(`x must be an integer in [0, n], got ${x}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

function build(method: IntervalMethod, x: number, n: number, confidence: number, lower: number, upper: number): ProportionInterval {
  return { estimate: n === 0 ? null : x / n, lower, upper, x, n, confidence, method };
}

function empty(method: IntervalMethod, x: number, n: number, confidence: number): ProportionInterval | null {
  check(x, n, confidence);
  return n === 0 ? build(method, x, n, confidence, 0, 1) : null;
}

/**
 * Wilson score interval: (p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), p = x/n.
 * Range: always inside [0, 1]; lower = 0 exactly when x = 0 and upper = 1 exactly when x = n.
 */
export function wilson(x: number, n: number, confidence = 0.95): ProportionInterval {
  const e = empty('wilson', x, n, confidence);
  if (e) return e;
  const z = zForConfidence(confidence);
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return build('wilson', x, n, confidence, x === 0 ? 0 : clamp01(centre - half), x === n ? 1 : clamp01(centre + half));
}

/**
 * Clopper-Pearson "exact" interval from beta quantiles:
 * lower = Beta^-1(alpha/2; x, n - x + 1) (0 when x = 0), upper = Beta^-1(1 - alpha/2; x + 1, n - x) (1 when x = n).
 * Range: inside [0, 1]; conservative (coverage >= confidence).
 */
export function clopperPearson(x: number, n: number, confidence = 0.95): ProportionInterval {
  const e = empty('clopper-pearson', x, n, confidence);
  if (e) return e;
  const alpha = 1 - confidence;
  const lower = x === 0 ? 0 : betaQuantile(alpha / 2, x, n - x + 1);
  const upper = x === n ? 1 : betaQuantile(1 - alpha / 2, x + 1, n - x);
  return build('clopper-pearson', x, n, confidence, lower, upper);
}

/**
 * Wald interval p +- z sqrt(p(1-p)/n), clipped to [0, 1]. Degenerate ([p, p]) when x = 0 or x = n:
 * shown for comparison only; prefer Wilson or Clopper-Pearson.
 */
export function wald(x: number, n: number, confidence = 0.95): ProportionInterval {
  const e = empty('wald', x, n, confidence);
  if (e) return e;
  const z = zForConfidence(confidence);
  const p = x / n;
  const half = z * Math.sqrt((p * (1 - p)) / n);
  return build('wald', x, n, confidence, clamp01(p - half), clamp01(p + half));
}

/**
 * Agresti-Coull interval: n~ = n + z^2, p~ = (x + z^2/2) / n~, p~ +- z sqrt(p~(1-p~)/n~), clipped to [0, 1].
 */
export function agrestiCoull(x: number, n: number, confidence = 0.95): ProportionInterval {
  const e = empty('agresti-coull', x, n, confidence);
  if (e) return e;
  const z = zForConfidence(confidence);
  const nt = n + z * z;
  const pt = (x + (z * z) / 2) / nt;
  const half = z * Math.sqrt((pt * (1 - pt)) / nt);
  return build('agresti-coull', x, n, confidence, clamp01(pt - half), clamp01(pt + half));
}

/** Dispatch by method name. */
export function proportionInterval(method: IntervalMethod, x: number, n: number, confidence = 0.95): ProportionInterval {
  switch (method) {
    case 'wilson':
      return wilson(x, n, confidence);
    case 'clopper-pearson':
      return clopperPearson(x, n, confidence);
    case 'wald':
      return wald(x, n, confidence);
    case 'agresti-coull':
      return agrestiCoull(x, n, confidence);
  }
}

export interface SampleSizeInput {
  /** Desired half-width e of the (Wald) interval, in (0, 1). */
  margin: number;
  /** Confidence level in (0, 1), default 0.95. */
  confidence?: number;
  /** Anticipated proportion p in [0, 1], default 0.5 (the worst case). */
  expectedP?: number;
  /** Finite population (queue) size N >= 1; omitted = infinite population. */
  population?: number;
}

/**
 * Sample size for a margin of error e: n0 = z^2 p(1-p) / e^2; with a finite population N,
 * n = n0 / (1 + (n0 - 1) / N); result = ceil(n), at least 1 and at most N.
 * Degenerate: p = 0 or p = 1 gives n0 = 0 -> 1. Invalid inputs throw RangeError.
 */
export function sampleSizeForMargin(input: SampleSizeInput): number {
  const { margin, confidence = 0.95, expectedP = 0.5, population } = input;
  if (!(margin > 0 && margin < 1)) throw new RangeError(`margin must be in (0, 1), got ${margin}`);
  if (!(expectedP >= 0 && expectedP <= 1)) throw new RangeError(`expectedP must be in [0, 1], got ${expectedP}`);
  if (population !== undefined && !(Number.isInteger(population) && population >= 1)) {
    throw new RangeError(`population must be a positive integer, got ${population}`);
  }
  const z = zForConfidence(confidence);
  let n = (z * z * expectedP * (1 - expectedP)) / (margin * margin);
  if (n === 0) return 1; // p = 0 or 1: any single item gives margin 0 (and 0 / 0 in the correction for N = 1)
  if (population !== undefined) n = n / (1 + (n - 1) / population);
  // Guard against float noise such as 384.00000000000006 turning into 385.
  let result = Math.max(1, Math.ceil(n - 1e-9));
  if (population !== undefined) result = Math.min(result, population);
  return result;
}

/**
 * Margin of error (half-width) for a sample of n: e = z sqrt(p(1-p)/n), times the finite population
 * correction sqrt((N - n) / (N - 1)) when population N is given (0 when n = N; N = 1 -> 0).
 * Range: e >= 0. n must be a positive integer (n <= N); p in [0, 1] (default 0.5).
 */
export function marginOfError(n: number, p = 0.5, confidence = 0.95, population?: number): number {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  const z = zForConfidence(confidence);
  let e = z * Math.sqrt((p * (1 - p)) / n);
  if (population !== undefined) {
    if (!(Number.isInteger(population) && population >= n)) throw new RangeError(`population must be an integer >= n, got ${population}`);
    e *= population === 1 ? 0 : Math.sqrt((population - n) / (population - 1));
  }
  return e;
}
