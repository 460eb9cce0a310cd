import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { ROLES, type Role } from '../../domain/access/roles.ts';
import { SCOPE_KINDS, type ScopeKind } from '../../domain/access/scope.ts';
import * as users from '../../domain/auth/users.service.ts';
import { commonErrors, IdParams, ListOf, Nullable, PageQuery, pageOf } from '../schemas.ts';

const RoleSchema = Type.Unsafe<Role>(Type.String({ enum: [...ROLES] }));
const ScopeKindSchema = Type.Unsafe<ScopeKind>(Type.String({ enum: [...SCOPE_KINDS] }));
const ScopeInput = Type.Object(
  { kind: ScopeKindSchema, refId: Nullable(Type.String({ format: 'uuid' })) },
  { additionalProperties: false },
);

export const UserSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  personId: Nullable(Type.String()),
  scope: Type.Object({ kind: ScopeKindSchema, refId: Nullable(Type.String()), label: Type.String() }),
  lastSignInAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const access = { access: { permission: 'users.manage' as const } };

  app.get(
    '/api/users',
    {
      config: access,
      schema: {
        tags: ['Users'],
        summary: 'Users (administrators only)',
        querystring: Type.Object({ ...PageQuery, role: Type.Optional(RoleSchema), status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])) }),
        response: { 200: ListOf(UserSchema), ...commonErrors },
      },
    },
    (request) => request.db((trx) => users.listUsers(trx, request.query, pageOf(request.query))),
  );

  app.post(
    '/api/users',
    {
      config: access,
      schema: {
        tags: ['Users'],
        summary: 'Create a user with a role and a scope',
        body: Type.Object(
          {
            email: Type.String({ maxLength: 254 }),
            displayName: Type.String({ maxLength: 200 }),
            password: Type.Optional(Type.String({ maxLength: 1024 })),
            role: RoleSchema,
            scope: ScopeInput,
            personId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
          },
          { additionalProperties: false },
        ),
        response: { 201: UserSchema, ...commonErrors, 409: Type.Ref('Error') },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => users.createUser(trx, request.actor(), request.body))),
  );

  app.get(
    '/api/users/:id',
    { config: access, schema: { tags: ['Users'], summary: 'One user', params: IdParams, response: { 200: UserSchema, ...commonErrors } } },
    (request) => request.db((trx) => users.getUser(trx, request.params.id)),
  );

  app.patch(
    '/api/users/:id',
    {
      config: access,
      schema: {
        tags: ['Users'],
        summary: 'Change a user: role, scope, status, name or password. Access changes end their sessions.',
        params: IdParams,
        body: Type.Object(
          {
            displayName: Type.Optional(Type.String({ maxLength: 200 })),
            password: Type.Optional(Type.String({ maxLength: 1024 })),
            role: Type.Optional(RoleSchema),
            scope: Type.Optional(ScopeInput),
            personId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
          },
          { additionalProperties: false },
        ),
        response: { 200: UserSchema, ...commonErrors },
      },
    },
    (request) => request.db((trx) => users.updateUser(trx, request.actor(), request.params.id, request.body)),
  );
};
