import type { Db, Executor } from '../db/database.ts';
import { asSystem } from '../db/scoped.ts';
import { countUsers } from '../db/repositories/users.repository.ts';
import { systemActor } from '../domain/access/actor.ts';
import { ROLE_LABELS } from '../domain/access/roles.ts';
import { audit } from '../domain/audit/audit.service.ts';
import { hashPassword } from '../domain/auth/passwords.ts';
import { AppError } from '../domain/errors.ts';
import { ingestDecisions, type SourceLine } from '../domain/decisions/ingest.service.ts';
import { closeDueSamplingDays } from '../domain/sampling/day-close.service.ts';
import { createActivePlan } from '../domain/sampling/sampling-plans.service.ts';
import { generateDemoData, type DemoData } from './demo-data.ts';
import { generateDemoDecisions, type DemoDecisionError, type DemoDecisionTruth } from './demo-decisions.ts';
import { backdateDemoQa } from './demo-qa-history.ts';
import { loadDemoReviews } from './demo-reviews.ts';
// Auditing the auditors
import { loadDemoAuditing } from './demo-auditing.ts';
import { demoSamplingPlans } from './demo-sampling.ts';
import { installDemoScorecards } from './demo-scorecards.ts';
// Calibration
import { loadDemoCalibration } from './demo-calibration.ts';
// xAPI Learning Record Store (issue 8)
import { loadDemoXapi } from './demo-xapi.ts';
// Training operations: the training history (cohorts, refresher, certifications, coaching, surveys)
import { loadDemoTraining } from './demo-training.ts';

/**
 * Writes the demo organisation in one transaction (all or nothing), as the
 * system, into a database with no users yet; then installs the demo sampling
 * plans and streams about 90 days of generated decisions through the real
 * ingest path, closes the past sampling days and gives the QA queue the
 * history a working team would leave. Ids are deterministic, so two loads
 * with the same seed, day and load time produce the same decisions and samples.
 */
export const DEMO_SEED = 2026;
/** The one password of every demo sign-in. Demo only: a real install has no default password. */
export const DEMO_PASSWORD = 'assay-demo-2026';

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

export function demoSignIns(seed = DEMO_SEED, today = todayUtc()): Array<{ email: string; description: string }> {
  const data = generateDemoData({ seed, today });
  const names = new Map<string, string>([
    ...data.vendors.map((v) => [v.key, v.name] as const),
    ...data.sites.map((s) => [s.key, s.name] as const),
    ...data.teams.map((t) => [t.key, t.name] as const),
    ...data.people.map((p) => [p.key, p.fullName] as const),
  ]);
  return data.users.map((user) => ({
    email: user.email,
    description: `${ROLE_LABELS[user.role]}${user.scope.kind === 'all' ? ', everything' : `, ${user.scope.kind === 'self' ? 'own records' : names.get(user.scope.refKey ?? '') ?? user.scope.refKey}`}`,
  }));
}

function byKey<T extends { key: string; id: string }>(rows: T[]): Map<string, string> {
  return new Map(rows.map((row) => [row.key, row.id]));
}

function need(map: Map<string, string>, key: string | null, what: string): string {
  const id = key === null ? undefined : map.get(key);
  if (!id) throw new Error(`Demo data refers to unknown ${what} "${key}".`);
  return id;
}

async function insertCatalogue(trx: Executor, data: DemoData): Promise<void> {
  await trx.insertInto('enforcement_actions').values(data.actions).execute();
  await trx.insertInto('workflows').values(data.workflows.map(({ id, key, name, kind, description }) => ({ id, key, name, kind, description }))).execute();
  const policies = new Map(data.policies.map((p) => [p.key, p.id]));
  await trx.insertInto('policies').values(data.policies.map(({ id, key, name, description }) => ({ id, key, name, description }))).execute();
  const links = data.workflows.flatMap((w) => w.policyKeys.map((key) => ({ workflow_id: w.id, policy_id: need(policies, key, 'policy') })));
  await trx.insertInto('workflow_policies').values(links).execute();
  for (const policy of data.policies) {
    for (const version of policy.versions) {
      await trx
        .insertInto('policy_versions')
        .values({ id: version.id, policy_id: policy.id, version: version.version, effective_from: version.effectiveFrom, summary: version.summary })
        .execute();
      await trx
        .insertInto('policy_labels')
        .values(version.labels.map((label, position) => ({ policy_version_id: version.id, ...label, position })))
        .execute();
      await trx
        .insertInto('policy_version_actions')
        .values(version.allowedActions.map((action_key) => ({ policy_version_id: version.id, action_key })))
        .execute();
    }
  }
}

async function insertOrganisation(trx: Executor, data: DemoData): Promise<void> {
  const vendors = byKey(data.vendors);
  const siteVendor = new Map(data.sites.map((s) => [s.key, need(vendors, s.vendorKey, 'vendor')]));
  const sites = byKey(data.sites);
  const teams = byKey(data.teams);
  const workflows = byKey(data.workflows);
  await trx.insertInto('vendors').values(data.vendors.map(({ id, name, code, isInHouse }) => ({ id, name, code, is_in_house: isInHouse }))).execute();
  await trx
    .insertInto('sites')
    .values(data.sites.map((s) => ({ id: s.id, vendor_id: need(vendors, s.vendorKey, 'vendor'), name: s.name, country_code: s.countryCode, time_zone: s.timeZone })))
    .execute();
  await trx
    .insertInto('teams')
    .values(
      data.teams.map((t) => ({
        id: t.id,
        vendor_id: siteVendor.get(t.siteKey)!,
        site_id: need(sites, t.siteKey, 'site'),
        name: t.name,
        workflow_id: need(workflows, t.workflowKey, 'workflow'),
      })),
    )
    .execute();
  await trx
    .insertInto('people')
    .values(
      data.people.map((p) => ({
        id: p.id,
        vendor_id: siteVendor.get(p.siteKey)!,
        site_id: need(sites, p.siteKey, 'site'),
        team_id: p.teamKey === null ? null : need(teams, p.teamKey, 'team'),
        full_name: p.fullName,
        email: p.email,
        employee_ref: p.employeeRef,
        job_role: p.jobRole,
        hire_date: p.hireDate,
        languages: p.languages,
        status: p.status,
      })),
    )
    .execute();
  const skills = data.people.flatMap((p) => p.workflowKeys.map((key) => ({ person_id: p.id, workflow_id: need(workflows, key, 'workflow') })));
  await trx.insertInto('person_workflow_skills').values(skills).execute();
}

async function insertUsers(trx: Executor, data: DemoData): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const refs = new Map([...byKey(data.vendors), ...byKey(data.sites), ...byKey(data.teams), ...byKey(data.people)]);
  const people = byKey(data.people);
  await trx
    .insertInto('users')
    .values(
      data.users.map((u) => ({
        id: u.id,
        email: u.email,
        display_name: u.displayName,
        password_hash: passwordHash,
        role: u.role,
        scope_kind: u.scope.kind,
        scope_ref_id: u.scope.kind === 'all' ? null : need(refs, u.scope.refKey, 'scope target'),
        person_id: u.personKey ? need(people, u.personKey, 'person') : null,
      })),
    )
    .execute();
}

export interface LoadDemoOptions {
  seed?: number;
  /** 'YYYY-MM-DD' the demo is built around (default: today, UTC). */
  today?: string;
  /**
   * Share of the demo's decision volume to load: 1 (the default) is about
   * 550,000 decisions over 90 days, 0.02 about 12,000, 0 none (the plans are
   * installed either way).
   */
  decisionScale?: number;
  /** The load time (default: the clock). No decision after it is loaded. */
  now?: Date;
  onProgress?: (message: string) => void;
}

export async function loadDemo(db: Db, options: LoadDemoOptions = {}): Promise<DemoData> {
  const seed = options.seed ?? DEMO_SEED;
  const now = options.now ?? new Date();
  const today = options.today ?? todayUtc();
  const scale = options.decisionScale ?? 1;
  if (!(scale >= 0 && Number.isFinite(scale))) throw new RangeError(`decisionScale must be a number >= 0, got ${scale}.`);
  const data = generateDemoData({ seed, today });
  await asSystem(db, async (trx) => {
    if ((await countUsers(trx)) > 0) {
      throw new AppError('CONFLICT', 'The database already has users; the demo loads only into an empty database.');
    }
    await insertCatalogue(trx, data);
    await insertOrganisation(trx, data);
    await insertUsers(trx, data);
    await audit(trx, systemActor('demo'), {
      action: 'demo.load',
      vendorId: null,
      // today, decisionScale and now regenerate the demo decisions and their truth (demoTruthLookup).
      details: {
        seed, today, decisionScale: scale, now: now.toISOString(),
        vendors: data.vendors.length, sites: data.sites.length, people: data.people.length, policies: data.policies.length,
      },
    });
  });
  options.onProgress?.(
    `Demo organisation loaded: ${data.vendors.length} vendors, ${data.sites.length} sites, ${data.teams.length} teams, ${data.people.length} people, ` +
      `${data.workflows.length} workflows, ${data.policies.length} policies, ${data.users.length} sign-ins.`,
  );
  await installDemoPlans(db, data, { seed, today, now });
  await asSystem(db, (trx) => installDemoScorecards(trx, data));
  // xAPI Learning Record Store (issue 8): LMS credentials and the statements they sent.
  const xapi = await loadDemoXapi(db, data, { seed, now });
  options.onProgress?.(`Demo LRS loaded: ${xapi.credentials} xAPI credentials, ${xapi.statements} statements.`);
  if (scale > 0) await loadDemoDecisions(db, data, { seed, today, now, scale, onProgress: options.onProgress });
  // Training operations: after the reviews, which the coaching and nesting graduation read.
  const training = await loadDemoTraining(db, data, { seed, today, now });
  options.onProgress?.(`Demo training loaded: ${training.cohorts} cohorts, ${training.sessions} sessions, ${training.enrolments} enrolments, ${training.awards} certifications, ${training.coaching} coaching sessions, ${training.surveyResponses} survey answers, ${training.graduations} graduation decisions.`);
  return data;
}

/** The demo sampling plans, active from PLAN_DAYS_AGO before today (before the first demo decision). */
async function installDemoPlans(db: Db, data: DemoData, options: { seed: number; today: string; now: Date }): Promise<void> {
  const workflows = byKey(data.workflows);
  await asSystem(db, async (trx) => {
    for (const plan of demoSamplingPlans(data, options)) {
      await createActivePlan(
        trx,
        systemActor('demo'),
        need(workflows, plan.workflowKey, 'workflow'),
        { name: plan.name, notes: plan.notes, definition: plan.definition, effectiveFrom: new Date(plan.effectiveFrom), seed: plan.seed },
        options.now,
      );
    }
  });
}

/**
 * Streams the generated decisions through the one ingest path (check,
 * resolve, place, persist, aggregate, tasks), closes the past sampling days,
 * then gives the QA queue its history (demo-qa-history.ts).
 */
async function loadDemoDecisions(
  db: Db,
  data: DemoData,
  options: { seed: number; today: string; now: Date; scale: number; onProgress?: (message: string) => void },
): Promise<void> {
  const started = performance.now();
  const say = options.onProgress ?? (() => {});
  const errors = new Map<string, { truth: DemoDecisionTruth; error: DemoDecisionError }>();
  const records = generateDemoDecisions(data, { seed: options.seed, today: options.today, scale: options.scale, until: options.now.toISOString() });
  async function* lines(): AsyncGenerator<SourceLine> {
    let line = 0;
    for (const record of records) {
      // Only the agents' errors: elsewhere the truth is the decision itself (what the demo reviews need).
      if (record.error) errors.set(record.input.external_id, { truth: record.truth, error: record.error });
      yield { line: ++line, value: record.input };
    }
  }
  let reported = 0;
  const summary = await ingestDecisions(db, systemActor('demo'), lines(), {
    onProgress: (progress) => {
      if (progress.accepted - reported < 100_000) return;
      reported = progress.accepted;
      say(`Demo decisions: ${progress.accepted.toLocaleString('en')} loaded …`);
    },
  });
  if (summary.rejectedCount > 0) {
    // The generator only emits valid decisions: a rejection is a bug, worth a loud message but not a failed start.
    say(`Demo decisions: ${summary.rejectedCount} rejected, e.g. line ${summary.rejected[0]?.line}: ${summary.rejected[0]?.field} ${summary.rejected[0]?.message}`);
  }
  await closeDueSamplingDays(db, options.now);
  const history = await asSystem(db, (trx) => backdateDemoQa(trx, data, options.now));
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  say(
    `Demo decisions loaded: ${summary.accepted.toLocaleString('en')} decisions, ${history.tasks.toLocaleString('en')} QA tasks ` +
      `(${history.completed.toLocaleString('en')} completed, ${history.open} open, ${history.overdue} overdue) in ${seconds} s.`,
  );
  const reviewsStarted = performance.now();
  const reviews = await loadDemoReviews(db, data, { seed: options.seed, now: options.now, errors });
  if (reviews.skippedWorkflows.length > 0) say(`Demo reviews: no published scorecard for ${reviews.skippedWorkflows.join(', ')}; their tasks stay unreviewed.`);
  say(
    `Demo reviews loaded: ${reviews.reviews.toLocaleString('en')} reviews, ${reviews.disputes} disputes (${reviews.overturned} overturned, ${reviews.openDisputes} open), ` +
      `${reviews.escalations} policy escalations, ${reviews.exposures.toLocaleString('en')} exposure records in ${Math.round((performance.now() - reviewsStarted) / 100) / 10} s ` +
      `(${reviews.generateSeconds} s generating, ${reviews.writeSeconds} s writing).`,
  );
  // Calibration: monthly calibration sessions on reviewed decisions, after the reviews.
  const calibration = await loadDemoCalibration(db, data, { seed: options.seed, now: options.now });
  say(`Demo calibration loaded: ${calibration.sessions} sessions, ${calibration.ratings.toLocaleString('en')} ratings.`);
  // Auditing the auditors: gold set, gold tasks answered, double reviews of vendor QA.
  const auditing = await loadDemoAuditing(db, data, { seed: options.seed, now: options.now, errors });
  say(`Demo auditing loaded: ${auditing.goldItems} gold items, ${auditing.goldTasks} gold tasks answered, ${auditing.doubleReviews} double reviews, ${auditing.agentGoldAnswers} agents' gold answers.`);
}
