import type { Db } from '../../db/database.ts';
import { withBulkConnection, type BulkConnection } from '../../db/bulk.ts';
import { actAsTableOwner, applyViewer, resumeViewerRole } from '../../db/scoped.ts';
import { loadAgentDirectory, loadPolicyCatalogue } from '../../db/repositories/decision-catalogue.repository.ts';
import {
  addProduction,
  addToFrame,
  copyDecisions,
  existingPayloadHashes,
  insertSamples,
  type StagedDecision,
} from '../../db/repositories/decision-ingest.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { matchGoldAnswers } from '../auditing/gold-feed.service.ts';
import { createTasksForSamples } from '../qa/qa-tasks.service.ts';
import { placeDecision } from '../sampling/plan.rules.ts';
import { planInForce, type PlanTimeline } from '../sampling/plan-timeline.rules.ts';
import { loadPlanTimelines } from '../sampling/sampling-plans.service.ts';
import { checkDecision, decisionId, payloadHash } from './decision-input.ts';
import { buildDecisionResolver, type DecisionResolver } from './decision-resolver.ts';
import { frameDelta, productionDelta } from './batch-aggregates.ts';

/** One input line: parsed to a value, or a parse error with its line number. */
export type SourceLine = { line: number; value: unknown } | { line: number; error: { field: string; message: string } };

export interface RejectedLine {
  line: number;
  field: string;
  message: string;
}

export interface IngestSummary {
  accepted: number;
  duplicates: number;
  /** The first `maxRejectedListed` rejections, in line order. */
  rejected: RejectedLine[];
  rejectedCount: number;
  /** Accepted decisions selected for QA at ingestion (deferred strata are selected when their day closes). */
  sampled: number;
}

export interface IngestProgress {
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

export interface IngestOptions {
  /** Lines per transaction (default 20,000). Each batch commits on its own: a crash loses at most the batch in flight. */
  batchSize?: number;
  maxRejectedListed?: number;
  onProgress?: (progress: IngestProgress) => void;
  /** Called after each committed batch; tests use it to crash mid-import. */
  afterBatch?: (batchNumber: number) => void | Promise<void>;
}

const CONFLICT_MESSAGE = 'A decision with this source and external_id already exists with different content; decisions are never overwritten.';

class Tally {
  accepted = 0;
  duplicates = 0;
  sampled = 0;
  rejectedCount = 0;
  lines = 0;
  readonly rejected: RejectedLine[] = [];
  constructor(private readonly maxListed: number) {}

  reject(line: number, field: string, message: string): void {
    this.rejectedCount++;
    if (this.rejected.length < this.maxListed) this.rejected.push({ line, field, message });
  }

  summary(): IngestSummary {
    this.rejected.sort((a, b) => a.line - b.line);
    return { accepted: this.accepted, duplicates: this.duplicates, rejected: this.rejected, rejectedCount: this.rejectedCount, sampled: this.sampled };
  }
}

/**
 * The one ingest path for the API, the CLI, the demo and the benchmark:
 * check, resolve against the catalogue (policy version in force at
 * decided_at), place in the sampling plan in force at decided_at, persist,
 * aggregate, create QA tasks. Streaming: memory is bounded by the batch size,
 * not the input. Idempotent: ids derive from (source, external_id), so a
 * re-run, after success or a crash, reports duplicates and changes nothing.
 */
export async function ingestDecisions(db: Db, actor: Actor, lines: AsyncIterable<SourceLine>, options: IngestOptions = {}): Promise<IngestSummary> {
  const batchSize = options.batchSize ?? 20_000;
  const tally = new Tally(options.maxRejectedListed ?? 1000);
  const viewer = { userId: actor.userId, scope: actor.scope };
  await withBulkConnection(db, async (connection) => {
    await connection.begin();
    await applyViewer(connection.db, viewer);
    const catalogue = await loadPolicyCatalogue(connection.db);
    const agents = await loadAgentDirectory(connection.db);
    const plans = await loadPlanTimelines(connection.db);
    await connection.commit();
    const resolver = buildDecisionResolver(catalogue, agents);
    const stage = (line: SourceLine, batch: Map<string, StagedDecision>) => stageLine(line, batch, resolver, plans, tally);

    let batch = new Map<string, StagedDecision>();
    let pending: Promise<void> | null = null;
    let batchNumber = 0;
    const flush = async (rows: Map<string, StagedDecision>) => {
      await writeBatch(connection, viewer, [...rows.values()], tally);
      options.onProgress?.({ lines: tally.lines, accepted: tally.accepted, duplicates: tally.duplicates, rejected: tally.rejectedCount });
      await options.afterBatch?.(++batchNumber);
    };
    for await (const line of lines) {
      tally.lines++;
      stage(line, batch);
      // Let the batch being written make progress: its round trips to PostgreSQL need the event
      // loop, which a long synchronous parse would otherwise hold until the next input chunk.
      if (pending && (tally.lines & 255) === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (batch.size >= batchSize) {
        // Parse the next batch while PostgreSQL writes this one.
        if (pending) await pending;
        pending = flush(batch);
        batch = new Map();
      }
    }
    if (pending) await pending;
    if (batch.size > 0) await flush(batch);
    await connection.begin();
    await applyViewer(connection.db, viewer);
    await audit(connection.db, actor, {
      action: 'decisions.ingest',
      entityType: 'decision',
      details: { lines: tally.lines, accepted: tally.accepted, duplicates: tally.duplicates, rejected: tally.rejectedCount, sampled: tally.sampled },
    });
    await connection.commit();
  });
  return tally.summary();
}

function stageLine(
  line: SourceLine,
  batch: Map<string, StagedDecision>,
  resolver: DecisionResolver,
  plans: Map<string, PlanTimeline>,
  tally: Tally,
): void {
  if ('error' in line) return tally.reject(line.line, line.error.field, line.error.message);
  const checked = checkDecision(line.value);
  if (!checked.ok) {
    for (const issue of checked.issues) tally.reject(line.line, issue.field, issue.message);
    return;
  }
  const resolved = resolver.resolve(checked.decision);
  if (!resolved.ok) {
    for (const issue of resolved.issues) tally.reject(line.line, issue.field, issue.message);
    return;
  }
  const { input, decidedAt, canonical } = checked.decision;
  const r = resolved.value;
  const id = decisionId(input.source, input.external_id);
  const hash = payloadHash(canonical);
  const earlier = batch.get(id);
  if (earlier) {
    // The same decision twice in one batch: a duplicate if identical, else a conflict with the earlier line.
    if (earlier.payloadHash === hash) tally.duplicates++;
    else tally.reject(line.line, 'external_id', `${CONFLICT_MESSAGE} (See line ${earlier.lineNo}.)`);
    return;
  }
  const timeline = plans.get(r.workflowId);
  const plan = timeline ? planInForce(timeline, decidedAt) : null;
  const placement = plan
    ? placeDecision(
        plan.definition,
        plan.seed,
        { decisionId: id, labels: input.labels, severity: r.severity, vendorId: r.agent.vendorId, siteId: r.agent.siteId, tenureDays: r.tenureDays, modelScore: input.model_score ?? null },
        (label) => r.labelSeverity.get(label),
      )
    : null;
  batch.set(id, {
    lineNo: line.line,
    id,
    source: input.source,
    externalId: input.external_id,
    workflowId: r.workflowId,
    agentId: r.agent.id,
    vendorId: r.agent.vendorId,
    siteId: r.agent.siteId,
    teamId: r.agent.teamId,
    decidedAt: decidedAt.toISOString(),
    decidedDay: r.decidedDay,
    labels: input.labels,
    policyVersionIds: r.policyVersionIds,
    severity: r.severity,
    action: input.action,
    handleTimeMs: input.handle_time_ms,
    contentKind: input.content.kind,
    contentText: input.content.text ?? null,
    contentUrl: input.content.url ?? null,
    contentLanguage: input.content.language ?? null,
    modelScore: input.model_score ?? null,
    metadataJson: JSON.stringify(input.metadata ?? {}),
    tenureDays: r.tenureDays,
    payloadHash: hash,
    planVersionId: plan?.id ?? null,
    stratumKey: placement?.stratumKey ?? null,
    samplingP: placement?.p ?? null,
    samplingU: placement?.u ?? null,
    selectedMethod: placement?.selectedNow ? (placement.mode === 'all' ? 'all' : 'rate') : null,
    deferred: placement?.deferred ?? false,
  });
}

/**
 * One batch in one transaction. Existing ids are looked up first (a re-sent
 * decision is a duplicate, different content a conflict); the new decisions
 * are COPYed as the table owner (see copyDecisions) and the aggregates,
 * samples and QA tasks written. If a concurrent import inserted one of the
 * same ids in between, the COPY fails on the primary key and the batch is
 * simply retried: the second look-up then sees it.
 */
async function writeBatch(connection: BulkConnection, viewer: Parameters<typeof applyViewer>[1], rows: StagedDecision[], tally: Tally): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await connection.begin();
    try {
      await applyViewer(connection.db, viewer);
      await actAsTableOwner(connection.db);
      const existing = await existingPayloadHashes(connection.db, rows.map((r) => r.id));
      const fresh = existing.size === 0 ? rows : rows.filter((r) => !existing.has(r.id));
      await copyDecisions(connection, fresh);
      await addProduction(connection.db, productionDelta(fresh));
      // An agent's answer to a gold item fed upstream is scored, and kept out of the
      // sampling frame so it never gets a review that would count in their metrics.
      const gold = await matchGoldAnswers(connection.db, fresh, new Date());
      const sampleable = gold.size === 0 ? fresh : fresh.filter((r) => !gold.has(r.id));
      await addToFrame(connection.db, frameDelta(sampleable));
      const sampled = sampleable.filter((r) => r.selectedMethod !== null);
      await insertSamples(connection.db, sampled);
      // Still as the owner: assignment must see every eligible reviewer (in-house QA
      // for vendor work), not only the people in the ingesting caller's scope.
      if (sampled.length > 0) await createTasksForSamples(connection.db, sampled.map((r) => r.id), new Date());
      await resumeViewerRole(connection.db);
      await connection.commit();
      tally.accepted += fresh.length;
      tally.sampled += sampled.length;
      for (const row of rows) {
        const hash = existing.get(row.id);
        if (hash === undefined) continue;
        if (hash === row.payloadHash) tally.duplicates++;
        else tally.reject(row.lineNo, 'external_id', CONFLICT_MESSAGE);
      }
      return;
    } catch (error) {
      await connection.rollback();
      if (attempt < 3 && (error as { code?: string }).code === '23505') continue;
      throw error;
    }
  }
}
