import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const disputeRoutes: FastifyPluginAsyncTypebox = async () => {};
