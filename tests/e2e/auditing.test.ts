import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { asSystem } from '../../src/db/scoped.ts';
import { systemActor } from '../../src/domain/access/actor.ts';
import { runDoubleReview } from '../../src/domain/auditing/double-review.service.ts';
import { createTasksForSamples } from '../../src/domain/qa/qa-tasks.service.ts';
import type { ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { launchBrowser, screenshot, seriousViolations, serveUi } from '../support/browser.ts';
import { addUser, buildWorld, TEST_PASSWORD, type World, type WorldUser } from '../support/org-world.ts';
import { addDecisionCatalogue, type DecisionWorld } from '../support/decision-world.ts';
import { insertSampledDecisions } from '../support/decision-fixtures.ts';
import { pickOption, settled, signIn, watchForFailures } from '../support/ui-helpers.ts';
import { publishScorecard } from '../support/scorecard-fixtures.ts';

/**
 * Auditing the auditors in Chromium: the double-review results of a lenient
 * vendor QA team (flagged, with its interval) next to an honest one, reviewer
 * quality, and the gold set (add an entered item, retire it). axe on every
 * page; screenshots in artifacts/screenshots.
 */
let database: TestDatabase;
let app: FastifyInstance;
let url: string;
let browser: Browser;
let world: World;
let dw: DecisionWorld;
let lead: WorldUser;

const DEFINITION: ScorecardDefinition = {
  sections: [{ key: 'd', title: 'Decision', questions: [{ key: 'label_ok', text: 'Correct label?', kind: 'correct_label', weight: 1, critical: true }] }],
  rootCauses: [],
  commentRequiredOnFail: false,
  passMark: 80,
};

async function qaPerson(vendor: number, name: string): Promise<string> {
  const vendorId = world.vendors[vendor]!.id;
  const siteId = world.sites.find((s) => s.vendorId === vendorId)!.id;
  const row = await database.db
    .insertInto('people')
    .values({ vendor_id: vendorId, site_id: siteId, full_name: name, job_role: 'qa_specialist', hire_date: '2021-06-01', languages: ['en'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db.insertInto('person_workflow_skills').values({ person_id: row.id, workflow_id: world.workflowId }).execute();
  return row.id;
}

/** A completed review of a task, written directly (the UI under test only reads them). */
async function writeReview(taskId: string, reviewerId: string, passed: boolean): Promise<void> {
  await sql`
    INSERT INTO reviews (task_id, decision_id, workflow_id, vendor_id, site_id, team_id, agent_id, reviewer_id, reviewer_vendor_id, scorecard_version_id,
                         blind, qa_labels, qa_action, answers, score, passed, critical_failed, correct, error_types, root_causes, time_on_task_ms, purpose)
    SELECT t.id, t.decision_id, t.workflow_id, t.vendor_id, t.site_id, t.team_id, t.agent_id, ${reviewerId}, p.vendor_id,
           (SELECT id FROM scorecard_versions WHERE workflow_id = t.workflow_id AND status = 'published'), true,
           CASE WHEN ${passed} THEN d.labels ELSE ARRAY[${dw.labels.threat}] END, 'remove', '[]', CASE WHEN ${passed} THEN 100 ELSE 0 END,
           ${passed}, NOT ${passed}, ${passed}, CASE WHEN ${passed} THEN '{}'::text[] ELSE ARRAY['wrong_policy'] END, '{}', 60000, t.purpose
    FROM qa_tasks t JOIN decisions d ON d.id = t.decision_id JOIN people p ON p.id = ${reviewerId}
    WHERE t.id = ${taskId}
  `.execute(database.db);
  await database.db.updateTable('qa_tasks').set({ status: 'completed', completed_at: new Date(), assignee_id: reviewerId }).where('id', '=', taskId).execute();
}

/** Vendor `vendor`'s QA reviews 60 items; internal QA fails `internalFails` of them the vendor passed. */
async function vendorWork(vendor: number, reviewers: string[], internalFails: number, internal: string): Promise<void> {
  const agents = world.people.filter((p) => p.vendorId === world.vendors[vendor]!.id && p.teamId !== null);
  const ids = await insertSampledDecisions(
    database.db,
    Array.from({ length: 60 }, (_, i) => ({ agent: agents[i % agents.length]!, workflowId: world.workflowId, labels: [dw.labels.slur], action: 'remove', severity: 'high' as const, language: 'en' })),
  );
  await asSystem(database.db, (trx) => createTasksForSamples(trx, ids, new Date()));
  const tasks = await database.db.selectFrom('qa_tasks').select(['id', 'decision_id']).where('decision_id', 'in', ids).execute();
  for (const [i, t] of tasks.entries()) await writeReview(t.id, reviewers[i % reviewers.length]!, true);
  await asSystem(database.db, (trx) => runDoubleReview(trx, systemActor('e2e'), { workflowId: world.workflowId }));
  const doubles = await database.db
    .selectFrom('qa_tasks')
    .select('id')
    .where(sql<boolean>`purpose = 'double_review' AND status <> 'completed'`)
    .orderBy('id')
    .execute();
  for (const [i, d] of doubles.entries()) await writeReview(d.id, internal, i >= internalFails);
}

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  dw = await addDecisionCatalogue(database.db, world);
  await publishScorecard(database.db, world.workflowId, DEFINITION);
  const internal = await qaPerson(0, `Ines Internal ${world.tag}`);
  lead = await addUser(database.db, world, 'qa_lead', 'all', 'auditing-lead');
  await database.db
    .insertInto('auditing_workflow_settings')
    .values({ workflow_id: world.workflowId, double_review_rate: 1, leniency_tolerance: 0.02, seed: 'e2e' })
    .execute();
  // Vendor 1's QA passes a fifth of the items internal QA fails; vendor 2's agrees.
  await vendorWork(1, [await qaPerson(1, `Lenient Lou ${world.tag}`), await qaPerson(1, `Lenient Lia ${world.tag}`)], 12, internal);
  await vendorWork(2, [await qaPerson(2, `Careful Cal ${world.tag}`)], 0, internal);
  ({ app, url } = await serveUi(database.db));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.drop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  return context.newPage();
}

describe('auditing the auditors', () => {
  it('shows the double-review results: the lenient vendor flagged with its interval, the honest one not', async () => {
    const page = await newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, lead.email, TEST_PASSWORD);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Double review', exact: true }).click();
    await settled(page);
    await page.getByRole('heading', { name: 'Double review of vendor QA' }).waitFor();
    const lenient = page.getByRole('row', { name: new RegExp(`^Vendor 1 ${world.tag}`) });
    const honest = page.getByRole('row', { name: new RegExp(`^Vendor 2 ${world.tag}`) });
    await lenient.getByText('Credibly inflated').waitFor();
    await lenient.getByText(/\+20\.0 pts/).first().waitFor();
    await honest.getByText('Not flagged').waitFor();
    expect(await honest.getByText('Credibly inflated').count()).toBe(0);
    await page.getByRole('img', { name: new RegExp(`Leniency of Vendor 1 ${world.tag}: \\+20\\.0 points`) }).waitFor();
    await page.getByRole('row', { name: new RegExp(`Lenient Lou ${world.tag}`) }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'auditing-double-review');
    await page.getByRole('link', { name: 'Reviewer quality' }).click();
    await settled(page);
    await page.getByRole('heading', { name: 'Reviewer quality' }).waitFor();
    await page.getByRole('row', { name: new RegExp(`Careful Cal ${world.tag}`) }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'auditing-reviewer-quality');
    expect(failures.errors).toEqual([]);
    await page.context().close();
  });

  it('manages the gold set: add an entered item with its expert answer, then retire it', async () => {
    const page = await newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, lead.email, TEST_PASSWORD);
    await page.getByRole('link', { name: 'Gold set' }).click();
    await settled(page);
    await pickOption(page.getByRole('combobox', { name: 'Workflow' }), `Video ${world.tag}`);
    await page.getByText('Entered content', { exact: true }).click();
    await page.getByLabel('Content', { exact: true }).fill('people like you should be dealt with, permanently');
    await page.getByRole('combobox', { name: 'Expert labels' }).fill(dw.labels.threat);
    await page.keyboard.press('Enter');
    await pickOption(page.getByRole('combobox', { name: 'Expert action' }), 'remove');
    await page.getByLabel('Rationale').fill('A veiled threat of violence against the reader.');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Add to the gold set' }).click();
    const row = page.getByRole('row', { name: /people like you should be dealt with/ });
    await row.waitFor();
    await row.getByText('A veiled threat of violence').waitFor();
    await screenshot(page, 'auditing-gold-set');
    await row.getByRole('button', { name: /Retire gold item/ }).click();
    await page.getByRole('dialog', { name: 'Retire this gold item?' }).getByRole('button', { name: 'Retire' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByText('Retired', { exact: true }).first().click();
    await page.getByRole('row', { name: /people like you should be dealt with/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const stored = await database.db.selectFrom('gold_items').select(['status', 'expert_labels', 'expert_action']).executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'retired', expert_labels: [dw.labels.threat], expert_action: 'remove' });
    expect(failures.errors).toEqual([]);
    await page.context().close();
  });
});
