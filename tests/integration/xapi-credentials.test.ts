import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldUser } from '../support/org-world.ts';

/** xAPI credentials: admin API, audit, hashed secrets, immediate revocation, vendor scope and read/write limits. */

let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let admin: WorldUser;
let vendorQm: WorldUser;
let siteQm: WorldUser;
let analyst: WorldUser;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  admin = await addUser(database.db, world, 'admin', 'all', 'admin');
  vendorQm = await addUser(database.db, world, 'quality_manager', 'vendor', 'qm-vendor');
  siteQm = await addUser(database.db, world, 'quality_manager', 'site', 'qm-site');
  analyst = await addUser(database.db, world, 'qa_specialist', 'all', 'specialist');
  app = await buildTestServer(database.db);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function create(user: WorldUser, input: { name: string; vendorId: string | null; access: string }) {
  return tokenClient(app, user.token)('POST', '/api/xapi/credentials', input);
}

function basic(credential: { key: string; secret: string }) {
  return `Basic ${Buffer.from(`${credential.key}:${credential.secret}`).toString('base64')}`;
}

function lrs(credential: { key: string; secret: string }, method: 'GET' | 'POST', url: string, body?: unknown) {
  return app.inject({
    method,
    url: `/xapi${url}`,
    headers: { authorization: basic(credential), 'x-experience-api-version': '1.0.3', ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
}

const statement = (activity: string) => ({ actor: { mbox: 'mailto:ana@vendor.example' }, verb: { id: 'http://adlnet.gov/expapi/verbs/completed' }, object: { id: activity } });

describe('managing credentials', () => {
  it('shows the secret once, stores only its digest, lists and revokes, and audits both', async () => {
    const response = await create(admin, { name: 'Vendor LMS', vendorId: world.vendors[0]!.id, access: 'read_write' });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created.secret).toEqual(expect.any(String));
    expect(created).toMatchObject({ name: 'Vendor LMS', vendorId: world.vendors[0]!.id, vendorName: world.vendors[0]!.name, access: 'read_write', revokedAt: null });
    const row = await database.db.selectFrom('xapi_credentials').select(['secret_hash']).where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.secret_hash).not.toContain(created.secret);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);

    const list = await tokenClient(app, admin.token)('GET', '/api/xapi/credentials');
    const listed = list.json().items.find((c: { id: string }) => c.id === created.id);
    expect(listed).not.toHaveProperty('secret');

    expect((await lrs(created, 'GET', '/statements')).statusCode).toBe(200);
    const revoked = await tokenClient(app, admin.token)('DELETE', `/api/xapi/credentials/${created.id}`);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await lrs(created, 'GET', '/statements')).statusCode).toBe(401);

    const audit = await database.db.selectFrom('audit_log').select(['action', 'details']).where('entity_id', '=', created.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['xapi_credential.create', 'xapi_credential.revoke']);
    expect(JSON.stringify(audit)).not.toContain(created.secret);
  });

  it('refuses a wrong secret', async () => {
    const created = (await create(admin, { name: 'Wrong secret', vendorId: null, access: 'read' })).json();
    expect((await lrs({ key: created.key, secret: 'guess' }, 'GET', '/statements')).statusCode).toBe(401);
  });

  it('lets a vendor-scoped manager create credentials for their vendor only, and a site-scoped one none', async () => {
    const own = await create(vendorQm, { name: 'Own vendor', vendorId: world.vendors[1]!.id, access: 'write' });
    expect(own.statusCode).toBe(201);
    const other = await create(vendorQm, { name: 'Other vendor', vendorId: world.vendors[0]!.id, access: 'write' });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.details[0].path).toBe('/vendorId');
    expect((await create(vendorQm, { name: 'Everything', vendorId: null, access: 'write' })).statusCode).toBe(422);
    expect((await create(siteQm, { name: 'Site', vendorId: world.vendors[1]!.id, access: 'write' })).statusCode).toBe(403);
    const seen = (await tokenClient(app, vendorQm.token)('GET', '/api/xapi/credentials')).json().items;
    expect(seen.every((c: { vendorId: string | null }) => c.vendorId === world.vendors[1]!.id)).toBe(true);
    expect((await tokenClient(app, analyst.token)('GET', '/api/xapi/credentials')).statusCode).toBe(403);
  });
});

describe('credential scope in the LRS', () => {
  it('limits a vendor credential to its own statements and documents; an organisation-wide one sees all', async () => {
    const a = (await create(admin, { name: 'Vendor A LMS', vendorId: world.vendors[0]!.id, access: 'read_write' })).json();
    const b = (await create(admin, { name: 'Vendor B LMS', vendorId: world.vendors[1]!.id, access: 'read_write' })).json();
    const org = (await create(admin, { name: 'Analytics', vendorId: null, access: 'read' })).json();
    const activity = `https://lms.example.com/scope/${randomUUID()}`;
    const [idA] = (await lrs(a, 'POST', '/statements', statement(activity))).json();
    const [idB] = (await lrs(b, 'POST', '/statements', statement(activity))).json();

    const ids = async (credential: { key: string; secret: string }) =>
      (await lrs(credential, 'GET', `/statements?activity=${encodeURIComponent(activity)}`)).json().statements.map((s: { id: string }) => s.id);
    expect(await ids(a)).toEqual([idA]);
    expect(await ids(b)).toEqual([idB]);
    expect((await ids(org)).sort()).toEqual([idA, idB].sort());
    // Out of scope is simply not there.
    expect((await lrs(a, 'GET', `/statements?statementId=${idB}`)).statusCode).toBe(404);
    // Statements carry the writing credential as authority.
    expect((await lrs(org, 'GET', `/statements?statementId=${idA}`)).json().authority.account.name).toBe(a.key);

    const rows = await database.db.selectFrom('xapi_statements').select(['id', 'vendor_id']).where('id', 'in', [idA, idB]).execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.vendor_id]))).toEqual({ [idA]: world.vendors[0]!.id, [idB]: world.vendors[1]!.id });
  });

  it('lists recent statements to managers within their scope, and audits each view', async () => {
    const a = (await create(admin, { name: 'Vendor A courses', vendorId: world.vendors[0]!.id, access: 'write' })).json();
    const b = (await create(admin, { name: 'Vendor B courses', vendorId: world.vendors[1]!.id, access: 'write' })).json();
    const course = { id: `https://lms.example.com/browse/${randomUUID()}`, definition: { name: { 'en-US': 'Escalation basics' } } };
    const result = { score: { scaled: 0.85 }, success: true };
    const [idA] = (await lrs(a, 'POST', '/statements', { ...statement(course.id), object: course, result })).json();
    const [idB] = (await lrs(b, 'POST', '/statements', statement(course.id))).json();

    const adminView = (await tokenClient(app, admin.token)('GET', '/api/xapi/statements?limit=100')).json();
    const line = adminView.items.find((s: { id: string }) => s.id === idA);
    expect(line).toMatchObject({ actor: 'ana@vendor.example', verb: 'http://adlnet.gov/expapi/verbs/completed', object: 'Escalation basics', success: true, scaled: 0.85, credentialName: 'Vendor A courses', vendorName: world.vendors[0]!.name });
    expect(adminView.items.some((s: { id: string }) => s.id === idB)).toBe(true);

    const vendorView = (await tokenClient(app, vendorQm.token)('GET', '/api/xapi/statements?limit=100')).json();
    expect(vendorView.items.some((s: { id: string }) => s.id === idB)).toBe(true);
    expect(vendorView.items.some((s: { id: string }) => s.id === idA)).toBe(false);

    const first = (await tokenClient(app, admin.token)('GET', '/api/xapi/statements?limit=1')).json();
    expect(first.items).toHaveLength(1);
    const second = (await tokenClient(app, admin.token)('GET', `/api/xapi/statements?limit=1&before=${first.nextBefore}`)).json();
    expect(second.items[0].id).not.toBe(first.items[0].id);

    const views = await database.db.selectFrom('audit_log').select('actor_user_id').where('action', '=', 'xapi_statements.view').execute();
    expect(views.filter((v) => v.actor_user_id === admin.id)).toHaveLength(3);
    expect((await tokenClient(app, analyst.token)('GET', '/api/xapi/statements')).statusCode).toBe(403);
  });

  it('enforces read-only and write-only credentials', async () => {
    const reader = (await create(admin, { name: 'Reader', vendorId: null, access: 'read' })).json();
    const writer = (await create(admin, { name: 'Writer', vendorId: null, access: 'write' })).json();
    expect((await lrs(reader, 'POST', '/statements', statement('https://lms.example.com/x'))).statusCode).toBe(403);
    expect((await lrs(writer, 'POST', '/statements', statement('https://lms.example.com/x'))).statusCode).toBe(200);
    expect((await lrs(writer, 'GET', '/statements')).statusCode).toBe(403);
  });
});
