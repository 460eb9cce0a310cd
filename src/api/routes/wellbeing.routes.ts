import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const wellbeingRoutes: FastifyPluginAsyncTypebox = async () => {};
