import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/metrics.repository.ts';
import type { Actor } from '../access/actor.ts';
import { ERROR_TYPE_LABELS, type ErrorType } from '../reviews/scorecard.types.ts';
import { currentScorecard, listScorecards } from '../reviews/scorecards.service.ts';
import { MEASURES } from './metric-catalogue.rules.ts';
import {
  controlChart,
  paretoItems,
  parseControlChartQuery,
  parseParetoQuery,
  RULE_DESCRIPTIONS,
  type RawControlChartQuery,
  type RawParetoQuery,
} from './metric-charts.rules.ts';
import { controlChartCsv, controlChartFileName, paretoCsv, paretoFileName } from './metric-exports.rules.ts';
import { auditedCsv, type ExportAnswer } from './metric-exports.service.ts';
import { utcDay } from './metric-periods.rules.ts';
import { errorTable, estimateMetric } from './metrics.service.ts';
import type { ControlChartResponse, ParetoKind, ParetoResponse } from './metrics.types.ts';

/**
 * GET /api/metrics/control-chart and /pareto, from the same rollups as GET
 * /api/metrics, in the viewer's scope; format=csv answers the points or items
 * as an audited download.
 */

export async function getControlChart(trx: Executor, actor: Actor, raw: RawControlChartQuery, now = new Date()): Promise<ExportAnswer<ControlChartResponse>> {
  const query = parseControlChartQuery(raw, utcDay(now));
  const chart = controlChart(query.measure, await estimateMetric(trx, actor, query));
  const body: ControlChartResponse = {
    measure: query.measure,
    title: MEASURES[query.measure].title,
    grain: query.grain,
    from: query.from,
    to: query.to,
    ...chart,
    rules: RULE_DESCRIPTIONS,
  };
  if (query.format === 'json') return { format: 'json', body };
  return auditedCsv(trx, actor, {
    table: 'control_chart',
    query: { measure: query.measure, grain: query.grain, filter: raw.filter ?? null, from: query.from, to: query.to },
    rows: body.points.length,
    fileName: controlChartFileName(body),
    csv: controlChartCsv(body),
  });
}

export async function getPareto(trx: Executor, actor: Actor, raw: RawParetoQuery, now = new Date()): Promise<ExportAnswer<ParetoResponse>> {
  const query = parseParetoQuery(raw, utcDay(now));
  const rows = await repo.errorCounts(trx, errorTable(query, actor), query.kind, { filters: query.filters.map(({ dimension, values }) => ({ dimension, values })), from: query.from, to: query.to });
  const body: ParetoResponse = { kind: query.kind, from: query.from, to: query.to, ...paretoItems(rows) };
  if (query.format === 'json') return { format: 'json', body };
  const names = await paretoNames(trx, query.kind);
  return auditedCsv(trx, actor, {
    table: 'pareto',
    query: { kind: query.kind, filter: raw.filter ?? null, from: query.from, to: query.to },
    rows: body.items.length,
    fileName: paretoFileName(body),
    csv: paretoCsv(body, (key) => names.get(key) ?? null),
  });
}

/**
 * The words for the keys, as the dashboards show them: the fixed error types'
 * labels; a root cause's label from the published scorecards (each scorecard
 * has its own categories; the first to name a key wins).
 */
async function paretoNames(trx: Executor, kind: ParetoKind): Promise<Map<string, string>> {
  if (kind === 'error_type') return new Map(Object.entries(ERROR_TYPE_LABELS) as Array<[ErrorType, string]>);
  const names = new Map<string, string>();
  for (const scorecard of await listScorecards(trx)) {
    if (!scorecard.published) continue;
    const current = await currentScorecard(trx, scorecard.workflowId);
    for (const cause of current?.definition.rootCauses ?? []) if (!names.has(cause.key)) names.set(cause.key, cause.label);
  }
  return names;
}
