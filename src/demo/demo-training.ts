import { sql } from 'kysely';
import type { Db, Executor } from '../db/database.ts';
import { asSystem } from '../db/scoped.ts';
import { systemActor } from '../domain/access/actor.ts';
import { insertGraduation, setMemberStatus } from '../db/repositories/training-operations-cohorts.repository.ts';
import { findCurrentSurvey, insertInvitations, sessionAttendees } from '../db/repositories/training-operations-surveys.repository.ts';
import { getNestingProgress } from '../domain/training-operations/nesting.service.ts';
import { OBSERVATION_RUBRIC } from '../domain/training-operations/trainers.rules.ts';
import { chance, demoRng, demoUuid, formatDay, int, parseDay, pick, type Rng } from './demo-random.ts';
import type { DemoData, DemoPerson } from './demo-types.ts';

/**
 * The demo organisation's training history, consistent with its QA history
 * (issue 7, item 10), written after the reviews:
 * - a new-hire program and a foundations course (with its certification)
 *   per workflow;
 * - one cohort per new-hire class of the demo (the agents hired together at
 *   a site, demo-people.ts), with its site's trainers, two weeks of classroom
 *   sessions with attendance, a nesting phase with QA targets, enrolment in
 *   the foundations course and, for classes whose nesting has ended,
 *   graduation decided on the quality metrics;
 * - the hate speech v2 refresher, assigned to everyone on a workflow with
 *   that policy when v2 took effect (the demo's policy-change dip), mostly
 *   completed, a few overdue;
 * - workflow certifications for established agents, some expired;
 * - coaching for the agents with the most QA errors, linked to their real
 *   reviews, with actions followed up or still open;
 * - trainer profiles, train-the-trainer certifications and observations;
 * - reaction surveys after the classroom sessions, answered by most.
 * Deterministic for a seed and day; a few thousand rows.
 */

const DAY = 86_400_000;
const at = (day: string, hour: number) => new Date(parseDay(day) + hour * 3_600_000);
const addDays = (day: string, days: number) => formatDay(parseDay(day) + days * DAY);

export interface DemoTrainingSummary {
  cohorts: number;
  sessions: number;
  enrolments: number;
  awards: number;
  coaching: number;
  surveyResponses: number;
  graduations: number;
}

interface Context {
  trx: Executor;
  data: DemoData;
  seed: number;
  today: string;
  now: Date;
  siteOf: Map<string, { id: string; vendorId: string; name: string; inHouse: boolean }>;
  teamOf: Map<string, { id: string; workflowKey: string }>;
  workflowOf: Map<string, { id: string; name: string }>;
}

const id = (c: Context, key: string) => demoUuid(c.seed, `training:${key}`);

async function insertContent(c: Context): Promise<Map<string, { courseId: string; versionId: string; certificationId: string; programId: string }>> {
  const result = new Map<string, { courseId: string; versionId: string; certificationId: string; programId: string }>();
  const published = new Date(parseDay(addDays(c.today, -400)));
  for (const w of c.data.workflows) {
    const programId = id(c, `program:${w.key}`);
    await c.trx.insertInto('training_programs').values({ id: programId, vendor_id: null, workflow_id: w.id, kind: 'new_hire', name: `New hire: ${w.name}`, description: 'Classroom, then nesting with QA targets, then production.' }).execute();
    await c.trx.insertInto('training_program_phases').values([
      { program_id: programId, position: 0, kind: 'classroom', name: 'Classroom', duration_days: 14 },
      { program_id: programId, position: 1, kind: 'nesting', name: 'Nesting', duration_days: 30 },
      { program_id: programId, position: 2, kind: 'production', name: 'Production', duration_days: 60 },
    ]).execute();
    const courseId = id(c, `course:${w.key}`);
    const versionId = id(c, `course-version:${w.key}`);
    await c.trx.insertInto('courses').values({ id: courseId, vendor_id: null, workflow_id: w.id, program_id: programId, title: `${w.name}: foundations` }).execute();
    // Written as a draft, then published: a published version's content is frozen (migration 0012).
    await c.trx.insertInto('course_versions').values({
      id: versionId, course_id: courseId, version: 1, status: 'draft', title: `${w.name}: foundations`,
      summary: `The policies of ${w.name}, how to decide and how QA judges it.`, estimated_minutes: 240,
    }).execute();
    await c.trx.insertInto('course_modules').values([
      { course_version_id: versionId, position: 0, title: 'The policies of this workflow', body_md: `## ${w.name}\n\nEach policy, its labels and the actions allowed.` },
      { course_version_id: versionId, position: 1, title: 'How QA scores your decisions', body_md: 'Correct label, correct action, critical errors, disputes.' },
    ]).execute();
    await c.trx.updateTable('course_versions').set({ status: 'published', published_at: published }).where('id', '=', versionId).execute();
    const certificationId = id(c, `certification:${w.key}`);
    await c.trx.insertInto('certifications').values({
      id: certificationId, vendor_id: null, workflow_id: w.id, name: `Certified for ${w.name}`, validity_days: 365, required_course_id: courseId, holds_off_workflow: false,
    }).execute();
    result.set(w.key, { courseId, versionId, certificationId, programId });
  }
  return result;
}

/** The new-hire classes: agents hired on the same day at the same site within the last 60 days. */
function newHireClasses(c: Context): Array<{ siteKey: string; hireDate: string; workflowKey: string; members: DemoPerson[] }> {
  const byClass = new Map<string, DemoPerson[]>();
  for (const p of c.data.people) {
    if (p.jobRole !== 'agent' || p.teamKey === null) continue;
    const age = (parseDay(c.today) - parseDay(p.hireDate)) / DAY;
    if (age < 0 || age > 60) continue;
    const key = `${p.siteKey}|${p.hireDate}`;
    byClass.set(key, [...(byClass.get(key) ?? []), p]);
  }
  return [...byClass.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, members]) => {
    const [siteKey, hireDate] = key.split('|') as [string, string];
    return { siteKey, hireDate, workflowKey: c.teamOf.get(members[0]!.teamKey!)!.workflowKey, members };
  });
}

const TOPICS = ['Welcome, tools and wellbeing', 'Policy deep dive 1', 'Policy deep dive 2', 'Practice cases and calibration', 'Assessment and review'];

function attendanceStatus(rng: Rng): 'present' | 'late' | 'absent' | 'excused' {
  const u = rng.number.float({ min: 0, max: 1 });
  return u < 0.86 ? 'present' : u < 0.93 ? 'late' : u < 0.97 ? 'absent' : 'excused';
}

async function insertCohorts(c: Context, content: Map<string, { courseId: string; versionId: string; certificationId: string; programId: string }>, summary: DemoTrainingSummary): Promise<string[]> {
  const rng = demoRng(c.seed, 'training:cohorts');
  const trainersAt = (siteKey: string) => c.data.people.filter((p) => p.jobRole === 'trainer' && p.siteKey === siteKey && p.status === 'active');
  const cohortIds: string[] = [];
  const completedSessions: Array<{ id: string; endedAt: Date }> = [];
  for (const cls of newHireClasses(c)) {
    const site = c.siteOf.get(cls.siteKey)!;
    const workflow = c.workflowOf.get(cls.workflowKey)!;
    const course = content.get(cls.workflowKey)!;
    const age = (parseDay(c.today) - parseDay(cls.hireDate)) / DAY;
    const cohortId = id(c, `cohort:${cls.siteKey}:${cls.hireDate}`);
    const name = `${site.name} ${cls.hireDate} new hires`;
    await c.trx.insertInto('cohorts').values({
      id: cohortId, vendor_id: site.vendorId, site_id: site.id, workflow_id: workflow.id, program_id: course.programId, name, start_date: cls.hireDate,
      status: age > 44 ? 'completed' : 'active',
    }).execute();
    cohortIds.push(cohortId);
    summary.cohorts += 1;
    await c.trx.insertInto('cohort_members').values(cls.members.map((m) => ({ cohort_id: cohortId, person_id: m.id, joined_at: at(cls.hireDate, 0) }))).execute();
    const trainers = trainersAt(cls.siteKey);
    if (trainers.length > 0) {
      await c.trx.insertInto('cohort_trainers').values(trainers.slice(0, 2).map((t, i) => ({ cohort_id: cohortId, person_id: t.id, role: i === 0 ? ('lead' as const) : ('co' as const), added_at: at(cls.hireDate, 0) }))).execute();
    }
    // Classroom: five sessions over the first two weeks (Mon, Wed, Fri, Mon, Wed), 09:00-13:00 UTC.
    for (const [i, offset] of [0, 2, 4, 7, 9].entries()) {
      const day = addDays(cls.hireDate, offset);
      const held = parseDay(day) + 13 * 3_600_000 < c.now.getTime();
      const sessionId = id(c, `session:${cohortId}:${i}`);
      await c.trx.insertInto('cohort_sessions').values({
        id: sessionId, cohort_id: cohortId, starts_at: at(day, 9), ends_at: at(day, 13), topic: TOPICS[i]!, location: `${site.name} training room`,
        trainer_id: trainers[i % Math.max(1, Math.min(2, trainers.length))]?.id ?? null, course_id: course.courseId,
        status: held ? 'completed' : 'scheduled', completed_at: held ? at(day, 13) : null,
      }).execute();
      summary.sessions += 1;
      if (!held) continue;
      completedSessions.push({ id: sessionId, endedAt: at(day, 13) });
      await c.trx.insertInto('cohort_attendance').values(cls.members.map((m) => {
        const status = attendanceStatus(rng);
        return {
          session_id: sessionId, person_id: m.id, vendor_id: site.vendorId, site_id: site.id, team_id: c.teamOf.get(m.teamKey!)!.id, status,
          note: status === 'excused' ? 'Medical appointment' : status === 'late' ? 'Transport delay' : '', recorded_by_label: 'demo', recorded_at: at(day, 10),
        };
      })).execute();
    }
    // Nesting: from day 14 to day 44, judged on accuracy >= 90% and critical errors <= 2% over 30 reviews.
    await c.trx.insertInto('cohort_nesting').values({
      cohort_id: cohortId, starts_on: addDays(cls.hireDate, 14), ends_on: addDays(cls.hireDate, 44), min_reviews: 30,
      accuracy_target: '0.9', critical_error_max: '0.02', evidence: 'estimate', updated_by_label: 'demo', updated_at: at(addDays(cls.hireDate, 13), 9),
    }).execute();
    // The foundations course, due at the end of classroom; older classes have completed it and earned the certification.
    for (const m of cls.members) {
      const due = at(addDays(cls.hireDate, 14), 17);
      const done = age > 16 ? chance(rng, 0.92) : age > 10 && chance(rng, 0.4);
      const completedAt = done ? new Date(Math.min(due.getTime() + int(rng, -5, 2) * DAY, c.now.getTime() - DAY)) : null;
      const enrolmentId = id(c, `enrolment:foundations:${m.id}`);
      await c.trx.insertInto('enrolments').values({
        id: enrolmentId, person_id: m.id, vendor_id: site.vendorId, site_id: site.id, course_id: course.courseId, course_version_id: course.versionId,
        source: 'cohort', source_ref_id: cohortId, cohort_id: cohortId, due_at: due, status: done ? 'completed' : age > 3 ? 'in_progress' : 'assigned',
        started_at: age > 3 ? at(addDays(cls.hireDate, 1), 9) : null, completed_at: completedAt, score: done ? String(int(rng, 80, 100) / 100) : null,
      }).execute();
      summary.enrolments += 1;
      if (done) {
        await c.trx.insertInto('certification_awards').values({
          certification_id: course.certificationId, person_id: m.id, vendor_id: site.vendorId, site_id: site.id, source: 'assessment',
          source_enrolment_id: enrolmentId, awarded_at: completedAt!, expires_at: new Date(completedAt!.getTime() + 365 * DAY),
        }).execute();
        summary.awards += 1;
      }
    }
  }
  // Those present at a completed session are invited to the reaction survey (as completing it in the app does).
  const survey = await findCurrentSurvey(c.trx);
  for (const { id: sessionId, endedAt } of survey ? completedSessions : []) {
    const attendees = await sessionAttendees(c.trx, sessionId);
    await insertInvitations(c.trx, attendees.map((a) => ({
      surveyId: survey!.id, personId: a.person_id, vendorId: a.vendor_id, siteId: a.site_id, teamId: a.team_id, contextKey: `session:${sessionId}`,
      contextLabel: `${a.cohort_name}: ${a.topic}`, courseId: a.course_id, cohortId: a.cohort_id, cohortSessionId: sessionId, trainerId: a.trainer_id, sentAt: endedAt,
    })));
  }
  return cohortIds;
}

/** The hate speech v2 refresher: everyone on a workflow with hate speech, assigned when v2 took effect, due two weeks later. */
async function insertRefresher(c: Context, summary: DemoTrainingSummary): Promise<void> {
  const hate = c.data.policies.find((p) => p.key === 'hate_speech');
  const v2 = hate?.versions[1];
  if (!hate || !v2) return;
  const rng = demoRng(c.seed, 'training:refresher');
  const effective = new Date(v2.effectiveFrom);
  const anyWorkflow = c.data.workflows.find((w) => w.policyKeys.includes('hate_speech'))!;
  const courseId = id(c, 'course:hate-v2-refresher');
  const versionId = id(c, 'course-version:hate-v2-refresher');
  const title = 'Hate speech v2: coded hate and counter-speech';
  await c.trx.insertInto('courses').values({ id: courseId, vendor_id: null, workflow_id: anyWorkflow.id, title }).execute();
  await c.trx.insertInto('course_versions').values({
    id: versionId, course_id: courseId, version: 1, status: 'draft', title, summary: 'What changed in hate speech v2 and how to apply it.',
    policy_ids: [hate.id], policy_version_ids: [v2.id], policy_label_keys: ['hate.coded_language'], estimated_minutes: 45,
  }).execute();
  await c.trx.insertInto('course_modules').values({ course_version_id: versionId, position: 0, title: 'Coded hate', body_md: 'Numeric codes, emoji combinations, misspelled slurs and dog whistles now have their own label.' }).execute();
  await c.trx.updateTable('course_versions').set({ status: 'published', published_at: effective }).where('id', '=', versionId).execute();
  const due = new Date(effective.getTime() + 14 * DAY);
  const workflowsWithHate = new Set(c.data.workflows.filter((w) => w.policyKeys.includes('hate_speech')).map((w) => w.key));
  for (const p of c.data.people) {
    if (p.jobRole !== 'agent' || p.teamKey === null || parseDay(p.hireDate) > effective.getTime()) continue;
    if (!p.workflowKeys.some((k) => workflowsWithHate.has(k))) continue;
    const site = c.siteOf.get(p.siteKey)!;
    const inactive = p.status !== 'active';
    // In-house agents were briefed first (the demo's smaller dip there); a few BPO agents are still overdue.
    const done = !inactive && chance(rng, site.inHouse ? 0.98 : 0.9);
    const completedAt = done ? new Date(effective.getTime() + int(rng, site.inHouse ? 1 : 3, site.inHouse ? 8 : 20) * DAY + int(rng, 0, 8) * 3_600_000) : null;
    await c.trx.insertInto('enrolments').values({
      id: id(c, `enrolment:refresher:${p.id}`), person_id: p.id, vendor_id: site.vendorId, site_id: site.id, course_id: courseId, course_version_id: versionId,
      source: 'rule', due_at: due, status: inactive ? 'withdrawn' : done ? 'completed' : 'in_progress', started_at: inactive ? null : new Date(effective.getTime() + DAY),
      completed_at: completedAt, score: done ? String(int(rng, 75, 100) / 100) : null,
    }).execute();
    summary.enrolments += 1;
  }
}

/** Workflow certifications for established agents: awarded within the last ~16 months, so those before a year ago have expired. */
async function insertCertifications(c: Context, content: Map<string, { certificationId: string }>, summary: DemoTrainingSummary): Promise<void> {
  const rng = demoRng(c.seed, 'training:certifications');
  const rows = [];
  for (const p of c.data.people) {
    if (p.jobRole !== 'agent' || p.teamKey === null || p.status === 'inactive') continue;
    const tenure = (parseDay(c.today) - parseDay(p.hireDate)) / DAY;
    if (tenure < 75) continue;
    const site = c.siteOf.get(p.siteKey)!;
    const workflowKey = c.teamOf.get(p.teamKey)!.workflowKey;
    const daysAgo = int(rng, 20, Math.min(480, Math.floor(tenure) - 30));
    const awardedAt = at(addDays(c.today, -daysAgo), 10);
    rows.push({
      certification_id: content.get(workflowKey)!.certificationId, person_id: p.id, vendor_id: site.vendorId, site_id: site.id, source: 'manual' as const,
      awarded_at: awardedAt, expires_at: new Date(awardedAt.getTime() + 365 * DAY),
    });
  }
  for (let i = 0; i < rows.length; i += 500) await c.trx.insertInto('certification_awards').values(rows.slice(i, i + 500)).execute();
  summary.awards += rows.length;
}

/** Coaching for the agents with the most incorrect reviews, linked to those reviews. */
async function insertCoaching(c: Context, summary: DemoTrainingSummary): Promise<void> {
  const rng = demoRng(c.seed, 'training:coaching');
  const { rows: worst } = await sql<{ agent_id: string; n: number }>`
    SELECT agent_id, count(*)::int AS n FROM reviews WHERE NOT correct GROUP BY agent_id ORDER BY n DESC, agent_id LIMIT 24`.execute(c.trx);
  const people = new Map(c.data.people.map((p) => [p.id, p]));
  for (const [i, row] of worst.entries()) {
    const agent = people.get(row.agent_id);
    if (!agent || agent.teamKey === null) continue;
    const coaches = c.data.people.filter((p) => (p.jobRole === 'trainer' || p.jobRole === 'qa_lead') && p.siteKey === agent.siteKey && p.status === 'active');
    const coach = coaches.length > 0 ? pick(rng, coaches) : c.data.people.find((p) => p.jobRole === 'trainer' && c.siteOf.get(p.siteKey)!.vendorId === c.siteOf.get(agent.siteKey)!.vendorId);
    if (!coach) continue;
    const { rows: reviews } = await sql<{ id: string; submitted_at: Date; error_types: string[]; root_causes: string[]; workflow_id: string }>`
      SELECT id, submitted_at, error_types, root_causes, workflow_id FROM reviews WHERE agent_id = ${agent.id} AND NOT correct ORDER BY submitted_at DESC, id LIMIT 3`.execute(c.trx);
    if (reviews.length === 0) continue;
    const site = c.siteOf.get(agent.siteKey)!;
    const teamId = c.teamOf.get(agent.teamKey)!.id;
    const heldOn = formatDay(Math.min(parseDay(c.today) - DAY, parseDay(formatDay(reviews[0]!.submitted_at.getTime())) + int(rng, 1, 4) * DAY));
    const errorTypes = [...new Set(reviews.flatMap((r) => r.error_types))].sort();
    const rootCauses = [...new Set(reviews.flatMap((r) => r.root_causes))].sort();
    const sessionId = id(c, `coaching:${agent.id}`);
    await c.trx.insertInto('coaching_sessions').values({
      id: sessionId, person_id: agent.id, coach_id: coach.id, vendor_id: site.vendorId, site_id: site.id, team_id: teamId, workflow_id: reviews[0]!.workflow_id,
      held_on: heldOn, topic: errorTypes.includes('false_negative') ? 'Missed violations in recent reviews' : 'Over-enforcement in recent reviews',
      notes: `Went through ${reviews.length} recent reviews together. ${rootCauses.length ? `Root causes named by QA: ${rootCauses.join(', ').replace(/_/g, ' ')}.` : ''} Agreed to re-read the relevant policy sections and check back.`,
      error_types: errorTypes, root_causes: rootCauses, acknowledged_at: i % 3 === 0 ? null : at(heldOn, 15), created_by_label: 'demo',
    }).execute();
    await c.trx.insertInto('coaching_session_reviews').values(reviews.map((r) => ({ session_id: sessionId, review_id: r.id, person_id: agent.id, vendor_id: site.vendorId, site_id: site.id, team_id: teamId }))).execute();
    const followUpOn = addDays(heldOn, 7);
    const past = followUpOn < c.today;
    const outcome = past ? pick(rng, ['done', 'done', 'done', 'not_done', 'open'] as const) : 'open';
    await c.trx.insertInto('coaching_actions').values([
      {
        session_id: sessionId, description: 'Re-read the policy sections behind the errors and explain them back', owner_id: agent.id, follow_up_on: followUpOn, status: outcome,
        follow_up_note: outcome === 'done' ? 'Explained the exceptions correctly.' : outcome === 'not_done' ? 'Not done: was on leave; moved to next week.' : '',
        followed_up_at: outcome === 'open' ? null : at(followUpOn, 14), followed_up_by_label: outcome === 'open' ? null : 'demo',
        person_id: agent.id, vendor_id: site.vendorId, site_id: site.id, team_id: teamId, position: 0,
      },
      {
        session_id: sessionId, description: 'Pull ten borderline cases for a second session', owner_id: coach.id, follow_up_on: addDays(heldOn, 10), status: 'open',
        person_id: agent.id, vendor_id: site.vendorId, site_id: site.id, team_id: teamId, position: 1,
      },
    ]).execute();
    summary.coaching += 1;
  }
}

async function insertTrainers(c: Context): Promise<void> {
  const rng = demoRng(c.seed, 'training:trainers');
  const observers = c.data.people.filter((p) => p.jobRole === 'qa_lead' || p.jobRole === 'manager');
  for (const [i, t] of c.data.people.filter((p) => p.jobRole === 'trainer').entries()) {
    const site = c.siteOf.get(t.siteKey)!;
    await c.trx.insertInto('trainer_profiles').values({
      person_id: t.id, vendor_id: site.vendorId, site_id: site.id, team_id: null, workflow_ids: t.workflowKeys.map((k) => c.workflowOf.get(k)!.id),
      specialities: [pick(rng, ['Hate speech', 'Harassment', 'Self-harm and wellbeing', 'Misinformation', 'Nesting support'] as const), 'New-hire classroom'],
      languages: t.languages, status: t.status === 'active' ? 'active' : 'inactive',
    }).execute();
    const awarded = addDays(c.today, -int(rng, 120, 500));
    await c.trx.insertInto('trainer_certifications').values({
      trainer_id: t.id, vendor_id: site.vendorId, site_id: site.id, team_id: null, kind: 'delivery', workflow_id: c.workflowOf.get(t.workflowKeys[0] ?? c.data.workflows[0]!.key)?.id ?? null,
      awarded_on: awarded, expires_on: addDays(awarded, 365), awarded_by_label: 'demo',
    }).execute();
    const peers = observers.filter((o) => c.siteOf.get(o.siteKey)!.vendorId === site.vendorId);
    const observer = peers.length > 0 ? pick(rng, peers) : observers[0];
    if (!observer || i % 4 === 3) continue;
    const scores = OBSERVATION_RUBRIC.map((r) => ({ key: r.key, score: int(rng, 3, 5) }));
    await c.trx.insertInto('trainer_observations').values({
      trainer_id: t.id, observer_id: observer.id, vendor_id: site.vendorId, site_id: site.id, team_id: null, observed_on: addDays(c.today, -int(rng, 5, 60)),
      scores: JSON.stringify(scores), overall: Math.round((scores.reduce((a, s) => a + s.score, 0) / scores.length) * 100) / 100,
      strengths: 'Clear walk-through of policy changes; good use of real cases.', improvements: 'Leave more time for practice cases.', created_by_label: 'demo',
    }).execute();
  }
}

/** Most invited learners answer; each trainer has a slightly different reception. */
async function answerSurveys(c: Context, summary: DemoTrainingSummary): Promise<void> {
  const rng = demoRng(c.seed, 'training:surveys');
  const invitations = await c.trx.selectFrom('survey_invitations').selectAll().orderBy('context_key').orderBy('person_id').execute();
  const survey = await c.trx.selectFrom('survey_definitions').select(['id', 'items']).where('id', '=', invitations[0]?.survey_id ?? '').executeTakeFirst();
  if (!survey) return;
  const likert = (survey.items as Array<{ key: string; kind: string }>).filter((i) => i.kind === 'likert');
  const trainerShift = new Map<string, number>();
  const rows = [];
  for (const inv of invitations) {
    if (!chance(rng, 0.8)) continue;
    const shift = inv.trainer_id ? (trainerShift.get(inv.trainer_id) ?? (trainerShift.set(inv.trainer_id, rng.number.float({ min: -0.5, max: 0.4 })), trainerShift.get(inv.trainer_id)!)) : 0;
    const ratings = Object.fromEntries(likert.map((i) => [i.key, Math.max(1, Math.min(5, Math.round(4.1 + shift + rng.number.float({ min: -1.3, max: 1.1 }))))]));
    const day = formatDay(Math.min(c.now.getTime() - DAY, inv.sent_at.getTime() + int(rng, 0, 3) * DAY));
    await c.trx.updateTable('survey_invitations').set({ responded_on: day }).where('id', '=', inv.id).execute();
    rows.push({
      survey_id: inv.survey_id, vendor_id: inv.vendor_id, site_id: inv.site_id, course_id: inv.course_id, cohort_id: inv.cohort_id, cohort_session_id: inv.cohort_session_id,
      trainer_id: inv.trainer_id, ratings: JSON.stringify(ratings), comments: JSON.stringify(chance(rng, 0.25) ? { improve: pick(rng, ['More practice cases, please.', 'The policy deep dive was too fast.', 'More time on coded hate examples.', 'Great session, thanks.']) } : {}),
      submitted_on: day,
    });
  }
  for (let i = 0; i < rows.length; i += 500) await c.trx.insertInto('survey_responses').values(rows.slice(i, i + 500)).execute();
  summary.surveyResponses = rows.length;
}

/** Graduation for classes whose nesting has ended, decided on the members' quality metrics (and audited like any decision). */
async function graduate(db: Db, cohortIds: string[], people: Map<string, { vendorId: string; siteId: string; teamId: string | null }>, now: Date, summary: DemoTrainingSummary): Promise<void> {
  const actor = systemActor('demo');
  await asSystem(db, async (trx) => {
    for (const cohortId of cohortIds) {
      const progress = await getNestingProgress(trx, actor, cohortId, now);
      if (!progress.settings || progress.settings.endsOn >= now.toISOString().slice(0, 10)) continue;
      for (const m of progress.members) {
        if (m.memberStatus !== 'active') continue;
        const outcome = m.evaluation.status === 'met' ? 'graduated' : m.evaluation.status === 'credibly_not_met' ? 'extended' : 'graduated';
        const note = m.evaluation.status === 'met' ? '' : m.evaluation.status === 'credibly_not_met'
          ? 'Two more weeks of nesting with daily coaching.'
          : 'Too few reviews to judge; performance in the reviews we have and the trainer\'s observation support graduation.';
        // The decision as recordGraduation stores it, with the evidence of the moment (the demo load itself is the audited event).
        const person = people.get(m.personId)!;
        await insertGraduation(trx, {
          cohortId, personId: m.personId, vendorId: person.vendorId, siteId: person.siteId, teamId: person.teamId, outcome,
          decidedOn: progress.settings.endsOn, note, decidedByLabel: 'demo',
          evidence: { settings: progress.settings, from: progress.from, to: progress.to, accuracy: m.accuracy, criticalErrorRate: m.criticalErrorRate, evaluation: m.evaluation },
        });
        await setMemberStatus(trx, cohortId, m.personId, outcome === 'graduated' ? 'graduated' : 'active', new Date(`${progress.settings.endsOn}T17:00:00Z`));
        summary.graduations += 1;
      }
    }
  });
}

export async function loadDemoTraining(db: Db, data: DemoData, options: { seed: number; today: string; now: Date }): Promise<DemoTrainingSummary> {
  const summary: DemoTrainingSummary = { cohorts: 0, sessions: 0, enrolments: 0, awards: 0, coaching: 0, surveyResponses: 0, graduations: 0 };
  const vendors = new Map(data.vendors.map((v) => [v.key, v]));
  let cohortIds: string[] = [];
  await asSystem(db, async (trx) => {
    const c: Context = {
      trx, data, seed: options.seed, today: options.today, now: options.now,
      siteOf: new Map(data.sites.map((s) => [s.key, { id: s.id, vendorId: vendors.get(s.vendorKey)!.id, name: s.name, inHouse: vendors.get(s.vendorKey)!.isInHouse }])),
      teamOf: new Map(data.teams.map((t) => [t.key, { id: t.id, workflowKey: t.workflowKey }])),
      workflowOf: new Map(data.workflows.map((w) => [w.key, { id: w.id, name: w.name }])),
    };
    const content = await insertContent(c);
    await insertTrainers(c);
    cohortIds = await insertCohorts(c, content, summary);
    await insertRefresher(c, summary);
    await insertCertifications(c, content, summary);
    await insertCoaching(c, summary);
    await answerSurveys(c, summary);
  });
  const sites = new Map(data.sites.map((s) => [s.key, { id: s.id, vendorId: vendors.get(s.vendorKey)!.id }]));
  const teams = new Map(data.teams.map((t) => [t.key, t.id]));
  const people = new Map(data.people.map((p) => [p.id, { vendorId: sites.get(p.siteKey)!.vendorId, siteId: sites.get(p.siteKey)!.id, teamId: p.teamKey === null ? null : teams.get(p.teamKey)! }]));
  await graduate(db, cohortIds, people, options.now, summary);
  return summary;
}
