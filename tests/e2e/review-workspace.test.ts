import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { hashPassword } from '../../src/domain/auth/passwords.ts';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/load-demo.ts';
import { auditRowsFor } from '../support/audit-trail.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { launchBrowser, screenshot, seriousViolations, serveUi } from '../support/browser.ts';
import { BrowserSession } from '../support/test-app.ts';
import { settled, signIn, watchForFailures } from '../support/ui-helpers.ts';

/**
 * The "Must show": a QA specialist reviews three items in blind mode
 * in the review workspace (one severe item opens behind a warning and blurred
 * until revealed by key, and the reveal lands in the audit log and the
 * exposure records); the reviewed agent disputes one review; an arbiter
 * overturns it; the agent sees the corrected score. axe on every page;
 * screenshots in artifacts/screenshots.
 */
let database: TestDatabase;
let app: FastifyInstance;
let url: string;
let browser: Browser;

const TODAY = new Date().toISOString().slice(0, 10);

interface PlannedTask {
  id: string;
  decisionId: string;
  agentId: string;
  labels: string[];
  action: string;
  severity: string | null;
}

let specialistPersonId: string;
let planned: PlannedTask[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await loadDemo(database.db, { seed: 2026, today: TODAY, decisionScale: 0.03 });
  ({ app, url } = await serveUi(database.db));
  browser = await launchBrowser();

  // Hand the specialist three open tasks of their site (never their own team), the second a severe one,
  // by assigning them: "Take next task" gives a reviewer their own assigned tasks first, oldest due first.
  const db = database.db;
  const specialist = await db.selectFrom('users').select(['person_id', 'scope_ref_id']).where('email', '=', 'qa.specialist@assay.demo').executeTakeFirstOrThrow();
  specialistPersonId = specialist.person_id!;
  const me = await db.selectFrom('people').select(['team_id']).where('id', '=', specialistPersonId).executeTakeFirstOrThrow();
  await db
    .updateTable('qa_tasks')
    .set({ status: 'open', claimed_by: null, claimed_at: null, lease_expires_at: null, assignee_id: null })
    .where((eb) => eb.or([eb('claimed_by', '=', specialistPersonId), eb('assignee_id', '=', specialistPersonId)]))
    .where('status', 'in', ['open', 'claimed'])
    .execute();
  const candidates = (await sql<PlannedTask & { workflowKey: string }>`
    SELECT t.id, t.decision_id AS "decisionId", t.agent_id AS "agentId", d.labels, d.action, d.severity
      FROM qa_tasks t JOIN decisions d ON d.id = t.decision_id JOIN workflows w ON w.id = t.workflow_id
     WHERE t.status = 'open' AND t.site_id = ${specialist.scope_ref_id}::uuid
       AND t.team_id IS DISTINCT FROM ${me.team_id}::uuid AND t.agent_id <> ${specialistPersonId}::uuid
       AND EXISTS (SELECT 1 FROM scorecard_versions s WHERE s.workflow_id = t.workflow_id AND s.status = 'published')
       AND w.key IN ('comment_moderation', 'video_moderation')
     ORDER BY t.due_at, t.id`.execute(db)).rows;
  const severe = candidates.find((c) => c.severity === 'high' || c.severity === 'critical');
  const mild = candidates.filter((c) => c !== severe && (c.severity === null || c.severity === 'low' || c.severity === 'medium'));
  if (!severe || mild.length < 2) throw new Error(`The demo gave too few tasks (${candidates.length}) for this test.`);
  planned = [mild[0]!, severe, mild[1]!];
  for (const [i, task] of planned.entries()) {
    await db
      .updateTable('qa_tasks')
      .set({ assignee_id: specialistPersonId, due_at: new Date(Date.now() - (10 - i) * 60_000) })
      .where('id', '=', task.id)
      .execute();
  }
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.drop();
});

/** The element's computed CSS filter (runs in the page, where globalThis is the window). */
const cssFilter = (locator: Locator) =>
  locator.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { filter: string } }).getComputedStyle(el).filter);

async function newPage(width = 1440): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  return context.newPage();
}

/** Records the blind verdict in the workspace: tick the labels, pick the action, record. */
async function recordVerdict(page: Page, verdict: { labels: string[]; action: string }) {
  const panel = page.getByRole('region', { name: 'Your verdict' });
  for (const label of verdict.labels) await panel.locator(`input[type="checkbox"][value="${label}"]`).check();
  await panel.locator(`input[type="radio"][value="${verdict.action}"]`).check();
  const recorded = page.waitForResponse((r) => r.url().endsWith('/verdict') && r.request().method() === 'POST');
  await panel.getByRole('button', { name: /^Record verdict/ }).click();
  expect((await recorded).status()).toBe(200);
  await page.getByRole('table', { name: "Your verdict against the agent's decision" }).waitFor();
}

/** Answers the scorecard's own questions by keyboard: Y for the escalation process, 1 for the right reason code. */
async function answerByKeyboard(page: Page) {
  await page.locator('[data-question="escalation_process"][data-current="true"]').waitFor();
  await page.keyboard.press('y');
  await page.locator('[data-question="reason_code"][data-current="true"]').waitFor({ timeout: 5000 });
  await page.keyboard.press('1');
  expect(await page.getByRole('group', { name: /Followed the escalation process/ }).getByRole('radio', { name: /^Yes/ }).isChecked()).toBe(true);
  expect(await page.getByRole('group', { name: /Used the right reason code/ }).getByRole('radio', { name: /^Right reason code/ }).isChecked()).toBe(true);
}

async function submit(page: Page): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = page.waitForResponse((r) => /\/api\/qa\/tasks\/[0-9a-f-]+\/review$/.test(r.url()) && r.request().method() === 'POST');
  await page.keyboard.press('Control+Enter');
  const r = await response;
  return { status: r.status(), body: (await r.json()) as Record<string, unknown> };
}

let disputedReviewId = '';

describe('the review workspace', () => {
  it('a QA specialist reviews three items in blind mode; a severe one stays blurred until revealed', async () => {
    const page = await newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, 'qa.specialist@assay.demo');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My QA tasks' }).click();
    await page.getByRole('heading', { level: 1, name: 'My QA tasks' }).waitFor();
    await settled(page);
    await page.getByRole('button', { name: 'Start reviewing' }).click();
    await page.waitForURL(new RegExp(`/qa/tasks/${planned[0]!.id}/review$`));

    for (const [i, task] of planned.entries()) {
      await page.getByRole('heading', { level: 1, name: /^Review: / }).waitFor();
      await settled(page);
      // Blind: nothing of the agent's decision before the reviewer's own verdict.
      await page.getByText('Blind mode', { exact: true }).waitFor();
      expect(await page.getByTestId('verdict-comparison').count()).toBe(0);

      if (task === planned[1]) {
        // The severe item: a warning screen first, then blurred until revealed by key.
        const warning = page.getByTestId('warning-screen');
        if (await warning.count()) {
          await screenshot(page, 'review-workspace-warning');
          expect(await seriousViolations(page)).toEqual([]);
          await warning.getByRole('button', { name: 'Continue to the protected item' }).click();
        }
        const content = page.getByTestId('item-content');
        expect(await content.getAttribute('data-protected')).toBe('true');
        expect(await cssFilter(content)).toContain('blur');
        await screenshot(page, 'review-workspace-blurred');
        expect(await seriousViolations(page)).toEqual([]);
        const revealed = page.waitForResponse((r) => r.url().endsWith('/api/exposure') && r.request().method() === 'POST');
        await page.locator('body').click({ position: { x: 5, y: 5 } });
        await page.keyboard.press('r');
        expect((await revealed).status()).toBeLessThan(300);
        expect(await content.getAttribute('data-protected')).toBe('false');
        // The filter fades out (a short transition).
        await expect.poll(() => cssFilter(content)).toBe('none');
        const reveal = (await auditRowsFor(database.db, task.decisionId)).find((r) => r.action === 'decision.content_reveal');
        expect(reveal).toBeDefined();
        const exposure = await database.db.selectFrom('exposure_records').selectAll().where('decision_id', '=', task.decisionId).where('event', '=', 'reveal').execute();
        expect(exposure).toHaveLength(1);
        expect(exposure[0]!.person_id).toBe(specialistPersonId);
      }

      // The first review disagrees with the agent (no violation, a different action); the others agree.
      const disagree = i === 0;
      const actions = await page.getByRole('region', { name: 'Your verdict' }).locator('input[type="radio"]').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
      const otherAction = actions.find((a) => a !== task.action)!;
      await recordVerdict(page, disagree ? { labels: [], action: otherAction } : { labels: task.labels, action: task.action });
      await page.getByTestId('derived-correct_action').getByText(disagree ? 'No' : 'Yes', { exact: true }).waitFor();
      await answerByKeyboard(page);
      if (disagree) {
        // A failed question needs a comment: the server's 422 lands under the question's comment box.
        const refused = await submit(page);
        expect(refused.status).toBe(422);
        const comment = page.locator('#q-correct_action-comment');
        await comment.and(page.locator('[aria-invalid="true"]')).waitFor();
        await screenshot(page, 'review-workspace-comment-required');
        expect(await seriousViolations(page)).toEqual([]);
        await comment.fill('Removal was the right action under the policy in force.');
        const labelComment = page.locator('#q-correct_label-comment');
        if (await labelComment.count()) await labelComment.fill('The labels differ from mine.');
        await page.locator('body').click({ position: { x: 5, y: 5 } });
      } else {
        await screenshot(page, `review-workspace-${i + 1}`);
        expect(await seriousViolations(page)).toEqual([]);
      }
      if (i === planned.length - 1) {
        // A gray area: U flags "policy unclear" and focuses the note, for a policy SME.
        await page.keyboard.press('u');
        await page.getByRole('textbox', { name: 'What is unclear' }).fill('Is a sarcastic slur between friends still harassment here?');
        await page.locator('body').click({ position: { x: 5, y: 5 } });
      }
      const done = await submit(page);
      expect(done.status).toBe(201);
      if (disagree) disputedReviewId = done.body.id as string;
      const submitted = page.getByRole('heading', { name: /Review submitted/ });
      await submitted.waitFor();
      if (i === 0) {
        await screenshot(page, 'review-workspace-submitted');
        expect(await seriousViolations(page)).toEqual([]);
      }
      if (i < planned.length - 1) {
        await page.getByRole('button', { name: 'Next task' }).click();
        await page.waitForURL(new RegExp(`/qa/tasks/${planned[i + 1]!.id}/review$`));
      }
    }

    // Leaving the last item records the time it was on screen.
    const viewed = page.waitForResponse((r) => r.url().endsWith('/api/exposure') && r.request().method() === 'POST');
    // In the page, not the submit notification's link of the same name (still on screen when the machine is slow).
    await page.getByRole('main').getByRole('link', { name: 'Back to my tasks' }).click();
    expect((await viewed).status()).toBeLessThan(300);

    const reviews = await database.db.selectFrom('reviews').select(['task_id', 'blind', 'correct', 'score']).where('task_id', 'in', planned.map((t) => t.id)).execute();
    expect(reviews).toHaveLength(3);
    expect(reviews.every((r) => r.blind)).toBe(true);
    expect(reviews.find((r) => r.task_id === planned[0]!.id)!.correct).toBe(false);
    const flagged = await database.db.selectFrom('escalations').select(['status', 'note']).where('task_id', '=', planned[2]!.id).execute();
    expect(flagged).toEqual([{ status: 'open', note: 'Is a sarcastic slur between friends still harassment here?' }]);
    // Leaving each item recorded the time it was on screen.
    const views = await database.db
      .selectFrom('exposure_records')
      .select('decision_id')
      .where('event', '=', 'view')
      .where('person_id', '=', specialistPersonId)
      .where('decision_id', 'in', planned.map((t) => t.decisionId))
      .execute();
    expect(new Set(views.map((v) => v.decision_id))).toEqual(new Set(planned.map((t) => t.decisionId)));
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });

  it('the reviewed agent disputes one review, an arbiter overturns it, the agent sees the corrected score', async () => {
    expect(disputedReviewId).not.toBe('');
    const task = planned[0]!;
    // The demo's agent sign-in is on the specialist's own team, whose work the specialist never reviews:
    // the reviewed agent gets a sign-in of their own (role agent, scope self).
    const email = 'reviewed.agent@assay.demo';
    await database.db
      .insertInto('users')
      .values({ email, display_name: 'Reviewed agent', password_hash: await hashPassword(DEMO_PASSWORD), role: 'agent', scope_kind: 'self', scope_ref_id: task.agentId, person_id: task.agentId })
      .execute();

    // The agent disputes the review on its page (web/src/pages/reviews).
    const page = await newPage(1280);
    const failures = watchForFailures(page);
    await signIn(page, url, email);
    await page.goto(`${url}/reviews/${disputedReviewId}`);
    await settled(page);
    const before = Number((await database.db.selectFrom('reviews').select('score').where('id', '=', disputedReviewId).executeTakeFirstOrThrow()).score);
    expect(before).toBeLessThan(100);
    await page.getByRole('textbox', { name: 'Reason' }).fill('The action I took is what the policy asks for.');
    const raised = page.waitForResponse((r) => r.url().endsWith(`/api/reviews/${disputedReviewId}/disputes`) && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Raise dispute' }).click();
    const raisedResponse = await raised;
    expect(raisedResponse.status()).toBe(201);
    const disputeId = ((await raisedResponse.json()) as { id: string }).id;
    await screenshot(page, 'review-agent-disputed');
    expect(await seriousViolations(page)).toEqual([]);

    // The arbiter (never the original reviewer) overturns it on the dispute screen: the corrected
    // verdict is the agent's own decision.
    const arbiter = await newPage(1280);
    const arbiterFailures = watchForFailures(arbiter);
    await signIn(arbiter, url, 'qa.lead@assay.demo');
    await arbiter.goto(`${url}/disputes/${disputeId}`);
    await settled(arbiter);
    await arbiter.getByRole('radio', { name: 'Overturned: the finding was wrong' }).check();
    const labelsBox = arbiter.getByRole('combobox', { name: 'Policy labels' });
    await labelsBox.click();
    for (let i = 0; i < 10; i++) await labelsBox.press('Backspace');
    for (const label of task.labels) {
      await labelsBox.fill(label);
      await labelsBox.press('Enter');
    }
    await arbiter.getByRole('textbox', { name: 'Action', exact: true }).fill(task.action);
    await arbiter.getByRole('textbox', { name: 'Reason', exact: true }).fill("The agent's action was right.");
    expect(await seriousViolations(arbiter)).toEqual([]);
    const resolving = arbiter.waitForResponse((r) => r.url().endsWith(`/api/disputes/${disputeId}/resolve`));
    await arbiter.getByRole('button', { name: 'Resolve dispute' }).click();
    const resolvedResponse = await resolving;
    expect(resolvedResponse.status(), await resolvedResponse.text()).toBe(200);
    await screenshot(arbiter, 'dispute-overturned');
    expect(arbiterFailures).toEqual({ errors: [], serverErrors: [] });
    await arbiter.context().close();
    const after = (await database.db.selectFrom('reviews').select(['score', 'revision']).where('id', '=', disputedReviewId).executeTakeFirstOrThrow());
    expect(Number(after.score)).toBeGreaterThan(before);
    expect(after.revision).toBe(2);

    // The agent sees the corrected score, and the original kept in the history.
    await page.reload();
    await settled(page);
    await page.getByText(`${Number(after.score).toFixed(0)}%`, { exact: true }).first().waitFor();
    await page.getByText('Changed by a dispute').waitFor();
    await screenshot(page, 'review-agent-corrected');
    expect(await seriousViolations(page)).toEqual([]);
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });

  it('a policy SME answers the escalation; people set their protections within the limits and see their exposure', async () => {
    const sme = await newPage(1280);
    const smeFailures = watchForFailures(sme);
    await signIn(sme, url, 'policy.sme@assay.demo');
    await sme.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Escalations' }).click();
    await sme.getByRole('heading', { level: 1, name: 'Escalations' }).waitFor();
    await settled(sme);
    const card = sme.getByRole('article').filter({ hasText: 'Is a sarcastic slur between friends still harassment here?' });
    await card.getByRole('textbox', { name: 'Your answer' }).fill('Yes: the policy does not exempt banter; label it as a slur.');
    await screenshot(sme, 'escalations');
    expect(await seriousViolations(sme)).toEqual([]);
    const answered = sme.waitForResponse((r) => /\/api\/escalations\/[0-9a-f-]+\/answer$/.test(r.url()));
    await card.getByRole('button', { name: 'Send answer' }).click();
    expect((await answered).status()).toBe(200);
    const row = await database.db.selectFrom('escalations').select(['status', 'answer']).where('task_id', '=', planned[2]!.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'answered', answer: 'Yes: the policy does not exempt banter; label it as a slur.' });
    expect(smeFailures).toEqual({ errors: [], serverErrors: [] });
    await sme.context().close();

    // The specialist's own wellbeing page: their exposure (the reveal above), and a choice within the limits.
    const page = await newPage(1280);
    const failures = watchForFailures(page);
    await signIn(page, url, 'qa.specialist@assay.demo');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Wellbeing' }).click();
    await page.getByRole('heading', { level: 1, name: 'Wellbeing' }).waitFor();
    await settled(page);
    await page.getByRole('heading', { name: 'Last 7 days' }).waitFor();
    // Critical content stays blurred whatever a person chooses (the default limits say 'always').
    expect(await page.getByRole('switch', { name: 'Blur for Critical content' }).isDisabled()).toBe(true);
    const lowBlur = page.getByRole('switch', { name: 'Blur for Low content' });
    expect(await lowBlur.isDisabled()).toBe(false);
    await lowBlur.click({ force: true });
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/wellbeing/preferences') && r.request().method() === 'PUT');
    await page.getByRole('button', { name: 'Save my protections' }).click();
    expect((await saved).status()).toBe(200);
    await screenshot(page, 'wellbeing-specialist');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.getByRole('heading', { name: 'Organisation limits' }).count()).toBe(0);
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();

    // The administrator edits the limits.
    const admin = await newPage(1280);
    const adminFailures = watchForFailures(admin);
    await signIn(admin, url, 'admin@assay.demo');
    await admin.goto(`${url}/wellbeing`);
    await admin.getByRole('heading', { name: 'Organisation limits' }).waitFor();
    await settled(admin);
    await admin.getByRole('combobox', { name: 'Greyscale limit for Medium content' }).selectOption('always');
    const limits = admin.waitForResponse((r) => r.url().endsWith('/api/wellbeing/settings') && r.request().method() === 'PUT');
    await admin.getByRole('button', { name: 'Save limits' }).click();
    expect((await limits).status()).toBe(200);
    await screenshot(admin, 'wellbeing-admin');
    expect(await seriousViolations(admin)).toEqual([]);
    expect(adminFailures).toEqual({ errors: [], serverErrors: [] });
    await admin.context().close();
  });
});
