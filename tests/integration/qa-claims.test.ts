import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { withViewer } from '../../src/db/scoped.ts';
import { claimTask } from '../../src/domain/qa/qa-claims.service.ts';
import { tokenClient } from '../support/test-app.ts';
import type { WorldUser } from '../support/org-world.ts';
import { auditRowsFor, writtenInSameTransaction } from '../support/audit-trail.ts';
import { database, app, world, asAdmin, useQaWorld, V1, V2, vendorId, agentsOf, newWorkflow, addPerson, linkedUser, actorOf, sampled, createTasks, tasksOf, setWorkflowSettings, setCapacity } from '../support/qa-world.ts';

/** QA task claims with leases (and a real race) and reassignment, on a real PostgreSQL. */
useQaWorld();

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
