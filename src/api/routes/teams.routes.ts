import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as teams from '../../domain/org/teams.service.ts';
import { commonErrors, IdParams, ListOf, Nullable, PageQuery, pageOf, Status } from '../schemas.ts';

const Team = Type.Object({
  id: Type.String({ format: 'uuid' }),
  vendorId: Type.String({ format: 'uuid' }),
  vendorName: Type.String(),
  siteId: Type.String({ format: 'uuid' }),
  siteName: Type.String(),
  name: Type.String(),
  workflowId: Nullable(Type.String({ format: 'uuid' })),
  workflowName: Nullable(Type.String()),
  status: Status,
  peopleCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const TeamBody = Type.Object(
  {
    siteId: Type.String({ format: 'uuid', description: "The team's vendor is its site's" }),
    name: Type.String({ maxLength: 200 }),
    workflowId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

const TeamPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    workflowId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

export const teamsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/teams',
    {
      config: { access: { permission: 'org.read' } },
      schema: {
        tags: ['Organisation'],
        summary: 'Teams in scope',
        querystring: Type.Object({
          ...PageQuery,
          vendorId: Type.Optional(Type.String({ format: 'uuid' })),
          siteId: Type.Optional(Type.String({ format: 'uuid' })),
          workflowId: Type.Optional(Type.String({ format: 'uuid' })),
          status: Type.Optional(Status),
        }),
        response: { 200: ListOf(Team), ...commonErrors },
      },
    },
    (request) => request.db((trx) => teams.listTeams(trx, request.query, pageOf(request.query))),
  );

  app.post(
    '/api/teams',
    {
      config: { access: { permission: 'org.write' } },
      schema: { tags: ['Organisation'], summary: 'Add a team to a site', body: TeamBody, response: { 201: Team, ...commonErrors, 409: Type.Ref('Error') } },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => teams.createTeam(trx, request.actor(), request.body))),
  );

  app.get(
    '/api/teams/:id',
    {
      config: { access: { permission: 'org.read' } },
      schema: { tags: ['Organisation'], summary: 'One team', params: IdParams, response: { 200: Team, ...commonErrors } },
    },
    (request) => request.db((trx) => teams.getTeam(trx, request.params.id)),
  );

  app.patch(
    '/api/teams/:id',
    {
      config: { access: { permission: 'org.write' } },
      schema: {
        tags: ['Organisation'],
        summary: 'Edit, deactivate (status inactive) or reactivate a team; its site cannot change',
        params: IdParams,
        body: TeamPatch,
        response: { 200: Team, ...commonErrors, 409: Type.Ref('Error') },
      },
    },
    (request) => request.db((trx) => teams.updateTeam(trx, request.actor(), request.params.id, request.body)),
  );
};
