import { sql } from 'kysely';
import pg from 'pg';
import type { Executor } from '../database.ts';

/**
 * Database logins for BI tools: LOGIN roles that are members of the NOLOGIN
 * role `assay_analyst` (migration 0007). Roles belong to the cluster, not to
 * one database, and role statements take no parameters, so names are quoted
 * as identifiers and the password goes as a SCRAM verifier literal (the
 * plain password never reaches the server or its logs).
 */

export const ANALYST_GROUP_ROLE = 'assay_analyst';

export interface ExistingRole {
  name: string;
  canLogin: boolean;
  superuser: boolean;
  /** A direct member of assay_analyst. */
  analyst: boolean;
}

export async function findRole(db: Executor, name: string): Promise<ExistingRole | null> {
  const { rows } = await sql<{ name: string; can_login: boolean; superuser: boolean; analyst: boolean }>`
    SELECT r.rolname AS name, r.rolcanlogin AS can_login, r.rolsuper AS superuser,
           EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                   WHERE m.member = r.oid AND g.rolname = ${ANALYST_GROUP_ROLE}) AS analyst
    FROM pg_roles r WHERE r.rolname = ${name}`.execute(db);
  const row = rows[0];
  return row ? { name: row.name, canLogin: row.can_login, superuser: row.superuser, analyst: row.analyst } : null;
}

/** Session defaults of an analyst login: read-only transactions, a statement time limit, the views first on the search path. */
export interface LoginSettings {
  statementTimeout: string;
}

function settingsStatements(role: string, settings: LoginSettings): string[] {
  return [
    `ALTER ROLE ${role} SET default_transaction_read_only = on`,
    `ALTER ROLE ${role} SET statement_timeout = ${pg.escapeLiteral(settings.statementTimeout)}`,
    `ALTER ROLE ${role} SET search_path = analyst`,
  ];
}

export async function createAnalystRole(db: Executor, name: string, scramVerifier: string, settings: LoginSettings): Promise<void> {
  const role = pg.escapeIdentifier(name);
  const statements = [
    `CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT NOREPLICATION NOBYPASSRLS ` +
      `PASSWORD ${pg.escapeLiteral(scramVerifier)} IN ROLE ${ANALYST_GROUP_ROLE}`,
    `COMMENT ON ROLE ${role} IS 'Assay analyst login (assay analysts create-login)'`,
    ...settingsStatements(role, settings),
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function rekeyAnalystRole(db: Executor, name: string, scramVerifier: string, settings: LoginSettings): Promise<void> {
  const role = pg.escapeIdentifier(name);
  for (const statement of [`ALTER ROLE ${role} PASSWORD ${pg.escapeLiteral(scramVerifier)}`, ...settingsStatements(role, settings)]) {
    await sql.raw(statement).execute(db);
  }
}

/**
 * Ends the role's open sessions (a dropped role's session would otherwise run
 * on) as far as this connection may: a superuser, pg_signal_backend, or a role
 * with the login's privileges. Returns how many were ended and how many remain.
 */
export async function endSessionsOf(db: Executor, name: string): Promise<{ ended: number; remaining: number }> {
  const { rows } = await sql<{ ended: number; remaining: number }>`
    WITH sessions AS (
      SELECT pid, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                  OR pg_has_role(current_user, 'pg_signal_backend', 'USAGE')
                  OR pg_has_role(current_user, usesysid, 'USAGE') AS may_end
      FROM pg_stat_activity WHERE usename = ${name} AND pid <> pg_backend_pid())
    SELECT count(*) FILTER (WHERE CASE WHEN may_end THEN pg_terminate_backend(pid) ELSE false END)::int AS ended,
           count(*) FILTER (WHERE NOT may_end)::int AS remaining
    FROM sessions`.execute(db);
  return rows[0]!;
}

export async function dropAnalystRole(db: Executor, name: string): Promise<void> {
  await sql.raw(`DROP ROLE ${pg.escapeIdentifier(name)}`).execute(db);
}

export async function currentDatabaseName(db: Executor): Promise<string> {
  const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(db);
  return rows[0]!.name;
}
