import type { Executor } from '../../db/database.ts';
import { reviewPairs, seeAuditReviews } from '../../db/repositories/double-review.repository.ts';
import { reviewerGoldCounts } from '../../db/repositories/gold-items.repository.ts';
import { reviewerDisputeCounts, reviewerNames, type ReviewerQualityFilter } from '../../db/repositories/reviewer-quality.repository.ts';
import type { Actor } from '../access/actor.ts';
import { wilson, type ProportionInterval } from '../stats/index.ts';

/**
 * Reviewer quality for QA leads: per QA reviewer, accuracy against gold
 * items, agreement with peers on double-reviewed items (the vendor reviewer
 * and the internal one of each pair), and how often their disputed reviews
 * were overturned, each with n and a Wilson interval. Scope applies: a
 * vendor-scoped lead sees their own vendor's reviewers only (people outside
 * the scope are not there). Figures on few items are flagged, not ranked.
 */

export const MIN_N = 20;

export interface ReviewerQuality {
  reviewerId: string;
  name: string;
  vendorId: string;
  vendorName: string | null;
  inHouse: boolean;
  reviews: number;
  goldAccuracy: ProportionInterval & { tooFew: boolean };
  goldLabelAccuracy: ProportionInterval;
  goldActionAccuracy: ProportionInterval;
  peerAgreement: ProportionInterval & { tooFew: boolean };
  disputeRate: ProportionInterval;
  overturnRate: ProportionInterval & { tooFew: boolean };
}

export async function reviewerQuality(trx: Executor, _actor: Actor, filter: ReviewerQualityFilter & { confidence?: number }): Promise<{ confidence: number; minN: number; items: ReviewerQuality[] }> {
  const confidence = filter.confidence ?? 0.95;
  await seeAuditReviews(trx);
  const [gold, disputes, pairs] = await Promise.all([
    reviewerGoldCounts(trx, filter),
    reviewerDisputeCounts(trx, filter),
    reviewPairs(trx, { workflowId: filter.workflowId, from: filter.from, to: filter.to }),
  ]);
  const peer = new Map<string, { n: number; agree: number }>();
  for (const pair of pairs) {
    const agree = pair.vendor_correct === pair.internal_correct ? 1 : 0;
    for (const id of [pair.reviewer_id, pair.internal_reviewer_id]) {
      const counts = peer.get(id) ?? { n: 0, agree: 0 };
      counts.n += 1;
      counts.agree += agree;
      peer.set(id, counts);
    }
  }
  const goldBy = new Map(gold.map((g) => [g.reviewer_id, g]));
  const disputesBy = new Map(disputes.map((d) => [d.reviewer_id, d]));
  const ids = [...new Set([...goldBy.keys(), ...disputesBy.keys(), ...peer.keys()])];
  const people = (await reviewerNames(trx, ids)).filter((p) => !filter.vendorId || p.vendor_id === filter.vendorId);
  const items = people
    .map((p): ReviewerQuality => {
      const g = goldBy.get(p.id);
      const d = disputesBy.get(p.id);
      const pe = peer.get(p.id);
      const goldAccuracy = wilson(g?.correct ?? 0, g?.n ?? 0, confidence);
      const peerAgreement = wilson(pe?.agree ?? 0, pe?.n ?? 0, confidence);
      const overturnRate = wilson(d?.overturned ?? 0, d?.disputed ?? 0, confidence);
      return {
        reviewerId: p.id,
        name: p.full_name,
        vendorId: p.vendor_id,
        vendorName: p.vendor_name,
        inHouse: p.vendor_is_in_house,
        reviews: d?.reviews ?? 0,
        goldAccuracy: { ...goldAccuracy, tooFew: goldAccuracy.n < MIN_N },
        goldLabelAccuracy: wilson(g?.labels_correct ?? 0, g?.n ?? 0, confidence),
        goldActionAccuracy: wilson(g?.action_correct ?? 0, g?.n ?? 0, confidence),
        peerAgreement: { ...peerAgreement, tooFew: peerAgreement.n < MIN_N },
        disputeRate: wilson(d?.disputed ?? 0, d?.reviews ?? 0, confidence),
        overturnRate: { ...overturnRate, tooFew: overturnRate.n < MIN_N },
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.reviewerId.localeCompare(b.reviewerId));
  return { confidence, minN: MIN_N, items };
}
