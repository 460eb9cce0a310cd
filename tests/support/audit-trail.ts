import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';

/**
 * Reading the audit log as the table owner (no row-level security), for tests
 * that check what a change recorded.
 */
export interface AuditRow {
  id: string;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  vendor_id: string | null;
  actor_user_id: string | null;
  actor_label: string;
  details: Record<string, unknown>;
}

export async function auditRowsFor(db: Db, entityId: string): Promise<AuditRow[]> {
  return (await db
    .selectFrom('audit_log')
    .select(['id', 'action', 'entity_type', 'entity_id', 'vendor_id', 'actor_user_id', 'actor_label', 'details'])
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute()) as unknown as AuditRow[];
}

export async function auditCount(db: Db): Promise<number> {
  const row = await db.selectFrom('audit_log').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return row.n;
}

/**
 * Whether the current version of a row and an audit entry were written by the
 * same transaction: PostgreSQL stamps every row version with the id of the
 * transaction that wrote it (xmin).
 */
export async function writtenInSameTransaction(db: Db, table: string, rowId: string, auditId: string): Promise<boolean> {
  const row = await sql<{ xmin: string }>`SELECT xmin::text AS xmin FROM ${sql.table(table)} WHERE id = ${rowId}`.execute(db);
  const entry = await sql<{ xmin: string }>`SELECT xmin::text AS xmin FROM audit_log WHERE id = ${auditId}`.execute(db);
  const a = row.rows[0]?.xmin;
  const b = entry.rows[0]?.xmin;
  return a !== undefined && a === b;
}
