import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/training-assessments.repository.ts';
import * as content from '../../db/repositories/training-content.repository.ts';
import type { AssessmentItemKind, ItemOptionRow } from '../../db/schema-training.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, Issues, notFound } from '../errors.ts';
import { checkItem, TRUE_FALSE_OPTIONS } from './assessment.rules.ts';
import { analyseItems, type ItemStatistics } from './item-analysis.rules.ts';
import type { AssessmentSettings } from './training.types.ts';
export type { AssessmentSettings };

/**
 * The assessment of a course version as trainers build it: settings (pass
 * mark, time limit, attempts, form size, randomisation) and the item bank,
 * including case items built from real decided items whose QA verdict is the
 * known answer. Learners never get this view (it holds the answer key): they
 * get forms from learning.service.ts.
 */

export interface CaseSnapshot {
  decisionId: string;
  externalId: string;
  workflowName: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | null;
  decidedAt: string;
  content: { kind: string; text: string | null; url: string | null; language: string | null };
  knownAction: string;
  reviewId: string;
}

export interface ItemView {
  id: string;
  position: number;
  kind: AssessmentItemKind;
  stem: string;
  options: ItemOptionRow[];
  correctOptionIds: string[];
  explanation: string;
  points: number;
  decisionId: string | null;
  caseSnapshot: CaseSnapshot | null;
}

export interface AssessmentView extends AssessmentSettings {
  id: string;
  items: ItemView[];
}

export function presentItem(i: repo.ItemRecord): ItemView {
  return {
    id: i.id,
    position: i.position,
    kind: i.kind,
    stem: i.stem,
    options: i.options,
    correctOptionIds: i.correct_option_ids,
    explanation: i.explanation,
    points: Number(i.points),
    decisionId: i.decision_id,
    caseSnapshot: (i.case_snapshot as CaseSnapshot | null) ?? null,
  };
}

export async function assessmentView(trx: Executor, versionId: string): Promise<AssessmentView | null> {
  const a = await repo.assessmentForVersion(trx, versionId);
  if (!a) return null;
  const items = await repo.listItems(trx, a.id);
  return {
    id: a.id,
    passMark: Number(a.pass_mark),
    timeLimitMinutes: a.time_limit_minutes,
    attemptsAllowed: a.attempts_allowed,
    formSize: a.form_size,
    randomiseItems: a.randomise_items,
    randomiseOptions: a.randomise_options,
    items: items.map(presentItem),
  };
}

export async function copyAssessmentTo(trx: Executor, fromVersionId: string, toVersionId: string): Promise<void> {
  await repo.copyAssessment(trx, fromVersionId, toVersionId);
}

async function draftOf(trx: Executor, actor: Actor, versionId: string) {
  const v = await content.findVersion(trx, versionId);
  if (!v) throw notFound('Course version');
  if (actor.scope.kind !== 'all' && v.vendor_id !== actor.scope.vendorId) {
    throw new AppError('FORBIDDEN', 'Platform-wide training content is edited by people with organisation-wide scope.');
  }
  if (v.status !== 'draft') throw new AppError('CONFLICT', 'This version is published and cannot change; start a new draft.');
  return v;
}

export const DEFAULT_SETTINGS: AssessmentSettings = {
  passMark: 0.8,
  timeLimitMinutes: null,
  attemptsAllowed: 3,
  formSize: null,
  randomiseItems: true,
  randomiseOptions: true,
};

export async function setAssessment(trx: Executor, actor: Actor, versionId: string, input: Partial<AssessmentSettings>): Promise<AssessmentView> {
  const v = await draftOf(trx, actor, versionId);
  const current = (await assessmentView(trx, versionId)) ?? DEFAULT_SETTINGS;
  const s: AssessmentSettings = {
    passMark: input.passMark ?? current.passMark,
    timeLimitMinutes: input.timeLimitMinutes !== undefined ? input.timeLimitMinutes : current.timeLimitMinutes,
    attemptsAllowed: input.attemptsAllowed !== undefined ? input.attemptsAllowed : current.attemptsAllowed,
    formSize: input.formSize !== undefined ? input.formSize : current.formSize,
    randomiseItems: input.randomiseItems ?? current.randomiseItems,
    randomiseOptions: input.randomiseOptions ?? current.randomiseOptions,
  };
  const issues = new Issues();
  issues.check(s.passMark > 0 && s.passMark <= 1, '/passMark', 'The pass mark is a proportion above 0 and at most 1 (0.8 = 80%).');
  issues.check(s.timeLimitMinutes === null || (Number.isInteger(s.timeLimitMinutes) && s.timeLimitMinutes >= 1 && s.timeLimitMinutes <= 600), '/timeLimitMinutes', 'Between 1 and 600 minutes, or none.');
  issues.check(s.attemptsAllowed === null || (Number.isInteger(s.attemptsAllowed) && s.attemptsAllowed >= 1 && s.attemptsAllowed <= 20), '/attemptsAllowed', 'Between 1 and 20 attempts, or unlimited.');
  issues.check(s.formSize === null || (Number.isInteger(s.formSize) && s.formSize >= 1 && s.formSize <= 500), '/formSize', 'Between 1 and 500 items, or the whole bank.');
  issues.throwIfAny();
  const { id } = await repo.upsertAssessment(trx, versionId, {
    pass_mark: s.passMark,
    time_limit_minutes: s.timeLimitMinutes,
    attempts_allowed: s.attemptsAllowed,
    form_size: s.formSize,
    randomise_items: s.randomiseItems,
    randomise_options: s.randomiseOptions,
  });
  await audit(trx, actor, { action: 'training.assessment.update', entityType: 'assessment', entityId: id, vendorId: v.vendor_id, details: { ...s } });
  return (await assessmentView(trx, versionId))!;
}

async function ensureAssessment(trx: Executor, actor: Actor, versionId: string): Promise<string> {
  const existing = await repo.assessmentForVersion(trx, versionId);
  return existing ? existing.id : (await setAssessment(trx, actor, versionId, {})).id;
}

export interface ItemInput {
  kind: 'single' | 'multiple' | 'true_false';
  stem: string;
  options?: ItemOptionRow[];
  correctOptionIds: string[];
  explanation?: string;
  points?: number;
}

function normaliseItem(input: ItemInput) {
  const options = input.kind === 'true_false' ? TRUE_FALSE_OPTIONS : (input.options ?? []).map((o) => ({ id: o.id.trim(), text: o.text.trim() }));
  const item = { kind: input.kind, stem: input.stem.trim(), options, correctOptionIds: [...new Set(input.correctOptionIds)], points: input.points ?? 1 };
  const issues = checkItem(item);
  if (input.explanation !== undefined && input.explanation.length > 4000) issues.push({ path: '/explanation', message: 'Use at most 4,000 characters.' });
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', 'The item is not valid.', issues);
  return { ...item, explanation: (input.explanation ?? '').trim() };
}

export async function addItem(trx: Executor, actor: Actor, versionId: string, input: ItemInput): Promise<ItemView> {
  const v = await draftOf(trx, actor, versionId);
  const item = normaliseItem(input);
  const assessmentId = await ensureAssessment(trx, actor, versionId);
  const { id } = await repo.insertItem(trx, assessmentId, { ...item, decisionId: null, caseSnapshot: null });
  await audit(trx, actor, { action: 'training.item.create', entityType: 'assessment_item', entityId: id, vendorId: v.vendor_id, details: { kind: item.kind } });
  return presentItem((await repo.itemsByIds(trx, [id]))[0]!);
}

/**
 * A case item from a decided item: the learner sees the item's content (with
 * the wellbeing protections) and picks the policy labels that apply; the key
 * is the QA verdict of the decision's latest review. The decision must be in
 * the trainer's scope and reviewed.
 */
export async function addCaseItem(
  trx: Executor,
  actor: Actor,
  versionId: string,
  input: { decisionId: string; stem?: string; explanation?: string; points?: number },
): Promise<ItemView> {
  const v = await draftOf(trx, actor, versionId);
  const found = await repo.decisionForCase(trx, input.decisionId.toLowerCase());
  if (!found) throw new AppError('VALIDATION_FAILED', 'No such decision in your scope.', [{ path: '/decisionId', message: 'No such decision in your scope.' }]);
  const { decision, review, labels } = found;
  if (!review) {
    throw new AppError('VALIDATION_FAILED', 'This decision has no QA review, so its answer is not known.', [{ path: '/decisionId', message: 'Pick a reviewed decision: the QA verdict is the answer key.' }]);
  }
  const byKey = new Map<string, string>();
  for (const l of labels) if (!byKey.has(l.key)) byKey.set(l.key, l.name);
  for (const key of [...review.qa_labels, ...decision.labels]) if (!byKey.has(key)) byKey.set(key, key);
  const options: ItemOptionRow[] = [...[...byKey].map(([id, text]) => ({ id, text })), { id: 'none', text: 'No violation' }];
  const correctOptionIds = review.qa_labels.length > 0 ? [...new Set(review.qa_labels)] : ['none'];
  const stem = (input.stem ?? '').trim() || 'Which policy labels apply to this item? Select every label that applies, or "No violation".';
  const issues = checkItem({ kind: 'case', stem, options, correctOptionIds, points: input.points });
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', 'The case item is not valid.', issues);
  const snapshot: CaseSnapshot = {
    decisionId: decision.id,
    externalId: decision.external_id,
    workflowName: decision.workflow_name,
    severity: decision.severity,
    decidedAt: decision.decided_at.toISOString(),
    content: { kind: decision.content_kind, text: decision.content_text, url: decision.content_url, language: decision.content_language },
    knownAction: review.qa_action,
    reviewId: review.id,
  };
  const assessmentId = await ensureAssessment(trx, actor, versionId);
  const { id } = await repo.insertItem(trx, assessmentId, {
    kind: 'case',
    stem,
    options,
    correctOptionIds,
    explanation: (input.explanation ?? '').trim(),
    points: input.points ?? 1,
    decisionId: decision.id,
    caseSnapshot: snapshot as unknown as Record<string, unknown>,
  });
  await audit(trx, actor, { action: 'training.item.create', entityType: 'assessment_item', entityId: id, vendorId: v.vendor_id, details: { kind: 'case', decisionId: decision.id } });
  // Building the item showed the decision's content to the trainer.
  await audit(trx, actor, { action: 'decision.content_view', entityType: 'decision', entityId: decision.id, vendorId: decision.vendor_id, details: { via: 'training.case_item', itemId: id } });
  return presentItem((await repo.itemsByIds(trx, [id]))[0]!);
}

async function editableItem(trx: Executor, actor: Actor, itemId: string) {
  const item = await repo.findItem(trx, itemId);
  if (!item) throw notFound('Item');
  const v = await draftOf(trx, actor, item.course_version_id);
  return { item, v };
}

export async function updateItem(trx: Executor, actor: Actor, itemId: string, input: Omit<ItemInput, 'kind'>): Promise<ItemView> {
  const { item, v } = await editableItem(trx, actor, itemId);
  const fields =
    item.kind === 'case'
      ? (() => {
          // A case item's options and key come from its decision; the stem, explanation and points may change.
          const issues = checkItem({ kind: 'case', stem: input.stem, options: item.options, correctOptionIds: item.correct_option_ids, points: input.points });
          if (issues.length > 0) throw new AppError('VALIDATION_FAILED', 'The item is not valid.', issues);
          return { stem: input.stem.trim(), options: item.options, correctOptionIds: item.correct_option_ids, explanation: (input.explanation ?? '').trim(), points: input.points ?? 1 };
        })()
      : normaliseItem({ ...input, kind: item.kind as ItemInput['kind'] });
  await repo.updateItem(trx, itemId, fields);
  await audit(trx, actor, { action: 'training.item.update', entityType: 'assessment_item', entityId: itemId, vendorId: v.vendor_id, details: { kind: item.kind } });
  return presentItem((await repo.itemsByIds(trx, [itemId]))[0]!);
}

export async function deleteItem(trx: Executor, actor: Actor, itemId: string): Promise<void> {
  const { item, v } = await editableItem(trx, actor, itemId);
  await repo.deleteItem(trx, itemId);
  await audit(trx, actor, { action: 'training.item.delete', entityType: 'assessment_item', entityId: itemId, vendorId: v.vendor_id, details: { kind: item.kind } });
}

export interface ItemAnalysis {
  assessmentId: string;
  attempts: number;
  items: Array<ItemStatistics & { stem: string; kind: AssessmentItemKind; position: number }>;
}

/** Facility and discrimination per item over the submitted attempts the viewer can see. */
export async function itemAnalysis(trx: Executor, assessmentId: string): Promise<ItemAnalysis> {
  const a = await repo.findAssessment(trx, assessmentId);
  if (!a) throw notFound('Assessment');
  const items = await repo.listItems(trx, assessmentId);
  const rows = await repo.submittedResponses(trx, assessmentId);
  const attempts = new Map<string, { id: string; total: number; responses: Record<string, { correct: boolean; points: number }> }>();
  for (const r of rows) {
    let attempt = attempts.get(r.attempt_id);
    if (!attempt) {
      attempt = { id: r.attempt_id, total: Number(r.points_earned ?? 0), responses: {} };
      attempts.set(r.attempt_id, attempt);
    }
    attempt.responses[r.item_id] = { correct: r.correct, points: Number(r.points) };
  }
  const stats = analyseItems(items.map((i) => i.id), [...attempts.values()]);
  return {
    assessmentId,
    attempts: attempts.size,
    items: stats.map((s, idx) => ({ ...s, stem: items[idx]!.stem, kind: items[idx]!.kind, position: items[idx]!.position })),
  };
}
