/**
 * The Hajek ratio of ratio-estimation.ts computed from per-group totals of per-stratum terms, so that a
 * database can sum a slice's strata itself and hand over one row per group instead of one per group and
 * design stratum. Pure. docs/decisions/0007 ("Summing strata in the database").
 *
 * ratioFromSums needs, per stratum h, the domain sums A_h = sum w a, B_h = sum w b, AA_h = sum w^2 a^2,
 * AB_h = sum w^2 a b, BB_h = sum w^2 b^2, the domain count n_h(dom) and the design count n_h. Its variance
 *   v(R) = sum_h c_h [ (AA_h - 2 R AB_h + R^2 BB_h) - (A_h - R B_h)^2 / n_h ] / D^2,  c_h = n_h / (n_h - 1) (0 when n_h < 2)
 * is a quadratic in R whose coefficients are sums over strata of terms that do not involve R:
 *   v(R) = (Q_AA - 2 R Q_AB + R^2 Q_BB) / D^2,   Q_XY = sum_h c_h (XY_h - X_h Y_h / n_h),
 * so the group totals n, A, B, BB (for Kish's effective size) and Q_AA, Q_AB, Q_BB give R, v(R) and the
 * interval exactly as ratioFromSums does (to rounding: it clips each stratum's bracket at 0, a no-op
 * but for rounding, where this clips the total). `stratumTerms` is the one definition of a stratum's
 * terms; the metrics repository computes the same expressions in SQL (c_h stored beside the design
 * count) and only adds them up.
 */
import { finishRatio, type RatioEstimate, type RatioOptions, type StratumSums } from './ratio-estimation.ts';
import { zForConfidence } from './distributions.ts';
import type { CellCoefficients } from './confusion-estimation.ts';

/** Additive over strata (and over groups of disjoint strata): add two field by field. */
export interface RatioTerms {
  /** Domain items with b != 0. */
  n: number;
  /** Strata with n > 0, and those among them whose design sample is a single item (they add 0 to the variance). */
  strata: number;
  singletonStrata: number;
  sumWA: number;
  sumWB: number;
  sumW2BB: number;
  /** Q_AA, Q_AB, Q_BB: sum_h c_h (XY_h - X_h Y_h / n_h) with c_h = n_h / (n_h - 1), 0 when n_h < 2. */
  qAA: number;
  qAB: number;
  qBB: number;
}

const TERM_FIELDS = ['n', 'strata', 'singletonStrata', 'sumWA', 'sumWB', 'sumW2BB', 'qAA', 'qAB', 'qBB'] as const;

/** z per confidence, computed once: an agent table estimates hundreds of groups at one confidence. */
const Z_BY_CONFIDENCE = new Map<number, number>();
function zFor(confidence: number): number {
  let z = Z_BY_CONFIDENCE.get(confidence);
  if (z === undefined) Z_BY_CONFIDENCE.set(confidence, (z = zForConfidence(confidence)));
  return z;
}

export const EMPTY_TERMS: RatioTerms = { n: 0, strata: 0, singletonStrata: 0, sumWA: 0, sumWB: 0, sumW2BB: 0, qAA: 0, qAB: 0, qBB: 0 };

/** The terms of one stratum (n_h = nStratum). */
export function stratumTerms(s: StratumSums): RatioTerms {
  const nh = s.nStratum;
  const c = nh >= 2 ? nh / (nh - 1) : 0;
  return {
    n: s.n,
    strata: s.n > 0 ? 1 : 0,
    singletonStrata: s.n > 0 && nh === 1 ? 1 : 0,
    sumWA: s.sumWA,
    sumWB: s.sumWB,
    sumW2BB: s.sumW2BB,
    qAA: c * (s.sumW2AA - (s.sumWA * s.sumWA) / (nh || 1)),
    qAB: c * (s.sumW2AB - (s.sumWA * s.sumWB) / (nh || 1)),
    qBB: c * (s.sumW2BB - (s.sumWB * s.sumWB) / (nh || 1)),
  };
}

export function addTerms(a: RatioTerms, b: RatioTerms): RatioTerms {
  return {
    n: a.n + b.n,
    strata: a.strata + b.strata,
    singletonStrata: a.singletonStrata + b.singletonStrata,
    sumWA: a.sumWA + b.sumWA,
    sumWB: a.sumWB + b.sumWB,
    sumW2BB: a.sumW2BB + b.sumW2BB,
    qAA: a.qAA + b.qAA,
    qAB: a.qAB + b.qAB,
    qBB: a.qBB + b.qBB,
  };
}

/** The terms of a domain from its per-stratum sums (each stratum once, as ratioFromSums takes them). */
export function termsOf(strata: readonly StratumSums[]): RatioTerms {
  return strata.reduce((total, s) => addTerms(total, stratumTerms(s)), EMPTY_TERMS);
}

/**
 * ratioFromSums from the group's summed terms: the same estimate, variance, standard error, interval,
 * n, strata count, D and Kish's size (checked in tests against ratioFromSums to 1e-12). Only the
 * singleton strata's names are lost (`singletonStrata` is empty; the warning counts them), and the
 * per-stratum validation is the caller's (the repository counts strata without a usable design count).
 */
export function ratioFromTerms(terms: RatioTerms, options: RatioOptions = {}): RatioEstimate {
  const confidence = options.confidence ?? 0.95;
  const z = zFor(confidence);
  const kind = options.kind ?? 'proportion';
  const interval = options.interval ?? (kind === 'proportion' ? 'design-wilson' : 'wald');
  if (kind === 'mean' && interval !== 'wald') throw new RangeError('a mean has only the wald interval');
  const { n, sumWA, sumWB, sumW2BB } = terms;
  for (const name of TERM_FIELDS) if (!Number.isFinite(terms[name])) throw new RangeError(`terms.${name} must be finite`);
  if (kind === 'proportion') {
    const slack = 1e-9 * Math.max(1, Math.abs(sumWB));
    if (sumWA < -slack || sumWA > sumWB + slack || sumWB < -slack) throw new RangeError('a proportion needs 0 <= sum w a <= sum w b');
  }
  const warnings =
    terms.singletonStrata === 0
      ? []
      : [`${terms.singletonStrata} stratum/strata with a single reviewed decision contribute 0 to the variance (the standard error is understated)`];
  const base = { kind, interval, confidence, n, strata: terms.strata, estimatedPopulation: sumWB, intervalSampleSize: null, designEffect: null, singletonStrata: [] };
  if (n === 0 || !(sumWB > 0)) {
    const empty = kind === 'proportion' ? { lower: 0, upper: 1 } : { lower: null, upper: null };
    return {
      ...base,
      ...empty,
      warnings: [],
      estimate: null,
      variance: null,
      se: null,
      effectiveSampleSize: null,
      reason: n === 0 ? 'empty domain: no reviewed items' : 'the denominator sum(w b) is 0',
    };
  }
  const D = sumWB;
  const raw = sumWA / D;
  const R = kind === 'proportion' ? Math.min(1, Math.max(0, raw)) : raw;
  const bracket = terms.qAA - 2 * R * terms.qAB + R * R * terms.qBB;
  // A bracket within the rounding of its own terms is 0 (every outcome equal: all correct, one score):
  // left as it comes, the noise of a different order of additions would show as a standard error of
  // order sqrt(1e-16), so two exact computations of the same figure would disagree (docs/decisions/0014).
  const magnitude = Math.abs(terms.qAA) + 2 * Math.abs(R * terms.qAB) + R * R * Math.abs(terms.qBB);
  const variance = bracket <= 1e-12 * magnitude ? 0 : bracket / (D * D);
  return {
    ...base,
    ...finishRatio(R, variance, { kind, interval, n, kish: (D * D) / sumW2BB, z, bounds: options.bounds }),
    warnings,
  };
}

/* ---------- a stratum's domain sums from a rollup's column sums ---------- */

/** A linear combination of a stratum's column sums: column -> coefficient. */
export type Combination = Readonly<Record<string, number>>;

/**
 * How a stratum's DomainSums come from the sums of rollup columns over the slice's rows of that stratum
 * (the repository's per-stratum step). `inDomain`, when given, is the stratum's items in the slice
 * whatever b: then n_h = max(design count, inDomain) (several labels pooled can count a review more than
 * once, as in metric-estimates' confusion path); otherwise n_h is the design count. `sampleA` / `sampleB`
 * are the unweighted numerator and denominator (the plain sample value shown beside the estimate).
 * A stratum with n = 0, sumWA = 0 and sumWB = 0 adds nothing, and needs no design count, when `skipEmpty`.
 */
export interface StratumSumsSpec {
  n: Combination;
  sumWA: Combination;
  sumWB: Combination;
  sumW2AA: Combination;
  sumW2AB: Combination;
  sumW2BB: Combination;
  inDomain?: Combination;
  sampleA?: Combination;
  sampleB?: Combination;
  skipEmpty?: boolean;
}

/** The columns a spec reads. */
export function specColumns(spec: StratumSumsSpec): string[] {
  const combos = [spec.n, spec.sumWA, spec.sumWB, spec.sumW2AA, spec.sumW2AB, spec.sumW2BB, spec.inDomain, spec.sampleA, spec.sampleB];
  return [...new Set(combos.flatMap((c) => (c ? Object.keys(c) : [])))];
}

export const combine = (combination: Combination | undefined, columns: Readonly<Record<string, number>>): number =>
  combination ? Object.entries(combination).reduce((total, [column, k]) => total + k * (columns[column] ?? 0), 0) : 0;

/** A proportion of reviews: a = the outcome's indicator, b = 1 (a^2 = a b = a). */
export function outcomeSpec(outcome: string): StratumSumsSpec {
  const w = { [`sum_w_${outcome}`]: 1 };
  const w2 = { [`sum_w2_${outcome}`]: 1 };
  return { n: { n: 1 }, sumWA: w, sumWB: { sum_w: 1 }, sumW2AA: w2, sumW2AB: w2, sumW2BB: { sum_w2: 1 }, sampleA: { [`n_${outcome}`]: 1 }, sampleB: { n: 1 } };
}

/** A mean score: a = score, b = 1. */
export function scoreSpec(): StratumSumsSpec {
  return { n: { n: 1 }, sumWA: { sum_w_score: 1 }, sumWB: { sum_w: 1 }, sumW2AA: { sum_w2_score2: 1 }, sumW2AB: { sum_w2_score: 1 }, sumW2BB: { sum_w2: 1 } };
}

/**
 * A ratio of confusion cells (as cellRatioSums): the cells tp, fp, fn, tn are exclusive per item, with
 * columns n_<cell>, sum_w_<cell>, sum_w2_<cell>; a = sum alpha_c [in c], b = sum beta_c [in c]. The
 * repository derives the tn columns of a stratum as max(0, the stratum's reviews - tp - fp - fn) per
 * column (n, sum_w, sum_w2), after summing the slice's rows of the stratum.
 */
export function cellSpec(numerator: CellCoefficients, denominator: CellCoefficients): StratumSumsSpec {
  const spec = { n: {}, sumWA: {}, sumWB: {}, sumW2AA: {}, sumW2AB: {}, sumW2BB: {}, inDomain: {}, sampleA: {}, sampleB: {} } as Record<keyof StratumSumsSpec, Record<string, number>>;
  const put = (target: Record<string, number>, column: string, k: number) => {
    if (k !== 0) target[column] = (target[column] ?? 0) + k;
  };
  for (const c of ['tp', 'fp', 'fn', 'tn'] as const) {
    const alpha = numerator[c] ?? 0;
    const beta = denominator[c] ?? 0;
    put(spec.n, `n_${c}`, beta !== 0 ? 1 : 0);
    put(spec.sumWA, `sum_w_${c}`, alpha);
    put(spec.sumWB, `sum_w_${c}`, beta);
    put(spec.sumW2AA, `sum_w2_${c}`, alpha * alpha);
    put(spec.sumW2AB, `sum_w2_${c}`, alpha * beta);
    put(spec.sumW2BB, `sum_w2_${c}`, beta * beta);
    put(spec.sampleA, `n_${c}`, alpha);
    put(spec.sampleB, `n_${c}`, beta);
  }
  // In the slice: every cell whose columns the rate reads, and tn whenever the rate reads it.
  for (const c of ['tp', 'fp', 'fn'] as const) spec.inDomain[`n_${c}`] = 1;
  if ((numerator.tn ?? 0) !== 0 || (denominator.tn ?? 0) !== 0) spec.inDomain.n_tn = 1;
  return { ...spec, skipEmpty: true };
}

/** Whether a spec reads the derived true-negative columns. */
export const readsTrueNegatives = (spec: StratumSumsSpec): boolean => specColumns(spec).some((c) => c.endsWith('_tn'));

/**
 * A stratum's StratumSums from its column sums and design count (the repository's per-stratum step, in
 * JavaScript: tests compare both), or null when the stratum adds nothing (skipEmpty).
 */
export function stratumSumsFromColumns(stratum: string, columns: Readonly<Record<string, number>>, designCount: number, spec: StratumSumsSpec): StratumSums | null {
  const n = combine(spec.n, columns);
  const sumWA = combine(spec.sumWA, columns);
  const sumWB = combine(spec.sumWB, columns);
  if (spec.skipEmpty && n === 0 && sumWA === 0 && sumWB === 0) return null;
  const nStratum = spec.inDomain ? Math.max(designCount, combine(spec.inDomain, columns)) : designCount;
  return { stratum, n, nStratum, sumWA, sumWB, sumW2AA: combine(spec.sumW2AA, columns), sumW2AB: combine(spec.sumW2AB, columns), sumW2BB: combine(spec.sumW2BB, columns) };
}
