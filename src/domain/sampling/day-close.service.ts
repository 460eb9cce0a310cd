import type { Db, Executor } from '../../db/database.ts';
import * as closes from '../../db/repositories/sampling-close.repository.ts';
import * as plans from '../../db/repositories/sampling-plans.repository.ts';
import { asSystem } from '../../db/scoped.ts';
import { conflict, notFound } from '../errors.ts';
import { createTasksForSamples } from '../qa/qa-tasks.service.ts';
import { selectDeferredDay } from './day-close.rules.ts';
import { addDays, dayEnd, deferredRuleKeys, utcDay } from './plan-timeline.rules.ts';
import type { SamplingPlanDefinition } from './plan.types.ts';
import { loadPlanTimelines } from './sampling-plans.service.ts';

/**
 * Closing a UTC day for one plan version: per-agent quotas and capped rates
 * are selected once the day's decisions are in (day end + a grace period), by
 * the seeded draws stored on each decision. A closed day is final: closing it
 * again changes nothing, and a decision that arrives later is counted in the
 * frame (sampling_strata_daily.population) but cannot be selected any more.
 * See docs/decisions/0004-sampling-design.md.
 */

export const DEFAULT_GRACE_HOURS = 6;

export interface DayCloseResult {
  planVersionId: string;
  day: string;
  /** The day was closed before this call, which changed nothing. */
  alreadyClosed: boolean;
  /** Decisions selected when the day closed. */
  selected: number;
  /** QA tasks created by this call. */
  tasksCreated: number;
  closedAt: string;
}

/**
 * Selects the deferred strata of `planVersionId` on `day` and records the day
 * as closed, in the caller's transaction (run it as the system: the selection
 * must see every decision of the day).
 */
export async function closeSamplingDay(trx: Executor, planVersionId: string, day: string, now = new Date()): Promise<DayCloseResult> {
  const version = await plans.findVersion(trx, planVersionId);
  if (!version) throw notFound('Sampling plan version');
  if (version.status === 'draft') throw conflict('A draft places no decisions: there is no day to close.');
  if (dayEnd(day).getTime() > now.getTime()) throw conflict(`The UTC day ${day} has not ended yet.`);
  const earlier = await closes.findDayClose(trx, planVersionId, day);
  if (earlier) return already(earlier);

  const definition = version.definition as SamplingPlanDefinition;
  const keys = deferredRuleKeys(definition);
  const candidates = await closes.listDeferredCandidates(trx, planVersionId, day, keys);
  const { selections, strata } = selectDeferredDay(
    definition,
    version.seed,
    day,
    candidates.map((c) => ({ id: c.id, agentId: c.agent_id, stratumKey: c.stratum_key!, p: c.sampling_p, u: c.sampling_u! })),
  );
  // The close row first: a concurrent close of the same day waits on it, then finds it and does nothing.
  const close = await closes.insertDayClose(trx, planVersionId, day, selections.length);
  if (!close) return already((await closes.findDayClose(trx, planVersionId, day))!);

  const byId = new Map(candidates.map((c) => [c.id, c]));
  const inserted = await closes.insertSamples(
    trx,
    selections.map((s) => {
      const d = byId.get(s.id)!;
      return {
        decisionId: s.id,
        planVersionId,
        stratumKey: s.stratumKey,
        inclusionProbability: s.inclusionProbability,
        method: s.method,
        vendorId: d.vendor_id,
        siteId: d.site_id,
        teamId: d.team_id,
        agentId: d.agent_id,
      };
    }),
  );
  await closes.recordStratumClose(trx, planVersionId, day, strata);
  const tasksCreated = inserted.length > 0 ? await createTasksForSamples(trx, inserted, now) : 0;
  return { planVersionId, day, alreadyClosed: false, selected: close.selected, tasksCreated, closedAt: close.closed_at.toISOString() };
}

function already(row: { plan_version_id: string; day: string; selected: number; closed_at: Date }): DayCloseResult {
  return { planVersionId: row.plan_version_id, day: row.day, alreadyClosed: true, selected: row.selected, tasksCreated: 0, closedAt: row.closed_at.toISOString() };
}

export interface CloseDueResult {
  /** The last day considered (every earlier open day was considered too). */
  throughDay: string;
  closed: DayCloseResult[];
  failed: Array<{ planVersionId: string; day: string; error: string }>;
}

/**
 * Closes every (plan version, day) with decisions in deferred strata that is
 * not closed yet and whose day ended at least `graceHours` before `now`
 * (and is not after `until`, when given). Each day in its own transaction,
 * as the system; a day that fails is reported and the others go on.
 */
export async function closeDueSamplingDays(db: Db, now: Date, graceHours = DEFAULT_GRACE_HOURS, options: { until?: string } = {}): Promise<CloseDueResult> {
  // A day is due when dayEnd(day) + grace <= now, i.e. day <= UTC day of (now - grace) - 1.
  const lastDue = addDays(utcDay(new Date(now.getTime() - graceHours * 3_600_000)), -1);
  const throughDay = options.until !== undefined && options.until < lastDue ? options.until : lastDue;
  const timelines = await asSystem(db, (trx) => loadPlanTimelines(trx));
  const result: CloseDueResult = { throughDay, closed: [], failed: [] };
  for (const timeline of timelines.values()) {
    for (const version of timeline) {
      const keys = deferredRuleKeys(version.definition);
      if (keys.length === 0) continue;
      const days = await asSystem(db, (trx) => closes.listOpenDays(trx, version.id, keys, throughDay));
      for (const day of days) {
        try {
          result.closed.push(await asSystem(db, (trx) => closeSamplingDay(trx, version.id, day, now)));
        } catch (error) {
          result.failed.push({ planVersionId: version.id, day, error: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  }
  return result;
}
