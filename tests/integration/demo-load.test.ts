import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/load-demo.ts';
import { generateDemoData, type DemoData } from '../../src/demo/demo-data.ts';
import { generateDemoDecisions } from '../../src/demo/demo-decisions.ts';
import { AppError } from '../../src/domain/errors.ts';
import { resolveScope } from '../../src/domain/auth/auth.service.ts';
import { findUserByEmail } from '../../src/db/repositories/users.repository.ts';
import { withViewer } from '../../src/db/scoped.ts';
import { DEMO_REVIEW_STORY } from '../../src/demo/demo-reviews.ts';
import type { Answer, ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';
import { checkAnswers, scoreReview } from '../../src/domain/reviews/scoring.rules.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { BrowserSession, buildTestServer } from '../support/test-app.ts';

/**
 * The demo organisation loaded into a fresh database (with 2% of its decision
 * volume, at a fixed load time), and what its sign-ins see.
 */
const NOW = new Date('2026-11-25T15:30:00Z');
const SCALE = 0.02;
const OPTIONS = { seed: 7, today: '2026-11-25', now: NOW, decisionScale: SCALE };
const ORG_TABLES = [
  'enforcement_actions', 'workflows', 'policies', 'workflow_policies', 'policy_versions', 'policy_labels',
  'policy_version_actions', 'vendors', 'sites', 'teams', 'people', 'person_workflow_skills', 'users',
] as const;
const TABLES = [
  ...ORG_TABLES, 'audit_log', 'sampling_plan_versions', 'decisions', 'production_daily', 'qa_samples', 'qa_tasks', 'sampling_day_closes',
  'reviews', 'review_revisions', 'disputes', 'exposure_records',
] as const;
type Table = (typeof TABLES)[number];
const DAY_MS = 86_400_000;

let database: TestDatabase;
let app: FastifyInstance;
let expected: DemoData;
let returned: DemoData;
let afterLoad: Record<Table, number>;

beforeAll(async () => {
  database = await createTestDatabase();
  expected = generateDemoData(OPTIONS);
  returned = await loadDemo(database.db, OPTIONS);
  afterLoad = await counts();
  app = await buildTestServer(database.db, { maxFailures: 50 });
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function counts(): Promise<Record<Table, number>> {
  const out = {} as Record<Table, number>;
  for (const table of TABLES) {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(database.db);
    out[table] = rows[0]!.n;
  }
  return out;
}

const vendorKeyOfSite = () => new Map(expected.sites.map((s) => [s.key, s.vendorKey]));
const ids = (body: { items: Array<{ id: string }> }) => new Set(body.items.map((item) => item.id));

async function signedIn(email: string): Promise<BrowserSession> {
  const browser = new BrowserSession(app);
  const response = await browser.signIn(email, DEMO_PASSWORD);
  expect(response.statusCode, `${email}: ${response.body}`).toBe(200);
  return browser;
}

describe('loading the demo', () => {
  it('returns the generated data and stores exactly its rows', async () => {
    expect(returned).toEqual(expected);
    const versions = expected.policies.flatMap((p) => p.versions);
    const org = Object.fromEntries(ORG_TABLES.map((t) => [t, afterLoad[t]]));
    expect(org).toEqual({
      enforcement_actions: expected.actions.length,
      workflows: expected.workflows.length,
      policies: expected.policies.length,
      workflow_policies: expected.workflows.reduce((n, w) => n + w.policyKeys.length, 0),
      policy_versions: versions.length,
      policy_labels: versions.reduce((n, v) => n + v.labels.length, 0),
      policy_version_actions: versions.reduce((n, v) => n + v.allowedActions.length, 0),
      vendors: expected.vendors.length,
      sites: expected.sites.length,
      teams: expected.teams.length,
      people: expected.people.length,
      person_workflow_skills: expected.people.reduce((n, p) => n + p.workflowKeys.length, 0),
      users: expected.users.length,
    });
    const storedPeople = await database.db.selectFrom('people').select(['id', 'full_name', 'email']).execute();
    expect(new Set(storedPeople.map((p) => p.id))).toEqual(new Set(expected.people.map((p) => p.id)));
  });

  it('audits the load as demo.load with the seed and counts, then the plans and the ingestion', async () => {
    const actions = await database.db.selectFrom('audit_log').select('action').orderBy('id').execute();
    expect(new Set(actions.map((a) => a.action))).toEqual(
      // The demo scorecards go through the editor's draft-and-publish path.
      // The xAPI demo (src/demo/demo-xapi.ts) makes its LRS credential through the credential service;
      // the calibration, auditing and training demos write their history rows directly, unaudited.
      new Set(['demo.load', 'sampling_plan.draft_create', 'sampling_plan.activate', 'scorecard.draft', 'scorecard.update', 'scorecard.publish', 'decisions.ingest', 'xapi_credential.create']),
    );
    // One read credential for the quality data warehouse, one write credential per outsourced vendor's LMS.
    expect(actions.filter((a) => a.action === 'xapi_credential.create')).toHaveLength(1 + expected.vendors.filter((v) => !v.isInHouse).length);
    const entries = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'demo.load').execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor_label: 'demo', actor_user_id: null, vendor_id: null });
    expect(entries[0]!.details).toMatchObject({
      seed: 7, today: OPTIONS.today, decisionScale: SCALE, now: NOW.toISOString(), vendors: expected.vendors.length, sites: expected.sites.length, people: expected.people.length, policies: expected.policies.length,
    });
  });

  it('refuses a second load with CONFLICT and changes nothing', async () => {
    const before = await counts();
    const second = await loadDemo(database.db, { ...OPTIONS, seed: 8 }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(second).toBeInstanceOf(AppError);
    expect((second as AppError).code).toBe('CONFLICT');
    expect(await counts()).toEqual(before);
    await expect(loadDemo(database.db, OPTIONS)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await counts()).toEqual(before);
  });
});

describe('the demo sign-ins', () => {
  it('each sign in with the demo password, with the role and scope of the demo data', async () => {
    for (const user of expected.users) {
      const browser = new BrowserSession(app);
      const response = await browser.signIn(user.email, DEMO_PASSWORD);
      expect(response.statusCode, user.email).toBe(200);
      expect(response.json().user).toMatchObject({ id: user.id, email: user.email, role: user.role, scope: { kind: user.scope.kind } });
      expect((await browser.request('GET', '/api/auth/me')).statusCode).toBe(200);
    }
    expect((await new BrowserSession(app).signIn(expected.users[0]!.email, `${DEMO_PASSWORD}x`)).statusCode).toBe(401);
  });

  it("shows a vendor manager exactly their vendor's sites, teams and people", async () => {
    const vm = expected.users.find((u) => u.role === 'vendor_manager')!;
    const vendor = expected.vendors.find((v) => v.key === vm.scope.refKey)!;
    const siteVendor = vendorKeyOfSite();
    const browser = await signedIn(vm.email);

    const vendors = (await browser.request('GET', '/api/vendors?limit=500')).json();
    expect(ids(vendors)).toEqual(new Set([vendor.id]));
    const sites = (await browser.request('GET', '/api/sites?limit=500')).json();
    expect(ids(sites)).toEqual(new Set(expected.sites.filter((s) => s.vendorKey === vendor.key).map((s) => s.id)));
    const teams = (await browser.request('GET', '/api/teams?limit=500')).json();
    expect(ids(teams)).toEqual(new Set(expected.teams.filter((t) => siteVendor.get(t.siteKey) === vendor.key).map((t) => t.id)));

    const ownPeople = expected.people.filter((p) => siteVendor.get(p.siteKey) === vendor.key);
    expect(ownPeople.length).toBeGreaterThan(0);
    expect(ownPeople.length).toBeLessThan(expected.people.length);
    const people = (await browser.request('GET', '/api/people?limit=500')).json();
    expect(people.total).toBe(ownPeople.length);
    expect(ids(people)).toEqual(new Set(ownPeople.map((p) => p.id)));

    const stranger = expected.people.find((p) => siteVendor.get(p.siteKey) !== vendor.key)!;
    expect((await browser.request('GET', `/api/people/${stranger.id}`)).statusCode).toBe(404);
  });

  it("shows the site-scoped trainer only their site's people", async () => {
    const trainer = expected.users.find((u) => u.scope.kind === 'site')!;
    const site = expected.sites.find((s) => s.key === trainer.scope.refKey)!;
    const people = (await (await signedIn(trainer.email)).request('GET', '/api/people?limit=500')).json();
    expect(ids(people)).toEqual(new Set(expected.people.filter((p) => p.siteKey === site.key).map((p) => p.id)));
  });

  it('limits the agent (scope self) to their own person record', async () => {
    const agent = expected.users.find((u) => u.scope.kind === 'self')!;
    const person = expected.people.find((p) => p.key === agent.personKey)!;
    const browser = await signedIn(agent.email);
    const me = (await browser.request('GET', '/api/auth/me')).json();
    expect(me.user).toMatchObject({ personId: person.id, scope: { kind: 'self', refId: person.id } });
    // Through the API they see one person: themselves.
    const listed = await browser.request('GET', '/api/people?limit=500');
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toMatchObject({ total: 1, items: [{ id: person.id }] });
    const colleague = expected.people.find((p) => p.teamKey === person.teamKey && p.id !== person.id)!;
    expect((await browser.request('GET', `/api/people/${colleague.id}`)).statusCode).toBe(404);
    // And so does the database under their scope.
    const row = (await findUserByEmail(database.db, agent.email))!;
    const scope = await resolveScope(database.db, row);
    const visible = await withViewer(database.db, { userId: row.id, scope }, (trx) => trx.selectFrom('people').select('id').execute());
    expect(visible.map((p) => p.id)).toEqual([person.id]);
  });
});

describe('the demo decisions', () => {
  const generated = () => [...generateDemoDecisions(expected, { seed: 7, today: OPTIONS.today, scale: SCALE, until: NOW.toISOString() })].map((r) => r.input);
  const count = async (query: ReturnType<typeof sql<{ n: number }>>) => (await query.execute(database.db)).rows[0]!.n;

  it('stores exactly the generated decisions, none rejected, with their production aggregates', async () => {
    const inputs = generated();
    expect(inputs.length).toBeGreaterThan(8_000);
    // On top of the generated decisions: the agents' answers to gold items fed upstream (demo-auditing.ts),
    // ingested after them with the feed item as external id, each scored once into gold_responses.
    const goldAnswers = await database.db.selectFrom('decisions as d').innerJoin('gold_responses as g', 'g.decision_id', 'd.id').select(['d.source', 'd.external_id', 'd.labels']).execute();
    expect(goldAnswers.length).toBeGreaterThan(0);
    expect(new Set(goldAnswers.map((d) => d.external_id)).size).toBe(goldAnswers.length);
    expect(afterLoad.decisions).toBe(inputs.length + goldAnswers.length);
    const stored = await database.db.selectFrom('decisions').select(['source', 'external_id']).execute();
    expect(new Set(stored.map((d) => `${d.source}/${d.external_id}`))).toEqual(new Set([...inputs, ...goldAnswers].map((i) => `${i.source}/${i.external_id}`)));
    const ingests = await database.db.selectFrom('audit_log').select('details').where('action', '=', 'decisions.ingest').orderBy('id').execute();
    expect(ingests.map((i) => i.details)).toMatchObject([
      { accepted: inputs.length, rejected: 0 },
      { accepted: goldAnswers.length, rejected: 0 },
    ]);
    // Gold answers are never sampled (kept out of the frame at ingestion and at the day close).
    const sampledGold = await count(sql<{ n: number }>`SELECT count(*)::int AS n FROM qa_samples s JOIN gold_responses g ON g.decision_id = s.decision_id`);
    expect(sampledGold).toBe(0);

    const totals = (await sql<{ share: number; unlabelled: number }>`
      SELECT round(sum(decision_share))::int AS share, sum(decisions) FILTER (WHERE label = '')::int AS unlabelled FROM production_daily`.execute(database.db)).rows[0]!;
    expect(totals.share).toBe(inputs.length + goldAnswers.length);
    expect(totals.unlabelled).toBe(inputs.filter((i) => i.labels.length === 0).length + goldAnswers.filter((d) => d.labels.length === 0).length);
    // Every vendor and workflow has work, spread over the whole window.
    const vendors = await count(sql<{ n: number }>`SELECT count(DISTINCT vendor_id)::int AS n FROM decisions`);
    expect(vendors).toBe(expected.vendors.length);
    const days = await count(sql<{ n: number }>`SELECT count(DISTINCT decided_day)::int AS n FROM decisions`);
    expect(days).toBeGreaterThanOrEqual(88);
  });

  it('installs one active plan per workflow, effective 100 days before today, and samples by it', async () => {
    const plans = await database.db.selectFrom('sampling_plan_versions').selectAll().execute();
    expect(plans).toHaveLength(expected.workflows.length);
    for (const plan of plans) {
      expect(plan.status).toBe('active');
      expect(new Date(plan.effective_from!).toISOString()).toBe(new Date(Date.parse(`${OPTIONS.today}T00:00:00Z`) - 100 * DAY_MS).toISOString());
    }
    // Every critical positive is sampled with certainty; quotas and the random baseline fill the rest.
    const criticalUnsampled = await count(sql<{ n: number }>`
      SELECT count(*)::int AS n FROM decisions d LEFT JOIN qa_samples s ON s.decision_id = d.id
      WHERE d.severity = 'critical' AND (s.decision_id IS NULL OR s.inclusion_probability <> 1)
        AND NOT EXISTS (SELECT 1 FROM gold_responses g WHERE g.decision_id = d.id)`); // agents' gold answers are never sampled
    expect(criticalUnsampled).toBe(0);
    const methods = await database.db.selectFrom('qa_samples').select('method').distinct().execute();
    expect(new Set(methods.map((m) => m.method))).toEqual(new Set(['all', 'rate', 'quota', 'capped_rate']));
    expect(afterLoad.qa_samples / afterLoad.decisions).toBeGreaterThan(0.02);
    expect(afterLoad.qa_samples / afterLoad.decisions).toBeLessThan(0.12); // small scale: the nesting quotas take most new-hire work
    // Past days are closed (quotas selected); today is not.
    const closes = await database.db.selectFrom('sampling_day_closes').select(['day', 'closed_at']).execute();
    expect(closes.length).toBeGreaterThan(80);
    for (const close of closes) {
      expect(String(close.day) < OPTIONS.today).toBe(true);
      expect(new Date(close.closed_at).getTime()).toBeLessThanOrEqual(NOW.getTime());
    }
  });

  it('has a QA task per sample, with the history a working team would leave', async () => {
    // One primary task (kind 'sample') per sample; gold and double-review tasks (kind 'audit', migration 0010)
    // come on top, each on a decision that has its primary task.
    const primary = await count(sql<{ n: number }>`SELECT count(*)::int AS n FROM qa_tasks WHERE kind = 'sample' AND purpose = 'primary'`);
    expect(primary).toBe(afterLoad.qa_samples);
    const unsampled = await count(sql<{ n: number }>`
      SELECT count(*)::int AS n FROM qa_tasks t
      WHERE t.kind = 'sample' AND NOT EXISTS (SELECT 1 FROM qa_samples s WHERE s.decision_id = t.decision_id)`);
    expect(unsampled).toBe(0);
    const audits = await count(sql<{ n: number }>`
      SELECT count(*)::int AS n FROM qa_tasks t
      WHERE t.purpose <> 'primary' AND (t.kind <> 'audit'
        OR NOT EXISTS (SELECT 1 FROM qa_tasks p WHERE p.decision_id = t.decision_id AND p.purpose = 'primary'))`);
    expect(audits).toBe(0);
    const tasks = await sql<{ vendor_id: string; status: string; created_at: Date; completed_at: Date | null; due_at: Date; decided_at: Date }>`
      SELECT t.vendor_id, t.status, t.created_at, t.completed_at, t.due_at, d.decided_at
      FROM qa_tasks t JOIN decisions d ON d.id = t.decision_id WHERE t.purpose = 'primary'`.execute(database.db);
    const twoDaysAgo = NOW.getTime() - 2 * DAY_MS;
    let overdue = 0;
    const turnaround = new Map<string, number[]>();
    for (const t of tasks.rows) {
      const created = new Date(t.created_at).getTime();
      expect(created).toBeGreaterThanOrEqual(new Date(t.decided_at).getTime());
      expect(created).toBeLessThanOrEqual(NOW.getTime());
      if (t.status === 'completed') {
        const completed = new Date(t.completed_at!).getTime();
        expect(created).toBeLessThan(twoDaysAgo);
        expect(completed).toBeGreaterThan(created);
        expect(completed).toBeLessThanOrEqual(NOW.getTime());
        const hours = turnaround.get(t.vendor_id) ?? [];
        hours.push((completed - created) / 3_600_000);
        turnaround.set(t.vendor_id, hours);
      } else {
        expect(t.status).toBe('open');
        if (new Date(t.due_at).getTime() < NOW.getTime()) overdue++;
      }
    }
    const open = tasks.rows.filter((t) => t.status === 'open');
    expect(open.length).toBeGreaterThan(0);
    expect(open.length).toBeLessThan(tasks.rows.length * 0.1);
    expect(overdue).toBeLessThan(open.length);
    expect(Math.min(...tasks.rows.map((t) => new Date(t.created_at).getTime()))).toBeLessThan(NOW.getTime() - 80 * DAY_MS);
    // Tidewell's QA runs late: its median turnaround is well above the in-house team's.
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const vendorId = (key: string) => expected.vendors.find((v) => v.key === key)!.id;
    expect(median(turnaround.get(vendorId('tidewell'))!)).toBeGreaterThan(2 * median(turnaround.get(vendorId('inhouse'))!));
  });

  it("shows a vendor's manager only their vendor's decisions", async () => {
    const vm = expected.users.find((u) => u.role === 'vendor_manager')!;
    const vendor = expected.vendors.find((v) => v.key === vm.scope.refKey)!;
    const row = (await findUserByEmail(database.db, vm.email))!;
    const scope = await resolveScope(database.db, row);
    const visible = await withViewer(database.db, { userId: row.id, scope }, (trx) =>
      trx.selectFrom('decisions').select(['vendor_id']).distinct().execute(),
    );
    expect(visible.map((v) => v.vendor_id)).toEqual([vendor.id]);
  });
});

describe('the demo reviews', () => {
  const q = async <T,>(query: ReturnType<typeof sql<T>>) => (await query.execute(database.db)).rows;

  it('review every completed QA task, by its assignee, with the score scoreReview gives for the answers', async () => {
    const rows = await q(sql<{ task_id: string; status: string; assignee_id: string | null; reviewer_id: string | null; submitted_at: Date | null; completed_at: Date | null }>`
      SELECT t.id AS task_id, t.status, t.assignee_id, r.reviewer_id, r.submitted_at, t.completed_at FROM qa_tasks t LEFT JOIN reviews r ON r.task_id = t.id`);
    const completed = rows.filter((r) => r.status === 'completed');
    expect(completed.length).toBeGreaterThan(300);
    for (const row of rows) {
      if (row.status !== 'completed') expect(row.reviewer_id).toBeNull();
      else expect(row).toMatchObject({ assignee_id: row.reviewer_id, submitted_at: row.completed_at });
    }
    const definitions = new Map((await database.db.selectFrom('scorecard_versions').select(['id', 'definition']).execute()).map((v) => [v.id, v.definition as ScorecardDefinition]));
    const revisions = await q(sql<{ review_id: string; revision: number; reason: string; answers: Answer[]; qa_labels: string[]; qa_action: string; score: string; passed: boolean; correct: boolean; error_types: string[]; labels: string[]; action: string; scorecard_version_id: string; current: number; current_score: string }>`
      SELECT v.review_id, v.revision, v.reason, v.answers, v.qa_labels, v.qa_action, v.score, v.passed, v.correct, v.error_types, d.labels, d.action,
             r.scorecard_version_id, r.revision AS current, r.score AS current_score
      FROM review_revisions v JOIN reviews r ON r.id = v.review_id JOIN decisions d ON d.id = r.decision_id`);
    expect(revisions.filter((v) => v.revision === 1 && v.reason === 'submitted')).toHaveLength(completed.length);
    for (const v of revisions) {
      const definition = definitions.get(v.scorecard_version_id)!;
      const decision = { labels: v.labels, action: v.action };
      const verdict = { labels: v.qa_labels, action: v.qa_action };
      expect(checkAnswers(definition, v.answers, decision, verdict)).toEqual([]);
      const scored = scoreReview(definition, v.answers, decision, verdict);
      expect({ score: Number(v.score), passed: v.passed, correct: v.correct, errorTypes: v.error_types }).toEqual({ score: scored.score, passed: scored.passed, correct: scored.correct, errorTypes: scored.errorTypes });
      if (v.revision === v.current) expect(Number(v.current_score)).toBe(scored.score);
    }
  });

  it('have disputes arbitrated by an in-house QA lead (never the reviewer), revision 2 when the score changed', async () => {
    const disputes = await q(sql<{ status: string; outcome: string | null; arbiter_id: string; reviewer_id: string; revision: number; revisions: number; arbiter_role: string; arbiter_in_house: boolean }>`
      SELECT x.status, x.outcome, x.arbiter_id, r.reviewer_id, r.revision, (SELECT count(*)::int FROM review_revisions v WHERE v.review_id = r.id) AS revisions,
             p.job_role AS arbiter_role, v.is_in_house AS arbiter_in_house
      FROM disputes x JOIN reviews r ON r.id = x.review_id JOIN people p ON p.id = x.arbiter_id JOIN vendors v ON v.id = p.vendor_id`);
    const reviews = (await q(sql<{ n: number }>`SELECT count(*)::int AS n FROM reviews`))[0]!.n;
    expect(disputes.length).toBeGreaterThan(0);
    expect(disputes.length).toBeLessThan(reviews * 0.1);
    for (const d of disputes) {
      expect(d).toMatchObject({ arbiter_role: 'qa_lead', arbiter_in_house: true });
      expect(d.arbiter_id).not.toBe(d.reviewer_id);
      const changed = d.outcome === 'overturned' || d.outcome === 'partly';
      expect(d.revision).toBe(changed ? 2 : 1);
      expect(d.revisions).toBe(d.revision);
      if (d.status === 'open') expect(d.outcome).toBeNull();
    }
  });

  it("lets the lenient vendor's QA pass more than its agents' errors allow, and leaves escalations and exposure records", async () => {
    const lenient = expected.vendors.find((v) => v.key === DEMO_REVIEW_STORY.lenientQaVendorKey)!;
    const byVendor = await q(sql<{ reviewer_vendor_id: string; n: number; accuracy: number }>`
      SELECT reviewer_vendor_id, count(*)::int AS n, avg(v.correct::int)::float8 AS accuracy FROM review_revisions v JOIN reviews r ON r.id = v.review_id
      WHERE v.revision = 1 GROUP BY 1`);
    expect(new Set(byVendor.map((v) => v.reviewer_vendor_id))).toContain(lenient.id);
    const escalations = await q(sql<{ status: string; answered_by_user_id: string | null; policy_unclear: boolean }>`
      SELECT e.status, e.answered_by_user_id, r.policy_unclear FROM escalations e JOIN reviews r ON r.task_id = e.task_id`);
    for (const e of escalations) expect(e.policy_unclear).toBe(true);
    const exposure = await q(sql<{ views: number; reviews: number; reveals: number; strangers: number }>`
      SELECT count(*) FILTER (WHERE event = 'view')::int AS views, (SELECT count(*)::int FROM reviews) AS reviews,
             count(*) FILTER (WHERE event = 'reveal')::int AS reveals,
             count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.reviewer_id = x.person_id AND r.decision_id = x.decision_id))::int AS strangers
      FROM exposure_records x`);
    expect(exposure[0]).toMatchObject({ strangers: 0 });
    expect(exposure[0]!.views).toBe(exposure[0]!.reviews);
    expect(exposure[0]!.reveals).toBeGreaterThan(0);
  });
});

