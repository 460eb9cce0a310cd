import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { asSystem } from '../../src/db/scoped.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import type { ScopeKind } from '../../src/domain/access/scope.ts';
import { createTasksForSamples } from '../../src/domain/qa/qa-tasks.service.ts';
import type { ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addQaPerson, addUser, buildWorld, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';
import { addDecisionCatalogue, type DecisionWorld } from '../support/decision-world.ts';
import { insertSampledDecisions } from '../support/decision-fixtures.ts';
import { auditRowsFor } from '../support/audit-trail.ts';
import { publishScorecard } from '../support/scorecard-fixtures.ts';

/**
 * The review workspace on a real PostgreSQL: blind mode (the agent's labels
 * hidden until the reviewer's own verdict), autosave, submission with the
 * server's score and error types, every refusal (closed, not held,
 * reassigned, taken over, stale scorecard, double and concurrent submit),
 * "policy unclear" escalations, and who sees which reviews.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let dw: DecisionWorld;
let scorecardId: string;
let reviewerA: WorldUser;
let reviewerB: WorldUser;
let agentUser: WorldUser;
let sme: WorldUser;
let asA: ReturnType<typeof tokenClient>;
let asB: ReturnType<typeof tokenClient>;
let seq = 0;

const definition: ScorecardDefinition = {
  sections: [
    {
      key: 'decision',
      title: 'Decision',
      questions: [
        { key: 'label_ok', text: 'Correct label?', kind: 'correct_label', weight: 3, critical: true },
        { key: 'action_ok', text: 'Correct action?', kind: 'correct_action', weight: 2, critical: false },
        { key: 'notes_ok', text: 'Case notes complete?', kind: 'yes_no', weight: 1, critical: false, allowNotApplicable: true, errorType: 'process' },
        { key: 'tone', text: 'Tone of the note (1-5)', kind: 'scale', weight: 1, critical: false, failAtOrBelow: 2 },
      ],
    },
  ],
  rootCauses: [{ key: 'policy_knowledge', label: 'Policy knowledge gap' }],
  commentRequiredOnFail: true,
  passMark: 80,
};

/** The agents of a vendor (two per team), from buildWorld. */
const agentsOf = (vendor: number) => world.people.filter((p) => p.vendorId === world.vendors[vendor]!.id && p.teamId !== null);

async function reviewerPerson(): Promise<WorldPerson> {
  seq += 1;
  return addQaPerson(database.db, world, 0, `Reviewer ${seq} ${world.tag}`);
}

async function linkedUser(role: Role, kind: ScopeKind, person: WorldPerson | null): Promise<WorldUser> {
  seq += 1;
  const user = await addUser(database.db, world, role, kind, `${role}-${kind}-${seq}`);
  if (person) await database.db.updateTable('users').set({ person_id: person.id }).where('id', '=', user.id).execute();
  return user;
}

/** A sampled decision by the agent and its QA task; returns the task id and decision id. */
async function task(agent: WorldPerson, labels: string[] = [dw.labels.slur], action = 'remove'): Promise<{ taskId: string; decisionId: string }> {
  const [decisionId] = await insertSampledDecisions(database.db, [
    { agent, workflowId: world.workflowId, labels, action, severity: labels.includes(dw.labels.threat) ? 'critical' : labels.length ? 'high' : null, language: 'en' },
  ]);
  await asSystem(database.db, (trx) => createTasksForSamples(trx, [decisionId!], new Date()));
  const row = await database.db.selectFrom('qa_tasks').select('id').where('decision_id', '=', decisionId!).executeTakeFirstOrThrow();
  // Tasks land in the pool: nobody assigned, so any eligible reviewer may claim.
  await database.db.updateTable('qa_tasks').set({ assignee_id: null }).where('id', '=', row.id).execute();
  return { taskId: row.id, decisionId: decisionId! };
}

async function claimed(client: ReturnType<typeof tokenClient>, agent: WorldPerson, labels?: string[], action?: string) {
  const t = await task(agent, labels, action);
  const res = await client('POST', `/api/qa/tasks/${t.taskId}/claim`);
  expect(res.statusCode, res.body).toBe(200);
  return t;
}

// A scale answer stays a number through request validation (a string branch first would coerce 5 to "5").
const goodAnswers = [{ questionKey: 'notes_ok', value: 'yes' }, { questionKey: 'tone', value: 5 }];

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  dw = await addDecisionCatalogue(database.db, world);
  const sc = await publishScorecard(database.db, world.workflowId, definition);
  scorecardId = sc.id;
  reviewerA = await linkedUser('qa_specialist', 'all', await reviewerPerson());
  reviewerB = await linkedUser('qa_specialist', 'all', await reviewerPerson());
  agentUser = await addUser(database.db, world, 'agent', 'self', 'agent-self');
  sme = await addUser(database.db, world, 'policy_sme', 'all', 'sme');
  app = await buildTestServer(database.db);
  asA = tokenClient(app, reviewerA.token);
  asB = tokenClient(app, reviewerB.token);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('the blind workspace', () => {
  it("hides the agent's labels until the reviewer records a verdict, shows policy text and the display rule, and audits the content view", async () => {
    const { taskId, decisionId } = await claimed(asA, agentsOf(1)[0]!, [dw.labels.threat], 'remove');
    const res = await asA('GET', `/api/qa/tasks/${taskId}/workspace`);
    expect(res.statusCode, res.body).toBe(200);
    const ws = res.json();
    expect(ws.blind).toBe(true);
    expect(ws.decision.labels).toBeNull();
    expect(ws.decision.action).toBeNull();
    expect(ws.decision.content.text).toBe('fixture content');
    expect(ws.scorecard).toMatchObject({ id: scorecardId, version: 1 });
    expect(ws.draft).toMatchObject({ verdict: null, decisionRevealed: false, activeMs: 0, scorecardVersionId: scorecardId });
    const policy = ws.policies.find((p: { policyKey: string }) => p.policyKey === `abuse_${world.tag}`);
    expect(policy.version).toBe(1);
    expect(policy.labels.map((l: { key: string; severity: string }) => [l.key, l.severity])).toEqual([
      [dw.labels.slur, 'high'],
      [dw.labels.threat, 'critical'],
    ]);
    expect(ws.context).toMatchObject({ agentId: agentsOf(1)[0]!.id, tenureDaysThen: 300 });
    expect(ws.wellbeing).toMatchObject({ tier: 'critical', blur: true, greyscale: true, mute: true, warningScreen: true });
    const audits = await auditRowsFor(database.db, decisionId);
    expect(audits.map((a) => a.action)).toContain('decision.content_view');

    // Autosave: active time accumulates, capped per save.
    const saved = await asA('PUT', `/api/qa/tasks/${taskId}/draft`, { answers: goodAnswers, activeMsDelta: 500_000 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ activeMs: 120_000, answers: goodAnswers });
    expect((await asA('PUT', `/api/qa/tasks/${taskId}/draft`, { activeMsDelta: 3000 })).json().activeMs).toBe(123_000);

    // A label that was not in force when the decision was made is refused with its path.
    const bad = await asA('POST', `/api/qa/tasks/${taskId}/verdict`, { labels: [dw.labels.dogwhistle], action: 'fly_away' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['/labels/0', '/action']);

    const verdict = await asA('POST', `/api/qa/tasks/${taskId}/verdict`, { labels: [dw.labels.slur], action: 'remove' });
    expect(verdict.statusCode, verdict.body).toBe(200);
    expect(verdict.json()).toMatchObject({ blind: true, decision: { labels: [dw.labels.threat], action: 'remove' } });
    const again = (await asA('GET', `/api/qa/tasks/${taskId}/workspace`)).json();
    expect(again.decision.labels).toEqual([dw.labels.threat]);
    expect(again.draft).toMatchObject({ decisionRevealed: true, verdict: { labels: [dw.labels.slur], action: 'remove' } });

    // Submitted: scored on the server (wrong policy, a critical question failed), revision 1, task closed, draft gone.
    const missingComment = await asA('POST', `/api/qa/tasks/${taskId}/review`, { scorecardVersionId: scorecardId, verdict: { labels: [dw.labels.slur], action: 'remove' }, answers: goodAnswers });
    expect(missingComment.statusCode).toBe(422);
    expect(missingComment.json().error.details.map((d: { path: string }) => d.path)).toEqual(['/answers/label_ok/comment']);
    const answers = [{ questionKey: 'label_ok', value: 'no', comment: 'A threat, not a slur', rootCause: 'policy_knowledge' }, ...goodAnswers];
    const submit = await asA('POST', `/api/qa/tasks/${taskId}/review`, { scorecardVersionId: scorecardId, verdict: { labels: [dw.labels.slur], action: 'remove' }, answers });
    expect(submit.statusCode, submit.body).toBe(201);
    const review = submit.json();
    expect(review).toMatchObject({ score: 0, passed: false, criticalFailed: true, correct: false, errorTypes: ['wrong_policy'], rootCauses: ['policy_knowledge'], blind: true, timeOnTaskMs: 123_000, revision: 1 });
    expect(review.revisions).toEqual([expect.objectContaining({ revision: 1, reason: 'submitted', score: 0 })]);
    expect(review.answers[0]).toMatchObject({ questionKey: 'label_ok', questionText: 'Correct label?' });
    const stored = await database.db.selectFrom('reviews').selectAll().where('id', '=', review.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ qa_labels: [dw.labels.slur], qa_action: 'remove', reviewer_vendor_id: world.vendors[0]!.id, vendor_id: world.vendors[1]!.id, error_types: ['wrong_policy'] });
    expect((await database.db.selectFrom('qa_tasks').select('status').where('id', '=', taskId).executeTakeFirstOrThrow()).status).toBe('completed');
    expect(await database.db.selectFrom('review_drafts').select('task_id').where('task_id', '=', taskId).executeTakeFirst()).toBeUndefined();
    expect((await auditRowsFor(database.db, review.id)).map((a) => a.action)).toEqual(['review.submit']);
    // The submit answer is composed from what the service had in hand; it must be what a read returns.
    const read = await asA('GET', `/api/reviews/${review.id}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual(review);

    const twice = await asA('POST', `/api/qa/tasks/${taskId}/review`, { scorecardVersionId: scorecardId, verdict: { labels: [dw.labels.slur], action: 'remove' }, answers });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toMatch(/already completed/);
  });

  it('records a review as not blind when the verdict changed after the reveal', async () => {
    const { taskId } = await claimed(asA, agentsOf(1)[1]!, [], 'no_action');
    await asA('GET', `/api/qa/tasks/${taskId}/workspace`);
    expect((await asA('POST', `/api/qa/tasks/${taskId}/verdict`, { labels: [dw.labels.slur], action: 'remove' })).json().blind).toBe(true);
    const changed = await asA('POST', `/api/qa/tasks/${taskId}/verdict`, { labels: [], action: 'no_action' });
    expect(changed.json()).toMatchObject({ blind: false, draft: { decisionRevealed: true } });
    const submit = await asA('POST', `/api/qa/tasks/${taskId}/review`, { scorecardVersionId: scorecardId, verdict: { labels: [], action: 'no_action' }, answers: goodAnswers });
    expect(submit.statusCode, submit.body).toBe(201);
    expect(submit.json()).toMatchObject({ blind: false, score: 100, passed: true, correct: true, errorTypes: [] });
  });
});

describe('refusals', () => {
  it('409 on a stale scorecard version, and 422 with paths for bad answers', async () => {
    const { taskId } = await claimed(asA, agentsOf(1)[2]!, [], 'no_action');
    await asA('GET', `/api/qa/tasks/${taskId}/workspace`);
    const stale = await asA('POST', `/api/qa/tasks/${taskId}/review`, { ...body(), scorecardVersionId: randomUUID() });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toMatch(/stale scorecard version/i);
    const bad = await asA('POST', `/api/qa/tasks/${taskId}/review`, { ...body(), answers: [{ questionKey: 'nope', value: 'yes' }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual(['/answers/0/questionKey', '/answers/notes_ok/value', '/answers/tone/value']);
  });

  it('409 when the task is not held, held by another, reassigned, taken over after the lease, or cancelled', async () => {
    const agent = agentsOf(1)[3]!;
    const notHeld = await task(agent);
    const res = await asA('POST', `/api/qa/tasks/${notHeld.taskId}/review`, body());
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/claim it first/);
    expect((await asA('GET', `/api/qa/tasks/${notHeld.taskId}/workspace`)).statusCode).toBe(409);

    const heldByB = await claimed(asB, agent);
    const other = await asA('POST', `/api/qa/tasks/${heldByB.taskId}/review`, body());
    expect(other.statusCode).toBe(409);
    expect(other.json().error.message).toMatch(/Another reviewer holds this task/);

    const reassigned = await claimed(asA, agent);
    await database.db.updateTable('qa_tasks').set({ assignee_id: (await personOf(reviewerB)), status: 'open', claimed_by: null, claimed_at: null, lease_expires_at: null }).where('id', '=', reassigned.taskId).execute();
    const r = await asA('POST', `/api/qa/tasks/${reassigned.taskId}/review`, body());
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toMatch(/reassigned to another reviewer/);

    const lapsed = await claimed(asA, agent);
    await asA('GET', `/api/qa/tasks/${lapsed.taskId}/workspace`);
    await database.db.updateTable('qa_tasks').set({ lease_expires_at: new Date(Date.now() - 1000) }).where('id', '=', lapsed.taskId).execute();
    expect((await asB('POST', `/api/qa/tasks/${lapsed.taskId}/claim`)).statusCode).toBe(200);
    const late = await asA('POST', `/api/qa/tasks/${lapsed.taskId}/review`, body());
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/Another reviewer/);

    const cancelled = await claimed(asA, agent);
    await database.db.updateTable('qa_tasks').set({ status: 'cancelled', claimed_by: null, claimed_at: null, lease_expires_at: null }).where('id', '=', cancelled.taskId).execute();
    const c = await asA('POST', `/api/qa/tasks/${cancelled.taskId}/review`, body());
    expect(c.statusCode).toBe(409);
    expect(c.json().error.message).toMatch(/cancelled/);
  });

  it('two concurrent submissions: exactly one 201, one 409', async () => {
    const { taskId } = await claimed(asA, agentsOf(2)[0]!, [], 'no_action');
    await asA('GET', `/api/qa/tasks/${taskId}/workspace`);
    const results = await Promise.all([asA('POST', `/api/qa/tasks/${taskId}/review`, body()), asA('POST', `/api/qa/tasks/${taskId}/review`, body())]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const reviews = await database.db.selectFrom('reviews').select('id').where('task_id', '=', taskId).execute();
    expect(reviews).toHaveLength(1);
  });
});

async function personOf(user: WorldUser): Promise<string> {
  return (await database.db.selectFrom('users').select('person_id').where('id', '=', user.id).executeTakeFirstOrThrow()).person_id!;
}

describe('a reviewer scoped away from their own record', () => {
  it('reviews the vendor they audit, and stays themselves: their name and their own vendor on the review', async () => {
    // A QA specialist employed by vendor 0, scoped to audit vendor 1 only.
    const person = await reviewerPerson();
    const auditor = await addUser(database.db, world, 'qa_specialist', 'vendor', `auditor-${world.tag}`);
    await database.db.updateTable('users').set({ person_id: person.id }).where('id', '=', auditor.id).execute();
    const asAuditor = tokenClient(app, auditor.token);
    const { taskId } = await claimed(asAuditor, agentsOf(1)[0]!, [], 'no_action');
    expect((await asAuditor('GET', `/api/qa/tasks/${taskId}/workspace`)).statusCode).toBe(200);
    const submit = await asAuditor('POST', `/api/qa/tasks/${taskId}/review`, { scorecardVersionId: scorecardId, verdict: { labels: [], action: 'no_action' }, answers: goodAnswers });
    expect(submit.statusCode, submit.body).toBe(201);
    expect(submit.json()).toMatchObject({ reviewerId: person.id, reviewerName: person.fullName });
    const stored = await database.db.selectFrom('reviews').select(['reviewer_vendor_id', 'vendor_id']).where('id', '=', submit.json().id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ reviewer_vendor_id: world.vendors[0]!.id, vendor_id: world.vendors[1]!.id });
    // Seeing their own record shows nothing else of their employer's.
    const people = await asAuditor('GET', `/api/people?vendorId=${world.vendors[0]!.id}`);
    expect(people.statusCode).toBe(200);
    expect(people.json().items.filter((p: { id: string }) => p.id !== person.id)).toEqual([]);
    expect((await asAuditor('GET', `/api/people/${agentsOf(0)[0]!.id}`)).statusCode).toBe(404);
  });
});

describe('escalations and who sees reviews', () => {
  it('"policy unclear" creates an escalation a policy SME answers (audited); reviewers cannot list them', async () => {
    const { taskId, decisionId } = await claimed(asA, agentsOf(2)[1]!, [dw.labels.slur], 'remove');
    await asA('GET', `/api/qa/tasks/${taskId}/workspace`);
    const submit = await asA('POST', `/api/qa/tasks/${taskId}/review`, {
      scorecardVersionId: scorecardId,
      verdict: { labels: [dw.labels.slur], action: 'remove' },
      answers: goodAnswers,
      policyUnclear: { note: 'Is a reclaimed slur in a song lyric covered?' },
    });
    expect(submit.statusCode, submit.body).toBe(201);
    expect(submit.json().policyUnclear).toBe(true);
    const [submitted] = await auditRowsFor(database.db, submit.json().id);
    expect(submitted).toMatchObject({ action: 'review.submit', details: expect.objectContaining({ escalationId: expect.any(String) }) });
    const asSme = tokenClient(app, sme.token);
    const list = await asSme('GET', '/api/escalations?status=open');
    expect(list.statusCode, list.body).toBe(200);
    const escalation = list.json().items.find((e: { decisionId: string }) => e.decisionId === decisionId);
    expect(escalation).toMatchObject({ kind: 'policy_unclear', labels: [dw.labels.slur], status: 'open', taskId });
    expect((await asA('GET', '/api/escalations')).statusCode).toBe(403);
    const answered = await asSme('POST', `/api/escalations/${escalation.id}/answer`, { answer: 'Yes: reclaimed use by the target group is allowed.' });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'answered', answer: 'Yes: reclaimed use by the target group is allowed.' });
    expect((await asSme('POST', `/api/escalations/${escalation.id}/answer`, { answer: 'again' })).statusCode).toBe(409);
    expect((await auditRowsFor(database.db, escalation.id)).map((a) => a.action)).toEqual(['escalation.raise', 'escalation.answer']);
  });

  it('an agent sees only their own reviews (404 on another agent\'s); another vendor sees none of them', async () => {
    const self = agentUser.scope.personId!;
    const me = world.people.find((p) => p.id === self)!;
    const colleague = agentsOf(1).find((p) => p.id !== self)!;
    const ids: string[] = [];
    for (const agent of [me, colleague]) {
      const { taskId } = await claimed(asA, agent, [], 'no_action');
      await asA('GET', `/api/qa/tasks/${taskId}/workspace`);
      const res = await asA('POST', `/api/qa/tasks/${taskId}/review`, body());
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    const asAgent = tokenClient(app, agentUser.token);
    const list = (await asAgent('GET', '/api/reviews')).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((r: { agentId: string }) => r.agentId === self)).toBe(true);
    expect(list.total).toBe(list.items.length);
    expect((await asAgent('GET', `/api/reviews/${ids[0]}`)).statusCode).toBe(200);
    expect((await asAgent('GET', `/api/reviews/${ids[1]}`)).statusCode).toBe(404);

    const otherVendorLead = await addUser(database.db, world, 'qa_lead', 'vendor', 'lead-v1');
    // addUser scopes to vendor 1; a vendor-2 lead is made by pointing the scope at vendor 2.
    await database.db.updateTable('users').set({ scope_ref_id: world.vendors[2]!.id }).where('id', '=', otherVendorLead.id).execute();
    const asOther = tokenClient(app, otherVendorLead.token);
    expect((await asOther('GET', `/api/reviews/${ids[0]}`)).statusCode).toBe(404);
    expect((await asOther('GET', `/api/reviews?agentId=${self}`)).json()).toEqual({ items: [], total: 0 });
    const byReviewer = (await asA('GET', `/api/reviews?agentId=${self}&passed=true`)).json();
    expect(byReviewer.items.map((r: { id: string }) => r.id)).toContain(ids[0]);
  });
});

const body = (verdict = { labels: [] as string[], action: 'no_action' }) => ({ scorecardVersionId: scorecardId, verdict, answers: goodAnswers });
