import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { browseAudit } from '../../domain/audit/audit.service.ts';
import { commonErrors, Nullable } from '../schemas.ts';

const Entry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorUserId: Nullable(Type.String()),
  actorLabel: Type.String(),
  action: Type.String(),
  entityType: Nullable(Type.String()),
  entityId: Nullable(Type.String()),
  vendorId: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/audit',
    {
      config: { access: { permission: 'audit.read' } },
      schema: {
        tags: ['Audit'],
        summary: 'Browse the append-only audit log, newest first (cursor: before = last id seen)',
        querystring: Type.Object({
          action: Type.Optional(Type.String({ maxLength: 100, description: "Exact action, or a prefix ending in '.' such as 'auth.'" })),
          actorUserId: Type.Optional(Type.String({ format: 'uuid' })),
          entityType: Type.Optional(Type.String({ maxLength: 50 })),
          entityId: Type.Optional(Type.String({ maxLength: 100 })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          q: Type.Optional(Type.String({ maxLength: 200 })),
          before: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Entry), nextBefore: Nullable(Type.Integer()) }), ...commonErrors },
      },
    },
    (request) => {
      const { action, from, to, ...rest } = request.query;
      return request.db((trx) =>
        browseAudit(trx, {
          ...rest,
          ...(action?.endsWith('.') ? { actionPrefix: action } : { action }),
          from: from ? new Date(from) : undefined,
          to: to ? new Date(to) : undefined,
          limit: request.query.limit ?? 100,
        }),
      );
    },
  );
};
