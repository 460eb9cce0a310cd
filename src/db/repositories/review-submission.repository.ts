import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { AuditInsert } from './audit.repository.ts';
import type { DraftRow } from './review-drafts.repository.ts';
import type { NewReview, PolicyInForce, ReviewDecisionRow, ReviewTaskRow } from './reviews.repository.ts';

/**
 * Submitting a review is the QA team's hot path, so it costs two statements:
 * one reads everything the checks need with the task locked, one writes the
 * review, its first revision, the completed task, the dropped draft and the
 * audit entry. Each round trip to PostgreSQL costs more than the work in it
 * (docs/decisions/0006), which is why these are not composed of the smaller
 * repository functions the workspace uses.
 */

export interface SubmissionContext {
  task: ReviewTaskRow;
  /** The task's draft, whoever's it is (the service decides whether it is the submitter's). */
  draft: Pick<DraftRow, 'reviewer_id' | 'scorecard_version_id' | 'verdict' | 'decision_revealed_at' | 'active_ms' | 'started_at'> | undefined;
  decision: ReviewDecisionRow;
  /** The submitter's draft's scorecard version, else the workflow's published one; undefined when there is none. */
  scorecard: { id: string; version: number; name: string; definition: unknown } | undefined;
  /** The version of each of the workflow's policies in force when the decision was made. */
  policies: PolicyInForce[];
  reviewerName: string | null;
}

interface ContextRow {
  [column: string]: unknown;
}

/** The task (locked) with its draft, decision, scorecard and policies in force; undefined when the task is not in scope. */
export async function lockSubmissionContext(db: Executor, taskId: string, reviewerId: string): Promise<SubmissionContext | undefined> {
  const { rows } = await sql<ContextRow>`
    SELECT t.id, t.decision_id, t.workflow_id, t.vendor_id, t.site_id, t.team_id, t.agent_id, t.status, t.assignee_id, t.claimed_by,
           t.claimed_at, t.lease_expires_at, t.due_at, t.completed_at, coalesce(ws.blind_mode, true) AS blind_mode,
           dr.reviewer_id AS draft_reviewer_id, dr.scorecard_version_id AS draft_scorecard_version_id, dr.verdict AS draft_verdict,
           dr.decision_revealed_at AS draft_decision_revealed_at, dr.active_ms AS draft_active_ms, dr.started_at AS draft_started_at,
           d.external_id, w.name AS workflow_name, a.full_name AS agent_name, v.name AS vendor_name, st.name AS site_name,
           tm.name AS team_name, d.decided_at, d.labels, d.severity, d.action, d.handle_time_ms, d.content_kind, d.content_text,
           d.content_url, d.content_language, d.metadata, d.tenure_days, d.policy_version_ids,
           sv.id AS scorecard_id, sv.version AS scorecard_version, sv.name AS scorecard_name, sv.definition AS scorecard_definition,
           (SELECT full_name FROM people WHERE id = ${reviewerId}) AS reviewer_name,
           (SELECT coalesce(jsonb_agg(pol ORDER BY pol->>'policy_key'), '[]')
              FROM (SELECT DISTINCT ON (p.id) jsonb_build_object(
                      'policy_key', p.key, 'policy_name', p.name, 'id', pv.id, 'version', pv.version, 'summary', pv.summary,
                      'effective_from', pv.effective_from,
                      'labels', coalesce((SELECT jsonb_agg(jsonb_build_object('key', l.key, 'name', l.name, 'severity', l.severity, 'description', l.description) ORDER BY l.position)
                                          FROM policy_labels l WHERE l.policy_version_id = pv.id), '[]'),
                      'actions', coalesce((SELECT jsonb_agg(x.action_key ORDER BY x.action_key) FROM policy_version_actions x WHERE x.policy_version_id = pv.id), '[]')) AS pol
                    FROM workflow_policies wp
                    JOIN policies p ON p.id = wp.policy_id
                    JOIN policy_versions pv ON pv.policy_id = p.id
                    WHERE wp.workflow_id = t.workflow_id AND pv.effective_from <= d.decided_at
                    ORDER BY p.id, pv.effective_from DESC) in_force) AS policies
    FROM qa_tasks t
    JOIN decisions d ON d.id = t.decision_id
    JOIN workflows w ON w.id = d.workflow_id
    JOIN people a ON a.id = d.agent_id
    JOIN vendors v ON v.id = d.vendor_id
    JOIN sites st ON st.id = d.site_id
    LEFT JOIN teams tm ON tm.id = d.team_id
    LEFT JOIN qa_workflow_settings ws ON ws.workflow_id = t.workflow_id
    LEFT JOIN review_drafts dr ON dr.task_id = t.id
    LEFT JOIN scorecard_versions sv ON sv.id = coalesce(
      CASE WHEN dr.reviewer_id = ${reviewerId} THEN dr.scorecard_version_id END,
      (SELECT id FROM scorecard_versions WHERE workflow_id = t.workflow_id AND status = 'published'))
    WHERE t.id = ${taskId}
    FOR UPDATE OF t
  `.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const r = row as Record<string, any>;
  return {
    task: {
      id: r.id, decision_id: r.decision_id, workflow_id: r.workflow_id, vendor_id: r.vendor_id, site_id: r.site_id, team_id: r.team_id,
      agent_id: r.agent_id, status: r.status, assignee_id: r.assignee_id, claimed_by: r.claimed_by, claimed_at: r.claimed_at,
      lease_expires_at: r.lease_expires_at, due_at: r.due_at, completed_at: r.completed_at, blind_mode: r.blind_mode,
    },
    draft: r.draft_reviewer_id === null ? undefined : {
      reviewer_id: r.draft_reviewer_id, scorecard_version_id: r.draft_scorecard_version_id, verdict: r.draft_verdict,
      decision_revealed_at: r.draft_decision_revealed_at, active_ms: r.draft_active_ms, started_at: r.draft_started_at,
    },
    decision: {
      id: r.decision_id, external_id: r.external_id, workflow_id: r.workflow_id, workflow_name: r.workflow_name, agent_id: r.agent_id,
      agent_name: r.agent_name, vendor_id: r.vendor_id, vendor_name: r.vendor_name, site_id: r.site_id, site_name: r.site_name,
      team_id: r.team_id, team_name: r.team_name, decided_at: r.decided_at, labels: r.labels, severity: r.severity, action: r.action,
      handle_time_ms: r.handle_time_ms, content_kind: r.content_kind, content_text: r.content_text, content_url: r.content_url,
      content_language: r.content_language, metadata: r.metadata, tenure_days: r.tenure_days, policy_version_ids: r.policy_version_ids,
    },
    scorecard: r.scorecard_id === null ? undefined : { id: r.scorecard_id, version: r.scorecard_version, name: r.scorecard_name, definition: r.scorecard_definition },
    policies: (r.policies as PolicyInForce[]).map((p) => ({ ...p, effective_from: new Date(p.effective_from) })),
    reviewerName: r.reviewer_name,
  };
}

/**
 * One statement: the review, its revision 1, the task completed, the draft
 * dropped and the audit entry (whose entity is the new review). The
 * reviewer's vendor is read from their person record, the purpose from the
 * task (docs/decisions/0009). Undefined when the
 * task already has a review (task_id is unique).
 */
export async function insertSubmittedReview(
  db: Executor,
  review: NewReview,
  entry: Omit<AuditInsert, 'entityId'>,
  now: Date,
): Promise<{ id: string; revision: number; reviewer_vendor_id: string } | undefined> {
  const answers = JSON.stringify(review.answers);
  const { rows } = await sql<{ id: string; revision: number; reviewer_vendor_id: string }>`
    WITH r AS (
      INSERT INTO reviews (task_id, decision_id, workflow_id, vendor_id, site_id, team_id, agent_id, reviewer_id, reviewer_vendor_id,
                           scorecard_version_id, blind, qa_labels, qa_action, answers, score, passed, critical_failed, correct,
                           error_types, root_causes, policy_unclear, time_on_task_ms, submitted_at, updated_at, purpose)
      VALUES (${review.task_id}, ${review.decision_id}, ${review.workflow_id}, ${review.vendor_id}, ${review.site_id}, ${review.team_id},
              ${review.agent_id}, ${review.reviewer_id}, (SELECT vendor_id FROM people WHERE id = ${review.reviewer_id}),
              ${review.scorecard_version_id}, ${review.blind}, ${review.qa_labels}::text[], ${review.qa_action}, ${answers}::jsonb,
              ${review.score}, ${review.passed}, ${review.critical_failed}, ${review.correct}, ${review.error_types}::text[],
              ${review.root_causes}::text[], ${review.policy_unclear}, ${review.time_on_task_ms}, ${now}, ${now},
              -- A gold or double-review task makes a review of the same purpose (kept out of agent metrics, migration 0010).
              (SELECT purpose FROM qa_tasks WHERE id = ${review.task_id}))
      ON CONFLICT (task_id) DO NOTHING
      RETURNING id, task_id, revision, reviewer_vendor_id
    ), revision AS (
      INSERT INTO review_revisions (review_id, revision, reason, qa_labels, qa_action, answers, score, passed, critical_failed, correct,
                                    error_types, root_causes, created_at, created_by, vendor_id, site_id, team_id, agent_id)
      SELECT r.id, 1, 'submitted', ${review.qa_labels}::text[], ${review.qa_action}, ${answers}::jsonb, ${review.score}, ${review.passed},
             ${review.critical_failed}, ${review.correct}, ${review.error_types}::text[], ${review.root_causes}::text[], ${now}, ${entry.actorUserId}::uuid,
             ${review.vendor_id}, ${review.site_id}, ${review.team_id}, ${review.agent_id}
      FROM r
    ), task AS (
      UPDATE qa_tasks SET status = 'completed', completed_at = ${now}, lease_expires_at = NULL, updated_at = ${now}
      WHERE id = (SELECT task_id FROM r)
    ), draft AS (
      DELETE FROM review_drafts WHERE task_id = (SELECT task_id FROM r)
    ), logged AS (
      INSERT INTO audit_log (actor_user_id, actor_label, action, entity_type, entity_id, vendor_id, ip, user_agent, request_id, details)
      SELECT ${entry.actorUserId}::uuid, ${entry.actorLabel}, ${entry.action}, ${entry.entityType ?? null}, r.id::text, ${entry.vendorId ?? null}::uuid,
             ${entry.ip ?? null}, ${entry.userAgent ?? null}, ${entry.requestId ?? null}, ${JSON.stringify(entry.details ?? {})}::jsonb
      FROM r
    )
    SELECT id, revision, reviewer_vendor_id FROM r
  `.execute(db);
  return rows[0];
}
