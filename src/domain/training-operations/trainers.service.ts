import type { Executor } from '../../db/database.ts';
import { findPersonRef } from '../../db/repositories/training-operations-cohorts.repository.ts';
import * as repo from '../../db/repositories/training-operations-trainers.repository.ts';
import type { TrainerCertificationKind } from '../../db/schema-training-operations.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { Issues, notFound } from '../errors.ts';
import { certificationState, checkObservationScores, OBSERVATION_RUBRIC, type CertificationState } from './trainers.rules.ts';
import type { TrainerSummary } from './training-operations.types.ts';
export type { TrainerSummary };

/**
 * Trainers (issue 7, item 7): a profile per trainer (workflows, specialities,
 * languages), train-the-trainer certifications (delivery, coaching,
 * assessment, nesting supervision; per workflow, with expiry) and observation
 * records scored on a fixed rubric. Scoped through the trainer.
 */

function toSummary(r: repo.TrainerRow): TrainerSummary {
  return {
    personId: r.person_id, fullName: r.full_name, jobRole: r.job_role, vendorId: r.vendor_id, vendorName: r.vendor_name, siteId: r.site_id, siteName: r.site_name,
    workflowIds: r.workflow_ids, specialities: r.specialities, languages: r.languages, bio: r.bio, status: r.status,
    certificationsValid: r.certifications_valid, observations: r.observations, lastObservedOn: r.last_observed_on,
    meanObservation: r.mean_observation === null ? null : Math.round(Number(r.mean_observation) * 100) / 100, cohorts: r.cohorts,
  };
}

export async function listTrainers(trx: Executor, filter: { workflowId?: string; status?: string }): Promise<{ items: TrainerSummary[] }> {
  return { items: (await repo.listTrainers(trx, filter)).map(toSummary) };
}

export interface TrainerCertification {
  id: string;
  kind: TrainerCertificationKind;
  workflowId: string | null;
  workflowName: string | null;
  awardedOn: string;
  expiresOn: string | null;
  state: CertificationState;
  notes: string;
  awardedBy: string;
}

export interface TrainerObservation {
  id: string;
  observerId: string;
  observerName: string | null;
  cohortSessionId: string | null;
  sessionTopic: string | null;
  observedOn: string;
  scores: Array<{ key: string; label: string; score: number }>;
  overall: number;
  strengths: string;
  improvements: string;
  notes: string;
  recordedBy: string;
}

export interface TrainerDetail extends TrainerSummary {
  certifications: TrainerCertification[];
  observationRecords: TrainerObservation[];
  rubric: Array<{ key: string; label: string }>;
}

const labelOf = new Map<string, string>(OBSERVATION_RUBRIC.map((c) => [c.key, c.label]));

export async function getTrainer(trx: Executor, personId: string, now = new Date()): Promise<TrainerDetail> {
  const row = await repo.findTrainer(trx, personId);
  if (!row) throw notFound('Trainer');
  const today = now.toISOString().slice(0, 10);
  const [certifications, observations] = await Promise.all([repo.listTrainerCertifications(trx, personId), repo.listObservations(trx, personId)]);
  return {
    ...toSummary(row),
    certifications: certifications.map((c) => ({
      id: c.id, kind: c.kind, workflowId: c.workflow_id, workflowName: c.workflow_name, awardedOn: c.awarded_on, expiresOn: c.expires_on,
      state: certificationState({ expiresOn: c.expires_on, revokedAt: c.revoked_at?.toISOString() ?? null }, today), notes: c.notes, awardedBy: c.awarded_by_label,
    })),
    observationRecords: observations.map((o) => ({
      id: o.id, observerId: o.observer_id, observerName: o.observer_name, cohortSessionId: o.cohort_session_id, sessionTopic: o.session_topic,
      observedOn: o.observed_on, scores: o.scores.map((s) => ({ ...s, label: labelOf.get(s.key) ?? s.key })), overall: Number(o.overall),
      strengths: o.strengths, improvements: o.improvements, notes: o.notes, recordedBy: o.created_by_label,
    })),
    rubric: OBSERVATION_RUBRIC.map((c) => ({ key: c.key, label: c.label })),
  };
}

const clean = (list: readonly string[] | undefined) => [...new Set((list ?? []).map((s) => s.trim()).filter((s) => s !== ''))];

export async function saveTrainerProfile(
  trx: Executor,
  actor: Actor,
  personId: string,
  input: { workflowIds?: string[]; specialities?: string[]; languages?: string[]; bio?: string; status?: 'active' | 'inactive' },
  now = new Date(),
): Promise<TrainerDetail> {
  const person = await findPersonRef(trx, personId);
  if (!person) throw notFound('Person');
  const issues = new Issues();
  const workflowIds = [...new Set(input.workflowIds ?? [])];
  const known = new Set(await repo.findWorkflowIds(trx, workflowIds));
  workflowIds.forEach((id, i) => issues.check(known.has(id), `/workflowIds/${i}`, 'No such workflow.'));
  clean(input.languages).forEach((l, i) => issues.check(/^[a-z]{2,3}(-[A-Z]{2})?$/.test(l), `/languages/${i}`, 'A language code such as en, tl or pt-BR.'));
  issues.throwIfAny();
  await repo.upsertTrainer(trx, {
    personId, vendorId: person.vendor_id, siteId: person.site_id, teamId: person.team_id, workflowIds, specialities: clean(input.specialities),
    languages: clean(input.languages), bio: (input.bio ?? '').trim(), status: input.status ?? 'active',
  });
  await audit(trx, actor, { action: 'trainer.profile.save', entityType: 'person', entityId: personId, vendorId: person.vendor_id, details: { workflowIds, status: input.status ?? 'active' } });
  return getTrainer(trx, personId, now);
}

async function loadTrainer(trx: Executor, personId: string) {
  const trainer = await repo.findTrainer(trx, personId);
  const person = trainer ? await findPersonRef(trx, personId) : undefined;
  if (!trainer || !person) throw notFound('Trainer');
  return person;
}

export async function awardTrainerCertification(
  trx: Executor,
  actor: Actor,
  personId: string,
  input: { kind: TrainerCertificationKind; workflowId?: string | null; awardedOn: string; expiresOn?: string | null; notes?: string },
  now = new Date(),
): Promise<TrainerDetail> {
  const person = await loadTrainer(trx, personId);
  const issues = new Issues();
  const day = /^\d{4}-\d{2}-\d{2}$/;
  issues.check(day.test(input.awardedOn), '/awardedOn', 'Give the date as YYYY-MM-DD.');
  if (input.expiresOn) issues.check(day.test(input.expiresOn) && input.expiresOn > input.awardedOn, '/expiresOn', 'An expiry date (YYYY-MM-DD) after the award.');
  if (input.workflowId) issues.check((await repo.findWorkflowIds(trx, [input.workflowId])).length === 1, '/workflowId', 'No such workflow.');
  issues.throwIfAny();
  const id = await repo.insertTrainerCertification(trx, {
    trainerId: personId, vendorId: person.vendor_id, siteId: person.site_id, teamId: person.team_id, kind: input.kind, workflowId: input.workflowId ?? null,
    awardedOn: input.awardedOn, expiresOn: input.expiresOn ?? null, notes: (input.notes ?? '').trim(), awardedByLabel: actor.label,
  });
  await audit(trx, actor, { action: 'trainer.certification.award', entityType: 'trainer_certification', entityId: id, vendorId: person.vendor_id, details: { personId, ...input } });
  return getTrainer(trx, personId, now);
}

export async function recordObservation(
  trx: Executor,
  actor: Actor,
  personId: string,
  input: { observerId?: string; cohortSessionId?: string | null; observedOn: string; scores: Array<{ key: string; score: number }>; strengths?: string; improvements?: string; notes?: string },
  now = new Date(),
): Promise<TrainerDetail> {
  const person = await loadTrainer(trx, personId);
  const observerId = input.observerId ?? actor.personId;
  const issues = new Issues();
  if (!observerId) issues.add('/observerId', 'Name the observer: this account is not linked to a person.');
  else if (observerId === personId) issues.add('/observerId', 'A trainer is observed by someone else.');
  else if (!(await findPersonRef(trx, observerId))) issues.add('/observerId', 'No such person in your scope.');
  issues.check(/^\d{4}-\d{2}-\d{2}$/.test(input.observedOn) && input.observedOn <= now.toISOString().slice(0, 10), '/observedOn', 'The date (YYYY-MM-DD) of an observation that took place.');
  if (input.cohortSessionId && !(await repo.findSessionRef(trx, input.cohortSessionId))) issues.add('/cohortSessionId', 'No such session in your scope.');
  issues.throwIfAny();
  const { scores, overall } = checkObservationScores(input.scores);
  const id = await repo.insertObservation(trx, {
    trainerId: personId, observerId: observerId!, vendorId: person.vendor_id, siteId: person.site_id, teamId: person.team_id,
    cohortSessionId: input.cohortSessionId ?? null, observedOn: input.observedOn, scores, overall,
    strengths: (input.strengths ?? '').trim(), improvements: (input.improvements ?? '').trim(), notes: (input.notes ?? '').trim(), createdByLabel: actor.label,
  });
  await audit(trx, actor, { action: 'trainer.observation.record', entityType: 'trainer_observation', entityId: id, vendorId: person.vendor_id, details: { personId, observerId, overall } });
  return getTrainer(trx, personId, now);
}
