import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

export const auditingRoutes: FastifyPluginAsyncTypebox = async () => {};
