import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as people from '../../domain/org/people.service.ts';
import { commonErrors, IdParams, ListOf, Nullable, PageQuery, pageOf } from '../schemas.ts';

const JobRole = Type.Union([
  Type.Literal('agent'),
  Type.Literal('qa_specialist'),
  Type.Literal('qa_lead'),
  Type.Literal('trainer'),
  Type.Literal('manager'),
  Type.Literal('policy_sme'),
  Type.Literal('analyst'),
]);

const PersonStatus = Type.Union([Type.Literal('active'), Type.Literal('on_leave'), Type.Literal('inactive')]);

const Person = Type.Object({
  id: Type.String({ format: 'uuid' }),
  vendorId: Type.String({ format: 'uuid' }),
  vendorName: Type.String(),
  siteId: Type.String({ format: 'uuid' }),
  siteName: Type.String(),
  teamId: Nullable(Type.String({ format: 'uuid' })),
  teamName: Nullable(Type.String()),
  fullName: Type.String(),
  email: Nullable(Type.String()),
  employeeRef: Nullable(Type.String()),
  jobRole: JobRole,
  hireDate: Type.String({ format: 'date' }),
  tenureDays: Type.Integer({ minimum: 0 }),
  languages: Type.Array(Type.String(), { description: 'BCP 47 tags, canonicalised (pt-BR)' }),
  workflowIds: Type.Array(Type.String({ format: 'uuid' })),
  status: PersonStatus,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const fields = {
  teamId: Type.Optional(Nullable(Type.String({ format: 'uuid', description: 'A team at the same site, or null' }))),
  fullName: Type.String({ maxLength: 300 }),
  email: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
  employeeRef: Type.Optional(Nullable(Type.String({ maxLength: 100, description: "The vendor's own reference" }))),
  jobRole: JobRole,
  hireDate: Type.String({ maxLength: 20, description: 'YYYY-MM-DD' }),
  languages: Type.Array(Type.String({ maxLength: 35 }), { maxItems: 30 }),
  workflowIds: Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100, description: 'Workflows this person is skilled in' }),
  status: Type.Optional(PersonStatus),
};

const PersonBody = Type.Object(
  { siteId: Type.String({ format: 'uuid', description: "The person's vendor is their site's" }), ...fields },
  { additionalProperties: false },
);

const PersonPatch = Type.Object(
  {
    siteId: Type.Optional(Type.String({ format: 'uuid', description: 'Moves the person (within scope); the vendor follows the site' })),
    teamId: fields.teamId,
    fullName: Type.Optional(fields.fullName),
    email: fields.email,
    employeeRef: fields.employeeRef,
    jobRole: Type.Optional(JobRole),
    hireDate: Type.Optional(fields.hireDate),
    languages: Type.Optional(fields.languages),
    workflowIds: Type.Optional(fields.workflowIds),
    status: fields.status,
  },
  { additionalProperties: false },
);

export const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/people',
    {
      config: { access: { permission: 'org.read' } },
      schema: {
        tags: ['Organisation'],
        summary: 'People in scope, by name; q searches name, email and employee reference',
        querystring: Type.Object({
          ...PageQuery,
          vendorId: Type.Optional(Type.String({ format: 'uuid' })),
          siteId: Type.Optional(Type.String({ format: 'uuid' })),
          teamId: Type.Optional(Type.String({ format: 'uuid' })),
          workflowId: Type.Optional(Type.String({ format: 'uuid' })),
          jobRole: Type.Optional(JobRole),
          status: Type.Optional(PersonStatus),
        }),
        response: { 200: ListOf(Person), ...commonErrors },
      },
    },
    (request) => request.db((trx) => people.listPeople(trx, request.query, pageOf(request.query))),
  );

  app.post(
    '/api/people',
    {
      config: { access: { permission: 'org.write' } },
      schema: { tags: ['Organisation'], summary: 'Add a person at a site', body: PersonBody, response: { 201: Person, ...commonErrors, 409: Type.Ref('Error') } },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => people.createPerson(trx, request.actor(), request.body))),
  );

  app.get(
    '/api/people/:id',
    {
      config: { access: { permission: 'org.read' } },
      schema: { tags: ['Organisation'], summary: 'One person', params: IdParams, response: { 200: Person, ...commonErrors } },
    },
    (request) => request.db((trx) => people.getPerson(trx, request.params.id)),
  );

  app.patch(
    '/api/people/:id',
    {
      config: { access: { permission: 'org.write' } },
      schema: {
        tags: ['Organisation'],
        summary: 'Edit, move, put on leave or deactivate (status inactive) a person; workflowIds replaces the skill set',
        params: IdParams,
        body: PersonPatch,
        response: { 200: Person, ...commonErrors, 409: Type.Ref('Error') },
      },
    },
    (request) => request.db((trx) => people.updatePerson(trx, request.actor(), request.params.id, request.body)),
  );
};
