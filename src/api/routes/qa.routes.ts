import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const qaRoutes: FastifyPluginAsyncTypebox = async () => {};
