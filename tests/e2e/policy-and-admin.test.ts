import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { loadDemo } from '../../src/demo/load-demo.ts';
import type { DemoData } from '../../src/demo/demo-data.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { launchBrowser, screenshot, screenshotViewport, seriousViolations, serveUi } from '../support/browser.ts';
import { detailValue, pickOption, settled, signIn, watchForFailures, type PageFailures } from '../support/ui-helpers.ts';

/**
 * An administrator reads which policy version is in force and schedules the
 * next one; creates a user scoped to one vendor; that user makes an API token
 * on the tokens page, a script (Node's fetch) uses it and sees that vendor
 * only, and once the token is revoked the script is refused.
 */
let database: TestDatabase;
let app: FastifyInstance;
let url: string;
let browser: Browser;
let demo: DemoData;
let page: Page;
let failures: PageFailures;

const NEW_USER = { name: 'Rosa Quintero', email: 'rosa.quintero@tidewell.example', password: 'amber-lantern-river-2026' };

beforeAll(async () => {
  database = await createTestDatabase();
  demo = await loadDemo(database.db, { seed: 2026, today: '2026-11-25', decisionScale: 0 });
  ({ app, url } = await serveUi(database.db));
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  failures = watchForFailures(page);
  await signIn(page, url, 'admin@assay.demo');
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.drop();
});

/** The timeline entry of one version: its link and its state badge. */
function timelineEntry(version: number): Locator {
  return page
    .getByRole('region', { name: 'Versions' })
    .locator('.mantine-Timeline-item')
    .filter({ has: page.getByRole('link', { name: `Version ${version}`, exact: true }) });
}

async function stateOf(version: number): Promise<string> {
  const text = await timelineEntry(version).textContent();
  const state = ['In force', 'Scheduled', 'Superseded'].find((s) => text?.includes(s));
  return state ?? `no state in "${text}"`;
}

describe('policy versions', () => {
  const hate = () => demo.policies.find((p) => p.key === 'hate_speech')!;

  it('shows which of two versions is in force', async () => {
    expect(hate().versions).toHaveLength(2);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Policies' }).click();
    await settled(page);
    await page.getByRole('link', { name: hate().name, exact: true }).click();
    await page.waitForURL(`${url}/policies/${hate().id}`);
    await settled(page);
    expect(await stateOf(2)).toBe('In force');
    expect(await stateOf(1)).toBe('Superseded');
    // The version shown by default is the one in force.
    await expect(page.getByRole('heading', { level: 2, name: 'Version 2' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'policy-two-versions');
  });

  it('schedules a new version, prefilled from the latest', async () => {
    const latest = hate().versions[1]!;
    await page.getByRole('link', { name: 'New version' }).click();
    await page.waitForURL(`${url}/policies/${hate().id}/versions/new`);
    await settled(page);
    const summary = page.getByRole('textbox', { name: 'Summary' });
    await expect.poll(() => summary.inputValue()).toBe(latest.summary);
    await expect(page.getByText('Saving creates version 3.').isVisible()).resolves.toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Effective from').fill('2027-01-15T09:00');
    await summary.fill(`${latest.summary} Changed in v3: quoting a slur to report it is not a violation.`);
    const saved = page.waitForResponse((r) => r.url().endsWith(`/api/policies/${hate().id}/versions`) && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Create version' }).click();
    expect((await saved).status()).toBe(201);
    await page.waitForURL(`${url}/policies/${hate().id}?version=3`);
    await settled(page);

    expect(await stateOf(3)).toBe('Scheduled');
    expect(await stateOf(2)).toBe('In force');
    expect(await stateOf(1)).toBe('Superseded');
    // Same labels as the version it was prefilled from.
    await expect(timelineEntry(3).innerText()).resolves.toContain(`${latest.labels.length} labels`);
    await expect(page.getByRole('heading', { level: 2, name: 'Version 3' }).isVisible()).resolves.toBe(true);
    expect(await page.getByRole('main').innerText()).toContain('Changed in v3');
    await screenshot(page, 'policy-version-scheduled');
    expect(failures).toEqual({ errors: [], serverErrors: [] });
  });
});

describe('users and API tokens', () => {
  const tidewell = () => demo.vendors.find((v) => v.key === 'tidewell')!;

  it('creates a QA lead who sees one vendor', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Users' }).click();
    await settled(page);
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByRole('textbox', { name: 'Display name' }).fill(NEW_USER.name);
    await dialog.getByRole('textbox', { name: 'Email' }).fill(NEW_USER.email);
    await pickOption(dialog.getByRole('combobox', { name: 'Role', exact: true }), 'QA lead');
    await pickOption(dialog.getByRole('combobox', { name: 'Scope', exact: true }), 'One vendor');
    await pickOption(dialog.getByRole('combobox', { name: 'Scope vendor' }), tidewell().name);
    await dialog.getByLabel('Initial password').fill(NEW_USER.password);
    await screenshotViewport(page, 'user-form-vendor-scope');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Create user' }).click();

    await page.waitForURL(/\/users\/[0-9a-f-]{36}$/);
    // The URL changes before React renders the new page: until then the list's
    // own h1 ("Users") is still on screen, so wait for the user's heading.
    await page.getByRole('heading', { level: 1, name: NEW_USER.name, exact: true }).waitFor();
    await settled(page);
    await expect(detailValue(page, 'Scope').innerText()).resolves.toBe(`${tidewell().name} (vendor)`);
    await expect(detailValue(page, 'Email').innerText()).resolves.toBe(NEW_USER.email);
    expect(failures).toEqual({ errors: [], serverErrors: [] });
  });

  it("gives a token with the user's scope, which stops working once revoked", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const own = await context.newPage();
    const ownFailures = watchForFailures(own);
    await signIn(own, url, NEW_USER.email, NEW_USER.password);
    await own.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'API tokens' }).click();
    await settled(own);
    await own.getByRole('button', { name: 'New token' }).click();
    const dialog = own.getByRole('dialog', { name: 'New API token' });
    await dialog.getByRole('textbox', { name: 'Token name' }).fill('Looker export');
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const shown = own.getByTestId('new-token');
    await shown.waitFor();
    const token = (await shown.innerText()).trim();
    expect(token.length).toBeGreaterThan(20);
    await screenshotViewport(own, 'token-shown-once');
    expect(await seriousViolations(own)).toEqual([]);
    await own.getByRole('dialog', { name: 'Token created' }).getByRole('button', { name: 'Done' }).click();
    // Shown once: the list has only its first characters.
    const row = own.getByRole('row').filter({ hasText: 'Looker export' });
    await row.waitFor();
    expect(await own.getByRole('main').innerText()).not.toContain(token);

    const call = (path: string) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const vendors = await call('/api/vendors');
    expect(vendors.status).toBe(200);
    const body = (await vendors.json()) as { items: Array<{ id: string; name: string }>; total: number };
    expect(body.items.map((v) => v.id)).toEqual([tidewell().id]);
    expect(body.total).toBe(1);
    // A QA lead may not manage users, token or not.
    expect((await call('/api/users')).status).toBe(403);

    await row.getByRole('button', { name: 'Revoke Looker export' }).click();
    const confirm = own.getByRole('dialog', { name: 'Revoke token?' });
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await row.getByText('Revoked', { exact: true }).waitFor();
    expect(await row.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
    expect((await call('/api/vendors')).status).toBe(401);
    await screenshot(own, 'token-revoked');
    expect(ownFailures).toEqual({ errors: [], serverErrors: [] });
    await context.close();
  });
});
