import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { withViewer } from '../../src/db/scoped.ts';
import { createTasksForSamples } from '../../src/domain/qa/qa-tasks.service.ts';
import { tokenClient } from '../support/test-app.ts';
import { auditRowsFor } from '../support/audit-trail.ts';
import { database, app, world, admin, asAdmin, useQaWorld, HOUR, IN_HOUSE, V1, V2, vendorId, agentsOf, newWorkflow, addPerson, linkedUser, sampled, createTasks, tasksOf, setWorkflowSettings, setCapacity } from '../support/qa-world.ts';

/**
 * The QA task queue on a real PostgreSQL: task creation from samples (no
 * duplicates, due dates), assignment rules, the overdue view and summary,
 * settings, and scope. Claims, leases and reassignment: qa-claims.test.ts.
 */
useQaWorld();

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
