import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../src/domain/access/roles.ts';
import type { ScopeKind } from '../../src/domain/access/scope.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';

/**
 * Assay's own training events land in the LRS in the same transaction (issue 8 item 3): a learner
 * is enrolled, fails then passes the assessment, completes the course and is certified, and the
 * certification is revoked. A credential scoped to the learner's vendor reads them through /xapi;
 * another vendor's credential does not.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let seq = 0;
let admin: WorldUser;
let trainer: WorldUser;
let agentUser: WorldUser;
let agent: WorldPerson;

const as = (user: WorldUser) => tokenClient(app, user.token);

async function userFor(role: Role, kind: ScopeKind, refId: string | null, personId: string | null): Promise<WorldUser> {
  seq += 1;
  const user = await addUser(database.db, world, role, kind, `${role}-${kind}-${seq}`);
  await database.db.updateTable('users').set({ scope_ref_id: refId, person_id: personId }).where('id', '=', user.id).execute();
  return user;
}

async function credential(vendorId: string | null): Promise<string> {
  const created = await as(admin)('POST', '/api/xapi/credentials', { name: `Reader ${++seq}`, vendorId, access: 'read' });
  expect(created.statusCode, created.body).toBe(201);
  return `Basic ${Buffer.from(`${created.json().key}:${created.json().secret}`).toString('base64')}`;
}

function lrsGet(auth: string, url: string) {
  return app.inject({ method: 'GET', url: `/xapi${url}`, headers: { authorization: auth, 'x-experience-api-version': '1.0.3' } });
}

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  app = await buildTestServer(database.db);
  const v1 = world.vendors[1]!.id;
  admin = await userFor('admin', 'all', null, null);
  trainer = await userFor('trainer', 'vendor', v1, null);
  agent = world.people.find((p) => p.vendorId === v1 && p.teamId !== null)!;
  agentUser = await userFor('agent', 'self', agent.id, agent.id);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe("Assay's own training statements", () => {
  it('emits registered, attempted, failed, passed, completed, certified and revoked statements readable by a vendor credential', async () => {
    const t = as(trainer);
    const program = await t('POST', '/api/training/programs', { name: 'New hire: hate speech', workflowId: world.workflowId, kind: 'new_hire', phases: [{ kind: 'classroom', name: 'Classroom', durationDays: 5 }] });
    expect(program.statusCode, program.body).toBe(201);
    const course = await t('POST', '/api/training/courses', { title: 'Slurs 101', workflowId: world.workflowId, programId: program.json().id });
    expect(course.statusCode, course.body).toBe(201);
    const courseId = course.json().id as string;
    const versionId = course.json().draftVersion.id as string;
    const module = await t('POST', `/api/training/course-versions/${versionId}/modules`, { title: 'Slurs', bodyMd: 'Slurs are removed.' });
    expect(module.statusCode).toBe(201);
    expect((await t('PUT', `/api/training/course-versions/${versionId}/assessment`, { passMark: 1, timeLimitMinutes: 30, attemptsAllowed: 3, randomiseItems: false, randomiseOptions: false })).statusCode).toBe(200);
    expect((await t('POST', `/api/training/course-versions/${versionId}/items`, { kind: 'true_false', stem: 'Slurs are removed.', correctOptionIds: ['true'] })).statusCode).toBe(201);
    expect((await t('POST', `/api/training/course-versions/${versionId}/publish`)).statusCode).toBe(200);
    const cert = await t('POST', '/api/training/certifications', { workflowId: world.workflowId, name: 'Slurs certified', validityDays: 90, requiredCourseId: courseId });
    expect(cert.statusCode, cert.body).toBe(201);

    const assign = await t('POST', '/api/training/enrolments', { courseId, personIds: [agent.id] });
    expect(assign.statusCode, assign.body).toBe(201);
    const enrolmentId = assign.json().enrolmentIds[0] as string;
    const me = as(agentUser);
    expect((await me('POST', `/api/training/my/enrolments/${enrolmentId}/modules/${module.json().id}/view`)).statusCode).toBe(200);
    const first = await me('POST', `/api/training/my/enrolments/${enrolmentId}/attempts`);
    expect(first.statusCode, first.body).toBe(201);
    const itemId = first.json().items[0].id as string;
    expect((await me('POST', `/api/training/my/attempts/${first.json().id}/submit`, { answers: [{ itemId, optionIds: ['false'] }] })).json().result.passed).toBe(false);
    const second = await me('POST', `/api/training/my/enrolments/${enrolmentId}/attempts`);
    const passed = await me('POST', `/api/training/my/attempts/${second.json().id}/submit`, { answers: [{ itemId, optionIds: ['true'] }] });
    expect(passed.json().result).toMatchObject({ passed: true, enrolmentCompleted: true });
    const awards = await as(admin)('GET', `/api/training/certification-awards?personId=${agent.id}`);
    expect(awards.statusCode, awards.body).toBe(200);
    const awardId = (awards.json().items ?? awards.json())[0].id as string;
    expect((await as(admin)('POST', `/api/training/certification-awards/${awardId}/revoke`, { reason: 'Certified in error' })).statusCode).toBe(200);

    const vendorAuth = await credential(world.vendors[1]!.id);
    const res = await lrsGet(vendorAuth, `/statements?registration=${enrolmentId}&ascending=true&limit=50`);
    expect(res.statusCode, res.body).toBe(200);
    const statements = res.json().statements as Array<Record<string, any>>;
    const verbs = statements.map((s) => s.verb.id.replace(/^.*\//, ''));
    expect(verbs).toEqual(['registered', 'attempted', 'failed', 'attempted', 'passed', 'completed', 'certified', 'certification-revoked']);
    const base = 'https://assay.local/xapi/';
    for (const s of statements) {
      expect(s.actor).toEqual({ objectType: 'Agent', name: agent.fullName, account: { homePage: base, name: agent.id } });
      expect(s.authority).toMatchObject({ name: 'Assay' });
      expect(s.context.registration).toBe(enrolmentId);
    }
    expect(statements[0]!.verb.id).toBe('http://adlnet.gov/expapi/verbs/registered');
    expect(statements[0]!.object).toMatchObject({ id: `${base}courses/${courseId}`, definition: { name: { 'en-US': 'Slurs 101' }, type: 'http://adlnet.gov/expapi/activities/course' } });
    expect(statements[0]!.context.contextActivities.parent[0].id).toBe(`${base}programs/${program.json().id}`);
    expect(statements[2]!.result).toMatchObject({ score: { scaled: 0 }, success: false, completion: true });
    expect(statements[4]!.result).toMatchObject({ score: { scaled: 1 }, success: true });
    expect(statements[4]!.object.id).toBe(`${base}assessments/${courseId}`);
    expect(statements[4]!.context.contextActivities.parent.map((p: { id: string }) => p.id)).toEqual([`${base}courses/${courseId}`, `${base}programs/${program.json().id}`]);
    expect(statements[6]!.object).toMatchObject({ id: `${base}certifications/${cert.json().id}` });

    // The rows carry the person and the person's vendor: another vendor's credential sees none of them.
    const rows = await database.db.selectFrom('xapi_statements').select(['person_id', 'vendor_id']).where('registration', '=', enrolmentId).execute();
    expect(rows.every((r) => r.person_id === agent.id && r.vendor_id === agent.vendorId)).toBe(true);
    const otherAuth = await credential(world.vendors[0]!.id === agent.vendorId ? world.vendors[2]!.id : world.vendors[0]!.id);
    expect((await lrsGet(otherAuth, `/statements?registration=${enrolmentId}`)).json().statements).toEqual([]);
    // The activity definitions are readable through the Activities resource.
    const activity = await lrsGet(vendorAuth, `/activities?activityId=${encodeURIComponent(`${base}courses/${courseId}`)}`);
    expect(activity.json().definition.name['en-US']).toBe('Slurs 101');
  });
});
