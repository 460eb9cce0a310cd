import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { loadDemo } from '../../src/demo/load-demo.ts';
import type { DemoData } from '../../src/demo/demo-data.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { launchBrowser, screenshot, screenshotViewport, seriousViolations, serveUi } from '../support/browser.ts';
import { detailValue, fieldError, pickOption, settled, signIn, watchForFailures, type PageFailures } from '../support/ui-helpers.ts';

/**
 * An administrator looks after the organisation through the UI: a person is
 * refused with messages under the right fields, then added, found, moved to
 * another team and deactivated; a vendor manager of another vendor cannot
 * open that person; a duplicate vendor name is refused by the server (409)
 * and the message lands under the Name field.
 */
let database: TestDatabase;
let app: FastifyInstance;
let url: string;
let browser: Browser;
let demo: DemoData;
let admin: { context: BrowserContext; page: Page; failures: PageFailures };

const NEW_PERSON = 'Noor Haddad-Whelan';

beforeAll(async () => {
  database = await createTestDatabase();
  demo = await loadDemo(database.db, { seed: 2026, today: '2026-11-25', decisionScale: 0 });
  ({ app, url } = await serveUi(database.db));
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  admin = { context, page, failures: watchForFailures(page) };
  await signIn(page, url, 'admin@assay.demo');
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.drop();
});

const vendorOf = (key: string) => demo.vendors.find((v) => v.key === key)!;
const siteNamed = (name: string) => demo.sites.find((s) => s.name === name)!;

describe('an administrator managing people', () => {
  // The in-house Dublin site, two of its teams; the viewer later is Coralpoint's vendor manager.
  const dublin = () => siteNamed('Dublin');
  const dublinTeams = () => demo.teams.filter((t) => t.siteKey === dublin().key);
  let personPath = '';

  it('sees why a new person is refused, under each field', async () => {
    const { page } = admin;
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'People' }).click();
    await settled(page);
    await page.getByRole('button', { name: 'New person' }).click();
    const dialog = page.getByRole('dialog', { name: 'New person' });
    await dialog.waitFor();

    // Nothing filled in: the form itself names the missing fields.
    await dialog.getByRole('button', { name: 'Add person' }).click();
    expect(await fieldError(dialog.getByRole('textbox', { name: 'Full name' }))).toBe('Enter the full name');
    expect(await fieldError(dialog.getByRole('combobox', { name: 'Site' }))).toBe('Choose the site this person works at');

    // A hire date the server refuses: its message comes back under Hire date.
    await dialog.getByRole('textbox', { name: 'Full name' }).fill(NEW_PERSON);
    await pickOption(dialog.getByRole('combobox', { name: 'Site' }), `Dublin — ${vendorOf(dublin().vendorKey).name}`, 'Dublin');
    await dialog.getByLabel('Hire date').fill('1949-12-31');
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/people') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: 'Add person' }).click();
    expect((await refused).status()).toBe(422);
    expect(await fieldError(dialog.getByLabel('Hire date'))).toBe('A hire date before 1950 is probably a typo.');
    await expect(dialog.isVisible()).resolves.toBe(true);
    await screenshotViewport(page, 'person-form-errors');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('adds the person, finds them in the list and opens their page', async () => {
    const { page } = admin;
    const dialog = page.getByRole('dialog', { name: 'New person' });
    const [firstTeam] = dublinTeams();
    await dialog.getByLabel('Hire date').fill('2025-03-03');
    await pickOption(dialog.getByRole('combobox', { name: 'Team' }), firstTeam!.name);
    const created = page.waitForResponse((r) => r.url().endsWith('/api/people') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: 'Add person' }).click();
    expect((await created).status()).toBe(201);
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('searchbox', { name: 'Search' }).fill('Haddad');
    await page.getByText(/of 1 people$/).waitFor();
    const row = page.getByRole('row').filter({ hasText: NEW_PERSON });
    expect(await row.innerText()).toContain('Dublin');
    expect(await row.innerText()).toContain(firstTeam!.name);
    await row.getByRole('link', { name: NEW_PERSON }).click();
    await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
    personPath = new URL(page.url()).pathname;
    // The URL changes before the person's page renders; wait for its heading.
    await page.getByRole('heading', { level: 1, name: NEW_PERSON, exact: true }).waitFor();
    await settled(page);
    await expect(detailValue(page, 'Team').innerText()).resolves.toBe(firstTeam!.name);
    await expect(detailValue(page, 'Site').innerText()).resolves.toBe('Dublin');
    await expect(detailValue(page, 'Hire date').innerText()).resolves.toMatch(/2025/);
    await page.getByRole('main').getByText('Active', { exact: true }).waitFor();
  });

  it('moves the person to another team, then deactivates them', async () => {
    const { page } = admin;
    const [, secondTeam] = dublinTeams();
    await page.getByRole('button', { name: 'Edit' }).click();
    let dialog = page.getByRole('dialog', { name: `Edit ${NEW_PERSON}` });
    await dialog.waitFor();
    await pickOption(dialog.getByRole('combobox', { name: 'Team' }), secondTeam!.name);
    await dialog.getByRole('button', { name: 'Save person' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => detailValue(page, 'Team').innerText()).toBe(secondTeam!.name);

    await page.getByRole('button', { name: 'Edit' }).click();
    dialog = page.getByRole('dialog', { name: `Edit ${NEW_PERSON}` });
    await dialog.waitFor();
    await pickOption(dialog.getByRole('combobox', { name: 'Status' }), 'Inactive');
    await dialog.getByRole('button', { name: 'Save person' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('main').getByText('Inactive', { exact: true }).waitFor();
    expect(await page.getByRole('main').getByText('Active', { exact: true }).count()).toBe(0);

    // The list agrees once filtered by status.
    await page.goto(`${url}/people?q=Haddad&status=inactive`);
    await settled(page);
    const row = page.getByRole('row').filter({ hasText: NEW_PERSON });
    await expect(row.getByText('Inactive', { exact: true }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'person-inactive-in-list');
    expect(admin.failures).toEqual({ errors: [], serverErrors: [] });
  });

  it('finds each change in the audit log, with the action in full and the person named', async () => {
    const { page } = admin;
    await page.goto(`${url}/audit?entityType=person`);
    await settled(page);
    await page.getByText('End of the log · 3 entries shown').waitFor();
    const rows = page.getByRole('table').getByRole('row').filter({ has: page.getByRole('cell') });
    const actions = await rows.locator('code').allTextContents();
    expect(actions).toEqual(['person.deactivate', 'person.update', 'person.create']);
    for (const action of actions) {
      // Not cut short ("person.deac…"): the whole action is visible.
      const code = rows.locator('code', { hasText: action });
      expect(await code.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.style.textOverflow !== 'ellipsis')).toBe(true);
      expect(await code.innerText()).toBe(action);
    }
    // Each row names the person (the create entry recorded the name) and links to their page.
    const links = rows.getByRole('link', { name: NEW_PERSON });
    expect(await links.count()).toBe(3);
    expect(new Set(await links.evaluateAll((els) => els.map((el) => el.getAttribute('href'))))).toEqual(new Set([personPath]));
    await expect(links.first().getAttribute('title')).resolves.toBe(personPath.split('/').pop());
    await screenshot(page, 'audit-person-changes');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("is not found by a vendor manager of another vendor", async () => {
    const manager = demo.users.find((u) => u.role === 'vendor_manager' && u.scope.refKey !== dublin().vendorKey)!;
    const context = await browser.newContext();
    const page = await context.newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, manager.email);
    const answer = page.waitForResponse((r) => r.url().includes(`/api${personPath}`));
    await page.goto(`${url}${personPath}`);
    expect((await answer).status()).toBe(404);
    await page.getByRole('heading', { level: 1, name: 'Not found' }).waitFor();
    expect(await page.getByRole('main').innerText()).not.toContain(NEW_PERSON);
    expect(await seriousViolations(page)).toEqual([]);
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await context.close();
  });
});

describe('an administrator adding a vendor', () => {
  it('is told under Name that the name is taken (409)', async () => {
    const { page } = admin;
    const existing = demo.vendors.find((v) => !v.isInHouse)!;
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Vendors' }).click();
    await settled(page);
    await page.getByRole('button', { name: 'New vendor' }).click();
    const dialog = page.getByRole('dialog', { name: 'New vendor' });
    await dialog.getByRole('textbox', { name: 'Name' }).fill(existing.name);
    await dialog.getByRole('textbox', { name: 'Code' }).fill('DUPE1');
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/vendors') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: 'Create vendor' }).click();
    expect((await refused).status()).toBe(409);
    expect(await fieldError(dialog.getByRole('textbox', { name: 'Name' }))).toBe('A vendor with this name already exists.');
    // The code was fine: no message under it, and the dialog stays open to fix the name.
    await expect(dialog.getByRole('textbox', { name: 'Code' }).getAttribute('aria-invalid')).resolves.not.toBe('true');
    await screenshotViewport(page, 'vendor-duplicate-name');
    expect(await seriousViolations(page)).toEqual([]);

    // Renamed, it is created and listed.
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Harbourline Review Partners');
    await dialog.getByRole('button', { name: 'Create vendor' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('row').filter({ hasText: 'Harbourline Review Partners' }).filter({ hasText: 'DUPE1' }).waitFor();
    expect(admin.failures).toEqual({ errors: [], serverErrors: [] });
  });
});
