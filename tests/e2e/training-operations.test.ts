import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../../src/domain/auth/passwords.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { launchBrowser, screenshot, seriousViolations, serveUi } from '../support/browser.ts';
import { fieldError, pickOption, settled, signIn, watchForFailures } from '../support/ui-helpers.ts';
import { buildWorld, type World, type WorldPerson } from '../support/org-world.ts';
import { addCohort, addCohortMember, addCourse, addReviews, addScorecardVersion, scopedUser } from '../support/training-operations-world.ts';

/**
 * Training operations in Chromium: a vendor trainer takes attendance for a
 * cohort session and completes it (inviting those present to the survey),
 * then records a coaching session linked to an agent's reviews with an agreed
 * action; the agent opens "My coaching" and acknowledges it. axe on every
 * page; screenshots in artifacts/screenshots.
 */
let database: TestDatabase;
let app: FastifyInstance;
let url: string;
let browser: Browser;
let world: World;
let members: WorldPerson[];
let trainerPerson: WorldPerson;
let trainerEmail: string;
let agentEmail: string;
let managerEmail: string;
let cohortId: string;
const PASSWORD = 'training ops e2e password';
const TOPIC = 'Hate speech: slurs and reclaimed use';
const SURVEY_COURSE = 'Hate speech basics';

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  const site = world.sites[2]!;
  members = world.people.filter((p) => p.siteId === site.id && p.teamId !== null).slice(0, 3);
  trainerPerson = world.people.find((p) => p.siteId === site.id && p.teamId === null)!;
  cohortId = await addCohort(database.db, world, 2, 'March new hires', '2026-03-02');
  await database.db.insertInto('cohort_nesting').values({ cohort_id: cohortId, starts_on: '2026-03-02', ends_on: '2026-04-15', min_reviews: 20, accuracy_target: '0.9', critical_error_max: '0.02', updated_by_label: 'test' }).execute();
  for (const m of members) await addCohortMember(database.db, cohortId, m.id);
  await database.db.insertInto('cohort_sessions').values({ cohort_id: cohortId, starts_at: new Date('2026-03-02T01:00:00Z'), ends_at: new Date('2026-03-02T05:00:00Z'), topic: TOPIC, trainer_id: trainerPerson.id }).execute();
  const scorecard = await addScorecardVersion(database.db, world.workflowId);
  const reviewer = world.people.find((p) => p.vendorId === world.vendors[0]!.id && p.teamId === null)!;
  await addReviews(database.db, { agent: members[0]!, reviewerId: reviewer.id, reviewerVendorId: reviewer.vendorId, scorecardVersionId: scorecard, workflowId: world.workflowId, decidedAt: new Date('2026-03-03T10:00:00Z'), correct: 0, wrong: 2 });
  // A trainer profile with a lapsed train-the-trainer certification, and a course a survey can follow.
  await database.db.insertInto('trainer_profiles').values({ person_id: trainerPerson.id, vendor_id: trainerPerson.vendorId, site_id: trainerPerson.siteId, team_id: null }).execute();
  await database.db.insertInto('trainer_certifications').values({
    trainer_id: trainerPerson.id, vendor_id: trainerPerson.vendorId, site_id: trainerPerson.siteId, kind: 'delivery', awarded_on: '2024-01-10', expires_on: '2025-01-10', awarded_by_label: 'test',
  }).execute();
  await addCourse(database.db, world, SURVEY_COURSE);
  const hash = await hashPassword(PASSWORD);
  const trainer = await scopedUser(database.db, world, 'trainer', 'vendor', site.vendorId, trainerPerson.id);
  const agent = await scopedUser(database.db, world, 'agent', 'self', members[0]!.id, members[0]!.id);
  const manager = await scopedUser(database.db, world, 'quality_manager', 'all', null);
  await database.db.updateTable('users').set({ password_hash: hash }).where('id', 'in', [trainer.id, agent.id, manager.id]).execute();
  managerEmail = manager.email;
  trainerEmail = trainer.email;
  agentEmail = agent.email;
  ({ app, url } = await serveUi(database.db));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await database?.drop();
});

async function checkPage(page: Page, name: string): Promise<void> {
  await settled(page);
  expect(await seriousViolations(page), name).toEqual([]);
  await screenshot(page, name);
}

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name, exact: true }).click();

describe('a trainer', () => {
  it('takes attendance, completes the session, and records a coaching session with an action', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, trainerEmail, PASSWORD);

    await nav(page, 'Cohorts');
    await page.getByRole('heading', { level: 1, name: 'Cohorts' }).waitFor();
    await checkPage(page, 'training-ops-cohorts');
    await page.getByRole('link', { name: 'March new hires' }).click();
    await page.getByRole('heading', { level: 1, name: 'March new hires' }).waitFor();
    await checkPage(page, 'training-ops-cohort');
    await page.getByRole('link', { name: TOPIC }).click();
    await page.getByRole('heading', { level: 1, name: TOPIC }).waitFor();

    const statuses = ['Present', 'Late', 'Absent'];
    for (const [i, member] of members.entries()) {
      await page.getByRole('radiogroup', { name: `Attendance of ${member.fullName}` }).getByText(statuses[i]!, { exact: true }).click();
    }
    await page.getByRole('textbox', { name: `Note on ${members[1]!.fullName}` }).fill('Bus strike');
    await page.getByRole('button', { name: 'Save attendance' }).click();
    await page.getByText('Attendance saved for 3 members.').waitFor();
    await checkPage(page, 'training-ops-attendance');
    await page.getByRole('button', { name: 'Mark session completed' }).click();
    await page.getByText('Session completed; 2 reaction survey invitations sent.').waitFor();

    const saved = await database.db.selectFrom('cohort_attendance').select(['person_id', 'status', 'note']).execute();
    expect(Object.fromEntries(saved.map((r) => [r.person_id, [r.status, r.note]]))).toEqual({
      [members[0]!.id]: ['present', ''], [members[1]!.id]: ['late', 'Bus strike'], [members[2]!.id]: ['absent', ''],
    });

    await nav(page, 'Coaching');
    await page.getByRole('heading', { level: 1, name: 'Coaching' }).waitFor();
    await page.getByRole('link', { name: 'Record a session' }).click();
    await page.getByRole('heading', { level: 1, name: 'Record a coaching session' }).waitFor();
    await pickOption(page.getByRole('combobox', { name: /^Person coached/ }), `${members[0]!.fullName} — ${world.sites[2]!.name}`, members[0]!.fullName);
    await page.getByLabel('Topic').fill('Missed slurs in comments');
    await page.getByLabel('Notes').fill('Walked through the reclaimed-use exception with two of your reviews.');
    const reviewBoxes = page.getByRole('checkbox');
    await reviewBoxes.first().waitFor();
    expect(await reviewBoxes.count()).toBe(2);
    await reviewBoxes.nth(0).check();
    await reviewBoxes.nth(1).check();
    await page.getByRole('button', { name: 'Add an action' }).click();
    await page.getByRole('textbox', { name: 'Action 1', exact: true }).fill('Re-read the hate speech policy, section 3');
    await page.getByLabel('Follow up on (action 1)').fill('2026-12-31');
    await checkPage(page, 'training-ops-coaching-form');
    await page.getByRole('button', { name: 'Save coaching session' }).click();
    await page.getByRole('heading', { level: 1, name: 'Missed slurs in comments' }).waitFor();
    await page.getByText('Re-read the hate speech policy, section 3').waitFor();
    await checkPage(page, 'training-ops-coaching-detail');

    const session = await database.db.selectFrom('coaching_sessions').select(['id', 'person_id', 'coach_id', 'error_types']).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ person_id: members[0]!.id, coach_id: trainerPerson.id, error_types: ['false_negative'] });
    expect(await database.db.selectFrom('coaching_session_reviews').select('review_id').where('session_id', '=', session.id).execute()).toHaveLength(2);
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });
});

describe('the agent coached', () => {
  it('sees the session under My coaching and acknowledges it', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, url, agentEmail, PASSWORD);
    await nav(page, 'My coaching');
    await page.getByRole('heading', { level: 1, name: 'My coaching' }).waitFor();
    await checkPage(page, 'training-ops-my-coaching');
    await page.getByRole('table', { name: 'My coaching sessions' }).getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: 'Missed slurs in comments' }).waitFor();
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('Acknowledged', { exact: true }).waitFor();
    await checkPage(page, 'training-ops-coaching-acknowledged');
    const row = await database.db.selectFrom('coaching_sessions').select('acknowledged_at').executeTakeFirstOrThrow();
    expect(row.acknowledged_at).not.toBeNull();
    await page.context().close();
  });
});

describe('a quality manager', () => {
  it('reads nesting progress, trainers, survey results and overdue training', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, managerEmail, PASSWORD);
    // The cohort's page moved under /training/cohorts; the old address redirects.
    await page.goto(`${url}/training/operations/cohorts/${cohortId}`);
    await page.getByRole('heading', { level: 1, name: 'March new hires' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/training/cohorts/${cohortId}`);
    await page.getByRole('tab', { name: 'Nesting and graduation' }).click();
    await page.getByRole('heading', { name: 'Progress against the targets' }).waitFor();
    // Member 0 has 2 reviews, both wrong: credibly below 90%.
    await page.getByText('Credibly not met').first().waitFor();
    await checkPage(page, 'training-ops-nesting');
    for (const [link, heading, shot] of [
      ['Trainers', 'Trainers', 'training-ops-trainers'],
      ['Reaction surveys', 'Reaction surveys', 'training-ops-surveys'],
      ['Overdue training', 'Overdue training', 'training-ops-overdue'],
    ] as const) {
      await nav(page, link);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await checkPage(page, shot);
    }
    const unknown = '00000000-0000-4000-8000-000000000001';
    for (const [path, heading] of [
      [`/training/cohorts/${unknown}`, 'Not found'],
      [`/training/operations/sessions/${unknown}`, 'Not found'],
      [`/training/operations/coaching/${unknown}`, 'Not found'],
      [`/training/operations/trainers/${unknown}`, 'Not found'],
      [`/training/operations/surveys/take/${unknown}`, 'Not found'],
      ['/training/operations/coaching/new', 'Record a coaching session'],
      ['/training/operations/coaching/mine', 'My coaching'],
      ['/training/operations/surveys/mine', 'My surveys'],
    ] as const) {
      await page.goto(`${url}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await checkPage(page, `training-ops${path.replace(/[/]+/g, '-').replace(unknown, 'unknown')}`);
    }
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });

  it('awards a train-the-trainer certification and defines a reaction survey that follows a course', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    const failures = watchForFailures(page);
    await signIn(page, url, managerEmail, PASSWORD);
    await page.goto(`${url}/training/operations/trainers/${trainerPerson.id}`);
    await page.getByRole('heading', { level: 1, name: trainerPerson.fullName }).waitFor();
    const certifications = page.getByRole('table', { name: 'Train-the-trainer certifications' });
    await certifications.getByRole('row').filter({ hasText: 'Delivery' }).getByText('Expired', { exact: true }).waitFor();
    await pickOption(page.getByRole('combobox', { name: 'Certification' }), 'Coaching (one-to-one)');
    await page.getByLabel('Awarded on').fill('2026-01-05');
    await page.getByLabel('Expires on').fill('2025-12-01');
    await page.getByRole('button', { name: 'Award certification' }).click();
    expect(await fieldError(page.getByLabel('Expires on'))).toContain('after the award');
    await page.getByLabel('Expires on').fill('2027-01-05');
    await page.getByRole('button', { name: 'Award certification' }).click();
    await certifications.getByRole('row').filter({ hasText: 'Coaching' }).getByText('Valid', { exact: true }).waitFor();
    await checkPage(page, 'training-ops-trainer-certifications');
    const awarded = await database.db.selectFrom('trainer_certifications').select(['kind', 'awarded_on', 'expires_on']).where('trainer_id', '=', trainerPerson.id).where('kind', '=', 'coaching').execute();
    expect(awarded).toHaveLength(1);

    await nav(page, 'Reaction surveys');
    await page.getByRole('heading', { level: 1, name: 'Reaction surveys' }).waitFor();
    await page.getByRole('link', { name: 'New survey' }).click();
    await page.getByRole('heading', { level: 1, name: 'New reaction survey' }).waitFor();
    await page.getByRole('textbox', { name: 'Statement 1', exact: true }).fill('');
    await page.getByRole('button', { name: 'Add survey' }).click();
    // The API's validation lands under the fields it is about.
    expect(await fieldError(page.getByRole('textbox', { name: /^Title/ }))).not.toBe('');
    expect(await fieldError(page.getByRole('textbox', { name: 'Statement 1', exact: true }))).not.toBe('');
    await checkPage(page, 'training-ops-survey-form-errors');
    await page.getByRole('textbox', { name: /^Title/ }).fill('Hate speech course pulse');
    await page.getByRole('textbox', { name: 'Statement 1', exact: true }).fill('The objectives of the training were clear.');
    await pickOption(page.getByRole('combobox', { name: /^Course it follows/ }), `${SURVEY_COURSE} · Video ${world.tag}`, 'Hate speech');
    await page.getByRole('button', { name: 'Add a statement' }).click();
    await page.getByRole('textbox', { name: 'Statement 3', exact: true }).fill('The practice cases were like my queue.');
    await checkPage(page, 'training-ops-survey-form');
    await page.getByRole('button', { name: 'Add survey' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reaction surveys' }).waitFor();
    await page.getByText(new RegExp(`^Sent after ${SURVEY_COURSE} · `)).waitFor();
    await checkPage(page, 'training-ops-survey-created');
    const survey = await database.db.selectFrom('survey_definitions as d').innerJoin('courses as c', 'c.id', 'd.course_id').select(['d.items', 'c.title']).where('d.name', '=', 'Hate speech course pulse').executeTakeFirstOrThrow();
    expect(survey.title).toBe(SURVEY_COURSE);
    expect((survey.items as Array<{ key: string; kind: string }>).map((i) => i.kind)).toEqual(['likert', 'likert', 'text', 'likert']);
    expect(failures).toEqual({ errors: [], serverErrors: [] });
    await page.context().close();
  });
});
