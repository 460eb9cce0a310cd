import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { JobRole } from '../../src/db/schema.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import type { ScopeKind } from '../../src/domain/access/scope.ts';
import type { ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';
import { ac1WithError, alphaWithError, percentAgreementWithError } from '../../src/domain/stats/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { buildWorld, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';
import { addDecisionCatalogue, type DecisionWorld } from '../support/decision-world.ts';
import { addReviewedDecision as addReviewedDecisionOf, calibrationPeople } from '../support/calibration-world.ts';
import { auditRowsFor } from '../support/audit-trail.ts';
import { publishScorecard } from '../support/scorecard-fixtures.ts';

/**
 * Calibration sessions on a real PostgreSQL: a lead creates a session from
 * reviewed decisions and an uploaded CSV, invites participants of two
 * vendors; each scores blind (their own answers only, never the expert's,
 * enforced by row-level security as well as the service); close reveals the
 * expert answers, everyone's answers and agreement figures equal to the
 * statistics module's on the same ratings; scope, audit and exports.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let dw: DecisionWorld;

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
  commentRequiredOnFail: true,
  passMark: 80,
};

let lead: WorldUser;
let vendorLeadV1: WorldUser;
let vendorLeadV2: WorldUser;
let qaInHouse: WorldPerson;
let qaVendor: WorldPerson;
let qaInHouseUser: WorldUser;
let qaVendorUser: WorldUser;
let agentOnly: WorldPerson;
let reviewer: WorldPerson;
const decisionIds: string[] = [];



let people: ReturnType<typeof calibrationPeople>;
const addPerson = (vendor: number, jobRole: JobRole) => people.addPerson(vendor, jobRole);
const linkedUser = (role: Role, kind: ScopeKind, person: WorldPerson | null, vendor = 1) => people.linkedUser(role, kind, person, vendor);
/** A reviewed decision: the agent said "no violation"; the review said slur + remove (the default expert answer). */
const addReviewedDecision = (scorecardId: string, vendor: number) =>
  addReviewedDecisionOf(database.db, world, dw, { scorecardId, vendor, reviewer, answers: [{ questionKey: 'context', value: 'yes' }], score: 25, errorTypes: ['false_negative', 'wrong_action'] });

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  people = calibrationPeople(database.db, world);
  dw = await addDecisionCatalogue(database.db, world);
  app = await buildTestServer(database.db);
  const scorecard = await publishScorecard(database.db, world.workflowId, DEFINITION);
  reviewer = await addPerson(0, 'qa_lead');
  qaInHouse = await addPerson(0, 'qa_specialist');
  qaVendor = await addPerson(1, 'qa_specialist');
  agentOnly = await addPerson(1, 'qa_specialist');
  lead = await linkedUser('qa_lead', 'all', reviewer);
  vendorLeadV1 = await linkedUser('qa_lead', 'vendor', null, 1);
  vendorLeadV2 = await linkedUser('qa_lead', 'vendor', null, 2);
  qaInHouseUser = await linkedUser('qa_specialist', 'all', qaInHouse);
  qaVendorUser = await linkedUser('qa_specialist', 'vendor', qaVendor, 1);
  await linkedUser('agent', 'vendor', agentOnly, 1);
  decisionIds.push(await addReviewedDecision(scorecard.id, 1), await addReviewedDecision(scorecard.id, 2));
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const as = (user: WorldUser) => tokenClient(app, user.token);

function itemsCsv(): string {
  return [
    'ref,content_text,severity,expert_labels,expert_action',
    `up-1,"you people are vermin",high,${dw.labels.slur},remove`,
    'up-2,"great match last night",,none,no_action',
  ].join('\n');
}

describe('a calibration from creation to revealed results', () => {
  let sessionId: string;
  let items: Array<{ id: string; position: number; ref: string; expert: { labels: string[]; action: string } | null }>;

  it('creates a session from reviewed decisions and a CSV, with the review as the default expert answer', async () => {
    const response = await as(lead)('POST', '/api/calibration/sessions', {
      title: 'October calibration',
      workflowId: world.workflowId,
      dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      items: decisionIds.map((id) => ({ source: 'decision', id })),
      itemsCsv: itemsCsv(),
      participants: [{ personId: qaInHouse.id }, { personId: qaVendor.id }],
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    sessionId = body.session.id;
    items = body.items;
    expect(body.session).toMatchObject({ status: 'open', items: 4, participants: 2, submitted: 0, vendorId: null });
    expect(items.map((i) => i.ref)).toEqual([expect.any(String), expect.any(String), 'up-1', 'up-2']);
    expect(items[0]!.expert).toMatchObject({ labels: [dw.labels.slur], action: 'remove' });
    expect(items[3]!.expert).toMatchObject({ labels: [], action: 'no_action' });
    expect(body.participants.map((p: { group: string }) => p.group)).toEqual(['internal_qa', 'vendor_qa']);
    expect((await auditRowsFor(database.db, sessionId)).map((a) => a.action)).toContain('calibration.create');
  });

  it('refuses people who cannot take calibrations and bad CSV lines, with line numbers, writing nothing', async () => {
    const before = await database.db.selectFrom('calibration_sessions').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const noUser = await as(lead)('POST', '/api/calibration/sessions', { title: 'x', workflowId: world.workflowId, itemsCsv: itemsCsv(), participants: [{ personId: world.people[3]!.id }] });
    expect(noUser.statusCode).toBe(422);
    expect(noUser.json().error.details[0].path).toBe('/participants/0/personId');
    const bad = await as(lead)('POST', '/api/calibration/sessions', {
      title: 'x',
      workflowId: world.workflowId,
      itemsCsv: ['ref,content_text,expert_labels,expert_action', 'a,,,', `b,text,nope.label,remove`, 'c,text,,explode'].join('\n'),
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details).toEqual([
      { path: '/lines/2/content_text', message: 'Give content_text or content_url.', line: 2 },
      { path: '/lines/3/expert_labels', message: '"nope.label" is not a label of this workflow\'s policies.', line: 3 },
      { path: '/lines/4/expert_action', message: '"explode" is not an action this workflow allows.', line: 4 },
    ]);
    const after = await database.db.selectFrom('calibration_sessions').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('shows each participant only their own answers and never the expert answer before close', async () => {
    const view = await as(qaInHouseUser)('GET', `/api/calibration/sessions/${sessionId}/take`);
    expect(view.statusCode, view.body).toBe(200);
    const body = view.json();
    expect(body.items).toHaveLength(4);
    expect(JSON.stringify(body)).not.toContain('expert');
    // Blind: the agent's decision appears only once one's own verdict on the item is saved.
    expect(body.items[0].agentDecision).toBeNull();
    expect(body.items[0].wellbeing.tier).toBe('high');

    // In-house QA agrees with the expert on everything; vendor QA is lenient on the decided items.
    for (const item of items) {
      const verdict = { labels: item.expert!.labels, action: item.expert!.action };
      const saved = await as(qaInHouseUser)('PUT', `/api/calibration/sessions/${sessionId}/take/items/${item.id}`, { ...verdict, answers: [{ questionKey: 'context', value: 'yes' }] });
      expect(saved.statusCode, saved.body).toBe(200);
    }
    const lenient = (i: number) => (i < 2 ? { labels: [], action: 'no_action' } : { labels: items[i]!.expert!.labels, action: items[i]!.expert!.action });
    for (const [i, item] of items.entries()) {
      const saved = await as(qaVendorUser)('PUT', `/api/calibration/sessions/${sessionId}/take/items/${item.id}`, { ...lenient(i), answers: [{ questionKey: 'context', value: i === 0 ? 'no' : 'yes' }] });
      expect(saved.statusCode, saved.body).toBe(200);
    }
    const vendorView = (await as(qaVendorUser)('GET', `/api/calibration/sessions/${sessionId}/take`)).json();
    expect(vendorView.items[0].myRating).toMatchObject({ labels: [], action: 'no_action' });
    expect(vendorView.items[0].agentDecision).toEqual({ labels: [], action: 'no_action' });
    // Nothing of the other participant's: the in-house participant rated items 1-2 as slur + remove.
    expect(vendorView.items.slice(0, 2).map((i: { myRating: { action: string } }) => i.myRating.action)).toEqual(['no_action', 'no_action']);
    expect(JSON.stringify(vendorView)).not.toContain('expert');

    // Row-level security: even a direct read of the ratings shows a participant only their own.
    const lenientRows = await database.db.transaction().execute(async (trx) => {
      const { applyViewer } = await import('../../src/db/scoped.ts');
      await applyViewer(trx, { userId: qaVendorUser.id, personId: qaVendor.id, scope: qaVendorUser.scope });
      return trx.selectFrom('calibration_ratings').selectAll().where('session_id', '=', sessionId).execute();
    });
    expect(lenientRows).toHaveLength(4);
    const leadRows = await database.db.transaction().execute(async (trx) => {
      const { applyViewer } = await import('../../src/db/scoped.ts');
      await applyViewer(trx, { userId: lead.id, personId: reviewer.id, scope: lead.scope });
      return trx.selectFrom('calibration_ratings').selectAll().where('session_id', '=', sessionId).execute();
    });
    expect(leadRows).toHaveLength(0);

    expect((await as(lead)('GET', `/api/calibration/sessions/${sessionId}/results`)).statusCode).toBe(409);
    expect((await as(qaVendorUser)('GET', `/api/calibration/sessions/${sessionId}/answers`)).statusCode).toBe(409);
  });

  it('tells the lead who submitted, not what they answered', async () => {
    expect((await as(qaInHouseUser)('POST', `/api/calibration/sessions/${sessionId}/take/submit`)).statusCode).toBe(200);
    const detail = (await as(lead)('GET', `/api/calibration/sessions/${sessionId}`)).json();
    expect(detail.session.submitted).toBe(1);
    expect(detail.participants.map((p: { submittedAt: string | null; ratedItems: number }) => [p.submittedAt !== null, p.ratedItems])).toEqual([[true, 4], [false, 4]]);
    expect(JSON.stringify(detail)).not.toContain('myRating');
    const again = await as(qaInHouseUser)('PUT', `/api/calibration/sessions/${sessionId}/take/items/${items[0]!.id}`, { labels: [], action: 'no_action', answers: [{ questionKey: 'context', value: 'yes' }] });
    expect(again.statusCode).toBe(409);
    const list = (await as(qaVendorUser)('GET', '/api/calibration/mine')).json();
    expect(list.items.find((s: { id: string }) => s.id === sessionId)).toMatchObject({ ratedItems: 4, submittedAt: null });
  });

  it('keeps sessions to their scope: out-of-scope ids are 404', async () => {
    expect((await as(vendorLeadV2)('GET', `/api/calibration/sessions/${sessionId}`)).statusCode).toBe(404);
    expect((await as(vendorLeadV1)('GET', `/api/calibration/sessions/${sessionId}`)).statusCode).toBe(404);
    expect((await as(vendorLeadV2)('POST', `/api/calibration/sessions/${sessionId}/close`)).statusCode).toBe(404);
    expect((await as(vendorLeadV1)('GET', '/api/calibration/sessions')).json().items.map((s: { id: string }) => s.id)).not.toContain(sessionId);
    // A vendor lead's session is their vendor's; they cannot invite another vendor's people.
    const own = await as(vendorLeadV1)('POST', '/api/calibration/sessions', { title: 'V1 only', workflowId: world.workflowId, itemsCsv: itemsCsv(), participants: [{ personId: qaInHouse.id }] });
    expect(own.statusCode).toBe(422);
    const ok = await as(vendorLeadV1)('POST', '/api/calibration/sessions', { title: 'V1 only', workflowId: world.workflowId, itemsCsv: itemsCsv(), participants: [{ personId: qaVendor.id }] });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().session.vendorId).toBe(world.vendors[1]!.id);
    expect((await as(vendorLeadV2)('GET', `/api/calibration/sessions/${ok.json().session.id}`)).statusCode).toBe(404);
    expect((await as(lead)('GET', `/api/calibration/sessions/${ok.json().session.id}`)).statusCode).toBe(200);
    // Only invited people take a session.
    expect((await as(vendorLeadV1)('GET', `/api/calibration/sessions/${sessionId}/take`)).statusCode).toBe(404);
    expect((await as(lead)('GET', `/api/calibration/sessions/${sessionId}/take`)).statusCode).toBe(404);
  });

  it('reveals on close: agreement equal to the statistics module, alignment, divergence, answers with the expert and notes', async () => {
    const closed = await as(lead)('POST', `/api/calibration/sessions/${sessionId}/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe('closed');
    const response = await as(lead)('GET', `/api/calibration/sessions/${sessionId}/results`);
    expect(response.statusCode, response.body).toBe(200);
    const { results } = response.json();
    const slur = dw.labels.slur;
    const labelMatrix = [[slur, 'none'], [slur, 'none'], [slur, slur], ['none', 'none']];
    const actionMatrix = [['remove', 'no_action'], ['remove', 'no_action'], ['remove', 'remove'], ['no_action', 'no_action']];
    for (const [field, matrix] of [['label', labelMatrix], ['action', actionMatrix]] as const) {
      const alpha = alphaWithError(matrix);
      const ac1 = ac1WithError(matrix);
      const pa = percentAgreementWithError(matrix);
      expect(results[field].alpha.value).toBeCloseTo(alpha.value!, 12);
      expect(results[field].alpha.lower).toBeCloseTo(alpha.ci![0], 12);
      expect(results[field].ac1.value).toBeCloseTo(ac1.value!, 12);
      expect(results[field].ac1.upper).toBeCloseTo(ac1.ci![1], 12);
      expect(results[field].percent.value).toBeCloseTo(pa.value!, 12);
    }
    const [inHouse, vendor] = results.alignment;
    expect(inHouse).toMatchObject({ group: 'internal_qa', label: { x: 4, n: 4 } });
    expect(vendor).toMatchObject({ group: 'vendor_qa', label: { x: 2, n: 4 }, action: { x: 2, n: 4 } });
    expect(vendor.label.lower).toBeGreaterThan(0);
    expect(vendor.label.upper).toBeLessThan(1);
    expect(results.divergentItems[0].labelAgreement).toBe(0);
    expect(results.groups.map((g: { group: string }) => g.group)).toEqual(['internal_qa', 'vendor_qa']);
    const context = results.questions.find((q: { questionKey: string }) => q.questionKey === 'context');
    expect(context.percent.value).toBeCloseTo(0.75, 12);
    const label = results.questions.find((q: { questionKey: string }) => q.questionKey === 'label');
    expect(label.percent.n).toBe(2);

    const answers = (await as(qaVendorUser)('GET', `/api/calibration/sessions/${sessionId}/answers`)).json();
    expect(answers.items[0].expert).toMatchObject({ labels: [slur], action: 'remove' });
    expect(answers.items[0].ratings).toHaveLength(2);
    // The vendor participant does not see the in-house participant's person record: a pseudonym.
    expect(answers.items[0].ratings.map((r: { name: string }) => r.name)).toEqual(['Participant 1', qaVendor.fullName]);
    const note = await as(qaVendorUser)('POST', `/api/calibration/sessions/${sessionId}/items/${items[0]!.id}/notes`, { body: 'I missed the slur in the second line.' });
    expect(note.statusCode, note.body).toBe(201);
    const withNote = (await as(lead)('GET', `/api/calibration/sessions/${sessionId}/answers`)).json();
    expect(withNote.items[0].notes[0].body).toBe('I missed the slur in the second line.');
    expect(withNote.items[0].ratings.map((r: { name: string }) => r.name)).toEqual([qaInHouse.fullName, qaVendor.fullName]);
    const audits = (await auditRowsFor(database.db, sessionId)).map((a) => a.action);
    expect(audits).toEqual(expect.arrayContaining(['calibration.content_view', 'calibration.submit', 'calibration.close']));
  });

  it('takes items from the gold set, with the gold answer as the expert answer', async () => {
    const gold = await database.db
      .insertInto('gold_items')
      .values({ workflow_id: world.workflowId, content_kind: 'comment', content_text: 'a gold item', severity: 'medium', expert_labels: [dw.labels.threat], expert_action: 'remove', rationale: 'Credible threat' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const listed = (await as(lead)('GET', `/api/calibration/candidates/gold?workflowId=${world.workflowId}`)).json();
    expect(listed.map((g: { goldItemId: string }) => g.goldItemId)).toContain(gold.id);
    const created = await as(lead)('POST', '/api/calibration/sessions', { title: 'Gold', workflowId: world.workflowId, items: [{ source: 'gold', id: gold.id }] });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().items[0]).toMatchObject({ source: 'gold', expert: { labels: [dw.labels.threat], action: 'remove', note: 'Credible threat' } });
    const decisions = (await as(lead)('GET', `/api/calibration/candidates/decisions?workflowId=${world.workflowId}&severity=high`)).json();
    expect(decisions.map((d: { decisionId: string }) => d.decisionId).sort()).toEqual([...decisionIds].sort());
    const v1Only = (await as(vendorLeadV1)('GET', `/api/calibration/candidates/decisions?workflowId=${world.workflowId}`)).json();
    expect(v1Only.map((d: { decisionId: string }) => d.decisionId)).toEqual([decisionIds[0]]);
    const people = (await as(vendorLeadV1)('GET', '/api/calibration/candidates/people')).json();
    expect(people.map((p: { personId: string }) => p.personId)).toEqual([qaVendor.id]);
  });

  it('exports the ratings and the summary as CSV and a PDF report, each audited', async () => {
    const ratings = await as(lead)('GET', `/api/calibration/sessions/${sessionId}/export?format=csv&table=ratings`);
    expect(ratings.statusCode).toBe(200);
    expect(ratings.headers['content-type']).toContain('text/csv');
    const lines = ratings.body.trim().split('\r\n');
    expect(lines[0]).toBe('item,item_ref,participant,group,label,action,expert_label,expert_action,label_matches_expert,action_matches_expert');
    expect(lines).toHaveLength(9);
    const summary = await as(lead)('GET', `/api/calibration/sessions/${sessionId}/export?format=csv&table=summary`);
    expect(summary.body).toContain('agreement,label,krippendorff_alpha_nominal');
    const pdf = await as(lead)('GET', `/api/calibration/sessions/${sessionId}/export?format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const exports = (await auditRowsFor(database.db, sessionId)).filter((a) => a.action === 'calibration.export');
    expect(exports.map((a) => a.details.format)).toEqual(['csv', 'csv', 'pdf']);
    expect((await as(qaVendorUser)('GET', `/api/calibration/sessions/${sessionId}/export?format=csv`)).statusCode).toBe(403);
  });

  it('shows trends per vendor and person, session by session, with intervals', async () => {
    const response = await as(lead)('GET', `/api/calibration/trends?workflowId=${world.workflowId}`);
    expect(response.statusCode, response.body).toBe(200);
    const trends = response.json();
    expect(trends.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual([sessionId]);
    const vendor = trends.vendors.find((v: { key: string }) => v.key === world.vendors[1]!.id);
    expect(vendor.points[0].label).toMatchObject({ x: 2, n: 4 });
    expect(trends.people.map((p: { name: string }) => p.name).sort()).toEqual([qaInHouse.fullName, qaVendor.fullName].sort());
  });
});

describe('exposure to calibration content', () => {
  it("counts a participant's views and reveals of items in their exposure, audits reveals, and keeps it to the session's people", async () => {
    const created = await as(lead)('POST', '/api/calibration/sessions', {
      title: 'Exposure',
      workflowId: world.workflowId,
      items: [{ source: 'decision', id: decisionIds[1] }],
      itemsCsv: itemsCsv(),
      participants: [{ personId: qaVendor.id }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const sessionId = created.json().session.id as string;
    const [decided, uploaded, harmless] = created.json().items as Array<{ id: string }>;
    // The harm type is the agent's decision's, as in the review workspace (the agent found no violation here),
    // never the expert answer's, which the participant must not learn before close.
    const harmType = 'none';
    const before = (await as(qaVendorUser)('GET', '/api/exposure/me')).json().last7Days.byHarmType.find((h: { harmType: string }) => h.harmType === harmType);
    const exposure = (itemId: string, body: { event: 'view' | 'reveal'; seconds: number }) =>
      as(qaVendorUser)('POST', `/api/calibration/sessions/${sessionId}/items/${itemId}/exposure`, body);

    // The decided item belongs to another vendor's agent: a participant records it all the same (a decision read would be 404).
    const view = await exposure(decided!.id, { event: 'view', seconds: 12.34 });
    expect(view.statusCode, view.body).toBe(201);
    expect(view.json()).toMatchObject({ harmType, severity: 'high' });
    expect((await exposure(decided!.id, { event: 'reveal', seconds: 0 })).statusCode).toBe(201);
    // An uploaded item has no agent decision: its expert answer (a slur) must not show through the harm type.
    const uploadedReveal = await exposure(uploaded!.id, { event: 'reveal', seconds: 0 });
    expect(uploadedReveal.statusCode).toBe(201);
    expect(uploadedReveal.json()).toMatchObject({ harmType: 'unclassified', severity: 'high' });
    expect((await exposure(harmless!.id, { event: 'view', seconds: 3 })).json()).toMatchObject({ harmType: 'unclassified' });

    const mine = (await as(qaVendorUser)('GET', '/api/exposure/me')).json().last7Days.byHarmType.find((h: { harmType: string }) => h.harmType === harmType);
    expect(mine.seconds - (before?.seconds ?? 0)).toBeCloseTo(12.3, 5);
    expect(mine.reveals - (before?.reveals ?? 0)).toBe(1);
    const unclassified = (await as(qaVendorUser)('GET', '/api/exposure/me')).json().last7Days.byHarmType.find((h: { harmType: string }) => h.harmType === 'unclassified');
    expect(unclassified).toMatchObject({ reveals: 1, seconds: 3 });
    const rows = await database.db.selectFrom('exposure_records').selectAll().where('user_id', '=', qaVendorUser.id).orderBy('id').execute();
    // A decided item is recorded under its decision (the same content in a review and a calibration counts once).
    expect(rows.slice(-4).map((r) => [r.decision_id, r.event, r.person_id])).toEqual([
      [decisionIds[1], 'view', qaVendor.id],
      [decisionIds[1], 'reveal', qaVendor.id],
      [uploaded!.id, 'reveal', qaVendor.id],
      [harmless!.id, 'view', qaVendor.id],
    ]);

    const decisionAudit = (await auditRowsFor(database.db, decisionIds[1]!)).filter((a) => a.action === 'decision.content_reveal');
    expect(decisionAudit.at(-1)).toMatchObject({ actor_user_id: qaVendorUser.id, details: { via: 'calibration', sessionId, itemId: decided!.id } });
    expect((await auditRowsFor(database.db, uploaded!.id)).map((a) => a.action)).toEqual(['calibration.content_reveal']);

    // The lead may record what their own screens show; anyone else finds no such session.
    expect((await as(lead)('POST', `/api/calibration/sessions/${sessionId}/items/${uploaded!.id}/exposure`, { event: 'view', seconds: 2 })).statusCode).toBe(201);
    expect((await as(qaInHouseUser)('POST', `/api/calibration/sessions/${sessionId}/items/${uploaded!.id}/exposure`, { event: 'view', seconds: 2 })).statusCode).toBe(404);
    expect((await as(vendorLeadV2)('POST', `/api/calibration/sessions/${sessionId}/items/${uploaded!.id}/exposure`, { event: 'view', seconds: 2 })).statusCode).toBe(404);
    expect((await exposure('00000000-0000-4000-8000-000000000000', { event: 'view', seconds: 2 })).statusCode).toBe(404);
    expect((await exposure(uploaded!.id, { event: 'view', seconds: -1 })).statusCode).toBe(422);
  });
});

describe('the calibration API in /api/openapi.json', () => {
  it('documents every answer of every calibration route with its shape, none left untyped', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const paths = response.json().paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> }>>;
    const documented = Object.entries(paths)
      .filter(([path]) => path.startsWith('/api/calibration/') && !path.endsWith('/export'))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => {
          const success = Object.entries(op.responses).find(([code]) => code.startsWith('2'))!;
          const schema = success[1].content?.['application/json']?.schema ?? {};
          return { route: `${method.toUpperCase()} ${path}`, typed: Object.keys(schema).some((k) => ['type', 'allOf', 'anyOf', '$ref'].includes(k)) };
        }),
      );
    expect(documented.length).toBeGreaterThanOrEqual(19);
    expect(documented.filter((d) => !d.typed)).toEqual([]);
    const detail = paths['/api/calibration/sessions/{id}']!.get!.responses['200']!.content!['application/json']!.schema as { properties: Record<string, unknown> };
    expect(Object.keys(detail.properties).sort()).toEqual(['actionOptions', 'items', 'labelOptions', 'participants', 'scorecard', 'session']);
  });
});
