import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { loadDemo } from '../../src/demo/load-demo.ts';
import type { DemoData } from '../../src/demo/demo-data.ts';
import { auditRowsFor } from '../support/audit-trail.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { launchBrowser, screenshot, seriousViolations, serveUi } from '../support/browser.ts';
import { fieldError, settled, signIn, watchForFailures } from '../support/ui-helpers.ts';

/**
 * Scorecards in the browser, on the demo organisation (no decisions needed):
 * the list shows the demo scorecards; a quality manager starts version 2 of
 * the video moderation scorecard, trips the server's check on a repeated
 * question key (shown next to the field), adds a question, publishes with confirmation,
 * and version 1 is retired. A vendor-scoped QA lead reads but cannot edit.
 */
let database: TestDatabase;
let app: FastifyInstance;
let url: string;
let browser: Browser;
let demo: DemoData;

beforeAll(async () => {
  database = await createTestDatabase();
  demo = await loadDemo(database.db, { seed: 2026, decisionScale: 0 });
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

describe('scorecards', () => {
  it('a quality manager versions and publishes the video moderation scorecard', async () => {
    const page = await newPage();
    const failures = watchForFailures(page);
    const video = demo.workflows.find((w) => w.key === 'video_moderation')!;
    await signIn(page, url, 'quality.manager@assay.demo');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Scorecards' }).click();
    await page.getByRole('heading', { level: 1, name: 'Scorecards' }).waitFor();
    await settled(page);
    const row = page.getByRole('row', { name: new RegExp(video.name) });
    await expect(row.innerText()).resolves.toMatch(/Moderation QA scorecard\s*v1/i);
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole('link', { name: video.name }).click();
    await page.getByRole('heading', { level: 1, name: `${video.name} scorecard` }).waitFor();
    await settled(page);
    await expect(page.getByText('Critical: auto-fail').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'New version from v1' }).click();
    await page.getByRole('heading', { name: /Edit draft 2/ }).waitFor();

    await page.getByRole('textbox', { name: 'Pass mark' }).fill('85');
    await page.getByRole('button', { name: 'Add a question to Section 2' }).click();
    const added = page.getByRole('group', { name: 'Question 2.3' });
    await added.getByRole('textbox', { name: 'Question text' }).fill('Checked the account history?');
    // A key already used by another question: only the server knows; its message sits under the field.
    const key = added.getByRole('textbox', { name: 'Key' });
    await key.fill('correct_action');
    await page.getByRole('button', { name: 'Save draft' }).click();
    expect(await fieldError(key)).toMatch(/used twice/);
    await screenshot(page, 'scorecard-editor-error');
    await key.fill('account_history');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('status').filter({ hasText: 'Draft saved.' }).waitFor();
    await screenshot(page, 'scorecard-editor');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Publish…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish version 2?' });
    await dialog.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('status').filter({ hasText: 'Published' }).waitFor();
    await settled(page);
    await expect(page.getByRole('row', { name: /v1/ }).innerText()).resolves.toMatch(/retired/i);
    await expect(page.getByRole('row', { name: /v2/ }).innerText()).resolves.toMatch(/published/i);
    await screenshot(page, 'scorecard-published');

    const published = await database.db
      .selectFrom('scorecard_versions')
      .select(['id', 'definition'])
      .where('workflow_id', '=', video.id)
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    const definition = published.definition as { passMark: number; sections: Array<{ questions: Array<{ key: string }> }> };
    expect(definition.passMark).toBe(85);
    expect(definition.sections[1]!.questions.map((q) => q.key)).toContain('account_history');
    expect((await auditRowsFor(database.db, published.id)).map((e) => e.action)).toEqual(['scorecard.draft', 'scorecard.update', 'scorecard.publish']);
    expect(failures).toEqual({ errors: [], serverErrors: [] });
  });

  it('a vendor-scoped QA lead can read a scorecard but not change it', async () => {
    const page = await newPage();
    const support = demo.workflows.find((w) => w.key === 'user_support')!;
    const vendorLead = demo.users.find((u) => u.role === 'qa_lead' && u.scope.kind === 'vendor')!;
    await signIn(page, url, vendorLead.email);
    await page.goto(`${url}/scorecards/${support.id}`);
    await page.getByRole('heading', { level: 1, name: `${support.name} scorecard` }).waitFor();
    await settled(page);
    await expect(page.getByText('Tone and empathy (1 = poor, 5 = excellent)').count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: /New version/ }).count()).resolves.toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
