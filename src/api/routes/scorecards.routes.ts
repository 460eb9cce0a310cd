import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as scorecards from '../../domain/reviews/scorecards.service.ts';
import { commonErrors, IdParams, Nullable } from '../schemas.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const tags = ['Scorecards'];
const conflictError = { 409: Type.Ref('Error') };

const Status = Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('retired')]);
const ErrorType = Type.Union([
  Type.Literal('false_positive'), Type.Literal('false_negative'), Type.Literal('wrong_policy'), Type.Literal('wrong_action'), Type.Literal('process'),
]);

const Question = Type.Object({
  key: Type.String(),
  text: Type.String(),
  help: Type.Optional(Type.String()),
  kind: Type.Union([Type.Literal('correct_label'), Type.Literal('correct_action'), Type.Literal('yes_no'), Type.Literal('choice'), Type.Literal('scale')], {
    description: 'correct_label and correct_action follow from the reviewer\'s verdict vs the decision; the others are answered',
  }),
  weight: Type.Number({ description: 'Relative weight in the score; 0 = informational' }),
  critical: Type.Boolean({ description: 'Failing it fails the review (score 0)' }),
  allowNotApplicable: Type.Optional(Type.Boolean()),
  options: Type.Optional(Type.Array(Type.Object({ key: Type.String(), label: Type.String(), credit: Type.Number({ description: 'Share of the weight earned, 0..1' }) }))),
  failAtOrBelow: Type.Optional(Type.Integer({ description: 'scale: answers at or below it count as failed' })),
  errorType: Type.Optional(ErrorType),
  shortcut: Type.Optional(Type.String()),
});

export const Definition = Type.Object(
  {
    sections: Type.Array(Type.Object({ key: Type.String(), title: Type.String(), questions: Type.Array(Question) })),
    rootCauses: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
    commentRequiredOnFail: Type.Boolean(),
    passMark: Type.Number(),
  },
  { description: 'A scorecard definition (src/domain/reviews/scorecard.types.ts)' },
);

const DefinitionInput = Type.Unknown({
  description: 'A scorecard definition, shaped like `definition` in the answers; checked by the server, problems reported at /definition/...',
});

const VersionSummary = Type.Object({
  id: Uuid,
  workflowId: Uuid,
  workflowName: Type.String(),
  version: Type.Integer(),
  status: Status,
  name: Type.String(),
  questionCount: Type.Integer(),
  createdAt: DateTime,
  publishedAt: Nullable(DateTime),
  updatedAt: DateTime,
});

const Version = Type.Object({
  ...VersionSummary.properties,
  definition: Definition,
  createdBy: Nullable(Type.String({ description: 'User id' })),
  publishedBy: Nullable(Type.String({ description: 'User id' })),
});

const WorkflowScorecard = Type.Object({
  workflowId: Uuid,
  workflowKey: Type.String(),
  workflowName: Type.String(),
  workflowKind: Type.Union([Type.Literal('moderation'), Type.Literal('support')]),
  workflowStatus: Type.Union([Type.Literal('active'), Type.Literal('inactive')]),
  versions: Type.Integer(),
  published: Nullable(Type.Object({ id: Uuid, version: Type.Integer(), name: Type.String(), publishedAt: Nullable(DateTime) })),
  draft: Nullable(Type.Object({ id: Uuid, version: Type.Integer(), name: Type.String(), updatedAt: Nullable(DateTime) })),
});

const WorkflowParams = Type.Object({ workflowId: Uuid });

export const scorecardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/scorecards',
    {
      config: { access: { permission: 'scorecards.read' } },
      schema: {
        tags,
        summary: "Every workflow with its scorecard: the published version, the draft and how many versions",
        response: { 200: Type.Object({ items: Type.Array(WorkflowScorecard) }), ...commonErrors },
      },
    },
    async (request) => ({ items: await request.db((trx) => scorecards.listScorecards(trx)) }),
  );

  app.get(
    '/api/scorecards/:workflowId/versions',
    {
      config: { access: { permission: 'scorecards.read' } },
      schema: { tags, summary: "A workflow's scorecard versions, newest first", params: WorkflowParams, response: { 200: Type.Object({ items: Type.Array(VersionSummary) }), ...commonErrors } },
    },
    async (request) => ({ items: await request.db((trx) => scorecards.listVersions(trx, request.params.workflowId)) }),
  );

  app.post(
    '/api/scorecards/:workflowId/versions',
    {
      config: { access: { permission: 'scorecards.write' } },
      preValidation: async (request) => {
        (request as { body: unknown }).body ??= {};
      },
      schema: {
        tags,
        summary: 'Start a new version as a draft (one per workflow), copied from the published version or the default scorecard. The body may be omitted.',
        params: WorkflowParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 1000 })),
            from: Type.Optional(Type.Union([Type.Literal('published'), Type.Literal('default')], { description: 'Default: published when there is one' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Version, ...commonErrors, ...conflictError },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await request.db((trx) => scorecards.createDraft(trx, request.actor(), request.params.workflowId, request.body))),
  );

  app.get(
    '/api/scorecard-versions/:id',
    {
      config: { access: { permission: 'scorecards.read' } },
      schema: { tags, summary: 'One scorecard version in full', params: IdParams, response: { 200: Version, ...commonErrors } },
    },
    (request) => request.db((trx) => scorecards.getVersion(trx, request.params.id)),
  );

  app.put(
    '/api/scorecard-versions/:id',
    {
      config: { access: { permission: 'scorecards.write' } },
      schema: {
        tags,
        summary: 'Replace a draft (a published or retired version never changes: 409)',
        params: IdParams,
        body: Type.Object({ name: Type.String({ maxLength: 1000 }), definition: DefinitionInput }, { additionalProperties: false }),
        response: { 200: Version, ...commonErrors, ...conflictError },
      },
    },
    (request) => request.db((trx) => scorecards.updateDraft(trx, request.actor(), request.params.id, request.body)),
  );

  app.delete(
    '/api/scorecard-versions/:id',
    {
      config: { access: { permission: 'scorecards.write' } },
      schema: { tags, summary: 'Discard a draft', params: IdParams, response: { 204: Type.Null(), ...commonErrors, ...conflictError } },
    },
    async (request, reply) => {
      await request.db((trx) => scorecards.discardDraft(trx, request.actor(), request.params.id));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/scorecard-versions/:id/publish',
    {
      config: { access: { permission: 'scorecards.write' } },
      schema: {
        tags,
        summary: "Publish a draft: it becomes the workflow's scorecard and the previous version is retired",
        params: IdParams,
        response: { 200: Version, ...commonErrors, ...conflictError },
      },
    },
    (request) => request.db((trx) => scorecards.publishDraft(trx, request.actor(), request.params.id)),
  );
};
