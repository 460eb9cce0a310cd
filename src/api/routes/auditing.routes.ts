import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as goldItems from '../../domain/auditing/gold-items.service.ts';
import * as settings from '../../domain/auditing/auditing-settings.service.ts';
import { commonErrors, IdParams, Nullable } from '../schemas.ts';
import { auditingResultRoutes } from './auditing-results.routes.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const conflictErrors = { ...commonErrors, 409: Type.Ref('Error') };

const GoldItem = Type.Object({
  id: Uuid,
  workflowId: Uuid,
  sourceDecisionId: Nullable(Uuid),
  vendorId: Nullable(Uuid),
  content: Type.Object({ kind: Type.String(), text: Nullable(Type.String()), url: Nullable(Type.String()), language: Nullable(Type.String()) }),
  severity: Nullable(Type.String()),
  expert: Type.Object({ labels: Type.Array(Type.String()), action: Type.String(), rationale: Type.String(), policyVersionIds: Type.Array(Uuid) }),
  status: Type.Union([Type.Literal('active'), Type.Literal('retired')]),
  createdAt: DateTime,
  retiredAt: Nullable(DateTime),
  usage: Nullable(
    Type.Object({
      reviewerAnswers: Type.Integer(),
      reviewerCorrect: Type.Integer(),
      agentAnswers: Type.Integer(),
      agentCorrect: Type.Integer(),
      openTasks: Type.Integer(),
    }),
  ),
});

const Settings = Type.Object({
  workflowId: Uuid,
  workflowName: Type.String(),
  goldRate: Type.Number({ description: 'Gold tasks per ordinary task given to a reviewer (0 to 0.2)' }),
  doubleReviewRate: Type.Number({ description: 'Share of vendor-QA reviews re-reviewed blind by internal QA (0 to 1)' }),
  leniencyTolerance: Type.Number({ description: 'Leniency (pass-rate points, as a proportion) tolerated before a vendor is flagged' }),
  seed: Type.String(),
  activeGoldItems: Type.Integer(),
  updatedAt: Nullable(DateTime),
});

export const auditingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(auditingResultRoutes);

  app.get(
    '/api/auditing/gold-items',
    {
      config: { access: { permission: 'auditing.manage' } },
      schema: {
        tags: ['Auditing'],
        summary: 'The gold set with expert answers and how reviewers and agents answered each item (internal QA only; audited)',
        querystring: Type.Object({
          workflowId: Type.Optional(Uuid),
          status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('retired')])),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000, default: 500 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(GoldItem) }), ...commonErrors },
      },
    },
    async (request) => ({ items: await request.db((trx) => goldItems.listGold(trx, request.actor(), request.query)) }),
  );

  app.post(
    '/api/auditing/gold-items',
    {
      config: { access: { permission: 'auditing.manage' } },
      schema: {
        tags: ['Auditing'],
        summary: 'A gold item from a decided item (sourceDecisionId) or entered (content), with the expert answer',
        body: Type.Object(
          {
            workflowId: Uuid,
            // Null first: validation coerces types, and a string branch first would turn null into "".
            sourceDecisionId: Type.Optional(Type.Union([Type.Null(), Uuid])),
            vendorId: Type.Optional(Type.Union([Type.Null(), Uuid])),
            content: Type.Optional(
              Type.Object(
                {
                  kind: Type.String({ maxLength: 50 }),
                  text: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 20000 })])),
                  url: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 2000 })])),
                  language: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 35 })])),
                },
                { additionalProperties: false },
              ),
            ),
            severity: Type.Optional(Type.Union([Type.Null(), Type.String()])),
            labels: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 }),
            action: Type.String({ maxLength: 200 }),
            rationale: Type.Optional(Type.String({ maxLength: 4000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: GoldItem, ...conflictErrors },
      },
    },
    async (request, reply) => reply.code(201).send(await request.db((trx) => goldItems.createGold(trx, request.actor(), request.body))),
  );

  app.post(
    '/api/auditing/gold-items/:id/retire',
    {
      config: { access: { permission: 'auditing.manage' } },
      schema: { tags: ['Auditing'], summary: 'Retire a gold item: no new tasks or feed items use it', params: IdParams, response: { 200: GoldItem, ...commonErrors } },
    },
    (request) => request.db((trx) => goldItems.retireGold(trx, request.actor(), request.params.id)),
  );

  app.post(
    '/api/auditing/gold-injections',
    {
      config: { access: { permission: 'auditing.manage' } },
      schema: {
        tags: ['Auditing'],
        summary: "Slip today's gold tasks into reviewers' queues (each workflow's gold rate; a second run the same day adds only what is missing)",
        body: Type.Object({ workflowId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ day: Type.String(), workflows: Type.Array(Type.Object({ workflowId: Uuid, tasks: Type.Integer() })) }),
          ...commonErrors,
        },
      },
    },
    (request) => request.db((trx) => goldItems.injectGoldTasks(trx, request.actor(), request.body ?? {})),
  );

  app.get(
    '/api/auditing/settings',
    {
      config: { access: { permission: 'auditing.read' } },
      schema: {
        tags: ['Auditing'],
        summary: 'Per workflow: gold injection rate, double-review share, leniency tolerance',
        response: { 200: Type.Object({ items: Type.Array(Settings) }), ...commonErrors },
      },
    },
    async (request) => ({ items: await request.db((trx) => settings.listSettings(trx, request.actor())) }),
  );

  app.put(
    '/api/auditing/settings/:id',
    {
      config: { access: { permission: 'auditing.manage' } },
      schema: {
        tags: ['Auditing'],
        summary: "Set a workflow's gold rate, double-review share and leniency tolerance (internal QA only; audited)",
        params: IdParams,
        body: Type.Object(
          {
            goldRate: Type.Optional(Type.Number()),
            doubleReviewRate: Type.Optional(Type.Number()),
            leniencyTolerance: Type.Optional(Type.Number()),
            seed: Type.Optional(Type.String({ maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Settings, ...commonErrors },
      },
    },
    (request) => request.db((trx) => settings.updateSettings(trx, request.actor(), request.params.id, request.body)),
  );
};
