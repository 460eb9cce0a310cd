import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { loadDemo } from '../../src/demo/load-demo.ts';
import type { DemoData } from '../../src/demo/demo-data.ts';
import { issueSetupCode } from '../../src/domain/auth/setup.service.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { launchBrowser, screenshot, screenshotViewport, seriousViolations, serveUi, type AxeViolation } from '../support/browser.ts';
import { fieldError, settled, signIn, watchForFailures } from '../support/ui-helpers.ts';

/**
 * A fresh install is claimed through the setup page; then, on a demo
 * install, every page of the route map is opened by an administrator (and
 * the main lists by a vendor manager and an agent): each must render without
 * uncaught errors, 5xx answers or serious accessibility violations.
 */
let browser: Browser;
let fresh: { database: TestDatabase; app: FastifyInstance; url: string };
let demoInstall: { database: TestDatabase; app: FastifyInstance; url: string; demo: DemoData };

beforeAll(async () => {
  const [freshDb, demoDb] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const demo = await loadDemo(demoDb.db, { seed: 2026, today: '2026-11-25', decisionScale: 0.02 });
  fresh = { database: freshDb, ...(await serveUi(freshDb.db)) };
  demoInstall = { database: demoDb, demo, ...(await serveUi(demoDb.db)) };
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await fresh?.app.close();
  await demoInstall?.app.close();
  await Promise.all([fresh?.database.drop(), demoInstall?.database.drop()]);
});

describe('a fresh installation', () => {
  it('sends the first visitor to setup, refuses a wrong code, then signs the new administrator in', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const failures = watchForFailures(page);
    await page.goto(`${fresh.url}/`);
    await page.waitForURL(`${fresh.url}/setup`);
    await page.getByRole('heading', { level: 1, name: 'Set up Assay' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const code = await issueSetupCode(fresh.database.db);
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const wrong = code!.startsWith('AAAA') ? 'BBBB-BBBB-BBBB' : 'AAAA-AAAA-AAAA';
    await page.getByLabel('Setup code').fill(wrong);
    await page.getByLabel('Your name').fill('Saoirse Byrne');
    await page.getByLabel('Email').fill('saoirse@assay.example');
    await page.getByLabel('Password').fill('granite-orchard-kestrel-9');
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/setup') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    expect((await refused).status()).toBe(422);
    expect(await fieldError(page.getByLabel('Setup code'))).toBe('Copy the code printed in the server console when Assay started.');
    await screenshot(page, 'setup-wrong-code');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Setup code').fill(code!.toLowerCase());
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.waitForURL(/\/sign-in\?email=/);
    await expect(page.getByLabel('Email').inputValue()).resolves.toBe('saoirse@assay.example');
    await page.getByLabel('Password').fill('granite-orchard-kestrel-9');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    const banner = await page.getByRole('banner').innerText();
    expect(banner).toContain('Saoirse Byrne');
    expect(banner.toLowerCase()).toContain('administrator');
    // Setup is spent: the page now says so instead of offering the form again.
    await page.goto(`${fresh.url}/setup`);
    await page.getByText('This installation is already set up.').waitFor();
    expect(await page.getByLabel('Setup code').count()).toBe(0);
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await context.close();
  });
});

interface Visit {
  path: string;
  /** The h1 the page must show (a string or pattern); checks it is the page asked for. */
  heading: string | RegExp;
}

/** Opens each path, waits for it to settle, and returns what went wrong (empty when all is well). */
async function audit(page: Page, role: string, visits: Visit[]): Promise<string[]> {
  const problems: string[] = [];
  const failures = watchForFailures(page);
  for (const visit of visits) {
    await page.goto(`${demoInstall.url}${visit.path}`);
    await settled(page);
    const heading = (await page.locator('h1').first().innerText()).trim();
    const matches = typeof visit.heading === 'string' ? heading === visit.heading : visit.heading.test(heading);
    if (!matches) problems.push(`${role} ${visit.path}: h1 is "${heading}", expected ${visit.heading}`);
    const alerts = await page.getByRole('main').getByRole('alert').allInnerTexts();
    if (alerts.length > 0) problems.push(`${role} ${visit.path}: alert shown: ${alerts.join(' | ')}`);
    // Nothing cut short with an ellipsis ("ACTI…", "auth.sig…"): badges, codes, cells.
    const cut = await page.locator('main *:not(input):not(textarea)').evaluateAll((els) => {
      // Runs in the page, where globalThis is the window.
      const { getComputedStyle } = globalThis as unknown as { getComputedStyle(el: unknown): { textOverflow: string } };
      return els
        .filter((el) => getComputedStyle(el).textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1)
        .map((el) => (el.textContent ?? '').trim())
        .filter(Boolean);
    });
    if (cut.length > 0) problems.push(`${role} ${visit.path}: text cut short: ${cut.slice(0, 5).join(', ')}`);
    // Detail values (emails, ids) stay inside their column instead of running into the next.
    const spilling = await page.locator('main dd').evaluateAll((els) =>
      els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => (el.textContent ?? '').trim()),
    );
    if (spilling.length > 0) problems.push(`${role} ${visit.path}: values overflow their column: ${spilling.join(', ')}`);
    const violations: AxeViolation[] = await seriousViolations(page);
    for (const v of violations) problems.push(`${role} ${visit.path}: axe ${v.id} (${v.impact}) at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
    const name = visit.path === '/' ? 'home' : visit.path.slice(1).replace(/[/?=&]+/g, '-').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'id');
    await screenshot(page, `a11y-${role}-${name}`);
  }
  for (const error of [...failures.errors, ...failures.serverErrors]) problems.push(`${role}: ${error}`);
  return problems;
}

describe('every page, on the demo organisation', () => {
  const d = () => demoInstall.demo;

  /** Concrete paths for each route pattern of web/src/routes.tsx. */
  function adminVisits(): Record<string, Visit> {
    const vendor = d().vendors.find((v) => v.key === 'coralpoint')!;
    const site = d().sites.find((s) => s.key === 'manila')!;
    const team = d().teams.find((t) => t.siteKey === site.key)!;
    const person = d().people.find((p) => p.teamKey === team.key)!;
    const workflow = d().workflows[0]!;
    const policy = d().policies.find((p) => p.versions.length > 1)!;
    const user = d().users.find((u) => u.role === 'vendor_manager')!;
    return {
      '/': { path: '/', heading: 'Overview' },
      vendors: { path: '/vendors', heading: 'Vendors' },
      'vendors/:vendorId': { path: `/vendors/${vendor.id}`, heading: vendor.name },
      sites: { path: '/sites', heading: 'Sites' },
      'sites/:siteId': { path: `/sites/${site.id}`, heading: site.name },
      teams: { path: '/teams', heading: 'Teams' },
      'teams/:teamId': { path: `/teams/${team.id}`, heading: team.name },
      people: { path: '/people', heading: 'People' },
      'people/:personId': { path: `/people/${person.id}`, heading: person.fullName },
      workflows: { path: '/workflows', heading: 'Workflows' },
      'workflows/:workflowId': { path: `/workflows/${workflow.id}`, heading: workflow.name },
      policies: { path: '/policies', heading: 'Policies' },
      'policies/:policyId': { path: `/policies/${policy.id}`, heading: policy.name },
      'policies/:policyId/versions/new': { path: `/policies/${policy.id}/versions/new`, heading: `New version of ${policy.name}` },
      actions: { path: '/actions', heading: 'Actions' },
      decisions: { path: '/decisions', heading: 'Decisions' },
      // The detail page fetches nothing (an audited content view) until "Show content": any id renders its gate.
      'decisions/:decisionId': { path: '/decisions/00000000-0000-4000-8000-000000000001', heading: 'Decision' },
      sampling: { path: '/sampling', heading: 'Sampling plans' },
      'sampling/:workflowId': { path: `/sampling/${workflow.id}`, heading: `${workflow.name} sampling plan` },
      'sampling/:workflowId/draft': { path: `/sampling/${workflow.id}/draft`, heading: `Draft plan for ${workflow.name}` },
      scorecards: { path: '/scorecards', heading: 'Scorecards' },
      'scorecards/:workflowId': { path: `/scorecards/${workflow.id}`, heading: `${workflow.name} scorecard` },
      'qa/queue': { path: '/qa/queue', heading: 'QA queue' },
      'qa/tasks': { path: '/qa/tasks', heading: 'My QA tasks' },
      // An unknown task: the workspace answers with its error state under the page heading.
      'qa/tasks/:taskId/review': { path: '/qa/tasks/00000000-0000-4000-8000-000000000001/review', heading: 'Review' },
      reviews: { path: '/reviews', heading: 'Reviews' },
      // Unknown ids: the detail pages answer "Not found" (an id outside scope looks the same).
      'reviews/:reviewId': { path: '/reviews/00000000-0000-4000-8000-000000000001', heading: 'Not found' },
      disputes: { path: '/disputes', heading: 'Disputes' },
      'disputes/:disputeId': { path: '/disputes/00000000-0000-4000-8000-000000000001', heading: 'Not found' },
      quality: { path: '/quality', heading: 'Quality overview' },
      'quality/heatmap': { path: '/quality/heatmap', heading: 'Vendor × policy' },
      'quality/trends': { path: '/quality/trends', heading: 'Trends' },
      'quality/control': { path: '/quality/control', heading: 'Control chart' },
      'quality/errors': { path: '/quality/errors', heading: 'Errors' },
      'quality/agents': { path: '/quality/agents', heading: 'Agents' },
      'quality/reviews': { path: '/quality/reviews', heading: 'Reviews behind the figure' },
      wellbeing: { path: '/wellbeing', heading: 'Wellbeing' },
      escalations: { path: '/escalations', heading: 'Escalations' },
      users: { path: '/users', heading: 'Users' },
      'users/:userId': { path: `/users/${user.id}`, heading: user.displayName },
      tokens: { path: '/tokens', heading: 'API tokens' },
      audit: { path: '/audit', heading: 'Audit log' },
      // xAPI Learning Record Store (issue 8)
      'admin/xapi': { path: '/admin/xapi', heading: 'xAPI credentials' },
      // Training: unknown ids answer "Not found"
      'training/courses': { path: '/training/courses', heading: 'Training' },
      'training/programs': { path: '/training/programs', heading: 'Programs' },
      'training/versions/:id': { path: '/training/versions/00000000-0000-4000-8000-000000000001', heading: 'Not found' },
      'training/assessments/:id/analysis': { path: '/training/assessments/00000000-0000-4000-8000-000000000001/analysis', heading: 'Not found' },
      'training/assign': { path: '/training/assign', heading: 'Assign training' },
      'training/cohorts': { path: '/training/cohorts', heading: 'Cohorts' },
      'training/cohorts/:cohortId': { path: '/training/cohorts/00000000-0000-4000-8000-000000000001', heading: 'Not found' },
      'training/certifications': { path: '/training/certifications', heading: 'Certifications' },
      'training/completion': { path: '/training/completion', heading: 'Training completion' },
      learning: { path: '/learning', heading: 'My learning' },
      'learning/:id': { path: '/learning/00000000-0000-4000-8000-000000000001', heading: 'Not found' },
      'learning/attempts/:id': { path: '/learning/attempts/00000000-0000-4000-8000-000000000001', heading: 'Not found' },
      // Auditing the auditors
      'auditing/double-review': { path: '/auditing/double-review', heading: 'Double review of vendor QA' },
      'auditing/reviewers': { path: '/auditing/reviewers', heading: 'Reviewer quality' },
      'auditing/gold': { path: '/auditing/gold', heading: 'Gold set' },
      // Training operations; unknown ids answer "Not found"
      // The old cohort addresses redirect to training/cohorts (merged screens)
      'training/operations/cohorts': { path: '/training/operations/cohorts', heading: 'Cohorts' },
      'training/operations/cohorts/:cohortId': { path: '/training/operations/cohorts/00000000-0000-4000-8000-000000000001', heading: 'Not found' },
      'training/operations/sessions/:sessionId': { path: '/training/operations/sessions/00000000-0000-4000-8000-000000000001', heading: 'Not found' },
      'training/operations/coaching': { path: '/training/operations/coaching', heading: 'Coaching' },
      'training/operations/coaching/new': { path: '/training/operations/coaching/new', heading: 'Record a coaching session' },
      'training/operations/coaching/mine': { path: '/training/operations/coaching/mine', heading: 'My coaching' },
      'training/operations/coaching/:coachingId': { path: '/training/operations/coaching/00000000-0000-4000-8000-000000000001', heading: 'Not found' },
      'training/operations/trainers': { path: '/training/operations/trainers', heading: 'Trainers' },
      'training/operations/trainers/:personId': { path: '/training/operations/trainers/00000000-0000-4000-8000-000000000001', heading: 'Not found' },
      'training/operations/surveys': { path: '/training/operations/surveys', heading: 'Reaction surveys' },
      'training/operations/surveys/new': { path: '/training/operations/surveys/new', heading: 'New reaction survey' },
      'training/operations/surveys/mine': { path: '/training/operations/surveys/mine', heading: 'My surveys' },
      'training/operations/surveys/take/:invitationId': { path: '/training/operations/surveys/take/00000000-0000-4000-8000-000000000001', heading: 'Not found' },
      'training/operations/overdue': { path: '/training/operations/overdue', heading: 'Overdue training' },
      // Calibration; unknown session ids answer "Not found"
      calibration: { path: '/calibration', heading: 'Calibration' },
      'calibration/mine': { path: '/calibration/mine', heading: 'My calibrations' },
      'calibration/new': { path: '/calibration/new', heading: 'New calibration session' },
      'calibration/import': { path: '/calibration/import', heading: 'Import external ratings' },
      'calibration/trends': { path: '/calibration/trends', heading: 'Calibration trends' },
      'calibration/:sessionId': { path: '/calibration/00000000-0000-4000-8000-000000000001', heading: 'Not found' },
      'calibration/:sessionId/take': { path: '/calibration/00000000-0000-4000-8000-000000000001/take', heading: 'Not found' },
      // Calibration expert delegates (C5)
      'calibration/:sessionId/expert': { path: '/calibration/00000000-0000-4000-8000-000000000001/expert', heading: 'Not found' },
      'calibration/:sessionId/results': { path: '/calibration/00000000-0000-4000-8000-000000000001/results', heading: 'Not found' },
      '*': { path: '/no-such-page', heading: 'Not found' },
    };
  }

  it('covers the whole route map', () => {
    const source = fs.readFileSync('web/src/routes.tsx', 'utf8');
    const patterns = [...source.matchAll(/<Route\s+(index|path="([^"]+)")/g)].map((m) => (m[1] === 'index' ? '/' : m[2]!));
    const signedOut = ['/sign-in', '/setup'];
    expect(patterns.filter((p) => !signedOut.includes(p)).sort()).toEqual(Object.keys(adminVisits()).sort());
  });

  it('signed out: sign-in and (spent) setup pages', async () => {
    const page = await (await browser.newContext()).newPage();
    const problems = await audit(page, 'signed-out', [
      { path: '/sign-in', heading: 'Sign in' },
      { path: '/setup', heading: 'Set up Assay' },
    ]);
    expect(await page.getByText('This installation is already set up.').isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('as the administrator: every page', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, demoInstall.url, 'admin@assay.demo');
    expect(await audit(page, 'admin', Object.values(adminVisits()))).toEqual([]);
    await page.context().close();
  }, 600_000); // every page of the product, one after another, each checked by axe

  it('as the administrator: with a long option list open (scrolling listbox)', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const failures = watchForFailures(page);
    await signIn(page, demoInstall.url, 'admin@assay.demo');
    const openLists: Array<{ path: string; open: (p: Page) => Promise<void> }> = [
      { path: '/audit', open: (p) => p.getByRole('combobox', { name: 'Action' }).click() },
      {
        path: '/people',
        open: async (p) => {
          await p.getByRole('button', { name: 'New person' }).click();
          await p.getByRole('dialog', { name: 'New person' }).getByRole('combobox', { name: 'Languages' }).click();
        },
      },
    ];
    for (const { path, open } of openLists) {
      await page.goto(`${demoInstall.url}${path}`);
      await settled(page);
      await open(page);
      const listbox = page.locator('[role="listbox"]:visible');
      await listbox.waitFor();
      // The list is long enough to scroll, and the listbox itself is what scrolls.
      expect(await listbox.evaluate((el) => el.scrollHeight > el.clientHeight + 10)).toBe(true);
      expect(await seriousViolations(page)).toEqual([]);
      // Arrow keys move through the list and keep the active option in view.
      for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowDown');
      const [box, active] = await Promise.all([listbox.boundingBox(), listbox.locator('[data-combobox-selected]').boundingBox()]);
      expect(active && box && active.y >= box.y - 1 && active.y + active.height <= box.y + box.height + 1).toBe(true);
      await screenshotViewport(page, `a11y-admin-open-list${path.replace('/', '-')}`);
      await page.keyboard.press('Escape');
    }
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });

  it('as a vendor manager: the main lists, and no way into administration', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    const manager = d().users.find((u) => u.role === 'vendor_manager')!;
    await signIn(page, demoInstall.url, manager.email);
    const lists = ['Vendors', 'Sites', 'Teams', 'People', 'Workflows', 'Policies', 'Actions', 'API tokens'];
    const visits: Visit[] = lists.map((heading) => ({ path: `/${heading === 'API tokens' ? 'tokens' : heading.toLowerCase()}`, heading }));
    visits.push({ path: '/users', heading: 'You do not have access to this page' });
    visits.push({ path: '/audit', heading: 'You do not have access to this page' });
    expect(await audit(page, 'vendor-manager', visits)).toEqual([]);
    await page.context().close();
  });

  it('as the agent: their own record and the policy pages', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const agent = d().users.find((u) => u.role === 'agent')!;
    const self = d().people.find((p) => p.key === agent.personKey)!;
    await signIn(page, demoInstall.url, agent.email);
    const problems = await audit(page, 'agent', [
      { path: '/', heading: 'Overview' },
      { path: '/people', heading: 'People' },
      { path: `/people/${self.id}`, heading: self.fullName },
      { path: '/workflows', heading: 'Workflows' },
      { path: '/policies', heading: 'Policies' },
      { path: '/actions', heading: 'Actions' },
      { path: '/tokens', heading: 'API tokens' },
    ]);
    expect(problems).toEqual([]);
    // Own records only: the people list is one person, the agent.
    await page.goto(`${demoInstall.url}/people`);
    await page.getByText(/of 1 people$/).waitFor();
    expect(await page.getByRole('main').getByRole('link', { name: self.fullName }).count()).toBe(1);
    await page.context().close();
  });
});
