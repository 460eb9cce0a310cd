import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { loadDemo } from '../../src/demo/load-demo.ts';
import type { DemoData } from '../../src/demo/demo-data.ts';
import { auditRowsFor } from '../support/audit-trail.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { launchBrowser, screenshot, screenshotViewport, seriousViolations, serveUi } from '../support/browser.ts';
import { fieldError, pickOption, settled, signIn, watchForFailures } from '../support/ui-helpers.ts';

/**
 * The decision explorer, the sampling plan editor and the QA queue on the demo
 * organisation (a small share of its decisions): an administrator filters
 * decisions by vendor and opens one (its content only on request, and the view
 * lands in the audit log); Coralpoint's vendor manager sees Coralpoint's
 * decisions only; a quality manager drafts a plan, trips the server's check on
 * a rate, previews and activates it; a QA lead takes the next task and gives
 * it back. axe on every page; screenshots in artifacts/screenshots.
 */
let database: TestDatabase;
let app: FastifyInstance;
let url: string;
let browser: Browser;
let demo: DemoData;

// The queue and the plan preview read "now": the demo's decisions end today.
const TODAY = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  database = await createTestDatabase();
  demo = await loadDemo(database.db, { seed: 2026, today: TODAY, decisionScale: 0.05 });
  ({ app, url } = await serveUi(database.db));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.drop();
});

async function newPage(width = 1440): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  return context.newPage();
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });
const vendorNamed = (key: string) => demo.vendors.find((v) => v.key === key)!;

/** The rows of the main table (header row excluded). */
const bodyRows = (page: Page) => page.getByRole('main').getByRole('table').first().locator('tbody tr');

describe('the decision explorer', () => {
  it('filters by vendor, and shows a decision\u2019s content only on request, recording the view', async () => {
    const page = await newPage();
    const failures = watchForFailures(page);
    const coralpoint = vendorNamed('coralpoint');
    await signIn(page, url, 'admin@assay.demo');
    await nav(page).getByRole('link', { name: 'Decisions' }).click();
    await page.waitForURL(`${url}/decisions`);
    await page.getByRole('heading', { level: 1, name: 'Decisions' }).waitFor();
    await settled(page);
    expect(await bodyRows(page).count()).toBeGreaterThan(0);
    // The daily chart sits above the table, described for screen readers.
    await expect(page.getByRole('img', { name: /Chart of daily decisions/ }).count()).resolves.toBe(1);

    const filtered = page.waitForResponse((r) => r.url().includes('/api/decisions?') && r.url().includes(`vendorId=${coralpoint.id}`));
    await pickOption(page.getByRole('combobox', { name: 'Vendor' }), coralpoint.name, coralpoint.name.slice(0, 5));
    await page.waitForURL(new RegExp(`vendorId=${coralpoint.id}`));
    await filtered;
    await settled(page);
    const rows = bodyRows(page);
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    const ownSites = demo.sites.filter((s) => s.vendorKey === 'coralpoint').map((s) => s.name);
    for (let i = 0; i < count; i++) {
      const text = await rows.nth(i).innerText();
      expect(text).toContain(coralpoint.name);
      expect(ownSites.some((site) => text.includes(site))).toBe(true);
    }
    await screenshot(page, 'decisions-explorer-vendor');
    expect(await seriousViolations(page)).toEqual([]);

    // Open the first row: nothing of the content is on the page yet.
    const link = rows.first().locator('a[data-row-link]');
    const href = (await link.getAttribute('href'))!;
    const decisionId = href.split('/').pop()!;
    const stored = await database.db
      .selectFrom('decisions')
      .select(['content_text', 'content_url', 'severity'])
      .where('id', '=', decisionId)
      .executeTakeFirstOrThrow();
    const viewsBefore = (await auditRowsFor(database.db, decisionId)).filter((r) => r.action === 'decision.content_view').length;
    await rows.first().locator('td').nth(2).click(); // anywhere on the row opens it
    await page.waitForURL(`${url}/decisions/${decisionId}`);
    await settled(page);
    const needle = (stored.content_text ?? stored.content_url ?? '').trim().slice(0, 40);
    expect(needle.length).toBeGreaterThan(0);
    expect(await page.getByRole('main').innerText()).not.toContain(needle);
    expect((await auditRowsFor(database.db, decisionId)).filter((r) => r.action === 'decision.content_view')).toHaveLength(viewsBefore);
    await screenshot(page, 'decision-detail-hidden');
    expect(await seriousViolations(page)).toEqual([]);

    const viewed = page.waitForResponse((r) => r.url().endsWith(`/api/decisions/${decisionId}`) && r.request().method() === 'GET');
    await page.getByRole('button', { name: 'Show content' }).click();
    expect((await viewed).status()).toBe(200);
    if (stored.severity === 'high' || stored.severity === 'critical') await page.getByRole('button', { name: 'Reveal content' }).click();
    await page.getByTestId('decision-content').waitFor();
    expect(await page.getByTestId('decision-content').innerText()).toContain(needle);
    await page.getByRole('heading', { name: 'Policy versions in force' }).waitFor();
    await page.getByRole('heading', { name: 'Sampling' }).waitFor();
    const views = (await auditRowsFor(database.db, decisionId)).filter((r) => r.action === 'decision.content_view');
    expect(views).toHaveLength(viewsBefore + 1);
    expect(views.at(-1)!.actor_label).toContain('admin@assay.demo');
    await screenshot(page, 'decision-detail-shown');
    expect(await seriousViolations(page)).toEqual([]);
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });

  it('keeps high-severity content blurred until it is revealed', async () => {
    const page = await newPage(1280);
    const failures = watchForFailures(page);
    await signIn(page, url, 'admin@assay.demo');
    await page.goto(`${url}/decisions?severity=high`);
    await settled(page);
    const link = bodyRows(page).first().locator('a[data-row-link]');
    await link.focus();
    await page.keyboard.press('Enter'); // the keyboard way in
    await page.waitForURL(/\/decisions\/[0-9a-f-]{36}$/);
    await settled(page);
    await page.getByRole('button', { name: 'Show content' }).click();
    const reveal = page.getByRole('button', { name: 'Reveal content' });
    await reveal.waitFor();
    // Shielded: blurred, grey, and hidden from assistive technology until revealed.
    const shield = page.locator('[class*="shielded"]');
    const filter = await shield.evaluate((el) => {
      // Runs in the page, where globalThis is the window.
      const { getComputedStyle } = globalThis as unknown as { getComputedStyle(el: unknown): { filter: string } };
      return getComputedStyle(el).filter;
    });
    expect(filter).toMatch(/blur\(.+grayscale/);
    expect(await shield.getAttribute('aria-hidden')).toBe('true');
    await screenshotViewport(page, 'decision-detail-blurred');
    expect(await seriousViolations(page)).toEqual([]);
    await reveal.click();
    await page.getByTestId('decision-content').waitFor();
    await page.getByRole('button', { name: 'Blur again' }).waitFor();
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });

  it("shows Coralpoint's vendor manager only Coralpoint's decisions", async () => {
    const page = await newPage();
    const failures = watchForFailures(page);
    const coralpoint = vendorNamed('coralpoint');
    await signIn(page, url, 'vm.coralpoint@assay.demo');
    await nav(page).getByRole('link', { name: 'Decisions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Decisions' }).waitFor();
    await settled(page);
    // One vendor in scope: no vendor filter, and the pager counts Coralpoint's decisions, nobody else's.
    expect(await page.getByRole('combobox', { name: 'Vendor' }).count()).toBe(0);
    const { n } = await database.db
      .selectFrom('decisions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('vendor_id', '=', coralpoint.id)
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBeGreaterThan(0);
    await page.getByText(new RegExp(`of ${Number(n).toLocaleString('en-US')} decisions`)).waitFor();
    const ownSites = demo.sites.filter((s) => s.vendorKey === 'coralpoint').map((s) => s.name);
    const otherSites = demo.sites.filter((s) => s.vendorKey !== 'coralpoint').map((s) => s.name);
    const text = await page.getByRole('main').getByRole('table').innerText();
    expect(ownSites.some((site) => text.includes(site))).toBe(true);
    for (const site of otherSites) expect(text).not.toContain(site);
    await screenshot(page, 'decisions-vendor-manager');
    expect(await seriousViolations(page)).toEqual([]);

    // The agent filter searches by name on the server.
    const { agent_id: agentId } = await database.db
      .selectFrom('decisions')
      .select('agent_id')
      .where('vendor_id', '=', coralpoint.id)
      .orderBy('decided_at', 'desc')
      .executeTakeFirstOrThrow();
    const agent = demo.people.find((p) => p.id === agentId)!;
    const team = demo.teams.find((t) => t.key === agent.teamKey)!;
    const byAgent = page.waitForResponse((r) => r.url().includes('/api/decisions?') && r.url().includes(`agentId=${agentId}`));
    await pickOption(page.getByRole('combobox', { name: 'Agent' }), `${agent.fullName} — ${team.name}`, agent.fullName.split(' ')[0]);
    await byAgent;
    await settled(page);
    const agentRows = bodyRows(page);
    expect(await agentRows.count()).toBeGreaterThan(0);
    for (const text of await agentRows.allInnerTexts()) expect(text).toContain(agent.fullName);
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });
});

describe('the sampling plan editor', () => {
  it('drafts a plan, shows the server\u2019s check next to the rate, previews and activates it', async () => {
    const page = await newPage();
    const failures = watchForFailures(page);
    const workflow = demo.workflows[0]!;
    await signIn(page, url, 'quality.manager@assay.demo');
    await nav(page).getByRole('link', { name: 'Sampling plans' }).click();
    await page.waitForURL(`${url}/sampling`);
    await page.getByRole('heading', { level: 1, name: 'Sampling plans' }).waitFor();
    await settled(page);
    await page.getByRole('heading', { level: 2, name: workflow.name }).waitFor();
    await screenshot(page, 'sampling-plans');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: `New draft for ${workflow.name}` }).click();
    await page.waitForURL(`${url}/sampling/${workflow.id}/draft`);
    await page.getByRole('heading', { level: 2, name: 'Start a draft' }).waitFor();
    await settled(page);
    expect(await seriousViolations(page)).toEqual([]);
    const start = page.getByRole('button', { name: /^Copy the active version/ });
    const created = page.waitForResponse((r) => r.url().endsWith(`/api/sampling-plans/${workflow.id}/versions`) && r.request().method() === 'POST');
    if (await start.count()) await start.click();
    else await page.getByRole('button', { name: 'Start from the default plan' }).click();
    expect((await created).status()).toBe(201);
    const name = page.getByRole('textbox', { name: 'Plan name' });
    await name.waitFor();
    await name.fill('Baseline with a new-hire boost');

    // The first stratum sampled at a rate: give it an impossible rate.
    const rateStratum = page.getByRole('group', { name: /^Stratum \d+/ }).filter({ has: page.getByRole('textbox', { name: 'Rate (%)' }) }).first();
    const rate = rateStratum.getByRole('textbox', { name: 'Rate (%)' });
    await rate.fill('150');
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/sampling-plans/preview'));
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    expect((await refused).status()).toBe(422);
    expect(await fieldError(rate)).toMatch(/rate/i);
    await rate.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await screenshotViewport(page, 'sampling-draft-invalid-rate');
    expect(await seriousViolations(page)).toEqual([]);

    await rate.fill('4');
    const previewed = page.waitForResponse((r) => r.url().endsWith('/api/sampling-plans/preview'));
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    expect((await previewed).status()).toBe(200);
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.waitFor();
    const previewText = await preview.innerText();
    expect(previewText).toMatch(/Expected daily QA volume/i);
    expect(previewText).toMatch(/±\d+\.\d pp/);
    expect(previewText).toContain('last 28 days');
    expect(await rate.getAttribute('aria-invalid')).not.toBe('true');
    await page.waitForTimeout(500); // the editor's smooth scroll to the preview ends
    await preview.evaluate((el) => {
      el.scrollIntoView({ block: 'start' });
      // Runs in the page, where globalThis is the window: clear the fixed header.
      (globalThis as unknown as { scrollBy(x: number, y: number): void }).scrollBy(0, -72);
    });
    await screenshotViewport(page, 'sampling-draft-preview');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /^Activate version \d+\?$/ });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('cannot be edited');
    await page.waitForTimeout(300); // the dialog's fade-in
    await screenshotViewport(page, 'sampling-activate-confirm');
    expect(await seriousViolations(page)).toEqual([]);
    const activated = page.waitForResponse((r) => /\/api\/sampling-plan-versions\/[0-9a-f-]+\/activate$/.test(r.url()));
    await dialog.getByRole('button', { name: 'Activate now' }).click();
    expect((await activated).status()).toBe(200);
    await page.waitForURL(new RegExp(`/sampling/${workflow.id}\\?version=\\d+$`));
    await settled(page);
    const heading = page.getByRole('heading', { level: 2, name: /^Version \d+: Baseline with a new-hire boost$/ });
    await heading.waitFor();
    const versionSection = page.getByRole('region', { name: /^Version \d+: Baseline with a new-hire boost$/ });
    await versionSection.getByText('In force', { exact: true }).waitFor();
    expect(await versionSection.innerText()).toContain('4% at random');
    await screenshot(page, 'sampling-plan-activated');
    expect(await seriousViolations(page)).toEqual([]);
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });
});

describe('the QA queue', () => {
  it('shows the queue per workflow, and a QA lead takes the next task and releases it', async () => {
    const page = await newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, 'qa.lead@assay.demo');
    await nav(page).getByRole('link', { name: 'QA queue' }).click();
    await page.waitForURL(`${url}/qa/queue`);
    await page.getByRole('heading', { level: 1, name: 'QA queue' }).waitFor();
    await settled(page);
    const tiles = page.getByRole('region', { name: 'Workflows' }).getByRole('heading', { level: 3 });
    expect(await tiles.count()).toBeGreaterThan(0);
    await page.getByRole('table', { name: 'Reviewer workload' }).waitFor();
    await screenshot(page, 'qa-queue');
    expect(await seriousViolations(page)).toEqual([]);

    const taken = page.waitForResponse((r) => r.url().endsWith('/api/qa/tasks/next'));
    await page.getByRole('button', { name: 'Take next task' }).click();
    expect((await taken).status()).toBe(200);
    const held = page.getByRole('region', { name: /^Your task: / });
    await held.waitFor();
    await held.getByRole('timer').waitFor();
    expect(await held.getByRole('timer').innerText()).toMatch(/Lease \d+:\d\d left/);
    await screenshot(page, 'qa-queue-task-taken');
    expect(await seriousViolations(page)).toEqual([]);

    const released = page.waitForResponse((r) => /\/api\/qa\/tasks\/[0-9a-f-]+\/release$/.test(r.url()));
    await held.getByRole('button', { name: 'Release' }).click();
    expect((await released).status()).toBe(200);
    await held.waitFor({ state: 'detached' });
    await page.getByText('You hold no task.').waitFor();

    // A manager sets a reviewer's daily capacity; the workload bar follows.
    const workload = page.getByRole('table', { name: 'Reviewer workload' });
    const firstReviewer = workload.locator('tbody tr').first();
    await firstReviewer.getByRole('button', { name: /^Set daily capacity of / }).click();
    const capacity = page.getByRole('dialog', { name: /^Daily capacity of / });
    await capacity.getByRole('textbox', { name: 'Tasks per day' }).fill('60');
    await page.waitForTimeout(300); // the dialog's fade-in
    await screenshotViewport(page, 'qa-queue-capacity');
    expect(await seriousViolations(page)).toEqual([]);
    await capacity.getByRole('button', { name: 'Save' }).click();
    await capacity.waitFor({ state: 'hidden' });
    await firstReviewer.getByText(/\/ 60$/).waitFor();

    await page.getByRole('tab', { name: /Overdue/ }).click();
    await settled(page);
    await screenshot(page, 'qa-queue-overdue');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('tab', { name: 'Settings' }).click();
    await settled(page);
    const workflow = demo.workflows[0]!;
    await page.getByRole('button', { name: `Edit QA settings of ${workflow.name}` }).click();
    const settings = page.getByRole('dialog', { name: `QA settings: ${workflow.name}` });
    await settings.getByRole('textbox', { name: 'Turnaround (hours)' }).fill('24');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.waitFor({ state: 'hidden' });
    await page.getByRole('row').filter({ hasText: workflow.name }).getByText('24 h', { exact: true }).waitFor();
    await screenshot(page, 'qa-queue-settings');
    expect(await seriousViolations(page)).toEqual([]);
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });

  it('gives a QA specialist their own task page, and the queue of their site', async () => {
    const page = await newPage(1280);
    const failures = watchForFailures(page);
    await signIn(page, url, 'qa.specialist@assay.demo');
    expect(await nav(page).getByRole('link', { name: 'QA queue' }).count()).toBe(1);
    await nav(page).getByRole('link', { name: 'My QA tasks' }).click();
    await page.getByRole('heading', { level: 1, name: 'My QA tasks' }).waitFor();
    await settled(page);
    expect(await seriousViolations(page)).toEqual([]);
    const taken = page.waitForResponse((r) => r.url().endsWith('/api/qa/tasks/next'));
    await page.getByRole('button', { name: 'Take next task' }).click();
    const status = (await taken).status();
    expect([200, 204]).toContain(status);
    if (status === 200) {
      const held = page.getByRole('region', { name: /^Your task: / });
      await held.getByRole('timer').waitFor();
      await screenshot(page, 'qa-my-tasks');
      expect(await seriousViolations(page)).toEqual([]);
      await held.getByRole('button', { name: 'Release' }).click();
      await held.waitFor({ state: 'detached' });
    } else {
      await page.getByText('Nothing to review right now').waitFor();
      await screenshot(page, 'qa-my-tasks');
    }
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });
});
