import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { asSystem } from '../../src/db/scoped.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { createUser } from '../../src/domain/auth/users.service.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { BrowserSession, buildTestServer } from '../support/test-app.ts';
import { runCli, type CliResult } from '../support/cli-runner.ts';
import { auditRowsFor } from '../support/audit-trail.ts';

/**
 * The real command line, spawned as a child process against this file's own
 * database (DATABASE_URL): exit codes, what goes to stdout and stderr, and
 * that what it writes is what the API then serves.
 */
let database: TestDatabase;
let app: FastifyInstance;
const PASSWORD = 'a long enough passphrase';
const cli = (args: string[], input?: string) => runCli(database.connectionString, args, { input });

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestServer(database.db);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

/** Every run: no stack trace reaches a person, whatever the outcome. */
function expectNoStackTrace(result: CliResult): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stdout).not.toMatch(/^\s+at /m);
}

function expectSuccess(result: CliResult): void {
  expectNoStackTrace(result);
  expect(result.code, result.stderr).toBe(0);
}

async function seedUser(email: string, role = 'qa_lead') {
  return asSystem(database.db, (trx) =>
    createUser(trx, systemActor('test'), { email, displayName: email, password: PASSWORD, role, scope: { kind: 'all', refId: null } }),
  );
}

async function seedVendor(name: string, code: string): Promise<string> {
  const row = await database.db.insertInto('vendors').values({ name, code }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

describe('assay user create', () => {
  it('creates an administrator with the password from stdin, who can then sign in over HTTP', async () => {
    const email = 'first.admin@cli.example';
    const result = await cli(['user', 'create', '--role', 'admin', '--email', email, '--name', 'First Admin', '--password-stdin'], `${PASSWORD}\n`);
    expectSuccess(result);
    const created = JSON.parse(result.stdout);
    expect(created).toMatchObject({ email, displayName: 'First Admin', role: 'admin', status: 'active', scope: { kind: 'all' } });
    expect(result.stdout).not.toContain(PASSWORD);
    const signIn = await new BrowserSession(app).signIn(email, PASSWORD);
    expect(signIn.statusCode).toBe(200);
    expect(signIn.json().user.id).toBe(created.id);
    expect((await auditRowsFor(database.db, created.id))[0]).toMatchObject({ action: 'user.create', actor_label: 'cli:cli-test' });
  });

  it('refuses a too-short password with exit code 2, naming --password, and creates nobody', async () => {
    const email = 'short.password@cli.example';
    const result = await cli(['user', 'create', '--role', 'admin', '--email', email, '--name', 'Short', '--password-stdin'], 'short\n');
    expectNoStackTrace(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--password\b.*12 characters/);
    expect(result.stdout).toBe('');
    expect(await database.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();
  });
});

describe('assay user update', () => {
  it('refuses scope self without --scope-ref with exit code 2 and leaves the user as they were', async () => {
    const user = await seedUser('scope.change@cli.example');
    const result = await cli(['user', 'update', user.email, '--role', 'agent', '--scope', 'self']);
    expectNoStackTrace(result);
    expect(result.code).toBe(2);
    // Names the flag that is missing, not the one that was given.
    expect(result.stderr).toContain('--scope-ref (/scope/refId): Choose the person this user is limited to.');
    const row = await database.db.selectFrom('users').select(['role', 'scope_kind']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ role: 'qa_lead', scope_kind: 'all' });
  });
});

describe('assay token create', () => {
  it('prints a token on stdout that authenticates as the user', async () => {
    const user = await seedUser('token.owner@cli.example');
    const result = await cli(['token', 'create', '--user', user.email, '--name', 'nightly export']);
    expectSuccess(result);
    const token = result.stdout.trim();
    expect(token).toMatch(/^assay_[A-Za-z0-9_-]{20,}$/);
    expect(result.stderr).toContain('nightly export');
    expect(result.stderr).not.toContain(token);
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user).toMatchObject({ id: user.id, email: user.email });
    const wrong = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}x` } });
    expect(wrong.statusCode).toBe(401);
  });
});

describe('assay vendor', () => {
  it('creates a vendor that vendor list --json then shows', async () => {
    const created = await cli(['vendor', 'create', '--name', 'Acme Outsourcing', '--code', 'A1']);
    expectSuccess(created);
    const vendor = JSON.parse(created.stdout);
    expect(vendor).toMatchObject({ name: 'Acme Outsourcing', code: 'A1', status: 'active', isInHouse: false });
    const listed = await cli(['vendor', 'list', '--json']);
    expectSuccess(listed);
    const body = JSON.parse(listed.stdout);
    expect(body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: vendor.id, name: 'Acme Outsourcing', code: 'A1' })]));
    expect(body.total).toBe(body.items.length);
    expect((await auditRowsFor(database.db, vendor.id)).map((r) => r.action)).toEqual(['vendor.create']);
  });

  it('deactivates a vendor, after which show reports it inactive', async () => {
    const id = await seedVendor('Deactivate Me', 'DM1');
    const result = await cli(['vendor', 'deactivate', id]);
    expectSuccess(result);
    expect(result.stderr).toContain(`Deactivated vendor ${id}`);
    const shown = await cli(['vendor', 'show', id]);
    expectSuccess(shown);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, status: 'inactive' });
    expect((await auditRowsFor(database.db, id)).map((r) => r.action)).toEqual(['vendor.deactivate']);
  });

  it('answers an unknown vendor id with exit code 2 and a message, not a trace', async () => {
    const result = await cli(['vendor', 'show', '00000000-0000-4000-8000-000000000000']);
    expectNoStackTrace(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Vendor not found.');
  });
});

describe('assay site create', () => {
  it('refuses a bad time zone with exit code 2, naming --time-zone, and creates no site', async () => {
    const vendorId = await seedVendor('Site Vendor', 'SV1');
    const result = await cli(['site', 'create', '--vendor-id', vendorId, '--name', 'Moonbase', '--country-code', 'PH', '--time-zone', 'Moon/Tranquility']);
    expectNoStackTrace(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--time-zone \(\/timeZone\): Use an IANA time zone/);
    expect(result.stdout).toBe('');
    expect(await database.db.selectFrom('sites').select('id').where('vendor_id', '=', vendorId).execute()).toEqual([]);
  });
});

describe('the command line itself', () => {
  it('rejects an unknown command with a non-zero exit and a helpful message', async () => {
    const result = await cli(['frobnicate']);
    expectNoStackTrace(result);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
    expect(result.stderr).toMatch(/Usage: assay/);
    expect(result.stderr).toMatch(/^\s+vendor\s+Manage vendors$/m);
    expect(result.stderr).toMatch(/^\s+policy\s+Manage policies$/m);
  });
});
