import { sql } from 'kysely';
import type { Executor } from '../database.ts';

/** Forwarding Assay's own statements to an external LRS (migration 0013): settings and the outbox. */

/** The settings without the secret (the application role cannot read it). */
export async function forwardingSettings(db: Executor) {
  const row = await db.selectFrom('xapi_forwarding').select(['enabled', 'endpoint', 'username', 'version', 'updated_at']).executeTakeFirstOrThrow();
  const { rows } = await sql<{ has: boolean }>`SELECT assay_xapi_forwarding_has_secret() AS has`.execute(db);
  return { ...row, has_secret: rows[0]?.has === true };
}

/** With the secret: for the forwarding job only, which runs as the owner. */
export async function forwardingCredentials(db: Executor) {
  return db.selectFrom('xapi_forwarding').select(['enabled', 'endpoint', 'username', 'secret', 'version']).executeTakeFirstOrThrow();
}

/** Replaces the stored secret only if it is still `expected` (a concurrent start sealed it already otherwise). */
export async function replaceSecret(db: Executor, expected: string, secret: string): Promise<void> {
  await db.updateTable('xapi_forwarding').set({ secret }).where('secret', '=', expected).execute();
}

export async function updateForwarding(
  db: Executor,
  patch: { enabled: boolean; endpoint: string | null; username: string | null; secret?: string | null; version: '1.0.3' | '2.0.0' },
  userId: string | null,
): Promise<void> {
  await db
    .updateTable('xapi_forwarding')
    .set({
      enabled: patch.enabled,
      endpoint: patch.endpoint,
      username: patch.username,
      version: patch.version,
      ...(patch.secret !== undefined && { secret: patch.secret }),
      updated_by: userId,
      updated_at: sql`now()`,
    })
    .execute();
}

/** Queues statements when forwarding is on (a no-op otherwise); re-queuing a statement is a no-op. */
export async function enqueueIfEnabled(db: Executor, rows: Array<{ statementId: string; vendorId: string | null }>): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO xapi_forward_outbox (statement_id, vendor_id)
    SELECT s.id, s.vendor FROM unnest(${rows.map((r) => r.statementId)}::uuid[], ${rows.map((r) => r.vendorId)}::uuid[]) AS s(id, vendor)
    WHERE EXISTS (SELECT 1 FROM xapi_forwarding WHERE enabled)
    ON CONFLICT (statement_id) DO NOTHING`.execute(db);
}

/** The next due batch, locked so two workers never send the same statements at once. */
export async function claimDue(db: Executor, now: Date, limit: number) {
  return db
    .selectFrom('xapi_forward_outbox as o')
    .innerJoin('xapi_statements as s', 's.id', 'o.statement_id')
    .select(['o.statement_id', 'o.attempts', 's.statement'])
    .where('o.delivered_at', 'is', null)
    .where('o.next_attempt_at', '<=', now)
    .orderBy('o.enqueued_at')
    .limit(limit)
    .forUpdate('o')
    .skipLocked()
    .execute();
}

export async function markDelivered(db: Executor, ids: string[], status: number, at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('xapi_forward_outbox').set({ delivered_at: at, last_status: status, last_error: null, attempts: sql`attempts + 1` }).where('statement_id', 'in', ids).execute();
}

export async function markFailed(db: Executor, ids: string[], status: number | null, error: string, retryAt: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('xapi_forward_outbox').set({ last_status: status, last_error: error.slice(0, 1000), next_attempt_at: retryAt, attempts: sql`attempts + 1` }).where('statement_id', 'in', ids).execute();
}

export async function outboxSummary(db: Executor) {
  return db
    .selectFrom('xapi_forward_outbox')
    .select([
      sql<number>`count(*) FILTER (WHERE delivered_at IS NULL)::int`.as('pending'),
      sql<number>`count(*) FILTER (WHERE delivered_at IS NOT NULL)::int`.as('delivered'),
      sql<number>`count(*) FILTER (WHERE delivered_at IS NULL AND attempts > 0)::int`.as('retrying'),
      sql<Date | null>`max(delivered_at)`.as('last_delivered_at'),
      sql<string | null>`(array_agg(last_error ORDER BY next_attempt_at DESC) FILTER (WHERE delivered_at IS NULL AND last_error IS NOT NULL))[1]`.as('last_error'),
    ])
    .executeTakeFirstOrThrow();
}
