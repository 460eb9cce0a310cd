import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as policies from '../../domain/policy/policies.service.ts';
import { commonErrors, IdParams, ListOf, Nullable, PageQuery, pageOf, Status } from '../schemas.ts';

const Severity = Type.Union([Type.Literal('critical'), Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]);

const Label = Type.Object({
  key: Type.String(),
  name: Type.String(),
  severity: Severity,
  description: Type.String(),
});

const PolicyVersion = Type.Object({
  id: Type.String({ format: 'uuid' }),
  version: Type.Integer({ minimum: 1 }),
  effectiveFrom: Type.String({ format: 'date-time' }),
  summary: Type.String(),
  labels: Type.Array(Label),
  allowedActions: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  inForce: Type.Boolean({ description: 'Whether this is the version in force now' }),
});

const summaryFields = {
  id: Type.String({ format: 'uuid' }),
  key: Type.String(),
  name: Type.String(),
  description: Type.String(),
  status: Status,
  currentVersion: Nullable(
    Type.Object({ id: Type.String({ format: 'uuid' }), version: Type.Integer(), effectiveFrom: Type.String({ format: 'date-time' }) }),
  ),
  versionCount: Type.Integer(),
  workflowIds: Type.Array(Type.String({ format: 'uuid' })),
};

const PolicySummary = Type.Object(summaryFields);
const Policy = Type.Object({ ...summaryFields, versions: Type.Array(PolicyVersion, { description: 'Newest first' }) });

const LabelBody = Type.Object(
  {
    key: Type.String({ maxLength: 200, description: 'Dotted lower-case key, like hate.slur; unique within the version' }),
    name: Type.String({ maxLength: 200 }),
    severity: Severity,
    description: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);

const VersionBody = Type.Object(
  {
    effectiveFrom: Type.String({
      maxLength: 40,
      description: 'ISO date-time with offset, like 2025-03-01T00:00:00Z; after the latest existing version',
    }),
    summary: Type.String({ maxLength: 5000, description: 'What changed' }),
    labels: Type.Array(LabelBody, { maxItems: 500 }),
    allowedActions: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 100, description: 'Enforcement action keys' }),
  },
  { additionalProperties: false },
);

const PolicyBody = Type.Object(
  {
    key: Type.String({ maxLength: 60, description: 'Immutable: lower-case letters, digits and underscores, like hate_speech' }),
    name: Type.String({ maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    initialVersion: Type.Optional(VersionBody),
  },
  { additionalProperties: false },
);

const PolicyPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

export const policiesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/policies',
    {
      config: { access: { permission: 'policy.read' } },
      schema: {
        tags: ['Policy'],
        summary: 'Policies with the version in force now',
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(Status),
          workflowId: Type.Optional(Type.String({ format: 'uuid' })),
        }),
        response: { 200: ListOf(PolicySummary), ...commonErrors },
      },
    },
    (request) => request.db((trx) => policies.listPolicies(trx, request.query, pageOf(request.query))),
  );

  app.post(
    '/api/policies',
    {
      config: { access: { permission: 'policy.write' } },
      schema: {
        tags: ['Policy'],
        summary: 'Add a policy, optionally with its first version',
        body: PolicyBody,
        response: { 201: Policy, ...commonErrors, 409: Type.Ref('Error') },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => policies.createPolicy(trx, request.actor(), request.body))),
  );

  app.get(
    '/api/policies/:id',
    {
      config: { access: { permission: 'policy.read' } },
      schema: { tags: ['Policy'], summary: 'One policy with all its versions, newest first', params: IdParams, response: { 200: Policy, ...commonErrors } },
    },
    (request) => request.db((trx) => policies.getPolicy(trx, request.params.id)),
  );

  app.patch(
    '/api/policies/:id',
    {
      config: { access: { permission: 'policy.write' } },
      schema: {
        tags: ['Policy'],
        summary: 'Rename, describe, deactivate or reactivate a policy (its text changes by new versions)',
        params: IdParams,
        body: PolicyPatch,
        response: { 200: Policy, ...commonErrors },
      },
    },
    (request) => request.db((trx) => policies.updatePolicy(trx, request.actor(), request.params.id, request.body)),
  );

  app.post(
    '/api/policies/:id/versions',
    {
      config: { access: { permission: 'policy.write' } },
      schema: {
        tags: ['Policy'],
        summary: 'Add a version (immutable; numbered after the last; may not take effect before the latest version)',
        params: IdParams,
        body: VersionBody,
        response: { 201: PolicyVersion, ...commonErrors, 409: Type.Ref('Error') },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await request.db((trx) => policies.createVersion(trx, request.actor(), request.params.id, request.body))),
  );
};
