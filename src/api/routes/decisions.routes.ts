import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { ndjsonLines } from '../../domain/decisions/decision-streams.ts';
import * as decisions from '../../domain/decisions/decisions.service.ts';
import { ingestDecisions } from '../../domain/decisions/ingest.service.ts';
import { AppError } from '../../domain/errors.ts';
import { commonErrors, IdParams, ListOf, Nullable, pageOf } from '../schemas.ts';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD (UTC)' });
const Uuid = Type.String({ format: 'uuid' });
const SeverityFilter = Type.Union(['critical', 'high', 'medium', 'low', 'none'].map((s) => Type.Literal(s)));

const IngestSummary = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(Type.Object({ line: Type.Integer(), field: Type.String(), message: Type.String() }), {
    description: 'The first 1000 rejected lines; rejectedCount has them all',
  }),
  rejectedCount: Type.Integer(),
  sampled: Type.Integer({ description: 'Accepted decisions selected for QA at ingestion' }),
});

const DecisionSummary = Type.Object({
  id: Uuid,
  source: Type.String(),
  externalId: Type.String(),
  workflowId: Uuid,
  workflowName: Type.String(),
  agentId: Uuid,
  agentName: Type.String(),
  vendorId: Uuid,
  vendorName: Type.String(),
  siteId: Uuid,
  siteName: Type.String(),
  teamId: Nullable(Uuid),
  teamName: Nullable(Type.String()),
  decidedAt: Type.String({ format: 'date-time' }),
  labels: Type.Array(Type.String()),
  severity: Nullable(Type.String()),
  action: Type.String(),
  handleTimeMs: Type.Integer(),
  contentKind: Type.String(),
  contentLanguage: Nullable(Type.String()),
  modelScore: Nullable(Type.Number()),
  tenureDays: Type.Integer(),
  policyVersionIds: Type.Array(Uuid),
  sample: Nullable(Type.Object({ stratumKey: Type.String(), inclusionProbability: Type.Number(), method: Type.String() })),
  task: Nullable(Type.Object({ id: Uuid, status: Type.String(), dueAt: Type.String({ format: 'date-time' }) })),
});

const DecisionDetail = Type.Intersect([
  DecisionSummary,
  Type.Object({
    content: Type.Object({ kind: Type.String(), text: Nullable(Type.String()), url: Nullable(Type.String()), language: Nullable(Type.String()) }),
    metadata: Type.Record(Type.String(), Type.Unknown()),
    policyVersions: Type.Array(
      Type.Object({ id: Uuid, policyKey: Type.String(), policyName: Type.String(), version: Type.Integer(), effectiveFrom: Type.String({ format: 'date-time' }) }),
    ),
    sampling: Nullable(
      Type.Object({ planVersionId: Uuid, planVersion: Nullable(Type.Integer()), stratumKey: Nullable(Type.String()), p: Nullable(Type.Number()), u: Nullable(Type.Number()) }),
    ),
    ingestedAt: Type.String({ format: 'date-time' }),
  }),
]);

const orgFilters = {
  workflowId: Type.Optional(Uuid),
  vendorId: Type.Optional(Uuid),
  siteId: Type.Optional(Uuid),
  teamId: Type.Optional(Uuid),
  agentId: Type.Optional(Uuid),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
};

export const decisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The body is handed over as a stream: a million lines are never held in memory.
  app.addContentTypeParser(['application/x-ndjson', 'application/jsonl'], (_request, payload, done) => done(null, payload));

  app.post(
    '/api/decisions',
    {
      config: { access: { permission: 'decisions.ingest' } },
      schema: {
        tags: ['Decisions'],
        summary: 'Ingest decisions: NDJSON, one decision per line (Content-Encoding: gzip accepted); idempotent per source and external_id',
        description:
          'Each line: {source, external_id, workflow, agent, decided_at, labels, action, handle_time_ms, content: {kind, text|url, language}, model_score?, metadata?}. ' +
          'A known decision sent again counts as a duplicate; different content under a known id is rejected as a conflict. Invalid lines are listed with their line number and never block valid ones.',
        response: { 200: IngestSummary, ...commonErrors, 415: Type.Ref('Error') },
      },
    },
    async (request) => {
      const body = request.body as Readable | undefined;
      if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function') {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send decisions as application/x-ndjson, one JSON object per line.');
      }
      const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
      if (encoding !== 'identity' && encoding !== 'gzip') throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Encoding must be gzip or none.');
      const stream = encoding === 'gzip' ? body.pipe(createGunzip()) : body;
      // A broken gzip stream is the client's fault: say so instead of a 500.
      const failed = new Promise<never>((_, reject) =>
        stream.once('error', (error) => reject(new AppError('BAD_REQUEST', `The request body could not be read: ${error.message}`))),
      );
      return Promise.race([ingestDecisions(request.server.database, request.actor(), ndjsonLines(stream)), failed]);
    },
  );

  app.get(
    '/api/decisions',
    {
      config: { access: { permission: 'decisions.read' } },
      schema: {
        tags: ['Decisions'],
        summary: 'Decisions in scope, newest first (no content; open one to see it)',
        querystring: Type.Object({
          id: Type.Optional(Type.String({ format: 'uuid', description: "One decision's summary, without its content (not audited)" })),
          ...orgFilters,
          label: Type.Optional(Type.String({ maxLength: 120 })),
          severity: Type.Optional(SeverityFilter),
          sampled: Type.Optional(Type.Boolean()),
          reviewed: Type.Optional(Type.Boolean({ description: 'true: only decisions with a submitted primary QA review (a known answer); false: only those without' })),
          q: Type.Optional(Type.String({ maxLength: 200, description: 'External id (exact)' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
        }),
        response: { 200: ListOf(DecisionSummary), ...commonErrors },
      },
    },
    (request) => {
      const { limit, offset, ...filter } = request.query;
      return request.db((trx) => decisions.listDecisions(trx, filter as Parameters<typeof decisions.listDecisions>[1], pageOf({ limit, offset })));
    },
  );

  app.get(
    '/api/decisions/:id',
    {
      config: { access: { permission: 'decisions.read' } },
      schema: { tags: ['Decisions'], summary: 'One decision with its content (audit-logged)', params: IdParams, response: { 200: DecisionDetail, ...commonErrors } },
    },
    (request) => request.db((trx) => decisions.viewDecision(trx, request.actor(), request.params.id)),
  );

  app.get(
    '/api/production/daily',
    {
      config: { access: { permission: 'decisions.read' } },
      schema: {
        tags: ['Decisions'],
        summary: 'Decisions per day and average handle time, from the production aggregates',
        querystring: Type.Object(orgFilters),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ day: Type.String(), decisions: Type.Number(), ahtMs: Nullable(Type.Integer()) })) }), ...commonErrors },
      },
    },
    (request) => request.db((trx) => decisions.productionDaily(trx, request.query)),
  );
};
