import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox, TSchema } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { DIMENSIONS, MEASURE_NAMES } from '../../domain/metrics/metric-catalogue.rules.ts';
import { CONTROL_CHART_MEASURES } from '../../domain/metrics/metric-charts.rules.ts';
import { getControlChart, getPareto } from '../../domain/metrics/metric-charts.service.ts';
import { DRILL_DOWN_MEASURES } from '../../domain/metrics/metric-drill-down.rules.ts';
import { getMetricReviews } from '../../domain/metrics/metric-drill-down.service.ts';
import type { ExportAnswer } from '../../domain/metrics/metric-exports.service.ts';
import { getMetrics } from '../../domain/metrics/metrics.service.ts';
import { commonErrors, ListOf, Nullable, pageOf } from '../schemas.ts';

/**
 * The quality metrics (docs: the metrics contract; docs/decisions/0007).
 * Parameters arrive as text and are checked by the domain, so every problem
 * names its parameter as a JSON pointer ('/measure', '/by/1', '/filter/0').
 * Every endpoint also answers format=csv: the same rows as a file, each
 * download written to the audit log (metrics.export) by the domain.
 */

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const badRequest = { ...commonErrors, 400: Type.Ref('Error') };

const FILTER_WORDS = `Comma list of dimension:value (${DIMENSIONS.join(', ')}); a dimension repeated = either value. Ids for organisation dimensions and policy; label keys; severity none|critical|high|medium|low; tenure_band nesting|ramping|established|unknown.`;
const FILTER_EXAMPLE = 'vendor:00000000-0000-4000-8000-000000000001,workflow:00000000-0000-4000-8000-000000000002';
const Filter = Type.Optional(Type.String({ description: FILTER_WORDS, examples: [FILTER_EXAMPLE] }));
const ReviewFilter = Type.Optional(
  Type.String({
    description: `${FILTER_WORDS} Also error_type:<key> and root_cause:<key>: a review matches when its error types / root causes include the key (as the Pareto chart counts them).`,
    examples: [FILTER_EXAMPLE, 'error_type:false_negative'],
  }),
);
const From = Type.Optional(Type.String({ description: 'First decision day, YYYY-MM-DD (UTC); default: 89 days before to' }));
const To = Type.Optional(Type.String({ description: 'Last decision day, YYYY-MM-DD (UTC); default: today' }));
const Grain = (fallback: string) => Type.Optional(Type.String({ description: `day | week (from Monday) | month; ${fallback}` }));
const Format = Type.Optional(Type.String({ description: 'json (default) | csv (a download, recorded in the audit log)' }));

/** A 200 that is JSON, or with format=csv a text/csv attachment. */
function jsonOrCsv<S extends TSchema>(schema: S, csv: string) {
  return {
    description: `The JSON below, or with format=csv ${csv} (text/csv, as an attachment)`,
    content: { 'application/json': { schema }, 'text/csv': { schema: Type.String() } },
  };
}

function answer<T>(reply: FastifyReply, result: ExportAnswer<T>): T | FastifyReply {
  if (result.format === 'json') return result.body;
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${result.fileName}"`).send(result.body);
}

const Estimate = {
  value: Nullable(Type.Number()),
  lower: Nullable(Type.Number()),
  upper: Nullable(Type.Number()),
  se: Nullable(Type.Number({ description: 'Null for census measures' })),
  n: Type.Integer({ description: "Reviewed items behind the figure (in its denominator); decisions for aht and volume" }),
  N: Type.Number({ description: 'Estimated population (sum of weights); n for unweighted and census measures' }),
  tooFew: Type.Boolean({ description: 'n < minN' }),
  sampleValue: Nullable(Type.Number({ description: 'Unweighted sample figure (proportions only)' })),
};

const Group = Type.Object({
  key: Type.Record(Type.String(), Type.String(), { description: "Dimension -> id or key ('' = none)" }),
  names: Type.Record(Type.String(), Nullable(Type.String())),
  period: Nullable(Type.String({ description: 'First day of the period' })),
  ...Estimate,
  shrunk: Nullable(Type.Number({ description: 'Empirical Bayes estimate shrunk toward the overall' })),
  versusOverall: Type.Union([Type.Literal('above'), Type.Literal('below'), Type.Literal('within')], { description: "The group's interval alone excludes the overall value" }),
  pValue: Nullable(Type.Number({ description: 'Two-sided p-value of value = overall (the test the interval inverts); null when not compared' })),
  qValue: Nullable(Type.Number({ description: 'pValue adjusted for all groups of the response (Benjamini-Hochberg)' })),
  credibleVersusOverall: Type.Union([Type.Literal('above'), Type.Literal('below'), Type.Literal('within')], {
    description: 'The mark to show: qValue <= 1 - confidence, controlling the false discovery rate over the groups',
  }),
});

const MetricsBody = Type.Object({
  measure: Type.String(),
  title: Type.String(),
  kind: Type.Union([Type.Literal('proportion'), Type.Literal('mean'), Type.Literal('duration'), Type.Literal('count')]),
  by: Type.Array(Type.String()),
  grain: Nullable(Type.String()),
  from: Type.String(),
  to: Type.String(),
  confidence: Type.Number(),
  minN: Type.Integer(),
  overall: Type.Object(Estimate),
  groups: Type.Array(Group),
});

const ControlChartBody = Type.Object({
  measure: Type.String(),
  title: Type.String(),
  charted: Type.Union([Type.Literal('error_rate'), Type.Literal('rate')]),
  grain: Type.String(),
  from: Type.String(),
  to: Type.String(),
  centre: Nullable(Type.Number()),
  points: Type.Array(
    Type.Object({
      period: Type.String(),
      p: Type.Number(),
      n: Type.Integer(),
      nEffective: Type.Number({ description: 'Design-effective sample size used in the limits' }),
      lower: Type.Number({ description: 'Lower control limit (centre - 3 sigma)' }),
      upper: Type.Number({ description: 'Upper control limit (centre + 3 sigma)' }),
      z: Nullable(Type.Number()),
      rules: Type.Array(Type.Integer()),
      signal: Type.Boolean(),
    }),
  ),
  rules: Type.Record(Type.String(), Type.String()),
  reason: Type.Optional(Type.String()),
});

const ParetoBody = Type.Object({
  kind: Type.String(),
  from: Type.String(),
  to: Type.String(),
  total: Type.Integer(),
  items: Type.Array(Type.Object({ key: Type.String(), n: Type.Integer(), weighted: Type.Number(), share: Type.Number(), cumulativeShare: Type.Number() })),
});

const LabelsAction = Type.Object({ labels: Type.Array(Type.String()), action: Type.String() });
const ReviewSummary = Type.Object({
  id: Uuid,
  taskId: Uuid,
  decisionId: Uuid,
  workflowId: Uuid,
  workflowName: Type.String(),
  vendorId: Uuid,
  vendorName: Nullable(Type.String()),
  siteId: Uuid,
  teamId: Nullable(Uuid),
  agentId: Uuid,
  agentName: Nullable(Type.String()),
  reviewerId: Uuid,
  reviewerName: Nullable(Type.String()),
  scorecardVersionId: Uuid,
  scorecardVersion: Nullable(Type.Integer()),
  blind: Type.Boolean(),
  revision: Type.Integer(),
  verdict: LabelsAction,
  decision: Type.Object({ labels: Type.Array(Type.String()), action: Type.String(), decidedAt: DateTime }),
  score: Type.Number(),
  passed: Type.Boolean(),
  criticalFailed: Type.Boolean(),
  correct: Type.Boolean(),
  errorTypes: Type.Array(Type.String()),
  rootCauses: Type.Array(Type.String()),
  policyUnclear: Type.Boolean(),
  timeOnTaskMs: Type.Number(),
  submittedAt: DateTime,
  acknowledgedAt: Nullable(DateTime),
});

export const metricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/metrics',
    {
      config: { access: { permission: 'metrics.read' } },
      schema: {
        tags: ['Metrics'],
        summary: 'A quality measure by up to two dimensions and a period, with design-based intervals (format=csv: the groups as a CSV download, audited)',
        querystring: Type.Object({
          measure: Type.String({ description: `One of: ${MEASURE_NAMES.join(', ')}` }),
          by: Type.Optional(Type.String({ description: `Comma list of at most 2 of: ${DIMENSIONS.join(', ')}` })),
          filter: Filter,
          from: From,
          to: To,
          grain: Grain('none by default'),
          confidence: Type.Optional(Type.Number({ description: 'Confidence level, default 0.95' })),
          minN: Type.Optional(Type.Integer({ description: 'Groups with fewer reviews are flagged tooFew; default 30' })),
          format: Format,
        }),
        response: { 200: jsonOrCsv(MetricsBody, 'one line per group'), ...badRequest },
      },
    },
    async (request, reply) => answer(reply, await request.db((trx) => getMetrics(trx, request.actor(), request.query))),
  );

  app.get(
    '/api/metrics/control-chart',
    {
      config: { access: { permission: 'metrics.read' } },
      schema: {
        tags: ['Metrics'],
        summary: 'p-chart of a measure per period with the Western Electric rules (accuracy is charted as its error rate); weighted measures use design-effective sample sizes',
        querystring: Type.Object({
          measure: Type.String({ description: `One of: ${CONTROL_CHART_MEASURES.join(', ')}` }),
          grain: Grain('default week'),
          filter: Filter,
          from: From,
          to: To,
          format: Format,
        }),
        response: { 200: jsonOrCsv(ControlChartBody, 'one line per point'), ...badRequest },
      },
    },
    async (request, reply) => answer(reply, await request.db((trx) => getControlChart(trx, request.actor(), request.query))),
  );

  app.get(
    '/api/metrics/pareto',
    {
      config: { access: { permission: 'metrics.read' } },
      schema: {
        tags: ['Metrics'],
        summary: 'Error types or root causes found in reviews, most frequent first, with shares and cumulative shares by count',
        querystring: Type.Object({
          kind: Type.String({ description: 'error_type | root_cause' }),
          filter: Filter,
          from: From,
          to: To,
          format: Format,
        }),
        response: { 200: jsonOrCsv(ParetoBody, 'one line per item'), ...badRequest },
      },
    },
    async (request, reply) => answer(reply, await request.db((trx) => getPareto(trx, request.actor(), request.query))),
  );

  app.get(
    '/api/metrics/reviews',
    {
      config: { access: { permission: 'metrics.read' } },
      schema: {
        tags: ['Metrics'],
        summary: "The reviews behind a figure: the slice (and period), the measure's denominator, with outcome=failing those counting against it (format=csv: every matching review, at most 50,000)",
        querystring: Type.Object({
          filter: ReviewFilter,
          from: From,
          to: To,
          period: Type.Optional(Type.String({ description: 'First day of a period (with grain, default week)' })),
          grain: Grain('default week when period is given'),
          measure: Type.Optional(Type.String({ description: `One of: ${DRILL_DOWN_MEASURES.join(', ')}` })),
          outcome: Type.Optional(Type.String({ description: 'failing: only the reviews that count against the measure' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size (ignored by format=csv)' })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0, description: 'Ignored by format=csv' })),
          format: Type.Optional(
            Type.String({ description: 'json (default) | csv: every matching review in the same order, not a page; 422 when more than 50,000 match (audited)' }),
          ),
        }),
        response: { 200: jsonOrCsv(ListOf(ReviewSummary), 'one line per review'), ...badRequest },
      },
    },
    async (request, reply) => answer(reply, await request.db((trx) => getMetricReviews(trx, request.actor(), request.query, pageOf(request.query)))),
  );
};
