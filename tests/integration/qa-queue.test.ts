import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { asSystem, withViewer } from '../../src/db/scoped.ts';
import type { JobRole } from '../../src/db/schema.ts';
import type { Actor } from '../../src/domain/access/actor.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import type { ScopeKind } from '../../src/domain/access/scope.ts';
import { claimTask } from '../../src/domain/qa/qa-claims.service.ts';
import { createTasksForSamples } from '../../src/domain/qa/qa-tasks.service.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';
import { insertSampledDecisions, type SampledDecisionSpec } from '../support/decision-fixtures.ts';
import { auditRowsFor, writtenInSameTransaction } from '../support/audit-trail.ts';

/**
 * The QA task queue on a real PostgreSQL: task creation from samples (no
 * duplicates, due dates), assignment rules, claims with leases (and a real
 * race), reassignment, the overdue view and summary, settings, and scope.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let admin: WorldUser;
let asAdmin: ReturnType<typeof tokenClient>;
let seq = 0;

const HOUR = 3_600_000;
const IN_HOUSE = 0;
const V1 = 1;
const V2 = 2;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  admin = await addUser(database.db, world, 'admin', 'all', 'qa-admin');
  app = await buildTestServer(database.db);
  asAdmin = tokenClient(app, admin.token);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const vendorId = (index: number) => world.vendors[index]!.id;
/** The agents of a vendor, from buildWorld (two per team). */
const agentsOf = (index: number) => world.people.filter((p) => p.vendorId === vendorId(index) && p.teamId !== null);

async function newWorkflow(): Promise<string> {
  seq += 1;
  const row = await database.db
    .insertInto('workflows')
    .values({ key: `qa_${world.tag}_${seq}`, name: `QA flow ${world.tag} ${seq}`, kind: 'moderation' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

interface PersonSpec {
  vendor: number;
  teamId?: string | null;
  jobRole?: JobRole;
  languages?: string[];
  workflowIds?: string[];
}

/** A person at the vendor's first site (or on the given team), skilled in the given workflows. */
async function addPerson(spec: PersonSpec): Promise<WorldPerson> {
  seq += 1;
  const team = spec.teamId ? world.teams.find((t) => t.id === spec.teamId)! : null;
  const siteId = team?.siteId ?? world.sites.find((s) => s.vendorId === vendorId(spec.vendor))!.id;
  const fullName = `Reviewer ${seq} ${world.tag}`;
  const row = await database.db
    .insertInto('people')
    .values({
      vendor_id: vendorId(spec.vendor),
      site_id: siteId,
      team_id: team?.id ?? null,
      full_name: fullName,
      job_role: spec.jobRole ?? 'qa_specialist',
      hire_date: '2021-06-01',
      languages: spec.languages ?? ['en'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const workflowId of spec.workflowIds ?? []) {
    await database.db.insertInto('person_workflow_skills').values({ person_id: row.id, workflow_id: workflowId }).execute();
  }
  return { id: row.id, vendorId: vendorId(spec.vendor), siteId, teamId: team?.id ?? null, fullName };
}

/** A user with a role and scope (see addUser), linked to a person: a reviewer who can sign in. */
async function linkedUser(role: Role, kind: ScopeKind, person: WorldPerson | null): Promise<WorldUser> {
  seq += 1;
  const user = await addUser(database.db, world, role, kind, `${role}-${kind}-${seq}`);
  if (person) await database.db.updateTable('users').set({ person_id: person.id }).where('id', '=', user.id).execute();
  return user;
}

function actorOf(user: WorldUser, personId: string): Actor {
  const { kind, vendorId: v, siteId, teamId, personId: scopePerson } = user.scope;
  return {
    userId: user.id,
    label: user.email,
    role: user.role,
    scope: { kind, vendorId: v, siteId, teamId, personId: scopePerson },
    personId,
    ip: null,
    userAgent: null,
    requestId: null,
  };
}

async function sampled(specs: Array<Omit<SampledDecisionSpec, 'workflowId'>>, workflowId: string): Promise<string[]> {
  return insertSampledDecisions(database.db, specs.map((spec) => ({ ...spec, workflowId })));
}

async function createTasks(decisionIds: string[], now = new Date()): Promise<number> {
  return asSystem(database.db, (trx) => createTasksForSamples(trx, decisionIds, now));
}

async function tasksOf(decisionIds: string[]) {
  const rows = await database.db.selectFrom('qa_tasks').selectAll().where('decision_id', 'in', decisionIds).execute();
  return decisionIds.map((id) => rows.find((row) => row.decision_id === id)!);
}

async function setWorkflowSettings(workflowId: string, values: { turnaround_hours?: number; lease_minutes?: number; internal_reviews_vendor_work?: boolean }) {
  await database.db.insertInto('qa_workflow_settings').values({ workflow_id: workflowId, ...values, updated_at: new Date() }).execute();
}

async function setCapacity(personId: string, dailyCapacity: number) {
  await database.db.insertInto('qa_reviewer_capacity').values({ person_id: personId, daily_capacity: dailyCapacity, updated_at: new Date() }).execute();
}

describe('creating tasks from samples', () => {
  it('creates one task per sampled decision, never twice, due after the workflow turnaround', async () => {
    const [timed, plain] = [await newWorkflow(), await newWorkflow()];
    await setWorkflowSettings(timed, { turnaround_hours: 12 });
    const agent = agentsOf(V1)[0]!;
    const ids = await sampled([{ agent, language: 'en' }, { agent }, { agent, sampled: false }], timed);
    const [plainId] = await sampled([{ agent }], plain);
    const now = new Date('2030-06-01T09:30:00Z');

    expect(await createTasks([...ids, ids[0]!, plainId!], now)).toBe(3);
    expect(await createTasks([...ids, plainId!], now)).toBe(0);
    expect(await createTasks([ids[1]!], new Date('2030-06-02T00:00:00Z'))).toBe(0);

    const rows = await database.db.selectFrom('qa_tasks').selectAll().where('decision_id', 'in', [...ids, plainId!]).execute();
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.decision_id === ids[2])).toBeUndefined();
    for (const row of rows) {
      expect(row.created_at.toISOString()).toBe(now.toISOString());
      const hours = row.workflow_id === timed ? 12 : 48;
      expect(row.due_at.getTime() - row.created_at.getTime(), row.workflow_id).toBe(hours * HOUR);
      expect(row).toMatchObject({ status: 'open', agent_id: agent.id, vendor_id: agent.vendorId, team_id: agent.teamId, kind: 'sample' });
    }
    expect(rows.find((r) => r.decision_id === ids[0])!.language).toBe('en');
    expect(rows.find((r) => r.decision_id === ids[1])!.language).toBe('');
  });

  it('works inside a scoped request transaction, considering only reviewers the caller can see', async () => {
    const workflowId = await newWorkflow();
    const vendorQa = await addPerson({ vendor: V1, workflowIds: [workflowId] });
    const inHouseQa = await addPerson({ vendor: IN_HOUSE, workflowIds: [workflowId] });
    const agent = agentsOf(V1)[0]!;
    const scopedIds = await sampled([{ agent }, { agent }], workflowId);
    const v1 = { kind: 'vendor' as const, vendorId: vendorId(V1), siteId: null, teamId: null, personId: null };
    expect(await withViewer(database.db, { userId: null, scope: v1 }, (trx) => createTasksForSamples(trx, scopedIds, new Date()))).toBe(2);
    expect((await tasksOf(scopedIds)).map((t) => t.assignee_id)).toEqual([vendorQa.id, vendorQa.id]);

    const allIds = await sampled([{ agent }, { agent }], workflowId);
    const all = { kind: 'all' as const, vendorId: null, siteId: null, teamId: null, personId: null };
    expect(await withViewer(database.db, { userId: null, scope: all }, (trx) => createTasksForSamples(trx, allIds, new Date()))).toBe(2);
    // The in-house reviewer, idle, takes both.
    expect((await tasksOf(allIds)).map((t) => t.assignee_id)).toEqual([inHouseQa.id, inHouseQa.id]);
  });
});

describe('assignment', () => {
  it("never assigns the agent's own decision or team, and matches the content's language", async () => {
    const workflowId = await newWorkflow();
    const agent = agentsOf(V1)[0]!;
    const teammate = await addPerson({ vendor: V1, teamId: agent.teamId, workflowIds: [workflowId] });
    const french = await addPerson({ vendor: V1, languages: ['fr'], workflowIds: [workflowId] });
    const english = await addPerson({ vendor: V1, languages: ['en', 'pt'], workflowIds: [workflowId] });
    const selfReviewing = await addPerson({ vendor: V1, languages: ['en'], workflowIds: [workflowId] });
    await addPerson({ vendor: V1, languages: ['de'], workflowIds: [] }); // speaks German, not skilled
    const ids = await sampled(
      [{ agent, language: 'en' }, { agent, language: 'fr-CA' }, { agent: selfReviewing, language: 'en' }, { agent, language: 'de' }, { agent, language: 'pt-BR' }],
      workflowId,
    );
    await createTasks(ids);
    const [en, fr, own, de, pt] = await tasksOf(ids);
    expect([selfReviewing.id, english.id]).toContain(en!.assignee_id);
    expect(fr!.assignee_id).toBe(french.id);
    expect(own!.assignee_id).not.toBe(selfReviewing.id);
    expect(own!.assignee_id).not.toBeNull();
    expect(de!.assignee_id).toBeNull();
    expect(pt!.assignee_id).toBe(english.id);
    // The teammate is eligible only for the decision made outside their team.
    expect([en, fr, de, pt].map((t) => t!.assignee_id)).not.toContain(teammate.id);
  });

  it("keeps vendor work with the vendor's own or in-house QA; the in-house-only option leaves it to in-house QA", async () => {
    const workflowId = await newWorkflow();
    const v1Qa = await addPerson({ vendor: V1, workflowIds: [workflowId] });
    const v2Qa = await addPerson({ vendor: V2, workflowIds: [workflowId] });
    const inHouseQa = await addPerson({ vendor: IN_HOUSE, workflowIds: [workflowId] });
    const agents = agentsOf(V1);
    const before = await sampled(agents.slice(0, 4).map((agent) => ({ agent })), workflowId);
    await createTasks(before);
    const shared = (await tasksOf(before)).map((t) => t.assignee_id);
    expect(shared.filter((id) => id === v1Qa.id)).toHaveLength(2);
    expect(shared.filter((id) => id === inHouseQa.id)).toHaveLength(2);
    expect(shared).not.toContain(v2Qa.id);

    await setWorkflowSettings(workflowId, { internal_reviews_vendor_work: true });
    const after = await sampled(agents.slice(0, 3).map((agent) => ({ agent })), workflowId);
    const inHouseWork = await sampled([{ agent: agentsOf(IN_HOUSE)[0]! }], workflowId);
    await createTasks([...after, ...inHouseWork]);
    expect((await tasksOf([...after, ...inHouseWork])).map((t) => t.assignee_id)).toEqual([inHouseQa.id, inHouseQa.id, inHouseQa.id, inHouseQa.id]);
  });

  it('caps each reviewer at their daily capacity, ties going to the lowest person id, and resets the next UTC day', async () => {
    const workflowId = await newWorkflow();
    const [a, b] = [await addPerson({ vendor: V2, workflowIds: [workflowId] }), await addPerson({ vendor: V2, workflowIds: [workflowId] })];
    const [low, high] = a.id < b.id ? [a, b] : [b, a];
    await setCapacity(a.id, 2);
    await setCapacity(b.id, 2);
    const agent = agentsOf(V2)[0]!;
    const day1 = new Date('2031-01-10T08:00:00Z');

    const first = await sampled([{ agent }], workflowId);
    await createTasks(first, day1);
    expect((await tasksOf(first))[0]!.assignee_id).toBe(low.id);

    const more = await sampled([{ agent }, { agent }, { agent }, { agent }], workflowId);
    await createTasks(more, new Date(day1.getTime() + HOUR));
    const assignees = (await tasksOf([...first, ...more])).map((t) => t.assignee_id);
    expect(assignees.filter((id) => id === low.id)).toHaveLength(2);
    expect(assignees.filter((id) => id === high.id)).toHaveLength(2);
    expect(assignees.filter((id) => id === null)).toHaveLength(1);

    const nextDay = await sampled([{ agent }], workflowId);
    await createTasks(nextDay, new Date('2031-01-11T00:00:01Z'));
    // Both hold two open tasks: the tie goes to the lower id.
    expect((await tasksOf(nextDay))[0]!.assignee_id).toBe(low.id);

    await setCapacity(await addPerson({ vendor: V2, workflowIds: [workflowId] }).then((p) => p.id), 0);
    await database.db.updateTable('qa_reviewer_capacity').set({ daily_capacity: 0 }).where('person_id', 'in', [a.id, b.id]).execute();
    const paused = await sampled([{ agent }], workflowId);
    await createTasks(paused, new Date('2031-01-12T00:00:00Z'));
    expect((await tasksOf(paused))[0]!.assignee_id).toBeNull();
  });
});

/** A workflow with two V1 reviewers who can sign in (vendor scope), a lead, and tasks in the pool. */
async function claimSetup(taskCount: number, options: { leaseMinutes?: number } = {}) {
  const workflowId = await newWorkflow();
  if (options.leaseMinutes) await setWorkflowSettings(workflowId, { lease_minutes: options.leaseMinutes });
  const [p1, p2, lead] = [
    await addPerson({ vendor: V1, workflowIds: [workflowId] }),
    await addPerson({ vendor: V1, workflowIds: [workflowId] }),
    await addPerson({ vendor: V1, jobRole: 'qa_lead', workflowIds: [workflowId] }),
  ];
  for (const person of [p1, p2, lead]) await setCapacity(person.id, 0); // everything stays in the pool
  const [r1, r2, leadUser] = [await linkedUser('qa_specialist', 'vendor', p1), await linkedUser('qa_specialist', 'vendor', p2), await linkedUser('qa_lead', 'vendor', lead)];
  const agent = agentsOf(V1)[0]!;
  const now = Date.now();
  const ids = await sampled(Array.from({ length: taskCount }, () => ({ agent })), workflowId);
  for (const [index, id] of ids.entries()) await createTasks([id], new Date(now + index * 1000)); // due in creation order
  const taskIds = (await tasksOf(ids)).map((t) => t.id);
  return {
    workflowId,
    p1,
    p2,
    lead,
    r1: tokenClient(app, r1.token),
    r2: tokenClient(app, r2.token),
    asLead: tokenClient(app, leadUser.token),
    r1User: r1,
    r2User: r2,
    taskIds,
    agent,
  };
}

describe('claims and leases', () => {
  it('lets exactly one of two concurrent claimers win over HTTP', async () => {
    const { taskIds, r1, r2, p1, p2 } = await claimSetup(1);
    const answers = await Promise.all([r1('POST', `/api/qa/tasks/${taskIds[0]}/claim`), r2('POST', `/api/qa/tasks/${taskIds[0]}/claim`)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    const winner = answers.find((a) => a.statusCode === 200)!.json();
    const loser = answers.find((a) => a.statusCode === 409)!.json();
    expect(loser.error).toMatchObject({ code: 'CONFLICT', message: 'Another reviewer has claimed this task.' });
    expect([p1.id, p2.id]).toContain(winner.claimedById);
    const row = (await database.db.selectFrom('qa_tasks').selectAll().where('id', '=', taskIds[0]!).executeTakeFirstOrThrow());
    expect(row).toMatchObject({ status: 'claimed', claimed_by: winner.claimedById, assignee_id: winner.claimedById });
  });

  it('makes a second claimer wait for the first transaction, then refuses it (409)', async () => {
    const { taskIds, p1, p2, r1User, r2User } = await claimSetup(1);
    const viewer = (user: WorldUser) => ({ userId: user.id, scope: actorOf(user, '').scope });
    let commitFirst!: () => void;
    const holding = new Promise<void>((resolve) => (commitFirst = resolve));
    let firstClaimed!: () => void;
    const claimed = new Promise<void>((resolve) => (firstClaimed = resolve));
    const first = withViewer(database.db, viewer(r1User), async (trx) => {
      const task = await claimTask(trx, actorOf(r1User, p1.id), taskIds[0]!);
      firstClaimed();
      await holding;
      return task;
    });
    await claimed;
    const second = withViewer(database.db, viewer(r2User), (trx) => claimTask(trx, actorOf(r2User, p2.id), taskIds[0]!)).then(
      () => 'won',
      (error: { code?: string }) => error.code,
    );
    await expect.poll(async () => {
      const waiting = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(database.db);
      return waiting.rows[0]!.n;
    }).toBe(1);
    commitFirst();
    expect((await first).claimedById).toBe(p1.id);
    expect(await second).toBe('CONFLICT');
  });

  it('frees a task whose lease ran out for another reviewer, and reads it as open meanwhile', async () => {
    const { taskIds, r1, r2, p2 } = await claimSetup(1);
    const url = `/api/qa/tasks/${taskIds[0]}`;
    expect((await r1('POST', `${url}/claim`)).statusCode).toBe(200);
    expect((await r2('POST', `${url}/claim`)).statusCode).toBe(409);
    await database.db.updateTable('qa_tasks').set({ lease_expires_at: new Date(Date.now() - 60_000) }).where('id', '=', taskIds[0]!).execute();
    const read = (await asAdmin('GET', url)).json();
    expect(read).toMatchObject({ status: 'open', claimedById: null, leaseExpiresAt: null });
    const open = (await asAdmin('GET', `/api/qa/tasks?status=open&assigneeId=${read.assigneeId}&limit=500`)).json();
    expect(open.items.map((t: { id: string }) => t.id)).toContain(taskIds[0]);
    const taken = await r2('POST', `${url}/claim`);
    expect(taken.statusCode).toBe(200);
    expect(taken.json()).toMatchObject({ status: 'claimed', claimedById: p2.id, assigneeId: p2.id });
    expect((await r1('POST', `${url}/renew`)).statusCode).toBe(409);
    expect((await r1('POST', `${url}/release`)).statusCode).toBe(409);
  });

  it('lets only the claimer release (back to open, still theirs) or renew for the lease minutes', async () => {
    const { taskIds, r1, r2, p1 } = await claimSetup(1, { leaseMinutes: 10 });
    const url = `/api/qa/tasks/${taskIds[0]}`;
    const claimed = (await r1('POST', `${url}/claim`)).json();
    expect(Date.parse(claimed.leaseExpiresAt) - Date.parse(claimed.claimedAt)).toBe(10 * 60_000);
    await database.db.updateTable('qa_tasks').set({ lease_expires_at: new Date(Date.now() + 60_000) }).where('id', '=', taskIds[0]!).execute();
    const renewed = await r1('POST', `${url}/renew`);
    expect(renewed.statusCode).toBe(200);
    expect(Date.parse(renewed.json().leaseExpiresAt)).toBeGreaterThan(Date.now() + 9 * 60_000);
    const refused = await r2('POST', `${url}/release`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('Only the reviewer who claimed this task can release it.');
    const released = await r1('POST', `${url}/release`);
    expect(released.statusCode).toBe(200);
    expect(released.json()).toMatchObject({ status: 'open', assigneeId: p1.id, claimedById: null });
    expect((await r1('POST', `${url}/release`)).json().error.message).toBe('This task is not claimed.');
  });

  it('refuses closed tasks, tasks assigned to someone else (unless managing the queue) and ineligible reviewers', async () => {
    const { taskIds, r1, r2, asLead, p1, lead, agent, workflowId } = await claimSetup(3);
    await database.db.updateTable('qa_tasks').set({ status: 'completed', completed_at: new Date() }).where('id', '=', taskIds[0]!).execute();
    await database.db.updateTable('qa_tasks').set({ status: 'cancelled' }).where('id', '=', taskIds[1]!).execute();
    expect((await r1('POST', `/api/qa/tasks/${taskIds[0]}/claim`)).json().error).toMatchObject({ code: 'CONFLICT', message: 'This task is already completed.' });
    expect((await r1('POST', `/api/qa/tasks/${taskIds[1]}/claim`)).statusCode).toBe(409);

    await database.db.updateTable('qa_tasks').set({ assignee_id: p1.id }).where('id', '=', taskIds[2]!).execute();
    expect((await r2('POST', `/api/qa/tasks/${taskIds[2]}/claim`)).json().error.message).toBe('This task is assigned to another reviewer.');
    const byLead = await asLead('POST', `/api/qa/tasks/${taskIds[2]}/claim`);
    expect(byLead.statusCode).toBe(200);
    expect(byLead.json().claimedById).toBe(lead.id);

    const teammate = await addPerson({ vendor: V1, teamId: agent.teamId, workflowIds: [workflowId] });
    const asTeammate = tokenClient(app, (await linkedUser('qa_specialist', 'vendor', teammate)).token);
    const [poolTask] = await sampled([{ agent }], workflowId).then(async (ids) => (await createTasks(ids), tasksOf(ids)));
    const ownTeam = await asTeammate('POST', `/api/qa/tasks/${poolTask!.id}/claim`);
    expect(ownTeam.statusCode).toBe(403);
    expect(ownTeam.json().error.message).toMatch(/own team/);
  });

  it('gives "next": the task in hand, then own assigned work, then the eligible pool; 204 when there is none', async () => {
    const { taskIds, r1, r2, r2User, p1, workflowId, agent } = await claimSetup(3);
    // The latest-due task is assigned to reviewer 1: it comes before the earlier pool tasks.
    await database.db.updateTable('qa_tasks').set({ assignee_id: p1.id }).where('id', '=', taskIds[2]!).execute();
    const first = await r1('POST', '/api/qa/tasks/next', { workflowId });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ id: taskIds[2], status: 'claimed', claimedById: p1.id });
    expect((await r1('POST', '/api/qa/tasks/next', { workflowId })).json().id).toBe(taskIds[2]);
    await database.db.updateTable('qa_tasks').set({ status: 'completed', completed_at: new Date(), claimed_by: null, lease_expires_at: null }).where('id', '=', taskIds[2]!).execute();

    expect((await r1('POST', '/api/qa/tasks/next', { workflowId })).json().id).toBe(taskIds[0]);
    // Without a body: any workflow. Reviewer 2 gets the other pool task.
    const other = await app.inject({ method: 'POST', url: '/api/qa/tasks/next', headers: { authorization: `Bearer ${r2User.token}` } });
    expect(other.statusCode).toBe(200);
    expect(other.json().id).toBe(taskIds[1]);
    expect((await r2('POST', '/api/qa/tasks/next', { workflowId })).json().id).toBe(taskIds[1]);

    const teammate = await addPerson({ vendor: V1, teamId: agent.teamId, workflowIds: [workflowId] });
    const asTeammate = tokenClient(app, (await linkedUser('qa_specialist', 'vendor', teammate)).token);
    const ids = await sampled([{ agent }], workflowId);
    await createTasks(ids);
    expect((await asTeammate('POST', '/api/qa/tasks/next', {})).statusCode).toBe(204);
    await database.db.updateTable('qa_tasks').set({ status: 'cancelled' }).where('decision_id', '=', ids[0]!).execute();
    await database.db.updateTable('qa_tasks').set({ status: 'completed', completed_at: new Date(), claimed_by: null, lease_expires_at: null }).where('id', '=', taskIds[0]!).execute();
    // Left: one task, held by reviewer 2 under a live lease.
    const empty = await r1('POST', '/api/qa/tasks/next', { workflowId });
    expect(empty.statusCode).toBe(204);
    expect(empty.body).toBe('');
  });

  it('gives two reviewers asking for "next" at the same moment two different tasks', async () => {
    const { taskIds, r1, r2, workflowId } = await claimSetup(2);
    const answers = await Promise.all([r1('POST', '/api/qa/tasks/next', { workflowId }), r2('POST', '/api/qa/tasks/next', { workflowId })]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
    expect(new Set(answers.map((a) => a.json().id))).toEqual(new Set(taskIds));
  });

  it('refuses a reviewer whose user is not linked to a person (403, saying so)', async () => {
    const unlinked = tokenClient(app, (await linkedUser('qa_specialist', 'all', null)).token);
    const response = await unlinked('POST', '/api/qa/tasks/next', {});
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toMatch(/not linked to a person/);
  });
});


describe('reassigning', () => {
  it('moves a task to an eligible reviewer (ending any claim), audited; refuses ineligible ones at /assigneeId', async () => {
    const { taskIds, r1, asLead, p1, p2, agent, workflowId } = await claimSetup(1);
    const url = `/api/qa/tasks/${taskIds[0]}`;
    expect((await r1('POST', `${url}/claim`)).statusCode).toBe(200);
    const moved = await asLead('PATCH', url, { assigneeId: p2.id });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ assigneeId: p2.id, assigneeName: p2.fullName, status: 'open', claimedById: null });
    const entry = (await auditRowsFor(database.db, taskIds[0]!)).at(-1)!;
    expect(entry).toMatchObject({ action: 'qa_task.reassign', entity_type: 'qa_task', vendor_id: vendorId(V1) });
    expect(entry.details).toEqual({ decisionId: expect.any(String), workflowId, assigneeId: [p1.id, p2.id], releasedClaimOf: p1.id });
    expect(await writtenInSameTransaction(database.db, 'qa_tasks', taskIds[0]!, entry.id)).toBe(true);

    const teammate = await addPerson({ vendor: V1, teamId: agent.teamId, workflowIds: [workflowId] });
    const refused = await asLead('PATCH', url, { assigneeId: teammate.id });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details).toEqual([{ path: '/assigneeId', message: `${teammate.fullName} is on the agent's team: nobody reviews their own team.` }]);
    const otherVendorQa = await addPerson({ vendor: V2, workflowIds: [workflowId] });
    expect((await asLead('PATCH', url, { assigneeId: otherVendorQa.id })).json().error.details[0].path).toBe('/assigneeId');
    expect((await asLead('PATCH', url, { assigneeId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(422);

    const pooled = await asLead('PATCH', url, { assigneeId: null });
    expect(pooled.json().assigneeId).toBeNull();
    expect((await auditRowsFor(database.db, taskIds[0]!)).filter((r) => r.action === 'qa_task.reassign')).toHaveLength(2);
    expect((await r1('PATCH', url, { assigneeId: null })).statusCode).toBe(403);
    await database.db.updateTable('qa_tasks').set({ status: 'completed', completed_at: new Date() }).where('id', '=', taskIds[0]!).execute();
    expect((await asLead('PATCH', url, { assigneeId: p2.id })).statusCode).toBe(409);
  });
});

describe('the overdue view and the summary', () => {
  it('lists exactly the overdue tasks and counts the queue per workflow and reviewer', async () => {
    const workflowId = await newWorkflow();
    const reviewer = await addPerson({ vendor: V1, workflowIds: [workflowId] });
    const asReviewer = tokenClient(app, (await linkedUser('qa_specialist', 'vendor', reviewer)).token);
    const agent = agentsOf(V1)[1]!;
    const now = Date.now();
    const batchA = await sampled([{ agent }, { agent }, { agent }, { agent, language: 'de' }], workflowId);
    const batchB = await sampled([{ agent }, { agent }], workflowId);
    const batchC = await sampled([{ agent }, { agent }], workflowId);
    await createTasks(batchA, new Date(now - 72 * HOUR)); // due a day ago
    await createTasks(batchB, new Date(now - 40 * HOUR)); // due in 8 hours
    await createTasks(batchC, new Date(now)); // due in 48 hours
    const [a1, a2, a3, a4] = await tasksOf(batchA);
    const [b1] = await tasksOf(batchB);
    expect(a4!.assignee_id).toBeNull();
    await database.db.updateTable('qa_tasks').set({ status: 'completed', completed_at: new Date(now - HOUR) }).where('id', '=', a1!.id).execute();
    await database.db
      .updateTable('qa_tasks')
      .set({ status: 'claimed', claimed_by: reviewer.id, claimed_at: new Date(now - 2 * HOUR), lease_expires_at: new Date(now - HOUR) })
      .where('id', '=', a2!.id)
      .execute();
    expect((await asReviewer('POST', `/api/qa/tasks/${b1!.id}/claim`)).statusCode).toBe(200);

    const overdue = (await asAdmin('GET', `/api/qa/tasks?overdue=true&workflowId=${workflowId}`)).json();
    expect(new Set(overdue.items.map((t: { id: string }) => t.id))).toEqual(new Set([a2!.id, a3!.id, a4!.id]));
    expect(overdue.total).toBe(3);
    expect(overdue.items.every((t: { overdue: boolean }) => t.overdue)).toBe(true);
    expect(overdue.items[0]).toMatchObject({ workflowId, agentId: agent.id, agentName: agent.fullName, vendorName: world.vendors[V1]!.name, stratumKey: 'all', inclusionProbability: 0.1 });
    const notOverdue = (await asAdmin('GET', `/api/qa/tasks?overdue=false&workflowId=${workflowId}`)).json();
    expect(notOverdue.total).toBe(5);
    const page = (await asAdmin('GET', `/api/qa/tasks?workflowId=${workflowId}&limit=2&offset=2`)).json();
    expect(page).toMatchObject({ total: 8 });
    expect(page.items).toHaveLength(2);

    const summary = (await asAdmin('GET', `/api/qa/queue/summary?workflowId=${workflowId}`)).json();
    expect(summary.workflows).toEqual([
      {
        workflowId,
        workflowName: expect.any(String),
        open: 6,
        claimed: 1,
        overdue: 3,
        dueNext24h: 2,
        unassigned: 1,
        completedLast7d: 1,
        oldestDueAt: a1!.due_at.toISOString(),
      },
    ]);
    expect(summary.reviewers).toEqual([
      expect.objectContaining({ personId: reviewer.id, name: reviewer.fullName, assignedOpen: 5, claimed: 1, overdue: 2, assignedToday: 2, dailyCapacity: 80 }),
    ]);
  });
});

describe('scope', () => {
  it("shows a vendor manager and a vendor's QA lead only their vendor's tasks, and answers 404 for others", async () => {
    const workflowId = await newWorkflow();
    const leadPerson = await addPerson({ vendor: V1, jobRole: 'qa_lead', workflowIds: [workflowId] });
    await addPerson({ vendor: V2, workflowIds: [workflowId] });
    const vm = tokenClient(app, (await linkedUser('vendor_manager', 'vendor', null)).token);
    const lead = tokenClient(app, (await linkedUser('qa_lead', 'vendor', leadPerson)).token);
    const own = await sampled([{ agent: agentsOf(V1)[0]! }, { agent: agentsOf(V1)[2]! }], workflowId);
    const other = await sampled([{ agent: agentsOf(V2)[0]! }, { agent: agentsOf(V2)[1]! }, { agent: agentsOf(V2)[3]! }], workflowId);
    await createTasks([...own, ...other]);
    const ownIds = (await tasksOf(own)).map((t) => t.id);
    const otherId = (await tasksOf(other))[0]!.id;

    const v1Total = (await database.db.selectFrom('qa_tasks').select(sql<number>`count(*)::int`.as('n')).where('vendor_id', '=', vendorId(V1)).executeTakeFirstOrThrow()).n;
    for (const client of [vm, lead]) {
      const all = (await client('GET', '/api/qa/tasks?limit=500')).json();
      expect(all.total).toBe(v1Total);
      expect(all.items.every((t: { vendorId: string }) => t.vendorId === vendorId(V1))).toBe(true);
      const mine = (await client('GET', `/api/qa/tasks?workflowId=${workflowId}`)).json();
      expect(new Set(mine.items.map((t: { id: string }) => t.id))).toEqual(new Set(ownIds));
      const summary = (await client('GET', `/api/qa/queue/summary?workflowId=${workflowId}`)).json();
      expect(summary.workflows[0]).toMatchObject({ open: 2, overdue: 0 });
      expect(summary.reviewers.every((r: { vendorId: string }) => r.vendorId === vendorId(V1))).toBe(true);
      expect((await client('GET', `/api/qa/tasks/${otherId}`)).statusCode).toBe(404);
      expect((await client('GET', `/api/qa/tasks/${ownIds[0]}`)).statusCode).toBe(200);
    }
    expect((await asAdmin('GET', `/api/qa/queue/summary?workflowId=${workflowId}`)).json().workflows[0].open).toBe(5);
    expect((await lead('POST', `/api/qa/tasks/${otherId}/claim`)).statusCode).toBe(404);
    expect((await lead('PATCH', `/api/qa/tasks/${otherId}`, { assigneeId: null })).statusCode).toBe(404);
    expect((await lead('PATCH', `/api/qa/tasks/${ownIds[0]}`, { assigneeId: null })).statusCode).toBe(200);
    const otherVendorsQa = (await lead('GET', `/api/qa/reviewers?workflowId=${workflowId}`)).json();
    expect(otherVendorsQa.items.map((r: { personId: string }) => r.personId)).toEqual([leadPerson.id]);
  });

  it('refuses roles without the permission (403)', async () => {
    const person = await addPerson({ vendor: V1 });
    const agent = tokenClient(app, (await linkedUser('agent', 'self', null)).token);
    const vm = tokenClient(app, (await linkedUser('vendor_manager', 'vendor', null)).token);
    const specialist = tokenClient(app, (await linkedUser('qa_specialist', 'vendor', person)).token);
    const analyst = tokenClient(app, (await linkedUser('analyst', 'all', null)).token);
    const id = '00000000-0000-4000-8000-000000000001';
    expect((await agent('GET', '/api/qa/tasks')).statusCode).toBe(403);
    expect((await vm('POST', `/api/qa/tasks/${id}/claim`)).statusCode).toBe(403);
    expect((await vm('POST', '/api/qa/tasks/next', {})).statusCode).toBe(403);
    expect((await specialist('PATCH', `/api/qa/tasks/${id}`, { assigneeId: null })).statusCode).toBe(403);
    // A QA specialist sees the queue in their scope but cannot manage it.
    expect((await specialist('GET', '/api/qa/queue/summary')).statusCode).toBe(200);
    expect((await specialist('PUT', `/api/qa/reviewers/${person.id}/capacity`, { dailyCapacity: 5 })).statusCode).toBe(403);
    expect((await analyst('PUT', `/api/qa/reviewers/${person.id}/capacity`, { dailyCapacity: 5 })).statusCode).toBe(403);
    expect((await analyst('GET', '/api/qa/queue/summary')).statusCode).toBe(200);
  });
});

describe('settings and capacity', () => {
  it('lists every workflow with defaults and lets a manager who sees everything change them, audited', async () => {
    const workflowId = await newWorkflow();
    const listed = (await asAdmin('GET', '/api/qa/settings')).json().items.find((s: { workflowId: string }) => s.workflowId === workflowId);
    expect(listed).toMatchObject({ turnaroundHours: 48, leaseMinutes: 30, internalReviewsVendorWork: false, isDefault: true, updatedAt: null });
    const body = { turnaroundHours: 24, leaseMinutes: 15, internalReviewsVendorWork: true };
    const saved = await asAdmin('PUT', `/api/qa/settings/${workflowId}`, body);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ ...body, isDefault: false });
    const entry = (await auditRowsFor(database.db, workflowId)).at(-1)!;
    expect(entry).toMatchObject({ action: 'qa_settings.update', vendor_id: null, actor_user_id: admin.id });
    expect(entry.details).toMatchObject({ changes: { turnaroundHours: [48, 24], leaseMinutes: [30, 15], internalReviewsVendorWork: [false, true] } });

    const ids = await sampled([{ agent: agentsOf(V2)[0]! }], workflowId);
    const now = new Date('2032-02-02T02:00:00Z');
    await createTasks(ids, now);
    expect((await tasksOf(ids))[0]!.due_at.getTime()).toBe(now.getTime() + 24 * HOUR);

    const invalid = await asAdmin('PUT', `/api/qa/settings/${workflowId}`, { ...body, turnaroundHours: 0 });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json().error.details.map((d: { path: string }) => d.path)).toEqual(['/turnaroundHours']);
    expect((await asAdmin('PUT', '/api/qa/settings/00000000-0000-4000-8000-000000000002', body)).statusCode).toBe(404);
    const vendorLead = tokenClient(app, (await linkedUser('qa_lead', 'vendor', null)).token);
    const refused = await vendorLead('PUT', `/api/qa/settings/${workflowId}`, { ...body, internalReviewsVendorWork: false });
    expect(refused.statusCode).toBe(403);
    expect((await asAdmin('GET', '/api/qa/settings')).json().items.find((s: { workflowId: string }) => s.workflowId === workflowId).internalReviewsVendorWork).toBe(true);
  });

  it("sets a reviewer's daily capacity within scope, audited, and shows it with their load", async () => {
    const workflowId = await newWorkflow();
    const reviewer = await addPerson({ vendor: V1, workflowIds: [workflowId] });
    const stranger = await addPerson({ vendor: V2, workflowIds: [workflowId] });
    const vendorLead = tokenClient(app, (await linkedUser('qa_lead', 'vendor', null)).token);
    const saved = await vendorLead('PUT', `/api/qa/reviewers/${reviewer.id}/capacity`, { dailyCapacity: 12 });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ personId: reviewer.id, dailyCapacity: 12, capacityIsDefault: false, assignedOpen: 0 });
    const entry = (await auditRowsFor(database.db, reviewer.id)).at(-1)!;
    expect(entry).toMatchObject({ action: 'qa_capacity.update', vendor_id: vendorId(V1) });
    expect(entry.details).toMatchObject({ dailyCapacity: [80, 12] });

    expect((await vendorLead('PUT', `/api/qa/reviewers/${stranger.id}/capacity`, { dailyCapacity: 12 })).statusCode).toBe(404);
    const agentCapacity = await asAdmin('PUT', `/api/qa/reviewers/${agentsOf(V1)[0]!.id}/capacity`, { dailyCapacity: 12 });
    expect(agentCapacity.statusCode).toBe(422);
    expect((await asAdmin('PUT', `/api/qa/reviewers/${reviewer.id}/capacity`, { dailyCapacity: 2001 })).statusCode).toBe(422);

    await createTasks(await sampled([{ agent: agentsOf(V1)[0]! }], workflowId));
    const listed = (await asAdmin('GET', `/api/qa/reviewers?workflowId=${workflowId}`)).json();
    expect(listed.total).toBe(2);
    expect(listed.items.find((r: { personId: string }) => r.personId === reviewer.id)).toMatchObject({ dailyCapacity: 12, assignedOpen: 1, assignedToday: 1, workflowIds: [workflowId] });
    expect(listed.items.find((r: { personId: string }) => r.personId === stranger.id)).toMatchObject({ dailyCapacity: 80, capacityIsDefault: true, assignedOpen: 0 });
  });
});
