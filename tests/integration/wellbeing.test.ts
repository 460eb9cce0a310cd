import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_LIMITS } from '../../src/domain/wellbeing/wellbeing.rules.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldUser } from '../support/org-world.ts';
import { addDecisionCatalogue, type DecisionWorld } from '../support/decision-world.ts';
import { insertSampledDecisions } from '../support/decision-fixtures.ts';
import { auditRowsFor } from '../support/audit-trail.ts';

/**
 * Wellbeing on a real PostgreSQL: the administrator's limits, personal
 * preferences within them, exposure records (and the audited reveal), a
 * person's own exposure, and the aggregate-only summary.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let dw: DecisionWorld;
let admin: WorldUser;
let agent: WorldUser;
let vendorLead: WorldUser;
let specialist: WorldUser;

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  dw = await addDecisionCatalogue(database.db, world);
  admin = await addUser(database.db, world, 'admin', 'all', 'wb-admin');
  agent = await addUser(database.db, world, 'agent', 'self', 'wb-agent');
  vendorLead = await addUser(database.db, world, 'qa_lead', 'vendor', 'wb-lead');
  specialist = await addUser(database.db, world, 'qa_specialist', 'vendor', 'wb-specialist');
  app = await buildTestServer(database.db);
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('limits and preferences', () => {
  it('an administrator sets validated limits (audited); people choose within them', async () => {
    const asAdmin = tokenClient(app, admin.token);
    expect((await asAdmin('GET', '/api/wellbeing/settings')).json()).toEqual(DEFAULT_LIMITS);
    const bad = await asAdmin('PUT', '/api/wellbeing/settings', { ...DEFAULT_LIMITS, high: { ...DEFAULT_LIMITS.high, blur: 'sometimes' } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details[0].path).toMatch(/^\/high\/blur/);
    const limits = { ...DEFAULT_LIMITS, low: { blur: 'always', greyscale: 'default_off', mute: 'default_off', warningScreen: false } };
    const put = await asAdmin('PUT', '/api/wellbeing/settings', limits);
    expect(put.statusCode, put.body).toBe(200);
    expect((await auditRowsFor(database.db, 'wellbeing')).map((a) => a.action)).toEqual(['wellbeing.limits_update']);
    expect((await tokenClient(app, agent.token)('PUT', '/api/wellbeing/settings', limits)).statusCode).toBe(403);

    const asAgent = tokenClient(app, agent.token);
    const refused = await asAgent('PUT', '/api/wellbeing/preferences', { low: { blur: false } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details).toEqual([expect.objectContaining({ path: '/low/blur' })]);
    const ok = await asAgent('PUT', '/api/wellbeing/preferences', { medium: { blur: false }, none: { greyscale: true } });
    expect(ok.statusCode, ok.body).toBe(200);
    const view = (await asAgent('GET', '/api/wellbeing/preferences')).json();
    expect(view.preferences).toEqual({ medium: { blur: false }, none: { greyscale: true } });
    expect(view.effective.find((e: { tier: string }) => e.tier === 'medium')).toMatchObject({ blur: false, mute: true });
    expect(view.effective.find((e: { tier: string }) => e.tier === 'low')).toMatchObject({ blur: true, adjustable: ['greyscale', 'mute'] });
    // Someone else's preferences are their own.
    expect((await tokenClient(app, admin.token)('GET', '/api/wellbeing/preferences')).json().preferences).toEqual({});
  });
});

describe('exposure', () => {
  it('records views and reveals by harm type (a reveal is audited), 404 outside scope, own totals, aggregates only', async () => {
    const self = world.people.find((p) => p.id === agent.scope.personId)!;
    const otherVendorAgent = world.people.find((p) => p.vendorId === world.vendors[2]!.id && p.teamId !== null)!;
    const [mine, clean, foreign] = await insertSampledDecisions(database.db, [
      { agent: self, workflowId: world.workflowId, labels: [dw.labels.slur, dw.labels.threat], severity: 'critical', action: 'remove' },
      { agent: self, workflowId: world.workflowId },
      { agent: otherVendorAgent, workflowId: world.workflowId, labels: [dw.labels.slur], severity: 'high', action: 'remove' },
    ]);
    const asAgent = tokenClient(app, agent.token);
    const view = await asAgent('POST', '/api/exposure', { decisionId: mine, event: 'view', seconds: 12.5 });
    expect(view.statusCode, view.body).toBe(201);
    expect(view.json()).toMatchObject({ harmType: `abuse_${world.tag}`, severity: 'critical' });
    expect((await asAgent('POST', '/api/exposure', { decisionId: mine, event: 'reveal', seconds: 4 })).statusCode).toBe(201);
    expect((await asAgent('POST', '/api/exposure', { decisionId: clean, event: 'view', seconds: 3 })).json().harmType).toBe('none');
    expect((await asAgent('POST', '/api/exposure', { decisionId: foreign, event: 'view', seconds: 3 })).statusCode).toBe(404);

    const audits = await auditRowsFor(database.db, mine!);
    expect(audits.map((a) => a.action)).toEqual(['decision.content_reveal']);
    const rows = await database.db.selectFrom('exposure_records').selectAll().where('user_id', '=', agent.id).orderBy('id').execute();
    expect(rows.map((r) => [r.event, r.harm_type, Number(r.seconds), r.person_id, r.viewer_vendor_id])).toEqual([
      ['view', `abuse_${world.tag}`, 12.5, self.id, world.vendors[1]!.id],
      ['reveal', `abuse_${world.tag}`, 4, self.id, world.vendors[1]!.id],
      ['view', 'none', 3, self.id, world.vendors[1]!.id],
    ]);

    const me = (await asAgent('GET', '/api/exposure/me')).json();
    expect(me.last7Days).toEqual({
      totalSeconds: 19.5,
      totalItems: 2,
      byHarmType: [
        { harmType: `abuse_${world.tag}`, seconds: 16.5, items: 1, reveals: 1 },
        { harmType: 'none', seconds: 3, items: 1, reveals: 0 },
      ],
    });
    expect(me.last30Days).toEqual(me.last7Days);

    // The admin's own view of something: another viewer vendor (none: scope all).
    await tokenClient(app, admin.token)('POST', '/api/exposure', { decisionId: foreign, event: 'view', seconds: 10 });
    const summary = await tokenClient(app, admin.token)('GET', '/api/exposure/summary?days=7');
    expect(summary.statusCode, summary.body).toBe(200);
    const items = summary.json().items;
    expect(items).toContainEqual({ vendorId: world.vendors[1]!.id, vendorName: world.vendors[1]!.name, harmType: `abuse_${world.tag}`, people: 1, items: 1, seconds: 16.5, reveals: 1 });
    expect(JSON.stringify(summary.json())).not.toContain(self.id);
    // A vendor's QA lead sees their vendor's viewers only.
    const lead = (await tokenClient(app, vendorLead.token)('GET', '/api/exposure/summary')).json().items;
    expect(lead.length).toBeGreaterThan(0);
    expect(lead.every((i: { vendorId: string }) => i.vendorId === world.vendors[1]!.id)).toBe(true);
    expect((await tokenClient(app, specialist.token)('GET', '/api/exposure/summary')).statusCode).toBe(403);
  });
});
