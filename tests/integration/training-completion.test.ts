import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { buildWorld, type World, type WorldPerson } from '../support/org-world.ts';
import { addCohort, addCourse, addEnrolment, scopedUser } from '../support/training-operations-world.ts';

/**
 * The manager's completion view by trainer on a real PostgreSQL: an
 * enrolment counts for each trainer of its cohort (a co-trained cohort under
 * both), enrolments outside a cohort have no trainer, rates carry n and a
 * Wilson interval, and another vendor's cohorts and trainers stay out of a
 * vendor manager's view.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  app = await buildTestServer(database.db);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function addTrainer(cohortId: string, person: WorldPerson, role: 'lead' | 'co') {
  await sql`INSERT INTO cohort_trainers (cohort_id, person_id, role) VALUES (${cohortId}, ${person.id}, ${role})`.execute(database.db);
}

describe('completion by trainer', () => {
  it('counts each enrolment for every trainer of its cohort, with n and a Wilson interval, within scope', async () => {
    const v1 = world.vendors[1]!.id;
    const v1Site = world.sites[2]!; // vendor 1, first site
    const v2Site = world.sites[4]!; // vendor 2, first site
    const course = await addCourse(database.db, world, 'Hate speech foundations');
    const agents = world.people.filter((p) => p.vendorId === v1 && p.teamId !== null); // eight: two sites, two teams each, two agents each
    const v2Agent = world.people.find((p) => p.siteId === v2Site.id && p.teamId !== null)!;
    const lead = world.people.find((p) => p.siteId === v1Site.id && p.teamId === null)!;
    const co = world.people.find((p) => p.vendorId === v1 && p.siteId !== v1Site.id && p.teamId === null)!;
    const v2Trainer = world.people.find((p) => p.siteId === v2Site.id && p.teamId === null)!;

    const waveA = await addCohort(database.db, world, 2, 'Wave A', '2026-02-02');
    const waveB = await addCohort(database.db, world, 2, 'Wave B', '2026-03-02');
    const waveV2 = await addCohort(database.db, world, 4, 'Other vendor wave', '2026-03-02');
    await addTrainer(waveA, lead, 'lead');
    await addTrainer(waveA, co, 'co');
    await addTrainer(waveB, co, 'lead');
    await addTrainer(waveV2, v2Trainer, 'lead');

    const past = new Date('2026-01-01T00:00:00Z');
    const future = new Date('2099-01-01T00:00:00Z');
    // Wave A: 3 enrolled, 2 completed, 1 overdue. Wave B: 2 enrolled, 1 completed. One withdrawn (not counted).
    await addEnrolment(database.db, { personId: agents[0]!.id, course, cohortId: waveA, dueAt: future, status: 'completed' });
    await addEnrolment(database.db, { personId: agents[1]!.id, course, cohortId: waveA, dueAt: future, status: 'completed' });
    await addEnrolment(database.db, { personId: agents[2]!.id, course, cohortId: waveA, dueAt: past, status: 'in_progress' });
    await addEnrolment(database.db, { personId: agents[3]!.id, course, cohortId: waveB, dueAt: future, status: 'completed' });
    await addEnrolment(database.db, { personId: agents[4]!.id, course, cohortId: waveB, dueAt: future, status: 'assigned' });
    await addEnrolment(database.db, { personId: agents[5]!.id, course, cohortId: waveB, dueAt: future, status: 'withdrawn' });
    // Outside any cohort: no trainer.
    await addEnrolment(database.db, { personId: agents[6]!.id, course, dueAt: future, status: 'completed' });
    await addEnrolment(database.db, { personId: v2Agent.id, course, cohortId: waveV2, dueAt: future, status: 'completed' });

    const manager = tokenClient(app, (await scopedUser(database.db, world, 'vendor_manager', 'vendor', v1, null)).token);
    const response = await manager('GET', `/api/training/completion?groupBy=trainer&courseId=${course.courseId}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().groupBy).toBe('trainer');
    const rows = response.json().items as Array<{ groupId: string; groupName: string; enrolled: number; completed: number; overdue: number; completionRate: { estimate: number; lower: number; upper: number; n: number; method: string } }>;
    expect(rows.map((r) => r.groupId).sort()).toEqual([lead.id, co.id].sort());
    const byLead = rows.find((r) => r.groupId === lead.id)!;
    expect(byLead).toMatchObject({ groupName: lead.fullName, enrolled: 3, completed: 2, overdue: 1 });
    expect(byLead.completionRate).toMatchObject({ n: 3, method: 'wilson' });
    expect(byLead.completionRate.estimate).toBeCloseTo(2 / 3);
    expect(byLead.completionRate.lower).toBeLessThan(2 / 3);
    expect(byLead.completionRate.upper).toBeGreaterThan(2 / 3);
    const byCo = rows.find((r) => r.groupId === co.id)!;
    expect(byCo).toMatchObject({ groupName: co.fullName, enrolled: 5, completed: 3, overdue: 1 });
    expect(byCo.completionRate).toMatchObject({ n: 5, method: 'wilson' });

    // The same enrolments by cohort: each counted once.
    const byCohort = (await manager('GET', `/api/training/completion?groupBy=cohort&courseId=${course.courseId}`)).json().items as Array<{ groupName: string; enrolled: number }>;
    expect(byCohort.map((r) => [r.groupName, r.enrolled])).toEqual([['Wave A', 3], ['Wave B', 2]]);

    // Admin sees the other vendor's trainer too.
    const admin = tokenClient(app, (await scopedUser(database.db, world, 'admin', 'all', null)).token);
    const all = (await admin('GET', `/api/training/completion?groupBy=trainer&courseId=${course.courseId}`)).json().items as Array<{ groupId: string; enrolled: number }>;
    expect(all.find((r) => r.groupId === v2Trainer.id)).toMatchObject({ enrolled: 1 });

    expect((await manager('GET', '/api/training/completion?groupBy=teacher')).statusCode).toBe(422);
  });
});
