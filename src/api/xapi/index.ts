import type { FastifyPluginAsync } from 'fastify';
import { xapiCredentialRoutes } from './credentials.routes.ts';
import { xapiForwardingRoutes, xapiLinkRoutes } from './links.routes.ts';
import { lrsRoutes } from './lrs.routes.ts';

/** The xAPI Learning Record Store at /xapi (issue 8) and its credential management under /api/xapi. */
export const xapiRoutes: FastifyPluginAsync = async (app) => {
  await app.register(xapiCredentialRoutes);
  await app.register(xapiLinkRoutes);
  await app.register(xapiForwardingRoutes);
  await app.register(lrsRoutes, { prefix: '/xapi' });
};
