import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { buildWorld, type World, type WorldPerson } from '../support/org-world.ts';
import { addCohort, addReviews, addScorecardVersion, scopedUser } from '../support/training-operations-world.ts';

/**
 * Coaching and trainers on a real PostgreSQL: a session linked to the
 * person's reviews (and only theirs) takes its errors from them, actions are
 * followed up, the person sees and acknowledges their own coaching and no
 * one else's, another vendor sees nothing (404), each view is audited;
 * trainer profiles, train-the-trainer certifications with their state, and
 * rubric-scored observations.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
type Client = ReturnType<typeof tokenClient>;
let coachClient: Client;
let otherVendorCoach: Client;
let agentClient: Client;
let otherAgentClient: Client;
let manager: Client;
let agent: WorldPerson;
let otherAgent: WorldPerson;
let coach: WorldPerson;
let reviewIds: string[];
let otherAgentReview: string;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  app = await buildTestServer(database.db);
  const v1 = world.vendors[1]!.id;
  const v1Agents = world.people.filter((p) => p.vendorId === v1 && p.teamId !== null);
  agent = v1Agents[0]!;
  otherAgent = v1Agents[1]!;
  coach = world.people.find((p) => p.vendorId === v1 && p.teamId === null)!;
  coachClient = tokenClient(app, (await scopedUser(database.db, world, 'trainer', 'vendor', v1, coach.id)).token);
  otherVendorCoach = tokenClient(app, (await scopedUser(database.db, world, 'trainer', 'vendor', world.vendors[2]!.id)).token);
  agentClient = tokenClient(app, (await scopedUser(database.db, world, 'agent', 'self', agent.id, agent.id)).token);
  otherAgentClient = tokenClient(app, (await scopedUser(database.db, world, 'agent', 'self', otherAgent.id, otherAgent.id)).token);
  manager = tokenClient(app, (await scopedUser(database.db, world, 'quality_manager', 'all', null)).token);
  const scorecard = await addScorecardVersion(database.db, world.workflowId);
  const reviewer = world.people.find((p) => p.vendorId === world.vendors[0]!.id && p.teamId === null)!;
  const base = { reviewerId: reviewer.id, reviewerVendorId: reviewer.vendorId, scorecardVersionId: scorecard, workflowId: world.workflowId, decidedAt: new Date('2026-03-03T10:00:00Z') };
  reviewIds = await addReviews(database.db, { ...base, agent, correct: 1, wrong: 2, errorTypes: ['false_negative'], rootCauses: ['policy_gap'] });
  otherAgentReview = (await addReviews(database.db, { ...base, agent: otherAgent, correct: 0, wrong: 1 }))[0]!;
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('coaching', () => {
  let sessionId: string;
  let actionIds: string[];

  it('offers the reviews with errors to link, and records a session with its errors and actions', async () => {
    const candidates = (await coachClient('GET', `/api/training-operations/people/${agent.id}/coaching-candidates`)).json();
    expect(candidates.items.map((r: { id: string }) => r.id).sort()).toEqual(reviewIds.slice(1).sort());

    const wrongPerson = await coachClient('POST', '/api/training-operations/coaching', { personId: agent.id, heldOn: '2026-03-05', topic: 'Missed slurs', reviewIds: [otherAgentReview] });
    expect(wrongPerson.statusCode).toBe(422);
    expect(wrongPerson.json().error.details).toContainEqual({ path: '/reviewIds/0', message: 'This review is about someone else.' });

    const created = await coachClient('POST', '/api/training-operations/coaching', {
      personId: agent.id, heldOn: '2026-03-05', topic: 'Missed slurs in comments', notes: 'Walked through the reclaimed-use exception.',
      reviewIds: reviewIds.slice(1),
      actions: [
        { description: 'Re-read the hate speech policy, section 3', ownerId: agent.id, followUpOn: '2026-03-12' },
        { description: 'Pull 10 borderline cases for the next session', ownerId: coach.id, followUpOn: '2026-03-12' },
      ],
    });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    sessionId = body.id;
    actionIds = body.actions.map((a: { id: string }) => a.id);
    expect(body).toMatchObject({ personId: agent.id, coachId: coach.id, coachName: coach.fullName, errorTypes: ['false_negative'], rootCauses: ['policy_gap'], reviewCount: 2, actionsOpen: 2 });
    expect(body.reviews.map((r: { id: string }) => r.id).sort()).toEqual(reviewIds.slice(1).sort());
    expect(body.workflowId).toBe(world.workflowId);
  });

  it('follows up actions: done, or kept open with a new date; not done needs a note', async () => {
    const done = await coachClient('PATCH', `/api/training-operations/coaching-actions/${actionIds[0]}`, { status: 'done', note: 'Summarised it back correctly' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', overdue: false, followUpNote: 'Summarised it back correctly' });
    const notDone = await coachClient('PATCH', `/api/training-operations/coaching-actions/${actionIds[1]}`, { status: 'not_done' });
    expect(notDone.statusCode).toBe(422);
    const moved = await coachClient('PATCH', `/api/training-operations/coaching-actions/${actionIds[1]}`, { status: 'open', followUpOn: '2026-03-19' });
    expect(moved.json()).toMatchObject({ status: 'open', followUpOn: '2026-03-19' });
    const again = await coachClient('PATCH', `/api/training-operations/coaching-actions/${actionIds[0]}`, { status: 'cancelled' });
    expect(again.statusCode).toBe(409);
    const followUps = (await coachClient('GET', '/api/training-operations/coaching/follow-ups?until=2026-03-31')).json();
    expect(followUps.items.map((a: { id: string }) => a.id)).toEqual([actionIds[1]]);
    expect(followUps.items[0]).toMatchObject({ personName: agent.fullName, topic: 'Missed slurs in comments' });
  });

  it('shows the person their own coaching, to acknowledge; nobody else\'s', async () => {
    const mine = (await agentClient('GET', '/api/training-operations/coaching/mine')).json();
    expect(mine.items.map((s: { id: string }) => s.id)).toEqual([sessionId]);
    const detail = await agentClient('GET', `/api/training-operations/coaching/${sessionId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().canAcknowledge).toBe(true);
    const ack = await agentClient('POST', `/api/training-operations/coaching/${sessionId}/acknowledge`);
    expect(ack.json().acknowledgedAt).not.toBeNull();
    expect((await otherAgentClient('GET', `/api/training-operations/coaching/${sessionId}`)).statusCode).toBe(404);
    expect((await otherAgentClient('GET', '/api/training-operations/coaching/mine')).json().items).toEqual([]);
    expect((await agentClient('GET', '/api/training-operations/coaching')).statusCode).toBe(403);
    expect((await coachClient('POST', `/api/training-operations/coaching/${sessionId}/acknowledge`)).statusCode).toBe(403);
  });

  it('keeps another vendor out, and audits each view', async () => {
    expect((await otherVendorCoach('GET', `/api/training-operations/coaching/${sessionId}`)).statusCode).toBe(404);
    expect((await otherVendorCoach('GET', '/api/training-operations/coaching')).json().items).toEqual([]);
    expect((await otherVendorCoach('PATCH', `/api/training-operations/coaching-actions/${actionIds[1]}`, { status: 'done' })).statusCode).toBe(404);
    expect((await otherVendorCoach('GET', `/api/training-operations/people/${agent.id}/coaching-candidates`)).statusCode).toBe(404);
    expect((await manager('GET', '/api/training-operations/coaching')).json().total).toBe(1);
    const views = await database.db.selectFrom('audit_log').select(['action', 'actor_label']).where('entity_id', '=', sessionId).execute();
    expect(views.filter((v) => v.action === 'coaching.view').length).toBeGreaterThanOrEqual(2);
    expect(views.map((v) => v.action)).toEqual(expect.arrayContaining(['coaching.record', 'coaching.acknowledge']));
  });
});

describe('trainers', () => {
  it('keeps profiles, train-the-trainer certifications and observations', async () => {
    const cohortId = await addCohort(database.db, world, 2, 'Observed cohort', '2026-03-02');
    await coachClient('PUT', `/api/training-operations/cohorts/${cohortId}/trainers`, { trainers: [{ personId: coach.id, role: 'lead' }] });
    const session = (await coachClient('POST', `/api/training-operations/cohorts/${cohortId}/sessions`, { startsAt: '2026-03-02T01:00:00Z', endsAt: '2026-03-02T03:00:00Z', topic: 'Bullying' })).json();

    const saved = await coachClient('PUT', `/api/training-operations/trainers/${coach.id}`, { workflowIds: [world.workflowId], specialities: ['Hate speech', 'Nesting'], languages: ['en', 'tl'], bio: 'Ten years in T&S' });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ personId: coach.id, specialities: ['Hate speech', 'Nesting'], languages: ['en', 'tl'], cohorts: 1 });
    expect((await coachClient('PUT', `/api/training-operations/trainers/${coach.id}`, { languages: ['English'] })).statusCode).toBe(422);

    const cert = await coachClient('POST', `/api/training-operations/trainers/${coach.id}/certifications`, { kind: 'delivery', workflowId: world.workflowId, awardedOn: '2025-01-10', expiresOn: '2026-01-10' });
    expect(cert.statusCode).toBe(201);
    expect(cert.json().certifications[0]).toMatchObject({ kind: 'delivery', state: 'expired' });

    const observerUser = await scopedUser(database.db, world, 'quality_manager', 'all', null, world.people.find((p) => p.vendorId === world.vendors[0]!.id && p.teamId === null)!.id);
    const observer = tokenClient(app, observerUser.token);
    const self = await coachClient('POST', `/api/training-operations/trainers/${coach.id}/observations`, { observedOn: '2026-03-02', scores: [{ key: 'clarity', score: 4 }] });
    expect(self.statusCode).toBe(422);
    const observed = await observer('POST', `/api/training-operations/trainers/${coach.id}/observations`, {
      cohortSessionId: session.id, observedOn: '2026-03-02', scores: [{ key: 'clarity', score: 4 }, { key: 'policy_accuracy', score: 5 }, { key: 'engagement', score: 3 }],
      strengths: 'Clear policy walk-through', improvements: 'More practice cases',
    });
    expect(observed.statusCode).toBe(201);
    const record = observed.json().observationRecords[0];
    expect(record).toMatchObject({ overall: 4, sessionTopic: 'Bullying' });
    expect(record.scores.map((s: { key: string }) => s.key)).toEqual(['policy_accuracy', 'clarity', 'engagement']);
    const badScore = await observer('POST', `/api/training-operations/trainers/${coach.id}/observations`, { observedOn: '2026-03-02', scores: [{ key: 'charisma', score: 4 }] });
    expect(badScore.statusCode).toBe(422);

    const list = (await manager('GET', `/api/training-operations/trainers?workflowId=${world.workflowId}`)).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ observations: 1, meanObservation: 4, certificationsValid: 0 });
    expect((await otherVendorCoach('GET', `/api/training-operations/trainers/${coach.id}`)).statusCode).toBe(404);
    expect((await otherVendorCoach('GET', '/api/training-operations/trainers')).json().items).toEqual([]);
  });
});
