import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { loadDemo } from '../../src/demo/load-demo.ts';
import type { DemoData } from '../../src/demo/demo-data.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { launchBrowser, screenshot, seriousViolations, serveUi } from '../support/browser.ts';
import { settled, signIn, watchForFailures } from '../support/ui-helpers.ts';

/**
 * The quality dashboards on the demo organisation (issue 5): a vendor manager
 * opens the overview and sees only their vendor, walks every dashboard, opens
 * the agent table and follows an agent's n to the reviews behind it (as many
 * as n); a quality manager sees every vendor on the vendor × policy heatmap,
 * follows a Pareto row to its reviews (as many as its n) and downloads the
 * control chart's CSV from the server, which lands in the audit log.
 * axe on every page; screenshots in artifacts/screenshots.
 */
let database: TestDatabase;
let app: FastifyInstance;
let url: string;
let browser: Browser;
let demo: DemoData;

// The API's default period is the 90 days up to today (UTC): the demo must end today to fill it.
const TODAY = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  database = await createTestDatabase();
  demo = await loadDemo(database.db, { seed: 2026, today: TODAY, decisionScale: 0.03 });
  ({ app, url } = await serveUi(database.db));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.drop();
});

/** Settles the page, then checks what every page must satisfy: no alert, no clipped text, no serious axe violation. */
async function checkPage(page: Page, name: string): Promise<void> {
  await settled(page);
  const alerts = await page.getByRole('main').getByRole('alert').allInnerTexts();
  expect(alerts, `${name}: alert shown`).toEqual([]);
  const cut = await page.locator('main *:not(input):not(textarea)').evaluateAll((els) => {
    // Runs in the page, where globalThis is the window.
    const { getComputedStyle } = globalThis as unknown as { getComputedStyle(el: unknown): { textOverflow: string } };
    return els.filter((el) => getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1).map((el) => (el.textContent ?? '').trim());
  });
  expect(cut, `${name}: text cut short`).toEqual([]);
  expect(await seriousViolations(page), name).toEqual([]);
  await screenshot(page, name);
}

/** Opens one of the dashboards through the view links, which keep the filters. */
async function openView(page: Page, link: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Quality views' }).getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

const numberIn = (text: string) => Number(text.replace(/[^0-9]/g, ''));

describe('a vendor manager', () => {
  it('sees only their vendor, every dashboard, and the reviews behind an agent’s n', async () => {
    const manager = demo.users.find((u) => u.role === 'vendor_manager' && u.scope.refKey === 'coralpoint')!;
    const own = demo.vendors.find((v) => v.key === manager.scope.refKey)!;
    const others = demo.vendors.filter((v) => v.key !== own.key);
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, manager.email);

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Dashboards' }).click();
    await page.getByRole('heading', { level: 1, name: 'Quality overview' }).waitFor();
    await checkPage(page, 'quality-vendor-manager-overview');
    // The tiles: each shows a value, n and (for proportions) the unweighted sample figure only as a footnote.
    const accuracy = page.getByRole('region', { name: 'Accuracy', exact: true });
    expect(await accuracy.innerText()).toMatch(/\d+\.\d%/);
    expect(await accuracy.innerText()).toMatch(/n = [\d,]+/);
    expect(await accuracy.innerText()).toMatch(/Sample accuracy \(unweighted\): \d+\.\d%/);
    // The vendor breakdown holds their vendor and nobody else's; nor does anything else on the page.
    const breakdown = page.getByRole('table', { name: 'Accuracy by vendor' });
    expect(await breakdown.getByRole('row').count()).toBe(2);
    expect(await breakdown.innerText()).toContain(own.name);
    const overviewText = await page.getByRole('main').innerText();
    for (const other of others) expect(overviewText).not.toContain(other.name);

    await openView(page, 'Vendor × policy', 'Vendor × policy');
    await checkPage(page, 'quality-vendor-manager-heatmap');
    const heatmap = page.getByRole('table', { name: /by policy \(rows\) and vendor/ });
    expect((await heatmap.getByRole('columnheader').allInnerTexts()).map((h) => h.trim())).toEqual(['Policy', own.name]);
    const heatmapText = await page.getByRole('main').innerText();
    for (const other of others) expect(heatmapText).not.toContain(other.name);

    await openView(page, 'Trends', 'Trends');
    await checkPage(page, 'quality-vendor-manager-trends');
    await openView(page, 'Control chart', 'Control chart');
    await checkPage(page, 'quality-vendor-manager-control');
    expect(await page.getByRole('main').innerText()).toContain('Rule 1:');
    await openView(page, 'Errors', 'Errors');
    await checkPage(page, 'quality-vendor-manager-errors');
    expect(await page.getByRole('table', { name: 'errors by error type' }).innerText()).toMatch(/False (negative|positive)/);

    await openView(page, 'Agents', 'Agents');
    await checkPage(page, 'quality-vendor-manager-agents');
    const table = page.getByRole('table', { name: 'Agents by accuracy' });
    const headers = (await table.getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
    expect(headers).toEqual(['Agent', 'Accuracy (interval)', 'Reviews (n)', 'Shrunk estimate', 'Against overall']);
    expect(headers.some((h) => /rank/i.test(h))).toBe(false);
    // Default order: credibly below first, then within noise / too few, then credibly above.
    const badges = await table.locator('tbody tr td:last-child').allInnerTexts();
    const order = badges.map((b) => (b.includes('Credibly below') ? 0 : b.includes('Credibly above') ? 2 : 1));
    expect(order).toEqual([...order].sort((a, b) => a - b));

    // The agent with the most reviews on this page: follow their n to the drill-down.
    const rows = table.locator('tbody tr');
    const counts = await rows.locator('td:nth-child(3)').allInnerTexts();
    const pick = counts.map(numberIn).reduce((best, n, i, all) => (n > all[best]! ? i : best), 0);
    const row = rows.nth(pick);
    const agentName = (await row.locator('td').first().innerText()).trim();
    const n = numberIn(counts[pick]!);
    expect(n).toBeGreaterThan(0);
    await row.locator('td:nth-child(3)').getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Reviews behind the figure' }).waitFor();
    await checkPage(page, 'quality-vendor-manager-drilldown');
    expect(page.url()).toContain('agent=');
    await expect(page.getByTestId('drill-total').innerText()).resolves.toBe(`${n.toLocaleString('en-US')} ${n === 1 ? 'review' : 'reviews'}`);
    const listed = await page.getByRole('table', { name: 'Reviews behind the figure' }).locator('tbody tr').count();
    expect(listed).toBe(Math.min(n, 50));
    const agents = await page.getByRole('table', { name: 'Reviews behind the figure' }).locator('tbody tr td:nth-child(4)').allInnerTexts();
    expect(new Set(agents.map((a) => a.trim()))).toEqual(new Set([agentName]));

    // Back on the agent table, the same agent's accuracy opens only the reviews counting against it.
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
    await settled(page);
    await table.locator('tbody tr').filter({ hasText: agentName }).locator('td:nth-child(2)').getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Reviews behind the figure' }).waitFor();
    await settled(page);
    expect(page.url()).toContain('outcome=failing');
    expect(page.url()).toContain('measure=accuracy');
    const failing = numberIn(await page.getByTestId('drill-total').innerText());
    expect(failing).toBeLessThanOrEqual(n);
    const verdicts = await page.getByRole('table', { name: 'Reviews behind the figure' }).locator('tbody tr td:nth-child(5)').allInnerTexts();
    for (const verdict of verdicts) expect(verdict.trim().toLowerCase()).toBe('incorrect');

    // The agent table's CSV comes from the API with the same query.
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
    await settled(page);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV of agents by accuracy' }).click();
    const file = await (await download).path();
    const csv = fs.readFileSync(file, 'utf8');
    expect(csv).toContain(agentName);
    for (const other of others) expect(csv).not.toContain(other.name);

    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });
});

describe('a quality manager', () => {
  it('sees every vendor on the vendor × policy heatmap', async () => {
    const from = new Date(Date.parse(`${TODAY}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
    const reviewed = (
      await sql<{ name: string }>`
        SELECT DISTINCT v.name FROM reviews r JOIN decisions d ON d.id = r.decision_id JOIN vendors v ON v.id = r.vendor_id
         WHERE d.decided_at >= ${from}::date`.execute(database.db)
    ).rows.map((r) => r.name);
    expect(reviewed.length).toBeGreaterThan(1);

    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, 'quality.manager@assay.demo');
    await page.goto(`${url}/quality/heatmap`);
    await page.getByRole('heading', { level: 1, name: 'Vendor × policy' }).waitFor();
    await checkPage(page, 'quality-quality-manager-heatmap');
    const heatmap = page.getByRole('table', { name: /by policy \(rows\) and vendor/ });
    const vendorColumns = (await heatmap.getByRole('columnheader').allInnerTexts()).map((h) => h.trim()).slice(1);
    expect(vendorColumns.sort()).toEqual([...reviewed].sort());
    // Cells with too few reviews are marked in words, with their n.
    const tooFew = heatmap.locator('td', { hasText: 'too few' });
    if ((await tooFew.count()) > 0) expect(await tooFew.first().innerText()).toMatch(/n = \d+, too few/);

    // Another measure, and the trends split by vendor: one line per vendor.
    await page.getByRole('combobox', { name: 'Measure' }).click();
    await page.getByRole('option', { name: 'Precision', exact: true }).click();
    await page.waitForURL(/measure=precision/);
    await checkPage(page, 'quality-quality-manager-heatmap-precision');
    await page.goto(`${url}/quality/trends?split=vendor`);
    await page.getByRole('heading', { level: 1, name: 'Trends' }).waitFor();
    await checkPage(page, 'quality-quality-manager-trends-by-vendor');
    const trendVendors = (await page.getByRole('table', { name: /by week and vendor/ }).getByRole('columnheader').allInnerTexts()).slice(1);
    expect(trendVendors.map((v) => v.trim()).sort()).toEqual([...reviewed].sort());
    await page.goto(`${url}/quality`);
    await page.getByRole('heading', { level: 1, name: 'Quality overview' }).waitFor();
    await checkPage(page, 'quality-quality-manager-overview');
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });
});

describe('exports and Pareto drill-down', () => {
  it('a Pareto row opens as many reviews as its n, with the page’s filters; the control chart CSV is audited', async () => {
    const vendor = (await sql<{ id: string; name: string }>`SELECT id, name FROM vendors WHERE name LIKE 'Coralpoint%'`.execute(database.db)).rows[0]!;
    const manager = (await sql<{ id: string }>`SELECT id FROM users WHERE email = 'quality.manager@assay.demo'`.execute(database.db)).rows[0]!;
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, 'quality.manager@assay.demo');

    // Each Pareto table: its first row's name (error types) or count (root causes) opens the reviews behind it.
    const tables = [
      { caption: 'errors by error type', key: 'error_type', chip: 'Error type', cell: 1 },
      { caption: 'root causes by root cause', key: 'root_cause', chip: 'Root cause', cell: 2 },
    ];
    for (const { caption, key, chip, cell } of tables) {
      await page.goto(`${url}/quality/errors?vendor=${vendor.id}`);
      await page.getByRole('heading', { level: 1, name: 'Errors' }).waitFor();
      await settled(page);
      const row = page.getByRole('table', { name: caption }).locator('tbody tr').first();
      const label = (await row.locator('td').first().innerText()).trim();
      const n = numberIn(await row.locator('td:nth-child(2)').innerText());
      expect(n).toBeGreaterThan(0);
      await row.locator(`td:nth-child(${cell})`).getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: 'Reviews behind the figure' }).waitFor();
      await checkPage(page, `quality-drilldown-${key}`);
      expect(page.url()).toContain(`${key}=`);
      expect(page.url()).toContain(`vendor=${vendor.id}`);
      await expect(page.getByTestId('drill-total').innerText()).resolves.toBe(`${n.toLocaleString('en-US')} ${n === 1 ? 'review' : 'reviews'}`);
      expect(await page.getByRole('main').innerText()).toContain(`${chip}: ${label}`);
      const vendors = await page.getByRole('table', { name: 'Reviews behind the figure' }).locator('tbody tr td:nth-child(4)').allInnerTexts();
      expect(new Set(vendors.map((v) => v.trim()))).toEqual(new Set([vendor.name]));
    }

    // The control chart's CSV is the server's: its points, and an audit entry for the export.
    await page.goto(`${url}/quality/control?measure=critical_error_rate`);
    await page.getByRole('heading', { level: 1, name: 'Control chart' }).waitFor();
    await settled(page);
    const points = await page.getByRole('table', { name: /by week$/ }).locator('tbody tr').count();
    expect(points).toBeGreaterThan(5);
    const before = await sql<{ id: string }>`SELECT max(id)::text AS id FROM audit_log`.execute(database.db);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV of the control chart points' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^control-chart-critical_error_rate-week-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = fs.readFileSync((await file.path())!, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('period,charted,p,n,n_effective,centre,lower,upper,z,rules,signal');
    expect(lines).toHaveLength(points + 1);
    const entries = (
      await sql<{ actor_user_id: string; details: { table: string; query: { measure: string; grain: string }; rows: number; fileName: string } }>`
        SELECT actor_user_id, details FROM audit_log WHERE action = 'metrics.export' AND id > ${before.rows[0]!.id ?? '0'}::bigint ORDER BY id`.execute(database.db)
    ).rows;
    expect(entries).toEqual([
      {
        actor_user_id: manager.id,
        details: expect.objectContaining({ table: 'control_chart', rows: points, fileName: file.suggestedFilename(), query: expect.objectContaining({ measure: 'critical_error_rate', grain: 'week' }) }),
      },
    ]);
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });
});
