import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';

/**
 * Statements from external LMSs (issue 8 item 4): linked to the people Assay knows within the
 * storing credential's scope, and counted as completion of a mapped course's enrolment (once,
 * audited, with xAPI as the source).
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let admin: WorldUser;
let seq = 0;
let v1a: WorldPerson;
let v1b: WorldPerson;
let v1c: WorldPerson;
let courseId: string;
const ACTIVITY = 'https://lms.example.com/courses/hate-speech-101';

const as = (user: WorldUser) => tokenClient(app, user.token);

async function credential(vendorId: string | null, access: 'read' | 'write' | 'read_write' = 'write'): Promise<string> {
  const created = await as(admin)('POST', '/api/xapi/credentials', { name: `LMS ${++seq}`, vendorId, access });
  expect(created.statusCode, created.body).toBe(201);
  return `Basic ${Buffer.from(`${created.json().key}:${created.json().secret}`).toString('base64')}`;
}

function post(auth: string, statement: Record<string, unknown>) {
  return app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: { authorization: auth, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' },
    payload: JSON.stringify(statement),
  });
}

function completion(actor: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    actor,
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
    object: { id: ACTIVITY, definition: { name: { 'en-US': 'Hate speech 101 (vendor LMS)' } } },
    result: { completion: true, success: true, score: { scaled: 0.9 } },
    timestamp: '2026-11-30T10:00:00.000Z',
    ...overrides,
  };
}

async function enrolmentOf(personId: string) {
  return database.db.selectFrom('enrolments').select(['id', 'status', 'completed_at', 'score']).where('person_id', '=', personId).where('course_id', '=', courseId).executeTakeFirstOrThrow();
}

async function personOf(statementId: string) {
  return (await database.db.selectFrom('xapi_statements').select('person_id').where('id', '=', statementId).executeTakeFirstOrThrow()).person_id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  admin = await addUser(database.db, world, 'admin', 'all', 'admin');
  app = await buildTestServer(database.db);
  const v1 = world.vendors[1]!.id;
  [v1a, v1b, v1c] = world.people.filter((p) => p.vendorId === v1 && p.teamId !== null) as [WorldPerson, WorldPerson, WorldPerson];
  await database.db.updateTable('people').set({ email: `Ana.${world.tag}@vendor.example` }).where('id', '=', v1a.id).execute();
  await database.db.updateTable('people').set({ email: `ben.${world.tag}@vendor.example` }).where('id', '=', v1b.id).execute();
  await database.db.updateTable('people').set({ employee_ref: `E-${world.tag}-3` }).where('id', '=', v1c.id).execute();
  const t = as(admin);
  const course = await t('POST', '/api/training/courses', { title: 'Hate speech 101', workflowId: world.workflowId });
  expect(course.statusCode, course.body).toBe(201);
  courseId = course.json().id;
  const versionId = course.json().draftVersion.id;
  expect((await t('POST', `/api/training/course-versions/${versionId}/modules`, { title: 'Read in the vendor LMS', bodyMd: 'Taken in the vendor LMS.' })).statusCode).toBe(201);
  expect((await t('POST', `/api/training/course-versions/${versionId}/publish`)).statusCode).toBe(200);
  const assign = await t('POST', '/api/training/enrolments', { courseId, personIds: [v1a.id, v1b.id, v1c.id] });
  expect(assign.json().created).toBe(3);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('external statements', () => {
  it('maps an activity, links a completion by email (any case) and completes the enrolment once, audited with xAPI as the source', async () => {
    const mapping = await as(admin)('POST', '/api/xapi/activity-mappings', { activityId: ACTIVITY, courseId });
    expect(mapping.statusCode, mapping.body).toBe(201);
    expect(mapping.json()).toMatchObject({ activityId: ACTIVITY, courseId, courseTitle: 'Hate speech 101', completions: 0 });
    expect((await as(admin)('POST', '/api/xapi/activity-mappings', { activityId: ACTIVITY, courseId })).statusCode).toBe(409);
    expect((await as(admin)('POST', '/api/xapi/activity-mappings', { activityId: 'not an iri', courseId })).json().error.details[0].path).toBe('/activityId');

    const lms = await credential(null);
    const first = completion({ mbox: `mailto:ana.${world.tag}@VENDOR.example`, name: 'Ana' });
    expect((await post(lms, first)).statusCode).toBe(200);
    expect(await personOf(first.id)).toBe(v1a.id);
    const enrolment = await enrolmentOf(v1a.id);
    expect(enrolment.status).toBe('completed');
    expect(new Date(enrolment.completed_at!).toISOString()).toBe('2026-11-30T10:00:00.000Z');
    expect(Number(enrolment.score)).toBeCloseTo(0.9);
    const source = await database.db.selectFrom('xapi_enrolment_completions').selectAll().where('enrolment_id', '=', enrolment.id).executeTakeFirstOrThrow();
    expect(source.statement_id).toBe(first.id);
    const audits = () => database.db.selectFrom('audit_log').select(['details', 'actor_label']).where('action', '=', 'training.enrolment.complete').where('entity_id', '=', enrolment.id).execute();
    const [entry] = await audits();
    expect(entry!.details).toMatchObject({ source: 'xapi', statementId: first.id, activityId: ACTIVITY });
    expect(entry!.actor_label).toMatch(/^xapi:LMS/);

    // The same completion reported again (a new statement id) changes nothing.
    expect((await post(lms, completion({ mbox: `mailto:ana.${world.tag}@vendor.example` }))).statusCode).toBe(200);
    expect(await audits()).toHaveLength(1);
    // Assay's own "completed" statement for the enrolment is in the LRS too.
    const own = await database.db.selectFrom('xapi_statements').select('verb_id').where('registration', '=', enrolment.id).execute();
    expect(own.map((r) => r.verb_id)).toContain('http://adlnet.gov/expapi/verbs/completed');

    // A failed completion does not count; mbox_sha1sum links.
    const failed = completion({ mbox_sha1sum: await sha1(`mailto:ben.${world.tag}@vendor.example`) }, { result: { completion: true, success: false } });
    expect((await post(lms, failed)).statusCode).toBe(200);
    expect(await personOf(failed.id)).toBe(v1b.id);
    expect((await enrolmentOf(v1b.id)).status).toBe('assigned');

    const list = await as(admin)('GET', '/api/xapi/activity-mappings');
    expect(list.json().items.find((m: { id: string }) => m.id === mapping.json().id).completions).toBe(1);
  });

  it('stores statements about unknown people unlinked, and never links another vendor’s people', async () => {
    const lms = await credential(null);
    const unknown = completion({ mbox: 'mailto:nobody@elsewhere.example' });
    expect((await post(lms, unknown)).statusCode).toBe(200);
    expect(await personOf(unknown.id)).toBeNull();

    const otherVendor = await credential(world.vendors[0]!.id);
    const foreign = completion({ mbox: `mailto:ben.${world.tag}@vendor.example` });
    expect((await post(otherVendor, foreign)).statusCode).toBe(200);
    expect(await personOf(foreign.id)).toBeNull();
    expect((await enrolmentOf(v1b.id)).status).toBe('assigned');

    const ownVendor = await credential(world.vendors[1]!.id);
    const ok = completion({ mbox: `mailto:ben.${world.tag}@vendor.example` }, { verb: { id: 'http://adlnet.gov/expapi/verbs/passed' } });
    expect((await post(ownVendor, ok)).statusCode).toBe(200);
    expect(await personOf(ok.id)).toBe(v1b.id);
    expect((await enrolmentOf(v1b.id)).status).toBe('completed');
  });

  it('links accounts on the configured home page by employee_ref', async () => {
    const homePage = 'https://lms.vendor.example';
    const account = completion({ account: { homePage, name: `E-${world.tag}-3` } });
    const lms = await credential(null);
    const before = completion({ account: { homePage, name: `E-${world.tag}-3` } }, { verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' } });
    expect((await post(lms, before)).statusCode).toBe(200);
    expect(await personOf(before.id)).toBeNull();
    const settings = await as(admin)('PUT', '/api/xapi/settings', { employeeRefHomePage: homePage });
    expect(settings.statusCode, settings.body).toBe(200);
    expect(settings.json().employeeRefHomePage).toBe(homePage);
    expect((await as(admin)('PUT', '/api/xapi/settings', { activityBase: 'no slash' })).statusCode).toBe(422);
    expect((await post(lms, account)).statusCode).toBe(200);
    expect(await personOf(account.id)).toBe(v1c.id);
    expect((await enrolmentOf(v1c.id)).status).toBe('completed');
  });

  it('removes a mapping (404 once gone)', async () => {
    const list = await as(admin)('GET', '/api/xapi/activity-mappings');
    const id = list.json().items[0].id as string;
    expect((await as(admin)('DELETE', `/api/xapi/activity-mappings/${id}`)).statusCode).toBe(204);
    expect((await as(admin)('DELETE', `/api/xapi/activity-mappings/${id}`)).statusCode).toBe(404);
  });
});

async function sha1(text: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha1').update(text).digest('hex');
}
