import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { Page } from './pagination.ts';

/** Reading decisions (row-level security keeps them to the viewer's scope). */

export interface DecisionFilter {
  /** One decision's summary (no content). */
  id?: string;
  workflowId?: string;
  vendorId?: string;
  siteId?: string;
  teamId?: string;
  agentId?: string;
  label?: string;
  severity?: 'critical' | 'high' | 'medium' | 'low' | 'none';
  /** Inclusive UTC days. */
  from?: string;
  to?: string;
  sampled?: boolean;
  /** With a submitted primary review (its QA verdict is a known answer), or without one. */
  reviewed?: boolean;
  /** An external id, exact. */
  q?: string;
}

function filtered(db: Executor, filter: DecisionFilter) {
  let query = db.selectFrom('decisions as d');
  if (filter.id) query = query.where('d.id', '=', filter.id);
  if (filter.workflowId) query = query.where('d.workflow_id', '=', filter.workflowId);
  if (filter.vendorId) query = query.where('d.vendor_id', '=', filter.vendorId);
  if (filter.siteId) query = query.where('d.site_id', '=', filter.siteId);
  if (filter.teamId) query = query.where('d.team_id', '=', filter.teamId);
  if (filter.agentId) query = query.where('d.agent_id', '=', filter.agentId);
  if (filter.label) query = query.where(sql<boolean>`d.labels @> ARRAY[${filter.label}]::text[]`);
  if (filter.severity === 'none') query = query.where('d.severity', 'is', null);
  else if (filter.severity) query = query.where('d.severity', '=', filter.severity);
  if (filter.from) query = query.where('d.decided_at', '>=', sql<Date>`${filter.from}::date::timestamp AT TIME ZONE 'UTC'`);
  if (filter.to) query = query.where('d.decided_at', '<', sql<Date>`(${filter.to}::date + 1)::timestamp AT TIME ZONE 'UTC'`);
  if (filter.q) query = query.where('d.external_id', '=', filter.q);
  if (filter.sampled !== undefined) {
    const exists = sql<boolean>`EXISTS (SELECT 1 FROM qa_samples s WHERE s.decision_id = d.id)`;
    query = query.where(filter.sampled ? exists : sql<boolean>`NOT ${exists}`);
  }
  if (filter.reviewed !== undefined) {
    // Primary reviews only: gold and double reviews are checks on reviewers, not the decision's answer.
    const exists = sql<boolean>`EXISTS (SELECT 1 FROM reviews r WHERE r.decision_id = d.id AND r.purpose = 'primary')`;
    query = query.where(filter.reviewed ? exists : sql<boolean>`NOT ${exists}`);
  }
  return query;
}

function withNames(db: Executor, filter: DecisionFilter) {
  return filtered(db, filter)
    .innerJoin('workflows as w', 'w.id', 'd.workflow_id')
    .innerJoin('people as a', 'a.id', 'd.agent_id')
    .innerJoin('vendors as v', 'v.id', 'd.vendor_id')
    .innerJoin('sites as st', 'st.id', 'd.site_id')
    .leftJoin('teams as t', 't.id', 'd.team_id')
    .leftJoin('qa_samples as qs', 'qs.decision_id', 'd.id')
    // The viewer's own task on the decision when they have one, else its primary task (kind 'sample').
    // For everyone alike, so a gold or double-review task (kind 'audit', docs/decisions/0009) reads
    // as an ordinary task of its reviewer and never shows the primary task's completed status.
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('qa_tasks as t')
          .select(['t.id', 't.status', 't.due_at', 't.lease_expires_at'])
          .whereRef('t.decision_id', '=', 'd.id')
          .where(sql<boolean>`(t.kind = 'sample' OR t.assignee_id = assay_actor_person() OR t.claimed_by = assay_actor_person())`)
          .orderBy(sql`coalesce(t.assignee_id = assay_actor_person() OR t.claimed_by = assay_actor_person(), false)`, 'desc')
          .orderBy(sql`t.kind = 'sample'`, 'desc')
          .orderBy('t.created_at', 'desc')
          .limit(1)
          .as('qt'),
      (join) => join.onTrue(),
    )
    .select([
      'd.id', 'd.source', 'd.external_id', 'd.workflow_id', 'w.name as workflow_name', 'd.agent_id', 'a.full_name as agent_name',
      'd.vendor_id', 'v.name as vendor_name', 'd.site_id', 'st.name as site_name', 'd.team_id', 't.name as team_name',
      'd.decided_at', 'd.labels', 'd.severity', 'd.action', 'd.handle_time_ms', 'd.content_kind', 'd.content_language',
      'd.model_score', 'd.tenure_days', 'd.policy_version_ids', 'qs.stratum_key as sample_stratum_key',
      'qs.inclusion_probability as sample_inclusion_probability', 'qs.method as sample_method', 'qt.id as task_id',
      'qt.status as task_status', 'qt.due_at as task_due_at', 'qt.lease_expires_at as task_lease_expires_at',
    ]);
}

export type DecisionListRow = Awaited<ReturnType<typeof listDecisions>>[number];

export async function listDecisions(db: Executor, filter: DecisionFilter, page: Page) {
  return withNames(db, filter).orderBy('d.decided_at', 'desc').orderBy('d.id').limit(page.limit).offset(page.offset).execute();
}

export async function countDecisions(db: Executor, filter: DecisionFilter): Promise<number> {
  const row = await filtered(db, filter).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return row.n;
}

export async function findDecision(db: Executor, id: string) {
  return withNames(db, {})
    .where('d.id', '=', id)
    .select([
      'd.content_text', 'd.content_url', 'd.metadata', 'd.ingested_at', 'd.sampling_plan_version_id', 'd.stratum_key',
      'd.sampling_p', 'd.sampling_u',
    ])
    .executeTakeFirst();
}

export async function policyVersionsByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('policy_versions as pv')
    .innerJoin('policies as p', 'p.id', 'pv.policy_id')
    .select(['pv.id', 'p.key as policy_key', 'p.name as policy_name', 'pv.version', 'pv.effective_from'])
    .where('pv.id', 'in', ids)
    .orderBy('p.key')
    .execute();
}

export async function planVersionNumber(db: Executor, id: string): Promise<number | null> {
  const row = await db.selectFrom('sampling_plan_versions').select('version').where('id', '=', id).executeTakeFirst();
  return row?.version ?? null;
}

export interface ProductionFilter {
  workflowId?: string;
  vendorId?: string;
  siteId?: string;
  teamId?: string;
  agentId?: string;
  from?: string;
  to?: string;
}

/** Daily volume and average handle time from the production aggregates (never from decisions). */
export async function productionByDay(db: Executor, filter: ProductionFilter) {
  let query = db
    .selectFrom('production_daily as p')
    .select([
      'p.day',
      sql<number>`sum(p.decision_share)`.as('decisions'),
      sql<number>`sum(p.handle_time_share_ms) / nullif(sum(p.decision_share), 0)`.as('aht_ms'),
    ])
    .groupBy('p.day')
    .orderBy('p.day');
  if (filter.workflowId) query = query.where('p.workflow_id', '=', filter.workflowId);
  if (filter.vendorId) query = query.where('p.vendor_id', '=', filter.vendorId);
  if (filter.siteId) query = query.where('p.site_id', '=', filter.siteId);
  if (filter.teamId) query = query.where('p.team_id', '=', filter.teamId);
  if (filter.agentId) query = query.where('p.agent_id', '=', filter.agentId);
  if (filter.from) query = query.where('p.day', '>=', filter.from);
  if (filter.to) query = query.where('p.day', '<=', filter.to);
  return query.execute();
}
