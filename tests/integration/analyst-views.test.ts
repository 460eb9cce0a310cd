import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { createDemoTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { METRICS_DEMO } from '../support/metrics-world.ts';
import { runCli, type CliResult } from '../support/cli-runner.ts';
import { auditRowsFor } from '../support/audit-trail.ts';

/**
 * The analyst views and the read-only logins handed out for BI tools
 * (migration 0007, `assay analysts`, docs/analysts.md): a login made by the
 * real CLI connects over TCP with its password, reads every view (all rows,
 * whatever the app's row-level security), reads nothing else, writes
 * nothing, never sees content or secrets, and stops working once revoked.
 */
let database: TestDatabase;
const suffix = randomBytes(4).toString('hex');
const LOGIN = `bi_test_${suffix}`;
const OTHER_ROLE = `bi_other_${suffix}`;
const clients: pg.Client[] = [];

const cli = (args: string[]) => runCli(database.connectionString, args, { timeoutMs: 60_000 });

/** Each view and the table (or query) whose rows it shows. */
const VIEWS: Record<string, string> = {
  decisions: 'decisions',
  reviews: 'reviews',
  review_revisions: 'review_revisions',
  disputes: 'disputes',
  quality_rollup: 'quality_rollup',
  quality_rollup_team: 'quality_rollup_team',
  quality_label_rollup: 'quality_label_rollup',
  quality_error_rollup: 'quality_error_rollup',
  quality_design_strata: 'quality_design_strata',
  production_daily: 'production_daily',
  vendors: 'vendors',
  sites: 'sites',
  teams: 'teams',
  people: 'people',
  workflows: 'workflows',
  workflow_policies: 'workflow_policies',
  policies: 'policies',
  policy_labels: 'policy_labels',
};

function connectionStringOf(result: CliResult): string {
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

async function connectAs(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  return client;
}

async function errorCodeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

/** Rows a view leaves out on purpose: gold and double reviews measure reviewers, not agents (migration 0010). */
const VIEW_FILTERS: Record<string, string> = { reviews: "purpose = 'primary'" };

async function ownerCount(table: string, where = 'true'): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${sql.raw(where)}`.execute(database.db);
  return rows[0]!.n;
}

let connectionString: string;
let analyst: pg.Client;

beforeAll(async () => {
  database = await createDemoTestDatabase(METRICS_DEMO);
  connectionString = connectionStringOf(await cli(['analysts', 'create-login', LOGIN]));
  analyst = await connectAs(connectionString);
});

afterAll(async () => {
  for (const client of clients) await client.end().catch(() => undefined);
  if (database) {
    // Roles belong to the cluster, not to this file's database.
    await sql.raw(`DROP ROLE IF EXISTS ${LOGIN}`).execute(database.db);
    await sql.raw(`DROP ROLE IF EXISTS ${OTHER_ROLE}`).execute(database.db);
  }
  await database?.drop();
});

describe('assay analysts create-login', () => {
  it('prints a connection string to this database for a read-only login in assay_analyst, audit-logged', async () => {
    const url = new URL(connectionString);
    expect(decodeURIComponent(url.username)).toBe(LOGIN);
    expect(url.pathname).toBe(`/${database.name}`);
    expect(decodeURIComponent(url.password).length).toBeGreaterThanOrEqual(30);
    const { rows } = await analyst.query<{ login: string; read_only: string; timeout: string; member: boolean; db: string }>(
      `SELECT current_user AS login, current_setting('default_transaction_read_only') AS read_only,
              current_setting('statement_timeout') AS timeout, pg_has_role(current_user, 'assay_analyst', 'USAGE') AS member,
              current_database() AS db`,
    );
    expect(rows[0]).toEqual({ login: LOGIN, read_only: 'on', timeout: '1min', member: true, db: database.name });
    const { rows: role } = await sql<{ rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean; rolbypassrls: boolean; verifier: string }>`
      SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, left(rolpassword, 14) AS verifier FROM pg_authid WHERE rolname = ${LOGIN}`.execute(database.db);
    expect(role[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, verifier: 'SCRAM-SHA-256$' });
    const entries = await auditRowsFor(database.db, LOGIN);
    expect(entries).toEqual([expect.objectContaining({ action: 'analyst_login.create', entity_type: 'analyst_login', actor_label: 'cli:cli-test', vendor_id: null })]);
    expect(JSON.stringify(entries)).not.toContain(decodeURIComponent(url.password));
  });

  it('refuses a name that is not a simple identifier, and an existing role that is not an analyst login', async () => {
    const bad = await cli(['analysts', 'create-login', 'Robert"; DROP ROLE postgres; --']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/simple identifier/);
    expect(bad.stdout).toBe('');

    await sql.raw(`CREATE ROLE ${OTHER_ROLE} NOLOGIN`).execute(database.db);
    const { rows: owner } = await sql<{ name: string }>`SELECT current_user AS name`.execute(database.db);
    for (const name of [OTHER_ROLE, owner[0]!.name]) {
      const taken = await cli(['analysts', 'create-login', name]);
      expect(taken.code, taken.stderr).toBe(2);
      expect(taken.stderr).toMatch(/exists and is not an analyst login/);
      expect(taken.stdout).toBe('');
    }
    const revokeOther = await cli(['analysts', 'revoke-login', OTHER_ROLE]);
    expect(revokeOther.code).toBe(2);
    expect(revokeOther.stderr).toMatch(/not an analyst login/);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = ${OTHER_ROLE} AND NOT rolcanlogin`.execute(database.db);
    expect(rows[0]!.n).toBe(1);
    expect(await auditRowsFor(database.db, OTHER_ROLE)).toEqual([]);
  });
});

describe('the analyst views, read as an analyst login', () => {
  it('show every row of what they are over: analysts are organisation-wide, whatever the row-level security', async () => {
    for (const [view, table] of Object.entries(VIEWS)) {
      const { rows } = await analyst.query<{ n: number }>(`SELECT count(*)::int AS n FROM analyst.${view}`);
      expect({ view, n: rows[0]!.n }).toEqual({ view, n: await ownerCount(table, VIEW_FILTERS[view]) });
    }
    for (const table of ['decisions', 'reviews', 'quality_rollup', 'production_daily', 'people', 'policy_labels']) expect(await ownerCount(table)).toBeGreaterThan(0);
    // The demo has gold and double reviews, so the filter is tested, not vacuous.
    expect(await ownerCount('reviews', "purpose <> 'primary'")).toBeGreaterThan(0);
  });

  it('give the reviews the rollups\' weights and design strata, so weighted accuracy from either agrees', async () => {
    const { rows } = await analyst.query<{ from_reviews: number; from_rollup: number; strata_mismatches: number }>(`
      SELECT (SELECT sum(weight * correct::int) / sum(weight) FROM analyst.reviews) AS from_reviews,
             (SELECT sum(sum_w_correct) / sum(sum_w) FROM analyst.quality_rollup) AS from_rollup,
             (SELECT count(*)::int FROM (
                SELECT workflow_id, decision_day, design_stratum, count(*)::int FROM analyst.reviews GROUP BY 1, 2, 3
                EXCEPT SELECT workflow_id, day, stratum, n FROM analyst.quality_design_strata) x) AS strata_mismatches`);
    expect(rows[0]!.from_reviews).toBeGreaterThan(0.5);
    expect(rows[0]!.from_reviews).toBeCloseTo(rows[0]!.from_rollup, 9);
    expect(rows[0]!.strata_mismatches).toBe(0);
  });

  it('answer the accuracy-by-vendor query of docs/analysts.md as the reviews themselves do', async () => {
    const documented = await analyst.query<{ vendor_name: string; accuracy: number; reviews: string }>(`
      SELECT v.vendor_name, sum(r.sum_w_correct) / nullif(sum(r.sum_w), 0) AS accuracy, sum(r.n) AS reviews
      FROM analyst.quality_rollup_team r JOIN analyst.vendors v USING (vendor_id)
      WHERE r.day >= DATE '2026-11-25' - 89
      GROUP BY v.vendor_name ORDER BY v.vendor_name`);
    const direct = await analyst.query<{ vendor_name: string; accuracy: number; reviews: string }>(`
      SELECT v.vendor_name, sum(r.weight * r.correct::int) / sum(r.weight) AS accuracy, count(*) AS reviews
      FROM analyst.reviews r JOIN analyst.vendors v USING (vendor_id)
      WHERE r.decision_day >= DATE '2026-11-25' - 89
      GROUP BY v.vendor_name ORDER BY v.vendor_name`);
    expect(documented.rows.length).toBeGreaterThan(1);
    expect(documented.rows.map((r) => [r.vendor_name, r.reviews])).toEqual(direct.rows.map((r) => [r.vendor_name, r.reviews]));
    documented.rows.forEach((row, i) => expect(row.accuracy).toBeCloseTo(direct.rows[i]!.accuracy, 9));
  });

  it('hold no content, no email, no free text about a decision and no secrets', async () => {
    const { rows } = await analyst.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'analyst'`,
    );
    const decisionColumns = rows.filter((r) => r.table_name === 'decisions').map((r) => r.column_name);
    expect(decisionColumns).toEqual(expect.arrayContaining(['decision_id', 'decision_day', 'labels', 'action', 'severity']));
    for (const forbidden of ['content_text', 'content_url', 'metadata', 'payload_hash']) expect(decisionColumns).not.toContain(forbidden);
    const everywhere = rows.map((r) => r.column_name);
    for (const forbidden of ['content_text', 'content_url', 'metadata', 'email', 'password_hash', 'token_hash', 'reason', 'outcome_reason', 'answers', 'body']) {
      expect(everywhere).not.toContain(forbidden);
    }
    // Scorecard answers come without their comments, which may quote the content.
    await sql`UPDATE reviews SET answers = jsonb_set(answers, '{0,comment}', '"quoted content"') WHERE id = (SELECT id FROM reviews ORDER BY id LIMIT 1)`.execute(database.db);
    const { rows: answers } = await analyst.query<{ answers: unknown }>(`SELECT scorecard_answers AS answers FROM analyst.reviews ORDER BY review_id LIMIT 1`);
    expect(JSON.stringify(answers[0]!.answers)).not.toContain('quoted content');
    expect(JSON.stringify(answers[0]!.answers)).toContain('questionKey');
  });

  it('are all it can read: the tables themselves, users, tokens, sessions and the audit log are refused', async () => {
    for (const statement of [
      'SELECT count(*) FROM public.decisions',
      'SELECT content_text FROM public.decisions LIMIT 1',
      'SELECT password_hash FROM public.users',
      'SELECT count(*) FROM public.api_tokens',
      'SELECT count(*) FROM public.sessions',
      'SELECT count(*) FROM public.audit_log',
      'SELECT count(*) FROM public.reviews',
      'SELECT count(*) FROM public.quality_rollup',
      'SELECT public.assay_rollups_rebuild()',
      'SET ROLE assay_app',
    ]) {
      expect({ statement, code: await errorCodeOf(analyst.query(statement)) }).toEqual({ statement, code: '42501' });
    }
    // Schema public is closed to it, so no function there (SECURITY DEFINER ones write as their owner) can be called.
    const { rows } = await analyst.query<{ name: string }>(
      `SELECT p.oid::regprocedure::text AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname IN ('public', 'analyst') AND p.prosecdef
         AND has_schema_privilege(current_user, n.oid, 'USAGE') AND has_function_privilege(current_user, p.oid, 'EXECUTE')`,
    );
    expect(rows).toEqual([]);
    expect((await analyst.query(`SELECT has_schema_privilege('public', 'USAGE') AS usage`)).rows[0]).toEqual({ usage: false });
  });

  it('writes nothing: read-only by default, and refused by privilege in a read-write transaction too', async () => {
    expect((await analyst.query<{ transaction_read_only: string }>('SHOW transaction_read_only')).rows[0]).toEqual({ transaction_read_only: 'on' });
    expect(await errorCodeOf(analyst.query('CREATE TEMP TABLE scratch (x int)'))).toBe('25006');
    await analyst.query('BEGIN READ WRITE');
    try {
      for (const statement of [
        `INSERT INTO analyst.vendors (vendor_name, vendor_code) VALUES ('Sneaky', 'SNEAK')`,
        `UPDATE analyst.quality_rollup SET n_correct = n`,
        `DELETE FROM analyst.decisions`,
        `UPDATE public.reviews SET correct = true`,
        `INSERT INTO public.audit_log (actor_label, action) VALUES ('analyst', 'forged')`,
        `CREATE TABLE analyst.scratch (x int)`,
        `CREATE TABLE public.scratch (x int)`,
      ]) {
        await analyst.query('SAVEPOINT attempt');
        expect({ statement, code: await errorCodeOf(analyst.query(statement)) }).toEqual({ statement, code: '42501' });
        await analyst.query('ROLLBACK TO SAVEPOINT attempt');
      }
    } finally {
      await analyst.query('ROLLBACK');
    }
  });
});

/**
 * Whether the server checks passwords on TCP connections: the embedded server does (scram-sha-256);
 * CI's PostgreSQL 15 lane runs with trust, where only the stored verifier shows a re-key.
 */
async function passwordsChecked(): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_hba_file_rules WHERE type LIKE 'host%' AND auth_method = 'trust'`.execute(database.db);
  return rows[0]!.n === 0;
}

async function verifierOf(role: string): Promise<string | null> {
  const { rows } = await sql<{ v: string | null }>`SELECT rolpassword AS v FROM pg_authid WHERE rolname = ${role}`.execute(database.db);
  return rows[0]?.v ?? null;
}

describe('re-keying and revoking', () => {
  it('create-login again gives a new password, the old one stops working', async () => {
    const before = await verifierOf(LOGIN);
    const renewed = connectionStringOf(await cli(['analysts', 'create-login', LOGIN]));
    expect(renewed).not.toBe(connectionString);
    expect(await verifierOf(LOGIN)).not.toBe(before);
    if (await passwordsChecked()) expect(await errorCodeOf(connectAs(connectionString))).toBe('28P01');
    const again = await connectAs(renewed);
    expect((await again.query<{ n: number }>('SELECT count(*)::int AS n FROM analyst.vendors')).rows[0]!.n).toBe(await ownerCount('vendors'));
    connectionString = renewed;
    expect((await auditRowsFor(database.db, LOGIN)).map((e) => e.action)).toEqual(['analyst_login.create', 'analyst_login.rekey']);
  });

  it('revoke-login drops the login, ends its open session, and it can no longer sign in', async () => {
    const open = await connectAs(connectionString);
    const revoked = await cli(['analysts', 'revoke-login', LOGIN]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stderr).toMatch(/ended \d+ open session/);
    await expect(open.query('SELECT 1')).rejects.toThrow();
    // With password checks the server does not say whether the role exists; with trust it says it does not.
    expect(await errorCodeOf(connectAs(connectionString))).toBe((await passwordsChecked()) ? '28P01' : '28000');
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = ${LOGIN}`.execute(database.db);
    expect(rows[0]!.n).toBe(0);
    expect((await auditRowsFor(database.db, LOGIN)).map((e) => e.action)).toEqual(['analyst_login.create', 'analyst_login.rekey', 'analyst_login.revoke']);
    const missing = await cli(['analysts', 'revoke-login', LOGIN]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no database role/);
  });
});
