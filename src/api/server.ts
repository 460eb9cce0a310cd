import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import type { SecretBox } from '../domain/auth/secret-box.ts';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Db } from '../db/database.ts';
import type { SessionPolicy } from '../domain/auth/auth.service.ts';
import { AppError } from '../domain/errors.ts';
import { registerAccessControl, type RouteAccessEntry } from './access.ts';
import { registerErrorHandling, sendError } from './errors.ts';
import { registerIdempotency } from './idempotency.ts';
import { ErrorBody } from './schemas.ts';
import { auditRoutes } from './routes/audit.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { organisationRoutes } from './routes/index.ts';
import { xapiRoutes } from './xapi/index.ts';
import { systemRoutes } from './routes/system.routes.ts';
import { tokenRoutes } from './routes/tokens.routes.ts';
import { userRoutes } from './routes/users.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    database: Db;
    /** Seals and opens stored secrets (domain/auth/secret-box.ts). */
    secretBox: SecretBox;
    /** Every /api route and who may call it: read by the scope test matrix. */
    routeAccess: RouteAccessEntry[];
  }
}

export interface ServerOptions {
  db: Db;
  policy: SessionPolicy;
  secureCookies: boolean;
  /** Folder with the built web UI; omitted or missing = API only. */
  webDir?: string | null;
  /** A pino logger for request logs; omitted = silent (tests). */
  logger?: FastifyBaseLogger;
  /** Seals secrets the API stores (the xAPI forwarding secret), with the deployment's key. */
  secretBox: SecretBox;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_WEB_DIR = path.resolve(here, '../../web/dist');

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    trustProxy: false,
    bodyLimit: 5 * 1024 * 1024,
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('database', options.db);
  app.decorate('secretBox', options.secretBox);
  app.decorate('routeAccess', [] as RouteAccessEntry[]);
  registerErrorHandling(app);
  // Cookies are parsed in an onRequest hook; it must run before access control's.
  await app.register(cookie);
  registerAccessControl(app, { db: options.db, policy: options.policy, registry: app.routeAccess });
  registerIdempotency(app, options.db);

  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
  });

  app.addSchema(ErrorBody);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Assay API',
        version: '0.1.0',
        description:
          'Quality assurance and training for Trust & Safety operations. Authenticate with the session cookie ' +
          '(browser; writes need the x-csrf-token header) or an API token as "Authorization: Bearer assay_...". ' +
          'Every answer is limited to the caller\'s scope: ids outside it answer 404.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'assay_session' } } },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, () => app.swagger());

  await app.register(systemRoutes);
  await app.register(authRoutes, { policy: options.policy, secureCookies: options.secureCookies });
  await app.register(userRoutes);
  await app.register(tokenRoutes);
  await app.register(auditRoutes);
  for (const routes of organisationRoutes) await app.register(routes);
  await app.register(xapiRoutes);

  const webDir = options.webDir === undefined ? DEFAULT_WEB_DIR : options.webDir;
  const indexHtml = webDir ? path.join(webDir, 'index.html') : null;
  const serveUi = Boolean(webDir && indexHtml && fs.existsSync(indexHtml));
  if (serveUi) await app.register(fastifyStatic, { root: webDir!, wildcard: false, index: false });
  app.setNotFoundHandler((request, reply) => {
    const file = request.url.split('?')[0]!;
    // The UI routes in the browser: any other GET outside /api gets the app shell.
    if (serveUi && request.method === 'GET' && !file.startsWith('/api/') && !file.startsWith('/assets/')) {
      return reply.type('text/html').header('cache-control', 'no-cache').send(fs.createReadStream(indexHtml!));
    }
    return sendError(reply, new AppError('NOT_FOUND', `No route ${request.method} ${file}.`));
  });
  return app;
}
