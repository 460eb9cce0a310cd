import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { DEMO_PASSWORD, loadDemo } from '../../src/demo/load-demo.ts';
import type { DemoData } from '../../src/demo/demo-data.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { launchBrowser, screenshot, seriousViolations, serveUi } from '../support/browser.ts';

/**
 * A vendor manager signs in and sees only their vendor's sites and people;
 * an administrator then finds that sign-in in the audit log. Real server,
 * real database with the demo organisation, real Chromium.
 */
let database: TestDatabase;
let app: FastifyInstance;
let url: string;
let browser: Browser;
let demo: DemoData;

beforeAll(async () => {
  database = await createTestDatabase();
  demo = await loadDemo(database.db, { seed: 2026, today: '2026-11-25', decisionScale: 0 });
  ({ app, url } = await serveUi(database.db));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.drop();
});

async function signIn(page: Page, email: string) {
  await page.goto(`${url}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').waitFor();
}

function vendorOf(key: string) {
  return demo.vendors.find((v) => v.key === key)!;
}

describe('a vendor manager', () => {
  it("sees only their vendor's sites and people", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const manager = demo.users.find((u) => u.role === 'vendor_manager')!;
    const own = vendorOf(manager.scope.refKey!);
    const ownSites = demo.sites.filter((s) => s.vendorKey === own.key);
    const otherSites = demo.sites.filter((s) => s.vendorKey !== own.key);

    await signIn(page, manager.email);
    await page.getByRole('navigation').getByRole('link', { name: 'Sites' }).click();
    await page.waitForURL(/\/sites/);
    const table = page.getByRole('table');
    await table.getByRole('row').nth(1).waitFor();
    const text = await table.innerText();
    for (const site of ownSites) expect(text).toContain(site.name);
    for (const site of otherSites) expect(text).not.toContain(site.name);
    await screenshot(page, 'vendor-manager-sites');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('navigation').getByRole('link', { name: 'People' }).click();
    await page.waitForURL(/\/people/);
    const ownPeople = demo.people.filter((p) => ownSites.some((s) => s.key === p.siteKey));
    // The pager states the total: every one of the vendor's people, nobody else's.
    await page.getByText(new RegExp(`of ${ownPeople.length} (people|person)`)).waitFor();
    const peopleText = await page.getByRole('main').innerText();
    const strangers = demo.people.filter((p) => otherSites.some((s) => s.key === p.siteKey)).slice(0, 25);
    for (const person of strangers) expect(peopleText).not.toContain(person.fullName);
    await screenshot(page, 'vendor-manager-people');
    expect(await seriousViolations(page)).toEqual([]);

    // An id from another vendor is simply not found.
    const stranger = strangers[0]!;
    await page.goto(`${url}/people/${stranger.id}`);
    await expect(page.getByText(/not found/i).first().waitFor()).resolves.toBeUndefined();
    expect(await page.getByRole('main').innerText()).not.toContain(stranger.fullName);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('an administrator', () => {
  it("finds the vendor manager's sign-in in the audit log", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const manager = demo.users.find((u) => u.role === 'vendor_manager')!;
    await signIn(page, 'admin@assay.demo');
    await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
    await page.waitForURL(/\/audit/);
    const row = page.getByRole('row').filter({ hasText: manager.email }).filter({ hasText: 'auth.sign_in' }).first();
    await row.waitFor();
    expect(await row.innerText()).toContain(manager.email);
    await screenshot(page, 'admin-audit-log');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
