import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as sites from '../../domain/org/sites.service.ts';
import { commonErrors, IdParams, ListOf, PageQuery, pageOf, Status } from '../schemas.ts';

const Site = Type.Object({
  id: Type.String({ format: 'uuid' }),
  vendorId: Type.String({ format: 'uuid' }),
  vendorName: Type.String(),
  name: Type.String(),
  countryCode: Type.String({ description: 'ISO 3166-1 alpha-2' }),
  timeZone: Type.String({ description: 'IANA time zone' }),
  status: Status,
  teamCount: Type.Integer(),
  peopleCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const SiteBody = Type.Object(
  {
    vendorId: Type.String({ format: 'uuid' }),
    name: Type.String({ maxLength: 200 }),
    countryCode: Type.String({ maxLength: 10, description: 'ISO 3166-1 alpha-2 code, like PH' }),
    timeZone: Type.String({ maxLength: 100, description: 'IANA time zone, like Asia/Manila' }),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

const SitePatch = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    countryCode: Type.Optional(Type.String({ maxLength: 10 })),
    timeZone: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

export const sitesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/sites',
    {
      config: { access: { permission: 'org.read' } },
      schema: {
        tags: ['Organisation'],
        summary: 'Sites in scope',
        querystring: Type.Object({
          ...PageQuery,
          vendorId: Type.Optional(Type.String({ format: 'uuid' })),
          status: Type.Optional(Status),
        }),
        response: { 200: ListOf(Site), ...commonErrors },
      },
    },
    (request) => request.db((trx) => sites.listSites(trx, request.query, pageOf(request.query))),
  );

  app.post(
    '/api/sites',
    {
      config: { access: { permission: 'org.write' } },
      schema: { tags: ['Organisation'], summary: 'Add a site to a vendor', body: SiteBody, response: { 201: Site, ...commonErrors, 409: Type.Ref('Error') } },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => sites.createSite(trx, request.actor(), request.body))),
  );

  app.get(
    '/api/sites/:id',
    {
      config: { access: { permission: 'org.read' } },
      schema: { tags: ['Organisation'], summary: 'One site', params: IdParams, response: { 200: Site, ...commonErrors } },
    },
    (request) => request.db((trx) => sites.getSite(trx, request.params.id)),
  );

  app.patch(
    '/api/sites/:id',
    {
      config: { access: { permission: 'org.write' } },
      schema: {
        tags: ['Organisation'],
        summary: 'Edit, deactivate (status inactive) or reactivate a site; its vendor cannot change',
        params: IdParams,
        body: SitePatch,
        response: { 200: Site, ...commonErrors, 409: Type.Ref('Error') },
      },
    },
    (request) => request.db((trx) => sites.updateSite(trx, request.actor(), request.params.id, request.body)),
  );
};
