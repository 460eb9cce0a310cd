import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const scorecardRoutes: FastifyPluginAsyncTypebox = async () => {};
