import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as disputes from '../../domain/reviews/disputes.service.ts';
import * as feedback from '../../domain/reviews/feedback.service.ts';
import { commonErrors, IdParams, ListOf, Nullable, pageOf, ProportionInterval } from '../schemas.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const DateOrDateTime = Type.Union([Type.String({ format: 'date' }), DateTime]);
const DisputeStatus = Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('withdrawn')]);
const Outcome = Type.Union([Type.Literal('upheld'), Type.Literal('overturned'), Type.Literal('partly')]);
const conflictErrors = { ...commonErrors, 409: Type.Ref('Error') };

const Verdict = Type.Object(
  { labels: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 }), action: Type.String({ maxLength: 200 }) },
  { additionalProperties: false },
);
const Answer = Type.Object(
  {
    questionKey: Type.String({ maxLength: 100 }),
    value: Type.Union([Type.String({ maxLength: 100 }), Type.Number()]),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
    rootCause: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

const Dispute = Type.Object({
  id: Uuid,
  reviewId: Uuid,
  status: DisputeStatus,
  raisedByUserId: Nullable(Uuid),
  raisedByLabel: Type.String(),
  questionKeys: Type.Array(Type.String(), { description: 'Disputed questions; empty = the whole review' }),
  reason: Type.String(),
  arbiterId: Nullable(Uuid),
  arbiterName: Nullable(Type.String({ description: 'null also when the arbiter is outside your scope' })),
  dueAt: DateTime,
  slaRemainingMs: Nullable(Type.Number({ description: 'Until due; negative once overdue; null when closed' })),
  overdue: Type.Boolean(),
  outcome: Nullable(Outcome),
  outcomeReason: Nullable(Type.String()),
  scoreBefore: Type.Number(),
  scoreAfter: Nullable(Type.Number()),
  createdAt: DateTime,
  resolvedAt: Nullable(DateTime),
  workflowId: Uuid,
  workflowName: Type.String(),
  vendorId: Uuid,
  vendorName: Nullable(Type.String()),
  agentId: Uuid,
  agentName: Nullable(Type.String()),
});

const DisputeDetail = Type.Intersect([
  Dispute,
  Type.Object({
    review: Type.Object({
      id: Uuid,
      revision: Type.Integer(),
      score: Type.Number(),
      reviewerId: Uuid,
      scorecardVersionId: Uuid,
      submittedAt: DateTime,
      qaVerdict: Verdict,
      decision: Verdict,
      answers: Type.Array(Answer),
    }),
    questions: Type.Array(
      Type.Object({
        sectionTitle: Type.String(),
        key: Type.String(),
        text: Type.String(),
        kind: Type.String(),
        weight: Type.Number(),
        critical: Type.Boolean(),
        allowNotApplicable: Type.Boolean(),
        options: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
        disputed: Type.Boolean(),
        answer: Nullable(Answer),
      }),
    ),
    canResolve: Type.Boolean({ description: 'The caller may resolve it now' }),
  }),
]);


export const disputeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/reviews/:id/feedback',
    {
      config: { access: { permission: 'reviews.read' } },
      schema: {
        tags: ['Reviews'],
        summary: "What the caller can do with a review: acknowledge (its agent), dispute (until the window's end), the questions a dispute can name",
        params: IdParams,
        response: {
          200: Type.Object({
            reviewId: Uuid,
            isAgent: Type.Boolean(),
            acknowledgedAt: Nullable(DateTime),
            disputeWindowEndsAt: DateTime,
            disputeWindowOpen: Type.Boolean(),
            openDisputeId: Nullable(Uuid),
            questions: Type.Array(Type.Object({ key: Type.String(), text: Type.String(), sectionTitle: Type.String() })),
          }),
          ...commonErrors,
        },
      },
    },
    (request) => request.db((trx) => feedback.feedbackState(trx, request.actor(), request.params.id)),
  );

  app.post(
    '/api/reviews/:id/acknowledge',
    {
      config: { access: { permission: 'reviews.read' } },
      schema: {
        tags: ['Reviews'],
        summary: 'The agent acknowledges their review (again: no change)',
        params: IdParams,
        response: { 200: Type.Object({ reviewId: Uuid, acknowledgedAt: DateTime }), ...commonErrors },
      },
    },
    (request) => request.db((trx) => feedback.acknowledgeReview(trx, request.actor(), request.params.id)),
  );

  app.post(
    '/api/reviews/:id/comments',
    {
      config: { access: { permission: 'reviews.read' } },
      schema: {
        tags: ['Reviews'],
        summary: 'Comment on a review in scope',
        params: IdParams,
        body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
        response: {
          201: Type.Object({ id: Uuid, reviewId: Uuid, authorUserId: Nullable(Uuid), authorLabel: Type.String(), body: Type.String(), createdAt: DateTime }),
          ...commonErrors,
        },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => feedback.addComment(trx, request.actor(), request.params.id, request.body))),
  );

  app.post(
    '/api/reviews/:id/disputes',
    {
      config: { access: { permission: 'disputes.raise' } },
      schema: {
        tags: ['Disputes'],
        summary: "Dispute a review, whole or per question, within the workflow's dispute window; an arbiter is assigned",
        params: IdParams,
        body: Type.Object(
          {
            reason: Type.String({ minLength: 1, maxLength: 4000 }),
            questionKeys: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 100, description: 'Empty or absent = the whole review' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: DisputeDetail, ...conflictErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => disputes.raiseDispute(trx, request.actor(), request.params.id, request.body))),
  );

  app.get(
    '/api/disputes',
    {
      config: { access: { permission: 'reviews.read' } },
      schema: {
        tags: ['Disputes'],
        summary: 'Disputes in scope, open first by due date; mine=true: those you arbitrate',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
          status: Type.Optional(DisputeStatus),
          overdue: Type.Optional(Type.Boolean()),
          arbiterId: Type.Optional(Uuid),
          mine: Type.Optional(Type.Boolean()),
          reviewId: Type.Optional(Uuid),
        }),
        response: { 200: ListOf(Dispute), ...commonErrors },
      },
    },
    (request) => request.db((trx) => disputes.listDisputes(trx, request.actor(), request.query, pageOf(request.query))),
  );

  app.get(
    '/api/disputes/summary',
    {
      config: { access: { permission: 'reviews.read' } },
      schema: {
        tags: ['Disputes'],
        summary: 'Dispute and overturn rates per vendor or workflow for reviews submitted in [from, to), with Wilson 95% intervals',
        querystring: Type.Object({ from: Type.Optional(DateOrDateTime), to: Type.Optional(DateOrDateTime), by: Type.Optional(Type.Union([Type.Literal('vendor'), Type.Literal('workflow')])) }),
        response: {
          200: Type.Object({
            from: DateTime,
            to: DateTime,
            by: Type.String(),
            groups: Type.Array(
              Type.Object({
                groupId: Uuid,
                groupName: Type.String(),
                reviews: Type.Integer(),
                disputed: Type.Integer({ description: 'Reviews with a dispute' }),
                overturned: Type.Integer({ description: 'Reviews with a dispute overturned in full or in part' }),
                disputeRate: ProportionInterval,
                overturnRate: Type.Union([ProportionInterval], { description: 'Of disputed reviews' }),
              }),
            ),
          }),
          ...commonErrors,
        },
      },
    },
    (request) => request.db((trx) => disputes.disputeSummary(trx, request.query)),
  );

  app.get(
    '/api/disputes/:id',
    {
      config: { access: { permission: 'reviews.read' } },
      schema: { tags: ['Disputes'], summary: 'One dispute with the review, its questions and answers, and the SLA clock', params: IdParams, response: { 200: DisputeDetail, ...commonErrors } },
    },
    (request) => request.db((trx) => disputes.getDispute(trx, request.params.id, new Date(), request.actor())),
  );

  app.post(
    '/api/disputes/:id/resolve',
    {
      config: { access: { permission: 'disputes.arbitrate' } },
      schema: {
        tags: ['Disputes'],
        summary: 'Uphold or overturn (in full or in part) a dispute; an overturn rescored as a new review revision',
        params: IdParams,
        body: Type.Object(
          {
            outcome: Outcome,
            reason: Type.String({ minLength: 1, maxLength: 4000 }),
            verdict: Type.Optional(Verdict),
            answers: Type.Optional(Type.Array(Answer, { maxItems: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: DisputeDetail, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => disputes.resolveDispute(trx, request.actor(), request.params.id, request.body)),
  );

  app.post(
    '/api/disputes/:id/withdraw',
    {
      config: { access: { permission: 'disputes.raise' } },
      schema: { tags: ['Disputes'], summary: 'Withdraw a dispute you raised while it is open', params: IdParams, response: { 200: DisputeDetail, ...conflictErrors } },
    },
    (request) => request.db((trx) => disputes.withdrawDispute(trx, request.actor(), request.params.id)),
  );
};
