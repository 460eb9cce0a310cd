import { emitTrainingEvent } from '../xapi/xapi-training-events.service.ts';
import { randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.ts';
import * as assessments from '../../db/repositories/training-assessments.repository.ts';
import * as enrolments from '../../db/repositories/training-enrolments.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, notFound } from '../errors.ts';
import { displayFor } from '../wellbeing/wellbeing.service.ts';
import type { EffectiveDisplay } from '../wellbeing/wellbeing.rules.ts';
import { attemptDeadline, attemptsLeft, drawForm, isLate, scoreAttempt } from './assessment.rules.ts';
import type { CaseSnapshot } from './assessment-builder.service.ts';
import { awardForCompletion, listAwards, type Award } from './certification.service.ts';
import { isComplete } from './completion.rules.ts';
import { moduleViews, type ModuleView } from './content.service.ts';
import { presentEnrolment, type Enrolment } from './enrolment.service.ts';
import type { AssessmentSummary, AttemptView as SharedAttemptView } from './training.types.ts';
export type { AssessmentSummary };

/**
 * "My learning": a learner's own enrolments, the module reader (views count
 * as progress), and assessment attempts. Everything here acts only on the
 * actor's own person: a manager who can see an enrolment still cannot take
 * someone else's test. Answer keys leave the server only after submission.
 */

/** An account with no person has no training of its own, so any enrolment or attempt id is simply not there (404, like another person's). */
function ownPerson(actor: Actor, what: string): string {
  if (!actor.personId) throw new AppError('NOT_FOUND', `${what} not found: your account is not linked to a person, so it has no training of its own.`);
  return actor.personId;
}

async function ownEnrolment(trx: Executor, actor: Actor, enrolmentId: string, forUpdate = false) {
  const personId = ownPerson(actor, 'Enrolment');
  const row = await enrolments.findEnrolment(trx, enrolmentId, forUpdate);
  // Someone else's enrolment is "not found" for the learner's own screens.
  if (!row || row.person_id !== personId) throw notFound('Enrolment');
  return row;
}

export interface MyEnrolment extends Enrolment {
  modules: Array<ModuleView & { viewedAt: string | null }>;
  modulesViewed: number;
  modulesRequired: number;
  assessment: AssessmentSummary | null;
  canStartAssessment: boolean;
}

async function assessmentSummary(trx: Executor, versionId: string, enrolmentId: string, now: Date): Promise<AssessmentSummary | null> {
  const a = await assessments.assessmentForVersion(trx, versionId);
  if (!a) return null;
  const [attempts, items] = await Promise.all([assessments.attemptsForEnrolment(trx, enrolmentId), assessments.listItems(trx, a.id)]);
  const open = attempts.find((t) => t.status === 'in_progress' && !isLate(t.deadline_at, now));
  const submitted = attempts.filter((t) => t.status === 'submitted');
  return {
    id: a.id,
    passMark: Number(a.pass_mark),
    timeLimitMinutes: a.time_limit_minutes,
    attemptsAllowed: a.attempts_allowed,
    attemptsUsed: attempts.length,
    attemptsLeft: attemptsLeft(a.attempts_allowed, attempts.length),
    formSize: Math.min(a.form_size ?? items.length, items.length),
    openAttemptId: open?.id ?? null,
    bestScore: submitted.length > 0 ? Math.max(...submitted.map((t) => Number(t.score))) : null,
    passed: submitted.some((t) => t.passed === true),
    attempts: attempts.map((t) => ({
      id: t.id,
      number: t.attempt_number,
      status: t.status === 'in_progress' && isLate(t.deadline_at, now) ? 'expired' : t.status,
      startedAt: t.started_at.toISOString(),
      submittedAt: t.submitted_at?.toISOString() ?? null,
      score: t.score === null ? null : Number(t.score),
      passed: t.passed,
    })),
  };
}

async function enrolmentDetail(trx: Executor, row: enrolments.EnrolmentRecord, now: Date): Promise<MyEnrolment> {
  const modules = await moduleViews(trx, row.course_version_id);
  const progress = await enrolments.progressFor(trx, [row.id]);
  const viewed = new Map(progress.map((p) => [p.module_id, p.first_viewed_at.toISOString()]));
  const assessment = await assessmentSummary(trx, row.course_version_id, row.id, now);
  const required = modules.filter((m) => m.required);
  const allViewed = required.every((m) => viewed.has(m.id));
  const open = row.status === 'assigned' || row.status === 'in_progress';
  return {
    ...presentEnrolment(row, now),
    modules: modules.map((m) => ({ ...m, viewedAt: viewed.get(m.id) ?? null })),
    modulesViewed: required.filter((m) => viewed.has(m.id)).length,
    modulesRequired: required.length,
    assessment,
    canStartAssessment: open && allViewed && assessment !== null && !assessment.passed && (assessment.openAttemptId !== null || assessment.attemptsLeft === null || assessment.attemptsLeft > 0),
  };
}

export async function myLearning(trx: Executor, actor: Actor, now = new Date()): Promise<{ linked: boolean; enrolments: Enrolment[]; certifications: Award[] }> {
  // An account with no person (an administrator, a service user) simply has no training of its own.
  if (!actor.personId) return { linked: false, enrolments: [], certifications: [] };
  const personId = actor.personId;
  const { rows } = await enrolments.listEnrolments(trx, { personId }, { limit: 500, offset: 0 });
  return {
    linked: true,
    enrolments: rows.filter((r) => r.status !== 'withdrawn').map((r) => presentEnrolment(r, now)),
    certifications: await listAwards(trx, { personId }, now),
  };
}

export async function myEnrolment(trx: Executor, actor: Actor, enrolmentId: string, now = new Date()): Promise<MyEnrolment> {
  return enrolmentDetail(trx, await ownEnrolment(trx, actor, enrolmentId), now);
}

/** Completes the enrolment when its rule is met, awarding the course's certifications. */
async function completeIfDone(trx: Executor, actor: Actor, row: enrolments.EnrolmentRecord, attemptId: string | null, now: Date): Promise<boolean> {
  if (row.status === 'completed' || row.status === 'withdrawn') return false;
  const modules = await moduleViews(trx, row.course_version_id);
  const progress = await enrolments.progressFor(trx, [row.id]);
  const a = await assessments.assessmentForVersion(trx, row.course_version_id);
  const attempts = a ? await assessments.attemptsForEnrolment(trx, row.id) : [];
  const passedAttempts = attempts.filter((t) => t.passed === true);
  const done = isComplete(modules.filter((m) => m.required).map((m) => m.id), new Set(progress.map((p) => p.module_id)), a !== undefined, passedAttempts.length > 0);
  if (!done) return false;
  const best = attempts.length > 0 ? Math.max(...attempts.filter((t) => t.score !== null).map((t) => Number(t.score))) : null;
  await enrolments.updateEnrolment(trx, row.id, { status: 'completed', completed_at: now, score: best });
  await emitTrainingEvent(trx, { kind: 'completed', key: row.id, at: now, personId: row.person_id, courseId: row.course_id, enrolmentId: row.id, result: { completion: true, scaled: best, durationMs: row.started_at ? now.getTime() - new Date(row.started_at).getTime() : null } });
  await audit(trx, actor, { action: 'training.enrolment.complete', entityType: 'enrolment', entityId: row.id, vendorId: row.vendor_id, details: { courseId: row.course_id, versionId: row.course_version_id, score: best } });
  await awardForCompletion(trx, actor, row, attemptId ?? passedAttempts.at(-1)?.id ?? null, now);
  return true;
}

export async function viewModule(trx: Executor, actor: Actor, enrolmentId: string, moduleId: string, now = new Date()): Promise<MyEnrolment> {
  const row = await ownEnrolment(trx, actor, enrolmentId, true);
  const modules = await moduleViews(trx, row.course_version_id);
  if (!modules.some((m) => m.id === moduleId)) throw notFound('Module');
  if (row.status === 'withdrawn') throw new AppError('CONFLICT', 'This enrolment was withdrawn.');
  await enrolments.recordModuleView(trx, row.id, moduleId, row.person_id);
  if (row.status === 'assigned') {
    await enrolments.updateEnrolment(trx, row.id, { status: 'in_progress', started_at: now });
    row.status = 'in_progress';
  }
  await completeIfDone(trx, actor, row, null, now);
  return enrolmentDetail(trx, (await enrolments.findEnrolment(trx, row.id))!, now);
}

export interface FormItem {
  id: string;
  kind: 'single' | 'multiple' | 'true_false' | 'case';
  stem: string;
  /** In the order drawn for this attempt. */
  options: Array<{ id: string; text: string }>;
  /** More than one option may be chosen. */
  multiple: boolean;
  points: number;
  case: (Omit<CaseSnapshot, 'knownAction' | 'reviewId'> & { display: EffectiveDisplay }) | null;
}

/** An attempt as the learner sees it: its form and, once submitted, the result and the answer key. */
export type AttemptView = SharedAttemptView<FormItem>;

async function formItems(trx: Executor, actor: Actor, attempt: assessments.AttemptRecord): Promise<{ items: FormItem[]; records: assessments.ItemRecord[] }> {
  const records = await assessments.itemsByIds(trx, attempt.item_ids);
  const byId = new Map(records.map((r) => [r.id, r]));
  const orders = attempt.option_orders;
  const items: FormItem[] = [];
  for (const id of attempt.item_ids) {
    const r = byId.get(id);
    if (!r) continue;
    const optionById = new Map(r.options.map((o) => [o.id, o]));
    const snapshot = r.case_snapshot as CaseSnapshot | null;
    let caseView: FormItem['case'] = null;
    if (r.kind === 'case' && snapshot) {
      const { knownAction: _known, reviewId: _review, ...shown } = snapshot;
      caseView = { ...shown, display: await displayFor(trx, actor, snapshot.severity) };
    }
    items.push({
      id: r.id,
      kind: r.kind,
      stem: r.stem,
      options: (orders[id] ?? r.options.map((o) => o.id)).map((oid) => optionById.get(oid)!).filter(Boolean),
      multiple: r.kind === 'multiple' || r.kind === 'case',
      points: Number(r.points),
      case: caseView,
    });
  }
  return { items, records };
}

async function attemptView(trx: Executor, actor: Actor, attempt: assessments.AttemptRecord, now: Date, enrolmentCompleted = false): Promise<AttemptView> {
  const { items, records } = await formItems(trx, actor, attempt);
  const late = attempt.status === 'in_progress' && isLate(attempt.deadline_at, now);
  const status = late ? 'expired' : attempt.status;
  let result: AttemptView['result'] = null;
  if (attempt.status === 'submitted') {
    const a = await assessments.findAssessment(trx, attempt.assessment_id);
    const answers = await assessments.answersForAttempt(trx, attempt.id);
    const answerById = new Map(answers.map((x) => [x.item_id, x]));
    result = {
      score: Number(attempt.score),
      passed: attempt.passed === true,
      pointsEarned: Number(attempt.points_earned),
      pointsPossible: Number(attempt.points_possible),
      passMark: Number(a!.pass_mark),
      answers: attempt.item_ids.map((itemId) => {
        const r = records.find((x) => x.id === itemId)!;
        const given = answerById.get(itemId);
        return {
          itemId,
          selectedOptionIds: given?.selected_option_ids ?? [],
          correctOptionIds: r.correct_option_ids,
          correct: given?.correct ?? false,
          explanation: r.explanation,
          knownAction: (r.case_snapshot as CaseSnapshot | null)?.knownAction ?? null,
        };
      }),
      enrolmentCompleted,
    };
  }
  return {
    id: attempt.id,
    enrolmentId: attempt.enrolment_id,
    attemptNumber: attempt.attempt_number,
    status,
    startedAt: attempt.started_at.toISOString(),
    deadlineAt: attempt.deadline_at?.toISOString() ?? null,
    remainingMs: attempt.deadline_at && status === 'in_progress' ? Math.max(0, attempt.deadline_at.getTime() - now.getTime()) : null,
    items,
    result,
  };
}

async function auditCaseViews(trx: Executor, actor: Actor, attempt: assessments.AttemptRecord, items: FormItem[]) {
  for (const item of items) {
    if (!item.case) continue;
    await audit(trx, actor, { action: 'decision.content_view', entityType: 'decision', entityId: item.case.decisionId, details: { via: 'training.assessment_attempt', attemptId: attempt.id, itemId: item.id } });
  }
}

/**
 * Starts an attempt, or resumes the open one (a retried start is harmless).
 * Expired open attempts are closed first; they count as used attempts.
 */
export async function startAttempt(trx: Executor, actor: Actor, enrolmentId: string, now = new Date()): Promise<AttemptView> {
  const row = await ownEnrolment(trx, actor, enrolmentId, true);
  const detail = await enrolmentDetail(trx, row, now);
  const a = await assessments.assessmentForVersion(trx, row.course_version_id);
  if (!a) throw new AppError('CONFLICT', 'This course has no assessment.');
  const attempts = await assessments.attemptsForEnrolment(trx, row.id);
  for (const t of attempts.filter((x) => x.status === 'in_progress')) {
    if (!isLate(t.deadline_at, now)) {
      const view = await attemptView(trx, actor, t, now);
      await auditCaseViews(trx, actor, t, view.items);
      return view;
    }
    await assessments.finishAttempt(trx, t.id, { status: 'expired', submittedAt: null, score: 0, pointsEarned: 0, pointsPossible: 0, passed: false });
  }
  if (row.status !== 'assigned' && row.status !== 'in_progress') throw new AppError('CONFLICT', `This enrolment is ${row.status}.`);
  if (detail.modulesViewed < detail.modulesRequired) throw new AppError('CONFLICT', 'Read every required module before taking the assessment.');
  if (detail.assessment?.passed) throw new AppError('CONFLICT', 'You have already passed this assessment.');
  const left = attemptsLeft(a.attempts_allowed, attempts.length);
  if (left !== null && left <= 0) throw new AppError('CONFLICT', 'No attempts left; ask your trainer.');
  const bank = await assessments.listItems(trx, a.id);
  if (bank.length === 0) throw new AppError('CONFLICT', 'The assessment has no items.');
  const seed = randomBytes(12).toString('base64url');
  const form = drawForm(
    bank.map((i) => ({ id: i.id, kind: i.kind, optionIds: i.options.map((o) => o.id) })),
    { formSize: a.form_size, randomiseItems: a.randomise_items, randomiseOptions: a.randomise_options },
    seed,
  );
  const { id } = await assessments.insertAttempt(trx, {
    assessmentId: a.id,
    enrolmentId: row.id,
    personId: row.person_id,
    attemptNumber: attempts.length + 1,
    seed,
    itemIds: form.itemIds,
    optionOrders: form.optionOrders,
    startedAt: now,
    deadlineAt: attemptDeadline(now, a.time_limit_minutes),
  });
  if (row.status === 'assigned') await enrolments.updateEnrolment(trx, row.id, { status: 'in_progress', started_at: now });
  const attempt = (await assessments.findAttempt(trx, id))!;
  const view = await attemptView(trx, actor, attempt, now);
  await emitTrainingEvent(trx, { kind: 'attempted', key: id, at: now, personId: row.person_id, courseId: row.course_id, enrolmentId: row.id });
  await audit(trx, actor, { action: 'training.attempt.start', entityType: 'assessment_attempt', entityId: id, vendorId: row.vendor_id, details: { enrolmentId: row.id, attemptNumber: attempts.length + 1, seed, items: form.itemIds.length } });
  await auditCaseViews(trx, actor, attempt, view.items);
  return view;
}

async function ownAttempt(trx: Executor, actor: Actor, attemptId: string, forUpdate = false) {
  const personId = ownPerson(actor, 'Attempt');
  const attempt = await assessments.findAttempt(trx, attemptId, forUpdate);
  if (!attempt || attempt.person_id !== personId) throw notFound('Attempt');
  return attempt;
}

export async function getAttempt(trx: Executor, actor: Actor, attemptId: string, now = new Date()): Promise<AttemptView> {
  const attempt = await ownAttempt(trx, actor, attemptId);
  const view = await attemptView(trx, actor, attempt, now);
  if (view.status === 'in_progress') await auditCaseViews(trx, actor, attempt, view.items);
  return view;
}

/**
 * Scores a submission. Refused once the time limit has passed (by the
 * server's clock, with a few seconds' grace for the network) and for answers
 * to items not on the form. The enrolment completes, and certifications are
 * awarded, in the same transaction.
 */
export async function submitAttempt(trx: Executor, actor: Actor, attemptId: string, answers: Array<{ itemId: string; optionIds: string[] }>, now = new Date()): Promise<AttemptView> {
  const attempt = await ownAttempt(trx, actor, attemptId, true);
  if (attempt.status === 'submitted') throw new AppError('CONFLICT', 'This attempt was already submitted.');
  if (attempt.status === 'expired' || isLate(attempt.deadline_at, now)) {
    throw new AppError('CONFLICT', 'The time limit has passed; this attempt can no longer be submitted.', [], { reason: 'time_limit' });
  }
  const onForm = new Set(attempt.item_ids);
  const selections: Record<string, string[]> = {};
  const issues = answers.flatMap((a, i) => (onForm.has(a.itemId) ? [] : [{ path: `/answers/${i}/itemId`, message: 'This item is not on your form.' }]));
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', 'Some answers are not for this attempt.', issues);
  for (const a of answers) selections[a.itemId] = a.optionIds;
  const records = await assessments.itemsByIds(trx, attempt.item_ids);
  const a = (await assessments.findAssessment(trx, attempt.assessment_id))!;
  const keyed = attempt.item_ids.map((id) => records.find((r) => r.id === id)!).map((r) => ({ id: r.id, correctOptionIds: r.correct_option_ids, points: Number(r.points) }));
  const scored = scoreAttempt(keyed, selections, Number(a.pass_mark));
  await assessments.insertAnswers(trx, attempt.id, attempt.person_id, scored.answers);
  await assessments.finishAttempt(trx, attempt.id, { status: 'submitted', submittedAt: now, score: scored.score, pointsEarned: scored.pointsEarned, pointsPossible: scored.pointsPossible, passed: scored.passed });
  const row = (await enrolments.findEnrolment(trx, attempt.enrolment_id, true))!;
  await emitTrainingEvent(trx, {
    kind: scored.passed ? 'passed' : 'failed',
    key: attempt.id,
    at: now,
    personId: attempt.person_id,
    courseId: row.course_id,
    enrolmentId: row.id,
    result: { scaled: scored.score, success: scored.passed, completion: true, durationMs: now.getTime() - new Date(attempt.started_at).getTime() },
  });
  await audit(trx, actor, { action: 'training.attempt.submit', entityType: 'assessment_attempt', entityId: attempt.id, vendorId: row.vendor_id, details: { score: scored.score, passed: scored.passed } });
  const completed = scored.passed ? await completeIfDone(trx, actor, row, attempt.id, now) : false;
  return attemptView(trx, actor, (await assessments.findAttempt(trx, attempt.id))!, now, completed);
}
