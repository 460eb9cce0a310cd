import { sql } from 'kysely';
import pg from 'pg';
import type { Db, Executor } from './database.ts';

/**
 * The one place scope is enforced. Every request's database work runs in a
 * transaction that (1) records the viewer's scope in transaction-local
 * settings and (2) switches to the NOLOGIN role `assay_app`, whose row-level
 * security policies (migrations/0001) filter every organisation table by those
 * settings. Handlers and repositories never filter by scope themselves, so a
 * new query cannot forget to: out-of-scope rows are simply not there, which
 * makes lists, counts and lookups by id (404) agree.
 */
export interface RowScope {
  kind: 'all' | 'vendor' | 'site' | 'team' | 'self';
  vendorId: string | null;
  siteId: string | null;
  teamId: string | null;
  personId: string | null;
}

export interface Viewer {
  userId: string | null;
  /** The viewer's own person record, visible to them whatever their scope (migration 0005). */
  personId?: string | null;
  scope: RowScope;
}

function scopeSettings(viewer: Viewer): string {
  const { scope } = viewer;
  const literal = (value: string | null) => pg.escapeLiteral(value ?? '');
  // set_config('role', …, true) is SET LOCAL ROLE.
  return `SELECT set_config('assay.scope_kind', ${literal(scope.kind)}, true),
           set_config('assay.scope_vendor', ${literal(scope.vendorId)}, true),
           set_config('assay.scope_site', ${literal(scope.siteId)}, true),
           set_config('assay.scope_team', ${literal(scope.teamId)}, true),
           set_config('assay.scope_person', ${literal(scope.personId)}, true),
           set_config('assay.user_id', ${literal(viewer.userId)}, true),
           set_config('assay.actor_person', ${literal(viewer.personId ?? null)}, true),
           set_config('role', 'assay_app', true)`;
}

/** Enters `viewer`'s scope inside a transaction that is already open. */
export async function applyViewer(trx: Executor, viewer: Viewer): Promise<void> {
  await sql.raw(scopeSettings(viewer)).execute(trx);
}

/**
 * Runs `work` in one transaction that sees only what `viewer` may see.
 * BEGIN and the scope go to the server as one simple-protocol script, so a
 * request pays one round trip, not two, before its first query; the values
 * are escaped literals (simple queries take no parameters).
 */
export async function withViewer<T>(db: Db, viewer: Viewer, work: (trx: Executor) => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql.raw(`BEGIN; ${scopeSettings(viewer)}`).execute(connection);
    let result: T;
    try {
      result = await work(connection);
    } catch (error) {
      await sql.raw('ROLLBACK').execute(connection).catch(() => undefined);
      throw error;
    }
    const { rows } = await sql.raw<{ command?: string }>('COMMIT').execute(connection);
    // PostgreSQL answers COMMIT with ROLLBACK when an earlier statement error aborted the transaction.
    if (rows[0]?.command === 'ROLLBACK') throw new Error('The transaction was aborted by an earlier error and rolled back.');
    return result;
  });
}

/** Runs `work` in one transaction with no scope: for system tasks only (migrations, demo, CLI as operator). */
export async function asSystem<T>(db: Db, work: (trx: Executor) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}

/**
 * Inside a viewer's transaction, act as the table owner (row-level security
 * off) for bulk writes whose rows the caller already scoped, such as COPY into
 * decisions (COPY refuses tables with row-level security). Pair with
 * `resumeViewerRole` before anything else runs.
 */
export async function actAsTableOwner(trx: Executor): Promise<void> {
  await sql`RESET ROLE`.execute(trx);
}

export async function resumeViewerRole(trx: Executor): Promise<void> {
  await sql`SET LOCAL ROLE assay_app`.execute(trx);
}
