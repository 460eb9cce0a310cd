/**
 * Weighted confusion matrices per label and the rates read from them (precision, recall, F1, over- and
 * under-enforcement), each a Hajek ratio with a design-based interval, from per-stratum cell sums. Pure.
 *
 * The QA verdict is the reference: for a label, an item is a true positive when the agent and QA both
 * applied it, a false positive when only the agent did (over-enforcement), a false negative when only
 * QA did (under-enforcement), a true negative when neither did. The four cells are mutually exclusive
 * per item, so every cross-product sum a ratio needs (sum w^2 a b...) is a combination of the cells'
 * sum w and sum w^2: a rollup stores per stratum and cell only n, sum w and sum w^2.
 */
import { ratioFromSums, type RatioEstimate, type StratumSums } from './ratio-estimation.ts';

export type ConfusionCell = 'tp' | 'fp' | 'fn' | 'tn';
export const CONFUSION_CELLS: readonly ConfusionCell[] = ['tp', 'fp', 'fn', 'tn'];

/** Additive sums of one cell in one stratum: count, sum w, sum w^2. */
export interface CellSums {
  n: number;
  sumW: number;
  sumW2: number;
}

/** One stratum's cells for a domain (slice) and label; adding rows of the same stratum adds every cell. */
export interface ConfusionDomainSums {
  stratum: string;
  tp: CellSums;
  fp: CellSums;
  fn: CellSums;
  tn: CellSums;
}

/** Cells plus the stratum's sample size in the whole design (see StratumSums.nStratum). */
export interface ConfusionStratumSums extends ConfusionDomainSums {
  nStratum: number;
}

/** A reviewed item for one label: weight w = 1 / pi; inDomain (default true) = in the slice. */
export interface ConfusionItem {
  stratum: string;
  w: number;
  agentHas: boolean;
  qaHas: boolean;
  inDomain?: boolean;
}

/** Which cell an item falls in, QA being the reference. */
export function confusionCell(agentHas: boolean, qaHas: boolean): ConfusionCell {
  if (agentHas) return qaHas ? 'tp' : 'fp';
  return qaHas ? 'fn' : 'tn';
}

const emptyCell = (): CellSums => ({ n: 0, sumW: 0, sumW2: 0 });
const emptyCells = (stratum: string): ConfusionDomainSums => ({ stratum, tp: emptyCell(), fp: emptyCell(), fn: emptyCell(), tn: emptyCell() });

/** Adds domain rows of the same stratum cell by cell (strata in first-seen order). */
export function mergeConfusionSums(rows: Iterable<ConfusionDomainSums>): ConfusionDomainSums[] {
  const byStratum = new Map<string, ConfusionDomainSums>();
  for (const row of rows) {
    let s = byStratum.get(row.stratum);
    if (!s) byStratum.set(row.stratum, (s = emptyCells(row.stratum)));
    for (const c of CONFUSION_CELLS) {
      s[c].n += row[c].n;
      s[c].sumW += row[c].sumW;
      s[c].sumW2 += row[c].sumW2;
    }
  }
  return [...byStratum.values()];
}

/**
 * Merges rows by stratum and attaches each stratum's design sample size (never summed from the rows).
 * Throws RangeError when a stratum has no design count or one below its items in the domain.
 */
export function confusionWithDesignCounts(rows: Iterable<ConfusionDomainSums>, designCounts: ReadonlyMap<string, number>): ConfusionStratumSums[] {
  return mergeConfusionSums(rows).map((s) => {
    const nStratum = designCounts.get(s.stratum);
    const inDomain = CONFUSION_CELLS.reduce((a, c) => a + s[c].n, 0);
    if (nStratum === undefined) throw new RangeError(`no design count for stratum ${s.stratum}`);
    if (!(Number.isInteger(nStratum) && nStratum >= inDomain)) {
      throw new RangeError(`design count of stratum ${s.stratum} must be an integer >= its domain items (${inDomain}), got ${nStratum}`);
    }
    return { ...s, nStratum };
  });
}

/**
 * Cell sums per stratum from items of one label. Pass every sampled item of the design (inDomain false
 * for those outside the slice) so that nStratum counts them, or give designCounts explicitly.
 */
export function accumulateConfusionSums(items: Iterable<ConfusionItem>, designCounts?: ReadonlyMap<string, number>): ConfusionStratumSums[] {
  const rows = new Map<string, ConfusionDomainSums>();
  const counts = new Map<string, number>();
  let i = 0;
  for (const it of items) {
    if (!(Number.isFinite(it.w) && it.w > 0)) throw new RangeError(`items[${i}].w must be a positive finite weight, got ${it.w}`);
    i++;
    counts.set(it.stratum, (counts.get(it.stratum) ?? 0) + 1);
    if (it.inDomain === false) continue;
    let s = rows.get(it.stratum);
    if (!s) rows.set(it.stratum, (s = emptyCells(it.stratum)));
    const cell = s[confusionCell(it.agentHas, it.qaHas)];
    cell.n += 1;
    cell.sumW += it.w;
    cell.sumW2 += it.w * it.w;
  }
  return confusionWithDesignCounts(rows.values(), designCounts ?? counts);
}

/** A reviewed item with the agent's and QA's label sets (multi-label decisions). */
export interface LabelledItem {
  stratum: string;
  w: number;
  agentLabels: Iterable<string>;
  qaLabels: Iterable<string>;
  inDomain?: boolean;
}

/**
 * Cell sums for every label: labels defaults to every label either side used; an item counts as a true
 * negative for a label neither side applied. Returns label -> per-stratum sums (labels sorted).
 */
export function confusionSumsByLabel(
  items: readonly LabelledItem[],
  options: { labels?: readonly string[]; designCounts?: ReadonlyMap<string, number> } = {},
): Map<string, ConfusionStratumSums[]> {
  const sets = items.map((it) => ({ agent: new Set(it.agentLabels), qa: new Set(it.qaLabels) }));
  const labels = options.labels ? [...options.labels] : [...new Set(sets.flatMap((s) => [...s.agent, ...s.qa]))].sort();
  const out = new Map<string, ConfusionStratumSums[]>();
  for (const label of labels) {
    const perItem = items.map((it, i) => ({
      stratum: it.stratum,
      w: it.w,
      agentHas: sets[i]!.agent.has(label),
      qaHas: sets[i]!.qa.has(label),
      inDomain: it.inDomain,
    }));
    out.set(label, accumulateConfusionSums(perItem, options.designCounts));
  }
  return out;
}

/** Per-item coefficient of each cell: a_i = sum over cells of coef[cell] * [item in cell]. */
export type CellCoefficients = Partial<Record<ConfusionCell, number>>;

/**
 * StratumSums of the ratio a / b where a and b are combinations of the cell indicators. Because each
 * item is in exactly one cell, sum w^2 a b = sum_c alpha_c beta_c sumW2_c (and likewise for a^2, b^2);
 * n counts the items with b != 0.
 */
export function cellRatioSums(strata: readonly ConfusionStratumSums[], numerator: CellCoefficients, denominator: CellCoefficients): StratumSums[] {
  return strata.map((s) => {
    let n = 0;
    let sumWA = 0;
    let sumWB = 0;
    let sumW2AA = 0;
    let sumW2AB = 0;
    let sumW2BB = 0;
    for (const c of CONFUSION_CELLS) {
      const alpha = numerator[c] ?? 0;
      const beta = denominator[c] ?? 0;
      const cell = s[c];
      if (beta !== 0) n += cell.n;
      sumWA += alpha * cell.sumW;
      sumWB += beta * cell.sumW;
      sumW2AA += alpha * alpha * cell.sumW2;
      sumW2AB += alpha * beta * cell.sumW2;
      sumW2BB += beta * beta * cell.sumW2;
    }
    return { stratum: s.stratum, nStratum: s.nStratum, n, sumWA, sumWB, sumW2AA, sumW2AB, sumW2BB };
  });
}

export type ConfusionRate = 'precision' | 'recall' | 'f1' | 'overEnforcementRate' | 'underEnforcementRate';

/** Numerator and denominator of each rate, as cell combinations. F1 = 2TP / (2TP + FP + FN). */
export const CONFUSION_RATES: Readonly<Record<ConfusionRate, { numerator: CellCoefficients; denominator: CellCoefficients }>> = {
  precision: { numerator: { tp: 1 }, denominator: { tp: 1, fp: 1 } },
  recall: { numerator: { tp: 1 }, denominator: { tp: 1, fn: 1 } },
  f1: { numerator: { tp: 2 }, denominator: { tp: 2, fp: 1, fn: 1 } },
  overEnforcementRate: { numerator: { fp: 1 }, denominator: { fp: 1, tn: 1 } },
  underEnforcementRate: { numerator: { fn: 1 }, denominator: { fn: 1, tp: 1 } },
};

export interface WeightedCell {
  /** Reviewed items in the cell. */
  n: number;
  /** Estimated population items in the cell, sum w. */
  weighted: number;
}

export interface ConfusionMetrics extends Record<ConfusionRate, RatioEstimate> {
  cells: Record<ConfusionCell, WeightedCell>;
  /** Reviewed items of the domain and their estimated population, sum w over the four cells. */
  n: number;
  estimatedPopulation: number;
}

/**
 * Weighted confusion matrix and its five rates, each from ratioFromSums over the stratum sums:
 * precision TP / (TP + FP), recall TP / (TP + FN), over-enforcement FP / (FP + TN) and under-enforcement
 * FN / (FN + TP) as proportions (design-adjusted Wilson intervals); F1 = 2TP / (2TP + FP + FN) is not a
 * binomial proportion, so it gets the Wald interval on its linearised variance clipped to [0, 1].
 * A rate whose denominator is empty (no positive by either side...) has estimate null with a reason.
 */
export function confusionMetrics(strata: readonly ConfusionStratumSums[], options: { confidence?: number } = {}): ConfusionMetrics {
  const cells = Object.fromEntries(
    CONFUSION_CELLS.map((c) => [c, { n: strata.reduce((a, s) => a + s[c].n, 0), weighted: strata.reduce((a, s) => a + s[c].sumW, 0) }]),
  ) as Record<ConfusionCell, WeightedCell>;
  const rate = (r: ConfusionRate): RatioEstimate => {
    const { numerator, denominator } = CONFUSION_RATES[r];
    const sums = cellRatioSums(strata, numerator, denominator);
    return r === 'f1'
      ? ratioFromSums(sums, { confidence: options.confidence, kind: 'mean', bounds: [0, 1] })
      : ratioFromSums(sums, { confidence: options.confidence, kind: 'proportion' });
  };
  return {
    cells,
    n: CONFUSION_CELLS.reduce((a, c) => a + cells[c].n, 0),
    estimatedPopulation: CONFUSION_CELLS.reduce((a, c) => a + cells[c].weighted, 0),
    precision: rate('precision'),
    recall: rate('recall'),
    f1: rate('f1'),
    overEnforcementRate: rate('overEnforcementRate'),
    underEnforcementRate: rate('underEnforcementRate'),
  };
}
