import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const calibrationRoutes: FastifyPluginAsyncTypebox = async () => {};
