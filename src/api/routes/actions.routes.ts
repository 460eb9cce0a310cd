import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as actions from '../../domain/policy/actions.service.ts';
import { commonErrors, ListOf, PageQuery, pageOf, Status } from '../schemas.ts';

const KEY = '^[a-z][a-z0-9_]{1,48}$';

const Action = Type.Object({
  key: Type.String(),
  name: Type.String(),
  description: Type.String(),
  status: Status,
});

const KeyParams = Type.Object({ key: Type.String({ pattern: KEY }) });

const ActionBody = Type.Object(
  {
    key: Type.String({ maxLength: 60, description: 'Immutable: lower-case letters, digits and underscores, like age_restrict' }),
    name: Type.String({ maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

const ActionPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

export const actionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/actions',
    {
      config: { access: { permission: 'policy.read' } },
      schema: {
        tags: ['Policy'],
        summary: 'Enforcement actions a policy version may allow',
        querystring: Type.Object({ ...PageQuery, status: Type.Optional(Status) }),
        response: { 200: ListOf(Action), ...commonErrors },
      },
    },
    (request) => request.db((trx) => actions.listActions(trx, request.query, pageOf(request.query))),
  );

  app.post(
    '/api/actions',
    {
      config: { access: { permission: 'policy.write' } },
      schema: { tags: ['Policy'], summary: 'Add an enforcement action', body: ActionBody, response: { 201: Action, ...commonErrors, 409: Type.Ref('Error') } },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => actions.createAction(trx, request.actor(), request.body))),
  );

  app.patch(
    '/api/actions/:key',
    {
      config: { access: { permission: 'policy.write' } },
      schema: {
        tags: ['Policy'],
        summary: 'Edit, deactivate or reactivate an enforcement action; the key cannot change',
        params: KeyParams,
        body: ActionPatch,
        response: { 200: Action, ...commonErrors },
      },
    },
    (request) => request.db((trx) => actions.updateAction(trx, request.actor(), request.params.key, request.body)),
  );
};
