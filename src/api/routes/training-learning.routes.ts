import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@fastify/type-provider-typebox';
import * as learning from '../../domain/training/learning.service.ts';
import { commonErrors, IdParams } from '../schemas.ts';
import { Award } from './training-certification.routes.ts';
import { Enrolment } from './training-enrolment.routes.ts';

const Uuid = Type.String({ format: 'uuid' });
const tags = ['My learning'];
const DateTime = Type.String({ format: 'date-time' });
// Null first: with type coercion on, a null tried against the integer branch first would become 0.
const Nullable = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);
const conflictErrors = { ...commonErrors, 409: Type.Ref('Error') };
const Severity = Type.Union([Type.Literal('critical'), Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]);
const Tier = Type.Union([Type.Literal('critical'), Type.Literal('high'), Type.Literal('medium'), Type.Literal('low'), Type.Literal('none')]);
const Protection = Type.Union([Type.Literal('blur'), Type.Literal('greyscale'), Type.Literal('mute')]);

// Response shapes: they mirror MyEnrolment, AssessmentSummary and AttemptView (learning.service.ts,
// training.types.ts) exactly, since Fastify drops any property a response schema does not name.
export const ModuleView = Type.Object({
  id: Uuid,
  position: Type.Integer(),
  title: Type.String(),
  bodyMd: Type.String(),
  required: Type.Boolean(),
  policyExcerpts: Type.Array(Type.Object({ policyVersionId: Uuid, policyKey: Type.String(), policyName: Type.String(), version: Type.Integer(), quote: Type.String() })),
  attachments: Type.Array(Type.Object({ id: Uuid, fileName: Type.String(), contentType: Type.String(), sizeBytes: Type.Integer() })),
});
export const AssessmentSummary = Type.Object({
  id: Uuid,
  passMark: Type.Number(),
  timeLimitMinutes: Nullable(Type.Integer()),
  attemptsAllowed: Nullable(Type.Integer()),
  attemptsUsed: Type.Integer(),
  attemptsLeft: Nullable(Type.Integer()),
  formSize: Type.Integer(),
  openAttemptId: Nullable(Uuid),
  bestScore: Nullable(Type.Number()),
  passed: Type.Boolean(),
  attempts: Type.Array(
    Type.Object({
      id: Uuid,
      number: Type.Integer(),
      status: Type.String(),
      startedAt: DateTime,
      submittedAt: Nullable(DateTime),
      score: Nullable(Type.Number()),
      passed: Nullable(Type.Boolean()),
    }),
  ),
});
export const MyEnrolment = Type.Intersect([
  Enrolment,
  Type.Object({
    modules: Type.Array(Type.Intersect([ModuleView, Type.Object({ viewedAt: Nullable(DateTime) })])),
    modulesViewed: Type.Integer(),
    modulesRequired: Type.Integer(),
    assessment: Nullable(AssessmentSummary),
    canStartAssessment: Type.Boolean(),
  }),
]);
export const FormItem = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('true_false'), Type.Literal('case')]),
  stem: Type.String(),
  options: Type.Array(Type.Object({ id: Type.String(), text: Type.String() })),
  multiple: Type.Boolean(),
  points: Type.Number(),
  case: Nullable(
    Type.Object({
      decisionId: Uuid,
      externalId: Type.String(),
      workflowName: Type.String(),
      severity: Nullable(Severity),
      decidedAt: DateTime,
      content: Type.Object({ kind: Type.String(), text: Nullable(Type.String()), url: Nullable(Type.String()), language: Nullable(Type.String()) }),
      display: Type.Object({ tier: Tier, blur: Type.Boolean(), greyscale: Type.Boolean(), mute: Type.Boolean(), warningScreen: Type.Boolean(), adjustable: Type.Array(Protection) }),
    }),
  ),
});
export const AttemptResult = Type.Object({
  score: Type.Number(),
  passed: Type.Boolean(),
  pointsEarned: Type.Number(),
  pointsPossible: Type.Number(),
  passMark: Type.Number(),
  answers: Type.Array(
    Type.Object({
      itemId: Uuid,
      selectedOptionIds: Type.Array(Type.String()),
      correctOptionIds: Type.Array(Type.String()),
      correct: Type.Boolean(),
      explanation: Type.String(),
      knownAction: Nullable(Type.String()),
    }),
  ),
  enrolmentCompleted: Type.Boolean(),
});
export const AttemptView = Type.Object({
  id: Uuid,
  enrolmentId: Uuid,
  attemptNumber: Type.Integer(),
  status: Type.Union([Type.Literal('in_progress'), Type.Literal('submitted'), Type.Literal('expired')]),
  startedAt: DateTime,
  deadlineAt: Nullable(DateTime),
  remainingMs: Nullable(Type.Integer()),
  items: Type.Array(FormItem),
  result: Nullable(AttemptResult),
});

/** The learner's own training: everyone has 'training.learn'; every call acts on the caller's own person. */
export const trainingLearningRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/training/my',
    { config: { access: { permission: 'training.learn' } }, schema: {
        tags,
        summary: 'My enrolments (with due dates) and my certifications',
        response: { 200: Type.Object({ linked: Type.Boolean(), enrolments: Type.Array(Enrolment), certifications: Type.Array(Award) }), ...commonErrors },
      },
    },
    (request) => request.db((trx) => learning.myLearning(trx, request.actor())),
  );
  app.get(
    '/api/training/my/enrolments/:id',
    { config: { access: { permission: 'training.learn' } }, schema: { tags, summary: 'One of my enrolments: modules, progress, assessment (no answers)', params: IdParams, response: { 200: MyEnrolment, ...commonErrors } } },
    (request) => request.db((trx) => learning.myEnrolment(trx, request.actor(), request.params.id)),
  );
  app.post(
    '/api/training/my/enrolments/:id/modules/:moduleId/view',
    {
      config: { access: { permission: 'training.learn' } },
      schema: {
        tags,
        summary: 'Record that I read a module (progress; may complete the enrolment)',
        params: Type.Object({ id: Uuid, moduleId: Uuid }),
        response: { 200: MyEnrolment, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => learning.viewModule(trx, request.actor(), request.params.id, request.params.moduleId)),
  );
  app.post(
    '/api/training/my/enrolments/:id/attempts',
    {
      config: { access: { permission: 'training.learn' } },
      schema: { tags, summary: 'Start (or resume) an assessment attempt: a randomised form without the answers', params: IdParams, response: { 201: AttemptView, ...conflictErrors } },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => learning.startAttempt(trx, request.actor(), request.params.id))),
  );
  app.get(
    '/api/training/my/attempts/:id',
    { config: { access: { permission: 'training.learn' } }, schema: { tags, summary: 'An attempt of mine: the form, or the result once submitted', params: IdParams, response: { 200: AttemptView, ...commonErrors } } },
    (request) => request.db((trx) => learning.getAttempt(trx, request.actor(), request.params.id)),
  );
  app.post(
    '/api/training/my/attempts/:id/submit',
    {
      config: { access: { permission: 'training.learn' } },
      schema: {
        tags,
        summary: 'Submit my answers (refused after the time limit); the result and the answers come back',
        params: IdParams,
        body: Type.Object(
          { answers: Type.Array(Type.Object({ itemId: Uuid, optionIds: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 26 }) }, { additionalProperties: false }), { maxItems: 500 }) },
          { additionalProperties: false },
        ),
        response: { 200: AttemptView, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => learning.submitAttempt(trx, request.actor(), request.params.id, request.body.answers)),
  );
};
