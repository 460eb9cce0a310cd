import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as escalations from '../../domain/reviews/escalations.service.ts';
import * as reads from '../../domain/reviews/review-reads.service.ts';
import { submitReview } from '../../domain/reviews/review-submit.service.ts';
import * as workspace from '../../domain/reviews/workspace.service.ts';
import { commonErrors, IdParams, ListOf, Nullable, PageQuery, pageOf } from '../schemas.ts';
import { Definition as ScorecardDefinition } from './scorecards.routes.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Day = Type.String({ format: 'date' });
const conflictErrors = { ...commonErrors, 409: Type.Ref('Error') };

const Answer = Type.Object(
  {
    questionKey: Type.String({ minLength: 1, maxLength: 80 }),
    // Number first: the validator coerces types, and a string branch first would turn a scale answer 5 into "5".
    value: Type.Union([Type.Number(), Type.String({ maxLength: 80 })], { description: "yes_no: 'yes' | 'no' | 'na'; choice: option key; scale: 1..5" }),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
    rootCause: Type.Optional(Type.String({ maxLength: 80 })),
  },
  { additionalProperties: false },
);
const Answers = Type.Array(Answer, { maxItems: 200 });
const Verdict = Type.Object(
  {
    labels: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50, description: 'Policy labels; empty = no violation' }),
    action: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);
const LabelsAction = Type.Object({ labels: Type.Array(Type.String()), action: Type.String() });

const Draft = Type.Object({
  verdict: Nullable(LabelsAction),
  answers: Answers,
  decisionRevealed: Type.Boolean(),
  activeMs: Type.Number(),
  scorecardVersionId: Uuid,
  startedAt: DateTime,
  updatedAt: DateTime,
});

export const Display = Type.Object({
  tier: Type.String(),
  blur: Type.Boolean(),
  greyscale: Type.Boolean(),
  mute: Type.Boolean(),
  warningScreen: Type.Boolean(),
  adjustable: Type.Array(Type.String()),
});

const Workspace = Type.Object({
  task: Type.Object({ id: Uuid, status: Type.String(), dueAt: DateTime, claimedAt: Nullable(DateTime), leaseExpiresAt: Nullable(DateTime) }),
  decision: Type.Object(
    {
      id: Uuid,
      labels: Nullable(Type.Array(Type.String())),
      action: Nullable(Type.String()),
      severity: Nullable(Type.String()),
      content: Type.Object({ kind: Type.String(), text: Nullable(Type.String()), url: Nullable(Type.String()), language: Nullable(Type.String()) }),
    },
    { additionalProperties: true, description: "labels, action and severity are null while blind and the reviewer's own verdict is not recorded" },
  ),
  context: Type.Object({}, { additionalProperties: true }),
  policies: Type.Array(
    Type.Object({
      policyKey: Type.String(),
      policyName: Type.String(),
      versionId: Uuid,
      version: Type.Integer(),
      effectiveFrom: DateTime,
      summary: Type.String(),
      labels: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), severity: Type.String(), description: Type.String() })),
      actions: Type.Array(Type.String()),
    }),
  ),
  scorecard: Type.Object({ id: Uuid, version: Type.Integer(), name: Type.String(), definition: ScorecardDefinition }),
  blind: Type.Boolean(),
  draft: Draft,
  wellbeing: Display,
});

const Review = Type.Object(
  {
    id: Uuid,
    taskId: Uuid,
    decisionId: Uuid,
    workflowId: Uuid,
    agentId: Uuid,
    reviewerId: Uuid,
    scorecardVersionId: Uuid,
    blind: Type.Boolean(),
    revision: Type.Integer(),
    verdict: LabelsAction,
    score: Type.Number(),
    passed: Type.Boolean(),
    criticalFailed: Type.Boolean(),
    correct: Type.Boolean(),
    errorTypes: Type.Array(Type.String()),
    rootCauses: Type.Array(Type.String()),
    timeOnTaskMs: Type.Number(),
    submittedAt: DateTime,
    acknowledgedAt: Nullable(DateTime),
  },
  { additionalProperties: true },
);

const Escalation = Type.Object(
  { id: Uuid, kind: Type.String(), decisionId: Uuid, labels: Type.Array(Type.String()), note: Type.String(), status: Type.String(), answer: Nullable(Type.String()) },
  { additionalProperties: true },
);

export const reviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/qa/tasks/:id/workspace',
    {
      config: { access: { permission: 'qa.review' } },
      schema: {
        tags: ['Reviews'],
        summary: 'Open the review workspace of a task you hold: the item (content view, audited), context, policies in force, scorecard, draft, display protections',
        params: IdParams,
        response: { 200: Workspace, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => workspace.openWorkspace(trx, request.actor(), request.params.id)),
  );

  app.put(
    '/api/qa/tasks/:id/draft',
    {
      config: { access: { permission: 'qa.review' } },
      schema: {
        tags: ['Reviews'],
        summary: `Autosave the draft: answers replace the saved ones; activeMsDelta adds active time (at most ${workspace.MAX_ACTIVE_MS_PER_SAVE} ms per save)`,
        params: IdParams,
        body: Type.Object({ answers: Type.Optional(Answers), activeMsDelta: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
        response: { 200: Draft, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => workspace.saveDraft(trx, request.actor(), request.params.id, request.body)),
  );

  app.post(
    '/api/qa/tasks/:id/verdict',
    {
      config: { access: { permission: 'qa.review' } },
      schema: {
        tags: ['Reviews'],
        summary: "Record your own label and action; in blind mode this reveals the agent's decision. Changing it after the reveal makes the review non-blind.",
        params: IdParams,
        body: Verdict,
        response: {
          200: Type.Object({ verdict: LabelsAction, blind: Type.Boolean(), decision: Type.Object({ labels: Type.Array(Type.String()), action: Type.String(), severity: Nullable(Type.String()) }), draft: Draft }),
          ...conflictErrors,
        },
      },
    },
    (request) => request.db((trx) => workspace.recordVerdict(trx, request.actor(), request.params.id, request.body)),
  );

  app.post(
    '/api/qa/tasks/:id/review',
    {
      config: { access: { permission: 'qa.review' } },
      schema: {
        tags: ['Reviews'],
        summary: 'Submit the review: scored on the server, the task completed. 409 when the task is closed, not yours, reassigned, already reviewed, or the scorecard version is stale.',
        params: IdParams,
        body: Type.Object(
          {
            scorecardVersionId: Uuid,
            verdict: Verdict,
            answers: Answers,
            policyUnclear: Type.Optional(Type.Object({ note: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false, description: 'Flag a gray area for a policy SME' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Review, ...conflictErrors },
      },
    },
    async (request, reply) => {
      const review = await request.db((trx) => submitReview(trx, request.actor(), request.params.id, request.body));
      return reply.status(201).send(review);
    },
  );

  app.get(
    '/api/reviews',
    {
      config: { access: { permission: 'reviews.read' } },
      schema: {
        tags: ['Reviews'],
        summary: 'Reviews in scope, newest first (agents: their own)',
        querystring: Type.Object({
          ...PageQuery,
          workflowId: Type.Optional(Uuid),
          vendorId: Type.Optional(Uuid),
          agentId: Type.Optional(Uuid),
          reviewerId: Type.Optional(Uuid),
          from: Type.Optional(Day),
          to: Type.Optional(Day),
          passed: Type.Optional(Type.Boolean()),
          acknowledged: Type.Optional(Type.Boolean()),
        }),
        response: { 200: ListOf(Review), ...commonErrors },
      },
    },
    (request) => request.db((trx) => reads.listReviews(trx, request.query, pageOf(request.query))),
  );

  app.get(
    '/api/reviews/:id',
    {
      config: { access: { permission: 'reviews.read' } },
      schema: { tags: ['Reviews'], summary: 'One review with question texts, revisions, comments and disputes', params: IdParams, response: { 200: Review, ...commonErrors } },
    },
    (request) => request.db((trx) => reads.getReview(trx, request.params.id)),
  );

  app.get(
    '/api/escalations',
    {
      // Policy SMEs answer, QA managers watch: either permission (checked in the service).
      config: { access: { signedIn: true } },
      schema: {
        tags: ['Escalations'],
        summary: 'Gray-area escalations in scope, newest first (escalations.answer or qa.manage)',
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('answered'), Type.Literal('closed')])),
          workflowId: Type.Optional(Uuid),
        }),
        response: { 200: ListOf(Escalation), ...commonErrors },
      },
    },
    (request) => request.db((trx) => escalations.listEscalations(trx, request.actor(), request.query, pageOf(request.query))),
  );

  app.post(
    '/api/escalations/:id/answer',
    {
      config: { access: { permission: 'escalations.answer' } },
      schema: {
        tags: ['Escalations'],
        summary: 'Answer an open escalation',
        params: IdParams,
        body: Type.Object({ answer: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
        response: { 200: Escalation, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => escalations.answerEscalation(trx, request.actor(), request.params.id, request.body.answer)),
  );
};
