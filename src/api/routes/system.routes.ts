import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { completeSetup, setupNeeded } from '../../domain/auth/setup.service.ts';
import { AppError } from '../../domain/errors.ts';
import { UserSchema } from './users.routes.ts';

export const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/health',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['System'],
        summary: 'Liveness and database reachability',
        response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.Literal('ok') }), 503: Type.Ref('Error') },
      },
    },
    async () => {
      try {
        await sql`SELECT 1`.execute(app.database);
      } catch {
        throw new AppError('UNAVAILABLE', 'The database is not reachable.');
      }
      return { status: 'ok' as const, database: 'ok' as const };
    },
  );

  app.get(
    '/api/setup',
    {
      config: { access: { public: true } },
      schema: { tags: ['System'], summary: 'Whether this install still needs its first administrator', response: { 200: Type.Object({ needed: Type.Boolean() }) } },
    },
    async () => ({ needed: await setupNeeded(app.database) }),
  );

  app.post(
    '/api/setup',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['System'],
        summary: 'Create the first administrator with the one-time setup code printed in the server console',
        body: Type.Object(
          {
            setupCode: Type.String({ maxLength: 40 }),
            email: Type.String({ maxLength: 254 }),
            displayName: Type.String({ maxLength: 200 }),
            password: Type.String({ maxLength: 1024 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: UserSchema, 409: Type.Ref('Error'), 422: Type.Ref('Error') },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await completeSetup(app.database, request.body, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: String(request.id) })),
  );
};
