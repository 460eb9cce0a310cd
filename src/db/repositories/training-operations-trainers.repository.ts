import { sql } from 'kysely';
import type { Executor } from '../database.ts';
import type { TrainerCertificationKind } from '../schema-training-operations.ts';

/** Trainer profiles, train-the-trainer certifications and observations (migration 0014), scoped through the trainer. */

export interface TrainerRow {
  person_id: string;
  full_name: string;
  job_role: string;
  vendor_id: string;
  vendor_name: string | null;
  site_id: string;
  site_name: string | null;
  workflow_ids: string[];
  specialities: string[];
  languages: string[];
  bio: string;
  status: 'active' | 'inactive';
  certifications_valid: number;
  observations: number;
  last_observed_on: string | null;
  mean_observation: string | null;
  cohorts: number;
}

const trainerSelect = sql`
  SELECT t.person_id, p.full_name, p.job_role, t.vendor_id, v.name AS vendor_name, t.site_id, s.name AS site_name, t.workflow_ids, t.specialities,
         t.languages, t.bio, t.status,
         (SELECT count(*)::int FROM trainer_certifications c WHERE c.trainer_id = t.person_id AND c.revoked_at IS NULL AND (c.expires_on IS NULL OR c.expires_on >= current_date)) AS certifications_valid,
         (SELECT count(*)::int FROM trainer_observations o WHERE o.trainer_id = t.person_id) AS observations,
         (SELECT max(o.observed_on)::text FROM trainer_observations o WHERE o.trainer_id = t.person_id) AS last_observed_on,
         (SELECT avg(o.overall)::text FROM trainer_observations o WHERE o.trainer_id = t.person_id) AS mean_observation,
         (SELECT count(*)::int FROM cohort_trainers ct WHERE ct.person_id = t.person_id) AS cohorts
  FROM trainer_profiles t JOIN people p ON p.id = t.person_id
  LEFT JOIN vendors v ON v.id = t.vendor_id LEFT JOIN sites s ON s.id = t.site_id`;

export async function listTrainers(db: Executor, filter: { workflowId?: string; status?: string }): Promise<TrainerRow[]> {
  const { rows } = await sql<TrainerRow>`${trainerSelect}
    WHERE (${filter.workflowId ?? null}::uuid IS NULL OR ${filter.workflowId ?? null}::uuid = ANY (t.workflow_ids))
      AND (${filter.status ?? null}::text IS NULL OR t.status = ${filter.status ?? null})
    ORDER BY p.full_name`.execute(db);
  return rows;
}

export async function findTrainer(db: Executor, personId: string): Promise<TrainerRow | undefined> {
  const { rows } = await sql<TrainerRow>`${trainerSelect} WHERE t.person_id = ${personId}`.execute(db);
  return rows[0];
}

export async function upsertTrainer(
  db: Executor,
  t: { personId: string; vendorId: string; siteId: string; teamId: string | null; workflowIds: string[]; specialities: string[]; languages: string[]; bio: string; status: 'active' | 'inactive' },
): Promise<void> {
  await db.insertInto('trainer_profiles').values({
    person_id: t.personId, vendor_id: t.vendorId, site_id: t.siteId, team_id: t.teamId, workflow_ids: t.workflowIds,
    specialities: t.specialities, languages: t.languages, bio: t.bio, status: t.status,
  }).onConflict((oc) => oc.column('person_id').doUpdateSet((eb) => ({
    workflow_ids: eb.ref('excluded.workflow_ids'), specialities: eb.ref('excluded.specialities'), languages: eb.ref('excluded.languages'),
    bio: eb.ref('excluded.bio'), status: eb.ref('excluded.status'),
  }))).execute();
}

export interface TrainerCertificationRow {
  id: string;
  kind: TrainerCertificationKind;
  workflow_id: string | null;
  workflow_name: string | null;
  awarded_on: string;
  expires_on: string | null;
  notes: string;
  awarded_by_label: string;
  revoked_at: Date | null;
}

export async function listTrainerCertifications(db: Executor, trainerId: string): Promise<TrainerCertificationRow[]> {
  const { rows } = await sql<TrainerCertificationRow>`
    SELECT c.id, c.kind, c.workflow_id, w.name AS workflow_name, c.awarded_on::text AS awarded_on, c.expires_on::text AS expires_on, c.notes, c.awarded_by_label, c.revoked_at
    FROM trainer_certifications c LEFT JOIN workflows w ON w.id = c.workflow_id
    WHERE c.trainer_id = ${trainerId} ORDER BY c.awarded_on DESC`.execute(db);
  return rows;
}

export async function insertTrainerCertification(
  db: Executor,
  c: { trainerId: string; vendorId: string; siteId: string; teamId: string | null; kind: TrainerCertificationKind; workflowId: string | null; awardedOn: string; expiresOn: string | null; notes: string; awardedByLabel: string },
): Promise<string> {
  const row = await db.insertInto('trainer_certifications').values({
    trainer_id: c.trainerId, vendor_id: c.vendorId, site_id: c.siteId, team_id: c.teamId, kind: c.kind, workflow_id: c.workflowId,
    awarded_on: c.awardedOn, expires_on: c.expiresOn, notes: c.notes, awarded_by_label: c.awardedByLabel,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export interface ObservationRow {
  id: string;
  trainer_id: string;
  observer_id: string;
  observer_name: string | null;
  cohort_session_id: string | null;
  session_topic: string | null;
  observed_on: string;
  scores: Array<{ key: string; score: number }>;
  overall: string;
  strengths: string;
  improvements: string;
  notes: string;
  created_by_label: string;
}

export async function listObservations(db: Executor, trainerId: string): Promise<ObservationRow[]> {
  const { rows } = await sql<ObservationRow>`
    SELECT o.id, o.trainer_id, o.observer_id, op.full_name AS observer_name, o.cohort_session_id, cs.topic AS session_topic,
           o.observed_on::text AS observed_on, o.scores, o.overall, o.strengths, o.improvements, o.notes, o.created_by_label
    FROM trainer_observations o LEFT JOIN people op ON op.id = o.observer_id LEFT JOIN cohort_sessions cs ON cs.id = o.cohort_session_id
    WHERE o.trainer_id = ${trainerId} ORDER BY o.observed_on DESC, o.created_at DESC`.execute(db);
  return rows;
}

export async function insertObservation(
  db: Executor,
  o: { trainerId: string; observerId: string; vendorId: string; siteId: string; teamId: string | null; cohortSessionId: string | null; observedOn: string; scores: Array<{ key: string; score: number }>; overall: number; strengths: string; improvements: string; notes: string; createdByLabel: string },
): Promise<string> {
  const row = await db.insertInto('trainer_observations').values({
    trainer_id: o.trainerId, observer_id: o.observerId, vendor_id: o.vendorId, site_id: o.siteId, team_id: o.teamId, cohort_session_id: o.cohortSessionId,
    observed_on: o.observedOn, scores: JSON.stringify(o.scores), overall: o.overall, strengths: o.strengths, improvements: o.improvements, notes: o.notes,
    created_by_label: o.createdByLabel,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function findSessionRef(db: Executor, id: string): Promise<{ id: string; cohort_id: string } | undefined> {
  return db.selectFrom('cohort_sessions').select(['id', 'cohort_id']).where('id', '=', id).executeTakeFirst();
}

export async function findWorkflowIds(db: Executor, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('workflows').select('id').where('id', 'in', ids).execute()).map((r) => r.id);
}
