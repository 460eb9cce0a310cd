import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../database.ts';

/** Statements of the xAPI LRS (migration 0013). Row-level security limits every query to the credential's scope. */

export interface StatementRow {
  id: string;
  seq: string;
  statement: Record<string, unknown>;
  voided: boolean;
  is_voiding: boolean;
  attachment_hashes: string[];
  vendor_id: string | null;
}

export interface NewStatement {
  id: string;
  vendorId: string | null;
  credentialId: string | null;
  statement: unknown;
  actorIfi: string | null;
  verbId: string;
  objectActivityId: string | null;
  objectAgentIfi: string | null;
  objectStatementRef: string | null;
  registration: string | null;
  stored: Date;
  timestamp: Date;
  isVoiding: boolean;
  attachmentHashes: string[];
  agents: Array<{ ifi: string; direct: boolean }>;
  activities: Array<{ activityId: string; direct: boolean }>;
  /** The person Assay knows the statement is about, when it knows one. */
  personId?: string | null;
}

const COLUMNS = ['id', 'seq', 'statement', 'voided', 'is_voiding', 'attachment_hashes', 'vendor_id'] as const;

export async function findStatements(db: Executor, ids: string[]): Promise<StatementRow[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('xapi_statements').select(COLUMNS).where('id', 'in', ids).execute()) as StatementRow[];
}

/** Rows per INSERT: a large batch stays well below PostgreSQL's 65,535 parameters per statement. */
const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Inserts statements with their related agents and activities (the caller checked the ids are new). */
export async function insertStatements(db: Executor, rows: NewStatement[]): Promise<void> {
  for (const chunk of chunks(rows)) await insertChunk(db, chunk);
}

async function insertChunk(db: Executor, rows: NewStatement[]): Promise<void> {
  await db
    .insertInto('xapi_statements')
    .values(
      rows.map((r) => ({
        id: r.id,
        vendor_id: r.vendorId,
        credential_id: r.credentialId,
        statement: JSON.stringify(r.statement),
        actor_ifi: r.actorIfi,
        verb_id: r.verbId,
        object_activity_id: r.objectActivityId,
        object_agent_ifi: r.objectAgentIfi,
        object_statement_ref: r.objectStatementRef,
        registration: r.registration,
        stored: r.stored,
        timestamp: r.timestamp,
        is_voiding: r.isVoiding,
        attachment_hashes: r.attachmentHashes,
        person_id: r.personId ?? null,
      })),
    )
    .execute();
  const agents = rows.flatMap((r) => r.agents.map((a) => ({ statement_id: r.id, vendor_id: r.vendorId, ifi: a.ifi, direct: a.direct })));
  for (const part of chunks(agents)) await db.insertInto('xapi_statement_agents').values(part).onConflict((oc) => oc.doNothing()).execute();
  const activities = rows.flatMap((r) => r.activities.map((a) => ({ statement_id: r.id, vendor_id: r.vendorId, activity_id: a.activityId, direct: a.direct })));
  for (const part of chunks(activities)) await db.insertInto('xapi_statement_activities').values(part).onConflict((oc) => oc.doNothing()).execute();
}

/** Marks the targets of voiding statements voided (voiding statements themselves are never voided). */
export async function markVoided(db: Executor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('xapi_statements').set({ voided: true }).where('id', 'in', ids).where('is_voiding', '=', false).execute();
}

export async function maxSeq(db: Executor): Promise<string> {
  const row = await sql<{ seq: string | null }>`SELECT max(seq)::text AS seq FROM xapi_statements`.execute(db);
  return row.rows[0]?.seq ?? '0';
}

export interface StatementQuery {
  agentIfi?: string;
  relatedAgents: boolean;
  verbId?: string;
  activityId?: string;
  relatedActivities: boolean;
  registration?: string;
  since?: Date;
  until?: Date;
  ascending: boolean;
  /** Paging: only rows after this seq in the chosen order, and never beyond `upTo` (the first page's high-water mark). */
  afterSeq: string | null;
  upTo: string;
  limit: number;
}

/** The filters that a statement, or the statement it targets through a StatementRef, must meet. */
function matches(alias: string, q: StatementQuery): RawBuilder<boolean> {
  const s = sql.id(alias);
  const parts: RawBuilder<unknown>[] = [];
  if (q.agentIfi !== undefined) {
    parts.push(sql`EXISTS (SELECT 1 FROM xapi_statement_agents a WHERE a.statement_id = ${s}.id AND a.ifi = ${q.agentIfi} AND a.direct = ${!q.relatedAgents})`);
  }
  if (q.verbId !== undefined) parts.push(sql`${s}.verb_id = ${q.verbId}`);
  if (q.activityId !== undefined) {
    parts.push(sql`EXISTS (SELECT 1 FROM xapi_statement_activities a WHERE a.statement_id = ${s}.id AND a.activity_id = ${q.activityId} AND a.direct = ${!q.relatedActivities})`);
  }
  if (q.registration !== undefined) parts.push(sql`${s}.registration = ${q.registration}::uuid`);
  return parts.length === 0 ? sql<boolean>`true` : sql<boolean>`(${sql.join(parts, sql` AND `)})`;
}

/** One page of a query, in store order; `limit + 1` rows are read so the caller knows whether more remain. */
export async function queryStatements(db: Executor, q: StatementQuery): Promise<StatementRow[]> {
  const filtered = q.agentIfi !== undefined || q.verbId !== undefined || q.activityId !== undefined || q.registration !== undefined;
  const where: RawBuilder<unknown>[] = [sql`s.voided = false`, sql`s.seq <= ${q.upTo}::bigint`];
  if (filtered) {
    where.push(sql`(${matches('s', q)} OR (s.object_statement_ref IS NOT NULL AND EXISTS (SELECT 1 FROM xapi_statements t WHERE t.id = s.object_statement_ref AND ${matches('t', q)})))`);
  }
  if (q.since) where.push(sql`s.stored > ${q.since}`);
  if (q.until) where.push(sql`s.stored <= ${q.until}`);
  if (q.afterSeq !== null) where.push(q.ascending ? sql`s.seq > ${q.afterSeq}::bigint` : sql`s.seq < ${q.afterSeq}::bigint`);
  const order = q.ascending ? sql`s.seq ASC` : sql`s.seq DESC`;
  const result = await sql<StatementRow>`
    SELECT s.id, s.seq::text AS seq, s.statement, s.voided, s.is_voiding, s.attachment_hashes, s.vendor_id
    FROM xapi_statements s
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY ${order}
    LIMIT ${q.limit + 1}`.execute(db);
  return result.rows;
}

/** The most recent statements in scope, newest first, with the credential and vendor that stored them (admin screen). */
export async function listRecentStatements(db: Executor, options: { limit: number; beforeSeq: string | null }) {
  let query = db
    .selectFrom('xapi_statements as s')
    .leftJoin('xapi_credentials as c', 'c.id', 's.credential_id')
    .leftJoin('vendors as v', 'v.id', 's.vendor_id')
    .select(['s.id', 's.seq', 's.statement', 's.stored', 's.timestamp', 's.voided', 'c.name as credential_name', 'v.name as vendor_name'])
    .orderBy('s.seq', 'desc')
    .limit(options.limit + 1);
  if (options.beforeSeq !== null) query = query.where('s.seq', '<', options.beforeSeq as never);
  return query.execute();
}

// ------------------------------------------------------------- attachments

export async function storeAttachments(
  db: Executor,
  scope: { vendorId: string | null; scopeKey: string },
  attachments: Array<{ sha2: string; contentType: string; content: Buffer }>,
): Promise<void> {
  if (attachments.length === 0) return;
  await db
    .insertInto('xapi_attachments')
    .values(attachments.map((a) => ({ vendor_id: scope.vendorId, scope_key: scope.scopeKey, sha2: a.sha2, content_type: a.contentType, content: a.content })))
    .onConflict((oc) => oc.columns(['scope_key', 'sha2']).doNothing())
    .execute();
}

export async function findAttachments(db: Executor, hashes: string[]) {
  if (hashes.length === 0) return [];
  return db.selectFrom('xapi_attachments').select(['sha2', 'content_type', 'content']).where('sha2', 'in', hashes).execute();
}

// -------------------------------------------------------------- activities

export async function findActivityDefinitions(db: Executor, scopeKey: string, activityIds: string[]) {
  if (activityIds.length === 0) return [];
  return db.selectFrom('xapi_activities').select(['activity_id', 'definition']).where('scope_key', '=', scopeKey).where('activity_id', 'in', activityIds).execute();
}

export async function upsertActivityDefinition(db: Executor, scope: { vendorId: string | null; scopeKey: string }, activityId: string, definition: unknown): Promise<void> {
  await db
    .insertInto('xapi_activities')
    .values({ vendor_id: scope.vendorId, scope_key: scope.scopeKey, activity_id: activityId, definition: JSON.stringify(definition) })
    .onConflict((oc) => oc.columns(['scope_key', 'activity_id']).doUpdateSet({ definition: JSON.stringify(definition) }))
    .execute();
}

/** Whether any statement in scope mentions the activity (the Activities resource answers 404 otherwise). */
export async function activityKnown(db: Executor, activityId: string): Promise<boolean> {
  const row = await db.selectFrom('xapi_statement_activities').select('statement_id').where('activity_id', '=', activityId).limit(1).executeTakeFirst();
  return row !== undefined;
}
