import { emitTrainingEvent } from '../xapi/xapi-training-events.service.ts';
import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/training-certifications.repository.ts';
import * as content from '../../db/repositories/training-content.repository.ts';
import * as people from '../../db/repositories/training-enrolments.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, Issues, notFound } from '../errors.ts';
import { awardState, expiryFor, EXPIRING_SOON_DAYS, type AwardState } from './certification.rules.ts';
import { assertCanEdit, ownerFor } from './content.service.ts';
import type { Certification, CertificationCounts } from './training.types.ts';
export type { Certification, CertificationCounts };

/**
 * Certifications per workflow (and optionally policy): awarded when a person
 * completes the required course (passing its assessment), valid for a number
 * of days, renewed by recertifying (certification.rules.ts), revocable. A
 * definition may hold uncertified people off its workflow; the upstream tool
 * asks GET /api/training/certified before routing work.
 */

function present(r: repo.CertificationRecord): Certification {
  return {
    id: r.id,
    vendorId: r.vendor_id,
    vendorName: r.vendor_name,
    workflowId: r.workflow_id,
    workflowKey: r.workflow_key,
    workflowName: r.workflow_name,
    policyId: r.policy_id,
    policyName: r.policy_name,
    name: r.name,
    description: r.description,
    validityDays: r.validity_days,
    requiredCourseId: r.required_course_id,
    requiredCourseTitle: r.course_title,
    holdsOffWorkflow: r.holds_off_workflow,
    status: r.status,
  };
}

export async function listCertifications(trx: Executor, filter: { workflowId?: string; courseId?: string }): Promise<Certification[]> {
  return (await repo.listCertifications(trx, filter)).map(present);
}

export async function getCertification(trx: Executor, id: string): Promise<Certification> {
  const row = await repo.findCertification(trx, id);
  if (!row) throw notFound('Certification');
  return present(row);
}

export interface CertificationInput {
  vendorId?: string | null;
  workflowId: string;
  policyId?: string | null;
  name: string;
  description?: string;
  validityDays: number;
  requiredCourseId: string;
  holdsOffWorkflow?: boolean;
}

function checkValidity(issues: Issues, days: number | undefined) {
  if (days !== undefined) issues.check(Number.isInteger(days) && days >= 1 && days <= 3660, '/validityDays', 'Between 1 and 3,660 days.');
}

export async function createCertification(trx: Executor, actor: Actor, input: CertificationInput): Promise<Certification> {
  const issues = new Issues();
  const name = input.name.trim().replace(/\s+/g, ' ');
  issues.check(name.length > 0 && name.length <= 120, '/name', 'Enter a name of at most 120 characters.');
  checkValidity(issues, input.validityDays);
  const workflow = await content.workflowRef(trx, input.workflowId);
  if (!workflow) issues.add('/workflowId', 'No such workflow.');
  const course = await content.findCourse(trx, input.requiredCourseId);
  if (!course) issues.add('/requiredCourseId', 'No such course.');
  else if (course.workflow_id !== input.workflowId) issues.add('/requiredCourseId', "The course trains another workflow.");
  if (input.policyId) {
    const policy = await trx.selectFrom('policies').select('id').where('id', '=', input.policyId).executeTakeFirst();
    if (!policy) issues.add('/policyId', 'No such policy.');
  }
  issues.throwIfAny();
  const vendorId = ownerFor(actor, input.vendorId);
  const { id } = await repo.insertCertification(trx, {
    vendorId,
    workflowId: input.workflowId,
    policyId: input.policyId ?? null,
    name,
    description: (input.description ?? '').trim(),
    validityDays: input.validityDays,
    requiredCourseId: input.requiredCourseId,
    holdsOffWorkflow: input.holdsOffWorkflow ?? false,
    createdBy: actor.userId,
  });
  await audit(trx, actor, { action: 'training.certification.create', entityType: 'certification', entityId: id, vendorId, details: { name, workflowId: input.workflowId, validityDays: input.validityDays, holdsOffWorkflow: input.holdsOffWorkflow ?? false } });
  return getCertification(trx, id);
}

export async function updateCertification(
  trx: Executor,
  actor: Actor,
  id: string,
  patch: { name?: string; description?: string; validityDays?: number; holdsOffWorkflow?: boolean; status?: 'active' | 'retired' },
): Promise<Certification> {
  const before = await getCertification(trx, id);
  assertCanEdit(actor, before.vendorId);
  const issues = new Issues();
  checkValidity(issues, patch.validityDays);
  if (patch.name !== undefined) issues.check(patch.name.trim().length > 0 && patch.name.trim().length <= 120, '/name', 'Enter a name of at most 120 characters.');
  issues.throwIfAny();
  await repo.updateCertification(trx, id, {
    name: patch.name?.trim(),
    description: patch.description?.trim(),
    validity_days: patch.validityDays,
    holds_off_workflow: patch.holdsOffWorkflow,
    status: patch.status,
  });
  await audit(trx, actor, { action: 'training.certification.update', entityType: 'certification', entityId: id, vendorId: before.vendorId, details: { ...patch } });
  return getCertification(trx, id);
}

export interface Award {
  id: string;
  certificationId: string;
  certificationName: string;
  workflowId: string;
  workflowName: string;
  personId: string;
  personName: string;
  vendorId: string;
  vendorName: string;
  siteId: string;
  siteName: string;
  source: 'assessment' | 'manual';
  sourceAttemptId: string | null;
  awardedAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokeReason: string | null;
  state: AwardState;
}

function presentAward(r: repo.AwardRecord, now: Date): Award {
  return {
    id: r.id,
    certificationId: r.certification_id,
    certificationName: r.certification_name,
    workflowId: r.workflow_id,
    workflowName: r.workflow_name,
    personId: r.person_id,
    personName: r.person_name,
    vendorId: r.vendor_id,
    vendorName: r.vendor_name,
    siteId: r.site_id,
    siteName: r.site_name,
    source: r.source,
    sourceAttemptId: r.source_attempt_id,
    awardedAt: r.awarded_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
    revokeReason: r.revoke_reason,
    state: awardState({ awardedAt: r.awarded_at, expiresAt: r.expires_at, revokedAt: r.revoked_at }, now),
  };
}

export async function listAwards(trx: Executor, filter: { personId?: string; certificationId?: string; vendorId?: string; siteId?: string; state?: AwardState }, now = new Date()): Promise<Award[]> {
  const rows = (await repo.listAwards(trx, filter)).map((r) => presentAward(r, now));
  return filter.state ? rows.filter((r) => r.state === filter.state) : rows;
}

/** Writes an award with its expiry (extending a still-valid one), audited. */
async function writeAward(
  trx: Executor,
  actor: Actor,
  certification: { id: string; validity_days: number; name: string },
  person: { id: string; vendor_id: string; site_id: string },
  source: { kind: 'assessment' | 'manual'; attemptId: string | null; enrolmentId: string | null },
  awardedAt: Date,
): Promise<string> {
  const current = await repo.currentAward(trx, person.id, certification.id);
  const expiresAt = expiryFor(awardedAt, certification.validity_days, current ? { awardedAt: current.awarded_at, expiresAt: current.expires_at, revokedAt: current.revoked_at } : null);
  const { id } = await repo.insertAward(trx, {
    certificationId: certification.id,
    personId: person.id,
    vendorId: person.vendor_id,
    siteId: person.site_id,
    source: source.kind,
    sourceAttemptId: source.attemptId,
    sourceEnrolmentId: source.enrolmentId,
    awardedAt,
    expiresAt,
    awardedBy: actor.userId,
  });
  await emitTrainingEvent(trx, { kind: 'certified', key: id, at: awardedAt, personId: person.id, certificationId: certification.id, enrolmentId: source.enrolmentId, result: { success: true } });
  await audit(trx, actor, {
    action: 'training.certification.award',
    entityType: 'certification_award',
    entityId: id,
    vendorId: person.vendor_id,
    details: { certificationId: certification.id, personId: person.id, source: source.kind, expiresAt: expiresAt.toISOString(), renewed: current?.id ?? null },
  });
  return id;
}

/** Called when an enrolment completes: awards every certification its course earns. */
export async function awardForCompletion(
  trx: Executor,
  actor: Actor,
  enrolment: { id: string; person_id: string; vendor_id: string; site_id: string; course_id: string },
  attemptId: string | null,
  at: Date,
): Promise<string[]> {
  const certifications = await repo.certificationsEarnedBy(trx, enrolment.course_id, enrolment.vendor_id);
  const ids: string[] = [];
  for (const c of certifications) {
    ids.push(await writeAward(trx, actor, c, { id: enrolment.person_id, vendor_id: enrolment.vendor_id, site_id: enrolment.site_id }, { kind: 'assessment', attemptId, enrolmentId: enrolment.id }, at));
  }
  return ids;
}

export async function grantAward(trx: Executor, actor: Actor, input: { certificationId: string; personId: string; reason?: string }, now = new Date()): Promise<Award> {
  const cert = await repo.findCertification(trx, input.certificationId);
  if (!cert) throw notFound('Certification');
  const [person] = await people.peopleRefs(trx, [input.personId]);
  if (!person) throw notFound('Person');
  if (cert.vendor_id !== null && cert.vendor_id !== person.vendor_id) {
    throw new AppError('VALIDATION_FAILED', "This certification belongs to another vendor.", [{ path: '/personId', message: "The person works for another vendor." }]);
  }
  const id = await writeAward(trx, actor, cert, person, { kind: 'manual', attemptId: null, enrolmentId: null }, now);
  return presentAward((await repo.findAward(trx, id))!, now);
}

export async function revokeAward(trx: Executor, actor: Actor, awardId: string, reason: string, now = new Date()): Promise<Award> {
  const award = await repo.findAward(trx, awardId);
  if (!award) throw notFound('Certification award');
  const text = reason.trim();
  if (text.length < 3 || text.length > 2000) throw new AppError('VALIDATION_FAILED', 'Give a reason.', [{ path: '/reason', message: 'Say why (3 to 2,000 characters).' }]);
  if (award.revoked_at) throw new AppError('CONFLICT', 'This award is already revoked.');
  await repo.revokeAward(trx, awardId, actor.userId, text);
  await emitTrainingEvent(trx, { kind: 'certification-revoked', key: awardId, at: now, personId: award.person_id, certificationId: award.certification_id, enrolmentId: award.source_enrolment_id ?? null, result: { response: text } });
  await audit(trx, actor, { action: 'training.certification.revoke', entityType: 'certification_award', entityId: awardId, vendorId: award.vendor_id, details: { reason: text, personId: award.person_id, certificationId: award.certification_id } });
  return presentAward((await repo.findAward(trx, awardId))!, now);
}

export async function certificationOverview(trx: Executor, now = new Date()): Promise<{ expiringSoonDays: number; rows: CertificationCounts[] }> {
  const rows = await repo.certificationCounts(trx, now, EXPIRING_SOON_DAYS);
  return {
    expiringSoonDays: EXPIRING_SOON_DAYS,
    rows: rows.map((r) => ({
      vendorId: r.vendor_id,
      vendorName: r.vendor_name,
      certificationId: r.certification_id,
      certificationName: r.certification_name,
      valid: r.valid,
      expiringSoon: r.expiring_soon,
      expired: r.expired,
      revoked: r.revoked,
    })),
  };
}

// The certification check for the upstream tool -----------------------------

export interface CertifiedAnswer {
  person: string;
  workflow: string;
  /** not_found: no such person in the caller's scope, or no such workflow; ambiguous: the reference matches several people. */
  outcome: 'answered' | 'person_not_found' | 'workflow_not_found' | 'ambiguous_person';
  personId: string | null;
  workflowId: string | null;
  at: string;
  /** True when every active certification of the workflow that applies to the person is held now. */
  certified: boolean;
  /** The workflow has at least one certification that applies to the person. */
  certificationRequired: boolean;
  /** Some missing certification holds the person off the workflow: do not route work to them. */
  heldOff: boolean;
  certifications: Array<{ certificationId: string; name: string; holdsOffWorkflow: boolean; held: boolean; award: { id: string; awardedAt: string; expiresAt: string } | null }>;
}

export const MAX_BATCH = 1000;

export async function checkCertified(trx: Executor, questions: Array<{ person: string; workflow: string }>, at: Date): Promise<CertifiedAnswer[]> {
  const rows = await repo.certifiedFor(trx, questions, at);
  return questions.map((q, i) => {
    const mine = rows.filter((r) => r.idx === i + 1);
    const first = mine[0];
    const base = { person: q.person, workflow: q.workflow, at: at.toISOString(), personId: null, workflowId: first?.workflow_id ?? null, certified: false, certificationRequired: false, heldOff: false, certifications: [] };
    if (!first || first.people_matched === 0) return { ...base, outcome: 'person_not_found' as const };
    if (first.people_matched > 1) return { ...base, outcome: 'ambiguous_person' as const };
    if (!first.workflow_id) return { ...base, personId: first.person_id, outcome: 'workflow_not_found' as const };
    const certifications = mine
      .filter((r) => r.certification_id !== null)
      .map((r) => ({
        certificationId: r.certification_id!,
        name: r.certification_name!,
        holdsOffWorkflow: r.holds_off_workflow!,
        held: r.award_id !== null,
        award: r.award_id ? { id: r.award_id, awardedAt: r.awarded_at!.toISOString(), expiresAt: r.expires_at!.toISOString() } : null,
      }));
    const certified = certifications.length > 0 && certifications.every((c) => c.held);
    return {
      ...base,
      outcome: 'answered' as const,
      personId: first.person_id,
      certified,
      certificationRequired: certifications.length > 0,
      heldOff: certifications.some((c) => c.holdsOffWorkflow && !c.held),
      certifications,
    };
  });
}
