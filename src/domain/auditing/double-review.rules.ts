import { ac1WithError, cohenKappa, holm, pairedDifferenceNewcombe, pairedExcessPValue, pairedTable, wilson, type ProportionInterval } from '../stats/index.ts';
import { labelCategory } from './auditing.rules.ts';

/**
 * What a set of double reviews says about a vendor's QA (docs/decisions/0009).
 * Each pair is one item reviewed by the vendor's QA and, blind, by internal QA.
 * Pure: the service reads the pairs, these functions turn them into figures.
 *
 * Leniency = vendor-QA pass rate - internal-QA pass rate on the same items. The
 * two rates come from the same items, so their difference has a paired
 * interval (Newcombe's method 10), not an independent-samples one. The items
 * were selected by a seeded draw on the review id alone, so within a workflow
 * every vendor-QA review had the same known chance of selection, whatever its
 * verdict: the pairs are an unbiased sample of the vendor's reviews.
 */

export interface ReviewPair {
  vendor: { passed: boolean; correct: boolean; labels: readonly string[] };
  internal: { passed: boolean; correct: boolean; labels: readonly string[] };
}

export interface AgreementFigures {
  /** Share of pairs with the same verdict, with its Wilson interval. */
  percentAgreement: ProportionInterval;
  ac1: { value: number | null; lower: number | null; upper: number | null; reason: string | null };
  kappa: { value: number | null; lower: number | null; upper: number | null; reason: string | null };
}

export interface Difference {
  /** Vendor QA minus internal QA, as proportions. */
  estimate: number | null;
  lower: number;
  upper: number;
  vendorRate: number | null;
  internalRate: number | null;
  n: number;
  /** Items vendor QA passed and internal QA failed, and the reverse. */
  discordant: { vendorOnly: number; internalOnly: number };
}

export interface DoubleReviewSummary {
  n: number;
  /** Agreement on whether the agent's decision was correct. */
  correctness: AgreementFigures;
  /** Agreement on the label set (the violation(s) found, '' for none). */
  label: AgreementFigures;
  leniency: Difference;
  /** Vendor QA's accuracy figure (share judged correct) minus internal QA's, on the same items. */
  accuracyGap: Difference;
  /**
   * Self-reported quality credibly inflated. For a vendor: the whole leniency interval lies above the
   * tolerance. For a reviewer: the same, after Holm's adjustment over the vendor's reviewers
   * (flagsForReviewers; docs/decisions/0016).
   */
  inflated: boolean;
  /** The leniency interval alone lies above the tolerance (this group taken by itself). */
  inflatedAlone: boolean;
  /** One-sided p-value of leniency > tolerance, from the paired interval (pairedExcessPValue). */
  leniencyP: number;
  /** Fewer pairs than make any of this worth reading. */
  tooFew: boolean;
}

export const MIN_PAIRS = 30;

function agreement(a: readonly (string | number)[], b: readonly (string | number)[], confidence: number): AgreementFigures {
  const agreeing = a.filter((x, i) => x === b[i]).length;
  const ac1 = ac1WithError(a.map((x, i) => [x, b[i]!]), { confidence });
  const kappa = cohenKappa(a, b, { confidence });
  return {
    percentAgreement: wilson(agreeing, a.length, confidence),
    ac1: { value: ac1.value, lower: ac1.ci?.[0] ?? null, upper: ac1.ci?.[1] ?? null, reason: ac1.reason },
    kappa: {
      value: kappa.value,
      lower: kappa.ci ? Math.max(-1, kappa.ci[0]) : null,
      upper: kappa.ci ? Math.min(1, kappa.ci[1]) : null,
      reason: kappa.reason,
    },
  };
}

function difference(first: boolean[], second: boolean[], confidence: number): Difference {
  const table = pairedTable(first, second);
  return differenceOf(table, confidence);
}

function differenceOf(table: ReturnType<typeof pairedTable>, confidence: number): Difference {
  const d = pairedDifferenceNewcombe(table, confidence);
  return { estimate: d.estimate, lower: d.lower, upper: d.upper, vendorRate: d.p1, internalRate: d.p2, n: d.n, discordant: { vendorOnly: table.b, internalOnly: table.c } };
}

export function summarisePairs(pairs: readonly ReviewPair[], tolerance: number, confidence = 0.95): DoubleReviewSummary {
  const leniencyTable = pairedTable(pairs.map((p) => p.vendor.passed), pairs.map((p) => p.internal.passed));
  const leniency = differenceOf(leniencyTable, confidence);
  const tooFew = pairs.length < MIN_PAIRS;
  // Never flagged on too few pairs (the screen says so): a handful of discordant items is not a finding about a person or vendor.
  const inflatedAlone = !tooFew && leniency.estimate !== null && leniency.lower > tolerance;
  return {
    n: pairs.length,
    correctness: agreement(pairs.map((p) => (p.vendor.correct ? 1 : 0)), pairs.map((p) => (p.internal.correct ? 1 : 0)), confidence),
    label: agreement(pairs.map((p) => labelCategory(p.vendor.labels)), pairs.map((p) => labelCategory(p.internal.labels)), confidence),
    leniency,
    accuracyGap: difference(pairs.map((p) => p.vendor.correct), pairs.map((p) => p.internal.correct), confidence),
    inflated: inflatedAlone,
    inflatedAlone,
    leniencyP: pairedExcessPValue(leniencyTable, tolerance),
    tooFew,
  };
}

/**
 * A vendor's reviewers flagged with the family-wise error held at the single-flag level: Holm over their
 * leniency p-values, flagged when the adjusted p-value is below (1 - confidence) / 2 (the one-sided level
 * of "the interval lies above the tolerance"). A QA lead scanning ten reviewers then sees a chance flag of
 * an honest reviewer at most 2.5% of the time, instead of about one time in four.
 */
export function flagsForReviewers<T extends Pick<DoubleReviewSummary, 'leniencyP' | 'inflatedAlone'>>(reviewers: readonly T[], confidence: number): Array<T & { inflated: boolean }> {
  const adjusted = holm(reviewers.map((r) => r.leniencyP));
  return reviewers.map((r, i) => ({ ...r, inflated: r.inflatedAlone && adjusted[i]! < (1 - confidence) / 2 }));
}
