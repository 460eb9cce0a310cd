import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../src/domain/access/roles.ts';
import type { ScopeKind } from '../../src/domain/access/scope.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, type World, type WorldPerson, type WorldUser } from '../support/org-world.ts';
import { insertSampledDecisions } from '../support/decision-fixtures.ts';
import { publishScorecard } from '../support/scorecard-fixtures.ts';

/**
 * Training on a real PostgreSQL through the API: a trainer builds a course
 * (modules, a policy excerpt, an attachment, an assessment with a case item
 * from a reviewed decision), publishes it, and assigns it to a cohort; an
 * agent reads the modules, takes the randomised assessment (no answers before
 * submission; attempts and the time limit enforced by the server) and earns
 * the certification; the certification check answers for the upstream tool;
 * expiry and recertification.
 */
let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let seq = 0;

let admin: WorldUser;
let trainer: WorldUser; // vendor 1
let manager: WorldUser; // vendor 1
let agentUser: WorldUser;
let agent: WorldPerson;
let policyVersionId: string;

const as = (user: WorldUser) => tokenClient(app, user.token);

async function userFor(role: Role, kind: ScopeKind, refId: string | null, personId: string | null): Promise<WorldUser> {
  seq += 1;
  const user = await addUser(database.db, world, role, kind, `${role}-${kind}-${seq}`);
  await database.db.updateTable('users').set({ scope_ref_id: refId, person_id: personId }).where('id', '=', user.id).execute();
  return user;
}

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  app = await buildTestServer(database.db);
  const v1 = world.vendors[1]!.id;
  admin = await userFor('admin', 'all', null, null);
  trainer = await userFor('trainer', 'vendor', v1, null);
  manager = await userFor('vendor_manager', 'vendor', v1, null);
  agent = world.people.find((p) => p.vendorId === v1 && p.teamId !== null)!;
  agentUser = await userFor('agent', 'self', agent.id, agent.id);
  const policy = await database.db.insertInto('policies').values({ key: `hate_${world.tag}`, name: 'Hate speech' }).returning('id').executeTakeFirstOrThrow();
  const version = await database.db
    .insertInto('policy_versions')
    .values({ policy_id: policy.id, version: 1, effective_from: new Date('2024-01-01T00:00:00Z'), summary: 'Attacks on people for a protected characteristic are removed. Slurs count as attacks.' })
    .returning('id')
    .executeTakeFirstOrThrow();
  policyVersionId = version.id;
  await database.db
    .insertInto('policy_labels')
    .values([
      { policy_version_id: version.id, key: 'hate.slur', name: 'Slur', severity: 'high', description: 'A slur aimed at a protected group', position: 0 },
      { policy_version_id: version.id, key: 'hate.threat', name: 'Threat', severity: 'critical', description: 'A threat of violence', position: 1 },
    ])
    .execute();
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

/** A reviewed decision by a vendor-1 agent: QA said "hate.slur". */
async function reviewedDecision(): Promise<string> {
  const [decisionId] = await insertSampledDecisions(database.db, [{ agent, workflowId: world.workflowId, labels: [], action: 'no_action', severity: 'high' }]);
  await database.db.updateTable('decisions').set({ policy_version_ids: [policyVersionId], content_text: 'an abusive comment' }).where('id', '=', decisionId!).execute();
  const scorecard = await publishScorecard(database.db, world.workflowId, { sections: [] });
  const qa = world.people.find((p) => p.vendorId === agent.vendorId && p.teamId === null)!;
  const task = await database.db
    .insertInto('qa_tasks')
    .values({ decision_id: decisionId!, workflow_id: world.workflowId, vendor_id: agent.vendorId, site_id: agent.siteId, team_id: agent.teamId, agent_id: agent.id, status: 'completed', assignee_id: qa.id, due_at: new Date(), completed_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto('reviews')
    .values({
      task_id: task.id, decision_id: decisionId!, workflow_id: world.workflowId, reviewer_id: qa.id, reviewer_vendor_id: qa.vendorId, scorecard_version_id: scorecard.id,
      blind: true, qa_labels: ['hate.slur'], qa_action: 'remove', answers: '[]', score: 0, passed: false, critical_failed: false, correct: false, error_types: [], root_causes: [],
      time_on_task_ms: 1000, vendor_id: agent.vendorId, site_id: agent.siteId, team_id: agent.teamId, agent_id: agent.id,
    })
    .execute();
  return decisionId!;
}

interface BuiltCourse {
  courseId: string;
  versionId: string;
  certificationId: string;
  workflowId: string;
  workflowKey: string;
}

/** Builds and publishes a course (2 modules, 3 items + a case item) with a 30-day certification. */
async function buildCourse(options: { timeLimitMinutes?: number | null; attemptsAllowed?: number | null; caseItem?: boolean } = {}): Promise<BuiltCourse> {
  const t = as(trainer);
  // Each course trains its own workflow, so one test's certifications do not change another's check.
  const workflow = await database.db.insertInto('workflows').values({ key: `wf_${world.tag}_${++seq}`, name: `Workflow ${seq}`, kind: 'moderation' }).returning(['id', 'key']).executeTakeFirstOrThrow();
  const course = await t('POST', '/api/training/courses', { title: `Hate speech basics ${seq}`, workflowId: workflow.id, policyVersionIds: [policyVersionId], policyLabelKeys: ['hate.slur'] });
  expect(course.statusCode).toBe(201);
  const courseId = course.json().id as string;
  const versionId = course.json().draftVersion.id as string;
  const m1 = await t('POST', `/api/training/course-versions/${versionId}/modules`, {
    title: 'What counts as a slur',
    bodyMd: '# Slurs\n\nRead the [policy](https://example.com/policy). <script>alert(1)</script>',
    policyExcerpts: [{ policyVersionId, quote: 'Slurs  count as\nattacks.' }],
  });
  expect(m1.statusCode).toBe(201);
  expect(m1.json().policyExcerpts[0]).toMatchObject({ quote: 'Slurs count as attacks.', version: 1 });
  const m2 = await t('POST', `/api/training/course-versions/${versionId}/modules`, { title: 'Threats', bodyMd: 'Threats are critical.' });
  expect(m2.statusCode).toBe(201);
  const pdf = Buffer.from('%PDF-1.4\n% test\n').toString('base64');
  const attach = await t('POST', `/api/training/modules/${m1.json().id}/attachments`, { fileName: 'slurs.pdf', contentType: 'application/pdf', contentBase64: pdf });
  expect(attach.statusCode).toBe(201);
  const settings = await t('PUT', `/api/training/course-versions/${versionId}/assessment`, {
    passMark: 0.75,
    timeLimitMinutes: options.timeLimitMinutes ?? 30,
    attemptsAllowed: options.attemptsAllowed === undefined ? 2 : options.attemptsAllowed,
    randomiseItems: true,
    randomiseOptions: true,
  });
  expect(settings.statusCode, settings.body).toBe(200);
  const items = [
    { kind: 'single', stem: 'A slur aimed at a group is…', options: [{ id: 'a', text: 'Removed' }, { id: 'b', text: 'Allowed' }, { id: 'c', text: 'Escalated' }], correctOptionIds: ['a'] },
    { kind: 'multiple', stem: 'Which are attacks?', options: [{ id: 'a', text: 'Slurs' }, { id: 'b', text: 'Threats' }, { id: 'c', text: 'Jokes about weather' }], correctOptionIds: ['a', 'b'] },
    { kind: 'true_false', stem: 'Threats are critical severity.', correctOptionIds: ['true'] },
  ];
  for (const item of items) expect((await t('POST', `/api/training/course-versions/${versionId}/items`, item)).statusCode).toBe(201);
  if (options.caseItem) {
    const decisionId = await reviewedDecision();
    const caseItem = await t('POST', `/api/training/course-versions/${versionId}/case-items`, { decisionId });
    expect(caseItem.statusCode).toBe(201);
    expect(caseItem.json()).toMatchObject({ kind: 'case', correctOptionIds: ['hate.slur'] });
  }
  const published = await t('POST', `/api/training/course-versions/${versionId}/publish`);
  expect(published.statusCode).toBe(200);
  const cert = await t('POST', '/api/training/certifications', { workflowId: workflow.id, name: `Hate speech certified ${seq}`, validityDays: 90, requiredCourseId: courseId, holdsOffWorkflow: true });
  expect(cert.statusCode).toBe(201);
  return { courseId, versionId, certificationId: cert.json().id, workflowId: workflow.id, workflowKey: workflow.key };
}

/** The correct selections for a form, read from the trainer's view of the bank. */
async function keyFor(versionId: string): Promise<Map<string, string[]>> {
  const version = await as(trainer)('GET', `/api/training/course-versions/${versionId}`);
  return new Map((version.json().assessment.items as Array<{ id: string; correctOptionIds: string[] }>).map((i) => [i.id, i.correctOptionIds]));
}

async function readAllModules(enrolmentId: string) {
  const detail = await as(agentUser)('GET', `/api/training/my/enrolments/${enrolmentId}`);
  for (const m of detail.json().modules as Array<{ id: string }>) {
    expect((await as(agentUser)('POST', `/api/training/my/enrolments/${enrolmentId}/modules/${m.id}/view`)).statusCode).toBe(200);
  }
}

describe('content', () => {
  it('refuses quotes that are not in the policy version, wrong attachment types, and edits to a published version', async () => {
    const t = as(trainer);
    const { versionId } = await buildCourse();
    const course = await t('POST', '/api/training/courses', { title: 'Scratch', workflowId: world.workflowId });
    const draft = course.json().draftVersion.id;
    const bad = await t('POST', `/api/training/course-versions/${draft}/modules`, { title: 'x', policyExcerpts: [{ policyVersionId, quote: 'Jokes are always fine' }] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.details[0].path).toBe('/policyExcerpts/0/quote');
    const mod = await t('POST', `/api/training/course-versions/${draft}/modules`, { title: 'ok' });
    const fake = await t('POST', `/api/training/modules/${mod.json().id}/attachments`, { fileName: 'x.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('MZ not a pdf').toString('base64') });
    expect(fake.statusCode).toBe(422);
    const exe = await t('POST', `/api/training/modules/${mod.json().id}/attachments`, { fileName: 'x.exe', contentType: 'application/x-msdownload', contentBase64: 'TVo=' });
    expect(exe.statusCode).toBe(422);
    const frozen = await t('POST', `/api/training/course-versions/${versionId}/modules`, { title: 'late' });
    expect(frozen.statusCode).toBe(409);
  });

  it('keeps an enrolment on its version when a new version is published', async () => {
    const t = as(trainer);
    const built = await buildCourse({ attemptsAllowed: null });
    const assign = await as(manager)('POST', '/api/training/enrolments', { courseId: built.courseId, personIds: [agent.id] });
    expect(assign.json()).toMatchObject({ created: 1 });
    const again = await as(manager)('POST', '/api/training/enrolments', { courseId: built.courseId, personIds: [agent.id] });
    expect(again.json()).toMatchObject({ created: 0, alreadyEnrolled: 1 });
    const draft = await t('POST', `/api/training/courses/${built.courseId}/drafts`);
    expect(draft.statusCode, draft.body).toBe(201);
    expect(draft.json().version).toBe(2);
    expect(draft.json().modules).toHaveLength(2);
    expect(draft.json().modules[0].attachments).toHaveLength(1);
    expect(draft.json().assessment.items).toHaveLength(3);
    await t('PATCH', `/api/training/course-versions/${draft.json().id}`, { title: 'Hate speech v2' });
    expect((await t('POST', `/api/training/course-versions/${draft.json().id}/publish`)).statusCode).toBe(200);
    const mine = await as(agentUser)('GET', '/api/training/my');
    const enrolment = (mine.json().enrolments as Array<{ courseId: string; courseVersionId: string }>).find((e) => e.courseId === built.courseId)!;
    expect(enrolment.courseVersionId).toBe(built.versionId);
  });
});

describe('enrolment rules and attachments', () => {
  it('enrols new hires of a workflow once, however often the rules run', async () => {
    const built = await buildCourse();
    const v1 = world.vendors[1]!.id;
    const site = world.sites.find((x) => x.vendorId === v1)!;
    const hire = await database.db
      .insertInto('people')
      .values({ vendor_id: v1, site_id: site.id, full_name: `New hire ${world.tag}`, job_role: 'agent', hire_date: '2026-11-02' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.insertInto('person_workflow_skills').values({ person_id: hire.id, workflow_id: built.workflowId }).execute();
    const rule = await as(manager)('POST', '/api/training/enrolment-rules', { workflowId: built.workflowId, courseId: built.courseId, hiredOnOrAfter: '2026-10-01', dueDays: 10 });
    expect(rule.statusCode).toBe(201);
    expect(rule.json()).toMatchObject({ enrolled: 1, rule: { vendorId: v1, dueDays: 10 } });
    expect((await as(manager)('POST', '/api/training/enrolment-rules/apply')).json()).toEqual({ enrolled: 0 });
    const enrolments = await as(manager)('GET', `/api/training/enrolments?personId=${hire.id}`);
    expect(enrolments.json().items).toHaveLength(1);
    expect(enrolments.json().items[0]).toMatchObject({ source: 'rule', courseId: built.courseId, status: 'assigned' });
    // A person who appears later (joins the workflow) is enrolled at once, by the database.
    const later = await database.db
      .insertInto('people')
      .values({ vendor_id: v1, site_id: site.id, full_name: `Later hire ${world.tag}`, job_role: 'agent', hire_date: '2026-11-20' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.insertInto('person_workflow_skills').values({ person_id: later.id, workflow_id: built.workflowId }).execute();
    const auto = await as(manager)('GET', `/api/training/enrolments?personId=${later.id}`);
    expect(auto.json().items).toHaveLength(1);
    expect(auto.json().items[0]).toMatchObject({ source: 'rule', courseId: built.courseId });
    expect((await as(manager)('POST', '/api/training/enrolment-rules/apply')).json()).toEqual({ enrolled: 0 });
    // Someone hired before the rule's day is not a new hire.
    const veteran = await database.db
      .insertInto('people')
      .values({ vendor_id: v1, site_id: site.id, full_name: `Veteran ${world.tag}`, job_role: 'agent', hire_date: '2020-01-01' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.insertInto('person_workflow_skills').values({ person_id: veteran.id, workflow_id: built.workflowId }).execute();
    expect((await as(manager)('GET', `/api/training/enrolments?personId=${veteran.id}`)).json().items).toEqual([]);
  });

  it('serves attachments with their type, never sniffed, and the database refuses edits to a published version', async () => {
    const built = await buildCourse();
    const version = await as(trainer)('GET', `/api/training/course-versions/${built.versionId}`);
    const attachment = version.json().modules[0].attachments[0];
    const file = await as(agentUser)('GET', `/api/training/attachments/${attachment.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-disposition']).toContain('attachment');
    expect(file.body.startsWith('%PDF-')).toBe(true);
    await expect(database.db.updateTable('course_modules').set({ title: 'changed' }).where('course_version_id', '=', built.versionId).execute()).rejects.toThrow(/cannot change/);
  });
});

describe('learning, assessment and certification', () => {
  it('takes a trainer-built course from a cohort assignment to a certification', async () => {
    const built = await buildCourse({ caseItem: true });
    const cohort = await as(manager)('POST', '/api/training/cohorts', { siteId: agent.siteId, workflowId: built.workflowId, name: `Wave ${seq}`, startDate: '2026-01-05', memberIds: [agent.id] });
    expect(cohort.statusCode).toBe(201);
    const assign = await as(manager)('POST', '/api/training/enrolments', { courseId: built.courseId, cohortId: cohort.json().id, dueAt: '2099-01-31' });
    expect(assign.json()).toMatchObject({ created: 1 });
    const enrolmentId = assign.json().enrolmentIds[0] as string;

    // Before reading: the assessment is locked.
    expect((await as(agentUser)('POST', `/api/training/my/enrolments/${enrolmentId}/attempts`)).statusCode).toBe(409);
    await readAllModules(enrolmentId);
    const start = await as(agentUser)('POST', `/api/training/my/enrolments/${enrolmentId}/attempts`);
    expect(start.statusCode).toBe(201);
    const form = start.json();
    expect(form.items).toHaveLength(4);
    // No answer key, explanation or known action before submission.
    const raw = start.body;
    expect(raw).not.toContain('correctOptionIds');
    expect(raw).not.toContain('knownAction');
    expect(raw).not.toContain('"remove"');
    const caseItem = form.items.find((i: { kind: string }) => i.kind === 'case');
    expect(caseItem.case.display).toMatchObject({ tier: 'high', blur: true });
    const audit = await database.db.selectFrom('audit_log').select('action').where('action', '=', 'decision.content_view').where('entity_id', '=', caseItem.case.decisionId).execute();
    expect(audit.length).toBeGreaterThanOrEqual(2); // trainer built it, agent saw it
    // Resuming returns the same form.
    const resumed = await as(agentUser)('POST', `/api/training/my/enrolments/${enrolmentId}/attempts`);
    expect(resumed.json().id).toBe(form.id);
    expect(resumed.json().items.map((i: { id: string }) => i.id)).toEqual(form.items.map((i: { id: string }) => i.id));

    // First attempt: everything wrong.
    const wrong = await as(agentUser)('POST', `/api/training/my/attempts/${form.id}/submit`, { answers: form.items.map((i: { id: string }) => ({ itemId: i.id, optionIds: ['zzz'] })) });
    expect(wrong.statusCode).toBe(200);
    expect(wrong.json().result).toMatchObject({ score: 0, passed: false, enrolmentCompleted: false });
    expect(wrong.json().result.answers[0].correctOptionIds.length).toBeGreaterThan(0);
    expect((await as(agentUser)('POST', `/api/training/my/attempts/${form.id}/submit`, { answers: [] })).statusCode).toBe(409);

    // Second attempt: right.
    const second = await as(agentUser)('POST', `/api/training/my/enrolments/${enrolmentId}/attempts`);
    const key = await keyFor(built.versionId);
    const right = await as(agentUser)('POST', `/api/training/my/attempts/${second.json().id}/submit`, {
      answers: second.json().items.map((i: { id: string }) => ({ itemId: i.id, optionIds: key.get(i.id)! })),
    });
    expect(right.json().result).toMatchObject({ score: 1, passed: true, enrolmentCompleted: true });

    const mine = await as(agentUser)('GET', '/api/training/my');
    expect(mine.json().enrolments.find((e: { id: string }) => e.id === enrolmentId)).toMatchObject({ status: 'completed', score: 1 });
    const award = (mine.json().certifications as Array<{ certificationId: string; state: string; expiresAt: string; awardedAt: string }>).find((a) => a.certificationId === built.certificationId)!;
    expect(award.state).toBe('valid');
    expect(Date.parse(award.expiresAt) - Date.parse(award.awardedAt)).toBe(90 * 86_400_000);

    // The manager's completion view by cohort shows it.
    const completion = await as(manager)('GET', `/api/training/completion?groupBy=cohort&courseId=${built.courseId}`);
    expect(completion.json().items).toHaveLength(1);
    expect(completion.json().items[0]).toMatchObject({ groupName: `Wave ${seq}`, enrolled: 1, completed: 1 });
    expect(completion.json().items[0].completionRate).toMatchObject({ estimate: 1, n: 1, method: 'wilson' });
    expect(completion.json().items[0].completionRate.lower).toBeLessThan(1);

    // The certification check for the upstream tool.
    const check = await as(admin)('GET', `/api/training/certified?person=${agent.id}&workflow=${built.workflowId}`);
    expect(check.statusCode).toBe(200);
    expect(check.json()).toMatchObject({ outcome: 'answered', certified: true, certificationRequired: true, heldOff: false });
    expect(check.json().certifications.find((c: { certificationId: string }) => c.certificationId === built.certificationId).award.expiresAt).toBe(award.expiresAt);

    // Item analysis sees both attempts.
    const version = await as(trainer)('GET', `/api/training/course-versions/${built.versionId}`);
    const analysis = await as(trainer)('GET', `/api/training/assessments/${version.json().assessment.id}/item-analysis`);
    expect(analysis.json().attempts).toBe(2);
    expect(analysis.json().items[0]).toMatchObject({ n: 2, correct: 1 });
    expect(analysis.json().items[0].facility.estimate).toBe(0.5);
  });

  it('enforces the attempts allowed and refuses late submissions', async () => {
    const built = await buildCourse({ attemptsAllowed: 1, timeLimitMinutes: 5 });
    const assign = await as(manager)('POST', '/api/training/enrolments', { courseId: built.courseId, personIds: [agent.id] });
    const enrolmentId = assign.json().enrolmentIds[0] as string;
    await readAllModules(enrolmentId);
    const start = await as(agentUser)('POST', `/api/training/my/enrolments/${enrolmentId}/attempts`);
    expect(start.json().remainingMs).toBeGreaterThan(4 * 60_000);
    // The clock runs out (moved back as the system: the server's clock decides).
    await database.db.updateTable('assessment_attempts').set({ deadline_at: new Date(Date.now() - 60_000) }).where('id', '=', start.json().id).execute();
    const late = await as(agentUser)('POST', `/api/training/my/attempts/${start.json().id}/submit`, { answers: [] });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toMatch(/time limit/);
    const retry = await as(agentUser)('POST', `/api/training/my/enrolments/${enrolmentId}/attempts`);
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error.message).toMatch(/No attempts left/);
    const detail = await as(agentUser)('GET', `/api/training/my/enrolments/${enrolmentId}`);
    expect(detail.json().assessment).toMatchObject({ attemptsUsed: 1, attemptsLeft: 0 });
    expect(detail.json().assessment.attempts[0].status).toBe('expired');
  });

  it('refuses answers for items not on the form', async () => {
    const built = await buildCourse({ attemptsAllowed: null });
    const assign = await as(manager)('POST', '/api/training/enrolments', { courseId: built.courseId, personIds: [agent.id] });
    expect(assign.statusCode, assign.body).toBe(201);
    const enrolmentId = assign.json().enrolmentIds[0] as string;
    await readAllModules(enrolmentId);
    const start = await as(agentUser)('POST', `/api/training/my/enrolments/${enrolmentId}/attempts`);
    const bad = await as(agentUser)('POST', `/api/training/my/attempts/${start.json().id}/submit`, { answers: [{ itemId: '00000000-0000-4000-8000-000000000000', optionIds: ['a'] }] });
    expect(bad.statusCode).toBe(422);
  });
});

describe('certifications: expiry, recertification, revocation and the check API', () => {
  it('extends an early recertification from the old expiry, lapses at expiry, and honours revocation', async () => {
    const built = await buildCourse();
    const person = world.people.find((p) => p.vendorId === world.vendors[1]!.id && p.teamId !== null && p.id !== agent.id)!;
    const grant = await as(manager)('POST', '/api/training/certification-awards', { certificationId: built.certificationId, personId: person.id });
    expect(grant.statusCode).toBe(201);
    const first = grant.json();
    // Recertify 10 days before expiry: the new award runs from the old expiry.
    const again = await as(manager)('POST', '/api/training/certification-awards', { certificationId: built.certificationId, personId: person.id });
    expect(Date.parse(again.json().expiresAt)).toBe(Date.parse(first.expiresAt) + 90 * 86_400_000);

    const at = (iso: string) => as(admin)('GET', `/api/training/certified?person=${person.id}&workflow=${built.workflowId}&at=${encodeURIComponent(iso)}`);
    const day = 86_400_000;
    expect((await at(new Date(Date.parse(first.awardedAt) + 100 * day).toISOString())).json().certified).toBe(true);
    const lapsed = await at(new Date(Date.parse(again.json().expiresAt) + day).toISOString());
    expect(lapsed.json()).toMatchObject({ certified: false, heldOff: true, certificationRequired: true });

    // A lapsed certification restarts from the award date.
    await database.db.updateTable('certification_awards').set({ awarded_at: new Date(Date.now() - 100 * day), expires_at: new Date(Date.now() - 10 * day) }).where('person_id', '=', person.id).execute();
    const fresh = await as(manager)('POST', '/api/training/certification-awards', { certificationId: built.certificationId, personId: person.id });
    expect(Date.parse(fresh.json().expiresAt) - Date.parse(fresh.json().awardedAt)).toBe(90 * day);

    const revoked = await as(manager)('POST', `/api/training/certification-awards/${fresh.json().id}/revoke`, { reason: 'Failed a calibration audit' });
    expect(revoked.json().state).toBe('revoked');
    expect((await as(admin)('GET', `/api/training/certified?person=${person.id}&workflow=${built.workflowId}`)).json().certified).toBe(false);
    const overview = await as(manager)('GET', '/api/training/certifications-overview');
    expect(overview.statusCode, overview.body).toBe(200);
    const row = overview.json().rows.find((r: { certificationId: string }) => r.certificationId === built.certificationId);
    expect(row.revoked).toBe(1);
  });

  it('answers by the upstream agent reference, in batches, and 404s for unknown people', async () => {
    const built = await buildCourse();
    const person = world.people.find((p) => p.vendorId === world.vendors[1]!.id && p.teamId !== null && p.id !== agent.id)!;
    await database.db.updateTable('people').set({ employee_ref: `EMP-${world.tag}` }).where('id', '=', person.id).execute();
    await as(manager)('POST', '/api/training/certification-awards', { certificationId: built.certificationId, personId: person.id });
    const workflow = { key: built.workflowKey };
    const byRef = await as(admin)('GET', `/api/training/certified?agent=EMP-${world.tag}&workflow=${workflow.key}`);
    expect(byRef.json()).toMatchObject({ outcome: 'answered', personId: person.id });
    expect((await as(admin)('GET', `/api/training/certified?agent=nobody&workflow=${workflow.key}`)).statusCode).toBe(404);
    expect((await as(admin)('GET', `/api/training/certified?person=${person.id}&workflow=no_such_workflow`)).statusCode).toBe(404);
    const batch = await as(admin)('POST', '/api/training/certified/batch', {
      checks: [
        { person: `EMP-${world.tag}`, workflow: workflow.key },
        { person: 'nobody', workflow: workflow.key },
        { person: world.people.find((p) => p.vendorId === world.vendors[2]!.id)!.id, workflow: built.workflowId },
      ],
    });
    expect(batch.statusCode).toBe(200);
    expect(batch.json().items.map((i: { outcome: string; certified: boolean }) => [i.outcome, i.certified])).toEqual([
      ['answered', true],
      ['person_not_found', false],
      ['answered', false],
    ]);
    // Agents have no access to the check.
    expect((await as(agentUser)('GET', `/api/training/certified?person=${person.id}&workflow=${built.workflowId}`)).statusCode).toBe(403);
  });
});
