import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as workflows from '../../domain/policy/workflows.service.ts';
import { commonErrors, IdParams, ListOf, PageQuery, pageOf, Status } from '../schemas.ts';

const Kind = Type.Union([Type.Literal('moderation'), Type.Literal('support')]);

const Workflow = Type.Object({
  id: Type.String({ format: 'uuid' }),
  key: Type.String(),
  name: Type.String(),
  kind: Kind,
  description: Type.String(),
  status: Status,
  policyIds: Type.Array(Type.String({ format: 'uuid' })),
});

const PolicyIds = Type.Array(Type.String({ format: 'uuid' }), { maxItems: 500, description: "The workflow's policy set" });

const WorkflowBody = Type.Object(
  {
    key: Type.String({ maxLength: 60, description: 'Immutable: lower-case letters, digits and underscores, like video_moderation' }),
    name: Type.String({ maxLength: 200 }),
    kind: Kind,
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    status: Type.Optional(Status),
    policyIds: Type.Optional(PolicyIds),
  },
  { additionalProperties: false },
);

const WorkflowPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    kind: Type.Optional(Kind),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    status: Type.Optional(Status),
    policyIds: Type.Optional(PolicyIds),
  },
  { additionalProperties: false },
);

export const workflowsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/workflows',
    {
      config: { access: { permission: 'policy.read' } },
      schema: {
        tags: ['Policy'],
        summary: 'Workflows (queues), each with its policy set',
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(Status),
          kind: Type.Optional(Kind),
          policyId: Type.Optional(Type.String({ format: 'uuid' })),
        }),
        response: { 200: ListOf(Workflow), ...commonErrors },
      },
    },
    (request) => request.db((trx) => workflows.listWorkflows(trx, request.query, pageOf(request.query))),
  );

  app.post(
    '/api/workflows',
    {
      config: { access: { permission: 'policy.write' } },
      schema: { tags: ['Policy'], summary: 'Add a workflow', body: WorkflowBody, response: { 201: Workflow, ...commonErrors, 409: Type.Ref('Error') } },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => workflows.createWorkflow(trx, request.actor(), request.body))),
  );

  app.get(
    '/api/workflows/:id',
    {
      config: { access: { permission: 'policy.read' } },
      schema: { tags: ['Policy'], summary: 'One workflow', params: IdParams, response: { 200: Workflow, ...commonErrors } },
    },
    (request) => request.db((trx) => workflows.getWorkflow(trx, request.params.id)),
  );

  app.patch(
    '/api/workflows/:id',
    {
      config: { access: { permission: 'policy.write' } },
      schema: {
        tags: ['Policy'],
        summary: 'Edit, deactivate or reactivate a workflow; policyIds replaces the policy set; the key cannot change',
        params: IdParams,
        body: WorkflowPatch,
        response: { 200: Workflow, ...commonErrors, 409: Type.Ref('Error') },
      },
    },
    (request) => request.db((trx) => workflows.updateWorkflow(trx, request.actor(), request.params.id, request.body)),
  );
};
