import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { trainingContentRoutes } from './training-content.routes.ts';
import { trainingEnrolmentRoutes } from './training-enrolment.routes.ts';
import { trainingLearningRoutes } from './training-learning.routes.ts';
import { trainingCertificationRoutes } from './training-certification.routes.ts';

/** Training (issue 7): content, assessments, enrolment, "My learning", certifications. Operations live in training-operations.routes.ts. */
export const trainingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(trainingContentRoutes);
  await app.register(trainingEnrolmentRoutes);
  await app.register(trainingLearningRoutes);
  await app.register(trainingCertificationRoutes);
};
