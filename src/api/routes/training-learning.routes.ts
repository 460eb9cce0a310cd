import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as learning from '../../domain/training/learning.service.ts';
import { IdParams } from '../schemas.ts';

const Uuid = Type.String({ format: 'uuid' });
const tags = ['My learning'];

/** The learner's own training: everyone has 'training.learn'; every call acts on the caller's own person. */
export const trainingLearningRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/training/my',
    { config: { access: { permission: 'training.learn' } }, schema: { tags, summary: 'My enrolments (with due dates) and my certifications' } },
    (request) => request.db((trx) => learning.myLearning(trx, request.actor())),
  );
  app.get(
    '/api/training/my/enrolments/:id',
    { config: { access: { permission: 'training.learn' } }, schema: { tags, summary: 'One of my enrolments: modules, progress, assessment (no answers)', params: IdParams } },
    (request) => request.db((trx) => learning.myEnrolment(trx, request.actor(), request.params.id)),
  );
  app.post(
    '/api/training/my/enrolments/:id/modules/:moduleId/view',
    {
      config: { access: { permission: 'training.learn' } },
      schema: { tags, summary: 'Record that I read a module (progress; may complete the enrolment)', params: Type.Object({ id: Uuid, moduleId: Uuid }) },
    },
    (request) => request.db((trx) => learning.viewModule(trx, request.actor(), request.params.id, request.params.moduleId)),
  );
  app.post(
    '/api/training/my/enrolments/:id/attempts',
    {
      config: { access: { permission: 'training.learn' } },
      schema: { tags, summary: 'Start (or resume) an assessment attempt: a randomised form without the answers', params: IdParams },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => learning.startAttempt(trx, request.actor(), request.params.id))),
  );
  app.get(
    '/api/training/my/attempts/:id',
    { config: { access: { permission: 'training.learn' } }, schema: { tags, summary: 'An attempt of mine: the form, or the result once submitted', params: IdParams } },
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
      },
    },
    (request) => request.db((trx) => learning.submitAttempt(trx, request.actor(), request.params.id, request.body.answers)),
  );
};
