import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../src/domain/access/roles.ts';
import type { ScopeKind } from '../../src/domain/access/scope.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { launchBrowser, screenshot, seriousViolations, serveUi } from '../support/browser.ts';
import { pickOption, settled, signIn, watchForFailures } from '../support/ui-helpers.ts';
import { addUser, buildWorld, TEST_PASSWORD, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';
import { tokenClient } from '../support/test-app.ts';

/**
 * Training in Chromium (issue 7): a trainer builds a course (a Markdown module,
 * an assessment with two items), publishes it and assigns it to a cohort; an
 * agent of the cohort reads the module, takes the timed assessment and earns
 * the certification; the vendor manager's completion view by cohort shows
 * the completion with its interval, and by the cohort's trainer. axe on every page; screenshots in
 * artifacts/screenshots.
 */
let database: TestDatabase;
let app: FastifyInstance;
let url: string;
let browser: Browser;
let world: World;
let trainer: WorldUser;
let manager: WorldUser;
let agentUser: WorldUser;
let agent: WorldPerson;
let cohortTrainer: WorldPerson;
let seq = 0;
const COHORT = 'March new hires';
const COURSE = 'Hate speech foundations';

async function userFor(role: Role, kind: ScopeKind, refId: string | null, personId: string | null): Promise<WorldUser> {
  seq += 1;
  const user = await addUser(database.db, world, role, kind, `${role}-${seq}`);
  await database.db.updateTable('users').set({ scope_ref_id: refId, person_id: personId }).where('id', '=', user.id).execute();
  return user;
}

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  const v1 = world.vendors[1]!.id;
  agent = world.people.find((p) => p.vendorId === v1 && p.teamId !== null)!;
  trainer = await userFor('trainer', 'vendor', v1, null);
  manager = await userFor('vendor_manager', 'vendor', v1, null);
  agentUser = await userFor('agent', 'self', agent.id, agent.id);
  ({ app, url } = await serveUi(database.db));
  // The cohort already exists (the vendor manager created it when the wave was hired).
  const created = await tokenClient(app, manager.token)('POST', '/api/training/cohorts', { siteId: agent.siteId, workflowId: world.workflowId, name: COHORT, startDate: '2026-03-02', memberIds: [agent.id] });
  expect(created.statusCode).toBe(201);
  // Its lead trainer, for the completion view by trainer.
  cohortTrainer = world.people.find((p) => p.vendorId === v1 && p.teamId === null)!;
  const trainers = await tokenClient(app, trainer.token)('PUT', `/api/training-operations/cohorts/${created.json().id}/trainers`, { trainers: [{ personId: cohortTrainer.id, role: 'lead' }] });
  expect(trainers.statusCode).toBe(200);
  // A new-hire program of the workflow: the course is placed in its classroom phase.
  const program = await tokenClient(app, trainer.token)('POST', '/api/training/programs', {
    name: 'New hire: video',
    workflowId: world.workflowId,
    kind: 'new_hire',
    phases: [{ kind: 'classroom', name: 'Classroom', durationDays: 5 }, { kind: 'nesting', name: 'Nesting', durationDays: 10 }],
  });
  expect(program.statusCode).toBe(201);
  // The workflow's policy, for the builder's excerpt picker.
  const policy = await database.db.insertInto('policies').values({ key: `hate_${world.tag}`, name: 'Hate speech' }).returning('id').executeTakeFirstOrThrow();
  await database.db
    .insertInto('policy_versions')
    .values({ policy_id: policy.id, version: 1, effective_from: new Date('2024-01-01T00:00:00Z'), summary: 'Attacks on people for a protected characteristic are removed. Slurs count as attacks.' })
    .execute();
  await database.db.insertInto('workflow_policies').values({ workflow_id: world.workflowId, policy_id: policy.id }).execute();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.drop();
});

async function checkPage(page: Page, name: string): Promise<void> {
  await settled(page);
  const alerts = await page.getByRole('main').getByRole('alert').allInnerTexts();
  expect(alerts, `${name}: alert shown`).toEqual([]);
  expect(await seriousViolations(page), name).toEqual([]);
  await screenshot(page, name);
}

async function newPage(user: WorldUser): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await signIn(page, url, user.email, TEST_PASSWORD);
  return page;
}

describe('training, end to end', () => {
  it('a trainer builds and assigns a course; an agent completes it and is certified; the manager sees it', async () => {
    // --- Trainer: build the course.
    const t = await newPage(trainer);
    const tFailures = watchForFailures(t);
    await t.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Courses' }).click();
    await t.getByRole('heading', { level: 1, name: 'Training' }).waitFor();
    await checkPage(t, 'training-courses-empty');
    await t.getByLabel('Title').fill(COURSE);
    await pickOption(t.getByRole('combobox', { name: /^Workflow/ }), `Video ${world.tag}`);
    await pickOption(t.getByRole('combobox', { name: 'Program phase (optional)' }), 'New hire: video · 1. Classroom (classroom)');
    await t.getByRole('button', { name: 'Create course' }).click();
    await t.getByRole('heading', { level: 1, name: COURSE }).waitFor();

    await t.getByLabel('Module title').fill('Recognising slurs');
    await t.getByLabel('Content (Markdown)').fill('## What counts\n\n- A **slur** aimed at a protected group\n- Read the [guidelines](https://example.com/guide)\n\n<script>alert(1)</script>');
    await t.getByRole('tab', { name: 'Preview' }).click();
    await expect.poll(() => t.getByRole('tabpanel').getByRole('heading', { name: 'What counts' }).count()).toBe(1);
    // The excerpt's policy version is picked from the workflow's policies, not typed.
    await t.getByRole('combobox', { name: 'Policy version for an excerpt' }).click();
    await t.getByRole('option', { name: /^Hate speech v1 \(from .*2024\), in force$/ }).click();
    await t.getByLabel('Excerpt (quoted from that version)').fill('Slurs count as attacks.');
    await t.getByRole('button', { name: 'Add module' }).click();
    await t.getByRole('heading', { level: 3, name: '1. Recognising slurs' }).waitFor();
    // Raw HTML is shown as text, never run.
    expect(await t.locator('main script').count()).toBe(0);

    await t.getByLabel('Time limit (minutes)').fill('15');
    await t.getByRole('button', { name: 'Save assessment settings' }).click();
    await t.getByText(/Pass mark 80%; 15 minutes/).waitFor();
    await t.getByLabel('Question').fill('A slur aimed at a protected group is removed.');
    await t.locator('label', { hasText: 'True / false' }).click();
    await t.getByRole('button', { name: 'Add item' }).click();
    await t.getByText('1. A slur aimed at a protected group is removed.').waitFor();
    await t.locator('label', { hasText: 'Single choice' }).click();
    await t.getByLabel('Question').fill('Which severity is a credible threat?');
    await t.getByLabel('Options, one per line').fill('Critical\nLow');
    await t.getByRole('checkbox', { name: 'Critical' }).check();
    await t.getByRole('button', { name: 'Add item' }).click();
    await t.getByText('2. Which severity is a credible threat?').waitFor();
    await t.getByText('Slurs count as attacks.', { exact: false }).first().waitFor();
    // Edit the second item in place: a third option.
    await t.getByRole('button', { name: 'Edit item' }).nth(1).click();
    const itemEditor = t.getByRole('region', { name: 'Edit item 2' });
    await itemEditor.getByLabel('Options, one per line').fill('Critical\nLow\nMedium');
    await checkPage(t, 'training-course-builder-item-editor');
    await itemEditor.getByRole('button', { name: 'Save item' }).click();
    await t.getByText('✓ Critical   ○ Low   ○ Medium').waitFor();
    await checkPage(t, 'training-course-builder-draft');
    // Case items pick a reviewed decision of the workflow (none reviewed in this world yet).
    await t.locator('label', { hasText: 'Case from a decision' }).click();
    await t.getByRole('combobox', { name: /^Reviewed decision/ }).waitFor();
    await expect.poll(() => t.getByRole('combobox', { name: /^Reviewed decision/ }).getAttribute('placeholder')).toBe('No reviewed decisions yet');
    // The search box also looks up an older reviewed decision by its exact id on the server.
    await t.getByRole('textbox', { name: 'Search reviewed decisions' }).fill('no-such-decision');
    await expect.poll(() => t.getByRole('combobox', { name: /^Reviewed decision/ }).getAttribute('placeholder')).toBe('No reviewed decision matches');
    await t.getByRole('textbox', { name: 'Search reviewed decisions' }).fill('');
    await checkPage(t, 'training-course-builder-case-picker');
    await t.getByRole('button', { name: 'Publish version 1' }).click();
    await t.getByText(/Version 1: published/).waitFor();

    // A certification for the workflow, earned by this course.
    await t.getByRole('navigation', { name: 'Training sections' }).getByRole('link', { name: 'Certifications' }).click();
    await t.getByRole('heading', { level: 1, name: 'Certifications' }).waitFor();
    await t.getByRole('textbox', { name: /^Name/ }).fill('Hate speech certified');
    await pickOption(t.getByRole('combobox', { name: /^Workflow/ }), `Video ${world.tag}`);
    await pickOption(t.getByRole('combobox', { name: /^Earned by course/ }), COURSE);
    await t.getByRole('button', { name: 'Create certification' }).click();
    await t.getByRole('table', { name: 'Certification definitions' }).getByText('Hate speech certified').waitFor();
    await checkPage(t, 'training-certifications');

    // Assign to the cohort.
    await t.getByRole('navigation', { name: 'Training sections' }).getByRole('link', { name: 'Assign' }).click();
    await t.getByRole('heading', { level: 1, name: 'Assign training' }).waitFor();
    await pickOption(t.getByRole('combobox', { name: /^Course/ }), `${COURSE} (v1)`);
    await pickOption(t.getByRole('combobox', { name: 'Cohort' }), `${COHORT} — ${world.sites.find((s) => s.id === agent.siteId)!.name}`);
    await t.getByLabel('Due date').fill('2099-12-31');
    await t.getByRole('button', { name: 'Assign' }).click();
    await t.getByText('1 enrolled; 0 already had it open.').waitFor();
    await checkPage(t, 'training-assign');
    expect(tFailures.errors).toEqual([]);
    expect(tFailures.serverErrors).toEqual([]);

    // --- Agent: My learning, read, take the assessment.
    const a = await newPage(agentUser);
    const aFailures = watchForFailures(a);
    await a.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My learning' }).click();
    await a.getByRole('heading', { level: 1, name: 'My learning' }).waitFor();
    await checkPage(a, 'training-my-learning');
    await a.getByRole('link', { name: COURSE }).click();
    await a.getByRole('heading', { level: 1, name: COURSE }).waitFor();
    expect(await a.getByRole('button', { name: 'Start the assessment' }).isDisabled()).toBe(true);
    await a.getByRole('button', { name: '1. Recognising slurs' }).click();
    await a.getByRole('heading', { level: 2, name: 'Recognising slurs' }).waitFor();
    await a.getByText('1 of 1 required modules read.').waitFor();
    await checkPage(a, 'training-module-reader');
    await a.getByRole('button', { name: 'Start the assessment' }).click();
    await a.getByRole('heading', { level: 1, name: 'Assessment, attempt 1' }).waitFor();
    await a.getByRole('timer').waitFor();
    expect(await a.getByRole('timer').innerText()).toMatch(/Time left 1[45]:\d\d/i);
    await checkPage(a, 'training-assessment');
    await a.getByRole('radio', { name: 'True' }).check();
    await a.getByRole('radio', { name: 'Critical' }).check();
    await a.getByRole('button', { name: 'Submit answers' }).click();
    const result = a.getByRole('status').filter({ hasText: 'You scored' });
    await result.waitFor();
    expect(await result.innerText()).toContain('You scored 100%');
    expect(await result.innerText()).toContain('The course is complete.');
    await screenshot(a, 'training-assessment-result');
    await a.getByRole('link', { name: 'Back to My learning' }).click();
    const certs = a.getByRole('table', { name: 'My certifications' });
    await certs.getByText('Hate speech certified').waitFor();
    // textContent: badges are upper-cased by CSS.
    expect(await certs.getByRole('row').filter({ hasText: 'Hate speech certified' }).textContent()).toMatch(/Valid$/);
    expect(await a.getByRole('table', { name: 'My courses' }).getByRole('row').filter({ hasText: COURSE }).textContent()).toContain('Completed');
    await checkPage(a, 'training-my-learning-certified');
    expect(aFailures.errors).toEqual([]);
    expect(aFailures.serverErrors).toEqual([]);

    // --- Manager: completion by cohort.
    const m = await newPage(manager);
    await m.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Completion' }).click();
    await m.getByRole('heading', { level: 1, name: 'Training completion' }).waitFor();
    await m.locator('label', { hasText: 'By cohort' }).click();
    const table = m.getByRole('table', { name: 'Completion' });
    await table.getByText(COHORT).waitFor();
    const row = table.getByRole('row').filter({ hasText: COHORT });
    const text = await row.innerText();
    expect(text).toContain(COURSE);
    expect(text).toMatch(/100%/);
    expect(text).toMatch(/n = 1/);
    await checkPage(m, 'training-completion-by-cohort');
    // By trainer: the cohort's enrolments count for its lead trainer.
    await m.locator('label', { hasText: 'By trainer' }).click();
    await m.getByRole('columnheader', { name: 'Trainer' }).waitFor();
    const trainerRow = table.getByRole('row').filter({ hasText: cohortTrainer.fullName });
    await trainerRow.waitFor();
    expect(await trainerRow.innerText()).toMatch(/100%[\s\S]*n = 1/);
    await checkPage(m, 'training-completion-by-trainer');
    await m.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Certifications' }).click();
    await m.getByRole('heading', { level: 1, name: 'Certifications' }).waitFor();
    await m.getByRole('table', { name: 'Certification awards' }).getByText(agent.fullName, { exact: false }).waitFor();
    await checkPage(m, 'training-manager-certifications');

    // --- Trainer again: the remaining screens, and item analysis over the agent's attempt.
    for (const [link, heading, name] of [
      ['Programs', 'Programs', 'training-programs'],
      ['Cohorts', 'Cohorts', 'training-cohorts'],
      ['Courses', 'Training', 'training-courses'],
    ] as const) {
      await t.getByRole('navigation', { name: 'Training sections' }).getByRole('link', { name: link, exact: true }).click();
      await t.getByRole('heading', { level: 1, name: heading }).waitFor();
      await checkPage(t, name);
    }
    // The course sits in the program's classroom phase.
    expect(await t.getByRole('table', { name: 'Courses' }).getByRole('row').filter({ hasText: COURSE }).innerText()).toContain('New hire: video · 1. Classroom');
    await t.getByRole('link', { name: COURSE }).click();
    await t.getByRole('heading', { level: 1, name: COURSE }).waitFor();
    // Moved on to the nesting phase from the course page.
    await pickOption(t.getByRole('combobox', { name: /^Where this course sits/ }), 'New hire: video · 2. Nesting (nesting)');
    await t.getByRole('button', { name: 'Move course' }).click();
    await t.getByText(`"${COURSE}" is now: New hire: video · 2. Nesting.`).waitFor();
    await checkPage(t, 'training-course-placement');
    const placed = await database.db.selectFrom('courses as c').innerJoin('training_program_phases as ph', 'ph.id', 'c.program_phase_id').select('ph.name').where('c.title', '=', COURSE).executeTakeFirstOrThrow();
    expect(placed.name).toBe('Nesting');
    await t.getByRole('link', { name: 'Item analysis' }).click();
    await t.getByRole('heading', { level: 1, name: 'Item analysis' }).waitFor();
    const items = t.getByRole('table', { name: 'Items' });
    await items.getByText('1. A slur aimed at a protected group is removed.', { exact: false }).waitFor();
    expect(await items.innerText()).toMatch(/n = 1/);
    await checkPage(t, 'training-item-analysis');
  });
});
