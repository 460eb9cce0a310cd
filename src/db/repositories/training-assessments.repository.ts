import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { AssessmentItemKind, ItemOptionRow } from '../schema-training.ts';

/** Assessments, their item bank, attempts and answers (migration 0012). */

export async function assessmentForVersion(db: Executor, versionId: string) {
  return db.selectFrom('assessments').selectAll().where('course_version_id', '=', versionId).executeTakeFirst();
}

export async function findAssessment(db: Executor, id: string) {
  return db
    .selectFrom('assessments as a')
    .innerJoin('course_versions as cv', 'cv.id', 'a.course_version_id')
    .innerJoin('courses as c', 'c.id', 'cv.course_id')
    .selectAll('a')
    .select(['cv.status as version_status', 'cv.course_id', 'cv.version', 'c.title as course_title', 'c.vendor_id'])
    .where('a.id', '=', id)
    .executeTakeFirst();
}

export interface AssessmentSettingsRow {
  pass_mark: number;
  time_limit_minutes: number | null;
  attempts_allowed: number | null;
  form_size: number | null;
  randomise_items: boolean;
  randomise_options: boolean;
}

export async function upsertAssessment(db: Executor, versionId: string, settings: AssessmentSettingsRow) {
  return db
    .insertInto('assessments')
    .values({ course_version_id: versionId, ...settings })
    .onConflict((oc) => oc.column('course_version_id').doUpdateSet(settings))
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function listItems(db: Executor, assessmentId: string) {
  return db.selectFrom('assessment_items').selectAll().where('assessment_id', '=', assessmentId).orderBy('position').orderBy('id').execute();
}
export type ItemRecord = Awaited<ReturnType<typeof listItems>>[number];

export async function itemsByIds(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('assessment_items').selectAll().where('id', 'in', ids).execute();
}

export async function findItem(db: Executor, id: string) {
  return db
    .selectFrom('assessment_items as i')
    .innerJoin('assessments as a', 'a.id', 'i.assessment_id')
    .innerJoin('course_versions as cv', 'cv.id', 'a.course_version_id')
    .selectAll('i')
    .select(['cv.status as version_status', 'a.course_version_id'])
    .where('i.id', '=', id)
    .executeTakeFirst();
}

export interface ItemFields {
  kind: AssessmentItemKind;
  stem: string;
  options: ItemOptionRow[];
  correctOptionIds: string[];
  explanation: string;
  points: number;
  decisionId: string | null;
  caseSnapshot: Record<string, unknown> | null;
}

export async function insertItem(db: Executor, assessmentId: string, fields: ItemFields) {
  const position = await db
    .selectFrom('assessment_items')
    .select(sql<number>`coalesce(max(position) + 1, 0)::int`.as('next'))
    .where('assessment_id', '=', assessmentId)
    .executeTakeFirstOrThrow();
  return db
    .insertInto('assessment_items')
    .values({
      assessment_id: assessmentId,
      position: position.next,
      kind: fields.kind,
      stem: fields.stem,
      options: JSON.stringify(fields.options),
      correct_option_ids: fields.correctOptionIds,
      explanation: fields.explanation,
      points: fields.points,
      decision_id: fields.decisionId,
      case_snapshot: fields.caseSnapshot === null ? null : JSON.stringify(fields.caseSnapshot),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateItem(db: Executor, id: string, fields: Omit<ItemFields, 'decisionId' | 'caseSnapshot' | 'kind'>) {
  await db
    .updateTable('assessment_items')
    .set({
      stem: fields.stem,
      options: JSON.stringify(fields.options),
      correct_option_ids: fields.correctOptionIds,
      explanation: fields.explanation,
      points: fields.points,
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteItem(db: Executor, id: string) {
  await db.deleteFrom('assessment_items').where('id', '=', id).execute();
}

/** Copies a version's assessment and item bank into a new draft (two statements, for row-level security's checks). */
export async function copyAssessment(db: Executor, fromVersionId: string, toVersionId: string) {
  const created = await sql<{ id: string }>`
    INSERT INTO assessments (course_version_id, pass_mark, time_limit_minutes, attempts_allowed, form_size, randomise_items, randomise_options)
    SELECT ${toVersionId}, pass_mark, time_limit_minutes, attempts_allowed, form_size, randomise_items, randomise_options
    FROM assessments WHERE course_version_id = ${fromVersionId}
    RETURNING id`.execute(db);
  const to = created.rows[0];
  if (!to) return;
  await sql`
    INSERT INTO assessment_items (assessment_id, position, kind, stem, options, correct_option_ids, explanation, points, decision_id, case_snapshot)
    SELECT ${to.id}, i.position, i.kind, i.stem, i.options, i.correct_option_ids, i.explanation, i.points, i.decision_id, i.case_snapshot
    FROM assessment_items i JOIN assessments src ON src.id = i.assessment_id
    WHERE src.course_version_id = ${fromVersionId}`.execute(db);
}

/**
 * A decided item for a case question: the decision's content and severity,
 * the QA verdict of its latest review (the known answer) and the labels of
 * the policy versions it was judged under (the options).
 */
export async function decisionForCase(db: Executor, decisionId: string) {
  const decision = await db
    .selectFrom('decisions as d')
    .innerJoin('workflows as w', 'w.id', 'd.workflow_id')
    .select([
      'd.id', 'd.external_id', 'd.workflow_id', 'w.name as workflow_name', 'd.vendor_id', 'd.severity', 'd.labels', 'd.action',
      'd.policy_version_ids', 'd.decided_at', 'd.content_kind', 'd.content_text', 'd.content_url', 'd.content_language',
    ])
    .where('d.id', '=', decisionId)
    .executeTakeFirst();
  if (!decision) return undefined;
  const review = await db
    .selectFrom('reviews')
    .select(['id', 'qa_labels', 'qa_action', 'revision', 'submitted_at'])
    .where('decision_id', '=', decisionId)
    // The primary review is the decision's answer; gold and double reviews check reviewers (migration 0010).
    .where(sql<boolean>`purpose = 'primary'`)
    .orderBy('revision', 'desc')
    .orderBy('submitted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const labels =
    decision.policy_version_ids.length === 0
      ? []
      : await db
          .selectFrom('policy_labels')
          .select(['key', 'name'])
          .where('policy_version_id', 'in', decision.policy_version_ids)
          .orderBy('position')
          .orderBy('key')
          .execute();
  return { decision, review, labels };
}

export async function countAttempts(db: Executor, enrolmentId: string): Promise<number> {
  const row = await db
    .selectFrom('assessment_attempts')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('enrolment_id', '=', enrolmentId)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function attemptsForEnrolment(db: Executor, enrolmentId: string) {
  return db.selectFrom('assessment_attempts').selectAll().where('enrolment_id', '=', enrolmentId).orderBy('attempt_number').execute();
}

export async function findAttempt(db: Executor, id: string, forUpdate = false) {
  let query = db.selectFrom('assessment_attempts').selectAll().where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}
export type AttemptRecord = NonNullable<Awaited<ReturnType<typeof findAttempt>>>;

export async function insertAttempt(
  db: Executor,
  row: { assessmentId: string; enrolmentId: string; personId: string; attemptNumber: number; seed: string; itemIds: string[]; optionOrders: Record<string, string[]>; startedAt: Date; deadlineAt: Date | null },
) {
  return db
    .insertInto('assessment_attempts')
    .values({
      assessment_id: row.assessmentId,
      enrolment_id: row.enrolmentId,
      person_id: row.personId,
      attempt_number: row.attemptNumber,
      seed: row.seed,
      item_ids: row.itemIds,
      option_orders: JSON.stringify(row.optionOrders),
      started_at: row.startedAt,
      deadline_at: row.deadlineAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function finishAttempt(
  db: Executor,
  id: string,
  result: { status: 'submitted' | 'expired'; submittedAt: Date | null; score: number; pointsEarned: number; pointsPossible: number; passed: boolean },
) {
  await db
    .updateTable('assessment_attempts')
    .set({
      status: result.status,
      submitted_at: result.submittedAt,
      score: result.score,
      points_earned: result.pointsEarned,
      points_possible: result.pointsPossible,
      passed: result.passed,
    })
    .where('id', '=', id)
    .execute();
}

export async function insertAnswers(
  db: Executor,
  attemptId: string,
  personId: string,
  answers: Array<{ itemId: string; selectedOptionIds: string[]; correct: boolean; points: number }>,
) {
  if (answers.length === 0) return;
  await db
    .insertInto('assessment_attempt_answers')
    .values(answers.map((a) => ({ attempt_id: attemptId, item_id: a.itemId, person_id: personId, selected_option_ids: a.selectedOptionIds, correct: a.correct, points: a.points })))
    .execute();
}

export async function answersForAttempt(db: Executor, attemptId: string) {
  return db.selectFrom('assessment_attempt_answers').selectAll().where('attempt_id', '=', attemptId).execute();
}

/** Submitted attempts (in the viewer's scope) with their answers, for item analysis. */
export async function submittedResponses(db: Executor, assessmentId: string) {
  return db
    .selectFrom('assessment_attempts as t')
    .innerJoin('assessment_attempt_answers as r', 'r.attempt_id', 't.id')
    .select(['t.id as attempt_id', 't.points_earned', 'r.item_id', 'r.correct', 'r.points'])
    .where('t.assessment_id', '=', assessmentId)
    .where('t.status', '=', 'submitted')
    .execute();
}
