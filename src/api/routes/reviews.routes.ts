import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const reviewRoutes: FastifyPluginAsyncTypebox = async () => {};
