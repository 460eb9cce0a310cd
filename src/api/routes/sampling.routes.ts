import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const samplingRoutes: FastifyPluginAsyncTypebox = async () => {};
