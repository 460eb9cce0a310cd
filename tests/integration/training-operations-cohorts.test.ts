import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { buildWorld, type World, type WorldPerson } from '../support/org-world.ts';
import { wilson } from '../../src/domain/stats/proportions.ts';
import { addCohort, addCohortMember, addCourse, addEnrolment, addReviews, addScorecardVersion, scopedUser } from '../support/training-operations-world.ts';

/**
 * Cohort operations on a real PostgreSQL: trainers, the schedule, attendance
 * (only members, corrected in place, rates with Wilson intervals), a session's
 * completion inviting its attendees to the survey, the nesting targets read
 * from the quality rollups (met / not yet / credibly not met with the
 * metrics' intervals), graduation with its evidence and audit entry, overdue
 * training per vendor; and scope: another vendor's trainer gets 404, an agent 403.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
type Client = ReturnType<typeof tokenClient>;
let trainer: Client;
let otherVendorTrainer: Client;
let agentClient: Client;
let manager: Client;
let admin: Client;
let cohortId: string;
let members: WorldPerson[];
let outsider: WorldPerson;
let trainerPerson: WorldPerson;

const V1_SITE = 2;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  app = await buildTestServer(database.db);
  const site = world.sites[V1_SITE]!;
  const agents = world.people.filter((p) => p.siteId === site.id && p.teamId !== null);
  members = agents.slice(0, 3);
  outsider = agents[3]!;
  trainerPerson = world.people.find((p) => p.siteId === site.id && p.teamId === null)!;
  cohortId = await addCohort(database.db, world, V1_SITE, 'Nov new hires', '2026-03-02');
  for (const m of members) await addCohortMember(database.db, cohortId, m.id);
  trainer = tokenClient(app, (await scopedUser(database.db, world, 'trainer', 'vendor', site.vendorId, trainerPerson.id)).token);
  otherVendorTrainer = tokenClient(app, (await scopedUser(database.db, world, 'trainer', 'vendor', world.vendors[2]!.id)).token);
  agentClient = tokenClient(app, (await scopedUser(database.db, world, 'agent', 'self', members[0]!.id, members[0]!.id)).token);
  manager = tokenClient(app, (await scopedUser(database.db, world, 'vendor_manager', 'vendor', site.vendorId)).token);
  admin = tokenClient(app, (await scopedUser(database.db, world, 'admin', 'all', null)).token);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('cohort schedule and attendance', () => {
  let sessionId: string;

  it('sets trainers and schedules sessions', async () => {
    const set = await trainer('PUT', `/api/training-operations/cohorts/${cohortId}/trainers`, { trainers: [{ personId: trainerPerson.id, role: 'lead' }] });
    expect(set.statusCode).toBe(200);
    expect(set.json().trainers).toEqual([{ personId: trainerPerson.id, fullName: trainerPerson.fullName, role: 'lead' }]);
    const twoLeads = await trainer('PUT', `/api/training-operations/cohorts/${cohortId}/trainers`, { trainers: [{ personId: trainerPerson.id, role: 'lead' }, { personId: outsider.id, role: 'lead' }] });
    expect(twoLeads.statusCode).toBe(422);

    const created = await trainer('POST', `/api/training-operations/cohorts/${cohortId}/sessions`, {
      startsAt: '2026-03-02T01:00:00Z', endsAt: '2026-03-02T05:00:00Z', topic: 'Hate speech policy: slurs and reclaimed use', location: 'Room 4', trainerId: trainerPerson.id,
    });
    expect(created.statusCode).toBe(201);
    sessionId = created.json().id;
    expect(created.json()).toMatchObject({ status: 'scheduled', topic: 'Hate speech policy: slurs and reclaimed use', trainerName: trainerPerson.fullName });
    const backwards = await trainer('POST', `/api/training-operations/cohorts/${cohortId}/sessions`, { startsAt: '2026-03-03T05:00:00Z', endsAt: '2026-03-03T01:00:00Z', topic: 'x' });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().error.details).toContainEqual({ path: '/endsAt', message: 'A session ends after it starts.' });

    const list = await trainer('GET', '/api/training-operations/cohorts');
    expect(list.json().items.map((c: { id: string }) => c.id)).toContain(cohortId);
    expect(list.json().items.find((c: { id: string }) => c.id === cohortId)).toMatchObject({ members: 3, sessions: 1, trainerNames: [trainerPerson.fullName] });
  });

  it('takes attendance for members only, and corrects it in place', async () => {
    const url = `/api/training-operations/sessions/${sessionId}/attendance`;
    const notMember = await trainer('PUT', url, { records: [{ personId: outsider.id, status: 'present' }] });
    expect(notMember.statusCode).toBe(422);
    expect(notMember.json().error.details[0]).toEqual({ path: '/records/0/personId', message: 'Not a member of this cohort.' });

    const taken = await trainer('PUT', url, {
      records: [{ personId: members[0]!.id, status: 'present' }, { personId: members[1]!.id, status: 'absent' }, { personId: members[2]!.id, status: 'excused', note: 'Medical' }],
    });
    expect(taken.statusCode).toBe(200);
    const corrected = await trainer('PUT', url, { records: [{ personId: members[1]!.id, status: 'late', note: 'Arrived 20 min late' }] });
    const roster = corrected.json().roster as Array<{ personId: string; status: string; note: string }>;
    expect(Object.fromEntries(roster.map((r) => [r.personId, r.status]))).toEqual({ [members[0]!.id]: 'present', [members[1]!.id]: 'late', [members[2]!.id]: 'excused' });
    expect(corrected.json().session.counts).toEqual({ present: 1, late: 1, absent: 0, excused: 1 });
  });

  it('completes the session, inviting those who attended to the reaction survey', async () => {
    const done = await trainer('PATCH', `/api/training-operations/sessions/${sessionId}`, { status: 'completed' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'completed', surveyInvitations: 2 });
    const invited = await database.db.selectFrom('survey_invitations').select('person_id').where('cohort_session_id', '=', sessionId).execute();
    expect(invited.map((i) => i.person_id).sort()).toEqual([members[0]!.id, members[1]!.id].sort());
    const again = await trainer('PATCH', `/api/training-operations/sessions/${sessionId}`, { status: 'cancelled' });
    expect(again.statusCode).toBe(409);

    const detail = (await trainer('GET', `/api/training-operations/cohorts/${cohortId}`)).json();
    // Excused is left out of the denominator: 2 attended of 2 expected.
    expect(detail.attendance).toMatchObject({ x: 2, n: 2, estimate: 1 });
    expect(detail.attendance.lower).toBeCloseTo(wilson(2, 2).lower, 12);
    const excused = detail.members.find((m: { personId: string }) => m.personId === members[2]!.id);
    expect(excused.attendance).toMatchObject({ n: 0, excused: 1, estimate: null });
  });

  it('hides the cohort from another vendor (404) and refuses agents (403)', async () => {
    expect((await otherVendorTrainer('GET', `/api/training-operations/cohorts/${cohortId}`)).statusCode).toBe(404);
    expect((await otherVendorTrainer('GET', `/api/training-operations/sessions/${sessionId}`)).statusCode).toBe(404);
    expect((await otherVendorTrainer('PUT', `/api/training-operations/sessions/${sessionId}/attendance`, { records: [{ personId: members[0]!.id, status: 'absent' }] })).statusCode).toBe(404);
    expect((await otherVendorTrainer('GET', '/api/training-operations/cohorts')).json().items.map((c: { id: string }) => c.id)).not.toContain(cohortId);
    expect((await agentClient('GET', `/api/training-operations/cohorts/${cohortId}`)).statusCode).toBe(403);
    const audits = await database.db.selectFrom('audit_log').select('action').where('entity_id', '=', sessionId).execute();
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['cohort.session.schedule', 'cohort.attendance.record', 'cohort.session.update']));
  });
});

describe('nesting targets and graduation', () => {
  beforeAll(async () => {
    const scorecard = await addScorecardVersion(database.db, world.workflowId);
    const reviewer = world.people.find((p) => p.vendorId === world.vendors[0]!.id && p.teamId === null)!;
    const base = { reviewerId: reviewer.id, reviewerVendorId: reviewer.vendorId, scorecardVersionId: scorecard, workflowId: world.workflowId };
    await addReviews(database.db, { ...base, agent: members[0]!, decidedAt: new Date('2026-03-20T10:00:00Z'), correct: 40, wrong: 0 });
    await addReviews(database.db, { ...base, agent: members[1]!, decidedAt: new Date('2026-03-21T10:00:00Z'), correct: 12, wrong: 12, critical: 6 });
    await addReviews(database.db, { ...base, agent: members[2]!, decidedAt: new Date('2026-03-22T10:00:00Z'), correct: 5, wrong: 0 });
    // Before the nesting phase: not counted.
    await addReviews(database.db, { ...base, agent: members[2]!, decidedAt: new Date('2026-02-01T10:00:00Z'), correct: 0, wrong: 30, critical: 30 });
  });

  it('judges each member against the targets with the metrics intervals', async () => {
    const noTargets = (await trainer('GET', `/api/training-operations/cohorts/${cohortId}/nesting`)).json();
    expect(noTargets.settings).toBeNull();

    const bad = await trainer('PUT', `/api/training-operations/cohorts/${cohortId}/nesting`, { startsOn: '2026-03-31', endsOn: '2026-03-16', minReviews: 20, accuracyTarget: 0.9, criticalErrorMax: 0.02, evidence: 'estimate' });
    expect(bad.statusCode).toBe(422);
    const set = await trainer('PUT', `/api/training-operations/cohorts/${cohortId}/nesting`, { startsOn: '2026-03-16', endsOn: '2026-03-31', minReviews: 20, accuracyTarget: 0.9, criticalErrorMax: 0.02, evidence: 'estimate' });
    expect(set.statusCode).toBe(200);

    const progress = (await trainer('GET', `/api/training-operations/cohorts/${cohortId}/nesting`)).json();
    expect(progress).toMatchObject({ from: '2026-03-16', to: '2026-03-31', counts: { met: 1, notYet: 1, crediblyNotMet: 1 } });
    const byPerson = Object.fromEntries(progress.members.map((m: { personId: string }) => [m.personId, m]));
    const a = byPerson[members[0]!.id];
    expect(a.evaluation.status).toBe('met');
    expect(a.accuracy).toMatchObject({ value: 1, n: 40 });
    expect(a.accuracy.lower).toBeGreaterThan(0.85);
    expect(a.accuracy.lower).toBeLessThan(1);
    const b = byPerson[members[1]!.id];
    expect(b.evaluation.status).toBe('credibly_not_met');
    expect(b.accuracy).toMatchObject({ value: 0.5, n: 24 });
    expect(b.accuracy.upper).toBeLessThan(0.9);
    expect(b.criticalErrorRate.value).toBeCloseTo(0.25, 12);
    const c = byPerson[members[2]!.id];
    expect(c.evaluation).toMatchObject({ status: 'not_yet', enoughReviews: false });
    expect(c.accuracy.n).toBe(5);
    expect(c.evaluation.reasons).toContain('5 of the 20 reviews needed.');
  });

  it("with evidence 'interval', 40 of 40 is not yet enough for 90%... until the interval clears it", async () => {
    await trainer('PUT', `/api/training-operations/cohorts/${cohortId}/nesting`, { startsOn: '2026-03-16', endsOn: '2026-03-31', minReviews: 20, accuracyTarget: 0.95, criticalErrorMax: 0.02, evidence: 'interval' });
    const progress = (await trainer('GET', `/api/training-operations/cohorts/${cohortId}/nesting`)).json();
    const a = progress.members.find((m: { personId: string }) => m.personId === members[0]!.id);
    // Lower bound of 40/40 is about 0.91: below 95%, so not yet (and not credibly missed: the upper bound is 1).
    expect(a.evaluation.status).toBe('not_yet');
    await trainer('PUT', `/api/training-operations/cohorts/${cohortId}/nesting`, { startsOn: '2026-03-16', endsOn: '2026-03-31', minReviews: 20, accuracyTarget: 0.9, criticalErrorMax: 0.02, evidence: 'estimate' });
  });

  it('records graduation decisions with their evidence; against the evidence only with a note', async () => {
    const url = `/api/training-operations/cohorts/${cohortId}/graduations`;
    const graduated = await trainer('POST', url, { personId: members[0]!.id, outcome: 'graduated' });
    expect(graduated.statusCode).toBe(201);
    expect(graduated.json()).toMatchObject({ memberStatus: 'graduated', latestDecision: { outcome: 'graduated' } });

    const noNote = await trainer('POST', url, { personId: members[1]!.id, outcome: 'graduated' });
    expect(noNote.statusCode).toBe(422);
    expect(noNote.json().error.details[0].path).toBe('/note');
    const extended = await trainer('POST', url, { personId: members[1]!.id, outcome: 'extended', note: 'Two more weeks of nesting with daily coaching' });
    expect(extended.statusCode).toBe(201);
    expect(extended.json().memberStatus).toBe('active');

    const rows = await database.db.selectFrom('cohort_graduations').select(['person_id', 'outcome', 'evidence']).where('cohort_id', '=', cohortId).execute();
    const evidence = rows.find((r) => r.person_id === members[0]!.id)!.evidence as { accuracy: { value: number; n: number }; evaluation: { status: string } };
    expect(evidence.accuracy).toMatchObject({ value: 1, n: 40 });
    expect(evidence.evaluation.status).toBe('met');
    const audit = await database.db.selectFrom('audit_log').select(['action', 'vendor_id']).where('action', 'like', 'cohort.graduation.%').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['cohort.graduation.extended', 'cohort.graduation.graduated']);
    expect(new Set(audit.map((a) => a.vendor_id))).toEqual(new Set([world.vendors[1]!.id]));

    expect((await otherVendorTrainer('POST', url, { personId: members[2]!.id, outcome: 'exited', note: 'x' })).statusCode).toBe(404);
    expect((await agentClient('POST', url, { personId: members[2]!.id, outcome: 'graduated' })).statusCode).toBe(403);
  });
});

describe('overdue training per vendor and site', () => {
  it('counts come-due enrolments not complete, with a Wilson interval, in scope only', async () => {
    const course = await addCourse(database.db, world, 'Violent extremism basics');
    const now = Date.now();
    const past = new Date(now - 5 * 86_400_000);
    const future = new Date(now + 5 * 86_400_000);
    const v1 = world.people.filter((p) => p.vendorId === world.vendors[1]!.id && p.teamId !== null);
    const v2 = world.people.filter((p) => p.vendorId === world.vendors[2]!.id && p.teamId !== null);
    await addEnrolment(database.db, { personId: v1[0]!.id, course, dueAt: past });
    await addEnrolment(database.db, { personId: v1[1]!.id, course, dueAt: past, status: 'in_progress' });
    await addEnrolment(database.db, { personId: v1[2]!.id, course, dueAt: past, status: 'completed' });
    await addEnrolment(database.db, { personId: v1[3]!.id, course, dueAt: future });
    await addEnrolment(database.db, { personId: v1[4]!.id, course, dueAt: past, status: 'withdrawn' });
    await addEnrolment(database.db, { personId: v2[0]!.id, course, dueAt: past });

    const all = (await admin('GET', `/api/training-operations/overdue?by=vendor&courseId=${course.courseId}`)).json();
    const v1Group = all.groups.find((g: { groupId: string }) => g.groupId === world.vendors[1]!.id);
    // completed_at is "now", after the due date: one completed late.
    expect(v1Group).toMatchObject({ comeDue: 3, overdue: 2, completedLate: 1, openNotDue: 1 });
    expect(v1Group.overdueRate.estimate).toBeCloseTo(2 / 3, 12);
    expect(v1Group.overdueRate.lower).toBeCloseTo(wilson(2, 3).lower, 12);
    expect(all.overall).toMatchObject({ comeDue: 4, overdue: 3 });

    const scoped = (await manager('GET', `/api/training-operations/overdue?by=site&courseId=${course.courseId}`)).json();
    expect(scoped.groups.every((g: { vendorName: string }) => g.vendorName === world.vendors[1]!.name)).toBe(true);
    expect(scoped.overall).toMatchObject({ comeDue: 3, overdue: 2 });
    const list = (await manager('GET', `/api/training-operations/overdue/enrolments?courseId=${course.courseId}`)).json();
    expect(list.total).toBe(2);
    expect(list.items.map((i: { personId: string }) => i.personId).sort()).toEqual([v1[0]!.id, v1[1]!.id].sort());
    expect(list.items[0]).toMatchObject({ courseTitle: 'Violent extremism basics', daysOverdue: 5 });
  });
});
