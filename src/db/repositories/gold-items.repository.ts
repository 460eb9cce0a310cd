import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { GoldItemRow, GoldItemStatus } from '../schema-auditing.ts';

export type { GoldItemRow } from '../schema-auditing.ts';

/**
 * Gold items: content with an expert answer. Row-level security shows them to
 * scope all, and to a vendor scope when the item is its vendor's or everyone's.
 */

export interface GoldItemFilter {
  workflowId?: string;
  status?: GoldItemStatus;
  limit?: number;
}

export async function listGoldItems(trx: Executor, filter: GoldItemFilter = {}): Promise<GoldItemRow[]> {
  let q = trx.selectFrom('gold_items').selectAll();
  if (filter.workflowId !== undefined) q = q.where('workflow_id', '=', filter.workflowId);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  return q
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(Math.min(Math.max(filter.limit ?? 500, 1), 5000))
    .execute();
}

export async function findGoldItem(trx: Executor, id: string): Promise<GoldItemRow | undefined> {
  return trx.selectFrom('gold_items').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface NewGoldItem {
  workflow_id: string;
  source_decision_id: string | null;
  vendor_id: string | null;
  content_kind: string;
  content_text: string | null;
  content_url: string | null;
  content_language: string | null;
  severity: string | null;
  expert_labels: string[];
  expert_action: string;
  rationale: string;
  policy_version_ids: string[];
  created_by: string | null;
}

export async function insertGoldItem(trx: Executor, item: NewGoldItem): Promise<GoldItemRow> {
  return trx.insertInto('gold_items').values(item).returningAll().executeTakeFirstOrThrow();
}

export async function retireGoldItem(trx: Executor, id: string, userId: string | null, now: Date): Promise<GoldItemRow | undefined> {
  return trx
    .updateTable('gold_items')
    .set({ status: 'retired', retired_at: now, retired_by: userId })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Per gold item: how many reviewers and agents answered it and how many matched the expert. */
export async function goldItemUsage(trx: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ gold_item_id: string; reviewer_n: number; reviewer_correct: number; agent_n: number; agent_correct: number; open_tasks: number }>`
    SELECT g.id AS gold_item_id,
           (SELECT count(*) FROM reviews r JOIN qa_tasks t ON t.id = r.task_id WHERE t.gold_item_id = g.id)::int AS reviewer_n,
           (SELECT count(*) FROM reviews r JOIN qa_tasks t ON t.id = r.task_id WHERE t.gold_item_id = g.id
              AND r.qa_action = g.expert_action
              AND r.qa_labels @> g.expert_labels AND g.expert_labels @> r.qa_labels)::int AS reviewer_correct,
           (SELECT count(*) FROM gold_responses x WHERE x.gold_item_id = g.id)::int AS agent_n,
           (SELECT count(*) FROM gold_responses x WHERE x.gold_item_id = g.id AND x.correct)::int AS agent_correct,
           (SELECT count(*) FROM qa_tasks t WHERE t.gold_item_id = g.id AND t.status IN ('open', 'claimed'))::int AS open_tasks
    FROM gold_items g
    WHERE g.id = ANY(${[...ids]}::uuid[])
  `.execute(trx);
  return rows;
}

/** The decision a gold item is made from, with what the item copies. */
export async function findSourceDecision(trx: Executor, id: string) {
  return trx
    .selectFrom('decisions')
    .select(['id', 'workflow_id', 'vendor_id', 'content_kind', 'content_text', 'content_url', 'content_language', 'severity', 'policy_version_ids'])
    .where('id', '=', id)
    .executeTakeFirst();
}

// ---- settings ---------------------------------------------------------------

export interface AuditingSettingsRow {
  workflow_id: string;
  workflow_name: string;
  gold_rate: number;
  double_review_rate: number;
  leniency_tolerance: number;
  seed: string;
  updated_at: Date | null;
  active_gold_items: number;
}

/** Every active workflow with its auditing settings (defaults when none are stored). */
export async function listAuditingSettings(trx: Executor, workflowId?: string): Promise<AuditingSettingsRow[]> {
  const one = workflowId ? sql`AND w.id = ${workflowId}::uuid` : sql``;
  const { rows } = await sql<AuditingSettingsRow>`
    SELECT w.id AS workflow_id, w.name AS workflow_name,
           coalesce(s.gold_rate, 0)::float8 AS gold_rate, coalesce(s.double_review_rate, 0)::float8 AS double_review_rate,
           coalesce(s.leniency_tolerance, 0.02)::float8 AS leniency_tolerance, coalesce(s.seed, 'assay-audit') AS seed,
           s.updated_at,
           (SELECT count(*) FROM gold_items g WHERE g.workflow_id = w.id AND g.status = 'active')::int AS active_gold_items
    FROM workflows w
    LEFT JOIN auditing_workflow_settings s ON s.workflow_id = w.id
    WHERE (w.status = 'active' OR s.workflow_id IS NOT NULL) ${one}
    ORDER BY w.name, w.id
  `.execute(trx);
  return rows;
}

export async function upsertAuditingSettings(
  trx: Executor,
  workflowId: string,
  values: { gold_rate?: number; double_review_rate?: number; leniency_tolerance?: number; seed?: string },
  userId: string | null,
  now: Date,
): Promise<void> {
  await trx
    .insertInto('auditing_workflow_settings')
    .values({ workflow_id: workflowId, ...values, updated_at: now, updated_by: userId })
    .onConflict((oc) => oc.column('workflow_id').doUpdateSet({ ...values, updated_at: now, updated_by: userId }))
    .execute();
}

// ---- injection into reviewers' queues ----------------------------------------

/** An active gold item that can become a reviewer task: its source decision was sampled, with what eligibility needs. */
export interface GoldCandidateRow {
  gold_item_id: string;
  gold_vendor_id: string | null;
  decision_id: string;
  workflow_id: string;
  agent_id: string;
  vendor_id: string;
  vendor_is_in_house: boolean;
  team_id: string | null;
  language: string;
  internal_reviews_vendor_work: boolean;
  /** People who already had a task on this decision (its primary review, an earlier gold task): never again. */
  seen_by: string[];
}

export async function goldCandidates(trx: Executor, workflowId: string): Promise<GoldCandidateRow[]> {
  const { rows } = await sql<GoldCandidateRow>`
    SELECT g.id AS gold_item_id, g.vendor_id AS gold_vendor_id, d.id AS decision_id, d.workflow_id, d.agent_id, d.vendor_id,
           coalesce(v.is_in_house, false) AS vendor_is_in_house, d.team_id, coalesce(d.content_language, '') AS language,
           coalesce(ws.internal_reviews_vendor_work, false) AS internal_reviews_vendor_work,
           array(SELECT DISTINCT x.person::text FROM (
                   SELECT t.assignee_id AS person FROM qa_tasks t WHERE t.decision_id = d.id AND t.assignee_id IS NOT NULL
                   UNION SELECT t.claimed_by FROM qa_tasks t WHERE t.decision_id = d.id AND t.claimed_by IS NOT NULL
                   UNION SELECT r.reviewer_id FROM reviews r WHERE r.decision_id = d.id) x) AS seen_by
    FROM gold_items g
    JOIN decisions d ON d.id = g.source_decision_id
    JOIN qa_samples s ON s.decision_id = d.id
    LEFT JOIN vendors v ON v.id = d.vendor_id
    LEFT JOIN qa_workflow_settings ws ON ws.workflow_id = d.workflow_id
    WHERE g.workflow_id = ${workflowId} AND g.status = 'active'
    ORDER BY g.id
  `.execute(trx);
  return rows;
}

/** Ordinary (primary) tasks assigned to each reviewer and created in [from, to): what the gold rate is a share of. */
export async function ordinaryTaskCounts(trx: Executor, workflowId: string, from: Date, to: Date): Promise<Map<string, number>> {
  const { rows } = await sql<{ assignee_id: string; n: number }>`
    SELECT t.assignee_id, count(*)::int AS n FROM qa_tasks t
    WHERE t.workflow_id = ${workflowId} AND t.purpose = 'primary' AND t.assignee_id IS NOT NULL
      AND t.created_at >= ${from} AND t.created_at < ${to}
    GROUP BY t.assignee_id
  `.execute(trx);
  return new Map(rows.map((r) => [r.assignee_id, r.n]));
}

/** Gold tasks already made in [from, to) per reviewer, so a second run the same day adds nothing. */
export async function goldTaskCounts(trx: Executor, workflowId: string, from: Date, to: Date): Promise<Map<string, number>> {
  const { rows } = await sql<{ assignee_id: string; n: number }>`
    SELECT t.assignee_id, count(*)::int AS n FROM qa_tasks t
    WHERE t.workflow_id = ${workflowId} AND t.purpose = 'gold' AND t.assignee_id IS NOT NULL
      AND t.created_at >= ${from} AND t.created_at < ${to}
    GROUP BY t.assignee_id
  `.execute(trx);
  return new Map(rows.map((r) => [r.assignee_id, r.n]));
}

/**
 * Gold tasks exactly like the ingest path makes ordinary ones (same due-date
 * rule, same language column), assigned to the chosen reviewer.
 */
export async function insertGoldTasks(
  trx: Executor,
  picks: ReadonlyArray<{ goldItemId: string; decisionId: string; reviewerId: string }>,
  now: Date,
  defaultTurnaroundHours: number,
): Promise<number> {
  if (picks.length === 0) return 0;
  const { rows } = await sql<{ id: string }>`
    INSERT INTO qa_tasks (decision_id, workflow_id, vendor_id, site_id, team_id, agent_id, language, due_at, created_at, updated_at,
                          assignee_id, kind, purpose, gold_item_id)
    SELECT d.id, d.workflow_id, d.vendor_id, d.site_id, d.team_id, d.agent_id, coalesce(d.content_language, ''),
           ${now}::timestamptz + make_interval(hours => coalesce(ws.turnaround_hours, ${defaultTurnaroundHours}::int)),
           ${now}, ${now}, x.reviewer_id, 'audit', 'gold', x.gold_item_id
    FROM unnest(${picks.map((p) => p.goldItemId)}::uuid[], ${picks.map((p) => p.decisionId)}::uuid[], ${picks.map((p) => p.reviewerId)}::uuid[])
         AS x(gold_item_id, decision_id, reviewer_id)
    JOIN decisions d ON d.id = x.decision_id
    LEFT JOIN qa_workflow_settings ws ON ws.workflow_id = d.workflow_id
    RETURNING id
  `.execute(trx);
  return rows.length;
}

// ---- results -------------------------------------------------------------------

export interface GoldResultFilter {
  workflowId?: string;
  vendorId?: string;
  from?: string;
  to?: string;
}

const period = (column: string, f: GoldResultFilter) => sql`
  ${f.from ? sql`AND ${sql.ref(column)} >= ${f.from}::date::timestamp AT TIME ZONE 'UTC'` : sql``}
  ${f.to ? sql`AND ${sql.ref(column)} < (${f.to}::date + 1)::timestamp AT TIME ZONE 'UTC'` : sql``}`;

/** Reviewers' answers to gold tasks (their reviews), scored against the expert answer, per reviewer. */
export async function reviewerGoldCounts(trx: Executor, f: GoldResultFilter) {
  const { rows } = await sql<{ reviewer_id: string; n: number; correct: number; labels_correct: number; action_correct: number }>`
    SELECT r.reviewer_id, count(*)::int AS n,
           count(*) FILTER (WHERE r.qa_action = g.expert_action AND r.qa_labels @> g.expert_labels AND g.expert_labels @> r.qa_labels)::int AS correct,
           count(*) FILTER (WHERE r.qa_labels @> g.expert_labels AND g.expert_labels @> r.qa_labels)::int AS labels_correct,
           count(*) FILTER (WHERE r.qa_action = g.expert_action)::int AS action_correct
    FROM reviews r
    JOIN qa_tasks t ON t.id = r.task_id
    JOIN gold_items g ON g.id = t.gold_item_id
    WHERE r.purpose = 'gold'
      ${f.workflowId ? sql`AND r.workflow_id = ${f.workflowId}::uuid` : sql``}
      ${f.vendorId ? sql`AND r.reviewer_vendor_id = ${f.vendorId}::uuid` : sql``}
      ${period('r.submitted_at', f)}
    GROUP BY r.reviewer_id
  `.execute(trx);
  return rows;
}

/** Agents' answers to gold items fed upstream, per agent. */
export async function agentGoldCounts(trx: Executor, f: GoldResultFilter) {
  const { rows } = await sql<{ agent_id: string; agent_name: string | null; vendor_id: string; vendor_name: string | null; n: number; correct: number; labels_correct: number; action_correct: number }>`
    SELECT x.agent_id, p.full_name AS agent_name, x.vendor_id, v.name AS vendor_name, count(*)::int AS n,
           count(*) FILTER (WHERE x.correct)::int AS correct,
           count(*) FILTER (WHERE x.labels_correct)::int AS labels_correct,
           count(*) FILTER (WHERE x.action_correct)::int AS action_correct
    FROM gold_responses x
    LEFT JOIN people p ON p.id = x.agent_id
    LEFT JOIN vendors v ON v.id = x.vendor_id
    WHERE true
      ${f.workflowId ? sql`AND x.workflow_id = ${f.workflowId}::uuid` : sql``}
      ${f.vendorId ? sql`AND x.vendor_id = ${f.vendorId}::uuid` : sql``}
      ${period('x.responded_at', f)}
    GROUP BY x.agent_id, p.full_name, x.vendor_id, v.name
    ORDER BY p.full_name, x.agent_id
  `.execute(trx);
  return rows;
}

// ---- the feed for agents' queues upstream -------------------------------------

/** Active gold items of the workflow usable for the vendor (or every vendor), least fed first. */
export async function goldItemsToFeed(trx: Executor, workflowId: string, vendorId: string | null, limit: number) {
  const { rows } = await sql<GoldItemRow & { fed: number }>`
    SELECT g.*, (SELECT count(*) FROM gold_feed_items f WHERE f.gold_item_id = g.id)::int AS fed
    FROM gold_items g
    WHERE g.workflow_id = ${workflowId} AND g.status = 'active'
      AND (g.vendor_id IS NULL ${vendorId ? sql`OR g.vendor_id = ${vendorId}::uuid` : sql``})
    ORDER BY fed, g.id
    LIMIT ${limit}
  `.execute(trx);
  return rows;
}

export async function insertFeedItems(trx: Executor, items: ReadonlyArray<{ goldItemId: string; workflowId: string; vendorId: string | null }>, userId: string | null, now: Date) {
  if (items.length === 0) return [];
  return trx
    .insertInto('gold_feed_items')
    .values(items.map((i) => ({ gold_item_id: i.goldItemId, workflow_id: i.workflowId, vendor_id: i.vendorId, issued_by: userId, issued_at: now })))
    .returning(['id', 'gold_item_id'])
    .execute();
}

/**
 * The ingest hook: decisions just written whose external id is an open feed
 * item's id become agents' gold responses, scored against the expert answer
 * in SQL. One statement, and an indexed probe that finds nothing for
 * ordinary batches. Returns the decision ids that answered gold items.
 */
export async function matchFeedDecisions(trx: Executor, decisionIds: readonly string[], now: Date): Promise<string[]> {
  if (decisionIds.length === 0) return [];
  const { rows } = await sql<{ decision_id: string }>`
    WITH hits AS (
      SELECT f.id AS feed_item_id, f.gold_item_id, d.id AS decision_id, d.workflow_id, d.labels, d.action, d.decided_at,
             d.vendor_id, d.site_id, d.team_id, d.agent_id, g.expert_labels, g.expert_action
      FROM decisions d
      JOIN gold_feed_items f ON f.id::text = d.external_id AND f.matched_decision_id IS NULL AND f.workflow_id = d.workflow_id
      JOIN gold_items g ON g.id = f.gold_item_id
      WHERE d.id = ANY(${[...decisionIds]}::uuid[])
        AND d.external_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    ), matched AS (
      UPDATE gold_feed_items f SET matched_decision_id = h.decision_id, matched_at = ${now}
      FROM hits h WHERE f.id = h.feed_item_id
    ), responses AS (
      INSERT INTO gold_responses (gold_item_id, feed_item_id, decision_id, workflow_id, labels, action, labels_correct, action_correct,
                                  correct, responded_at, vendor_id, site_id, team_id, agent_id)
      SELECT h.gold_item_id, h.feed_item_id, h.decision_id, h.workflow_id, h.labels, h.action,
             h.labels @> h.expert_labels AND h.expert_labels @> h.labels, h.action = h.expert_action,
             h.labels @> h.expert_labels AND h.expert_labels @> h.labels AND h.action = h.expert_action,
             h.decided_at, h.vendor_id, h.site_id, h.team_id, h.agent_id
      FROM hits h
      ON CONFLICT (feed_item_id) DO NOTHING
    )
    SELECT decision_id FROM hits
  `.execute(trx);
  return rows.map((r) => r.decision_id);
}
