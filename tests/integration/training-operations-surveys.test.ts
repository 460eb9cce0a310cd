import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { buildWorld, type World, type WorldPerson } from '../support/org-world.ts';
import { meanInterval } from '../../src/domain/training-operations/surveys.rules.ts';
import { addCohort, addCohortMember, addCourse, scopedUser } from '../support/training-operations-world.ts';

/**
 * Reaction surveys on a real PostgreSQL: completing a session invites those
 * who attended; each answers once, only their own invitation; the stored
 * response carries no person; results per course, trainer and site show
 * means with t intervals and n, and withhold groups under the minimum size.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
type Client = ReturnType<typeof tokenClient>;
let trainer: Client;
let otherVendorTrainer: Client;
let learners: Array<{ person: WorldPerson; client: Client }>;
let trainerPerson: WorldPerson;
let bullyingCourseId: string;
let cohortId: string;
const SURVEY = '7a1e5e00-0000-4000-8000-000000000001';
const RATINGS = [5, 4, 4, 5, 3, 4];

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  app = await buildTestServer(database.db);
  const v1 = world.vendors[1]!.id;
  const people = world.people.filter((p) => p.vendorId === v1 && p.teamId !== null).slice(0, 7);
  trainerPerson = world.people.find((p) => p.vendorId === v1 && p.teamId === null)!;
  trainer = tokenClient(app, (await scopedUser(database.db, world, 'trainer', 'vendor', v1, trainerPerson.id)).token);
  otherVendorTrainer = tokenClient(app, (await scopedUser(database.db, world, 'trainer', 'vendor', world.vendors[2]!.id)).token);
  learners = [];
  for (const person of people) learners.push({ person, client: tokenClient(app, (await scopedUser(database.db, world, 'agent', 'self', person.id, person.id)).token) });
  const course = await addCourse(database.db, world, 'Bullying and harassment');
  bullyingCourseId = course.courseId;
  cohortId = await addCohort(database.db, world, 2, 'Survey cohort', '2026-03-02');
  for (const { person } of learners) await addCohortMember(database.db, cohortId, person.id);
  await trainer('PUT', `/api/training-operations/cohorts/${cohortId}/trainers`, { trainers: [{ personId: trainerPerson.id, role: 'lead' }] });
  const session = (await trainer('POST', `/api/training-operations/cohorts/${cohortId}/sessions`, { startsAt: '2026-03-02T01:00:00Z', endsAt: '2026-03-02T04:00:00Z', topic: 'Bullying', courseId: course.courseId })).json();
  // Six attend, one is absent and is not asked.
  await trainer('PUT', `/api/training-operations/sessions/${session.id}/attendance`, {
    records: learners.map(({ person }, i) => ({ personId: person.id, status: i === 6 ? 'absent' : i === 5 ? 'late' : 'present' })),
  });
  await trainer('PATCH', `/api/training-operations/sessions/${session.id}`, { status: 'completed' });
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const fullRatings = (value: number) => ({ objectives_clear: value, relevant: value, trainer_knowledge: value, examples: value, confident: value, pace: value });

describe('reaction surveys', () => {
  it('invites those who attended, shows them the questions and the anonymity promise', async () => {
    const absent = (await learners[6]!.client('GET', '/api/training-operations/surveys/mine')).json();
    expect(absent.items).toEqual([]);
    const mine = (await learners[0]!.client('GET', '/api/training-operations/surveys/mine')).json();
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ surveyId: SURVEY, contextLabel: 'Survey cohort: Bullying', respondedOn: null });
    const detail = (await learners[0]!.client('GET', `/api/training-operations/survey-invitations/${mine.items[0].id}`)).json();
    expect(detail.items.filter((i: { kind: string }) => i.kind === 'likert')).toHaveLength(6);
    expect(detail.anonymityNote).toContain('groups of 5 or more');
    expect((await learners[1]!.client('GET', `/api/training-operations/survey-invitations/${mine.items[0].id}`)).statusCode).toBe(404);
  });

  it('withholds results until five have answered, then shows means with intervals per course, trainer and site', async () => {
    const invitationOf = async (i: number) => (await learners[i]!.client('GET', '/api/training-operations/surveys/mine')).json().items[0].id as string;
    const missing = await learners[0]!.client('POST', `/api/training-operations/survey-invitations/${await invitationOf(0)}/response`, { ratings: { objectives_clear: 5 } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.details.map((d: { path: string }) => d.path)).toContain('/ratings/relevant');

    for (let i = 0; i < 4; i++) {
      const answered = await learners[i]!.client('POST', `/api/training-operations/survey-invitations/${await invitationOf(i)}/response`, { ratings: fullRatings(RATINGS[i]!), comments: { best: `Good examples ${i}` } });
      expect(answered.statusCode).toBe(201);
    }
    expect((await learners[0]!.client('POST', `/api/training-operations/survey-invitations/${await invitationOf(0)}/response`, { ratings: fullRatings(1) })).statusCode).toBe(409);

    const four = (await trainer('GET', `/api/training-operations/surveys/${SURVEY}/results?by=course`)).json();
    expect(four.groups).toEqual([expect.objectContaining({ n: 4, suppressed: true, items: [], comments: [], overall: null })]);

    for (let i = 4; i < 6; i++) await learners[i]!.client('POST', `/api/training-operations/survey-invitations/${await invitationOf(i)}/response`, { ratings: fullRatings(RATINGS[i]!) });
    const byCourse = (await trainer('GET', `/api/training-operations/surveys/${SURVEY}/results?by=course`)).json();
    expect(byCourse).toMatchObject({ invited: 6, responded: 6 });
    const group = byCourse.groups[0];
    expect(group).toMatchObject({ groupName: 'Bullying and harassment', n: 6, suppressed: false });
    const expected = meanInterval(RATINGS);
    expect(group.items[0].mean).toBeCloseTo(expected.mean!, 12);
    expect(group.items[0].lower).toBeCloseTo(expected.lower!, 12);
    // t(0.975, 5) = 2.5706: mean 25/6, sd 0.7528 -> half-width 0.790.
    expect(group.items[0].upper - group.items[0].mean).toBeCloseTo(0.79, 2);
    expect(group.items[0].distribution).toEqual([0, 0, 1, 3, 2]);
    expect(group.comments.map((c: { text: string }) => c.text)).toEqual(['Good examples 0', 'Good examples 1', 'Good examples 2', 'Good examples 3']);

    const byTrainer = (await trainer('GET', `/api/training-operations/surveys/${SURVEY}/results?by=trainer`)).json();
    expect(byTrainer.groups[0]).toMatchObject({ groupId: trainerPerson.id, groupName: trainerPerson.fullName, n: 6 });
    const bySite = (await trainer('GET', `/api/training-operations/surveys/${SURVEY}/results?by=site`)).json();
    expect(bySite.groups.reduce((a: number, g: { n: number }) => a + g.n, 0)).toBe(6);
    expect((await otherVendorTrainer('GET', `/api/training-operations/surveys/${SURVEY}/results?by=course`)).json().groups).toEqual([]);
  });

  it('stores answers without the person who gave them', async () => {
    const { rows } = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_name = 'survey_responses'`.execute(database.db);
    const columns = rows.map((r) => r.column_name);
    expect(columns).not.toContain('person_id');
    expect(columns).not.toContain('invitation_id');
    expect(columns.some((c) => c.endsWith('_at'))).toBe(false);
    const audit = await database.db.selectFrom('audit_log').select('details').where('action', '=', 'survey.respond').execute();
    expect(audit).toHaveLength(6);
    expect(JSON.stringify(audit)).not.toContain('ratings');
  });

  it('lets only scope "everything" add a survey, and checks it', async () => {
    const manager = tokenClient(app, (await scopedUser(database.db, world, 'quality_manager', 'all', null)).token);
    const vendorManager = tokenClient(app, (await scopedUser(database.db, world, 'trainer', 'vendor', world.vendors[1]!.id)).token);
    const body = { name: 'Refresher pulse', items: [{ key: 'useful', text: 'This refresher was useful.', kind: 'likert' }, { key: 'more', text: 'Anything else?', kind: 'text' }] };
    expect((await vendorManager('POST', '/api/training-operations/surveys', body)).statusCode).toBe(403);
    const bad = await manager('POST', '/api/training-operations/surveys', { name: 'x', items: [{ key: 'more', text: 'Anything?', kind: 'text' }] });
    expect(bad.statusCode).toBe(422);
    const created = await manager('POST', '/api/training-operations/surveys', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Refresher pulse', minGroupSize: 5, status: 'active' });
  });

  it('sends the survey that follows a course to those trained on it, the general one after other training', async () => {
    const manager = tokenClient(app, (await scopedUser(database.db, world, 'quality_manager', 'all', null)).token);
    const items = [{ key: 'bullying_cases', text: 'The bullying cases were like the ones I see.', kind: 'likert' }, { key: 'missing', text: 'Which cases were missing?', kind: 'text' }];
    const unknown = await manager('POST', '/api/training-operations/surveys', { name: 'Bullying course', courseId: '00000000-0000-4000-8000-000000000000', items });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.details).toEqual([expect.objectContaining({ path: '/courseId' })]);
    const created = await manager('POST', '/api/training-operations/surveys', { name: 'Bullying course', courseId: bullyingCourseId, items });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ courseId: bullyingCourseId, courseTitle: 'Bullying and harassment' });
    const listed = (await trainer('GET', '/api/training-operations/surveys')).json().items;
    expect(listed.find((d: { id: string }) => d.id === created.json().id)).toMatchObject({ courseId: bullyingCourseId, courseTitle: 'Bullying and harassment' });

    const held = async (topic: string, courseId: string | null) => {
      const session = (await trainer('POST', `/api/training-operations/cohorts/${cohortId}/sessions`, { startsAt: '2026-03-09T01:00:00Z', endsAt: '2026-03-09T04:00:00Z', topic, courseId })).json();
      await trainer('PUT', `/api/training-operations/sessions/${session.id}/attendance`, { records: [{ personId: learners[0]!.person.id, status: 'present' }] });
      await trainer('PATCH', `/api/training-operations/sessions/${session.id}`, { status: 'completed' });
    };
    await held('Bullying, part 2', bullyingCourseId);
    await held('Queue tools', null);
    const mine = (await learners[0]!.client('GET', '/api/training-operations/surveys/mine')).json().items;
    expect(mine.find((i: { contextLabel: string }) => i.contextLabel === 'Survey cohort: Bullying, part 2')).toMatchObject({ surveyName: 'Bullying course' });
    // The general survey is the newest one without a course ("Refresher pulse", added above).
    expect(mine.find((i: { contextLabel: string }) => i.contextLabel === 'Survey cohort: Queue tools')).toMatchObject({ surveyName: 'Refresher pulse' });
  });
});
