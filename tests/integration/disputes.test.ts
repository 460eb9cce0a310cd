import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { JobRole } from '../../src/db/schema.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import type { ScopeKind } from '../../src/domain/access/scope.ts';
import type { Answer, ScorecardDefinition, Verdict } from '../../src/domain/reviews/scorecard.types.ts';
import { scoreReview } from '../../src/domain/reviews/scoring.rules.ts';
import { raiseDispute } from '../../src/domain/reviews/disputes.service.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { asSystem } from '../../src/db/scoped.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';
import { insertSampledDecisions } from '../support/decision-fixtures.ts';
import { auditRowsFor, writtenInSameTransaction } from '../support/audit-trail.ts';
import { publishScorecard } from '../support/scorecard-fixtures.ts';

/**
 * Agent feedback and disputes on a real PostgreSQL: acknowledgement and
 * comments (agents only their own reviews), the dispute window, one open
 * dispute per review, an arbiter who is never the reviewer, overturns that
 * rescore as a new revision while revision 1 stays as it was, and the
 * dispute and overturn rates with their intervals.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let seq = 0;

const HOUR = 3_600_000;
const V1 = 1;

/** Agent said "no violation"; the QA verdict says slur + remove: label and action fail (score 25). */
const DEFINITION: ScorecardDefinition = {
  sections: [
    {
      key: 'core',
      title: 'Decision',
      questions: [
        { key: 'label', text: 'Correct label?', kind: 'correct_label', weight: 2, critical: false },
        { key: 'action', text: 'Correct action?', kind: 'correct_action', weight: 1, critical: false },
        { key: 'context', text: 'Context checked?', kind: 'yes_no', weight: 1, critical: false, allowNotApplicable: true, errorType: 'process' },
      ],
    },
  ],
  rootCauses: [{ key: 'policy_gap', label: 'Policy knowledge gap' }],
  commentRequiredOnFail: false,
  passMark: 80,
};
const WRONG_VERDICT: Verdict = { labels: ['abuse.slur'], action: 'remove' };
const ANSWERS: Answer[] = [{ questionKey: 'context', value: 'yes' }];

let scorecardId: string;
let reviewer: WorldPerson;
let otherLead: WorldPerson;
let agentA: WorldPerson;
let agentB: WorldPerson;
let reviewerUser: WorldUser;
let arbiterUser: WorldUser;
let agentUser: WorldUser;
let otherAgentUser: WorldUser;
let vendorLead: WorldUser;
let admin: WorldUser;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  app = await buildTestServer(database.db);
  scorecardId = await addScorecard(world.workflowId);
  // The reviewer is an in-house QA lead skilled in the workflow, like the arbiter: only the
  // never-the-reviewer rule keeps them from arbitrating their own review.
  reviewer = await addPerson(0, 'qa_lead', [world.workflowId]);
  otherLead = await addPerson(0, 'qa_lead', [world.workflowId]);
  const v1Agents = world.people.filter((p) => p.vendorId === world.vendors[V1]!.id && p.teamId !== null);
  agentA = v1Agents[0]!;
  agentB = v1Agents[2]!;
  reviewerUser = await linkedUser('qa_lead', 'all', reviewer);
  arbiterUser = await linkedUser('qa_lead', 'all', otherLead);
  agentUser = await agentUserFor(agentA);
  otherAgentUser = await agentUserFor(agentB);
  vendorLead = await linkedUser('qa_lead', 'vendor', null);
  admin = await linkedUser('admin', 'all', null);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function addScorecard(workflowId: string): Promise<string> {
  const row = await publishScorecard(database.db, workflowId, DEFINITION);
  return row.id;
}

async function addPerson(vendor: number, jobRole: JobRole, workflowIds: string[]): Promise<WorldPerson> {
  seq += 1;
  const vendorId = world.vendors[vendor]!.id;
  const siteId = world.sites.find((s) => s.vendorId === vendorId)!.id;
  const fullName = `Person ${seq} ${world.tag}`;
  const row = await database.db
    .insertInto('people')
    .values({ vendor_id: vendorId, site_id: siteId, team_id: null, full_name: fullName, job_role: jobRole, hire_date: '2021-06-01' })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const workflowId of workflowIds) await database.db.insertInto('person_workflow_skills').values({ person_id: row.id, workflow_id: workflowId }).execute();
  return { id: row.id, vendorId, siteId, teamId: null, fullName };
}

async function linkedUser(role: Role, kind: ScopeKind, person: WorldPerson | null): Promise<WorldUser> {
  seq += 1;
  const user = await addUser(database.db, world, role, kind, `${role}-${kind}-${seq}`);
  if (person) await database.db.updateTable('users').set({ person_id: person.id }).where('id', '=', user.id).execute();
  return user;
}

/** An agent signed in with scope "self" on their own person record. */
async function agentUserFor(person: WorldPerson): Promise<WorldUser> {
  seq += 1;
  const user = await addUser(database.db, world, 'agent', 'self', `agent-${seq}`);
  await database.db.updateTable('users').set({ person_id: person.id, scope_ref_id: person.id }).where('id', '=', user.id).execute();
  return user;
}

interface ReviewSpec {
  agent?: WorldPerson;
  workflowId?: string;
  scorecardVersionId?: string;
  submittedAt?: Date;
  verdict?: Verdict;
}

/** A submitted review (task, review, revision 1) scored with the real scoring engine. */
async function addReview(spec: ReviewSpec = {}): Promise<{ id: string; score: number }> {
  const agent = spec.agent ?? agentA;
  const workflowId = spec.workflowId ?? world.workflowId;
  const [decisionId] = await insertSampledDecisions(database.db, [{ agent, workflowId, labels: [], action: 'no_action' }]);
  const task = await database.db
    .insertInto('qa_tasks')
    .values({
      decision_id: decisionId!,
      workflow_id: workflowId,
      vendor_id: agent.vendorId,
      site_id: agent.siteId,
      team_id: agent.teamId,
      agent_id: agent.id,
      status: 'completed',
      assignee_id: reviewer.id,
      due_at: new Date(),
      completed_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const verdict = spec.verdict ?? WRONG_VERDICT;
  const scored = scoreReview(DEFINITION, ANSWERS, { labels: [], action: 'no_action' }, verdict);
  const values = {
    qa_labels: verdict.labels,
    qa_action: verdict.action,
    answers: JSON.stringify(ANSWERS),
    score: scored.score,
    passed: scored.passed,
    critical_failed: scored.criticalFailed,
    correct: scored.correct,
    error_types: scored.errorTypes,
    root_causes: scored.rootCauses,
    vendor_id: agent.vendorId,
    site_id: agent.siteId,
    team_id: agent.teamId,
    agent_id: agent.id,
  };
  const review = await database.db
    .insertInto('reviews')
    .values({
      ...values,
      task_id: task.id,
      decision_id: decisionId!,
      workflow_id: workflowId,
      reviewer_id: reviewer.id,
      reviewer_vendor_id: reviewer.vendorId,
      scorecard_version_id: spec.scorecardVersionId ?? scorecardId,
      blind: true,
      time_on_task_ms: 60_000,
      submitted_at: spec.submittedAt ?? new Date(Date.now() - HOUR),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('review_revisions')
    .values({ ...values, review_id: review.id, revision: 1, reason: 'submitted', dispute_id: null, created_by: null })
    .execute();
  return { id: review.id, score: scored.score };
}

const as = (user: WorldUser) => tokenClient(app, user.token);

describe('feedback', () => {
  it('lets only the agent acknowledge, once, and hides other agents\' reviews', async () => {
    const review = await addReview();
    const first = await as(agentUser)('POST', `/api/reviews/${review.id}/acknowledge`);
    expect(first.statusCode).toBe(200);
    const again = await as(agentUser)('POST', `/api/reviews/${review.id}/acknowledge`);
    expect(again.json().acknowledgedAt).toBe(first.json().acknowledgedAt);
    expect((await auditRowsFor(database.db, review.id)).filter((r) => r.action === 'review.acknowledge')).toHaveLength(1);

    const byLead = await as(vendorLead)('POST', `/api/reviews/${review.id}/acknowledge`);
    expect(byLead.statusCode).toBe(403);
    expect(byLead.json().error.message).toMatch(/only the agent/i);
    // Another agent of the same vendor does not see the review at all.
    expect((await as(otherAgentUser)('POST', `/api/reviews/${review.id}/acknowledge`)).statusCode).toBe(404);
    expect((await as(otherAgentUser)('POST', `/api/reviews/${review.id}/comments`, { body: 'hi' })).statusCode).toBe(404);
    expect((await as(otherAgentUser)('POST', `/api/reviews/${review.id}/disputes`, { reason: 'not mine' })).statusCode).toBe(404);
  });

  it('records comments with the author from the caller, audited in the same transaction', async () => {
    const review = await addReview();
    const response = await as(agentUser)('POST', `/api/reviews/${review.id}/comments`, { body: '  I checked the context first.  ' });
    expect(response.statusCode).toBe(201);
    const comment = response.json();
    expect(comment).toMatchObject({ reviewId: review.id, authorLabel: agentUser.email, body: 'I checked the context first.' });
    const lead = await as(vendorLead)('POST', `/api/reviews/${review.id}/comments`, { body: 'Noted, thanks.' });
    expect(lead.statusCode).toBe(201);
    const entry = (await auditRowsFor(database.db, review.id)).find((r) => r.action === 'review.comment' && r.details.commentId === comment.id)!;
    expect(await writtenInSameTransaction(database.db, 'review_comments', comment.id, entry.id)).toBe(true);
    expect((await as(agentUser)('POST', `/api/reviews/${review.id}/comments`, { body: '   ' })).statusCode).toBe(422);
  });
  it('tells the screen what the caller can do: acknowledge as the agent, dispute until the window ends', async () => {
    const submittedAt = new Date(Date.now() - 2 * HOUR);
    const review = await addReview({ submittedAt });
    const state = (await as(agentUser)('GET', `/api/reviews/${review.id}/feedback`)).json();
    expect(state).toMatchObject({ isAgent: true, acknowledgedAt: null, disputeWindowOpen: true, openDisputeId: null });
    expect(state.disputeWindowEndsAt).toBe(new Date(submittedAt.getTime() + 168 * HOUR).toISOString());
    expect(state.questions.map((q: { key: string }) => q.key)).toEqual(['label', 'action', 'context']);
    expect((await as(vendorLead)('GET', `/api/reviews/${review.id}/feedback`)).json()).toMatchObject({ isAgent: false });
    expect((await as(otherAgentUser)('GET', `/api/reviews/${review.id}/feedback`)).statusCode).toBe(404);
  });
});

describe('raising disputes', () => {
  it('enforces the workflow dispute window', async () => {
    const old = await addReview({ submittedAt: new Date(Date.now() - 169 * HOUR) });
    const late = await as(agentUser)('POST', `/api/reviews/${old.id}/disputes`, { reason: 'The label was right' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/dispute window closed on \d{4}-\d{2}-\d{2}T/);
    // A longer window configured for the workflow lets it through.
    await database.db.insertInto('qa_workflow_settings').values({ workflow_id: world.workflowId, dispute_window_hours: 240, updated_at: new Date() }).execute();
    try {
      expect((await as(agentUser)('POST', `/api/reviews/${old.id}/disputes`, { reason: 'The label was right' })).statusCode).toBe(201);
    } finally {
      await database.db.deleteFrom('qa_workflow_settings').where('workflow_id', '=', world.workflowId).execute();
    }
  });

  it('allows one open dispute per review and checks question keys against the scorecard version', async () => {
    const review = await addReview();
    const bad = await as(agentUser)('POST', `/api/reviews/${review.id}/disputes`, { reason: 'x', questionKeys: ['label', 'tone'] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details).toEqual([{ path: '/questionKeys/1', message: expect.stringContaining('tone') }]);

    const first = await as(agentUser)('POST', `/api/reviews/${review.id}/disputes`, { reason: 'No slur here', questionKeys: ['label'] });
    expect(first.statusCode).toBe(201);
    const dispute = first.json();
    expect(dispute).toMatchObject({ status: 'open', questionKeys: ['label'], scoreBefore: review.score, overdue: false });
    expect(dispute.questions.find((q: { key: string }) => q.key === 'label')).toMatchObject({ text: 'Correct label?', disputed: true });
    expect(dispute.questions.find((q: { key: string }) => q.key === 'context')).toMatchObject({ disputed: false, answer: { questionKey: 'context', value: 'yes' } });
    expect(new Date(dispute.dueAt).getTime() - new Date(dispute.createdAt).getTime()).toBeCloseTo(72 * HOUR, -4);

    const second = await as(vendorLead)('POST', `/api/reviews/${review.id}/disputes`, { reason: 'Again' });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toMatch(/already has an open dispute/);
    const entries = await auditRowsFor(database.db, dispute.id);
    expect(entries.map((e) => e.action)).toEqual(['dispute.raise']);
  });

  it('assigns an arbiter who is never the original reviewer nor the raiser', async () => {
    for (let i = 0; i < 3; i++) {
      const review = await addReview();
      const dispute = (await as(vendorLead)('POST', `/api/reviews/${review.id}/disputes`, { reason: `case ${i}` })).json();
      expect(dispute.arbiterId).toBe(otherLead.id);
      expect(dispute.arbiterId).not.toBe(reviewer.id);
    }
    // With the only other skilled lead raising it, the arbiter falls back to in-house quality staff.
    const review = await addReview();
    const raisedByLead = (await as(arbiterUser)('POST', `/api/reviews/${review.id}/disputes`, { reason: 'I disagree' })).json();
    expect([reviewer.id, otherLead.id]).not.toContain(raisedByLead.arbiterId);
    const arbiter = await database.db.selectFrom('people').innerJoin('vendors', 'vendors.id', 'people.vendor_id').select(['job_role', 'is_in_house']).where('people.id', '=', raisedByLead.arbiterId).executeTakeFirstOrThrow();
    expect(arbiter).toEqual({ job_role: 'qa_specialist', is_in_house: true });
  });
  it('raises from a system transaction (demo, CLI) without losing its unrestricted view', async () => {
    const review = await addReview();
    const dispute = await asSystem(database.db, async (trx) => {
      const raised = await raiseDispute(trx, systemActor('cli'), review.id, { reason: 'Operator import' });
      // Still the owner afterwards: every review is visible.
      const seen = await trx.selectFrom('reviews').select('id').where('id', '=', review.id).executeTakeFirst();
      expect(seen?.id).toBe(review.id);
      return raised;
    });
    expect(dispute.arbiterId).toBe(otherLead.id);
  });
});

describe('resolving disputes', () => {
  async function openDispute(): Promise<{ reviewId: string; disputeId: string; score: number }> {
    const review = await addReview();
    const raised = await as(agentUser)('POST', `/api/reviews/${review.id}/disputes`, { reason: 'The comment is not a slur' });
    expect(raised.statusCode).toBe(201);
    return { reviewId: review.id, disputeId: raised.json().id, score: review.score };
  }

  it('refuses the original reviewer with a clear message', async () => {
    const { disputeId } = await openDispute();
    const response = await as(reviewerUser)('POST', `/api/disputes/${disputeId}/resolve`, { outcome: 'upheld', reason: 'I was right' });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toMatch(/you wrote this review/i);
    expect((await as(agentUser)('POST', `/api/disputes/${disputeId}/resolve`, { outcome: 'upheld', reason: 'x' })).statusCode).toBe(403);
  });

  it('overturns by rescoring as a new revision and keeps revision 1 intact', async () => {
    const { reviewId, disputeId, score } = await openDispute();
    expect(score).toBe(25);
    const response = await as(arbiterUser)('POST', `/api/disputes/${disputeId}/resolve`, {
      outcome: 'overturned',
      reason: 'Reclaimed term, no violation.',
      verdict: { labels: [], action: 'no_action' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'resolved', outcome: 'overturned', scoreBefore: 25, scoreAfter: 100, review: { revision: 2, score: 100 } });

    const current = await database.db.selectFrom('reviews').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow();
    expect(current).toMatchObject({ revision: 2, score: '100.00', passed: true, correct: true, error_types: [], qa_labels: [], qa_action: 'no_action' });
    // The label and action answers follow the corrected verdict; the other answers are kept.
    expect(current.answers).toEqual([
      { questionKey: 'context', value: 'yes' },
      { questionKey: 'label', value: 'yes' },
      { questionKey: 'action', value: 'yes' },
    ]);
    const revisions = await database.db.selectFrom('review_revisions').selectAll().where('review_id', '=', reviewId).orderBy('revision').execute();
    expect(revisions.map((r) => [r.revision, r.reason, r.score, r.dispute_id])).toEqual([
      [1, 'submitted', '25.00', null],
      [2, 'dispute', '100.00', disputeId],
    ]);
    expect(revisions[0]).toMatchObject({ qa_labels: ['abuse.slur'], qa_action: 'remove', error_types: ['false_negative', 'wrong_action'], passed: false });

    const again = await as(arbiterUser)('POST', `/api/disputes/${disputeId}/resolve`, { outcome: 'upheld', reason: 'twice' });
    expect(again.statusCode).toBe(409);
    const entries = await auditRowsFor(database.db, disputeId);
    expect(entries.find((e) => e.action === 'dispute.resolve')!.details).toMatchObject({ outcome: 'overturned', scoreBefore: 25, scoreAfter: 100, revision: 2 });
  });

  it('upholds without touching the score', async () => {
    const { reviewId, disputeId } = await openDispute();
    const response = await as(arbiterUser)('POST', `/api/disputes/${disputeId}/resolve`, { outcome: 'upheld', reason: 'The slur is clear.' });
    expect(response.json()).toMatchObject({ outcome: 'upheld', scoreBefore: 25, scoreAfter: 25, review: { revision: 1, score: 25 } });
    const revisions = await database.db.selectFrom('review_revisions').select('revision').where('review_id', '=', reviewId).execute();
    expect(revisions).toHaveLength(1);
  });

  it('checks corrected answers and asks for them on an overturn', async () => {
    const { disputeId } = await openDispute();
    const none = await as(arbiterUser)('POST', `/api/disputes/${disputeId}/resolve`, { outcome: 'partly', reason: 'x' });
    expect(none.statusCode).toBe(422);
    const bad = await as(arbiterUser)('POST', `/api/disputes/${disputeId}/resolve`, { outcome: 'partly', reason: 'x', answers: [{ questionKey: 'context', value: 'maybe' }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details).toEqual([{ path: '/answers/context/value', message: 'Yes, no or N/A.' }]);
    const partly = await as(arbiterUser)('POST', `/api/disputes/${disputeId}/resolve`, {
      outcome: 'partly',
      reason: 'Label right, action too strong.',
      verdict: { labels: ['abuse.slur'], action: 'no_action' },
    });
    // Label still fails (2 of 4 points lost), action now right: 2/4 = 50.
    expect(partly.json()).toMatchObject({ outcome: 'partly', scoreAfter: 50, review: { revision: 2 } });
  });

  it('lets only the raiser withdraw', async () => {
    const { disputeId } = await openDispute();
    expect((await as(vendorLead)('POST', `/api/disputes/${disputeId}/withdraw`)).statusCode).toBe(403);
    const withdrawn = await as(agentUser)('POST', `/api/disputes/${disputeId}/withdraw`);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', outcome: null });
    expect((await as(agentUser)('POST', `/api/disputes/${disputeId}/withdraw`)).statusCode).toBe(409);
  });
});

describe('listing disputes', () => {
  it('shows the arbiter their queue, overdue ones flagged, and agents only their own', async () => {
    const review = await addReview({ agent: agentB });
    const raised = (await as(otherAgentUser)('POST', `/api/reviews/${review.id}/disputes`, { reason: 'mine' })).json();
    await database.db.updateTable('disputes').set({ due_at: new Date(Date.now() - HOUR) }).where('id', '=', raised.id).execute();

    const mine = (await as(arbiterUser)('GET', '/api/disputes?mine=true&status=open')).json();
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((d: { arbiterId: string; status: string }) => d.arbiterId === otherLead.id && d.status === 'open')).toBe(true);
    const overdue = (await as(arbiterUser)('GET', '/api/disputes?overdue=true')).json();
    expect(overdue.items.map((d: { id: string }) => d.id)).toEqual([raised.id]);
    expect(overdue.items[0]).toMatchObject({ overdue: true });
    expect(overdue.items[0].slaRemainingMs).toBeLessThan(0);

    const agentsView = (await as(agentUser)('GET', '/api/disputes')).json();
    expect(agentsView.items.length).toBeGreaterThan(0);
    expect(agentsView.items.every((d: { agentId: string }) => d.agentId === agentA.id)).toBe(true);
    expect((await as(agentUser)('GET', `/api/disputes/${raised.id}`)).statusCode).toBe(404);
    expect((await as(otherAgentUser)('GET', `/api/disputes/${raised.id}`)).json()).toMatchObject({ id: raised.id, canResolve: false });
  });
});

describe('dispute and overturn rates', () => {
  it('counts disputed and overturned reviews per workflow with Wilson intervals', async () => {
    const row = await database.db.insertInto('workflows').values({ key: `rates_${world.tag}`, name: `Rates ${world.tag}`, kind: 'moderation' }).returning('id').executeTakeFirstOrThrow();
    const sc = await addScorecard(row.id);
    const at = new Date('2026-01-15T12:00:00Z');
    const reviews = [];
    for (let i = 0; i < 10; i++) reviews.push(await addReview({ workflowId: row.id, scorecardVersionId: sc, submittedAt: at }));
    // Four disputed: two overturned (one in part), one upheld, one withdrawn. Written directly: the window is long closed.
    const outcomes = ['overturned', 'partly', 'upheld', null] as const;
    for (const [i, outcome] of outcomes.entries()) {
      await database.db
        .insertInto('disputes')
        .values({
          review_id: reviews[i]!.id,
          raised_by_label: 'fixture',
          reason: 'fixture',
          status: outcome ? 'resolved' : 'withdrawn',
          outcome,
          due_at: at,
          score_before: 25,
          workflow_id: row.id,
          vendor_id: agentA.vendorId,
          site_id: agentA.siteId,
          team_id: agentA.teamId,
          agent_id: agentA.id,
        })
        .execute();
    }
    const response = await as(admin)('GET', '/api/disputes/summary?from=2026-01-01&to=2026-02-01&by=workflow');
    expect(response.statusCode).toBe(200);
    const group = response.json().groups.find((g: { groupId: string }) => g.groupId === row.id);
    expect(group).toMatchObject({ groupName: `Rates ${world.tag}`, reviews: 10, disputed: 4, overturned: 2 });
    // Wilson 95%: 4/10 -> [0.1682, 0.6873]; 2/4 -> [0.1500, 0.8500].
    expect(group.disputeRate.estimate).toBeCloseTo(0.4, 10);
    expect(group.disputeRate.lower).toBeCloseTo(0.1682, 4);
    expect(group.disputeRate.upper).toBeCloseTo(0.6873, 4);
    expect(group.overturnRate.lower).toBeCloseTo(0.15, 4);
    expect(group.overturnRate.upper).toBeCloseTo(0.85, 4);
    // A vendor-scoped QA lead sees only their own vendor's reviews.
    const outside = await as(vendorLead)('GET', '/api/disputes/summary?from=2026-01-01&to=2026-02-01&by=vendor');
    expect(outside.json().groups.map((g: { groupId: string }) => g.groupId)).toEqual([agentA.vendorId]);
  });
});
