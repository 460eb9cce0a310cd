import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../src/domain/access/roles.ts';
import type { ScopeKind } from '../../src/domain/access/scope.ts';
import type { ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';
import { auditRowsFor } from '../support/audit-trail.ts';
import { tokenClient } from '../support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { launchBrowser, screenshot, seriousViolations, serveUi } from '../support/browser.ts';
import { addUser, buildWorld, TEST_PASSWORD, type World, type WorldUser } from '../support/org-world.ts';
import { addDecisionCatalogue, type DecisionWorld } from '../support/decision-world.ts';
import { pickOption, settled, signIn, watchForFailures } from '../support/ui-helpers.ts';
import { publishScorecard } from '../support/scorecard-fixtures.ts';

/**
 * The "Must show": a calibration from creation to revealed results in
 * Chromium. A QA lead creates a session from an uploaded CSV of items with
 * expert answers and invites two QA specialists; each signs in and scores
 * blind (neither sees the other's answers nor the expert answer before
 * close); the lead sees who submitted, closes, and the results page shows the
 * agreement figures and the expert answers. axe on every page; screenshots in
 * artifacts/screenshots.
 */
let database: TestDatabase;
let app: FastifyInstance;
let url: string;
let browser: Browser;
let world: World;
let dw: DecisionWorld;
let seq = 0;

const DEFINITION: ScorecardDefinition = {
  sections: [
    {
      key: 'core',
      title: 'Decision',
      questions: [
        { key: 'label', text: 'Correct label?', kind: 'correct_label', weight: 2, critical: false },
        { key: 'action', text: 'Correct action?', kind: 'correct_action', weight: 1, critical: false },
        { key: 'context', text: 'Was the surrounding context needed?', kind: 'yes_no', weight: 1, critical: false },
      ],
    },
  ],
  rootCauses: [{ key: 'policy_gap', label: 'Policy knowledge gap' }],
  commentRequiredOnFail: false,
  passMark: 80,
};

let lead: WorldUser;
let ana: WorldUser;
let ben: WorldUser;
let sam: WorldUser;
const names = { lead: '', ana: '', ben: '', sam: '' };

async function person(vendor: number, fullName: string, jobRole: 'qa_lead' | 'qa_specialist' | 'policy_sme'): Promise<string> {
  const vendorId = world.vendors[vendor]!.id;
  const siteId = world.sites.find((s) => s.vendorId === vendorId)!.id;
  const row = await database.db.insertInto('people').values({ vendor_id: vendorId, site_id: siteId, full_name: fullName, job_role: jobRole, hire_date: '2021-06-01' }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

async function user(role: Role, kind: ScopeKind, personId: string): Promise<WorldUser> {
  seq += 1;
  const u = await addUser(database.db, world, role, kind, `${role}-${seq}`);
  await database.db.updateTable('users').set({ person_id: personId }).where('id', '=', u.id).execute();
  return u;
}

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  dw = await addDecisionCatalogue(database.db, world);
  await publishScorecard(database.db, world.workflowId, DEFINITION);
  names.lead = `Lena Lead ${world.tag}`;
  names.ana = `Ana Internal ${world.tag}`;
  names.ben = `Ben Vendor ${world.tag}`;
  lead = await user('qa_lead', 'all', await person(0, names.lead, 'qa_lead'));
  ana = await user('qa_specialist', 'all', await person(0, names.ana, 'qa_specialist'));
  ben = await user('qa_specialist', 'vendor', await person(1, names.ben, 'qa_specialist'));
  names.sam = `Sam Policy ${world.tag}`;
  sam = await user('policy_sme', 'all', await person(0, names.sam, 'policy_sme'));
  ({ app, url } = await serveUi(database.db));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.drop();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  return context.newPage();
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
}

/** Scores the item on screen: labels, action, the scorecard question; then saves (which moves on). */
async function scoreItem(page: Page, position: number, labels: string[], action: string, context: 'Yes' | 'No'): Promise<void> {
  await page.getByRole('button', { name: `Item ${position}`, exact: false }).first().click();
  for (const label of labels) await page.getByRole('checkbox', { name: new RegExp(label.split('.').pop()!, 'i') }).check();
  await page.getByRole('radio', { name: action, exact: true }).check();
  await page.getByRole('group', { name: /surrounding context/ }).getByRole('radio', { name: new RegExp(`^${context}`) }).check();
  await page.getByRole('button', { name: /Save my answer|Save changes/ }).click();
  await page.getByRole('button', { name: `Item ${position} scored` }).waitFor();
}

describe('a calibration from creation to revealed results', () => {
  let sessionId = '';

  it('the QA lead creates a session with items, expert answers and two participants', async () => {
    const page = await newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, lead.email, TEST_PASSWORD);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Calibration', exact: true }).click();
    await settled(page);
    await page.getByRole('link', { name: 'New session' }).click();
    await settled(page);
    await page.getByLabel('Title').fill('November hate speech calibration');
    await pickOption(page.getByRole('combobox', { name: /^Workflow/ }), `Video ${world.tag}`);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Next: items' }).click();
    await page.getByRole('tab', { name: 'Upload a CSV' }).click();
    await page.getByLabel('Items CSV').fill(
      [
        'ref,content_text,severity,expert_labels,expert_action,expert_note',
        `c-1,"go back to where you came from, vermin",high,${dw.labels.slur},remove,Dehumanising slur against a protected group`,
        'c-2,"that referee needs glasses lol",,none,no_action,Banter about a public figure',
        `c-3,"people like you should be dealt with",medium,${dw.labels.threat},remove,Veiled threat`,
      ].join('\n'),
    );
    await screenshot(page, 'calibration-new-items');
    await page.getByRole('button', { name: 'Next: participants' }).click();
    await page.getByRole('checkbox', { name: new RegExp(names.ana) }).check();
    await page.getByRole('checkbox', { name: new RegExp(names.ben) }).check();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Next: review' }).click();
    await page.getByRole('button', { name: 'Create session' }).click();
    await page.getByRole('heading', { level: 1, name: 'November hate speech calibration' }).waitFor();
    await settled(page);
    sessionId = page.url().split('/').pop()!;
    await expect(page.getByTestId('responses').innerText()).resolves.toBe('0 / 2');
    await expect(page.getByTestId('expert-1').innerText()).resolves.toContain('remove');
    await expectAccessible(page);
    await screenshot(page, 'calibration-session-lead-open');
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });

  it('each participant scores blind: neither the other\'s answers nor the expert answer before close', async () => {
    // Ana agrees with the expert; Ben (vendor QA) misses the veiled threat.
    const plans = [
      { who: ana, name: names.ana, other: names.ben, answers: [[dw.labels.slur], [], [dw.labels.threat]], actions: ['remove', 'no_action', 'remove'] },
      { who: ben, name: names.ben, other: names.ana, answers: [[dw.labels.slur], [], []], actions: ['remove', 'no_action', 'no_action'] },
    ];
    for (const [n, plan] of plans.entries()) {
      const page = await newPage();
      const failures = watchForFailures(page);
      await signIn(page, url, plan.who.email, TEST_PASSWORD);
      // The home page says a calibration is waiting.
      await page.getByText('1 calibration session waiting for your answers.').waitFor();
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My calibrations' }).click();
      await settled(page);
      await page.getByRole('link', { name: 'November hate speech calibration' }).click();
      await settled(page);
      await expectAccessible(page);
      // The severe item opens behind a warning screen, then protected (blurred until revealed).
      await page.getByTestId('warning-screen').waitFor();
      await page.getByRole('button', { name: 'Continue to the protected item' }).click();
      await expect(page.getByTestId('item-content').getAttribute('data-protected')).resolves.toBe('true');
      if (n === 1) await screenshot(page, 'calibration-take-blind');
      if (n === 0) {
        // A reveal counts in the participant's exposure (and the audit log), as in the review workspace.
        const revealed = page.waitForResponse((r) => /\/api\/calibration\/sessions\/[^/]+\/items\/[^/]+\/exposure$/.test(r.url()) && r.request().method() === 'POST');
        await page.getByRole('button', { name: 'Reveal content' }).click();
        expect((await revealed).status()).toBe(201);
        await expect(page.getByTestId('item-content').getAttribute('data-protected')).resolves.toBe('false');
      }
      for (let i = 0; i < 3; i++) await scoreItem(page, i + 1, plan.answers[i]!, plan.actions[i]!, i === 2 ? 'Yes' : 'No');
      const text = await page.locator('main').innerText();
      expect(text).not.toContain(plan.other);
      expect(text).not.toMatch(/expert/i);
      expect(text).not.toContain('Dehumanising slur');
      await page.getByRole('button', { name: /^Submit/ }).click();
      await page.getByRole('button', { name: 'Submitted' }).waitFor();
      // Results are sealed until close.
      const sealed = await page.request.get(`${url}/api/calibration/sessions/${sessionId}/results`);
      expect(sealed.status()).toBe(409);
      if (n === 1) await screenshot(page, 'calibration-take-submitted');
      expect(failures).toEqual({ errors: [], serverErrors: [] });
      await page.context().close();
    }
  });

  it('the lead sees who submitted, closes, and the results show agreement figures and the expert answers', async () => {
    const page = await newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, lead.email, TEST_PASSWORD);
    await page.goto(`${url}/calibration/${sessionId}`);
    await settled(page);
    await expect(page.getByTestId('responses').innerText()).resolves.toBe('2 / 2');
    await page.getByRole('button', { name: 'Close and reveal' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Close and reveal' }).click();
    await page.getByRole('link', { name: 'See the results' }).click();
    await settled(page);
    const agreement = page.getByTestId('agreement-table');
    await agreement.waitFor();
    const agreementText = await agreement.innerText();
    expect(agreementText).toContain('All participants');
    // One participant per group: agreement within a group needs two, so only the overall rows show.
    expect(agreementText).not.toMatch(/Internal QA/);
    // Label alpha on 3 items x 2 raters (one disagreement) is defined; its row shows a value with an interval.
    expect(agreementText).toMatch(/\d\.\d\d/);
    const alignment = await page.getByTestId('alignment-table').innerText();
    expect(alignment).toContain(names.ana);
    expect(alignment).toContain('100%');
    expect(alignment).toContain(names.ben);
    expect(alignment).toMatch(/Internal QA[\s\S]*Vendor QA/);
    expect(alignment).toContain('67%');
    // The items and their answers come in their own request, after the figures.
    await expect.poll(() => page.getByTestId('expert-answer').count()).toBe(3);
    const experts = await page.getByTestId('expert-answer').allInnerTexts();
    expect(experts[0]).toContain(dw.labels.slur);
    await page.getByLabel('Discussion note on item 3').fill('The second sentence is the threat: read to the end.');
    await page.getByRole('button', { name: 'Add note' }).nth(2).click();
    await page.getByText('The second sentence is the threat').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'calibration-results');
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    // The list, trends and import pages around it.
    await page.goto(`${url}/calibration`);
    await settled(page);
    await expect(page.getByRole('row', { name: /November hate speech calibration/ }).innerText()).resolves.toContain('2 / 2');
    await expectAccessible(page);
    await screenshot(page, 'calibration-sessions');
    await page.getByRole('link', { name: 'Trends' }).click();
    await settled(page);
    await page.getByRole('img', { name: /matching the expert answer per vendor/ }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'calibration-trends');
    await page.goto(`${url}/calibration/import`);
    await settled(page);
    await expectAccessible(page);
    const actions = (await auditRowsFor(database.db, sessionId)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['calibration.create', 'calibration.content_view', 'calibration.submit', 'calibration.close']));
    await page.context().close();
  });
});

describe('a policy SME delegated to set the expert answers', () => {
  let sessionId = '';
  let itemIds: string[] = [];

  it('the lead delegates the expert answers to an invited SME, and reads an item through "Show text" (counted as exposure)', async () => {
    // The session itself comes through the API: the wizard is exercised above.
    const created = await tokenClient(app, lead.token)('POST', '/api/calibration/sessions', {
      title: 'Threats: SME reference answers',
      workflowId: world.workflowId,
      itemsCsv: ['ref,content_text,severity,expert_labels,expert_action', `t-1,"people like you should be dealt with",medium,${dw.labels.threat},remove`, 't-2,"see you at the game tonight",,none,no_action'].join('\n'),
      participants: [{ personId: (await personOf(ana)) }, { personId: (await personOf(sam)) }],
    });
    expect(created.statusCode, created.body).toBe(201);
    sessionId = created.json().session.id;
    itemIds = created.json().items.map((i: { id: string }) => i.id);

    const page = await newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, lead.email, TEST_PASSWORD);
    await page.goto(`${url}/calibration/${sessionId}`);
    await settled(page);
    await expect(page.getByTestId('responses').innerText()).resolves.toBe('0 / 2');
    const delegated = page.waitForResponse((r) => r.url().endsWith(`/participants/${created.json().participants[1].id}`) && r.request().method() === 'PATCH');
    await page.getByRole('row', { name: new RegExp(names.sam) }).getByRole('switch', { name: 'Sets the expert answers' }).click();
    expect((await delegated).status()).toBe(200);
    // The page refetches the session after the change: wait for it rather than read the old count.
    await expect.poll(() => page.getByTestId('responses').innerText()).toBe('0 / 1');
    await page.getByRole('row', { name: new RegExp(names.sam) }).getByText('Does not rate', { exact: true }).waitFor();
    // Only the SME group can be delegated to.
    expect(await page.getByRole('row', { name: new RegExp(names.ana) }).getByRole('switch').count()).toBe(0);
    const revealed = page.waitForResponse((r) => r.url().endsWith(`/items/${itemIds[0]}/exposure`) && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Show text' }).first().click();
    expect((await revealed).status()).toBe(201);
    await page.getByText('people like you should be dealt with').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'calibration-session-expert-delegate');
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
    const actions = (await auditRowsFor(database.db, sessionId)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['calibration.expert_delegate']));
  });

  it('the SME sets an expert answer from "My calibrations", without seeing anyone\'s ratings', async () => {
    const rated = await tokenClient(app, ana.token)('PUT', `/api/calibration/sessions/${sessionId}/take/items/${itemIds[0]}`, { labels: [], action: 'no_action', answers: [{ questionKey: 'context', value: 'no' }] });
    expect(rated.statusCode, rated.body).toBe(200);
    const page = await newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, sam.email, TEST_PASSWORD);
    await page.goto(`${url}/calibration/mine`);
    await settled(page);
    await page.getByRole('link', { name: 'Set expert answers' }).click();
    await settled(page);
    await page.getByRole('heading', { level: 1, name: 'Threats: SME reference answers' }).waitFor();
    await expectAccessible(page);
    await expect(page.getByTestId('expert-progress').innerText()).resolves.toBe('2 of 2 items answered');
    // Item 1: the CSV said threat + remove; the SME refines the rationale and keeps the label.
    expect(await page.getByRole('checkbox', { name: /threat/i }).isChecked()).toBe(true);
    await page.getByLabel('Rationale').fill('Conditional call to harm a group: a veiled threat.');
    const saved = page.waitForResponse((r) => r.url().endsWith(`/items/${itemIds[0]}/expert`) && r.request().method() === 'PUT');
    await page.getByRole('button', { name: 'Save the expert answer' }).click();
    expect((await saved).status()).toBe(200);
    await page.getByRole('button', { name: 'Item 2', exact: false }).first().waitFor();
    const text = await page.locator('main').innerText();
    expect(text).not.toContain(names.ana);
    await screenshot(page, 'calibration-set-expert-answers');
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
    const item = await database.db.selectFrom('calibration_items').select(['expert_labels', 'expert_action', 'expert_note']).where('id', '=', itemIds[0]!).executeTakeFirstOrThrow();
    expect(item).toEqual({ expert_labels: [dw.labels.threat], expert_action: 'remove', expert_note: 'Conditional call to harm a group: a veiled threat.' });
    const entry = (await auditRowsFor(database.db, itemIds[0]!)).find((a) => a.action === 'calibration.expert_answer')!;
    expect(entry.details).toMatchObject({ delegated: true });
  });
});

async function personOf(u: WorldUser): Promise<string> {
  const row = await database.db.selectFrom('users').select('person_id').where('id', '=', u.id).executeTakeFirstOrThrow();
  return row.person_id!;
}
