import { sql } from 'kysely';
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
  scope: RowScope;
}

export async function applyViewer(trx: Executor, viewer: Viewer): Promise<void> {
  const { scope } = viewer;
  // One round trip for every request: set_config('role', …, true) is SET LOCAL ROLE.
  await sql`
    SELECT set_config('assay.scope_kind', ${scope.kind}, true),
           set_config('assay.scope_vendor', ${scope.vendorId ?? ''}, true),
           set_config('assay.scope_site', ${scope.siteId ?? ''}, true),
           set_config('assay.scope_team', ${scope.teamId ?? ''}, true),
           set_config('assay.scope_person', ${scope.personId ?? ''}, true),
           set_config('assay.user_id', ${viewer.userId ?? ''}, true),
           set_config('role', 'assay_app', true)
  `.execute(trx);
}

/** Runs `work` in one transaction that sees only what `viewer` may see. */
export async function withViewer<T>(db: Db, viewer: Viewer, work: (trx: Executor) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await applyViewer(trx, viewer);
    return work(trx);
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
