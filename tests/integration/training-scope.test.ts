import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../src/domain/access/roles.ts';
import type { ScopeKind } from '../../src/domain/access/scope.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';

/**
 * Training scope: a vendor's trainers and managers never see another
 * vendor's enrolments, cohorts, awards or vendor-owned content; out-of-scope
 * ids answer 404; agents see only their own training, never a trainer's view.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let seq = 0;
let adminUser: WorldUser;
const trainers: WorldUser[] = [];
const managers: WorldUser[] = [];
const agents: WorldPerson[] = [];
let agentUser: WorldUser;
let otherAgentUser: WorldUser;

const as = (user: WorldUser) => tokenClient(app, user.token);

async function userFor(role: Role, kind: ScopeKind, refId: string | null, personId: string | null): Promise<WorldUser> {
  seq += 1;
  const user = await addUser(database.db, world, role, kind, `${role}-${kind}-${seq}`);
  await database.db.updateTable('users').set({ scope_ref_id: refId, person_id: personId }).where('id', '=', user.id).execute();
  return user;
}

interface VendorTraining {
  courseId: string;
  versionId: string;
  cohortId: string;
  enrolmentId: string;
  certificationId: string;
  awardId: string;
}
const byVendor: VendorTraining[] = [];

/** Each of vendors 1 and 2 builds its own course, cohort, enrolment and award. */
async function vendorTraining(v: 1 | 2): Promise<VendorTraining> {
  const t = as(trainers[v - 1]!);
  const m = as(managers[v - 1]!);
  const course = await t('POST', '/api/training/courses', { title: `Vendor ${v} onboarding`, workflowId: world.workflowId });
  const versionId = course.json().draftVersion.id;
  await t('POST', `/api/training/course-versions/${versionId}/modules`, { title: 'Welcome', bodyMd: 'Hello' });
  await t('POST', `/api/training/course-versions/${versionId}/items`, { kind: 'true_false', stem: 'Ready?', correctOptionIds: ['true'] });
  expect((await t('POST', `/api/training/course-versions/${versionId}/publish`)).statusCode).toBe(200);
  const agent = agents[v - 1]!;
  const cohort = await m('POST', '/api/training/cohorts', { siteId: agent.siteId, workflowId: world.workflowId, name: `V${v} wave`, startDate: '2026-02-01', memberIds: [agent.id] });
  expect(cohort.statusCode).toBe(201);
  const assign = await m('POST', '/api/training/enrolments', { courseId: course.json().id, cohortId: cohort.json().id });
  const cert = await t('POST', '/api/training/certifications', { workflowId: world.workflowId, name: `V${v} certified`, validityDays: 365, requiredCourseId: course.json().id });
  const award = await m('POST', '/api/training/certification-awards', { certificationId: cert.json().id, personId: agent.id });
  expect(award.statusCode).toBe(201);
  return { courseId: course.json().id, versionId, cohortId: cohort.json().id, enrolmentId: assign.json().enrolmentIds[0], certificationId: cert.json().id, awardId: award.json().id };
}

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  app = await buildTestServer(database.db);
  adminUser = await userFor('admin', 'all', null, null);
  for (const v of [1, 2]) {
    const vendorId = world.vendors[v]!.id;
    trainers.push(await userFor('trainer', 'vendor', vendorId, null));
    managers.push(await userFor('vendor_manager', 'vendor', vendorId, null));
    agents.push(world.people.find((p) => p.vendorId === vendorId && p.teamId !== null)!);
  }
  agentUser = await userFor('agent', 'self', agents[0]!.id, agents[0]!.id);
  const sameTeam = world.people.find((p) => p.teamId === agents[0]!.teamId && p.id !== agents[0]!.id)!;
  otherAgentUser = await userFor('agent', 'self', sameTeam.id, sameTeam.id);
  byVendor.push(await vendorTraining(1), await vendorTraining(2));
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('vendor isolation', () => {
  it("lists only the caller's vendor's enrolments, cohorts, awards and vendor-owned courses", async () => {
    for (const [i, user] of [...trainers, ...managers].entries()) {
      const mine = byVendor[i % 2]!;
      const theirs = byVendor[(i + 1) % 2]!;
      const c = as(user);
      const enrolments = (await c('GET', '/api/training/enrolments')).json().items.map((e: { id: string }) => e.id);
      expect(enrolments).toContain(mine.enrolmentId);
      expect(enrolments).not.toContain(theirs.enrolmentId);
      const cohorts = (await c('GET', '/api/training/cohorts')).json().items.map((e: { id: string }) => e.id);
      expect(cohorts).toEqual([mine.cohortId]);
      const awards = (await c('GET', '/api/training/certification-awards')).json().items.map((e: { id: string }) => e.id);
      expect(awards).toEqual([mine.awardId]);
      const courses = (await c('GET', '/api/training/courses')).json().items.map((e: { id: string }) => e.id);
      expect(courses).toContain(mine.courseId);
      expect(courses).not.toContain(theirs.courseId);
      const completion = (await c('GET', '/api/training/completion?groupBy=vendor')).json().items;
      expect(completion.map((r: { groupId: string }) => r.groupId)).toEqual([world.vendors[(i % 2) + 1]!.id]);
      const overview = (await c('GET', '/api/training/certifications-overview')).json().rows;
      expect(overview.map((r: { vendorId: string }) => r.vendorId)).toEqual([world.vendors[(i % 2) + 1]!.id]);
    }
  });

  it("answers 404 for another vendor's ids, reads and writes alike", async () => {
    const t = as(trainers[0]!);
    const m = as(managers[0]!);
    const theirs = byVendor[1]!;
    expect((await t('GET', `/api/training/courses/${theirs.courseId}`)).statusCode).toBe(404);
    expect((await t('GET', `/api/training/course-versions/${theirs.versionId}`)).statusCode).toBe(404);
    expect((await t('POST', `/api/training/courses/${theirs.courseId}/drafts`)).statusCode).toBe(404);
    expect((await m('GET', `/api/training/cohorts/${theirs.cohortId}`)).statusCode).toBe(404);
    expect((await m('GET', `/api/training/enrolments/${theirs.enrolmentId}`)).statusCode).toBe(404);
    expect((await m('PATCH', `/api/training/enrolments/${theirs.enrolmentId}`, { status: 'withdrawn' })).statusCode).toBe(404);
    expect((await m('POST', `/api/training/certification-awards/${theirs.awardId}/revoke`, { reason: 'not mine' })).statusCode).toBe(404);
    expect((await m('POST', '/api/training/enrolments', { courseId: byVendor[0]!.courseId, personIds: [agents[1]!.id] })).statusCode).toBe(404);
    expect((await m('POST', `/api/training/cohorts/${byVendor[0]!.cohortId}/members`, { personIds: [agents[1]!.id] })).statusCode).toBe(404);
    // The certification check cannot see the other vendor's people either.
    expect((await m('GET', `/api/training/certified?person=${agents[1]!.id}&workflow=${world.workflowId}`)).statusCode).toBe(404);
    // Scope all sees both.
    const all = (await as(adminUser)('GET', '/api/training/enrolments')).json().items.map((e: { id: string }) => e.id);
    expect(all).toEqual(expect.arrayContaining([byVendor[0]!.enrolmentId, byVendor[1]!.enrolmentId]));
  });
});

describe('agents', () => {
  it('see their own learning only, and none of the trainer views', async () => {
    const mine = await as(agentUser)('GET', '/api/training/my');
    expect(mine.json().enrolments.map((e: { id: string }) => e.id)).toEqual([byVendor[0]!.enrolmentId]);
    expect(mine.json().certifications.map((a: { id: string }) => a.id)).toEqual([byVendor[0]!.awardId]);
    const other = await as(otherAgentUser)('GET', '/api/training/my');
    expect(other.json().enrolments).toEqual([]);
    expect((await as(otherAgentUser)('GET', `/api/training/my/enrolments/${byVendor[0]!.enrolmentId}`)).statusCode).toBe(404);
    expect((await as(otherAgentUser)('POST', `/api/training/my/enrolments/${byVendor[0]!.enrolmentId}/attempts`)).statusCode).toBe(404);
    for (const url of ['/api/training/enrolments', '/api/training/cohorts', `/api/training/course-versions/${byVendor[0]!.versionId}`, '/api/training/certification-awards']) {
      expect((await as(agentUser)('GET', url)).statusCode).toBe(403);
    }
  });

  it('never receive the answer key, even for their own form, before submitting', async () => {
    const detail = await as(agentUser)('GET', `/api/training/my/enrolments/${byVendor[0]!.enrolmentId}`);
    expect(detail.body).not.toContain('correctOptionIds');
    for (const m of detail.json().modules) await as(agentUser)('POST', `/api/training/my/enrolments/${byVendor[0]!.enrolmentId}/modules/${m.id}/view`);
    const start = await as(agentUser)('POST', `/api/training/my/enrolments/${byVendor[0]!.enrolmentId}/attempts`);
    expect(start.statusCode).toBe(201);
    expect(start.body).not.toContain('correctOptionIds');
    const again = await as(agentUser)('GET', `/api/training/my/attempts/${start.json().id}`);
    expect(again.body).not.toContain('correctOptionIds');
    expect(again.json().result).toBeNull();
    // Another agent cannot read or submit it.
    expect((await as(otherAgentUser)('GET', `/api/training/my/attempts/${start.json().id}`)).statusCode).toBe(404);
    expect((await as(otherAgentUser)('POST', `/api/training/my/attempts/${start.json().id}/submit`, { answers: [] })).statusCode).toBe(404);
    const done = await as(agentUser)('POST', `/api/training/my/attempts/${start.json().id}/submit`, { answers: start.json().items.map((i: { id: string }) => ({ itemId: i.id, optionIds: ['true'] })) });
    expect(done.json().result).toMatchObject({ passed: true, enrolmentCompleted: true });
    expect(done.json().result.answers[0].correctOptionIds).toEqual(['true']);
  });
});
