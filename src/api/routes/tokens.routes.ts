import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as tokens from '../../domain/auth/tokens.service.ts';
import { commonErrors, IdParams, Nullable } from '../schemas.ts';

const Token = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  prefix: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
  expiresAt: Nullable(Type.String({ format: 'date-time' })),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const access = { access: { permission: 'tokens.own' as const } };

  app.get(
    '/api/tokens',
    { config: access, schema: { tags: ['API tokens'], summary: 'Your API tokens', response: { 200: Type.Object({ items: Type.Array(Token) }), ...commonErrors } } },
    async (request) => ({ items: await request.db((trx) => tokens.listOwnTokens(trx, request.actor())) }),
  );

  app.post(
    '/api/tokens',
    {
      config: access,
      schema: {
        tags: ['API tokens'],
        summary: 'Create an API token carrying your scope. The token is shown once.',
        body: Type.Object(
          { name: Type.String({ maxLength: 200 }), expiresInDays: Type.Optional(Nullable(Type.Integer())) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ ...Token.properties, token: Type.String({ description: 'The secret: shown this once, never again' }) }), ...commonErrors, 409: Type.Ref('Error') },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => tokens.createToken(trx, request.actor(), request.body))),
  );

  app.delete(
    '/api/tokens/:id',
    { config: access, schema: { tags: ['API tokens'], summary: 'Revoke one of your tokens', params: IdParams, response: { 200: Token, ...commonErrors } } },
    (request) => request.db((trx) => tokens.revokeToken(trx, request.actor(), request.params.id)),
  );
};
