import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldUser } from '../support/org-world.ts';

/** State, Activity Profile and Agent Profile: ETag concurrency (412/409), JSON merge, listing, deletes. */

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
  const created = (
    await app.inject({ method: 'POST', url: '/api/xapi/credentials', headers: { authorization: `Bearer ${admin.token}` }, payload: { name: 'Documents test', vendorId: null, access: 'read_write' } })
  ).json();
  auth = `Basic ${Buffer.from(`${created.key}:${created.secret}`).toString('base64')}`;
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
function lrs(method: Method, url: string, body?: unknown, headers: Record<string, string> = {}, version = '2.0.0') {
  return app.inject({
    method,
    url: `/xapi${url}`,
    headers: { authorization: auth, 'x-experience-api-version': version, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    ...(body !== undefined && { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

const agent = () => encodeURIComponent(JSON.stringify({ mbox: `mailto:${randomUUID()}@vendor.example` }));
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

describe('activity profile concurrency', () => {
  const activity = encodeURIComponent('https://lms.example.com/courses/escalations');
  const url = () => `/activities/profile?activityId=${activity}&profileId=${randomUUID()}`;

  it('creates with If-None-Match: *, then refuses a second create with 412', async () => {
    const at = url();
    expect((await lrs('PUT', at, { pass: 0.8 }, { 'if-none-match': '*' })).statusCode).toBe(204);
    expect((await lrs('PUT', at, { pass: 0.9 }, { 'if-none-match': '*' })).statusCode).toBe(412);
    const read = await lrs('GET', at);
    expect(read.json()).toEqual({ pass: 0.8 });
    expect(read.headers.etag).toBe(`"${sha1(JSON.stringify({ pass: 0.8 }))}"`);
  });

  it('replaces with the current ETag, refuses a stale ETag with 412 and a PUT without either header with 409', async () => {
    const at = url();
    await lrs('PUT', at, { pass: 0.8 }, { 'if-none-match': '*' });
    const etag = (await lrs('GET', at)).headers.etag as string;
    expect((await lrs('PUT', at, { pass: 0.7 }, { 'if-match': etag })).statusCode).toBe(204);
    const stale = await lrs('PUT', at, { pass: 0.6 }, { 'if-match': etag });
    expect(stale.statusCode).toBe(412);
    const blind = await lrs('PUT', at, { pass: 0.5 });
    expect(blind.statusCode).toBe(409);
    expect(blind.json().error.message).toMatch(/If-Match/);
    expect((await lrs('GET', at)).json()).toEqual({ pass: 0.7 });
  });

  it('in xAPI 1.0.3 asks for a precondition even for a new profile document (400)', async () => {
    expect((await lrs('PUT', url(), { a: 1 }, {}, '1.0.3')).statusCode).toBe(400);
  });

  it('checks If-Match on POST and DELETE too', async () => {
    const at = url();
    await lrs('PUT', at, { a: 1 }, { 'if-none-match': '*' });
    expect((await lrs('POST', at, { b: 2 }, { 'if-match': '"wrong"' })).statusCode).toBe(412);
    expect((await lrs('DELETE', at, undefined, { 'if-match': '"wrong"' })).statusCode).toBe(412);
    const etag = (await lrs('GET', at)).headers.etag as string;
    expect((await lrs('DELETE', at, undefined, { 'if-match': etag })).statusCode).toBe(204);
    expect((await lrs('GET', at)).statusCode).toBe(404);
  });
});

describe('state documents', () => {
  const activity = encodeURIComponent('https://lms.example.com/courses/self-harm');

  it('merges JSON objects on POST and refuses to merge into a non-JSON document', async () => {
    const base = `/activities/state?activityId=${activity}&agent=${agent()}`;
    expect((await lrs('POST', `${base}&stateId=progress`, { slide: 3 })).statusCode).toBe(204);
    expect((await lrs('POST', `${base}&stateId=progress`, { score: 0.5 })).statusCode).toBe(204);
    expect((await lrs('GET', `${base}&stateId=progress`)).json()).toEqual({ slide: 3, score: 0.5 });
    await lrs('PUT', `${base}&stateId=bookmark`, 'chapter-2', { 'content-type': 'text/plain' });
    const merge = await lrs('POST', `${base}&stateId=bookmark`, { x: 1 });
    expect(merge.statusCode).toBe(400);
  });

  it('lists ids (per registration, since a time), and deletes them all at once', async () => {
    const base = `/activities/state?activityId=${activity}&agent=${agent()}`;
    const registration = randomUUID();
    await lrs('PUT', `${base}&stateId=a`, { a: 1 }, { 'if-none-match': '*' });
    await lrs('PUT', `${base}&stateId=b&registration=${registration}`, { b: 1 }, { 'if-none-match': '*' });
    expect((await lrs('GET', base)).json()).toEqual(['a']);
    expect((await lrs('GET', `${base}&registration=${registration}`)).json()).toEqual(['b']);
    const later = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    expect((await lrs('GET', `${base}&since=${later}`)).json()).toEqual([]);
    expect((await lrs('DELETE', base)).statusCode).toBe(204);
    expect((await lrs('GET', base)).json()).toEqual([]);
    expect((await lrs('GET', `${base}&registration=${registration}`)).json()).toEqual(['b']);
  });

  it('refuses a malformed agent with the parameter path', async () => {
    const response = await lrs('GET', `/activities/state?activityId=${activity}&agent=${encodeURIComponent('{"mbox":"ana@example.com"}')}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toBe('?agent/mbox');
  });
});

describe('agent profiles, activities and agents', () => {
  it('keeps agent profiles per agent', async () => {
    const mine = agent();
    const at = `/agents/profile?agent=${mine}&profileId=preferences`;
    await lrs('PUT', at, { locale: 'en-GB' }, { 'if-none-match': '*' });
    expect((await lrs('GET', at)).json()).toEqual({ locale: 'en-GB' });
    expect((await lrs('GET', `/agents/profile?agent=${agent()}&profileId=preferences`)).statusCode).toBe(404);
    expect((await lrs('GET', `/agents?agent=${mine}`)).json()).toMatchObject({ objectType: 'Person', mbox: [expect.stringMatching(/^mailto:/)] });
  });

  it('returns the canonical activity definition merged from statements', async () => {
    const id = `https://lms.example.com/quiz/${randomUUID()}`;
    const actor = { mbox: 'mailto:ana@vendor.example' };
    const verb = { id: 'http://adlnet.gov/expapi/verbs/attempted' };
    await lrs('POST', '/statements', { actor, verb, object: { id, definition: { name: { 'en-US': 'Quiz' } } } });
    await lrs('POST', '/statements', { actor, verb, object: { id, definition: { name: { 'fr-FR': 'Quiz (fr)' } } } });
    const activity = await lrs('GET', `/activities?activityId=${encodeURIComponent(id)}`);
    expect(activity.json()).toEqual({ objectType: 'Activity', id, definition: { name: { 'en-US': 'Quiz', 'fr-FR': 'Quiz (fr)' } } });
  });
});
