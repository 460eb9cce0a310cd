import type { Executor } from '../../db/database.ts';
import { seeAuditReviews } from '../../db/repositories/double-review.repository.ts';
import * as gold from '../../db/repositories/gold-items.repository.ts';
import { findReviewerLoads } from '../../db/repositories/qa-reviewers.repository.ts';
import { policiesInForce } from '../../db/repositories/reviews.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { Issues, notFound } from '../errors.ts';
import { ineligibility, QA_DEFAULTS, utcDay, type ReviewerProfile } from '../qa/qa-assignment.rules.ts';
import { checkVerdictAgainst } from '../reviews/workspace.service.ts';
import { goldTaskCount, seededUniform } from './auditing.rules.ts';
import { requireInternal } from './auditing-access.ts';

/**
 * The gold set: items with an expert answer, made from a decided item or
 * entered, and their unannounced injection into QA reviewers' queues as
 * ordinary tasks on the source decision (docs/decisions/0009). Reviewers'
 * answers are their reviews of those tasks; they are scored against the
 * expert answer when read, never at submission, so the submit path does
 * nothing different for gold.
 */

export interface GoldItem {
  id: string;
  workflowId: string;
  sourceDecisionId: string | null;
  vendorId: string | null;
  content: { kind: string; text: string | null; url: string | null; language: string | null };
  severity: string | null;
  expert: { labels: string[]; action: string; rationale: string; policyVersionIds: string[] };
  status: 'active' | 'retired';
  createdAt: string;
  retiredAt: string | null;
  usage: { reviewerAnswers: number; reviewerCorrect: number; agentAnswers: number; agentCorrect: number; openTasks: number } | null;
}

function present(row: gold.GoldItemRow, usage?: Awaited<ReturnType<typeof gold.goldItemUsage>>[number]): GoldItem {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    sourceDecisionId: row.source_decision_id,
    vendorId: row.vendor_id,
    content: { kind: row.content_kind, text: row.content_text, url: row.content_url, language: row.content_language },
    severity: row.severity,
    expert: { labels: row.expert_labels, action: row.expert_action, rationale: row.rationale, policyVersionIds: row.policy_version_ids },
    status: row.status,
    createdAt: row.created_at.toISOString(),
    retiredAt: row.retired_at?.toISOString() ?? null,
    usage: usage
      ? { reviewerAnswers: usage.reviewer_n, reviewerCorrect: usage.reviewer_correct, agentAnswers: usage.agent_n, agentCorrect: usage.agent_correct, openTasks: usage.open_tasks }
      : null,
  };
}

export async function listGold(trx: Executor, actor: Actor, filter: gold.GoldItemFilter): Promise<GoldItem[]> {
  requireInternal(actor, 'see gold items and their expert answers');
  await seeAuditReviews(trx);
  const rows = await gold.listGoldItems(trx, filter);
  const usage = new Map((await gold.goldItemUsage(trx, rows.map((r) => r.id))).map((u) => [u.gold_item_id, u]));
  await audit(trx, actor, { action: 'gold_item.list', entityType: 'gold_item', vendorId: null, details: { ...filter, count: rows.length } });
  return rows.map((r) => present(r, usage.get(r.id)));
}

export interface GoldItemInput {
  workflowId: string;
  sourceDecisionId?: string | null;
  vendorId?: string | null;
  content?: { kind: string; text?: string | null; url?: string | null; language?: string | null };
  severity?: string | null;
  labels: string[];
  action: string;
  rationale?: string;
}

/**
 * A gold item from a decision (content, severity and policy versions copied
 * from it; the expert answer is the caller's) or entered (content given).
 * The expert answer is checked against the policies in force for the decision
 * (or today, for an entered item).
 */
export async function createGold(trx: Executor, actor: Actor, input: GoldItemInput, now = new Date()): Promise<GoldItem> {
  requireInternal(actor, 'manage gold items');
  const issues = new Issues();
  const sourceId = input.sourceDecisionId?.toLowerCase() ?? null;
  const source = sourceId ? await gold.findSourceDecision(trx, sourceId) : undefined;
  if (sourceId && !source) issues.add('/sourceDecisionId', 'No such decision.');
  if (source && source.workflow_id !== input.workflowId.toLowerCase()) issues.add('/sourceDecisionId', 'This decision belongs to another workflow.');
  if (!sourceId && !input.content) issues.add('/content', 'Give the content, or make the item from a decision.');
  if (input.content && input.content.kind.trim() === '') issues.add('/content/kind', 'Say what kind of content this is.');
  if (input.content && !sourceId && !input.content.text?.trim() && !input.content.url?.trim()) issues.add('/content/text', 'Give the text or a URL.');
  const severity = input.severity ? input.severity : null;
  if (severity !== null && !['critical', 'high', 'medium', 'low'].includes(severity)) issues.add('/severity', 'Use critical, high, medium or low.');
  issues.throwIfAny();
  // The expert answer must be one the policies allowed when the item was decided (today, for an entered item).
  const at = sourceId ? await decidedAtOf(trx, sourceId) : now;
  const policies = await policiesInForce(trx, input.workflowId.toLowerCase(), at);
  for (const i of await checkVerdictAgainst(trx, policies, { labels: input.labels, action: input.action })) issues.add(i.path, i.message);
  issues.throwIfAny();
  const row = await gold.insertGoldItem(trx, {
    workflow_id: input.workflowId.toLowerCase(),
    source_decision_id: source?.id ?? null,
    vendor_id: input.vendorId?.toLowerCase() ?? null,
    content_kind: source?.content_kind ?? input.content!.kind.trim(),
    content_text: source ? source.content_text : input.content?.text?.trim() || null,
    content_url: source ? source.content_url : input.content?.url?.trim() || null,
    content_language: source ? source.content_language : input.content?.language?.trim() || null,
    severity: severity ?? source?.severity ?? null,
    expert_labels: [...new Set(input.labels)],
    expert_action: input.action,
    rationale: input.rationale?.trim() ?? '',
    policy_version_ids: source?.policy_version_ids ?? [],
    created_by: actor.userId,
  });
  await audit(trx, actor, { action: 'gold_item.create', entityType: 'gold_item', entityId: row.id, vendorId: null, details: { workflowId: row.workflow_id, sourceDecisionId: row.source_decision_id } });
  return present(row);
}

async function decidedAtOf(trx: Executor, decisionId: string): Promise<Date> {
  const row = await trx.selectFrom('decisions').select('decided_at').where('id', '=', decisionId).executeTakeFirstOrThrow();
  return new Date(row.decided_at);
}

export async function retireGold(trx: Executor, actor: Actor, id: string, now = new Date()): Promise<GoldItem> {
  requireInternal(actor, 'manage gold items');
  const row = await gold.retireGoldItem(trx, id.toLowerCase(), actor.userId, now);
  if (!row) throw notFound('Gold item');
  await audit(trx, actor, { action: 'gold_item.retire', entityType: 'gold_item', entityId: row.id, vendorId: null });
  return present(row);
}

/**
 * Slips gold tasks into reviewers' queues for the UTC day holding `now`: per
 * workflow with a gold rate, each eligible reviewer gets floor(k * rate + u)
 * gold tasks for the k ordinary tasks assigned to them in the last 24 hours
 * (u a seeded draw per reviewer and day), minus those already given today,
 * each on an active gold item whose source decision was sampled, that they
 * may review and have never seen, picked by a seeded order. Returns the
 * number of tasks made per workflow.
 */
export async function injectGoldTasks(trx: Executor, actor: Actor, options: { workflowId?: string } = {}, now = new Date()) {
  requireInternal(actor, 'inject gold items');
  const settings = (await gold.listAuditingSettings(trx, options.workflowId)).filter((s) => s.gold_rate > 0);
  const day = utcDay(now);
  const dayKey = day.start.toISOString().slice(0, 10);
  const made: Array<{ workflowId: string; tasks: number }> = [];
  for (const setting of settings) {
    const [candidates, reviewers, ordinary, already] = await Promise.all([
      gold.goldCandidates(trx, setting.workflow_id),
      findReviewerLoads(trx, [setting.workflow_id], day, QA_DEFAULTS.dailyCapacity),
      gold.ordinaryTaskCounts(trx, setting.workflow_id, new Date(now.getTime() - 86_400_000), now),
      gold.goldTaskCounts(trx, setting.workflow_id, day.start, day.end),
    ]);
    const picks: Array<{ goldItemId: string; decisionId: string; reviewerId: string }> = [];
    for (const reviewer of reviewers) {
      const want = goldTaskCount(ordinary.get(reviewer.id) ?? 0, setting.gold_rate, seededUniform(setting.seed, `${reviewer.id}:${dayKey}`)) - (already.get(reviewer.id) ?? 0);
      if (want <= 0) continue;
      const profile: ReviewerProfile = {
        id: reviewer.id,
        vendorId: reviewer.vendor_id,
        vendorIsInHouse: reviewer.vendor_is_in_house,
        teamId: reviewer.team_id,
        jobRole: reviewer.job_role,
        status: reviewer.status,
        languages: reviewer.languages,
        workflowIds: reviewer.workflow_ids,
      };
      const usable = candidates
        .filter((c) => !c.seen_by.includes(reviewer.id))
        .filter((c) => c.gold_vendor_id === null || c.gold_vendor_id === reviewer.vendor_id || reviewer.vendor_is_in_house)
        .filter((c) => !picks.some((p) => p.reviewerId === reviewer.id && p.decisionId === c.decision_id))
        .filter(
          (c) =>
            ineligibility(profile, {
              workflowId: c.workflow_id,
              agentId: c.agent_id,
              vendorId: c.vendor_id,
              vendorIsInHouse: c.vendor_is_in_house,
              teamId: c.team_id,
              language: c.language,
              internalReviewsVendorWork: c.internal_reviews_vendor_work,
            }) === null,
        )
        .map((c) => ({ c, order: seededUniform(setting.seed, `${reviewer.id}:${c.gold_item_id}`) }))
        .sort((a, b) => a.order - b.order)
        .slice(0, want);
      for (const { c } of usable) {
        picks.push({ goldItemId: c.gold_item_id, decisionId: c.decision_id, reviewerId: reviewer.id });
        c.seen_by.push(reviewer.id);
      }
    }
    const tasks = await gold.insertGoldTasks(trx, picks, now, QA_DEFAULTS.turnaroundHours);
    made.push({ workflowId: setting.workflow_id, tasks });
  }
  await audit(trx, actor, { action: 'gold_item.inject', entityType: 'gold_item', vendorId: null, details: { day: dayKey, made } });
  return { day: dayKey, workflows: made };
}
