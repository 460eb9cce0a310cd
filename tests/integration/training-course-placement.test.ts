import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { buildWorld, type World } from '../support/org-world.ts';
import { scopedUser } from '../support/training-operations-world.ts';

/**
 * Moving an existing course between program phases (PATCH /api/training/courses/:id):
 * the phase must belong to the program, the program must train the course's
 * workflow and not be another vendor's; every move is audited; a course or
 * program outside the caller's scope is not there.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
type Client = ReturnType<typeof tokenClient>;
let manager: Client;
let vendor1Trainer: Client;
let vendor2Trainer: Client;
let otherWorkflowId: string;
const NEW_HIRE = [
  { kind: 'classroom', name: 'Classroom', durationDays: 10 },
  { kind: 'nesting', name: 'Nesting', durationDays: 10 },
  { kind: 'production', name: 'Production', durationDays: 30 },
];

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  app = await buildTestServer(database.db);
  otherWorkflowId = (await database.db.insertInto('workflows').values({ key: `comments_${world.tag}`, name: `Comments ${world.tag}`, kind: 'moderation' }).returning('id').executeTakeFirstOrThrow()).id;
  manager = tokenClient(app, (await scopedUser(database.db, world, 'quality_manager', 'all', null)).token);
  vendor1Trainer = tokenClient(app, (await scopedUser(database.db, world, 'trainer', 'vendor', world.vendors[1]!.id)).token);
  vendor2Trainer = tokenClient(app, (await scopedUser(database.db, world, 'trainer', 'vendor', world.vendors[2]!.id)).token);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function program(client: Client, name: string, workflowId = world.workflowId) {
  const created = await client('POST', '/api/training/programs', { name, workflowId, kind: 'new_hire', phases: NEW_HIRE });
  expect(created.statusCode).toBe(201);
  return created.json() as { id: string; phases: Array<{ id: string; name: string }> };
}

describe('moving a course to another program phase', () => {
  it('moves a course between phases, within and across programs, and out of its program, auditing each move', async () => {
    const onboarding = await program(manager, 'Onboarding');
    const refresher = await program(manager, 'Second wave');
    const [classroom, nesting] = onboarding.phases;
    const course = (await manager('POST', '/api/training/courses', { title: 'Escalation basics', workflowId: world.workflowId, programId: onboarding.id, programPhaseId: classroom!.id })).json();
    expect(course.programPhaseId).toBe(classroom!.id);

    const toNesting = await manager('PATCH', `/api/training/courses/${course.id}`, { programPhaseId: nesting!.id });
    expect(toNesting.statusCode).toBe(200);
    expect(toNesting.json()).toMatchObject({ id: course.id, programId: onboarding.id, programName: 'Onboarding', programPhaseId: nesting!.id });

    const across = await manager('PATCH', `/api/training/courses/${course.id}`, { programId: refresher.id, programPhaseId: refresher.phases[2]!.id });
    expect(across.json()).toMatchObject({ programId: refresher.id, programPhaseId: refresher.phases[2]!.id });

    const offPhase = await manager('PATCH', `/api/training/courses/${course.id}`, { programPhaseId: null });
    expect(offPhase.json()).toMatchObject({ programId: refresher.id, programPhaseId: null });

    const out = await manager('PATCH', `/api/training/courses/${course.id}`, { programId: null });
    expect(out.json()).toMatchObject({ programId: null, programName: null, programPhaseId: null });
    expect((await manager('GET', `/api/training/courses/${course.id}`)).json()).toMatchObject({ programId: null, programPhaseId: null });

    // Saying the same place again changes nothing and records nothing.
    await manager('PATCH', `/api/training/courses/${course.id}`, { programId: null });
    const moves = await database.db.selectFrom('audit_log').select(['details']).where('action', '=', 'training.course.move').where('entity_id', '=', course.id).orderBy('id').execute();
    expect(moves).toHaveLength(4);
    expect(moves[0]!.details).toMatchObject({ from: { programId: onboarding.id, programPhaseId: classroom!.id }, to: { programId: onboarding.id, programPhaseId: nesting!.id } });
    expect(moves[3]!.details).toMatchObject({ to: { programId: null, programPhaseId: null } });
  });

  it("refuses a phase of another program, a program of another workflow, and another vendor's program, with the field at fault", async () => {
    const onboarding = await program(manager, 'Onboarding 2');
    const other = await program(manager, 'Other path');
    const comments = await program(manager, 'Comments onboarding', otherWorkflowId);
    const course = (await manager('POST', '/api/training/courses', { title: 'Hate speech', workflowId: world.workflowId, programId: onboarding.id })).json();

    const wrongPhase = await manager('PATCH', `/api/training/courses/${course.id}`, { programId: onboarding.id, programPhaseId: other.phases[0]!.id });
    expect(wrongPhase.statusCode).toBe(422);
    expect(wrongPhase.json().error.details).toEqual([expect.objectContaining({ path: '/programPhaseId' })]);
    // A phase given without a program is looked up in the course's current program.
    expect((await manager('PATCH', `/api/training/courses/${course.id}`, { programPhaseId: other.phases[1]!.id })).statusCode).toBe(422);

    const wrongWorkflow = await manager('PATCH', `/api/training/courses/${course.id}`, { programId: comments.id, programPhaseId: comments.phases[0]!.id });
    expect(wrongWorkflow.statusCode).toBe(422);
    expect(wrongWorkflow.json().error.details[0]).toMatchObject({ path: '/programId' });
    expect(wrongWorkflow.json().error.details[0].message).toContain('trains Comments');

    const phaseWithoutProgram = await manager('PATCH', `/api/training/courses/${course.id}`, { programId: null, programPhaseId: onboarding.phases[0]!.id });
    expect(phaseWithoutProgram.statusCode).toBe(422);
    expect(phaseWithoutProgram.json().error.details[0]).toMatchObject({ path: '/programPhaseId' });

    expect((await manager('PATCH', `/api/training/courses/${course.id}`, {})).statusCode).toBe(422);

    // An organisation-wide course cannot join one vendor's program.
    const vendorProgram = await program(vendor1Trainer, 'Vendor 1 path');
    const intoVendor = await manager('PATCH', `/api/training/courses/${course.id}`, { programId: vendorProgram.id });
    expect(intoVendor.statusCode).toBe(422);
    expect(intoVendor.json().error.details[0]).toMatchObject({ path: '/programId' });
    expect((await manager('GET', `/api/training/courses/${course.id}`)).json()).toMatchObject({ programId: onboarding.id, programPhaseId: null });
  });

  it("lets a vendor's trainer move their own courses only; other vendors' courses and programs are not there", async () => {
    const v1Program = await program(vendor1Trainer, 'Vendor 1 onboarding');
    const v2Program = await program(vendor2Trainer, 'Vendor 2 onboarding');
    const orgProgram = await program(manager, 'Organisation path');
    const v1Course = (await vendor1Trainer('POST', '/api/training/courses', { title: 'V1 course', workflowId: world.workflowId })).json();
    const orgCourse = (await manager('POST', '/api/training/courses', { title: 'Organisation course', workflowId: world.workflowId })).json();

    const own = await vendor1Trainer('PATCH', `/api/training/courses/${v1Course.id}`, { programId: v1Program.id, programPhaseId: v1Program.phases[1]!.id });
    expect(own.statusCode).toBe(200);
    // Its own vendor's course may also sit in an organisation-wide program.
    expect((await vendor1Trainer('PATCH', `/api/training/courses/${v1Course.id}`, { programId: orgProgram.id })).statusCode).toBe(200);

    expect((await vendor2Trainer('PATCH', `/api/training/courses/${v1Course.id}`, { programId: null })).statusCode).toBe(404);
    const intoHidden = await vendor1Trainer('PATCH', `/api/training/courses/${v1Course.id}`, { programId: v2Program.id });
    expect(intoHidden.statusCode).toBe(422);
    expect(intoHidden.json().error.details[0]).toMatchObject({ path: '/programId', message: 'No such program.' });
    expect((await vendor1Trainer('PATCH', `/api/training/courses/${orgCourse.id}`, { programId: null })).statusCode).toBe(403);
    expect((await vendor1Trainer('GET', `/api/training/courses/${v1Course.id}`)).json()).toMatchObject({ programId: orgProgram.id, programPhaseId: null });
  });

  it('keeps courses in their phase when the program is re-phased, and checks the program when a course is created in it', async () => {
    const onboarding = await program(manager, 'Onboarding 3');
    const inNesting = (await manager('POST', '/api/training/courses', { title: 'Nesting clinic', workflowId: world.workflowId, programId: onboarding.id, programPhaseId: onboarding.phases[1]!.id })).json();
    const inProduction = (await manager('POST', '/api/training/courses', { title: 'Production refresher', workflowId: world.workflowId, programId: onboarding.id, programPhaseId: onboarding.phases[2]!.id })).json();
    // Longer nesting, and no production phase any more.
    const rephased = await manager('PATCH', `/api/training/programs/${onboarding.id}`, { phases: [NEW_HIRE[0], { ...NEW_HIRE[1], durationDays: 15 }] });
    expect(rephased.statusCode, rephased.body).toBe(200);
    expect(rephased.json().phases.map((p: { id: string }) => p.id)).toEqual(onboarding.phases.slice(0, 2).map((p) => p.id));
    expect((await manager('GET', `/api/training/courses/${inNesting.id}`)).json()).toMatchObject({ programPhaseId: onboarding.phases[1]!.id });
    expect((await manager('GET', `/api/training/courses/${inProduction.id}`)).json()).toMatchObject({ programId: onboarding.id, programPhaseId: null });

    const comments = await program(manager, 'Comments path', otherWorkflowId);
    const created = await manager('POST', '/api/training/courses', { title: 'Wrong path', workflowId: world.workflowId, programId: comments.id });
    expect(created.statusCode).toBe(422);
    expect(created.json().error.details[0]).toMatchObject({ path: '/programId' });
  });
});
