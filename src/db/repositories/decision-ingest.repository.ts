import { sql } from 'kysely';
import type { BulkConnection } from '../bulk.ts';
import type { Executor } from '../database.ts';

/**
 * The SQL of the ingest path, per batch and in one transaction: look up which
 * ids exist, COPY the new decisions, add the batch's production and sampling
 * frame counts (aggregated by the caller) and its immediate samples. A batch
 * commits whole or not at all, so a crash never leaves half a batch, and the
 * aggregates always equal what the decisions table holds.
 */

export interface StagedDecision {
  lineNo: number;
  id: string;
  source: string;
  externalId: string;
  workflowId: string;
  agentId: string;
  vendorId: string;
  siteId: string;
  teamId: string | null;
  decidedAt: string;
  decidedDay: string;
  labels: string[];
  policyVersionIds: string[];
  severity: string | null;
  action: string;
  handleTimeMs: number;
  contentKind: string;
  contentText: string | null;
  contentUrl: string | null;
  contentLanguage: string | null;
  modelScore: number | null;
  metadataJson: string;
  tenureDays: number;
  payloadHash: string;
  planVersionId: string | null;
  stratumKey: string | null;
  samplingP: number | null;
  samplingU: number | null;
  /** 'all' | 'rate' when selected at ingestion, else null. */
  selectedMethod: 'all' | 'rate' | null;
  deferred: boolean;
}

const COLUMNS = `id, source, external_id, workflow_id, agent_id, vendor_id, site_id, team_id, decided_at, decided_day,
  labels, policy_version_ids, severity, action, handle_time_ms, content_kind, content_text, content_url, content_language,
  model_score, metadata, tenure_days, payload_hash, sampling_plan_version_id, stratum_key, sampling_p, sampling_u`;

/** COPY text format: backslash, tab, newline and carriage return escaped; \N is NULL. */
function text(value: string | null): string {
  if (value === null) return '\\N';
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}

function num(value: number | null): string {
  return value === null ? '\\N' : String(value);
}

/** A text[] literal: every element double-quoted, quotes and backslashes escaped. */
function textArray(values: string[]): string {
  return text(`{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`);
}

function copyLine(d: StagedDecision): string {
  return [
    d.id, text(d.source), text(d.externalId), d.workflowId, d.agentId, d.vendorId, d.siteId, d.teamId ?? '\\N',
    d.decidedAt, d.decidedDay, textArray(d.labels), `{${d.policyVersionIds.join(',')}}`, d.severity ?? '\\N', text(d.action),
    d.handleTimeMs, text(d.contentKind), text(d.contentText), text(d.contentUrl), text(d.contentLanguage), num(d.modelScore),
    text(d.metadataJson), d.tenureDays, d.payloadHash, d.planVersionId ?? '\\N', text(d.stratumKey), num(d.samplingP),
    num(d.samplingU),
  ].join('\t') + '\n';
}

function* copyChunks(rows: StagedDecision[]): Generator<string> {
  const size = 500;
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size).map(copyLine).join('');
}

/**
 * COPY straight into decisions. The caller has reset to the table owner's role
 * (COPY cannot run under row-level security), which is safe because every
 * row's agent, and with it vendor, site and team, was resolved from the
 * directory read under the caller's scope.
 */
export async function copyDecisions(connection: BulkConnection, rows: StagedDecision[]): Promise<void> {
  await connection.copy(`COPY decisions (${COLUMNS}) FROM STDIN`, copyChunks(rows));
}

/** The payload hash of every decision among `ids` that exists, whoever's scope it is in. */
export async function existingPayloadHashes(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<{ id: string; payload_hash: string }>`
    SELECT id, payload_hash FROM decisions WHERE id = ANY(${ids}::uuid[])
  `.execute(db);
  return new Map(rows.map((r) => [r.id, r.payload_hash]));
}

export interface ProductionDelta {
  day: string[];
  agentId: string[];
  workflowId: string[];
  label: string[];
  vendorId: string[];
  siteId: string[];
  teamId: Array<string | null>;
  decisions: number[];
  decisionShare: number[];
  handleTimeMs: number[];
  handleTimeShareMs: number[];
}

/** Adds a batch's production to the daily aggregates; keys arrive sorted, so concurrent batches lock rows in one order. */
export async function addProduction(db: Executor, d: ProductionDelta): Promise<void> {
  if (d.day.length === 0) return;
  await sql`
    INSERT INTO production_daily AS p (day, agent_id, workflow_id, label, vendor_id, site_id, team_id,
      decisions, decision_share, handle_time_ms_sum, handle_time_share_ms)
    SELECT * FROM unnest(${d.day}::date[], ${d.agentId}::uuid[], ${d.workflowId}::uuid[], ${d.label}::text[],
      ${d.vendorId}::uuid[], ${d.siteId}::uuid[], ${d.teamId}::uuid[], ${d.decisions}::integer[],
      ${d.decisionShare}::double precision[], ${d.handleTimeMs}::bigint[], ${d.handleTimeShareMs}::double precision[])
    ON CONFLICT (day, agent_id, workflow_id, label) DO UPDATE SET
      decisions = p.decisions + excluded.decisions,
      decision_share = p.decision_share + excluded.decision_share,
      handle_time_ms_sum = p.handle_time_ms_sum + excluded.handle_time_ms_sum,
      handle_time_share_ms = p.handle_time_share_ms + excluded.handle_time_share_ms
  `.execute(db);
}

export interface FrameDelta {
  planVersionId: string[];
  day: string[];
  stratumKey: string[];
  population: number[];
  expected: number[];
  selected: number[];
}

/** Adds a batch's decisions to the sampling frame counts per plan version, day and stratum. */
export async function addToFrame(db: Executor, f: FrameDelta): Promise<void> {
  if (f.day.length === 0) return;
  await sql`
    INSERT INTO sampling_strata_daily AS t (plan_version_id, day, stratum_key, population, expected, selected)
    SELECT * FROM unnest(${f.planVersionId}::uuid[], ${f.day}::date[], ${f.stratumKey}::text[], ${f.population}::integer[],
      ${f.expected}::double precision[], ${f.selected}::integer[])
    ON CONFLICT (plan_version_id, day, stratum_key) DO UPDATE SET
      population = t.population + excluded.population,
      expected = t.expected + excluded.expected,
      selected = t.selected + excluded.selected
  `.execute(db);
}

/** Records decisions selected for QA at ingestion, with their inclusion probabilities. */
export async function insertSamples(db: Executor, rows: StagedDecision[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO qa_samples (decision_id, plan_version_id, stratum_key, inclusion_probability, method, vendor_id, site_id, team_id, agent_id)
    SELECT * FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.planVersionId)}::uuid[],
      ${rows.map((r) => r.stratumKey)}::text[], ${rows.map((r) => r.samplingP)}::double precision[],
      ${rows.map((r) => r.selectedMethod)}::text[], ${rows.map((r) => r.vendorId)}::uuid[], ${rows.map((r) => r.siteId)}::uuid[],
      ${rows.map((r) => r.teamId)}::uuid[], ${rows.map((r) => r.agentId)}::uuid[])
  `.execute(db);
}
