import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const trainingRoutes: FastifyPluginAsyncTypebox = async () => {};
