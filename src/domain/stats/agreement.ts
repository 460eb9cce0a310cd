/**
 * Agreement between raters on nominal / ordinal labels: percent agreement, Cohen's kappa (with the
 * Fleiss-Cohen-Everitt 1969 asymptotic SE), Fleiss' kappa, Randolph's free-marginal kappa, Light's
 * and Conger's multi-rater kappas. Pure. Gwet's AC1/AC2 and Krippendorff's alpha live in sibling files.
 */
import { zForConfidence } from './distributions.ts';
import {
  agreementWeights,
  categoryScores,
  observedCategories,
  presentRatings,
  raterCount,
  ratingsToCounts,
  undefinedCoefficient,
  type Category,
  type Coefficient,
  type CountMatrix,
  type Rating,
  type RatingMatrix,
  type WeightScheme,
} from './agreement-data.ts';

const EPS = 1e-12;

export interface PercentAgreement {
  /** Mean over units (with >= 2 ratings) of the share of agreeing rater pairs; null when no such unit. */
  value: number | null;
  /** Share of those units on which all raters agree; null when no such unit. */
  allAgree: number | null;
  n: number;
  raters: number;
}

/**
 * Percent agreement: mean over units of sum_k r_ik (r_ik - 1) / (r_i (r_i - 1)); range [0, 1].
 * Units with fewer than two ratings are skipped; none left -> value null. Not chance-corrected.
 */
export function percentAgreement(ratings: RatingMatrix): PercentAgreement {
  const { counts } = ratingsToCounts(ratings);
  let sum = 0;
  let all = 0;
  let n = 0;
  for (const row of counts) {
    const m = row.reduce((a, b) => a + b, 0);
    if (m < 2) continue;
    n += 1;
    sum += row.reduce((a, c) => a + c * (c - 1), 0) / (m * (m - 1));
    if (row.some((c) => c === m)) all += 1;
  }
  return { value: n ? sum / n : null, allAgree: n ? all / n : null, n, raters: raterCount(ratings) };
}

export interface KappaOptions {
  /** Agreement weights: a scheme or an explicit q x q matrix (1 on the diagonal). Default identity (unweighted). */
  weights?: WeightScheme | number[][];
  /** Confidence level of the Wald CI kappa +- z * se. Default 0.95. */
  confidence?: number;
}

export interface CohenKappa extends Coefficient {
  /** Non-null asymptotic SE (Fleiss, Cohen & Everitt 1969), null SE under H0 (kappa = 0), z = kappa / seH0. */
  se: number | null;
  seH0: number | null;
  z: number | null;
  ci: [number, number] | null;
}

/**
 * Cohen's (weighted) kappa from a q x q contingency table (rows = rater A, cols = rater B):
 * Po = sum w_ij p_ij, Pe = sum w_ij p_i. p_.j, kappa = (Po - Pe) / (1 - Pe), range [-1, 1] (can be lower
 * for weighted). SE: var = [sum p_ij (w_ij - (wr_i + wc_j)(1 - k))^2 - (k - Pe(1 - k))^2] / (N (1 - Pe)^2),
 * var0 = [sum p_i. p_.j (w_ij - (wr_i + wc_j))^2 - Pe^2] / (N (1 - Pe)^2), wr_i = sum_j p_.j w_ij, wc_j = sum_i p_i. w_ij.
 * Linear / quadratic weights use positions 0..q-1 as scores. Undefined (null) when N = 0 or Pe = 1.
 */
export function cohenKappaFromTable(table: CountMatrix, options: KappaOptions = {}): CohenKappa {
  const q = table.length;
  if (table.some((row) => row.length !== q)) throw new RangeError('contingency table must be square');
  const w = Array.isArray(options.weights) ? options.weights : agreementWeights(categoryScores(table.map((_, i) => i)), options.weights ?? 'identity');
  const total = table.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const none = { se: null, seH0: null, z: null, ci: null };
  if (total === 0) return { ...undefinedCoefficient('no rated pairs', 0, 2), ...none };
  const p = table.map((row) => row.map((v) => v / total));
  const pr = p.map((row) => row.reduce((a, b) => a + b, 0));
  const pc = p[0]!.map((_, j) => p.reduce((a, row) => a + row[j]!, 0));
  let po = 0;
  let pe = 0;
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) {
    po += w[i]![j]! * p[i]![j]!;
    pe += w[i]![j]! * pr[i]! * pc[j]!;
  }
  if (1 - pe <= EPS) return { ...undefinedCoefficient('chance agreement Pe = 1 (a single category used by both raters)', total, 2, po, pe), ...none };
  const k = (po - pe) / (1 - pe);
  const wr = pr.map((_, i) => pc.reduce((a, pcj, j) => a + pcj * w[i]![j]!, 0));
  const wc = pc.map((_, j) => pr.reduce((a, pri, i) => a + pri * w[i]![j]!, 0));
  let s1 = 0;
  let s0 = 0;
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) {
    s1 += p[i]![j]! * (w[i]![j]! - (wr[i]! + wc[j]!) * (1 - k)) ** 2;
    s0 += pr[i]! * pc[j]! * (w[i]![j]! - (wr[i]! + wc[j]!)) ** 2;
  }
  const denom = total * (1 - pe) ** 2;
  const se = Math.sqrt(Math.max(0, s1 - (k - pe * (1 - k)) ** 2) / denom);
  const seH0 = Math.sqrt(Math.max(0, s0 - pe * pe) / denom);
  const z = zForConfidence(options.confidence ?? 0.95);
  return { value: k, reason: null, po, pe, n: total, raters: 2, se, seH0, z: seH0 > 0 ? k / seH0 : null, ci: [k - z * se, k + z * se] };
}

export interface CohenRatingsOptions extends KappaOptions {
  /** Category list (order matters for linear / quadratic weights); default = categories observed in either rater. */
  categories?: readonly Category[];
  /** Weight scores: category values when numeric ('values', default) or positions in the category list ('ranks'). */
  scores?: 'values' | 'ranks';
}

/**
 * Cohen's kappa for two raters' label arrays (same length, aligned by unit); units where either is missing are
 * dropped. Formula, SE and degenerate cases as in cohenKappaFromTable; n = units rated by both.
 */
export function cohenKappa(a: readonly Rating[], b: readonly Rating[], options: CohenRatingsOptions = {}): CohenKappa {
  if (a.length !== b.length) throw new RangeError('rater arrays must have the same length');
  const pairs = a.map((x, i) => [x, b[i]] as const).filter(([x, y]) => presentRatings([x, y]).length === 2) as Array<readonly [Category, Category]>;
  const cats = options.categories ? [...options.categories] : observedCategories(pairs.map((pair) => [...pair]));
  const index = new Map<Category, number>(cats.map((c, i) => [c, i]));
  const table = cats.map(() => new Array<number>(cats.length).fill(0));
  for (const [x, y] of pairs) {
    const i = index.get(x);
    const j = index.get(y);
    if (i === undefined || j === undefined) throw new RangeError('rating outside the category list');
    table[i]![j]! += 1;
  }
  const weights = Array.isArray(options.weights)
    ? options.weights
    : agreementWeights(categoryScores(cats, options.scores ?? 'values'), options.weights ?? 'identity');
  return cohenKappaFromTable(table, { ...options, weights });
}

export interface FleissKappa extends Coefficient {
  /** SE under H0 (kappa = 0), Fleiss, Nee & Landis (1979); z = kappa / seH0. */
  seH0: number | null;
  z: number | null;
  /** Per-category kappa_j = 1 - sum_i n_ij (m - n_ij) / (N m (m - 1) p_j q_j) (null if p_j in {0, 1}) and its z. */
  categoryKappas: Array<number | null>;
  categoryZ: Array<number | null>;
}

function constantRaters(counts: CountMatrix): number | null {
  const sums = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const m = sums[0] ?? 0;
  return sums.every((s) => Math.abs(s - m) < 1e-9) ? m : null;
}

/**
 * Fleiss' kappa from a counts matrix (units x categories, every unit rated by the same m >= 2 raters):
 * P_i = (sum_j n_ij^2 - m) / (m (m - 1)), Po = mean P_i, p_j = sum_i n_ij / (N m), Pe = sum p_j^2,
 * kappa = (Po - Pe) / (1 - Pe), range [-1/(m-1), 1]. var0 = 2 [(sum p_j q_j)^2 - sum p_j q_j (q_j - p_j)] /
 * (N m (m - 1) (sum p_j q_j)^2). Null when N = 0, m varies or < 2, or Pe = 1.
 */
export function fleissKappaFromCounts(counts: CountMatrix): FleissKappa {
  const extra = { seH0: null, z: null, categoryKappas: [], categoryZ: [] };
  const N = counts.length;
  const m = constantRaters(counts);
  if (N === 0) return { ...undefinedCoefficient('no units', 0, 0), ...extra };
  if (m === null) return { ...undefinedCoefficient('units have different numbers of ratings (use Krippendorff alpha or Gwet AC1)', N, 0), ...extra };
  if (m < 2) return { ...undefinedCoefficient('fewer than two ratings per unit', N, m), ...extra };
  const q = counts[0]!.length;
  const po = counts.reduce((s, row) => s + (row.reduce((a, c) => a + c * c, 0) - m) / (m * (m - 1)), 0) / N;
  const pj = Array.from({ length: q }, (_, j) => counts.reduce((a, row) => a + row[j]!, 0) / (N * m));
  const pe = pj.reduce((a, p) => a + p * p, 0);
  if (1 - pe <= EPS) return { ...undefinedCoefficient('chance agreement Pe = 1 (a single category used)', N, m, po, pe), ...extra };
  const k = (po - pe) / (1 - pe);
  const pq = pj.map((p) => p * (1 - p));
  const sumPq = pq.reduce((a, b) => a + b, 0);
  const base = 2 / (N * m * (m - 1));
  const var0 = (base * (sumPq ** 2 - pq.reduce((a, v, j) => a + v * (1 - 2 * pj[j]!), 0))) / sumPq ** 2;
  const seH0 = Math.sqrt(Math.max(0, var0));
  const categoryKappas = pj.map((p, j) => {
    if (pq[j]! <= EPS) return null;
    const dis = counts.reduce((a, row) => a + row[j]! * (m - row[j]!), 0);
    return 1 - dis / (N * m * (m - 1) * pq[j]!);
  });
  const categoryZ = categoryKappas.map((kj) => (kj === null ? null : kj / Math.sqrt(base)));
  return { value: k, reason: null, po, pe, n: N, raters: m, seH0, z: seH0 > 0 ? k / seH0 : null, categoryKappas, categoryZ };
}

/** Fleiss' kappa from a ratings matrix (units x raters); every unit must have the same number of ratings. */
export function fleissKappa(ratings: RatingMatrix, categories?: readonly Category[]): FleissKappa {
  return fleissKappaFromCounts(ratingsToCounts(ratings, categories).counts);
}

/**
 * Randolph's free-marginal multirater kappa from counts (fixed m >= 2 raters per unit, q = number of columns
 * unless given): kappa = (Po - 1/q) / (1 - 1/q), Po as in Fleiss. Range [-1/(q-1), 1]. Null when q < 2,
 * no units, or m varies / < 2.
 */
export function randolphKappaFromCounts(counts: CountMatrix, q = counts[0]?.length ?? 0): Coefficient {
  const N = counts.length;
  const m = constantRaters(counts);
  if (N === 0) return undefinedCoefficient('no units', 0, 0);
  if (m === null || m < 2) return undefinedCoefficient('units need the same number (>= 2) of ratings', N, m ?? 0);
  if (q < 2) return undefinedCoefficient('fewer than two categories', N, m);
  const po = counts.reduce((s, row) => s + (row.reduce((a, c) => a + c * c, 0) - m) / (m * (m - 1)), 0) / N;
  const pe = 1 / q;
  return { value: (po - pe) / (1 - pe), reason: null, po, pe, n: N, raters: m };
}

/**
 * Light's kappa: mean of unweighted Cohen's kappas over all rater pairs (units x raters matrix).
 * Null when fewer than two raters or any pairwise kappa is undefined.
 */
export function lightKappa(ratings: RatingMatrix): Coefficient {
  const m = raterCount(ratings);
  if (m < 2) return undefinedCoefficient('fewer than two raters', ratings.length, m);
  const values: number[] = [];
  for (let r = 0; r < m; r++) for (let s = r + 1; s < m; s++) {
    const k = cohenKappa(ratings.map((row) => row[r]), ratings.map((row) => row[s]));
    if (k.value === null) return undefinedCoefficient(`kappa for raters ${r} and ${s} is undefined: ${k.reason}`, ratings.length, m);
    values.push(k.value);
  }
  return { value: values.reduce((a, b) => a + b, 0) / values.length, reason: null, po: null, pe: null, n: ratings.length, raters: m };
}

/**
 * Conger's (1980) exact kappa for m raters, complete data: Po as in Fleiss, Pe = sum_k [(sum_r p_rk)^2 -
 * sum_r p_rk^2] / (m (m - 1)) with p_rk = share of units rater r put in category k. Null on missing ratings or Pe = 1.
 */
export function congerKappa(ratings: RatingMatrix): Coefficient {
  const m = raterCount(ratings);
  const N = ratings.length;
  if (N === 0 || m < 2) return undefinedCoefficient('need at least one unit and two raters', N, m);
  if (ratings.some((row) => presentRatings(row).length !== m)) return undefinedCoefficient('missing ratings', N, m);
  const { categories, counts } = ratingsToCounts(ratings);
  const po = counts.reduce((s, row) => s + (row.reduce((a, c) => a + c * c, 0) - m) / (m * (m - 1)), 0) / N;
  let pe = 0;
  for (const c of categories) {
    const prk = Array.from({ length: m }, (_, r) => ratings.filter((row) => row[r] === c).length / N);
    pe += (prk.reduce((a, b) => a + b, 0) ** 2 - prk.reduce((a, b) => a + b * b, 0)) / (m * (m - 1));
  }
  if (1 - pe <= EPS) return undefinedCoefficient('chance agreement Pe = 1', N, m, po, pe);
  return { value: (po - pe) / (1 - pe), reason: null, po, pe, n: N, raters: m };
}
