import type { FastifyPluginAsync } from 'fastify';

/** The xAPI Learning Record Store at /xapi (issue 8). */
export const xapiRoutes: FastifyPluginAsync = async () => {};
