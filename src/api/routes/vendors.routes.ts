import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as vendors from '../../domain/org/vendors.service.ts';
import { commonErrors, IdParams, ListOf, PageQuery, pageOf, Status } from '../schemas.ts';

const Vendor = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  code: Type.String(),
  isInHouse: Type.Boolean(),
  status: Status,
  siteCount: Type.Integer(),
  peopleCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const VendorBody = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    code: Type.String({ maxLength: 20, description: 'Short code, 2-12 letters or digits' }),
    isInHouse: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const VendorPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 200 })),
    code: Type.Optional(Type.String({ maxLength: 20 })),
    isInHouse: Type.Optional(Type.Boolean()),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

export const vendorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/vendors',
    {
      config: { access: { permission: 'org.read' } },
      schema: {
        tags: ['Organisation'],
        summary: 'Vendors in scope (the in-house team is a vendor flagged isInHouse)',
        querystring: Type.Object({ ...PageQuery, status: Type.Optional(Status), isInHouse: Type.Optional(Type.Boolean()) }),
        response: { 200: ListOf(Vendor), ...commonErrors },
      },
    },
    (request) => request.db((trx) => vendors.listVendors(trx, request.query, pageOf(request.query))),
  );

  app.post(
    '/api/vendors',
    {
      config: { access: { permission: 'org.write' } },
      schema: { tags: ['Organisation'], summary: 'Add a vendor', body: VendorBody, response: { 201: Vendor, ...commonErrors, 409: Type.Ref('Error') } },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => vendors.createVendor(trx, request.actor(), request.body))),
  );

  app.get(
    '/api/vendors/:id',
    {
      config: { access: { permission: 'org.read' } },
      schema: { tags: ['Organisation'], summary: 'One vendor', params: IdParams, response: { 200: Vendor, ...commonErrors } },
    },
    (request) => request.db((trx) => vendors.getVendor(trx, request.params.id)),
  );

  app.patch(
    '/api/vendors/:id',
    {
      config: { access: { permission: 'org.write' } },
      schema: {
        tags: ['Organisation'],
        summary: 'Edit, deactivate (status inactive) or reactivate a vendor',
        params: IdParams,
        body: VendorPatch,
        response: { 200: Vendor, ...commonErrors, 409: Type.Ref('Error') },
      },
    },
    (request) => request.db((trx) => vendors.updateVendor(trx, request.actor(), request.params.id, request.body)),
  );
};
