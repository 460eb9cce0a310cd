/**
 * Design-based ratio estimation computed exactly from additive sufficient statistics ("sums"). Pure.
 *
 * The metrics engine keeps per-stratum rollups (sums) in PostgreSQL and must produce any slice's
 * estimate and confidence interval from them without reading reviewed items. Every estimator here is a
 * Hajek ratio R = sum(w a) / sum(w b) over a domain (slice) with its Taylor-linearised stratified
 * variance, and both need only five weighted sums and two counts per design stratum.
 * docs/decisions/0007-estimation-from-sums.md explains the estimator, domain estimation, the interval
 * and what the rollups must store.
 *
 * Notation: item i of design stratum h has weight w_i = 1 / pi_i, numerator value a_i and denominator
 * value b_i. Items outside the domain have a = b = 0 but still belong to their stratum's sample.
 * - accuracy of a slice: a = correct and in slice, b = in slice;
 * - precision of a label: a = true positive, b = agent applied the label (see confusion-estimation.ts);
 * - mean score: a = score (in slice), b = in slice.
 */
import { zForConfidence } from './distributions.ts';

/** Additive sums of one stratum restricted to a domain: adding two rows of the same stratum adds every field. */
export interface DomainSums {
  /** Design stratum key: the unit of independent selection (see docs/decisions/0007). */
  stratum: string;
  /** Items of the domain in this stratum with b != 0 (for a domain mean or proportion: the domain's items). */
  n: number;
  sumWA: number;
  sumWB: number;
  /** sum w^2 a^2, sum w^2 a b, sum w^2 b^2. */
  sumW2AA: number;
  sumW2AB: number;
  sumW2BB: number;
}

/** Domain sums of one stratum plus the stratum's sample size in the whole design. */
export interface StratumSums extends DomainSums {
  /**
   * Sampled (reviewed) items of this stratum in the whole design, inside the domain or not. It comes
   * from the design, never from adding the n of domain rows: outside-domain items still count in n_h.
   */
  nStratum: number;
}

/** One item for accumulating sums: weight w = 1 / pi, numerator a, denominator b (a = b = 0 outside the domain). */
export interface RatioItem {
  stratum: string;
  w: number;
  a: number;
  b: number;
}

export type RatioKind = 'proportion' | 'mean';
export type RatioInterval = 'design-wilson' | 'wald';

export interface RatioOptions {
  /** Confidence level in (0, 1); default 0.95. */
  confidence?: number;
  /** 'proportion' (a, b in {0, 1}, a <= b; default) or 'mean' (any a, b). */
  kind?: RatioKind;
  /** Interval: 'design-wilson' (default for proportions) or 'wald' (estimate -+ z se; the only one for means). */
  interval?: RatioInterval;
  /** Clip a mean's Wald interval to these bounds (e.g. [0, 1] for F1, [0, 100] for a score). */
  bounds?: readonly [number, number];
}

export interface RatioEstimate {
  kind: RatioKind;
  interval: RatioInterval;
  /** R = sum w a / sum w b (a proportion is clipped to [0, 1]); null when the domain is empty. */
  estimate: number | null;
  /** Linearised stratified variance (with-replacement approximation within strata); null when empty. */
  variance: number | null;
  se: number | null;
  /** Interval bounds: [0, 1] for an empty proportion, null for an empty mean. */
  lower: number | null;
  upper: number | null;
  confidence: number;
  /** Items in the domain with b != 0 (sum of the strata's n). */
  n: number;
  /** Strata with at least one such item. */
  strata: number;
  /** D = sum w b: the estimated number of population items in the denominator. */
  estimatedPopulation: number;
  /** Kish's (sum w b)^2 / sum (w b)^2: the loss from unequal weights alone; null when empty. */
  effectiveSampleSize: number | null;
  /** n* used by the design-adjusted Wilson interval (see ratioFromSums); null for Wald. */
  intervalSampleSize: number | null;
  /** Proportions: variance / (p (1 - p) / n), null when p in {0, 1}; always null for means (needs sum w a^2). */
  designEffect: number | null;
  /** Strata of the domain whose design sample has a single item (they add 0 to the variance). */
  singletonStrata: string[];
  warnings: string[];
  /** Why estimate is null; undefined otherwise. */
  reason?: string;
}

const FIELDS = ['sumWA', 'sumWB', 'sumW2AA', 'sumW2AB', 'sumW2BB'] as const;

function emptyDomain(stratum: string): DomainSums {
  return { stratum, n: 0, sumWA: 0, sumWB: 0, sumW2AA: 0, sumW2AB: 0, sumW2BB: 0 };
}

function checkItem(item: RatioItem, i: number): void {
  if (typeof item.stratum !== 'string') throw new RangeError(`items[${i}].stratum must be a string`);
  if (!(Number.isFinite(item.w) && item.w > 0)) throw new RangeError(`items[${i}].w must be a positive finite weight, got ${item.w}`);
  if (!Number.isFinite(item.a) || !Number.isFinite(item.b)) throw new RangeError(`items[${i}].a and .b must be finite`);
}

/**
 * Domain sums per stratum from items (strata in first-seen order). Items with b = 0 add nothing to n;
 * items with a = b = 0 add nothing at all. Throws RangeError for a non-positive weight or non-finite value.
 */
export function accumulateDomainSums(items: Iterable<RatioItem>): DomainSums[] {
  const byStratum = new Map<string, DomainSums>();
  let i = 0;
  for (const item of items) {
    checkItem(item, i++);
    let s = byStratum.get(item.stratum);
    if (!s) byStratum.set(item.stratum, (s = emptyDomain(item.stratum)));
    const { w, a, b } = item;
    if (b !== 0) s.n += 1;
    s.sumWA += w * a;
    s.sumWB += w * b;
    s.sumW2AA += w * w * a * a;
    s.sumW2AB += w * w * a * b;
    s.sumW2BB += w * w * b * b;
  }
  return [...byStratum.values()];
}

/**
 * Stratum sums from every sampled item of the design: nStratum = the number of items given for the
 * stratum, so items outside the domain must be passed too (with a = b = 0). Used by tests and by the
 * rollup rebuild; strata in first-seen order.
 */
export function accumulateSums(items: Iterable<RatioItem>): StratumSums[] {
  const list = [...items];
  const counts = new Map<string, number>();
  for (const item of list) counts.set(item.stratum, (counts.get(item.stratum) ?? 0) + 1);
  return accumulateDomainSums(list).map((s) => ({ ...s, nStratum: counts.get(s.stratum)! }));
}

/** Adds domain rows of the same stratum field by field (rows of a rollup: per day, agent, label...). */
export function mergeDomainSums(rows: Iterable<DomainSums>): DomainSums[] {
  const byStratum = new Map<string, DomainSums>();
  for (const row of rows) {
    let s = byStratum.get(row.stratum);
    if (!s) byStratum.set(row.stratum, (s = emptyDomain(row.stratum)));
    s.n += row.n;
    for (const f of FIELDS) s[f] += row[f];
  }
  return [...byStratum.values()];
}

/**
 * Merges domain rows by stratum and attaches each stratum's design sample size from designCounts
 * (stratum -> sampled items in the whole design). The design count is supplied, never summed from the
 * rows, because a domain's rows omit the stratum's items outside the domain.
 * Throws RangeError when a stratum with items has no design count or a count below its domain n.
 */
export function withDesignCounts(rows: Iterable<DomainSums>, designCounts: ReadonlyMap<string, number>): StratumSums[] {
  return mergeDomainSums(rows).map((s) => {
    const nStratum = designCounts.get(s.stratum);
    if (nStratum === undefined) throw new RangeError(`no design count for stratum ${s.stratum}`);
    if (!(Number.isInteger(nStratum) && nStratum >= s.n)) {
      throw new RangeError(`design count of stratum ${s.stratum} must be an integer >= its domain n (${s.n}), got ${nStratum}`);
    }
    return { ...s, nStratum };
  });
}

/** A reviewed item for a domain proportion: y = 1 correct / 0 wrong; inDomain (default true) = in the slice. */
export interface ProportionItem {
  stratum: string;
  w: number;
  y: number;
  inDomain?: boolean;
}

/**
 * Stratum sums for a domain proportion from every sampled item of the design (a = y, b = 1 inside the
 * domain; a = b = 0 outside). y must be 0 or 1.
 */
export function proportionSumsFromItems(items: Iterable<ProportionItem>): StratumSums[] {
  const mapped: RatioItem[] = [];
  let i = 0;
  for (const it of items) {
    if (it.y !== 0 && it.y !== 1) throw new RangeError(`items[${i}].y must be 0 or 1, got ${it.y}`);
    const inside = it.inDomain ?? true;
    mapped.push({ stratum: it.stratum, w: it.w, a: inside ? it.y : 0, b: inside ? 1 : 0 });
    i++;
  }
  return accumulateSums(mapped);
}

function checkStrata(strata: readonly StratumSums[], kind: RatioKind): void {
  const seen = new Set<string>();
  strata.forEach((s, i) => {
    if (seen.has(s.stratum)) throw new RangeError(`strata[${i}]: stratum ${s.stratum} appears twice (merge rows with withDesignCounts first)`);
    seen.add(s.stratum);
    if (!(Number.isInteger(s.n) && s.n >= 0)) throw new RangeError(`strata[${i}].n must be a non-negative integer, got ${s.n}`);
    if (!(Number.isInteger(s.nStratum) && s.nStratum >= Math.max(1, s.n))) {
      throw new RangeError(`strata[${i}].nStratum must be an integer >= max(1, n), got ${s.nStratum}`);
    }
    for (const f of FIELDS) if (!Number.isFinite(s[f])) throw new RangeError(`strata[${i}].${f} must be finite`);
    if (s.sumW2AA < 0 || s.sumW2BB < 0) throw new RangeError(`strata[${i}]: sums of squares must be >= 0`);
    if (kind === 'proportion') {
      const slack = 1e-9 * Math.max(1, Math.abs(s.sumWB));
      if (s.sumWA < -slack || s.sumWA > s.sumWB + slack || s.sumWB < -slack) {
        throw new RangeError(`strata[${i}]: a proportion needs 0 <= sum w a <= sum w b`);
      }
    }
  });
}

/** Wilson score bounds for a proportion p observed on a (possibly fractional) sample size n > 0. */
export function wilsonBounds(p: number, n: number, z: number): [number, number] {
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  const lower = p <= 0 ? 0 : Math.min(p, Math.max(0, centre - half));
  const upper = p >= 1 ? 1 : Math.max(p, Math.min(1, centre + half));
  return [lower, upper];
}

/** Stratified with-replacement variance from per-stratum sum z and sum z^2 (n_h = nStratum). */
function stratifiedVariance(parts: ReadonlyArray<{ nh: number; sumZ: number; sumZ2: number }>): number {
  let variance = 0;
  for (const { nh, sumZ, sumZ2 } of parts) {
    if (nh < 2) continue;
    // sum (z - zbar)^2 = sum z^2 - (sum z)^2 / n_h; rounding can make it a hair negative.
    variance += (nh / (nh - 1)) * Math.max(0, sumZ2 - (sumZ * sumZ) / nh);
  }
  return variance;
}

function singletonWarning(singletons: readonly string[]): string[] {
  return singletons.length === 0
    ? []
    : [
        `${singletons.length} stratum/strata with a single reviewed decision contribute 0 to the variance ` +
          `(the standard error is understated): ${singletons.join(', ')}`,
      ];
}

/**
 * Hajek ratio R = sum(w a) / sum(w b) of a domain, with its design-based variance and interval, from
 * per-stratum sums (one row per stratum; merge rollup rows with withDesignCounts first).
 *
 * Variance (Taylor linearisation, with-replacement approximation within strata, no finite population
 * correction): z_i = w_i (a_i - R b_i) / D with D = sum w b, and
 *   v(R) = sum_h n_h / (n_h - 1) [ sum_h z_i^2 - (sum_h z_i)^2 / n_h ],  n_h = nStratum,
 *   sum_h z_i^2 = (sumW2AA - 2 R sumW2AB + R^2 sumW2BB) / D^2,  sum_h z_i = (sumWA - R sumWB) / D.
 * Items outside the domain have z = 0 but count in n_h: this is domain (subpopulation) estimation, so a
 * slice's variance is right even when its sample size per stratum is random.
 * With one domain covering the whole sample and b = 1 this is exactly hajekProportion.
 *
 * Interval:
 * - 'wald': R -+ z se (a proportion clipped to [0, 1]; a mean clipped to options.bounds when given).
 * - 'design-wilson' (proportions, default): the Wilson score interval at the design-adjusted effective
 *   sample size n* = p (1 - p) / v (Korn & Graubard 1998), truncated to at most n (an estimated design
 *   effect below 1 in a small slice is mostly noise). When p is 0 or 1 the variance is 0 and says nothing,
 *   so n* = Kish's effective size (weights only, <= n). Unlike a clipped Wald interval it never collapses
 *   to a point at 0 or 1 and stays inside [0, 1].
 * Empty domain (n = 0 or D = 0): estimate, variance, se null with a reason; proportion interval [0, 1].
 * Validation (RangeError): duplicate strata, counts that are not integers or nStratum < max(1, n),
 * non-finite sums, negative sums of squares, for proportions 0 <= sumWA <= sumWB; confidence in (0, 1).
 */
export function ratioFromSums(strata: readonly StratumSums[], options: RatioOptions = {}): RatioEstimate {
  const confidence = options.confidence ?? 0.95;
  const z = zForConfidence(confidence);
  const kind = options.kind ?? 'proportion';
  const interval = options.interval ?? (kind === 'proportion' ? 'design-wilson' : 'wald');
  if (kind === 'mean' && interval !== 'wald') throw new RangeError('a mean has only the wald interval');
  checkStrata(strata, kind);
  let n = 0;
  let sumWA = 0;
  let sumWB = 0;
  let sumW2BB = 0;
  let used = 0;
  for (const s of strata) {
    n += s.n;
    sumWA += s.sumWA;
    sumWB += s.sumWB;
    sumW2BB += s.sumW2BB;
    if (s.n > 0) used++;
  }
  const base = {
    kind,
    interval,
    confidence,
    n,
    strata: used,
    estimatedPopulation: sumWB,
    intervalSampleSize: null,
    designEffect: null,
    singletonStrata: [],
    warnings: [],
  };
  if (n === 0 || !(sumWB > 0)) {
    const empty = kind === 'proportion' ? { lower: 0, upper: 1 } : { lower: null, upper: null };
    return {
      ...base,
      ...empty,
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
  const singletonStrata: string[] = [];
  const parts = strata.map((s) => {
    if (s.n > 0 && s.nStratum === 1) singletonStrata.push(s.stratum);
    return {
      nh: s.nStratum,
      sumZ: (s.sumWA - R * s.sumWB) / D,
      sumZ2: Math.max(0, (s.sumW2AA - 2 * R * s.sumW2AB + R * R * s.sumW2BB) / (D * D)),
    };
  });
  const variance = stratifiedVariance(parts);
  return {
    ...base,
    ...finishRatio(R, variance, { kind, interval, n, kish: (D * D) / sumW2BB, z, bounds: options.bounds }),
    singletonStrata,
    warnings: singletonWarning(singletonStrata),
  };
}

/**
 * The interval, effective sample size and design effect of a ratio estimate R with its design variance.
 * Shared by the per-stratum route (ratioFromSums) and the per-group-terms route (ratio-terms.ts), so both
 * present an estimate the same way.
 */
export function finishRatio(
  R: number,
  variance: number,
  context: { kind: 'proportion' | 'mean'; interval: string; n: number; kish: number; z: number; bounds?: readonly [number, number] },
): { estimate: number; variance: number; se: number; lower: number; upper: number; effectiveSampleSize: number; intervalSampleSize: number | null; designEffect: number | null } {
  const { kind, interval, n, kish, z } = context;
  const se = Math.sqrt(variance);
  let lower: number;
  let upper: number;
  let intervalSampleSize: number | null = null;
  if (interval === 'design-wilson') {
    const pq = R * (1 - R);
    intervalSampleSize = pq > 0 && variance > 0 ? Math.min(n, pq / variance) : Math.min(n, kish);
    [lower, upper] = wilsonBounds(R, intervalSampleSize, z);
  } else {
    lower = R - z * se;
    upper = R + z * se;
    const bounds = kind === 'proportion' ? ([0, 1] as const) : context.bounds;
    if (bounds) {
      lower = Math.min(Math.max(lower, bounds[0]), R);
      upper = Math.max(Math.min(upper, bounds[1]), R);
    }
  }
  const srs = kind === 'proportion' ? (R * (1 - R)) / n : 0;
  return { estimate: R, variance, se, lower, upper, effectiveSampleSize: kish, intervalSampleSize, designEffect: srs > 0 ? variance / srs : null };
}

export interface TotalEstimate {
  /** Horvitz-Thompson total T = sum w a. */
  estimate: number;
  variance: number;
  se: number;
  /** T -+ z se (not clipped). */
  lower: number;
  upper: number;
  confidence: number;
  /** Items with b != 0, summed over strata (for a total, pass b = 1 for the items it covers). */
  n: number;
  singletonStrata: string[];
  warnings: string[];
}

/**
 * Horvitz-Thompson total T = sum(w a) with its stratified with-replacement variance
 * v(T) = sum_h n_h / (n_h - 1) [ sumW2AA_h - sumWA_h^2 / n_h ] (z_i = w_i a_i; n_h = nStratum).
 * Only sumWA and sumW2AA are read. Divide estimate, se and bounds by a known population size N for the
 * Horvitz-Thompson mean (variance by N^2). Validation as in ratioFromSums (kind 'mean').
 */
export function totalFromSums(strata: readonly StratumSums[], options: { confidence?: number } = {}): TotalEstimate {
  const confidence = options.confidence ?? 0.95;
  const z = zForConfidence(confidence);
  checkStrata(strata, 'mean');
  const singletonStrata = strata.filter((s) => s.nStratum === 1 && s.n > 0).map((s) => s.stratum);
  const estimate = strata.reduce((a, s) => a + s.sumWA, 0);
  const variance = stratifiedVariance(strata.map((s) => ({ nh: s.nStratum, sumZ: s.sumWA, sumZ2: s.sumW2AA })));
  const se = Math.sqrt(variance);
  return {
    estimate,
    variance,
    se,
    lower: estimate - z * se,
    upper: estimate + z * se,
    confidence,
    n: strata.reduce((a, s) => a + s.n, 0),
    singletonStrata,
    warnings: singletonWarning(singletonStrata),
  };
}
