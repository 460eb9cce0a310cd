import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { Page } from './pagination.ts';

/**
 * Reviews: the task and decision a reviewer works on, the policies and
 * scorecard in force, the shape of a new review (written by
 * review-submission.repository.ts), and reading
 * reviews back (row-level security keeps them to the viewer's scope; an agent
 * with scope self sees only their own). Comments and disputes are written
 * elsewhere; here they are only read.
 */

/** The task under review, locked, with its decision's scope and the workflow's blind-mode setting. */
export async function lockTaskForReview(db: Executor, id: string) {
  return db
    .selectFrom('qa_tasks as t')
    .leftJoin('qa_workflow_settings as ws', 'ws.workflow_id', 't.workflow_id')
    .select([
      't.id', 't.decision_id', 't.workflow_id', 't.vendor_id', 't.site_id', 't.team_id', 't.agent_id', 't.status',
      't.assignee_id', 't.claimed_by', 't.claimed_at', 't.lease_expires_at', 't.due_at', 't.completed_at',
    ])
    .select(sql<boolean>`coalesce(ws.blind_mode, true)`.as('blind_mode'))
    .where('t.id', '=', id)
    .forUpdate('t')
    .executeTakeFirst();
}
export type ReviewTaskRow = NonNullable<Awaited<ReturnType<typeof lockTaskForReview>>>;

/** The decision with its content and the names around it. */
export async function findDecisionForReview(db: Executor, id: string) {
  return db
    .selectFrom('decisions as d')
    .innerJoin('workflows as w', 'w.id', 'd.workflow_id')
    .innerJoin('people as a', 'a.id', 'd.agent_id')
    .innerJoin('vendors as v', 'v.id', 'd.vendor_id')
    .innerJoin('sites as st', 'st.id', 'd.site_id')
    .leftJoin('teams as tm', 'tm.id', 'd.team_id')
    .select([
      'd.id', 'd.external_id', 'd.workflow_id', 'w.name as workflow_name', 'd.agent_id', 'a.full_name as agent_name', 'd.vendor_id',
      'v.name as vendor_name', 'd.site_id', 'st.name as site_name', 'd.team_id', 'tm.name as team_name', 'd.decided_at', 'd.labels',
      'd.severity', 'd.action', 'd.handle_time_ms', 'd.content_kind', 'd.content_text', 'd.content_url', 'd.content_language',
      'd.metadata', 'd.tenure_days', 'd.policy_version_ids',
    ])
    .where('d.id', '=', id)
    .executeTakeFirst();
}
export type ReviewDecisionRow = NonNullable<Awaited<ReturnType<typeof findDecisionForReview>>>;

/** How many decisions the agent made in the 30 days before this one (context for the reviewer). */
export async function agentRecentDecisionCount(db: Executor, agentId: string, before: Date): Promise<number> {
  const row = await db
    .selectFrom('decisions')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('agent_id', '=', agentId)
    .where('decided_at', '<=', before)
    .where('decided_at', '>', sql<Date>`${before}::timestamptz - interval '30 days'`)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The version of each of the workflow's policies in force at `at`, with labels and allowed actions (one round trip: it is on the submit path). */
export async function policiesInForce(db: Executor, workflowId: string, at: Date) {
  const { rows } = await sql<{
    policy_key: string;
    policy_name: string;
    id: string;
    version: number;
    summary: string;
    effective_from: Date;
    labels: Array<{ key: string; name: string; severity: string; description: string }>;
    actions: string[];
  }>`
    SELECT DISTINCT ON (p.id) p.key AS policy_key, p.name AS policy_name, pv.id, pv.version, pv.summary, pv.effective_from,
      coalesce((SELECT jsonb_agg(jsonb_build_object('key', l.key, 'name', l.name, 'severity', l.severity, 'description', l.description) ORDER BY l.position)
                FROM policy_labels l WHERE l.policy_version_id = pv.id), '[]') AS labels,
      coalesce((SELECT array_agg(a.action_key ORDER BY a.action_key) FROM policy_version_actions a WHERE a.policy_version_id = pv.id), '{}') AS actions
    FROM workflow_policies wp
    JOIN policies p ON p.id = wp.policy_id
    JOIN policy_versions pv ON pv.policy_id = p.id
    WHERE wp.workflow_id = ${workflowId} AND pv.effective_from <= ${at}
    ORDER BY p.id, pv.effective_from DESC
  `.execute(db);
  return rows.sort((a, b) => a.policy_key.localeCompare(b.policy_key));
}
export type PolicyInForce = Awaited<ReturnType<typeof policiesInForce>>[number];

export async function activeActionKeys(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('enforcement_actions').select('key').where('status', '=', 'active').execute();
  return rows.map((r) => r.key);
}

/** Scorecard versions are workflow-level reference data: read directly. */
export async function publishedScorecard(db: Executor, workflowId: string) {
  return db.selectFrom('scorecard_versions').select(['id', 'version', 'name', 'definition']).where('workflow_id', '=', workflowId).where('status', '=', 'published').executeTakeFirst();
}

export async function scorecardById(db: Executor, id: string) {
  return db.selectFrom('scorecard_versions').select(['id', 'version', 'name', 'definition', 'workflow_id']).where('id', '=', id).executeTakeFirst();
}

export interface NewReview {
  task_id: string;
  decision_id: string;
  workflow_id: string;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  agent_id: string;
  reviewer_id: string;
  scorecard_version_id: string;
  blind: boolean;
  qa_labels: string[];
  qa_action: string;
  answers: unknown;
  score: number;
  passed: boolean;
  critical_failed: boolean;
  correct: boolean;
  error_types: string[];
  root_causes: string[];
  policy_unclear: boolean;
  time_on_task_ms: number;
}

export interface ReviewFilter {
  id?: string;
  workflowId?: string;
  vendorId?: string;
  agentId?: string;
  reviewerId?: string;
  /** Inclusive UTC days of submission. */
  from?: string;
  to?: string;
  passed?: boolean;
  acknowledged?: boolean;
}

function filtered(db: Executor, filter: ReviewFilter) {
  let query = db.selectFrom('reviews as r');
  if (filter.id) query = query.where('r.id', '=', filter.id);
  if (filter.workflowId) query = query.where('r.workflow_id', '=', filter.workflowId);
  if (filter.vendorId) query = query.where('r.vendor_id', '=', filter.vendorId);
  if (filter.agentId) query = query.where('r.agent_id', '=', filter.agentId);
  if (filter.reviewerId) query = query.where('r.reviewer_id', '=', filter.reviewerId);
  if (filter.from) query = query.where('r.submitted_at', '>=', sql<Date>`${filter.from}::date::timestamp AT TIME ZONE 'UTC'`);
  if (filter.to) query = query.where('r.submitted_at', '<', sql<Date>`(${filter.to}::date + 1)::timestamp AT TIME ZONE 'UTC'`);
  if (filter.passed !== undefined) query = query.where('r.passed', '=', filter.passed);
  if (filter.acknowledged !== undefined) query = query.where('r.acknowledged_at', filter.acknowledged ? 'is not' : 'is', null);
  return query;
}

function withNames(db: Executor, filter: ReviewFilter) {
  return filtered(db, filter)
    .innerJoin('workflows as w', 'w.id', 'r.workflow_id')
    .innerJoin('decisions as d', 'd.id', 'r.decision_id')
    .leftJoin('people as a', 'a.id', 'r.agent_id')
    .leftJoin('people as rv', 'rv.id', 'r.reviewer_id')
    .leftJoin('vendors as v', 'v.id', 'r.vendor_id')
    .leftJoin('scorecard_versions as sv', 'sv.id', 'r.scorecard_version_id')
    .select([
      'r.id', 'r.task_id', 'r.decision_id', 'r.workflow_id', 'w.name as workflow_name', 'r.vendor_id', 'v.name as vendor_name', 'r.site_id',
      'r.team_id', 'r.agent_id', 'a.full_name as agent_name', 'r.reviewer_id', 'rv.full_name as reviewer_name', 'r.reviewer_vendor_id',
      'r.scorecard_version_id', 'sv.version as scorecard_version', 'r.blind', 'r.revision', 'r.qa_labels', 'r.qa_action', 'r.answers',
      'r.score', 'r.passed', 'r.critical_failed', 'r.correct', 'r.error_types', 'r.root_causes', 'r.policy_unclear', 'r.time_on_task_ms',
      'r.submitted_at', 'r.acknowledged_at', 'd.labels as decision_labels', 'd.action as decision_action', 'd.decided_at',
    ]);
}
export type ReviewRow = Awaited<ReturnType<typeof listReviews>>[number];

export async function listReviews(db: Executor, filter: ReviewFilter, page: Page) {
  return withNames(db, filter).orderBy('r.submitted_at', 'desc').orderBy('r.id').limit(page.limit).offset(page.offset).execute();
}

export async function countReviews(db: Executor, filter: ReviewFilter): Promise<number> {
  const row = await filtered(db, filter).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return row.n;
}

export async function findReview(db: Executor, id: string) {
  return withNames(db, { id }).select('sv.definition as scorecard_definition').executeTakeFirst();
}

export async function revisionsOf(db: Executor, reviewId: string) {
  return db.selectFrom('review_revisions').selectAll().where('review_id', '=', reviewId).orderBy('revision').execute();
}

export async function commentsOf(db: Executor, reviewId: string) {
  return db.selectFrom('review_comments').select(['id', 'author_label', 'body', 'created_at']).where('review_id', '=', reviewId).orderBy('created_at').execute();
}

export async function disputesOf(db: Executor, reviewId: string) {
  return db
    .selectFrom('disputes')
    .select(['id', 'raised_by_label', 'question_keys', 'reason', 'status', 'due_at', 'outcome', 'outcome_reason', 'score_before', 'score_after', 'created_at', 'resolved_at'])
    .where('review_id', '=', reviewId)
    .orderBy('created_at')
    .execute();
}
