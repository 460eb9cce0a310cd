import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { exportSession } from '../../domain/calibration/calibration-exports.service.ts';
import { commonErrors, IdParams } from '../schemas.ts';

/** Exports of a revealed calibration session (CSV of every rating or the summary; PDF report), each audited. */
export const calibrationExportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/calibration/sessions/:id/export',
    {
      config: { access: { permission: 'calibration.run' } },
      schema: {
        tags: ['Calibration'],
        summary: "A closed session's results as a download: format=csv (table=ratings | summary) or format=pdf (a report); audited",
        params: IdParams,
        querystring: Type.Object({
          format: Type.Union([Type.Literal('csv'), Type.Literal('pdf')]),
          table: Type.Optional(Type.Union([Type.Literal('ratings'), Type.Literal('summary')])),
        }),
        response: {
          200: { description: 'text/csv or application/pdf, as an attachment', content: { 'text/csv': { schema: Type.String() }, 'application/pdf': { schema: Type.String({ format: 'binary' }) } } },
          ...commonErrors,
          409: Type.Ref('Error'),
        },
      },
    },
    async (request, reply) => {
      const file = await request.db((trx) => exportSession(trx, request.actor(), request.params.id, request.query.format, request.query.table ?? 'summary'));
      return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.body);
    },
  );
};
