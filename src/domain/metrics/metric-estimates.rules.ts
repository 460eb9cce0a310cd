import { CONFUSION_RATES, type ConfusionRate } from '../stats/confusion-estimation.ts';
import { ratioFromSums, withDesignCounts, type DomainSums, type RatioEstimate, type StratumSums } from '../stats/ratio-estimation.ts';
import { wilson } from '../stats/proportions.ts';
import { EMPTY_TERMS, ratioFromTerms, type RatioTerms } from '../stats/ratio-terms.ts';
import type { OutcomeColumn } from './metric-catalogue.rules.ts';

/**
 * From rollup sums to estimates. Pure. The SQL hands over one row per group,
 * period and design stratum (or per group and period for unweighted and census
 * figures); per group the rows are merged by stratum, given their strata's design
 * counts (never summed from the slice: docs/decisions/0007, domain estimation)
 * and passed to the estimators of src/domain/stats. The overall figure merges
 * every row of the slice the same way.
 */

/** A row's group: up to two dimension values and the period (null when not asked for). */
export interface GroupKeyed {
  g0: string | null;
  g1: string | null;
  period: string | null;
}

export interface StratumKeyed extends GroupKeyed {
  /** `${workflow_id}|${day}|${stratum}` */
  stratum: string;
  n_stratum: number | null;
}

export interface Estimate {
  value: number | null;
  lower: number | null;
  upper: number | null;
  se: number | null;
  n: number;
  N: number;
  sampleValue: number | null;
  /** The design-effective sample size of a proportion (n* of the interval; n when unweighted); null when empty. */
  effectiveN: number | null;
  /** The sample size of the score test the interval inverts, when the interval is Wilson's; null for a Wald interval or the census. */
  scoreN: number | null;
}

export interface EstimatedGroup extends GroupKeyed {
  estimate: Estimate;
}

export interface Estimated {
  overall: Estimate;
  groups: EstimatedGroup[];
}

export interface EstimateOptions {
  confidence: number;
}

const groupId = (r: GroupKeyed) => `${r.g0 ?? ''}\u0001${r.g1 ?? ''}\u0001${r.period ?? ''}`;

/** Rows bucketed by group, groups in first-seen order. */
export function byGroup<T extends GroupKeyed>(rows: readonly T[]): Array<{ key: GroupKeyed; rows: T[] }> {
  const buckets = new Map<string, { key: GroupKeyed; rows: T[] }>();
  for (const row of rows) {
    const id = groupId(row);
    let bucket = buckets.get(id);
    if (!bucket) buckets.set(id, (bucket = { key: { g0: row.g0, g1: row.g1, period: row.period }, rows: [] }));
    bucket.rows.push(row);
  }
  return [...buckets.values()];
}

/**
 * The overall estimate and one per group. When a single group holds every row (no dimension, no
 * period) it is the overall itself, estimated once.
 */
export function estimateGroups<T extends GroupKeyed>(rows: readonly T[], estimate: (part: readonly T[]) => Estimate): Estimated {
  const overall = estimate(rows);
  const buckets = byGroup(rows);
  if (buckets.length === 1) return { overall, groups: [{ ...buckets[0]!.key, estimate: overall }] };
  return { overall, groups: buckets.map((g) => ({ ...g.key, estimate: estimate(g.rows) })) };
}

/** Design stratum -> its reviews over every slice, from the rows (each row carries its stratum's count). */
export function designCounts(rows: readonly StratumKeyed[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (row.n_stratum === null) throw new RangeError(`no design count for stratum ${row.stratum}`);
    counts.set(row.stratum, Number(row.n_stratum));
  }
  return counts;
}

function fromRatio(r: RatioEstimate, sampleValue: number | null): Estimate {
  const empty = r.estimate === null;
  return {
    value: r.estimate,
    lower: empty ? null : r.lower,
    upper: empty ? null : r.upper,
    se: r.se,
    n: r.n,
    N: r.estimatedPopulation,
    sampleValue: empty ? null : sampleValue,
    effectiveN: empty ? null : (r.intervalSampleSize ?? r.n),
    scoreN: empty ? null : r.intervalSampleSize,
  };
}

const ratio = (x: number, n: number): number | null => (n > 0 ? x / n : null);

/* ---------- weighted proportions and means of reviews ---------- */

export type OutcomeRow = StratumKeyed & { n: number; sum_w: number; sum_w2: number } & Record<`${'n' | 'sum_w' | 'sum_w2'}_${OutcomeColumn}`, number>;
export type ScoreRow = StratumKeyed & { n: number; sum_w: number; sum_w2: number; sum_w_score: number; sum_w2_score: number; sum_w2_score2: number };

/** a = 1 when the outcome holds, b = 1: sum w^2 a b = sum w^2 a^2 = the outcome's sum w^2. */
export function outcomeSums(row: OutcomeRow, outcome: OutcomeColumn): DomainSums {
  const { sumW, sumW2 } = OUTCOME_KEYS[outcome];
  const a = row[sumW];
  const a2 = row[sumW2];
  return { stratum: row.stratum, n: row.n, sumWA: a, sumWB: row.sum_w, sumW2AA: a2, sumW2AB: a2, sumW2BB: row.sum_w2 };
}

/** Column names per outcome, built once (not per row). */
const OUTCOME_KEYS = Object.fromEntries(
  (['correct', 'critical', 'passed'] as const).map((o) => [o, { n: `n_${o}`, sumW: `sum_w_${o}`, sumW2: `sum_w2_${o}` } as const]),
) as { [O in OutcomeColumn]: { n: `n_${O}`; sumW: `sum_w_${O}`; sumW2: `sum_w2_${O}` } };

/** a = score, b = 1. */
export function scoreSums(row: ScoreRow): DomainSums {
  return { stratum: row.stratum, n: row.n, sumWA: row.sum_w_score, sumWB: row.sum_w, sumW2AA: row.sum_w2_score2, sumW2AB: row.sum_w2_score, sumW2BB: row.sum_w2 };
}

function ratioEstimated<T extends StratumKeyed>(
  rows: readonly T[],
  toSums: (row: T) => DomainSums,
  sample: ((rows: readonly T[]) => number | null) | null,
  options: EstimateOptions & { kind: 'proportion' | 'mean'; bounds?: readonly [number, number] },
): Estimated {
  const counts = designCounts(rows);
  const estimate = (part: readonly T[]) =>
    fromRatio(
      ratioFromSums(withDesignCounts(part.map(toSums), counts), { confidence: options.confidence, kind: options.kind, bounds: options.bounds }),
      sample ? sample(part) : null,
    );
  return estimateGroups(rows, estimate);
}

export function outcomeEstimates(rows: readonly OutcomeRow[], outcome: OutcomeColumn, options: EstimateOptions): Estimated {
  const key = OUTCOME_KEYS[outcome].n;
  const sample = (part: readonly OutcomeRow[]) => ratio(part.reduce((s, r) => s + r[key], 0), part.reduce((s, r) => s + r.n, 0));
  return ratioEstimated(rows, (r) => outcomeSums(r, outcome), sample, { ...options, kind: 'proportion' });
}

export const SCORE_BOUNDS = [0, 100] as const;

export function scoreEstimates(rows: readonly ScoreRow[], options: EstimateOptions): Estimated {
  return ratioEstimated(rows, scoreSums, null, { ...options, kind: 'mean', bounds: SCORE_BOUNDS });
}

/* ---------- enforcement against the QA verdict ---------- */

type CellColumns = Record<`${'n' | 'sum_w' | 'sum_w2'}_${'tp' | 'fp' | 'fn'}`, number>;
export type DecisionCellRow = StratumKeyed & { n: number; sum_w: number; sum_w2: number } & CellColumns;
export type LabelCellRow = StratumKeyed & CellColumns;
export type TotalsRow = StratumKeyed & { n: number; sum_w: number; sum_w2: number };

/** One stratum's cells: per cell (tp, fp, fn; the stratum's reviews of the slice) n, sum w, sum w^2. */
interface StratumCells {
  tp: [number, number, number];
  fp: [number, number, number];
  fn: [number, number, number];
  all: [number, number, number];
}

const addTo = (target: [number, number, number], n: number, w: number, w2: number) => {
  target[0] += n;
  target[1] += w;
  target[2] += w2;
};

/** Confusion cells per design stratum, added row by row. */
class CellTable {
  readonly strata = new Map<string, StratumCells>();

  private at(stratum: string): StratumCells {
    let cells = this.strata.get(stratum);
    if (!cells) this.strata.set(stratum, (cells = { tp: [0, 0, 0], fp: [0, 0, 0], fn: [0, 0, 0], all: [0, 0, 0] }));
    return cells;
  }

  addCells(stratum: string, row: CellColumns): void {
    const c = this.at(stratum);
    addTo(c.tp, row.n_tp, row.sum_w_tp, row.sum_w2_tp);
    addTo(c.fp, row.n_fp, row.sum_w_fp, row.sum_w2_fp);
    addTo(c.fn, row.n_fn, row.sum_w_fn, row.sum_w2_fn);
  }

  addReviews(stratum: string, row: { n: number; sum_w: number; sum_w2: number }): void {
    addTo(this.at(stratum).all, row.n, row.sum_w, row.sum_w2);
  }
}

/** Whether a rate's denominator includes true negatives (then every stratum of the slice counts, not only the label's). */
const needsTrueNegatives = (rate: ConfusionRate) => (CONFUSION_RATES[rate].denominator.tn ?? 0) !== 0;

/**
 * The stratum sums of a rate (as cellRatioSums: every cross product is a combination of the exclusive
 * cells) with tn = the stratum's reviews minus the three cells, never below 0 (several labels pooled can
 * count a review more than once). The design count is raised to the stratum's cells when pooled labels
 * exceed it; for one label, whose cells partition the reviews, it is the design count itself.
 */
function confusionEstimate(table: CellTable, counts: ReadonlyMap<string, number>, rate: ConfusionRate, options: EstimateOptions): Estimate {
  const { numerator, denominator } = CONFUSION_RATES[rate];
  const alpha = [numerator.tp ?? 0, numerator.fp ?? 0, numerator.fn ?? 0, numerator.tn ?? 0];
  const beta = [denominator.tp ?? 0, denominator.fp ?? 0, denominator.fn ?? 0, denominator.tn ?? 0];
  const strata: StratumSums[] = [];
  let sampleA = 0;
  let sampleB = 0;
  for (const [stratum, c] of table.strata) {
    const tn = [0, 1, 2].map((f) => Math.max(0, c.all[f]! - c.tp[f]! - c.fp[f]! - c.fn[f]!));
    const cell = [c.tp, c.fp, c.fn, tn];
    let n = 0;
    let sumWA = 0;
    let sumWB = 0;
    let sumW2AA = 0;
    let sumW2AB = 0;
    let sumW2BB = 0;
    for (let k = 0; k < 4; k++) {
      const [cn, w, w2] = cell[k]!;
      if (beta[k] !== 0) n += cn!;
      sumWA += alpha[k]! * w!;
      sumWB += beta[k]! * w!;
      sumW2AA += alpha[k]! * alpha[k]! * w2!;
      sumW2AB += alpha[k]! * beta[k]! * w2!;
      sumW2BB += beta[k]! * beta[k]! * w2!;
      sampleA += alpha[k]! * cn!;
      sampleB += beta[k]! * cn!;
    }
    // A stratum with nothing in the denominator adds nothing to the estimate or its variance.
    if (n === 0 && sumWB === 0 && sumWA === 0) continue;
    const design = counts.get(stratum);
    if (design === undefined) throw new RangeError(`no design count for stratum ${stratum}`);
    const inDomain = cell.reduce((a, k) => a + k[0]!, 0);
    strata.push({ stratum, nStratum: Math.max(design, inDomain), n, sumWA, sumWB, sumW2AA, sumW2AB, sumW2BB });
  }
  const estimate =
    rate === 'f1'
      ? ratioFromSums(strata, { confidence: options.confidence, kind: 'mean', bounds: [0, 1] })
      : ratioFromSums(strata, { confidence: options.confidence, kind: 'proportion' });
  return fromRatio(estimate, ratio(sampleA, sampleB));
}

/** Decision-level cells ("violating or not"): exclusive per review, so tn is exact. */
export function decisionConfusionEstimates(rows: readonly DecisionCellRow[], rate: ConfusionRate, options: EstimateOptions): Estimated {
  const counts = designCounts(rows);
  const estimate = (part: readonly DecisionCellRow[]) => {
    const table = new CellTable();
    for (const row of part) {
      table.addCells(row.stratum, row);
      table.addReviews(row.stratum, row);
    }
    return confusionEstimate(table, counts, rate, options);
  };
  return estimateGroups(rows, estimate);
}

/**
 * Per-label cells: label rows grouped by the requested dimensions (label or policy among them), and
 * the slice's review totals grouped by the same dimensions without label and policy. `totalsKey` maps
 * a label row's group to its totals group. A true negative for a label is a review of the slice where
 * neither side applied it: the totals minus the label's cells, per stratum, in every stratum of the
 * slice (also those where nobody applied the label). Several labels in one group (a policy) and the
 * overall (every label) pool the labels' cells.
 */
export function labelConfusionEstimates(
  labelRows: readonly LabelCellRow[],
  totalsRows: readonly TotalsRow[],
  totalsKey: (row: GroupKeyed) => GroupKeyed,
  rate: ConfusionRate,
  options: EstimateOptions,
): Estimated {
  const counts = designCounts([...labelRows, ...totalsRows]);
  const withTotals = needsTrueNegatives(rate);
  const totalsByGroup = new Map(byGroup(totalsRows).map((g) => [groupId(g.key), g.rows]));
  const groups = byGroup(labelRows).map((g) => {
    const table = new CellTable();
    if (withTotals) for (const row of totalsByGroup.get(groupId(totalsKey(g.key))) ?? []) table.addReviews(row.stratum, row);
    for (const row of g.rows) table.addCells(row.stratum, row);
    return { ...g.key, estimate: confusionEstimate(table, counts, rate, options) };
  });
  const pooled = new CellTable();
  for (const row of totalsRows) pooled.addReviews(row.stratum, row);
  for (const row of labelRows) pooled.addCells(row.stratum, row);
  return { overall: confusionEstimate(pooled, counts, rate, options), groups };
}

/* ---------- estimates from strata summed in the database ---------- */

/**
 * A group's (or the overall's) totals of per-stratum terms (src/domain/stats/ratio-terms.ts): the
 * repository sums a slice's design strata per group in SQL, so one row per group arrives instead of one
 * per group and stratum. The same figures as outcomeEstimates, scoreEstimates and the confusion paths.
 */
export type TermsKeyedRow = GroupKeyed & {
  overall: boolean;
  n: number;
  strata: number;
  singleton_strata: number;
  undesigned: number;
  sum_wa: number;
  sum_wb: number;
  sum_w2bb: number;
  q_aa: number;
  q_ab: number;
  q_bb: number;
  sample_a: number;
  sample_b: number;
};

function termsOfRow(row: TermsKeyedRow): RatioTerms {
  if (Number(row.undesigned) > 0) throw new RangeError(`${row.undesigned} design stratum/strata without a usable design count`);
  return {
    n: Number(row.n),
    strata: Number(row.strata),
    singletonStrata: Number(row.singleton_strata),
    sumWA: Number(row.sum_wa),
    sumWB: Number(row.sum_wb),
    sumW2BB: Number(row.sum_w2bb),
    qAA: Number(row.q_aa),
    qAB: Number(row.q_ab),
    qBB: Number(row.q_bb),
  };
}

export interface TermsEstimateOptions extends EstimateOptions {
  kind: 'proportion' | 'mean';
  bounds?: readonly [number, number];
  /** Show the unweighted sample value sample_a / sample_b beside the estimate. */
  sample: boolean;
}

/**
 * Estimates from per-group terms rows. The overall is the row marked overall (a query without
 * dimensions or period has only that row, which is then also its single group).
 */
export function termsEstimates(rows: readonly TermsKeyedRow[], options: TermsEstimateOptions): Estimated {
  const estimate = (row: TermsKeyedRow | undefined): Estimate => {
    const terms = row ? termsOfRow(row) : EMPTY_TERMS;
    const r = ratioFromTerms(terms, { confidence: options.confidence, kind: options.kind, bounds: options.bounds });
    return fromRatio(r, options.sample && row ? ratio(Number(row.sample_a), Number(row.sample_b)) : null);
  };
  const overallRow = rows.find((r) => r.overall);
  const overall = estimate(overallRow);
  const groupRows = rows.filter((r) => !r.overall);
  if (groupRows.length === 0) return { overall, groups: overallRow ? [{ g0: overallRow.g0, g1: overallRow.g1, period: overallRow.period, estimate: overall }] : [] };
  return { overall, groups: groupRows.map((r) => ({ g0: r.g0, g1: r.g1, period: r.period, estimate: estimate(r) })) };
}

/* ---------- unweighted counts and the census ---------- */

export type DisputeRow = GroupKeyed & { n: number; n_disputed: number; n_overturned: number };

/** Reviews disputed / reviews, or overturned / disputed: Wilson intervals on the counts. */
export function disputeEstimates(rows: readonly DisputeRow[], which: 'disputed' | 'overturned', options: EstimateOptions): Estimated {
  const estimate = (part: readonly DisputeRow[]): Estimate => {
    const n = part.reduce((s, r) => s + (which === 'disputed' ? r.n : r.n_disputed), 0);
    const x = part.reduce((s, r) => s + (which === 'disputed' ? r.n_disputed : r.n_overturned), 0);
    const w = wilson(x, n, options.confidence);
    const p = w.estimate;
    return {
      value: p,
      lower: p === null ? null : w.lower,
      upper: p === null ? null : w.upper,
      se: p === null ? null : Math.sqrt((p * (1 - p)) / n),
      n,
      N: n,
      sampleValue: p,
      effectiveN: n > 0 ? n : null,
      scoreN: n > 0 ? n : null,
    };
  };
  return estimateGroups(rows, estimate);
}

export type ProductionSumsRow = GroupKeyed & { decisions: number; handle_time_ms: number; decision_share: number; handle_time_share_ms: number };

/**
 * Volume and average handle time from production_daily (one row per label of a decision). Per label,
 * `decisions` counts each decision with the label once; over labels, `decision_share` (1/k for a
 * decision with k labels) counts each decision once (migration 0003). So groups read per label when a
 * label slices them (by or filter), and the overall only when a label filter does.
 */
export function censusEstimates(rows: readonly ProductionSumsRow[], which: 'aht' | 'volume', perLabel: { groups: boolean; overall: boolean }): Estimated {
  const estimate = (part: readonly ProductionSumsRow[], labelled: boolean): Estimate => {
    const decisions = part.reduce((s, r) => s + (labelled ? r.decisions : r.decision_share), 0);
    const time = part.reduce((s, r) => s + (labelled ? r.handle_time_ms : r.handle_time_share_ms), 0);
    // Shares of 1/k add up to whole decisions but for rounding.
    const volume = Math.round(decisions);
    const value = which === 'volume' ? volume : decisions > 0 ? time / decisions : null;
    return { value, lower: value, upper: value, se: null, n: volume, N: volume, sampleValue: null, effectiveN: null, scoreN: null };
  };
  return { overall: estimate(rows, perLabel.overall), groups: byGroup(rows).map((g) => ({ ...g.key, estimate: estimate(g.rows, perLabel.groups) })) };
}
