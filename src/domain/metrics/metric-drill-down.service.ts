import type { Executor } from '../../db/database.ts';
import type { Page } from '../../db/repositories/pagination.ts';
import * as repo from '../../db/repositories/metrics-drill-down.repository.ts';
import type { Actor } from '../access/actor.ts';
import { invalid } from '../errors.ts';
import { presentReviewSummary, type ReviewSummary } from '../reviews/review-reads.service.ts';
import { parseDrillDownQuery, REVIEWS_CSV_CAP, type DrillDownQuery, type RawDrillDownQuery } from './metric-drill-down.rules.ts';
import { reviewsCsv, reviewsFileName } from './metric-exports.rules.ts';
import { auditedCsv, type ExportAnswer } from './metric-exports.service.ts';
import { utcDay } from './metric-periods.rules.ts';

/**
 * GET /api/metrics/reviews: the reviews behind a figure, in the viewer's
 * scope (row-level security on reviews and decisions), newest decision first,
 * in the item shape of GET /api/reviews; format=csv: all of them (not a page,
 * at most REVIEWS_CSV_CAP) as an audited download.
 */

export type MetricReviews = { items: ReviewSummary[]; total: number };

function sliceFilterOf(query: DrillDownQuery): repo.ReviewSliceFilter {
  return {
    filters: query.filters.map(({ dimension, values }) => ({ dimension, values })),
    from: query.from,
    to: query.to,
    conditions: query.conditions,
    perLabel: query.perLabel,
  };
}

export async function getMetricReviews(
  trx: Executor,
  actor: Actor,
  raw: RawDrillDownQuery,
  page: Page,
  options: { now?: Date; csvCap?: number } = {},
): Promise<ExportAnswer<MetricReviews>> {
  const query = parseDrillDownQuery(raw, utcDay(options.now ?? new Date()));
  if (query.format === 'csv') return exportReviews(trx, actor, raw, query, options.csvCap ?? REVIEWS_CSV_CAP);
  if (query.from > query.to) return { format: 'json', body: { items: [], total: 0 } };
  const filter = sliceFilterOf(query);
  const rows = await repo.drillDownReviews(trx, filter, page);
  const total = rows.length > 0 ? rows[0]!.total : page.offset === 0 ? 0 : await repo.countDrillDownReviews(trx, filter);
  return { format: 'json', body: { items: rows.map(presentReviewSummary), total } };
}

/**
 * Every matching review in the list's order. One statement reads up to the
 * cap with the total beside it; a total above the cap is refused whole
 * (a file cut short would pass for the full list).
 */
async function exportReviews(trx: Executor, actor: Actor, raw: RawDrillDownQuery, query: DrillDownQuery, cap: number) {
  const rows = query.from > query.to ? [] : await repo.drillDownReviews(trx, sliceFilterOf(query), { limit: cap, offset: 0 });
  const total = rows[0]?.total ?? 0;
  if (total > cap) {
    const message = `${total.toLocaleString('en-US')} reviews match; a CSV holds at most ${cap.toLocaleString('en-US')}. Narrow the filters or the dates and download again.`;
    throw invalid([{ path: '/format', message }], message);
  }
  return auditedCsv(trx, actor, {
    table: 'reviews_behind_figure',
    query: {
      filter: raw.filter ?? null,
      from: query.from,
      to: query.to,
      period: raw.period || null,
      grain: raw.period ? raw.grain || 'week' : null,
      measure: query.measure,
      outcome: query.failing ? 'failing' : null,
    },
    rows: rows.length,
    fileName: reviewsFileName(query),
    csv: reviewsCsv(rows.map(presentReviewSummary)),
  });
}
