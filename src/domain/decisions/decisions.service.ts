import type { Executor } from '../../db/database.ts';
import type { Page } from '../../db/repositories/pagination.ts';
import * as repo from '../../db/repositories/decisions.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { notFound } from '../errors.ts';

/** Browsing decisions in scope. Lists carry no content; opening one shows it and is audited. */

export interface DecisionSummary {
  id: string;
  source: string;
  externalId: string;
  workflowId: string;
  workflowName: string;
  agentId: string;
  agentName: string;
  vendorId: string;
  vendorName: string;
  siteId: string;
  siteName: string;
  teamId: string | null;
  teamName: string | null;
  decidedAt: string;
  labels: string[];
  severity: string | null;
  action: string;
  handleTimeMs: number;
  contentKind: string;
  contentLanguage: string | null;
  modelScore: number | null;
  tenureDays: number;
  policyVersionIds: string[];
  sample: { stratumKey: string; inclusionProbability: number; method: string } | null;
  task: { id: string; status: string; dueAt: string } | null;
}

export interface DecisionDetail extends DecisionSummary {
  content: { kind: string; text: string | null; url: string | null; language: string | null };
  metadata: Record<string, unknown>;
  policyVersions: Array<{ id: string; policyKey: string; policyName: string; version: number; effectiveFrom: string }>;
  sampling: { planVersionId: string; planVersion: number | null; stratumKey: string | null; p: number | null; u: number | null } | null;
  ingestedAt: string;
}

function present(row: repo.DecisionListRow, now: Date): DecisionSummary {
  // A claimed task whose lease ran out is open again for everyone.
  const leaseGone = row.task_status === 'claimed' && row.task_lease_expires_at !== null && new Date(row.task_lease_expires_at) <= now;
  return {
    id: row.id,
    source: row.source,
    externalId: row.external_id,
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    agentId: row.agent_id,
    agentName: row.agent_name,
    vendorId: row.vendor_id,
    vendorName: row.vendor_name,
    siteId: row.site_id,
    siteName: row.site_name,
    teamId: row.team_id,
    teamName: row.team_name ?? null,
    decidedAt: new Date(row.decided_at).toISOString(),
    labels: row.labels,
    severity: row.severity,
    action: row.action,
    handleTimeMs: row.handle_time_ms,
    contentKind: row.content_kind,
    contentLanguage: row.content_language,
    modelScore: row.model_score === null ? null : Math.round(row.model_score * 1e4) / 1e4,
    tenureDays: row.tenure_days,
    policyVersionIds: row.policy_version_ids,
    sample:
      row.sample_stratum_key === null
        ? null
        : { stratumKey: row.sample_stratum_key, inclusionProbability: row.sample_inclusion_probability!, method: row.sample_method! },
    task: row.task_id === null ? null : { id: row.task_id, status: leaseGone ? 'open' : row.task_status!, dueAt: new Date(row.task_due_at!).toISOString() },
  };
}

export async function listDecisions(trx: Executor, filter: repo.DecisionFilter, page: Page): Promise<{ items: DecisionSummary[]; total: number }> {
  const rows = await repo.listDecisions(trx, filter, page);
  const total = rows.length < page.limit && (rows.length > 0 || page.offset === 0) ? page.offset + rows.length : await repo.countDecisions(trx, filter);
  const now = new Date();
  return { items: rows.map((row) => present(row, now)), total };
}

/** One decision with its content. Every view is audit-logged: the content may be harmful and is personal data. */
export async function viewDecision(trx: Executor, actor: Actor, id: string): Promise<DecisionDetail> {
  const row = await repo.findDecision(trx, id);
  if (!row) throw notFound('Decision');
  const versions = await repo.policyVersionsByIds(trx, row.policy_version_ids);
  const planVersion = row.sampling_plan_version_id ? await repo.planVersionNumber(trx, row.sampling_plan_version_id) : null;
  await audit(trx, actor, { action: 'decision.content_view', entityType: 'decision', entityId: id, vendorId: row.vendor_id });
  return {
    ...present(row, new Date()),
    content: { kind: row.content_kind, text: row.content_text, url: row.content_url, language: row.content_language },
    metadata: row.metadata,
    policyVersions: versions.map((v) => ({
      id: v.id,
      policyKey: v.policy_key,
      policyName: v.policy_name,
      version: v.version,
      effectiveFrom: new Date(v.effective_from).toISOString(),
    })),
    sampling: row.sampling_plan_version_id
      ? { planVersionId: row.sampling_plan_version_id, planVersion, stratumKey: row.stratum_key, p: row.sampling_p, u: row.sampling_u }
      : null,
    ingestedAt: new Date(row.ingested_at).toISOString(),
  };
}

export async function productionDaily(trx: Executor, filter: repo.ProductionFilter) {
  const rows = await repo.productionByDay(trx, filter);
  return {
    items: rows.map((r) => ({ day: r.day, decisions: Math.round(Number(r.decisions) * 1000) / 1000, ahtMs: r.aht_ms === null ? null : Math.round(Number(r.aht_ms)) })),
  };
}
