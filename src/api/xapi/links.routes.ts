import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as admin from '../../domain/xapi/xapi-admin.service.ts';
import * as forwarding from '../../domain/xapi/xapi-forwarding.service.ts';
import { commonErrors, IdParams, Nullable } from '../schemas.ts';

/** LRS settings and external activity → course mappings (docs/decisions/0011), for admins with xapi.manage. */

const Settings = Type.Object({
  activityBase: Type.String({ description: "IRI base of Assay's own activities, verbs and agent accounts" }),
  employeeRefHomePage: Nullable(Type.String({ description: "Accounts on this home page are matched to people by employee_ref" })),
  updatedAt: Type.String({ format: 'date-time' }),
});

const Mapping = Type.Object({
  id: Type.String({ format: 'uuid' }),
  activityId: Type.String(),
  courseId: Type.String({ format: 'uuid' }),
  courseTitle: Type.String(),
  vendorId: Nullable(Type.String({ format: 'uuid' })),
  vendorName: Nullable(Type.String()),
  completions: Type.Integer({ description: 'Enrolments on the course completed by external statements' }),
  createdAt: Type.String({ format: 'date-time' }),
});

export const xapiLinkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const access = { access: { permission: 'xapi.manage' as const } };
  const tags = ['xAPI'];

  app.get('/api/xapi/settings', { config: access, schema: { tags, summary: 'LRS settings: IRI base and employee_ref matching', response: { 200: Settings, ...commonErrors } } }, (request) =>
    request.db((trx) => admin.getSettings(trx)),
  );

  app.put(
    '/api/xapi/settings',
    {
      config: access,
      schema: {
        tags,
        summary: 'Change the LRS settings (audited)',
        body: Type.Object({ activityBase: Type.Optional(Type.String({ maxLength: 2000 })), employeeRefHomePage: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) }, { additionalProperties: false }),
        response: { 200: Settings, ...commonErrors },
      },
    },
    (request) => request.db((trx) => admin.updateSettings(trx, request.actor(), request.body)),
  );

  app.get(
    '/api/xapi/activity-mappings',
    { config: access, schema: { tags, summary: 'External activities counted as completion of Assay courses', response: { 200: Type.Object({ items: Type.Array(Mapping) }), ...commonErrors } } },
    async (request) => ({ items: await request.db((trx) => admin.listActivityMappings(trx)) }),
  );

  app.post(
    '/api/xapi/activity-mappings',
    {
      config: access,
      schema: {
        tags,
        summary: 'Map an external activity IRI to an Assay course',
        body: Type.Object({ activityId: Type.String({ minLength: 1, maxLength: 2000 }), courseId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 201: Mapping, ...commonErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => admin.createActivityMapping(trx, request.actor(), request.body))),
  );

  app.delete(
    '/api/xapi/activity-mappings/:id',
    { config: access, schema: { tags, summary: 'Remove a mapping (completions already made stand)', params: IdParams, response: { 204: Type.Null(), ...commonErrors } } },
    async (request, reply) => {
      await request.db((trx) => admin.deleteActivityMapping(trx, request.actor(), request.params.id));
      return reply.status(204).send(null);
    },
  );
};

const Forwarding = Type.Object({
  enabled: Type.Boolean(),
  endpoint: Nullable(Type.String()),
  username: Nullable(Type.String()),
  hasSecret: Type.Boolean({ description: 'The secret is stored; it is never returned' }),
  version: Type.Union([Type.Literal('1.0.3'), Type.Literal('2.0.0')]),
  updatedAt: Type.String({ format: 'date-time' }),
  outbox: Type.Object({
    pending: Type.Integer(),
    retrying: Type.Integer(),
    delivered: Type.Integer(),
    lastDeliveredAt: Nullable(Type.String({ format: 'date-time' })),
    lastError: Nullable(Type.String()),
  }),
});

/** Forwarding Assay's own statements to an external LRS (settings and delivery state). */
export const xapiForwardingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const access = { access: { permission: 'xapi.manage' as const } };
  const tags = ['xAPI'];
  app.get('/api/xapi/forwarding', { config: access, schema: { tags, summary: "Forwarding of Assay's own statements to an external LRS", response: { 200: Forwarding, ...commonErrors } } }, (request) =>
    request.db((trx) => forwarding.getForwarding(trx)),
  );
  app.put(
    '/api/xapi/forwarding',
    {
      config: access,
      schema: {
        tags,
        summary: 'Configure forwarding (audited; the secret is write-only)',
        body: Type.Object(
          {
            enabled: Type.Boolean(),
            endpoint: Nullable(Type.String({ maxLength: 2000 })),
            username: Nullable(Type.String({ maxLength: 500 })),
            secret: Type.Optional(Nullable(Type.String({ maxLength: 500, description: 'Omit to keep the stored secret' }))),
            version: Type.Union([Type.Literal('1.0.3'), Type.Literal('2.0.0')]),
          },
          { additionalProperties: false },
        ),
        response: { 200: Forwarding, ...commonErrors },
      },
    },
    (request) => request.db((trx) => forwarding.updateForwarding(trx, request.actor(), request.body, request.server.secretBox)),
  );
};
