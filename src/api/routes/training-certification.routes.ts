import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@fastify/type-provider-typebox';
import * as certs from '../../domain/training/certification.service.ts';
import { AppError } from '../../domain/errors.ts';
import { commonErrors, IdParams } from '../schemas.ts';

const Uuid = Type.String({ format: 'uuid' });
// Null first: with type coercion on, a null tried against the integer branch first would become 0.
const Nullable = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);
const DateTime = Type.String({ format: 'date-time' });
const AwardState = Type.Union([Type.Literal('valid'), Type.Literal('expiring_soon'), Type.Literal('expired'), Type.Literal('revoked')]);
const tags = ['Training'];

export const CertifiedAnswer = Type.Object({
  person: Type.String(),
  workflow: Type.String(),
  outcome: Type.Union([Type.Literal('answered'), Type.Literal('person_not_found'), Type.Literal('workflow_not_found'), Type.Literal('ambiguous_person')]),
  personId: Nullable(Uuid),
  workflowId: Nullable(Uuid),
  at: DateTime,
  certified: Type.Boolean({ description: 'Every active certification of the workflow that applies to the person is held at `at`' }),
  certificationRequired: Type.Boolean(),
  heldOff: Type.Boolean({ description: 'A missing certification holds the person off this workflow' }),
  certifications: Type.Array(
    Type.Object({
      certificationId: Uuid,
      name: Type.String(),
      holdsOffWorkflow: Type.Boolean(),
      held: Type.Boolean(),
      award: Nullable(Type.Object({ id: Uuid, awardedAt: DateTime, expiresAt: DateTime })),
    }),
  ),
});

// Response shapes: they mirror Certification, CertificationCounts (training.types.ts) and Award
// (certification.service.ts) exactly, since Fastify drops any property a response schema does not name.
export const Certification = Type.Object({
  id: Uuid,
  vendorId: Nullable(Uuid),
  vendorName: Nullable(Type.String()),
  workflowId: Uuid,
  workflowKey: Type.String(),
  workflowName: Type.String(),
  policyId: Nullable(Uuid),
  policyName: Nullable(Type.String()),
  name: Type.String(),
  description: Type.String(),
  validityDays: Type.Integer(),
  requiredCourseId: Uuid,
  requiredCourseTitle: Type.String(),
  holdsOffWorkflow: Type.Boolean(),
  status: Type.Union([Type.Literal('active'), Type.Literal('retired')]),
});
export const Award = Type.Object({
  id: Uuid,
  certificationId: Uuid,
  certificationName: Type.String(),
  workflowId: Uuid,
  workflowName: Type.String(),
  personId: Uuid,
  personName: Type.String(),
  vendorId: Uuid,
  vendorName: Type.String(),
  siteId: Uuid,
  siteName: Type.String(),
  source: Type.Union([Type.Literal('assessment'), Type.Literal('manual')]),
  sourceAttemptId: Nullable(Uuid),
  awardedAt: DateTime,
  expiresAt: DateTime,
  revokedAt: Nullable(DateTime),
  revokeReason: Nullable(Type.String()),
  state: AwardState,
});
export const CertificationCounts = Type.Object({
  vendorId: Uuid,
  vendorName: Type.String(),
  certificationId: Uuid,
  certificationName: Type.String(),
  valid: Type.Integer(),
  expiringSoon: Type.Integer(),
  expired: Type.Integer(),
  revoked: Type.Integer(),
});
const conflictErrors = { ...commonErrors, 409: Type.Ref('Error') };

function atOf(at: string | undefined): Date {
  if (at === undefined) return new Date();
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) throw new AppError('VALIDATION_FAILED', 'Give `at` as a date-time.', [{ path: '/at', message: 'Not a date-time.' }]);
  return d;
}

export const trainingCertificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/training/certified',
    {
      config: { access: { permission: 'training.read' } },
      schema: {
        tags: ['Training', 'Upstream'],
        summary: 'Is this person certified for this workflow now (or at `at`)? For the upstream tool: one query; person by Assay id, or agent by employee reference or email',
        querystring: Type.Object({
          person: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'Assay person id' })),
          agent: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: "The upstream tool's agent id: employee reference or email" })),
          workflow: Type.String({ minLength: 1, maxLength: 100, description: 'Workflow id or key' }),
          at: Type.Optional(DateTime),
        }),
        response: { 200: CertifiedAnswer, ...commonErrors },
      },
    },
    (request) =>
      request.db(async (trx) => {
        const who = request.query.person ?? request.query.agent;
        if (!who || (request.query.person && request.query.agent)) {
          throw new AppError('VALIDATION_FAILED', 'Name the person or the agent (one of them).', [{ path: '/person', message: 'Give person or agent.' }]);
        }
        const [answer] = await certs.checkCertified(trx, [{ person: who, workflow: request.query.workflow }], atOf(request.query.at));
        if (answer!.outcome === 'person_not_found') throw new AppError('NOT_FOUND', 'Person not found.');
        if (answer!.outcome === 'workflow_not_found') throw new AppError('NOT_FOUND', 'Workflow not found.');
        if (answer!.outcome === 'ambiguous_person') throw new AppError('CONFLICT', 'This agent reference matches several people; use the Assay person id.');
        return answer!;
      }),
  );
  app.post(
    '/api/training/certified/batch',
    {
      config: { access: { permission: 'training.read' } },
      schema: {
        tags: ['Training', 'Upstream'],
        summary: 'The certification check for up to 1,000 (person or agent, workflow) pairs in one query; unknown people or workflows are answered per pair',
        body: Type.Object(
          {
            at: Type.Optional(DateTime),
            checks: Type.Array(Type.Object({ person: Type.String({ minLength: 1, maxLength: 320 }), workflow: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }), {
              minItems: 1,
              maxItems: certs.MAX_BATCH,
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(CertifiedAnswer) }), ...commonErrors },
      },
    },
    (request) => request.db(async (trx) => ({ items: await certs.checkCertified(trx, request.body.checks, atOf(request.body.at)) })),
  );

  app.get(
    '/api/training/certifications',
    { config: { access: { permission: 'training.read' } }, schema: { tags, summary: 'Certification definitions', querystring: Type.Object({ workflowId: Type.Optional(Uuid), courseId: Type.Optional(Uuid) }), response: { 200: Type.Object({ items: Type.Array(Certification) }), ...commonErrors } } },
    (request) => request.db(async (trx) => ({ items: await certs.listCertifications(trx, request.query) })),
  );
  app.post(
    '/api/training/certifications',
    {
      config: { access: { permission: 'training.write' } },
      schema: {
        tags,
        summary: 'Define a certification: workflow (and policy), validity, the course that earns it, whether it holds people off the workflow',
        body: Type.Object(
          {
            vendorId: Type.Optional(Nullable(Uuid)),
            workflowId: Uuid,
            policyId: Type.Optional(Nullable(Uuid)),
            name: Type.String({ maxLength: 120 }),
            description: Type.Optional(Type.String({ maxLength: 4000 })),
            validityDays: Type.Integer(),
            requiredCourseId: Uuid,
            holdsOffWorkflow: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 201: Certification, ...conflictErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => certs.createCertification(trx, request.actor(), request.body))),
  );
  app.get(
    '/api/training/certifications/:id',
    { config: { access: { permission: 'training.read' } }, schema: { tags, summary: 'A certification definition', params: IdParams, response: { 200: Certification, ...commonErrors } } },
    (request) => request.db((trx) => certs.getCertification(trx, request.params.id)),
  );
  app.patch(
    '/api/training/certifications/:id',
    {
      config: { access: { permission: 'training.write' } },
      schema: {
        tags,
        summary: 'Edit a certification definition',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ maxLength: 120 })),
            description: Type.Optional(Type.String({ maxLength: 4000 })),
            validityDays: Type.Optional(Type.Integer()),
            holdsOffWorkflow: Type.Optional(Type.Boolean()),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('retired')])),
          },
          { additionalProperties: false },
        ),
        response: { 200: Certification, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => certs.updateCertification(trx, request.actor(), request.params.id, request.body)),
  );
  app.get(
    '/api/training/certification-awards',
    {
      config: { access: { permission: 'training.read' } },
      schema: {
        tags,
        summary: 'Awards in scope with their state (valid, expiring soon, expired, revoked)',
        querystring: Type.Object({ personId: Type.Optional(Uuid), certificationId: Type.Optional(Uuid), vendorId: Type.Optional(Uuid), siteId: Type.Optional(Uuid), state: Type.Optional(AwardState) }),
        response: { 200: Type.Object({ items: Type.Array(Award) }), ...commonErrors },
      },
    },
    (request) => request.db(async (trx) => ({ items: await certs.listAwards(trx, request.query) })),
  );
  app.post(
    '/api/training/certification-awards',
    {
      config: { access: { permission: 'training.manage' } },
      schema: { tags, summary: 'Grant a certification by hand (recognised prior learning); audited', body: Type.Object({ certificationId: Uuid, personId: Uuid }, { additionalProperties: false }), response: { 201: Award, ...conflictErrors } },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => certs.grantAward(trx, request.actor(), request.body))),
  );
  app.post(
    '/api/training/certification-awards/:id/revoke',
    {
      config: { access: { permission: 'training.manage' } },
      schema: { tags, summary: 'Revoke an award, with a reason', params: IdParams, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }), response: { 200: Award, ...conflictErrors } },
    },
    (request) => request.db((trx) => certs.revokeAward(trx, request.actor(), request.params.id, request.body.reason)),
  );
  app.get(
    '/api/training/certifications-overview',
    { config: { access: { permission: 'training.read' } }, schema: { tags, summary: 'People valid, expiring soon, expired and revoked per vendor and certification', response: { 200: Type.Object({ expiringSoonDays: Type.Integer(), rows: Type.Array(CertificationCounts) }), ...commonErrors } } },
    (request) => request.db((trx) => certs.certificationOverview(trx)),
  );
};
