import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { browseStatements } from '../../domain/xapi/xapi-browse.service.ts';
import * as credentials from '../../domain/xapi/xapi-credentials.service.ts';
import { commonErrors, IdParams, Nullable } from '../schemas.ts';

/** Admin management of the Basic-auth credentials learning tools use against /xapi (docs/decisions/0011). */

const Access = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('read_write')]);

const Credential = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  key: Type.String({ description: 'The Basic-auth user name' }),
  vendorId: Nullable(Type.String({ format: 'uuid' })),
  vendorName: Nullable(Type.String()),
  access: Access,
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
});

const StatementSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  stored: Type.String({ format: 'date-time' }),
  timestamp: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  verb: Type.String(),
  object: Type.String(),
  success: Nullable(Type.Boolean()),
  scaled: Nullable(Type.Number()),
  voided: Type.Boolean(),
  credentialName: Nullable(Type.String()),
  vendorName: Nullable(Type.String()),
});

export const xapiCredentialRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const access = { access: { permission: 'xapi.manage' as const } };
  const tags = ['xAPI'];

  app.get(
    '/api/xapi/credentials',
    { config: access, schema: { tags, summary: 'xAPI credentials in your scope, active first', response: { 200: Type.Object({ items: Type.Array(Credential) }), ...commonErrors } } },
    async (request) => ({ items: await request.db((trx) => credentials.listCredentials(trx)) }),
  );

  app.post(
    '/api/xapi/credentials',
    {
      config: access,
      schema: {
        tags,
        summary: 'Create a credential for one integration. The secret is shown once.',
        body: Type.Object(
          {
            name: Type.String({ maxLength: 200 }),
            vendorId: Nullable(Type.String({ format: 'uuid', description: 'null = organisation-wide' })),
            access: Access,
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ ...Credential.properties, secret: Type.String({ description: 'The Basic-auth password: shown this once' }) }), ...commonErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => credentials.createCredential(trx, request.actor(), request.body))),
  );

  app.get(
    '/api/xapi/statements',
    {
      config: access,
      schema: {
        tags,
        summary: 'The latest statements in the LRS within your scope, one line each (audited)',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), before: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(StatementSummary), nextBefore: Nullable(Type.String()) }), ...commonErrors },
      },
    },
    (request) => request.db((trx) => browseStatements(trx, request.actor(), request.query)),
  );

  app.delete(
    '/api/xapi/credentials/:id',
    { config: access, schema: { tags, summary: 'Revoke a credential (immediately)', params: IdParams, response: { 200: Credential, ...commonErrors } } },
    (request) => request.db((trx) => credentials.revokeCredential(trx, request.actor(), request.params.id)),
  );
};
