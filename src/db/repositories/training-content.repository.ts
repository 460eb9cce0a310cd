import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { PhaseKind, PolicyExcerptRow, ProgramKind } from '../schema-training.ts';

/** Training content: programs and phases, courses, versions, modules and attachments (migration 0012). */

export async function listPrograms(db: Executor, filter: { workflowId?: string }) {
  let query = db
    .selectFrom('training_programs as p')
    .innerJoin('workflows as w', 'w.id', 'p.workflow_id')
    .leftJoin('vendors as v', 'v.id', 'p.vendor_id')
    .selectAll('p')
    .select(['w.name as workflow_name', 'v.name as vendor_name']);
  if (filter.workflowId) query = query.where('p.workflow_id', '=', filter.workflowId);
  return query.orderBy('p.name').orderBy('p.id').execute();
}

export async function findProgram(db: Executor, id: string) {
  return db
    .selectFrom('training_programs as p')
    .innerJoin('workflows as w', 'w.id', 'p.workflow_id')
    .leftJoin('vendors as v', 'v.id', 'p.vendor_id')
    .selectAll('p')
    .select(['w.name as workflow_name', 'v.name as vendor_name'])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export async function programPhases(db: Executor, programIds: string[]) {
  if (programIds.length === 0) return [];
  return db.selectFrom('training_program_phases').selectAll().where('program_id', 'in', programIds).orderBy('program_id').orderBy('position').execute();
}

export async function insertProgram(
  db: Executor,
  row: { vendorId: string | null; workflowId: string; kind: ProgramKind; name: string; description: string; createdBy: string | null },
) {
  return db
    .insertInto('training_programs')
    .values({ vendor_id: row.vendorId, workflow_id: row.workflowId, kind: row.kind, name: row.name, description: row.description, created_by: row.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateProgram(db: Executor, id: string, patch: { name?: string; description?: string; status?: 'active' | 'retired' }) {
  const fields = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  // A patch of the phases alone changes no column here (an empty SET is not SQL).
  if (Object.keys(fields).length === 0) return;
  await db.updateTable('training_programs').set(fields).where('id', '=', id).execute();
}

export async function replacePhases(
  db: Executor,
  programId: string,
  phases: Array<{ kind: PhaseKind; name: string; durationDays: number; description: string }>,
) {
  // Phases keep their ids by position, so the courses placed in them stay placed; courses in a
  // phase that goes away stay in the program without a phase.
  const existing = await db.selectFrom('training_program_phases').select(['id', 'position']).where('program_id', '=', programId).orderBy('position').execute();
  const removed = existing.filter((e) => e.position >= phases.length).map((e) => e.id);
  if (removed.length > 0) {
    await db.updateTable('courses').set({ program_phase_id: null }).where('program_phase_id', 'in', removed).execute();
    await db.deleteFrom('training_program_phases').where('id', 'in', removed).execute();
  }
  for (const [position, p] of phases.entries()) {
    const fields = { kind: p.kind, name: p.name, duration_days: p.durationDays, description: p.description };
    const kept = existing.find((e) => e.position === position);
    if (kept) await db.updateTable('training_program_phases').set(fields).where('id', '=', kept.id).execute();
    else await db.insertInto('training_program_phases').values({ program_id: programId, position, ...fields }).execute();
  }
}

function coursesWithVersions(db: Executor) {
  return db
    .selectFrom('courses as c')
    .innerJoin('workflows as w', 'w.id', 'c.workflow_id')
    .leftJoin('vendors as v', 'v.id', 'c.vendor_id')
    .leftJoin('training_programs as p', 'p.id', 'c.program_id')
    .leftJoin('course_versions as pub', (join) => join.onRef('pub.course_id', '=', 'c.id').on('pub.status', '=', 'published'))
    .leftJoin('course_versions as dft', (join) => join.onRef('dft.course_id', '=', 'c.id').on('dft.status', '=', 'draft'))
    .selectAll('c')
    .select([
      'w.name as workflow_name',
      'v.name as vendor_name',
      'p.name as program_name',
      'pub.id as published_version_id',
      'pub.version as published_version',
      'pub.published_at as published_at',
      'pub.title as published_title',
      'dft.id as draft_version_id',
      'dft.version as draft_version',
      'dft.title as draft_title',
    ]);
}

export type CourseRecord = NonNullable<Awaited<ReturnType<typeof findCourse>>>;

export async function listCourses(db: Executor, filter: { workflowId?: string; programId?: string; status?: 'active' | 'retired' }) {
  let query = coursesWithVersions(db);
  if (filter.workflowId) query = query.where('c.workflow_id', '=', filter.workflowId);
  if (filter.programId) query = query.where('c.program_id', '=', filter.programId);
  if (filter.status) query = query.where('c.status', '=', filter.status);
  return query.orderBy('c.title').orderBy('c.id').execute();
}

export async function findCourse(db: Executor, id: string) {
  return coursesWithVersions(db).where('c.id', '=', id).executeTakeFirst();
}

export async function insertCourse(
  db: Executor,
  row: { vendorId: string | null; workflowId: string; programId: string | null; programPhaseId: string | null; title: string; createdBy: string | null },
) {
  return db
    .insertInto('courses')
    .values({ vendor_id: row.vendorId, workflow_id: row.workflowId, program_id: row.programId, program_phase_id: row.programPhaseId, title: row.title, created_by: row.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateCourse(db: Executor, id: string, patch: { title?: string; status?: 'active' | 'retired' }) {
  await db.updateTable('courses').set(patch).where('id', '=', id).execute();
}

/** Where a course sits: a program (and one of its phases), or neither. */
export async function setCoursePlacement(db: Executor, id: string, placement: { programId: string | null; programPhaseId: string | null }) {
  await db.updateTable('courses').set({ program_id: placement.programId, program_phase_id: placement.programPhaseId }).where('id', '=', id).execute();
}

export async function findVersion(db: Executor, id: string) {
  return db
    .selectFrom('course_versions as cv')
    .innerJoin('courses as c', 'c.id', 'cv.course_id')
    .selectAll('cv')
    .select(['c.vendor_id', 'c.workflow_id', 'c.status as course_status'])
    .where('cv.id', '=', id)
    .executeTakeFirst();
}
export type VersionRecord = NonNullable<Awaited<ReturnType<typeof findVersion>>>;

export async function courseVersions(db: Executor, courseId: string) {
  return db.selectFrom('course_versions').selectAll().where('course_id', '=', courseId).orderBy('version', 'desc').execute();
}

export async function insertVersion(
  db: Executor,
  row: { courseId: string; version: number; title: string; summary: string; policyIds: string[]; policyVersionIds: string[]; policyLabelKeys: string[]; estimatedMinutes: number | null; createdBy: string | null },
) {
  return db
    .insertInto('course_versions')
    .values({
      course_id: row.courseId,
      version: row.version,
      status: 'draft',
      title: row.title,
      summary: row.summary,
      policy_ids: row.policyIds,
      policy_version_ids: row.policyVersionIds,
      policy_label_keys: row.policyLabelKeys,
      estimated_minutes: row.estimatedMinutes,
      created_by: row.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateVersion(
  db: Executor,
  id: string,
  patch: { title?: string; summary?: string; policy_ids?: string[]; policy_version_ids?: string[]; policy_label_keys?: string[]; estimated_minutes?: number | null },
) {
  await db.updateTable('course_versions').set(patch).where('id', '=', id).where('status', '=', 'draft').execute();
}

/** Publishing retires the previously published version and freezes this one. */
export async function publishVersion(db: Executor, courseId: string, versionId: string, by: string | null) {
  await db.updateTable('course_versions').set({ status: 'retired' }).where('course_id', '=', courseId).where('status', '=', 'published').execute();
  await db
    .updateTable('course_versions')
    .set({ status: 'published', published_at: sql<Date>`now()`, published_by: by })
    .where('id', '=', versionId)
    .where('status', '=', 'draft')
    .execute();
}

export async function listModules(db: Executor, versionId: string) {
  return db.selectFrom('course_modules').selectAll().where('course_version_id', '=', versionId).orderBy('position').orderBy('id').execute();
}

export async function findModule(db: Executor, id: string) {
  return db
    .selectFrom('course_modules as m')
    .innerJoin('course_versions as cv', 'cv.id', 'm.course_version_id')
    .innerJoin('courses as c', 'c.id', 'cv.course_id')
    .selectAll('m')
    .select(['cv.status as version_status', 'cv.course_id', 'c.vendor_id'])
    .where('m.id', '=', id)
    .executeTakeFirst();
}

export interface ModuleFields {
  position: number;
  title: string;
  bodyMd: string;
  required: boolean;
  policyExcerpts: PolicyExcerptRow[];
}

export async function insertModule(db: Executor, versionId: string, fields: ModuleFields) {
  return db
    .insertInto('course_modules')
    .values({
      course_version_id: versionId,
      position: fields.position,
      title: fields.title,
      body_md: fields.bodyMd,
      required: fields.required,
      policy_excerpts: JSON.stringify(fields.policyExcerpts),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function updateModule(db: Executor, id: string, fields: Partial<ModuleFields>) {
  await db
    .updateTable('course_modules')
    .set({
      ...(fields.position !== undefined && { position: fields.position }),
      ...(fields.title !== undefined && { title: fields.title }),
      ...(fields.bodyMd !== undefined && { body_md: fields.bodyMd }),
      ...(fields.required !== undefined && { required: fields.required }),
      ...(fields.policyExcerpts !== undefined && { policy_excerpts: JSON.stringify(fields.policyExcerpts) }),
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteModule(db: Executor, id: string) {
  await db.deleteFrom('course_module_attachments').where('module_id', '=', id).execute();
  await db.deleteFrom('course_modules').where('id', '=', id).execute();
}

/**
 * Copies a version's modules and attachments into a new draft. Two
 * statements: row-level security checks an attachment against its module,
 * which a single statement's own inserts would not yet show it.
 */
export async function copyModules(db: Executor, fromVersionId: string, toVersionId: string) {
  const modules = await db.selectFrom('course_modules').select(['id']).where('course_version_id', '=', fromVersionId).execute();
  if (modules.length === 0) return;
  const oldIds = modules.map((m) => m.id);
  const newIds = modules.map(() => randomUUID());
  await sql`
    INSERT INTO course_modules (id, course_version_id, position, title, body_md, required, policy_excerpts)
    SELECT map.new_id, ${toVersionId}, m.position, m.title, m.body_md, m.required, m.policy_excerpts
    FROM unnest(${oldIds}::uuid[], ${newIds}::uuid[]) AS map(old_id, new_id) JOIN course_modules m ON m.id = map.old_id`.execute(db);
  await sql`
    INSERT INTO course_module_attachments (module_id, file_name, content_type, size_bytes, sha256, content, created_by)
    SELECT map.new_id, a.file_name, a.content_type, a.size_bytes, a.sha256, a.content, a.created_by
    FROM unnest(${oldIds}::uuid[], ${newIds}::uuid[]) AS map(old_id, new_id) JOIN course_module_attachments a ON a.module_id = map.old_id`.execute(db);
}

export async function listAttachments(db: Executor, moduleIds: string[]) {
  if (moduleIds.length === 0) return [];
  return db
    .selectFrom('course_module_attachments')
    .select(['id', 'module_id', 'file_name', 'content_type', 'size_bytes', 'sha256', 'created_at'])
    .where('module_id', 'in', moduleIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findAttachment(db: Executor, id: string) {
  return db
    .selectFrom('course_module_attachments as a')
    .innerJoin('course_modules as m', 'm.id', 'a.module_id')
    .selectAll('a')
    .select(['m.course_version_id'])
    .where('a.id', '=', id)
    .executeTakeFirst();
}

export async function insertAttachment(
  db: Executor,
  row: { moduleId: string; fileName: string; contentType: string; content: Buffer; sha256: string; createdBy: string | null },
) {
  return db
    .insertInto('course_module_attachments')
    .values({ module_id: row.moduleId, file_name: row.fileName, content_type: row.contentType, size_bytes: row.content.length, sha256: row.sha256, content: row.content, created_by: row.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function deleteAttachment(db: Executor, id: string) {
  await db.deleteFrom('course_module_attachments').where('id', '=', id).execute();
}

/** A policy version's text, as excerpts quote it: the summary, then each label's name and description. */
export async function policyVersionText(db: Executor, id: string) {
  const version = await db
    .selectFrom('policy_versions as pv')
    .innerJoin('policies as p', 'p.id', 'pv.policy_id')
    .select(['pv.id', 'pv.version', 'pv.summary', 'p.key as policy_key', 'p.name as policy_name', 'p.id as policy_id'])
    .where('pv.id', '=', id)
    .executeTakeFirst();
  if (!version) return undefined;
  const labels = await db
    .selectFrom('policy_labels')
    .select(['key', 'name', 'description'])
    .where('policy_version_id', '=', id)
    .orderBy('position')
    .orderBy('key')
    .execute();
  return { ...version, labels };
}

export async function workflowRef(db: Executor, id: string) {
  return db.selectFrom('workflows').select(['id', 'name', 'status']).where('id', '=', id).executeTakeFirst();
}

export async function policyVersionRefs(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('policy_versions').select(['id', 'policy_id']).where('id', 'in', ids).execute();
}
