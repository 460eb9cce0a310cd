import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as plans from '../../domain/sampling/sampling-plans.service.ts';
import { verifyDayForActor } from '../../domain/sampling/sampling-verify.service.ts';
import { commonErrors, IdParams, ListOf, Nullable } from '../schemas.ts';

const Strings = Type.Array(Type.String());

const Conditions = Type.Object(
  {
    positive: Type.Optional(Type.Boolean({ description: 'true: at least one label; false: no label' })),
    labels: Type.Optional(Strings),
    severities: Type.Optional(Strings),
    vendorIds: Type.Optional(Strings),
    siteIds: Type.Optional(Strings),
    tenureBands: Type.Optional(Strings),
    modelScoreBands: Type.Optional(Strings),
  },
  { description: 'Every given field must match; values within a field are alternatives' },
);

const Band = Type.Object({ key: Type.String(), below: Nullable(Type.Number()) });

const StratumRule = Type.Object({
  key: Type.String(),
  name: Type.String(),
  when: Conditions,
  stratifyBy: Strings,
  mode: Type.Union([Type.Literal('all'), Type.Literal('rate'), Type.Literal('quota')]),
  rate: Type.Optional(Type.Number()),
  quota: Type.Optional(Type.Object({ perAgent: Type.Integer(), period: Type.String() })),
  dailyCap: Type.Optional(Nullable(Type.Integer())),
});

const Definition = Type.Object(
  {
    tenureBands: Type.Array(Band),
    modelScoreBands: Type.Array(Band),
    strata: Type.Array(StratumRule, { description: 'Ordered: a decision falls in the first rule it matches; the last matches all' }),
    riskWeights: Type.Array(Type.Object({ when: Conditions, weight: Type.Number() })),
    assumedAccuracy: Type.Number(),
  },
  { description: 'A sampling plan definition (docs/decisions/0004-sampling-design.md)' },
);

const DefinitionInput = Type.Unknown({
  description: 'A sampling plan definition, shaped like `definition` in the answers; checked by the server, problems reported at /definition/...',
});

const PlanStatus = Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Literal('superseded')]);
const DateTime = Type.String({ format: 'date-time' });

const VersionSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  version: Type.Integer(),
  status: PlanStatus,
  name: Type.String(),
  effectiveFrom: Nullable(DateTime),
  createdAt: DateTime,
  activatedAt: Nullable(DateTime),
  inForce: Type.Boolean({ description: 'Whether this version places the decisions made now' }),
});

const PlanVersion = Type.Object({
  id: Type.String({ format: 'uuid' }),
  workflowId: Type.String({ format: 'uuid' }),
  version: Type.Integer(),
  status: PlanStatus,
  name: Type.String(),
  notes: Type.String(),
  definition: Definition,
  seed: Nullable(Type.String({ description: 'Shown only to users who may change plans for every vendor; null otherwise' })),
  effectiveFrom: Nullable(DateTime),
  createdAt: DateTime,
  createdBy: Nullable(Type.String()),
  activatedAt: Nullable(DateTime),
  activatedBy: Nullable(Type.String()),
  updatedAt: DateTime,
  inForce: Type.Boolean(),
});

const WorkflowPlan = Type.Object({
  workflowId: Type.String({ format: 'uuid' }),
  workflowKey: Type.String(),
  workflowName: Type.String(),
  active: Nullable(VersionSummary),
  draft: Nullable(VersionSummary),
  versions: Type.Integer({ description: 'Number of versions, the draft included' }),
});

const PreviewStratum = Type.Object({
  stratumKey: Type.String(),
  ruleKey: Type.String(),
  name: Type.String(),
  mode: Type.String(),
  dailyPopulation: Type.Number(),
  dailyExpectedSample: Type.Number(),
  expectedRate: Type.Number(),
  marginOfErrorWeek: Type.Number(),
});

const Preview = Type.Object({
  from: Type.String({ description: 'First UTC day of the history read' }),
  to: Type.String({ description: 'Last UTC day (yesterday)' }),
  days: Type.Integer(),
  observedDays: Type.Integer({ description: 'Days averaged over: from the first day with decisions to `to`' }),
  decisions: Type.Integer(),
  sampledFraction: Type.Number({ description: '1 when every decision was read; less on very large queues (a deterministic subset, scaled up)' }),
  assumedAccuracy: Type.Number(),
  strata: Type.Array(PreviewStratum),
  total: Type.Object({
    dailyPopulation: Type.Number(),
    dailyExpectedSample: Type.Number(),
    marginOfErrorDay: Type.Number(),
    marginOfErrorWeek: Type.Number(),
    marginOfErrorMonth: Type.Number(),
  }),
  note: Nullable(Type.String()),
});

const VerifyReport = Type.Object({
  planVersionId: Type.String({ format: 'uuid' }),
  day: Type.String(),
  closed: Type.Boolean(),
  closedAt: Nullable(DateTime),
  checked: Type.Integer(),
  mismatches: Type.Integer(),
  details: Type.Array(
    Type.Object({
      decisionId: Nullable(Type.String()),
      stratumKey: Nullable(Type.String()),
      field: Type.String(),
      expected: Type.Unknown(),
      actual: Type.Unknown(),
    }),
  ),
  lateArrivals: Type.Integer(),
  partial: Type.Boolean(),
  skippedStrata: Type.Array(Type.String()),
});

const WorkflowParams = Type.Object({ workflowId: Type.String({ format: 'uuid' }) });
const conflictError = { 409: Type.Ref('Error') };
const tags = ['Sampling'];

export const samplingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/sampling-plans',
    {
      config: { access: { permission: 'sampling.read' } },
      schema: { tags, summary: 'Every workflow with its active plan version and draft', response: { 200: ListOf(WorkflowPlan), ...commonErrors } },
    },
    (request) => request.db((trx) => plans.listPlans(trx, request.actor())),
  );

  app.post(
    '/api/sampling-plans/preview',
    {
      config: { access: { permission: 'sampling.read' } },
      schema: {
        tags,
        summary: 'What a definition would sample from the last days of the workflow (the decisions you can see)',
        body: Type.Object(
          {
            workflowId: Type.String({ format: 'uuid' }),
            definition: DefinitionInput,
            days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, description: 'Full UTC days of history, default 28' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Preview, ...commonErrors },
      },
    },
    (request) => request.db((trx) => plans.previewPlanForWorkflow(trx, request.actor(), request.body)),
  );

  app.get(
    '/api/sampling-plans/:workflowId/versions',
    {
      config: { access: { permission: 'sampling.read' } },
      schema: { tags, summary: "A workflow's plan versions, newest first", params: WorkflowParams, response: { 200: ListOf(PlanVersion), ...commonErrors } },
    },
    (request) => request.db((trx) => plans.listPlanVersions(trx, request.actor(), request.params.workflowId)),
  );

  app.post(
    '/api/sampling-plans/:workflowId/versions',
    {
      config: { access: { permission: 'sampling.write' } },
      preValidation: async (request) => {
        (request as { body: unknown }).body ??= {};
      },
      schema: {
        tags,
        summary: 'Start a draft (one per workflow); without a definition, a copy of the active version or the default plan. The body may be omitted.',
        params: WorkflowParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 1000, description: 'Default "Version N"' })),
            notes: Type.Optional(Type.String({ maxLength: 10_000 })),
            definition: Type.Optional(DefinitionInput),
            from: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('default')], { description: 'Where an omitted definition comes from; default active' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: PlanVersion, ...commonErrors, ...conflictError },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await request.db((trx) => plans.createDraft(trx, request.actor(), request.params.workflowId, request.body))),
  );

  app.get(
    '/api/sampling-plan-versions/:id',
    {
      config: { access: { permission: 'sampling.read' } },
      schema: { tags, summary: 'One plan version in full', params: IdParams, response: { 200: PlanVersion, ...commonErrors } },
    },
    (request) => request.db((trx) => plans.getPlanVersion(trx, request.actor(), request.params.id)),
  );

  app.put(
    '/api/sampling-plan-versions/:id',
    {
      config: { access: { permission: 'sampling.write' } },
      schema: {
        tags,
        summary: 'Replace a draft (an activated version never changes: 409)',
        params: IdParams,
        body: Type.Object(
          { name: Type.String({ maxLength: 1000 }), notes: Type.Optional(Type.String({ maxLength: 10_000 })), definition: DefinitionInput },
          { additionalProperties: false },
        ),
        response: { 200: PlanVersion, ...commonErrors, ...conflictError },
      },
    },
    (request) => request.db((trx) => plans.updateDraft(trx, request.actor(), request.params.id, request.body)),
  );

  app.delete(
    '/api/sampling-plan-versions/:id',
    {
      config: { access: { permission: 'sampling.write' } },
      schema: { tags, summary: 'Discard a draft', params: IdParams, response: { 204: Type.Null(), ...commonErrors, ...conflictError } },
    },
    async (request, reply) => {
      await request.db((trx) => plans.discardDraft(trx, request.actor(), request.params.id));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/sampling-plan-versions/:id/activate',
    {
      config: { access: { permission: 'sampling.write' } },
      // The body may be left out (activate now): validate it as {}.
      preValidation: async (request) => {
        (request as { body: unknown }).body ??= {};
      },
      schema: {
        tags,
        summary: 'Activate a draft (now, or at a later moment); the previous active version is superseded. The body may be omitted.',
        params: IdParams,
        body: Type.Object(
          { effectiveFrom: Type.Optional(Type.String({ maxLength: 40, description: 'ISO date-time with offset, not in the past; default now' })) },
          { additionalProperties: false },
        ),
        response: { 200: PlanVersion, ...commonErrors, ...conflictError },
      },
    },
    (request) => request.db((trx) => plans.activateVersion(trx, request.actor(), request.params.id, request.body)),
  );

  app.get(
    '/api/sampling-plan-versions/:id/verify',
    {
      config: { access: { permission: 'sampling.read' } },
      schema: {
        tags,
        summary: "Recompute one UTC day's placement and selection from the stored decisions and compare (sampling is deterministic)",
        params: IdParams,
        querystring: Type.Object({ day: Type.String({ maxLength: 10, description: 'YYYY-MM-DD (UTC)' }) }),
        response: { 200: VerifyReport, ...commonErrors, ...conflictError },
      },
    },
    (request) => request.db((trx) => verifyDayForActor(trx, request.actor(), request.params.id, request.query.day)),
  );
};
