import type { Executor } from '../../db/database.ts';
import * as closes from '../../db/repositories/sampling-close.repository.ts';
import * as plans from '../../db/repositories/sampling-plans.repository.ts';
import type { Actor } from '../access/actor.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import { selectDeferredDay, type DayCandidate } from './day-close.rules.ts';
import { isDeferredRule, parseDay, ruleKeyOf } from './plan-timeline.rules.ts';
import { placeDecision } from './plan.rules.ts';
import type { SamplingPlanDefinition } from './plan.types.ts';

/**
 * Sampling is deterministic, so it can be re-run and audited: this recomputes
 * the placement of every decision of one plan version on one UTC day (stratum,
 * p, draw u) from the stored decision, then the selection (immediate: u < p or
 * mode all; deferred: the day close's selection over the decisions that had
 * arrived when the day closed), and compares both with what is stored:
 * decisions' sampling columns, qa_samples and the per-stratum tallies.
 */

export interface VerifyMismatch {
  decisionId: string | null;
  stratumKey: string | null;
  field: 'stratum_key' | 'sampling_p' | 'sampling_u' | 'selected' | 'inclusion_probability' | 'method' | 'sample_stratum_key' | 'sample_plan_version' | 'population' | 'expected' | 'selected_count';
  expected: unknown;
  actual: unknown;
}

export interface VerifyReport {
  planVersionId: string;
  day: string;
  closed: boolean;
  closedAt: string | null;
  /** Decisions checked. */
  checked: number;
  mismatches: number;
  /** The first 200 mismatches. */
  details: VerifyMismatch[];
  /** Decisions of deferred strata that arrived after the day closed: in the frame, never selectable. */
  lateArrivals: number;
  /** True when the caller may see only part of the day (a scoped user): the per-stratum tallies were not checked. */
  partial: boolean;
  /** Capped strata, whose selection needs every decision of the stratum's day: not checked in a partial view. */
  skippedStrata: string[];
}

const MAX_DETAILS = 200;
const close = (a: number, b: number, tolerance = 1e-9) => Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * @param options.fullView whether the transaction sees every decision of the day (the system, or a
 *   user with scope all); otherwise capped strata and the per-stratum tallies are not checked.
 */
export async function verifySamplingDay(trx: Executor, planVersionId: string, day: string, options: { fullView: boolean }): Promise<VerifyReport> {
  const version = await plans.findVersion(trx, planVersionId);
  if (!version) throw notFound('Sampling plan version');
  if (version.status === 'draft') throw conflict('A draft places no decisions: there is nothing to verify.');
  const definition = version.definition as SamplingPlanDefinition;
  const rules = new Map(definition.strata.map((rule) => [rule.key, rule]));
  const [rows, dayClose] = await Promise.all([closes.listDayDecisions(trx, planVersionId, day), closes.findDayClose(trx, planVersionId, day)]);
  const severities = new Map<string, string>();
  for (const label of await closes.labelSeveritiesOfVersions(trx, [...new Set(rows.flatMap((row) => row.policy_version_ids))])) {
    severities.set(`${label.policy_version_id}\u0000${label.key}`, label.severity);
  }

  const details: VerifyMismatch[] = [];
  let mismatches = 0;
  const report = (mismatch: VerifyMismatch) => {
    mismatches++;
    if (details.length < MAX_DETAILS) details.push(mismatch);
  };
  const skipped = new Set<string>();

  // 1. Placement, from the stored decision.
  type Expected = { pi: number; method: string; stratumKey: string } | null;
  const expected = new Map<string, Expected>();
  const deferred: DayCandidate[] = [];
  let lateArrivals = 0;
  for (const row of rows) {
    const labelSeverity = (label: string) => {
      for (const versionId of row.policy_version_ids) {
        const severity = severities.get(`${versionId}\u0000${label}`);
        if (severity) return severity;
      }
      return undefined;
    };
    const placement = placeDecision(
      definition,
      version.seed,
      { decisionId: row.id, labels: row.labels, severity: row.severity, vendorId: row.vendor_id, siteId: row.site_id, tenureDays: row.tenure_days, modelScore: row.model_score },
      labelSeverity,
    );
    const at = { decisionId: row.id, stratumKey: placement.stratumKey };
    if (row.stratum_key !== placement.stratumKey) report({ ...at, field: 'stratum_key', expected: placement.stratumKey, actual: row.stratum_key });
    if (placement.p === null ? row.sampling_p !== null : row.sampling_p === null || !close(row.sampling_p, placement.p, 1e-12)) {
      report({ ...at, field: 'sampling_p', expected: placement.p, actual: row.sampling_p });
    }
    if (row.sampling_u === null || !close(row.sampling_u, placement.u, 1e-12)) report({ ...at, field: 'sampling_u', expected: placement.u, actual: row.sampling_u });

    if (placement.selectedNow) {
      expected.set(row.id, { pi: placement.p ?? 1, method: placement.mode === 'all' ? 'all' : 'rate', stratumKey: placement.stratumKey });
    } else if (placement.deferred && dayClose && row.ingested_at.getTime() <= dayClose.closed_at.getTime()) {
      expected.set(row.id, null); // decided below, by the day's selection
      deferred.push({ id: row.id, agentId: row.agent_id, stratumKey: placement.stratumKey, p: placement.p, u: placement.u });
    } else {
      if (placement.deferred && dayClose) lateArrivals++;
      expected.set(row.id, null);
    }
  }

  // 2. The day close's selection, recomputed (capped strata need the whole day's stratum).
  const checkable = options.fullView
    ? deferred
    : deferred.filter((c) => {
        const rule = rules.get(ruleKeyOf(c.stratumKey));
        if (rule && isDeferredRule(rule) && rule.mode === 'rate') {
          skipped.add(c.stratumKey);
          return false;
        }
        return true;
      });
  const recomputed = selectDeferredDay(definition, version.seed, day, checkable);
  for (const s of recomputed.selections) expected.set(s.id, { pi: s.inclusionProbability, method: s.method, stratumKey: s.stratumKey });

  // 3. Selection against qa_samples.
  for (const row of rows) {
    const stratumKey = row.stratum_key;
    const want = expected.get(row.id) ?? null;
    if (skipped.has(stratumKey ?? '') && want === null) continue;
    const has = row.sample_pi !== null;
    if (want === null) {
      if (has) report({ decisionId: row.id, stratumKey, field: 'selected', expected: false, actual: true });
      continue;
    }
    if (!has) {
      report({ decisionId: row.id, stratumKey, field: 'selected', expected: true, actual: false });
      continue;
    }
    if (!close(row.sample_pi!, want.pi)) report({ decisionId: row.id, stratumKey, field: 'inclusion_probability', expected: want.pi, actual: row.sample_pi });
    if (row.sample_method !== want.method) report({ decisionId: row.id, stratumKey, field: 'method', expected: want.method, actual: row.sample_method });
    if (row.sample_stratum_key !== want.stratumKey) report({ decisionId: row.id, stratumKey, field: 'sample_stratum_key', expected: want.stratumKey, actual: row.sample_stratum_key });
    if (row.sample_plan_version_id !== planVersionId) report({ decisionId: row.id, stratumKey, field: 'sample_plan_version', expected: planVersionId, actual: row.sample_plan_version_id });
  }

  // 4. The per-stratum tallies the estimators read (only when every decision of the day is visible).
  if (options.fullView) {
    const tallies = new Map<string, { population: number; expected: number; selected: number }>();
    const tally = (key: string) => {
      let t = tallies.get(key);
      if (!t) tallies.set(key, (t = { population: 0, expected: 0, selected: 0 }));
      return t;
    };
    for (const row of rows) {
      if (row.stratum_key === null) continue;
      const t = tally(row.stratum_key);
      t.population++;
      if (row.sample_pi !== null) t.selected++;
      const rule = rules.get(ruleKeyOf(row.stratum_key));
      if (rule && !isDeferredRule(rule)) t.expected += row.sampling_p ?? 0;
    }
    if (dayClose) for (const s of recomputed.strata) tally(s.stratumKey).expected = s.expected;
    const stored = new Map((await closes.listStrataOfDay(trx, planVersionId, day)).map((row) => [row.stratum_key, row]));
    for (const key of [...new Set([...tallies.keys(), ...stored.keys()])].sort()) {
      const mine = tallies.get(key) ?? { population: 0, expected: 0, selected: 0 };
      const theirs = stored.get(key) ?? { population: 0, expected: 0, selected: 0 };
      if (mine.population !== theirs.population) report({ decisionId: null, stratumKey: key, field: 'population', expected: mine.population, actual: theirs.population });
      if (mine.selected !== theirs.selected) report({ decisionId: null, stratumKey: key, field: 'selected_count', expected: mine.selected, actual: theirs.selected });
      if (!close(mine.expected, theirs.expected, 1e-6)) report({ decisionId: null, stratumKey: key, field: 'expected', expected: mine.expected, actual: theirs.expected });
    }
  }

  return {
    planVersionId,
    day,
    closed: dayClose !== undefined,
    closedAt: dayClose?.closed_at.toISOString() ?? null,
    checked: rows.length,
    mismatches,
    details,
    lateArrivals,
    partial: !options.fullView,
    skippedStrata: [...skipped].sort(),
  };
}

/** Verification for a user: the day from the query string; stratum-wide checks only with scope all. */
export async function verifyDayForActor(trx: Executor, actor: Actor, planVersionId: string, day: string): Promise<VerifyReport> {
  const parsed = parseDay(day);
  if (!parsed) throw new AppError('VALIDATION_FAILED', 'Some query parameters are not valid.', [{ path: '?day', message: 'A UTC day written YYYY-MM-DD.' }]);
  return verifySamplingDay(trx, planVersionId, parsed, { fullView: actor.scope.kind === 'all' });
}
