import { ac1WithError, cohenKappa, pairedDifferenceNewcombe, pairedTable, wilson, type ProportionInterval } from '../stats/index.ts';
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
  /** Self-reported quality credibly inflated: the whole leniency interval lies above the tolerance. */
  inflated: boolean;
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
  const d = pairedDifferenceNewcombe(table, confidence);
  return { estimate: d.estimate, lower: d.lower, upper: d.upper, vendorRate: d.p1, internalRate: d.p2, n: d.n, discordant: { vendorOnly: table.b, internalOnly: table.c } };
}

export function summarisePairs(pairs: readonly ReviewPair[], tolerance: number, confidence = 0.95): DoubleReviewSummary {
  const leniency = difference(pairs.map((p) => p.vendor.passed), pairs.map((p) => p.internal.passed), confidence);
  return {
    n: pairs.length,
    correctness: agreement(pairs.map((p) => (p.vendor.correct ? 1 : 0)), pairs.map((p) => (p.internal.correct ? 1 : 0)), confidence),
    label: agreement(pairs.map((p) => labelCategory(p.vendor.labels)), pairs.map((p) => labelCategory(p.internal.labels)), confidence),
    leniency,
    accuracyGap: difference(pairs.map((p) => p.vendor.correct), pairs.map((p) => p.internal.correct), confidence),
    inflated: leniency.estimate !== null && leniency.lower > tolerance,
    tooFew: pairs.length < MIN_PAIRS,
  };
}
