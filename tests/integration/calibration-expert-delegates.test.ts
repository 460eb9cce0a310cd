import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { JobRole } from '../../src/db/schema.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import type { ScopeKind } from '../../src/domain/access/scope.ts';
import type { ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';
import { applyViewer } from '../../src/db/scoped.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { buildWorld, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';
import { addDecisionCatalogue, type DecisionWorld } from '../support/decision-world.ts';
import { addReviewedDecision as addReviewedDecisionOf, calibrationPeople } from '../support/calibration-world.ts';
import { auditRowsFor } from '../support/audit-trail.ts';
import { publishScorecard } from '../support/scorecard-fixtures.ts';

/**
 * A calibration's lead delegates setting the expert answers to an invited
 * policy SME (docs/decisions/0010, migration 0018): only the SME group, only
 * while open, audited; the SME sets answers through the API (audited as
 * delegated) and directly under row-level security, a rater can do neither;
 * the SME does not rate and is left out of counts and figures; and the SME
 * never sees the raters' answers before close.
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
      ],
    },
  ],
  rootCauses: [{ key: 'policy_gap', label: 'Policy knowledge gap' }],
  commentRequiredOnFail: false,
  passMark: 80,
};

let lead: WorldUser;
let vendorLeadV2: WorldUser;
let leadPerson: WorldPerson;
let qaInHouse: WorldPerson;
let qaVendor: WorldPerson;
let sme: WorldPerson;
let qaInHouseUser: WorldUser;
let qaVendorUser: WorldUser;
let smeUser: WorldUser;
let decisionId: string;



let people: ReturnType<typeof calibrationPeople>;
const addPerson = (vendor: number, jobRole: JobRole) => people.addPerson(vendor, jobRole);
const linkedUser = (role: Role, kind: ScopeKind, person: WorldPerson | null, vendor = 1) => people.linkedUser(role, kind, person, vendor);
/** A decision the agent left up, reviewed as slur + remove. */
const addReviewedDecision = (scorecardId: string) => addReviewedDecisionOf(database.db, world, dw, { scorecardId, vendor: 1, reviewer: leadPerson });

/** What a direct UPDATE of an item's expert answer does under the given person's row-level security. */
async function directExpertUpdate(user: WorldUser, person: WorldPerson, itemId: string): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    await applyViewer(trx, { userId: user.id, personId: person.id, scope: user.scope });
    const result = await trx.updateTable('calibration_items').set({ expert_action: 'no_action', expert_labels: [] }).where('id', '=', itemId).executeTakeFirst();
    return Number(result.numUpdatedRows);
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  people = calibrationPeople(database.db, world);
  dw = await addDecisionCatalogue(database.db, world);
  app = await buildTestServer(database.db);
  const scorecard = await publishScorecard(database.db, world.workflowId, DEFINITION);
  leadPerson = await addPerson(0, 'qa_lead');
  qaInHouse = await addPerson(0, 'qa_specialist');
  qaVendor = await addPerson(1, 'qa_specialist');
  sme = await addPerson(0, 'policy_sme');
  lead = await linkedUser('qa_lead', 'all', leadPerson);
  vendorLeadV2 = await linkedUser('qa_lead', 'vendor', null, 2);
  qaInHouseUser = await linkedUser('qa_specialist', 'all', qaInHouse);
  qaVendorUser = await linkedUser('qa_specialist', 'vendor', qaVendor, 1);
  smeUser = await linkedUser('policy_sme', 'all', sme);
  decisionId = await addReviewedDecision(scorecard.id);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const as = (user: WorldUser) => tokenClient(app, user.token);

describe('a policy SME delegated to set the expert answers', () => {
  let sessionId: string;
  let items: Array<{ id: string; position: number; ref: string; expert: { labels: string[]; action: string } | null }>;
  let participants: Array<{ id: string; personId: string; group: string; setsExpert: boolean }>;
  const participantOf = (person: WorldPerson) => participants.find((p) => p.personId === person.id)!;

  it('creates an organisation-wide session with two raters and the SME, who rated an item before being delegated', async () => {
    const csv = ['ref,content_text,severity,expert_labels,expert_action', `up-1,"you people are vermin",high,${dw.labels.slur},remove`, 'up-2,"great match last night",,none,no_action'].join('\n');
    const created = await as(lead)('POST', '/api/calibration/sessions', {
      title: 'SME-led calibration',
      workflowId: world.workflowId,
      items: [{ source: 'decision', id: decisionId }],
      itemsCsv: csv,
      participants: [{ personId: qaInHouse.id }, { personId: qaVendor.id }, { personId: sme.id }],
    });
    expect(created.statusCode, created.body).toBe(201);
    sessionId = created.json().session.id;
    items = created.json().items;
    participants = created.json().participants;
    expect(participants.map((p) => [p.group, p.setsExpert])).toEqual([['internal_qa', false], ['vendor_qa', false], ['sme', false]]);
    expect(created.json().session).toMatchObject({ participants: 3, submitted: 0 });
    const rated = await as(smeUser)('PUT', `/api/calibration/sessions/${sessionId}/take/items/${items[0]!.id}`, { labels: [], action: 'no_action' });
    expect(rated.statusCode, rated.body).toBe(200);
  });

  it('refuses to delegate to a participant outside the SME group, to anyone but the lead, or an unknown participant', async () => {
    const refused = await as(lead)('PATCH', `/api/calibration/sessions/${sessionId}/participants/${participantOf(qaVendor).id}`, { setsExpert: true });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details).toEqual([{ path: '/setsExpert', message: expect.stringContaining('policy SME') }]);
    expect((await as(qaInHouseUser)('PATCH', `/api/calibration/sessions/${sessionId}/participants/${participantOf(sme).id}`, { setsExpert: true })).statusCode).toBe(403);
    expect((await as(vendorLeadV2)('PATCH', `/api/calibration/sessions/${sessionId}/participants/${participantOf(sme).id}`, { setsExpert: true })).statusCode).toBe(404);
    expect((await as(lead)('PATCH', `/api/calibration/sessions/${sessionId}/participants/${items[0]!.id}`, { setsExpert: true })).statusCode).toBe(404);
    expect((await as(lead)('PATCH', `/api/calibration/sessions/${sessionId}/participants/${participantOf(sme).id}`, { setsExpert: 'yes' })).statusCode).toBe(422);
  });

  it('delegates, clears and delegates again, each change audited; the SME leaves the rater counts', async () => {
    const path = `/api/calibration/sessions/${sessionId}/participants/${participantOf(sme).id}`;
    const set = await as(lead)('PATCH', path, { setsExpert: true });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().participants.find((p: { personId: string }) => p.personId === sme.id).setsExpert).toBe(true);
    expect(set.json().session).toMatchObject({ participants: 2, submitted: 0 });
    expect((await as(lead)('PATCH', path, { setsExpert: false })).json().session.participants).toBe(3);
    const again = await as(lead)('PATCH', path, { setsExpert: true });
    expect(again.json().session.participants).toBe(2);
    // The same flag again is no change: no audit entry.
    await as(lead)('PATCH', path, { setsExpert: true });
    const audits = (await auditRowsFor(database.db, sessionId)).filter((a) => a.action === 'calibration.expert_delegate');
    expect(audits.map((a) => (a.details as { setsExpert: boolean }).setsExpert)).toEqual([true, false, true]);
    const mine = (await as(smeUser)('GET', '/api/calibration/mine')).json();
    expect(mine.items.find((s: { id: string }) => s.id === sessionId)).toMatchObject({ setsExpert: true });
  });

  it("gives the SME the items, agent decisions and expert answers, counts their exposure, but no one's ratings", async () => {
    for (const [user, item] of [[qaInHouseUser, items[0]!], [qaVendorUser, items[0]!]] as const) {
      const saved = await as(user)('PUT', `/api/calibration/sessions/${sessionId}/take/items/${item.id}`, { labels: [dw.labels.slur], action: 'remove' });
      expect(saved.statusCode, saved.body).toBe(200);
    }
    const view = await as(smeUser)('GET', `/api/calibration/sessions/${sessionId}/expert`);
    expect(view.statusCode, view.body).toBe(200);
    const body = view.json();
    expect(body.items).toHaveLength(3);
    expect(body.items[0]).toMatchObject({ source: 'decision', agentDecision: { labels: [], action: 'no_action' }, expert: { labels: [dw.labels.slur], action: 'remove' } });
    expect(body.items[0].wellbeing.tier).toBe('high');
    expect(body.items[1].content.text).toBe('you people are vermin');
    expect(JSON.stringify(body)).not.toMatch(/myRating|ratedItems|"ratings"/);
    // Row-level security: a direct read shows the SME only their own (pre-delegation) rating, no rater's.
    const visible = await database.db.transaction().execute(async (trx) => {
      await applyViewer(trx, { userId: smeUser.id, personId: sme.id, scope: smeUser.scope });
      return trx.selectFrom('calibration_ratings').select('participant_id').where('session_id', '=', sessionId).execute();
    });
    expect(visible.map((r) => r.participant_id)).toEqual([participantOf(sme).id]);
    const exposure = await as(smeUser)('POST', `/api/calibration/sessions/${sessionId}/items/${items[1]!.id}/exposure`, { event: 'view', seconds: 12 });
    expect(exposure.statusCode, exposure.body).toBe(201);
    expect((await auditRowsFor(database.db, sessionId)).some((a) => a.action === 'calibration.content_view' && (a.details as { via: string }).via === 'expert')).toBe(true);

    expect((await as(qaVendorUser)('GET', `/api/calibration/sessions/${sessionId}/expert`)).statusCode).toBe(403);
    expect((await as(vendorLeadV2)('GET', `/api/calibration/sessions/${sessionId}/expert`)).statusCode).toBe(404);
  });

  it('does not let the SME rate: their answers are the reference', async () => {
    expect((await as(smeUser)('GET', `/api/calibration/sessions/${sessionId}/take`)).statusCode).toBe(409);
    expect((await as(smeUser)('PUT', `/api/calibration/sessions/${sessionId}/take/items/${items[1]!.id}`, { labels: [], action: 'no_action' })).statusCode).toBe(409);
    expect((await as(smeUser)('POST', `/api/calibration/sessions/${sessionId}/take/submit`)).statusCode).toBe(409);
  });

  it('lets the SME set an expert answer, audited as delegated; a rater can do it neither through the API nor directly', async () => {
    const set = await as(smeUser)('PUT', `/api/calibration/sessions/${sessionId}/items/${items[2]!.id}/expert`, { labels: [dw.labels.slur], action: 'remove', note: 'Sarcasm aimed at a group: a slur in context.' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ labels: [dw.labels.slur], action: 'remove', note: 'Sarcasm aimed at a group: a slur in context.' });
    const entry = (await auditRowsFor(database.db, items[2]!.id)).find((a) => a.action === 'calibration.expert_answer')!;
    expect(entry.details).toMatchObject({ delegated: true, sessionId });
    const invalid = await as(smeUser)('PUT', `/api/calibration/sessions/${sessionId}/items/${items[2]!.id}/expert`, { labels: ['nope.label'], action: 'remove' });
    expect(invalid.statusCode).toBe(422);

    expect((await as(qaVendorUser)('PUT', `/api/calibration/sessions/${sessionId}/items/${items[2]!.id}/expert`, { labels: [], action: 'no_action' })).statusCode).toBe(403);
    // Scope all does not make a rater a manager of the reference.
    expect((await as(qaInHouseUser)('PUT', `/api/calibration/sessions/${sessionId}/items/${items[2]!.id}/expert`, { labels: [], action: 'no_action' })).statusCode).toBe(403);
    expect((await as(vendorLeadV2)('PUT', `/api/calibration/sessions/${sessionId}/items/${items[2]!.id}/expert`, { labels: [], action: 'no_action' })).statusCode).toBe(404);

    // Row-level security: raters' direct updates touch nothing; the delegate's does.
    expect(await directExpertUpdate(qaVendorUser, qaVendor, items[2]!.id)).toBe(0);
    expect(await directExpertUpdate(qaInHouseUser, qaInHouse, items[2]!.id)).toBe(0);
    const stored = await database.db.selectFrom('calibration_items').select(['expert_action']).where('id', '=', items[2]!.id).executeTakeFirstOrThrow();
    expect(stored.expert_action).toBe('remove');
    // Nor can a rater delegate themselves by updating their own participant row.
    await expect(
      database.db.transaction().execute(async (trx) => {
        await applyViewer(trx, { userId: qaVendorUser.id, personId: qaVendor.id, scope: qaVendorUser.scope });
        await trx.updateTable('calibration_participants').set({ sets_expert: true }).where('id', '=', participantOf(qaVendor).id).execute();
      }),
    ).rejects.toThrow();
    // A rater with scope all cannot take the delegation away from the SME either: their update matches no row.
    const cleared = await database.db.transaction().execute(async (trx) => {
      await applyViewer(trx, { userId: qaInHouseUser.id, personId: qaInHouse.id, scope: qaInHouseUser.scope });
      const result = await trx.updateTable('calibration_participants').set({ sets_expert: false }).where('id', '=', participantOf(sme).id).executeTakeFirst();
      return Number(result.numUpdatedRows);
    });
    expect(cleared).toBe(0);
    const flags = await database.db.selectFrom('calibration_participants').select(['id', 'sets_expert']).where('session_id', '=', sessionId).orderBy('position').execute();
    expect(flags.map((f) => f.sets_expert)).toEqual([false, false, true]);
    expect(await directExpertUpdate(smeUser, sme, items[2]!.id)).toBe(1);
    // Put the SME's answer back through the API (the direct update above was only the policy's check).
    expect((await as(smeUser)('PUT', `/api/calibration/sessions/${sessionId}/items/${items[2]!.id}/expert`, { labels: [dw.labels.slur], action: 'remove' })).statusCode).toBe(200);
  });

  it('leaves the SME out of submission and the figures; closing needs every expert answer', async () => {
    for (const user of [qaInHouseUser, qaVendorUser]) {
      for (const item of items.slice(1)) {
        // In-house QA gives the expert's answer (slur + remove on both), vendor QA leaves both up.
        const verdict = user === qaInHouseUser ? { labels: [dw.labels.slur], action: 'remove' } : { labels: [], action: 'no_action' };
        const saved = await as(user)('PUT', `/api/calibration/sessions/${sessionId}/take/items/${item.id}`, verdict);
        expect(saved.statusCode, saved.body).toBe(200);
      }
      expect((await as(user)('POST', `/api/calibration/sessions/${sessionId}/take/submit`)).statusCode).toBe(200);
    }
    const detail = (await as(lead)('GET', `/api/calibration/sessions/${sessionId}`)).json();
    expect(detail.session).toMatchObject({ participants: 2, submitted: 2 });

    await database.db.updateTable('calibration_items').set({ expert_action: null, expert_labels: null }).where('id', '=', items[1]!.id).execute();
    const blocked = await as(lead)('POST', `/api/calibration/sessions/${sessionId}/close`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.details).toEqual([{ path: `/items/${items[1]!.id}/expert`, message: 'Item 2 has no expert answer.' }]);
    expect((await as(smeUser)('PUT', `/api/calibration/sessions/${sessionId}/items/${items[1]!.id}/expert`, { labels: [dw.labels.slur], action: 'remove' })).statusCode).toBe(200);
    expect((await as(lead)('POST', `/api/calibration/sessions/${sessionId}/close`)).statusCode).toBe(200);

    const { results } = (await as(smeUser)('GET', `/api/calibration/sessions/${sessionId}/results`)).json();
    expect(results.participants).toBe(2);
    expect(results.alignment.map((a: { participantId: string }) => a.participantId)).toEqual([participantOf(qaInHouse).id, participantOf(qaVendor).id]);
    expect(results.alignment[0]).toMatchObject({ label: { x: 3, n: 3 } });
    expect(results.alignment[1]).toMatchObject({ label: { x: 1, n: 3 } });
    expect(results.groups.map((g: { group: string }) => g.group)).toEqual(['internal_qa', 'vendor_qa']);
    expect(results.label.ratings).toBe(6);
    const answers = (await as(lead)('GET', `/api/calibration/sessions/${sessionId}/answers`)).json();
    expect(answers.items[0].ratings.map((r: { participantId: string }) => r.participantId)).not.toContain(participantOf(sme).id);
    const csv = await as(lead)('GET', `/api/calibration/sessions/${sessionId}/export?format=csv&table=ratings`);
    expect(csv.body).not.toContain(sme.fullName);

    // Closed: no more delegation changes, no more expert answers, not even directly.
    expect((await as(lead)('PATCH', `/api/calibration/sessions/${sessionId}/participants/${participantOf(sme).id}`, { setsExpert: false })).statusCode).toBe(409);
    expect((await as(smeUser)('PUT', `/api/calibration/sessions/${sessionId}/items/${items[2]!.id}/expert`, { labels: [], action: 'no_action' })).statusCode).toBe(409);
    expect(await directExpertUpdate(smeUser, sme, items[2]!.id)).toBe(0);
  });
});
