import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/training-operations-cohorts.repository.ts';
import type { GraduationOutcome } from '../../db/schema-training-operations.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { invalid, notFound } from '../errors.ts';
import { queryMetrics } from '../metrics/metrics.service.ts';
import type { MetricEstimate, MetricMeasure } from '../metrics/metrics.types.ts';
import { checkNestingTargets, evaluateNesting, type NestingEvaluation, type NestingTargets } from './cohort-operations.rules.ts';
import { loadCohort } from './cohorts.service.ts';
import type { Estimate, NestingSettings } from './training-operations.types.ts';
export type { Estimate, NestingSettings };

/**
 * The nesting phase of a cohort: supervised production judged against the
 * cohort's own QA targets, read from Assay's quality metrics (the weighted
 * accuracy and critical error rate of each member as an agent, on the
 * cohort's workflow, over the nesting days, with their intervals), and the
 * graduation decision that follows, recorded with that evidence and audited.
 */

function toSettings(row: repo.NestingRow): NestingSettings {
  return {
    startsOn: row.starts_on, endsOn: row.ends_on, minReviews: row.min_reviews, accuracyTarget: Number(row.accuracy_target),
    criticalErrorMax: Number(row.critical_error_max), evidence: row.evidence, updatedBy: row.updated_by_label, updatedAt: row.updated_at.toISOString(),
  };
}

export async function setNestingTargets(trx: Executor, actor: Actor, cohortId: string, input: { startsOn: string; endsOn: string } & NestingTargets): Promise<NestingSettings> {
  const cohort = await loadCohort(trx, cohortId);
  checkNestingTargets(input);
  await repo.upsertNesting(trx, {
    cohort_id: cohortId, starts_on: input.startsOn, ends_on: input.endsOn, min_reviews: input.minReviews,
    accuracy_target: String(input.accuracyTarget), critical_error_max: String(input.criticalErrorMax), evidence: input.evidence, updated_by_label: actor.label,
  });
  await audit(trx, actor, { action: 'cohort.nesting.set', entityType: 'cohort', entityId: cohortId, vendorId: cohort.vendor_id, details: { ...input } });
  return toSettings((await repo.findNesting(trx, cohortId))!);
}

export interface MemberNesting {
  personId: string;
  fullName: string | null;
  memberStatus: string;
  accuracy: Estimate;
  criticalErrorRate: Estimate;
  evaluation: NestingEvaluation;
  latestDecision: { outcome: GraduationOutcome; decidedOn: string; decidedBy: string; note: string } | null;
}

export interface NestingProgress {
  cohortId: string;
  workflowId: string;
  settings: NestingSettings | null;
  /** The days read: the nesting phase up to today. */
  from: string | null;
  to: string | null;
  confidence: number;
  members: MemberNesting[];
  counts: { met: number; notYet: number; crediblyNotMet: number };
}

const EMPTY: Estimate = { value: null, lower: null, upper: null, n: 0 };
const toEstimate = (e: MetricEstimate | undefined): Estimate => (e ? { value: e.value, lower: e.lower, upper: e.upper, n: e.n } : EMPTY);

async function perAgent(trx: Executor, actor: Actor, measure: MetricMeasure, agentIds: string[], workflowId: string, from: string, to: string): Promise<Map<string, Estimate>> {
  const response = await queryMetrics(trx, actor, {
    measure,
    by: ['agent'],
    filters: [{ dimension: 'agent', values: agentIds, position: 0 }, { dimension: 'workflow', values: [workflowId], position: 1 }],
    from, to, grain: null, confidence: 0.95, minN: 0, format: 'json',
  });
  return new Map(response.groups.map((g) => [g.key.agent ?? '', toEstimate(g)]));
}

export async function getNestingProgress(trx: Executor, actor: Actor, cohortId: string, now = new Date()): Promise<NestingProgress> {
  const cohort = await loadCohort(trx, cohortId);
  const [row, members, decisions] = await Promise.all([repo.findNesting(trx, cohortId), repo.listMembers(trx, cohortId), repo.listGraduations(trx, cohortId)]);
  const latest = new Map<string, repo.GraduationRow>();
  for (const d of decisions) if (!latest.has(d.person_id)) latest.set(d.person_id, d);
  const settings = row ? toSettings(row) : null;
  const today = now.toISOString().slice(0, 10);
  const from = settings?.startsOn ?? null;
  const to = settings ? (settings.endsOn < today ? settings.endsOn : today) : null;
  const ids = members.map((m) => m.person_id);
  const reading = settings && from && to && from <= to && ids.length > 0;
  const [accuracy, critical] = reading
    ? await Promise.all([perAgent(trx, actor, 'accuracy', ids, cohort.workflow_id, from, to), perAgent(trx, actor, 'critical_error_rate', ids, cohort.workflow_id, from, to)])
    : [new Map<string, Estimate>(), new Map<string, Estimate>()];
  const targets: NestingTargets = settings ?? { minReviews: 1, accuracyTarget: 1, criticalErrorMax: 0, evidence: 'estimate' };
  const result: MemberNesting[] = members.map((m) => {
    const a = accuracy.get(m.person_id) ?? EMPTY;
    const c = critical.get(m.person_id) ?? EMPTY;
    const d = latest.get(m.person_id);
    return {
      personId: m.person_id, fullName: m.full_name, memberStatus: m.member_status, accuracy: a, criticalErrorRate: c,
      evaluation: evaluateNesting(targets, a, c),
      latestDecision: d ? { outcome: d.outcome, decidedOn: d.decided_on, decidedBy: d.decided_by_label, note: d.note } : null,
    };
  });
  return {
    cohortId, workflowId: cohort.workflow_id, settings, from, to, confidence: 0.95, members: result,
    counts: {
      met: result.filter((m) => m.evaluation.status === 'met').length,
      notYet: result.filter((m) => m.evaluation.status === 'not_yet').length,
      crediblyNotMet: result.filter((m) => m.evaluation.status === 'credibly_not_met').length,
    },
  };
}

/**
 * Records a graduation decision with the evidence of the moment. Graduating a
 * member who has not met the targets, or exiting one who has, is allowed (the
 * manager decides) but needs a note saying why.
 */
export async function recordGraduation(
  trx: Executor,
  actor: Actor,
  cohortId: string,
  input: { personId: string; outcome: GraduationOutcome; note?: string },
  now = new Date(),
): Promise<MemberNesting> {
  const cohort = await loadCohort(trx, cohortId);
  const progress = await getNestingProgress(trx, actor, cohortId, now);
  const member = progress.members.find((m) => m.personId === input.personId);
  if (!member) throw notFound('Cohort member');
  const note = (input.note ?? '').trim();
  const againstEvidence = (input.outcome === 'graduated' && member.evaluation.status !== 'met') || (input.outcome === 'exited' && member.evaluation.status === 'met');
  if (againstEvidence && note === '') {
    throw invalid([{ path: '/note', message: `The QA targets say "${member.evaluation.status.replace(/_/g, ' ')}": say why you decide "${input.outcome}".` }]);
  }
  const person = await repo.findPersonRef(trx, input.personId);
  if (!person) throw notFound('Cohort member');
  const evidence = { settings: progress.settings, from: progress.from, to: progress.to, accuracy: member.accuracy, criticalErrorRate: member.criticalErrorRate, evaluation: member.evaluation };
  const id = await repo.insertGraduation(trx, {
    cohortId, personId: input.personId, vendorId: person.vendor_id, siteId: person.site_id, teamId: person.team_id,
    outcome: input.outcome, decidedOn: now.toISOString().slice(0, 10), note, evidence, decidedByLabel: actor.label,
  });
  if (input.outcome !== 'extended') await repo.setMemberStatus(trx, cohortId, input.personId, input.outcome === 'graduated' ? 'graduated' : 'withdrawn', now);
  await audit(trx, actor, {
    action: `cohort.graduation.${input.outcome}`, entityType: 'cohort_graduation', entityId: id, vendorId: cohort.vendor_id,
    details: { cohortId, personId: input.personId, readiness: member.evaluation.status, note },
  });
  const after = await getNestingProgress(trx, actor, cohortId, now);
  return after.members.find((m) => m.personId === input.personId)!;
}
