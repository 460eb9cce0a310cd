import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldUser } from '../support/org-world.ts';

/** The Statement resource's edge cases: conflicts, voiding, paging, validation errors, formats, headers. */

let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let admin: WorldUser;
let auth: string;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  admin = await addUser(database.db, world, 'admin', 'all', 'admin');
  app = await buildTestServer(database.db);
  const created = await app.inject({
    method: 'POST',
    url: '/api/xapi/credentials',
    headers: { authorization: `Bearer ${admin.token}` },
    payload: { name: 'Statements test', vendorId: null, access: 'read_write' },
  });
  expect(created.statusCode).toBe(201);
  auth = `Basic ${Buffer.from(`${created.json().key}:${created.json().secret}`).toString('base64')}`;
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

type Method = 'GET' | 'POST' | 'PUT';
function lrs(method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method,
    url: `/xapi${url}`,
    headers: { authorization: auth, 'x-experience-api-version': '1.0.3', ...(payload !== undefined && { 'content-type': 'application/json' }), ...headers },
    ...(payload !== undefined && { payload: JSON.stringify(payload) }),
  });
}

const verb = (name: string) => ({ id: `https://assay.example/verbs/${name}`, display: { 'en-US': name } });
function statement(overrides: Record<string, unknown> = {}) {
  return {
    actor: { mbox: 'mailto:ana@vendor.example', name: 'Ana' },
    verb: verb('completed'),
    object: { id: 'https://lms.example.com/courses/hate-speech-101' },
    ...overrides,
  };
}

describe('storing statements', () => {
  it('stores with PUT (204), answers the same statement again with 204, and refuses different content with 409', async () => {
    const id = randomUUID();
    expect((await lrs('PUT', `/statements?statementId=${id}`, statement())).statusCode).toBe(204);
    expect((await lrs('PUT', `/statements?statementId=${id}`, statement())).statusCode).toBe(204);
    const conflict = await lrs('PUT', `/statements?statementId=${id}`, statement({ verb: verb('failed') }));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.code).toBe('CONFLICT');
    const read = await lrs('GET', `/statements?statementId=${id}`);
    expect(read.json().verb.id).toBe(verb('completed').id);
    expect(read.headers['x-experience-api-version']).toBe('1.0.3');
    expect(read.headers['x-experience-api-consistent-through']).toBeDefined();
  });

  it('stamps id, stored, timestamp, version and the credential as authority', async () => {
    const response = await lrs('POST', '/statements', [statement(), statement({ verb: verb('attempted') })]);
    expect(response.statusCode).toBe(200);
    const ids = response.json() as string[];
    expect(ids).toHaveLength(2);
    const stored = (await lrs('GET', `/statements?statementId=${ids[0]}`)).json();
    expect(stored).toMatchObject({ id: ids[0], version: '1.0.0', authority: { objectType: 'Agent', account: { homePage: 'urn:assay:xapi:credential' } } });
    expect(stored.timestamp).toBe(stored.stored);
  });

  it('refuses an invalid statement with 400 and a JSON pointer to each problem', async () => {
    const bad = statement({ object: { id: 'not an iri', definition: { name: { english_GB: 'x' } } }, result: { score: { scaled: 2 } } });
    const response = await lrs('POST', '/statements', bad);
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual(['/object/id', '/object/definition/name/english_GB', '/result/score/scaled']);
    const batch = await lrs('POST', '/statements', [statement(), statement({ actor: { name: 'no identifier' } })]);
    expect(batch.json().error.details[0].path).toBe('/1/actor');
  });

  it('refuses a batch that uses one id twice, and stores nothing of it', async () => {
    const id = randomUUID();
    const response = await lrs('POST', '/statements', [statement({ id }), statement({ id })]);
    expect(response.statusCode).toBe(400);
    expect((await lrs('GET', `/statements?statementId=${id}`)).statusCode).toBe(404);
  });
});

describe('voiding', () => {
  it('hides a voided statement from statementId and queries, shows it by voidedStatementId, and refuses to void a voiding statement', async () => {
    const target = randomUUID();
    const tag = randomUUID();
    const activity = `https://lms.example.com/voiding/${tag}`;
    await lrs('PUT', `/statements?statementId=${target}`, statement({ object: { id: activity } }));
    const voidingId = randomUUID();
    const voiding = statement({ id: voidingId, verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: target } });
    expect((await lrs('POST', '/statements', voiding)).statusCode).toBe(200);

    expect((await lrs('GET', `/statements?statementId=${target}`)).statusCode).toBe(404);
    const byVoided = await lrs('GET', `/statements?voidedStatementId=${target}`);
    expect(byVoided.statusCode).toBe(200);
    expect(byVoided.json().id).toBe(target);
    expect((await lrs('GET', `/statements?voidedStatementId=${voidingId}`)).statusCode).toBe(404);

    // A query on the voided statement's activity returns the voiding statement (it targets a match), not the voided one.
    const query = await lrs('GET', `/statements?activity=${encodeURIComponent(activity)}`);
    expect(query.json().statements.map((s: { id: string }) => s.id)).toEqual([voidingId]);

    const voidTheVoiding = statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/voided' }, object: { objectType: 'StatementRef', id: voidingId } });
    const refused = await lrs('POST', '/statements', voidTheVoiding);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details[0].path).toBe('/object/id');
    expect((await lrs('GET', `/statements?statementId=${voidingId}`)).statusCode).toBe(200);
  });

  it('refuses other parameters next to statementId', async () => {
    const response = await lrs('GET', `/statements?statementId=${randomUUID()}&verb=${encodeURIComponent(verb('x').id)}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('?verb');
  });
});

describe('paging with more', () => {
  it('walks every matching statement exactly once, even when statements arrive during the walk', async () => {
    const registration = randomUUID();
    const context = { registration };
    const ids = (await lrs('POST', '/statements', Array.from({ length: 7 }, (_, i) => statement({ context, result: { response: String(i) } })))).json() as string[];
    const seen: string[] = [];
    let url = `/statements?registration=${registration}&limit=3`;
    let pages = 0;
    for (;;) {
      const page = await lrs('GET', url);
      expect(page.statusCode).toBe(200);
      const body = page.json();
      seen.push(...body.statements.map((s: { id: string }) => s.id));
      pages += 1;
      // A statement stored mid-walk is not part of this walk (a new query sees it).
      if (pages === 1) await lrs('POST', '/statements', statement({ context }));
      if (!body.more) break;
      expect(body.more).toMatch(/^\/xapi\/statements\?more=/);
      url = body.more.slice('/xapi'.length);
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    const ascending = (await lrs('GET', `/statements?registration=${registration}&ascending=true&limit=100`)).json();
    expect(ascending.statements).toHaveLength(8);
    expect(ascending.statements[0].id).toBe(ids[0]);
    expect(ascending.more).toBe('');
  });

  it('filters by agent, directly or as a related agent', async () => {
    const instructor = { mbox: `mailto:${randomUUID()}@trainer.example` };
    const learner = { mbox: `mailto:${randomUUID()}@vendor.example` };
    const [id] = (await lrs('POST', '/statements', statement({ actor: learner, context: { instructor } }))).json() as string[];
    const direct = await lrs('GET', `/statements?agent=${encodeURIComponent(JSON.stringify(instructor))}`);
    expect(direct.json().statements).toEqual([]);
    const related = await lrs('GET', `/statements?agent=${encodeURIComponent(JSON.stringify(instructor))}&related_agents=true`);
    expect(related.json().statements.map((s: { id: string }) => s.id)).toEqual([id]);
    const bad = await lrs('GET', `/statements?agent=${encodeURIComponent('{"name":"nobody"}')}`);
    expect(bad.statusCode).toBe(400);
  });
});

describe('audit', () => {
  it("records each read of the Statement resource as the credential, with its query and how many statements it returned; not a refused one", async () => {
    const registration = randomUUID();
    const [id] = (await lrs('POST', '/statements', [statement({ context: { registration } }), statement({ context: { registration } })])).json() as string[];
    const reads = () => database.db.selectFrom('audit_log').select(['actor_label', 'action', 'entity_id', 'details']).where('action', '=', 'xapi_statements.read').orderBy('id').execute();
    const before = (await reads()).length;
    expect((await lrs('GET', `/statements?registration=${registration}`)).statusCode).toBe(200);
    expect((await lrs('GET', `/statements?statementId=${id}`)).statusCode).toBe(200);
    expect((await lrs('GET', '/statements?verb=not-an-iri')).statusCode).toBe(400);
    const entries = (await reads()).slice(before);
    expect(entries).toEqual([
      { actor_label: 'xapi:Statements test', action: 'xapi_statements.read', entity_id: null, details: { query: { registration }, statements: 2, attachments: 0 } },
      { actor_label: 'xapi:Statements test', action: 'xapi_statements.read', entity_id: id, details: { query: { statementId: id }, statements: 1, attachments: 0 } },
    ]);
  });
});

describe('attachments', () => {
  it('stores an attachment sent as multipart/mixed and returns it with attachments=true', async () => {
    const content = Buffer.from('Certificate of completion: Ana');
    const { createHash } = await import('node:crypto');
    const sha2 = createHash('sha256').update(content).digest('hex');
    const id = randomUUID();
    const body = statement({ id, attachments: [{ usageType: 'http://id.tincanapi.com/attachment/certificate-of-completion', display: { 'en-US': 'Certificate' }, contentType: 'text/plain', length: content.length, sha2 }] });
    const boundary = 'assay-test-boundary';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(body)}\r\n--${boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${sha2}\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${boundary}--`),
    ]);
    const headers = { authorization: auth, 'x-experience-api-version': '1.0.3', 'content-type': `multipart/mixed; boundary=${boundary}` };
    expect((await app.inject({ method: 'POST', url: '/xapi/statements', headers, payload })).statusCode).toBe(200);
    const wrongHash = Buffer.from(payload.toString('latin1').replace('Certificate of completion: Ana', 'Certificate of completion: Bob'), 'latin1');
    const refused = await app.inject({ method: 'POST', url: '/xapi/statements', headers, payload: wrongHash.toString('latin1').replace(id, randomUUID()) });
    expect(refused.statusCode).toBe(400);

    const read = await lrs('GET', `/statements?statementId=${id}&attachments=true`);
    expect(read.headers['content-type']).toMatch(/^multipart\/mixed; boundary=/);
    expect(read.body).toContain('Certificate of completion: Ana');
    expect(read.body).toContain(`X-Experience-API-Hash: ${sha2}`);
  });
});

describe('protocol', () => {
  it('needs the version header and Basic auth; About needs neither', async () => {
    const noVersion = await app.inject({ method: 'GET', url: '/xapi/statements', headers: { authorization: auth } });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.headers['x-experience-api-version']).toBeDefined();
    const noAuth = await app.inject({ method: 'GET', url: '/xapi/statements', headers: { 'x-experience-api-version': '1.0.3' } });
    expect(noAuth.statusCode).toBe(401);
    const about = await app.inject({ method: 'GET', url: '/xapi/about' });
    expect(about.statusCode).toBe(200);
    expect(about.json().version).toEqual(expect.arrayContaining(['1.0.3', '2.0.0']));
  });

  it('answers 2.0.0 clients as 2.0.0 and refuses the alternate request syntax there', async () => {
    const v2 = await lrs('GET', '/statements?limit=1', undefined, { 'x-experience-api-version': '2.0.0' });
    expect(v2.headers['x-experience-api-version']).toBe('2.0.0');
    const alternate = await app.inject({
      method: 'POST',
      url: '/xapi/statements?method=GET',
      headers: { authorization: auth, 'x-experience-api-version': '2.0.0', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'limit=1',
    });
    expect(alternate.statusCode).toBe(400);
    const v1 = await app.inject({
      method: 'POST',
      url: '/xapi/statements?method=GET',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ limit: '1', Authorization: auth, 'X-Experience-API-Version': '1.0.3' }).toString(),
    });
    expect(v1.statusCode).toBe(200);
    expect(v1.json().statements).toHaveLength(1);
  });

  it('refuses a request without a version in the version its client last spoke, whichever server process answers', async () => {
    const other = await buildTestServer(database.db);
    try {
      const unversioned = (server: FastifyInstance) => server.inject({ method: 'GET', url: '/xapi/statements?limit=1', headers: { authorization: auth } });
      expect((await lrs('GET', '/statements?limit=1', undefined, { 'x-experience-api-version': '2.0.0' })).statusCode).toBe(200);
      // Kept with the credential, not in this process's memory.
      const key = Buffer.from(auth.slice('Basic '.length), 'base64').toString('utf8').split(':')[0]!;
      const stored = await database.db.selectFrom('xapi_credentials').select('last_version').where('key', '=', key).executeTakeFirstOrThrow();
      expect(stored.last_version).toBe('2.0.0');
      const refused = await unversioned(other);
      expect(refused.statusCode).toBe(400);
      expect(refused.headers['x-experience-api-version']).toBe('2.0.0');
      expect((await lrs('GET', '/statements?limit=1')).statusCode).toBe(200);
      expect((await unversioned(other)).headers['x-experience-api-version']).toBe('1.0.3');
    } finally {
      await other.close();
    }
  });

  it('keeps /api JSON-only: the LRS body parsers stay inside /xapi', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/xapi/credentials', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/octet-stream' }, payload: 'hello' });
    expect(response.statusCode).toBe(415);
  });
});
