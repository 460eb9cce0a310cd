import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as doubleReview from '../../domain/auditing/double-review.service.ts';
import * as feed from '../../domain/auditing/gold-feed.service.ts';
import { reviewerQuality } from '../../domain/auditing/reviewer-quality.service.ts';
import { commonErrors, Nullable, ProportionInterval } from '../schemas.ts';

const Uuid = Type.String({ format: 'uuid' });
const Day = Type.String({ format: 'date' });

const Flagged = Type.Intersect([ProportionInterval, Type.Object({ tooFew: Type.Boolean() })]);
const Coefficient = Type.Object({ value: Nullable(Type.Number()), lower: Nullable(Type.Number()), upper: Nullable(Type.Number()), reason: Nullable(Type.String()) });
const Agreement = Type.Object({ percentAgreement: ProportionInterval, ac1: Coefficient, kappa: Coefficient });
const Difference = Type.Object({
  estimate: Nullable(Type.Number()),
  lower: Type.Number(),
  upper: Type.Number(),
  vendorRate: Nullable(Type.Number()),
  internalRate: Nullable(Type.Number()),
  n: Type.Integer(),
  discordant: Type.Object({ vendorOnly: Type.Integer(), internalOnly: Type.Integer() }),
});
const Group = {
  vendorId: Uuid,
  vendorName: Nullable(Type.String()),
  reviewerId: Nullable(Uuid),
  reviewerName: Nullable(Type.String()),
  n: Type.Integer(),
  correctness: Agreement,
  label: Agreement,
  leniency: Difference,
  accuracyGap: Difference,
  inflated: Type.Boolean({ description: "The flag to show: a vendor's leniency interval lies above the tolerance; for a reviewer, after Holm's adjustment over the vendor's reviewers" }),
  inflatedAlone: Type.Boolean({ description: 'The leniency interval alone lies above the tolerance' }),
  leniencyP: Type.Number({ description: 'One-sided p-value of leniency > tolerance (from the paired interval)' }),
  tooFew: Type.Boolean(),
  tolerance: Type.Number(),
};
const Filter = {
  workflowId: Type.Optional(Uuid),
  vendorId: Type.Optional(Uuid),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  confidence: Type.Optional(Type.Number({ minimum: 0.5, maximum: 0.999 })),
};

export const auditingResultRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/auditing/double-reviews/run',
    {
      config: { access: { permission: 'auditing.manage' } },
      schema: {
        tags: ['Auditing'],
        summary: "Draw new vendor-QA reviews with each workflow's seed and make blind internal tasks of the selected ones (internal QA only)",
        body: Type.Object({ workflowId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            workflows: Type.Array(Type.Object({ workflowId: Uuid, drawn: Type.Integer(), selected: Type.Integer(), tasks: Type.Integer(), assigned: Type.Integer() })),
          }),
          ...commonErrors,
        },
      },
    },
    (request) => request.db((trx) => doubleReview.runDoubleReview(trx, request.actor(), request.body ?? {})),
  );

  app.get(
    '/api/auditing/double-reviews/results',
    {
      config: { access: { permission: 'auditing.read' } },
      schema: {
        tags: ['Auditing'],
        summary: 'Per vendor and vendor-QA reviewer: agreement with internal QA (percent, AC1, kappa), leniency and accuracy gap with paired intervals, inflated flag',
        querystring: Type.Object(Filter),
        response: {
          200: Type.Object({
            tolerance: Type.Number(),
            confidence: Type.Number(),
            vendors: Type.Array(Type.Object({ ...Group, reviewers: Type.Array(Type.Object(Group)) })),
            progress: Type.Array(Type.Object({ workflowId: Uuid, drawn: Type.Integer(), selected: Type.Integer(), openTasks: Type.Integer(), completed: Type.Integer() })),
          }),
          ...commonErrors,
        },
      },
    },
    (request) => request.db((trx) => doubleReview.doubleReviewResults(trx, request.actor(), request.query)),
  );

  app.get(
    '/api/auditing/reviewer-quality',
    {
      config: { access: { permission: 'auditing.read' } },
      schema: {
        tags: ['Auditing'],
        summary: 'Per QA reviewer in scope: accuracy against gold, agreement with peers on double reviews, dispute overturn rate, each with n and a Wilson interval',
        querystring: Type.Object(Filter),
        response: {
          200: Type.Object({
            confidence: Type.Number(),
            minN: Type.Integer(),
            items: Type.Array(
              Type.Object({
                reviewerId: Uuid,
                name: Type.String(),
                vendorId: Uuid,
                vendorName: Nullable(Type.String()),
                inHouse: Type.Boolean(),
                reviews: Type.Integer(),
                goldAccuracy: Flagged,
                goldLabelAccuracy: ProportionInterval,
                goldActionAccuracy: ProportionInterval,
                peerAgreement: Flagged,
                disputeRate: ProportionInterval,
                overturnRate: Flagged,
              }),
            ),
          }),
          ...commonErrors,
        },
      },
    },
    (request) => request.db((trx) => reviewerQuality(trx, request.actor(), request.query)),
  );

  app.get(
    '/api/auditing/agent-gold',
    {
      config: { access: { permission: 'auditing.read' } },
      schema: {
        tags: ['Auditing'],
        summary: "Per agent in scope: accuracy on gold items fed to agents' queues upstream, with Wilson intervals",
        querystring: Type.Object(Filter),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ agentId: Uuid, agentName: Nullable(Type.String()), vendorId: Uuid, vendorName: Nullable(Type.String()), accuracy: ProportionInterval, labelAccuracy: ProportionInterval, actionAccuracy: ProportionInterval }),
            ),
          }),
          ...commonErrors,
        },
      },
    },
    async (request) => ({ items: await request.db((trx) => feed.agentGoldResults(trx, request.actor(), request.query)) }),
  );

  app.post(
    '/api/auditing/gold-feed',
    {
      config: { access: { permission: 'decisions.ingest' } },
      schema: {
        tags: ['Auditing'],
        summary: "Gold items for the upstream tool to put in agents' queues: content only; send the agent's decision back with the item's id as external_id (audited)",
        body: Type.Object({ workflowId: Uuid, vendorId: Type.Optional(Uuid), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Uuid,
                workflowId: Uuid,
                content: Type.Object({ kind: Type.String(), text: Nullable(Type.String()), url: Nullable(Type.String()), language: Nullable(Type.String()) }),
                severity: Nullable(Type.String()),
              }),
            ),
          }),
          ...commonErrors,
        },
      },
    },
    (request) => request.db((trx) => feed.pullGoldFeed(trx, request.actor(), request.body)),
  );
};
