import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/xapi-linking.repository.ts';
import { findCourse } from '../../db/repositories/training-content.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, Issues, notFound } from '../errors.ts';
import type { XapiActivityMapping, XapiSettings } from './xapi.types.ts';

/**
 * Administrator settings of the LRS's links to training (docs/decisions/0011): the IRI base of
 * Assay's own statements, the account home page whose names are employee refs, and the mapping
 * of external activities to Assay courses.
 */

export async function getSettings(trx: Executor): Promise<XapiSettings> {
  const row = await repo.settings(trx);
  return { activityBase: row.activity_base, employeeRefHomePage: row.employee_ref_home_page, updatedAt: new Date(row.updated_at).toISOString() };
}

function isIri(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export async function updateSettings(trx: Executor, actor: Actor, patch: { activityBase?: string; employeeRefHomePage?: string | null }): Promise<XapiSettings> {
  const issues = new Issues();
  if (patch.activityBase !== undefined) {
    issues.check(isIri(patch.activityBase) && patch.activityBase.endsWith('/') && !/\s/.test(patch.activityBase), '/activityBase', 'An http(s) address ending in "/", such as https://assay.example.com/xapi/.');
  }
  if (patch.employeeRefHomePage !== undefined && patch.employeeRefHomePage !== null) {
    issues.check(isIri(patch.employeeRefHomePage), '/employeeRefHomePage', 'The home page of the LMS accounts, an http(s) address.');
  }
  issues.throwIfAny();
  await repo.updateSettings(trx, patch, actor.userId);
  await audit(trx, actor, { action: 'xapi.settings.update', entityType: 'xapi_settings', entityId: 'xapi', details: patch });
  return getSettings(trx);
}

export async function listActivityMappings(trx: Executor): Promise<XapiActivityMapping[]> {
  return (await repo.listMappings(trx)).map((m) => ({
    id: m.id,
    activityId: m.activity_id,
    courseId: m.course_id,
    courseTitle: m.course_title,
    vendorId: m.vendor_id,
    vendorName: m.vendor_name ?? null,
    completions: Number(m.completions ?? 0),
    createdAt: new Date(m.created_at).toISOString(),
  }));
}

export async function createActivityMapping(trx: Executor, actor: Actor, input: { activityId: string; courseId: string }): Promise<XapiActivityMapping> {
  const issues = new Issues();
  issues.check(isIri(input.activityId) || /^[a-z][a-z0-9+.-]*:\S+$/i.test(input.activityId), '/activityId', 'The activity id the LMS sends: an IRI.');
  issues.throwIfAny();
  const course = await findCourse(trx, input.courseId);
  if (!course) throw notFound('Course');
  const created = await repo.insertMapping(trx, { activityId: input.activityId, courseId: course.id, vendorId: course.vendor_id, createdBy: actor.userId });
  if (!created) throw new AppError('CONFLICT', 'This activity is already mapped to this course.', [{ path: '/activityId', message: 'Already mapped.' }]);
  await audit(trx, actor, { action: 'xapi.activity_mapping.create', entityType: 'xapi_activity_mapping', entityId: created.id, vendorId: course.vendor_id, details: input });
  return (await listActivityMappings(trx)).find((m) => m.id === created.id)!;
}

export async function deleteActivityMapping(trx: Executor, actor: Actor, id: string): Promise<void> {
  const mapping = await repo.findMapping(trx, id);
  if (!mapping) throw notFound('Activity mapping');
  await repo.deleteMapping(trx, id);
  await audit(trx, actor, { action: 'xapi.activity_mapping.delete', entityType: 'xapi_activity_mapping', entityId: id, vendorId: mapping.vendor_id, details: { activityId: mapping.activity_id, courseId: mapping.course_id } });
}
