import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/training-content.repository.ts';
import type { PhaseKind, PolicyExcerptRow, ProgramKind } from '../../db/schema-training.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, Issues, notFound } from '../errors.ts';
import { normaliseText, policyVersionText, programMisfit, quoteIsInText } from './content.rules.ts';
import { assessmentView, copyAssessmentTo, type AssessmentView } from './assessment-builder.service.ts';

/**
 * Training content: programs with phases, courses, their versions and
 * modules (Markdown, attachments, policy excerpts). A course is edited as a
 * draft version; publishing freezes it (the database refuses later changes)
 * and enrolments keep the version they were given.
 *
 * Content belongs to everyone (vendorId null) or to one vendor. People with
 * scope 'all' write either; a vendor's trainers write only their vendor's.
 */

export interface Phase {
  id: string;
  position: number;
  kind: PhaseKind;
  name: string;
  durationDays: number;
  description: string;
}

export interface Program {
  id: string;
  vendorId: string | null;
  vendorName: string | null;
  workflowId: string;
  workflowName: string;
  kind: ProgramKind;
  name: string;
  description: string;
  status: 'active' | 'retired';
  phases: Phase[];
}

export interface PhaseInput {
  kind: PhaseKind;
  name: string;
  durationDays: number;
  description?: string;
}

export interface ProgramInput {
  vendorId?: string | null;
  workflowId: string;
  kind: ProgramKind;
  name: string;
  description?: string;
  phases: PhaseInput[];
}

/** The vendor new content belongs to, and whether the actor may write content of a given vendor. */
export function ownerFor(actor: Actor, requested: string | null | undefined): string | null {
  return actor.scope.kind === 'all' ? (requested ?? null) : actor.scope.vendorId;
}

export function assertCanEdit(actor: Actor, contentVendorId: string | null): void {
  if (actor.scope.kind !== 'all' && contentVendorId !== actor.scope.vendorId) {
    throw new AppError('FORBIDDEN', 'Platform-wide training content is edited by people with organisation-wide scope.');
  }
}

function checkName(issues: Issues, path: string, value: string, max: number): string {
  const out = value.trim().replace(/\s+/g, ' ');
  issues.check(out.length > 0, path, 'Enter a name.');
  issues.check(out.length <= max, path, `Use at most ${max} characters.`);
  return out;
}

function checkPhases(issues: Issues, phases: PhaseInput[]) {
  issues.check(phases.length <= 20, '/phases', 'Use at most 20 phases.');
  return phases.map((p, i) => {
    const name = checkName(issues, `/phases/${i}/name`, p.name, 120);
    issues.check(Number.isInteger(p.durationDays) && p.durationDays >= 1 && p.durationDays <= 365, `/phases/${i}/durationDays`, 'A phase lasts 1 to 365 days.');
    return { kind: p.kind, name, durationDays: p.durationDays, description: (p.description ?? '').trim() };
  });
}

async function checkWorkflow(trx: Executor, issues: Issues, workflowId: string) {
  const workflow = await repo.workflowRef(trx, workflowId);
  if (!workflow) issues.add('/workflowId', 'No such workflow.');
  else if (workflow.status !== 'active') issues.add('/workflowId', `The workflow "${workflow.name}" is inactive.`);
}

export async function listPrograms(trx: Executor, filter: { workflowId?: string }): Promise<Program[]> {
  const rows = await repo.listPrograms(trx, filter);
  const phases = await repo.programPhases(trx, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    vendorId: r.vendor_id,
    vendorName: r.vendor_name,
    workflowId: r.workflow_id,
    workflowName: r.workflow_name,
    kind: r.kind,
    name: r.name,
    description: r.description,
    status: r.status,
    phases: phases
      .filter((p) => p.program_id === r.id)
      .map((p) => ({ id: p.id, position: p.position, kind: p.kind, name: p.name, durationDays: p.duration_days, description: p.description })),
  }));
}

export async function getProgram(trx: Executor, id: string): Promise<Program> {
  const row = await repo.findProgram(trx, id);
  if (!row) throw notFound('Program');
  const [program] = (await listPrograms(trx, { workflowId: row.workflow_id })).filter((p) => p.id === id);
  return program!;
}

export async function createProgram(trx: Executor, actor: Actor, input: ProgramInput): Promise<Program> {
  const issues = new Issues();
  const name = checkName(issues, '/name', input.name, 120);
  const phases = checkPhases(issues, input.phases);
  if (input.kind === 'new_hire') issues.check(phases.length > 0, '/phases', 'A new-hire program has phases (classroom, nesting, production).');
  await checkWorkflow(trx, issues, input.workflowId);
  issues.throwIfAny();
  const { id } = await repo.insertProgram(trx, {
    vendorId: ownerFor(actor, input.vendorId),
    workflowId: input.workflowId,
    kind: input.kind,
    name,
    description: (input.description ?? '').trim(),
    createdBy: actor.userId,
  });
  await repo.replacePhases(trx, id, phases);
  const program = await getProgram(trx, id);
  await audit(trx, actor, { action: 'training.program.create', entityType: 'training_program', entityId: id, vendorId: program.vendorId, details: { name, kind: input.kind, phases: phases.length } });
  return program;
}

export async function updateProgram(
  trx: Executor,
  actor: Actor,
  id: string,
  patch: { name?: string; description?: string; status?: 'active' | 'retired'; phases?: PhaseInput[] },
): Promise<Program> {
  const before = await getProgram(trx, id);
  assertCanEdit(actor, before.vendorId);
  const issues = new Issues();
  const name = patch.name === undefined ? undefined : checkName(issues, '/name', patch.name, 120);
  const phases = patch.phases === undefined ? undefined : checkPhases(issues, patch.phases);
  issues.throwIfAny();
  await repo.updateProgram(trx, id, { name, description: patch.description?.trim(), status: patch.status });
  if (phases) await repo.replacePhases(trx, id, phases);
  const after = await getProgram(trx, id);
  await audit(trx, actor, { action: 'training.program.update', entityType: 'training_program', entityId: id, vendorId: after.vendorId, details: { fields: Object.keys(patch) } });
  return after;
}

export interface Course {
  id: string;
  vendorId: string | null;
  vendorName: string | null;
  workflowId: string;
  workflowName: string;
  programId: string | null;
  programName: string | null;
  programPhaseId: string | null;
  title: string;
  status: 'active' | 'retired';
  publishedVersion: { id: string; version: number; publishedAt: string } | null;
  draftVersion: { id: string; version: number } | null;
}

function presentCourse(r: repo.CourseRecord): Course {
  return {
    id: r.id,
    vendorId: r.vendor_id,
    vendorName: r.vendor_name,
    workflowId: r.workflow_id,
    workflowName: r.workflow_name,
    programId: r.program_id,
    programName: r.program_name,
    programPhaseId: r.program_phase_id,
    title: r.title,
    status: r.status,
    publishedVersion: r.published_version_id ? { id: r.published_version_id, version: r.published_version!, publishedAt: r.published_at!.toISOString() } : null,
    draftVersion: r.draft_version_id ? { id: r.draft_version_id, version: r.draft_version! } : null,
  };
}

export async function listCourses(trx: Executor, filter: { workflowId?: string; programId?: string; status?: 'active' | 'retired' }): Promise<Course[]> {
  return (await repo.listCourses(trx, filter)).map(presentCourse);
}

export async function getCourse(trx: Executor, id: string): Promise<Course> {
  const row = await repo.findCourse(trx, id);
  if (!row) throw notFound('Course');
  return presentCourse(row);
}

export interface VersionFields {
  title?: string;
  summary?: string;
  policyIds?: string[];
  policyVersionIds?: string[];
  policyLabelKeys?: string[];
  estimatedMinutes?: number | null;
}

async function checkVersionFields(trx: Executor, issues: Issues, input: VersionFields) {
  const title = input.title === undefined ? undefined : checkName(issues, '/title', input.title, 200);
  if (input.summary !== undefined) issues.check(input.summary.length <= 4000, '/summary', 'Use at most 4,000 characters.');
  let policyIds = input.policyIds;
  if (input.policyVersionIds !== undefined) {
    const refs = await repo.policyVersionRefs(trx, input.policyVersionIds);
    issues.check(refs.length === new Set(input.policyVersionIds).size, '/policyVersionIds', 'No such policy version.');
    // A course tied to a policy version is tied to its policy too.
    policyIds = [...new Set([...(policyIds ?? []), ...refs.map((r) => r.policy_id)])];
  }
  if (input.estimatedMinutes !== undefined && input.estimatedMinutes !== null) {
    issues.check(Number.isInteger(input.estimatedMinutes) && input.estimatedMinutes >= 1 && input.estimatedMinutes <= 10000, '/estimatedMinutes', 'Between 1 and 10,000 minutes.');
  }
  return { title, summary: input.summary?.trim(), policyIds, policyVersionIds: input.policyVersionIds, policyLabelKeys: input.policyLabelKeys, estimatedMinutes: input.estimatedMinutes };
}

export async function createCourse(
  trx: Executor,
  actor: Actor,
  input: VersionFields & { title: string; vendorId?: string | null; workflowId: string; programId?: string | null; programPhaseId?: string | null },
): Promise<Course> {
  const issues = new Issues();
  const fields = await checkVersionFields(trx, issues, input);
  await checkWorkflow(trx, issues, input.workflowId);
  const vendorId = ownerFor(actor, input.vendorId);
  if (input.programId) {
    const program = await repo.findProgram(trx, input.programId);
    if (!program) issues.add('/programId', 'No such program.');
    else {
      const workflow = await repo.workflowRef(trx, input.workflowId);
      const misfit = programMisfit(
        { name: program.name, workflowId: program.workflow_id, workflowName: program.workflow_name, vendorId: program.vendor_id, vendorName: program.vendor_name, status: program.status },
        { workflowId: input.workflowId, workflowName: workflow?.name ?? 'another workflow', vendorId, vendorName: vendorId === null ? null : vendorId === program.vendor_id ? program.vendor_name : 'another vendor' },
      );
      if (misfit) issues.add('/programId', misfit);
    }
    if (input.programPhaseId) {
      const phases = await repo.programPhases(trx, [input.programId]);
      issues.check(phases.some((p) => p.id === input.programPhaseId), '/programPhaseId', 'No such phase in this program.');
    }
  }
  issues.throwIfAny();
  const { id } = await repo.insertCourse(trx, {
    vendorId,
    workflowId: input.workflowId,
    programId: input.programId ?? null,
    programPhaseId: input.programId ? (input.programPhaseId ?? null) : null,
    title: fields.title!,
    createdBy: actor.userId,
  });
  await repo.insertVersion(trx, {
    courseId: id,
    version: 1,
    title: fields.title!,
    summary: fields.summary ?? '',
    policyIds: fields.policyIds ?? [],
    policyVersionIds: fields.policyVersionIds ?? [],
    policyLabelKeys: fields.policyLabelKeys ?? [],
    estimatedMinutes: fields.estimatedMinutes ?? null,
    createdBy: actor.userId,
  });
  await audit(trx, actor, { action: 'training.course.create', entityType: 'course', entityId: id, vendorId, details: { title: fields.title } });
  return getCourse(trx, id);
}

export interface ModuleView {
  id: string;
  position: number;
  title: string;
  bodyMd: string;
  required: boolean;
  policyExcerpts: PolicyExcerptRow[];
  attachments: Array<{ id: string; fileName: string; contentType: string; sizeBytes: number }>;
}

export interface CourseVersionDetail {
  id: string;
  courseId: string;
  courseTitle: string;
  vendorId: string | null;
  workflowId: string;
  version: number;
  status: 'draft' | 'published' | 'retired';
  title: string;
  summary: string;
  policyIds: string[];
  policyVersionIds: string[];
  policyLabelKeys: string[];
  estimatedMinutes: number | null;
  publishedAt: string | null;
  modules: ModuleView[];
  /** For trainers: settings and the item bank with its answer key. */
  assessment: AssessmentView | null;
  versions: Array<{ id: string; version: number; status: string; publishedAt: string | null }>;
}

export async function moduleViews(trx: Executor, versionId: string): Promise<ModuleView[]> {
  const modules = await repo.listModules(trx, versionId);
  const attachments = await repo.listAttachments(trx, modules.map((m) => m.id));
  return modules.map((m) => ({
    id: m.id,
    position: m.position,
    title: m.title,
    bodyMd: m.body_md,
    required: m.required,
    policyExcerpts: m.policy_excerpts,
    attachments: attachments.filter((a) => a.module_id === m.id).map((a) => ({ id: a.id, fileName: a.file_name, contentType: a.content_type, sizeBytes: a.size_bytes })),
  }));
}

export async function findVersionOr404(trx: Executor, versionId: string) {
  const version = await repo.findVersion(trx, versionId);
  if (!version) throw notFound('Course version');
  return version;
}

/** The trainer's view. With an actor, showing case items' decision content is audit-logged. */
export async function getVersion(trx: Executor, versionId: string, viewer?: Actor): Promise<CourseVersionDetail> {
  const v = await findVersionOr404(trx, versionId);
  const course = await getCourse(trx, v.course_id);
  const versions = await repo.courseVersions(trx, v.course_id);
  const assessment = await assessmentView(trx, v.id);
  if (viewer) {
    for (const item of assessment?.items ?? []) {
      if (item.caseSnapshot) {
        await audit(trx, viewer, { action: 'decision.content_view', entityType: 'decision', entityId: item.caseSnapshot.decisionId, details: { via: 'training.course_version', versionId, itemId: item.id } });
      }
    }
  }
  return {
    id: v.id,
    courseId: v.course_id,
    courseTitle: course.title,
    vendorId: v.vendor_id,
    workflowId: v.workflow_id,
    version: v.version,
    status: v.status,
    title: v.title,
    summary: v.summary,
    policyIds: v.policy_ids,
    policyVersionIds: v.policy_version_ids,
    policyLabelKeys: v.policy_label_keys,
    estimatedMinutes: v.estimated_minutes,
    publishedAt: v.published_at?.toISOString() ?? null,
    modules: await moduleViews(trx, v.id),
    assessment,
    versions: versions.map((x) => ({ id: x.id, version: x.version, status: x.status, publishedAt: x.published_at?.toISOString() ?? null })),
  };
}

/** A draft version the actor may edit, or a clear refusal. */
export async function editableDraft(trx: Executor, actor: Actor, versionId: string) {
  const v = await findVersionOr404(trx, versionId);
  assertCanEdit(actor, v.vendor_id);
  if (v.status !== 'draft') throw new AppError('CONFLICT', 'This version is published and cannot change; start a new draft.');
  return v;
}

export async function updateDraft(trx: Executor, actor: Actor, versionId: string, input: VersionFields): Promise<CourseVersionDetail> {
  const v = await editableDraft(trx, actor, versionId);
  const issues = new Issues();
  const fields = await checkVersionFields(trx, issues, input);
  issues.throwIfAny();
  await repo.updateVersion(trx, versionId, {
    title: fields.title,
    summary: fields.summary,
    policy_ids: fields.policyIds,
    policy_version_ids: fields.policyVersionIds,
    policy_label_keys: fields.policyLabelKeys,
    estimated_minutes: fields.estimatedMinutes,
  });
  await audit(trx, actor, { action: 'training.course_version.update', entityType: 'course_version', entityId: versionId, vendorId: v.vendor_id, details: { fields: Object.keys(input) } });
  return getVersion(trx, versionId);
}

/** A new draft from the published version (modules, attachments, assessment and items copied). */
export async function createDraft(trx: Executor, actor: Actor, courseId: string): Promise<CourseVersionDetail> {
  const course = await getCourse(trx, courseId);
  assertCanEdit(actor, course.vendorId);
  if (course.draftVersion) throw new AppError('CONFLICT', `Version ${course.draftVersion.version} is already a draft; edit it.`);
  const versions = await repo.courseVersions(trx, courseId);
  const from = course.publishedVersion ? await findVersionOr404(trx, course.publishedVersion.id) : null;
  const { id } = await repo.insertVersion(trx, {
    courseId,
    version: (versions[0]?.version ?? 0) + 1,
    title: from?.title ?? course.title,
    summary: from?.summary ?? '',
    policyIds: from?.policy_ids ?? [],
    policyVersionIds: from?.policy_version_ids ?? [],
    policyLabelKeys: from?.policy_label_keys ?? [],
    estimatedMinutes: from?.estimated_minutes ?? null,
    createdBy: actor.userId,
  });
  if (from) {
    await repo.copyModules(trx, from.id, id);
    await copyAssessmentTo(trx, from.id, id);
  }
  await audit(trx, actor, { action: 'training.course_version.draft', entityType: 'course_version', entityId: id, vendorId: course.vendorId, details: { courseId, fromVersionId: from?.id ?? null } });
  return getVersion(trx, id);
}

export async function publishVersion(trx: Executor, actor: Actor, versionId: string): Promise<CourseVersionDetail> {
  const v = await editableDraft(trx, actor, versionId);
  const modules = await repo.listModules(trx, versionId);
  const assessment = await assessmentView(trx, versionId);
  const issues = new Issues();
  issues.check(modules.length > 0, '/modules', 'Add at least one module before publishing.');
  if (assessment) {
    issues.check(assessment.items.length > 0, '/assessment/items', 'The assessment has no items; add items or remove it.');
    if (assessment.formSize !== null) issues.check(assessment.formSize <= assessment.items.length, '/assessment/formSize', `The form draws ${assessment.formSize} items but the bank holds ${assessment.items.length}.`);
  }
  issues.throwIfAny();
  await repo.publishVersion(trx, v.course_id, versionId, actor.userId);
  await repo.updateCourse(trx, v.course_id, { title: v.title });
  await audit(trx, actor, { action: 'training.course_version.publish', entityType: 'course_version', entityId: versionId, vendorId: v.vendor_id, details: { courseId: v.course_id, version: v.version, modules: modules.length, items: assessment?.items.length ?? 0 } });
  return getVersion(trx, versionId);
}

export interface ModuleInput {
  title: string;
  bodyMd?: string;
  required?: boolean;
  position?: number;
  policyExcerpts?: Array<{ policyVersionId: string; quote: string }>;
}

async function checkExcerpts(trx: Executor, issues: Issues, excerpts: Array<{ policyVersionId: string; quote: string }>): Promise<PolicyExcerptRow[]> {
  const out: PolicyExcerptRow[] = [];
  for (const [i, excerpt] of excerpts.entries()) {
    const version = await repo.policyVersionText(trx, excerpt.policyVersionId);
    if (!version) {
      issues.add(`/policyExcerpts/${i}/policyVersionId`, 'No such policy version.');
      continue;
    }
    const quote = normaliseText(excerpt.quote);
    if (!quoteIsInText(quote, policyVersionText(version.summary, version.labels))) {
      issues.add(`/policyExcerpts/${i}/quote`, `The quote is not in version ${version.version} of "${version.policy_name}".`);
      continue;
    }
    out.push({ policyVersionId: version.id, policyKey: version.policy_key, policyName: version.policy_name, version: version.version, quote });
  }
  return out;
}

async function checkModule(trx: Executor, input: Partial<ModuleInput>) {
  const issues = new Issues();
  const title = input.title === undefined ? undefined : checkName(issues, '/title', input.title, 200);
  if (input.bodyMd !== undefined) issues.check(input.bodyMd.length <= 200_000, '/bodyMd', 'Use at most 200,000 characters.');
  const policyExcerpts = input.policyExcerpts === undefined ? undefined : await checkExcerpts(trx, issues, input.policyExcerpts);
  issues.throwIfAny();
  return { title, bodyMd: input.bodyMd, required: input.required, position: input.position, policyExcerpts };
}

export async function addModule(trx: Executor, actor: Actor, versionId: string, input: ModuleInput): Promise<ModuleView> {
  const v = await editableDraft(trx, actor, versionId);
  const fields = await checkModule(trx, input);
  const existing = await repo.listModules(trx, versionId);
  const { id } = await repo.insertModule(trx, versionId, {
    position: fields.position ?? (existing.at(-1)?.position ?? -1) + 1,
    title: fields.title!,
    bodyMd: fields.bodyMd ?? '',
    required: fields.required ?? true,
    policyExcerpts: fields.policyExcerpts ?? [],
  });
  await audit(trx, actor, { action: 'training.module.create', entityType: 'course_module', entityId: id, vendorId: v.vendor_id, details: { versionId, title: fields.title } });
  return (await moduleViews(trx, versionId)).find((m) => m.id === id)!;
}

export async function editableModule(trx: Executor, actor: Actor, moduleId: string) {
  const m = await repo.findModule(trx, moduleId);
  if (!m) throw notFound('Module');
  await editableDraft(trx, actor, m.course_version_id);
  return m;
}

export async function updateModule(trx: Executor, actor: Actor, moduleId: string, input: Partial<ModuleInput>): Promise<ModuleView> {
  const m = await editableModule(trx, actor, moduleId);
  const fields = await checkModule(trx, input);
  await repo.updateModule(trx, moduleId, fields);
  await audit(trx, actor, { action: 'training.module.update', entityType: 'course_module', entityId: moduleId, vendorId: m.vendor_id, details: { fields: Object.keys(input) } });
  return (await moduleViews(trx, m.course_version_id)).find((x) => x.id === moduleId)!;
}

export async function deleteModule(trx: Executor, actor: Actor, moduleId: string): Promise<void> {
  const m = await editableModule(trx, actor, moduleId);
  await repo.deleteModule(trx, moduleId);
  await audit(trx, actor, { action: 'training.module.delete', entityType: 'course_module', entityId: moduleId, vendorId: m.vendor_id, details: { title: m.title } });
}
