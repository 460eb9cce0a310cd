import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { BrowserSession, buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, TEST_PASSWORD, type World, type WorldUser } from '../support/org-world.ts';

let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let admin: WorldUser;
let vendorManager: WorldUser;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  admin = await addUser(database.db, world, 'admin', 'all', 'admin');
  vendorManager = await addUser(database.db, world, 'vendor_manager', 'vendor', 'vm');
  app = await buildTestServer(database.db, { maxFailures: 3 });
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function auditActions(userId: string) {
  const rows = await database.db.selectFrom('audit_log').select(['action', 'details']).where('entity_id', '=', userId).orderBy('id').execute();
  return rows.map((r) => r.action);
}

describe('sign-in with email and password', () => {
  it('sets an httpOnly SameSite session cookie, answers /me, and audits the sign-in', async () => {
    const browser = new BrowserSession(app);
    const response = await browser.signIn(vendorManager.email.toUpperCase(), TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'assay_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const body = response.json();
    expect(body.user.email).toBe(vendorManager.email);
    expect(body.user.scope.kind).toBe('vendor');
    expect(body.permissions).toContain('org.read');
    expect(body.permissions).not.toContain('users.manage');

    const me = await browser.request('GET', '/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.id).toBe(vendorManager.id);
    expect(await auditActions(vendorManager.id)).toContain('auth.sign_in');
    // The session id is stored only as a digest.
    const stored = await database.db.selectFrom('sessions').select('id_hash').where('user_id', '=', vendorManager.id).execute();
    expect(stored.map((s) => s.id_hash)).not.toContain(cookie.value);
  });

  it('stores passwords as argon2id', async () => {
    const row = await database.db.selectFrom('users').select('password_hash').where('id', '=', admin.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('gives one answer for an unknown email and a wrong password, and audits both', async () => {
    const unknown = await new BrowserSession(app).signIn(`nobody.${world.tag}@test.example`, TEST_PASSWORD);
    const wrong = await new BrowserSession(app).signIn(admin.email, 'not the password at all');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
    expect(unknown.cookies.find((c) => c.name === 'assay_session')).toBeUndefined();
    expect(await auditActions(admin.id)).toContain('auth.sign_in_failed');
    const failures = await database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'auth.sign_in_failed')
      .where('actor_label', '=', `nobody.${world.tag}@test.example`)
      .execute();
    expect(failures).toHaveLength(1);
  });

  it('refuses further attempts after repeated failures, even with the right password', async () => {
    const target = await addUser(database.db, world, 'agent', 'self', 'ratelimited');
    for (let i = 0; i < 3; i++) {
      expect((await new BrowserSession(app).signIn(target.email, `wrong guess ${i}`)).statusCode).toBe(401);
    }
    const refused = await new BrowserSession(app).signIn(target.email, TEST_PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json().error.code).toBe('RATE_LIMITED');
  });

  it('rejects a malformed body with field paths, not a stack trace', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: 'a@b.example', extra: 1 } });
    expect(response.statusCode).toBe(422);
    const { error } = response.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual(
      expect.arrayContaining([
        { path: '/password', message: 'This field is required.' },
        { path: '/extra', message: 'This field is not recognised.' },
      ]),
    );
    const broken = await app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(broken.statusCode).toBe(400);
    expect(broken.body).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('sessions', () => {
  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const browser = new BrowserSession(app);
    await browser.signIn(admin.email, TEST_PASSWORD);
    const without = await browser.request('POST', '/api/tokens', { name: 'no csrf' }, { csrf: false });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('CSRF_FAILED');
    const withToken = await browser.request('POST', '/api/tokens', { name: 'with csrf' });
    expect(withToken.statusCode).toBe(201);
  });

  it('ends the session on sign-out', async () => {
    const browser = new BrowserSession(app);
    await browser.signIn(admin.email, TEST_PASSWORD);
    expect((await browser.request('POST', '/api/auth/sign-out')).statusCode).toBe(204);
    expect((await browser.request('GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('expires an idle session and an old one', async () => {
    const browser = new BrowserSession(app);
    await browser.signIn(admin.email, TEST_PASSWORD);
    await database.db.updateTable('sessions').set({ last_seen_at: sql`now() - interval '31 minutes'` }).where('user_id', '=', admin.id).where('ended_at', 'is', null).execute();
    expect((await browser.request('GET', '/api/auth/me')).statusCode).toBe(401);

    const second = new BrowserSession(app);
    await second.signIn(admin.email, TEST_PASSWORD);
    await database.db.updateTable('sessions').set({ expires_at: sql`now() - interval '1 second'` }).where('user_id', '=', admin.id).where('ended_at', 'is', null).execute();
    expect((await second.request('GET', '/api/auth/me')).statusCode).toBe(401);
  });

  it('ends sessions when an administrator changes the user\'s scope, and audits the change', async () => {
    const target = await addUser(database.db, world, 'qa_lead', 'vendor', 'rescoped');
    const browser = new BrowserSession(app);
    await browser.signIn(target.email, TEST_PASSWORD);
    const asAdmin = tokenClient(app, admin.token);
    const site = world.sites.find((s) => s.vendorId === world.vendors[2]!.id)!;
    const changed = await asAdmin('PATCH', `/api/users/${target.id}`, { scope: { kind: 'site', refId: site.id } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().scope.kind).toBe('site');
    expect((await browser.request('GET', '/api/auth/me')).statusCode).toBe(401);
    expect(await auditActions(target.id)).toContain('user.scope_change');
  });
});

describe('API tokens', () => {
  it('are shown once, stored hashed, carry the owner scope, and stop working when revoked', async () => {
    const owner = tokenClient(app, vendorManager.token);
    const created = await owner('POST', '/api/tokens', { name: 'nightly export' });
    expect(created.statusCode).toBe(201);
    const { token, id, prefix } = created.json();
    expect(token).toMatch(/^assay_/);
    expect(token.startsWith(prefix)).toBe(true);
    const row = await database.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.token_hash).not.toContain(token);
    expect(JSON.stringify(await owner('GET', '/api/tokens').then((r) => r.json()))).not.toContain(token);

    const viaNew = tokenClient(app, token);
    const vendors = await viaNew('GET', '/api/vendors');
    expect(vendors.statusCode).toBe(200);
    expect(vendors.json().items.map((v: { id: string }) => v.id)).toEqual([world.vendors[1]!.id]);

    expect((await owner('DELETE', `/api/tokens/${id}`)).statusCode).toBe(200);
    expect((await viaNew('GET', '/api/vendors')).statusCode).toBe(401);
    const actions = await database.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['token.create', 'token.revoke']);
  });

  it("cannot see or revoke another user's token", async () => {
    const mine = await tokenClient(app, admin.token)('POST', '/api/tokens', { name: 'admin only' });
    const other = tokenClient(app, vendorManager.token);
    expect((await other('DELETE', `/api/tokens/${mine.json().id}`)).statusCode).toBe(404);
  });

  it('rejects a garbage bearer token', async () => {
    const response = await tokenClient(app, 'assay_not-a-real-token')('GET', '/api/vendors');
    expect(response.statusCode).toBe(401);
  });
});

describe('audit log', () => {
  it('cannot be edited or deleted, even by the database owner', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x'`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  it('is browsable by an administrator with filters and a cursor', async () => {
    const client = tokenClient(app, admin.token);
    const first = await client('GET', '/api/audit?action=auth.&limit=2');
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.items).toHaveLength(2);
    expect(page.items.every((e: { action: string }) => e.action.startsWith('auth.'))).toBe(true);
    const next = await client('GET', `/api/audit?action=auth.&limit=2&before=${page.nextBefore}`);
    expect(next.json().items[0].id).toBeLessThan(page.items[1].id);
  });

  it('has no route to change an entry', async () => {
    const client = tokenClient(app, admin.token);
    expect((await client('DELETE', '/api/audit/1')).statusCode).toBe(404);
    expect((await client('PATCH', '/api/audit/1', {})).statusCode).toBe(404);
  });
});

describe('health', () => {
  it('answers ok with the database reachable', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'ok' });
  });
});
