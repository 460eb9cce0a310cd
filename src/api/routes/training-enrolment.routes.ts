import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@fastify/type-provider-typebox';
import * as enrolment from '../../domain/training/enrolment.service.ts';
import { commonErrors, IdParams, pageOf, ProportionInterval } from '../schemas.ts';

const Uuid = Type.String({ format: 'uuid' });
// Null first: with type coercion on, a null tried against the integer branch first would become 0.
const Nullable = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);
const EnrolmentStatus = Type.Union([Type.Literal('assigned'), Type.Literal('in_progress'), Type.Literal('completed'), Type.Literal('withdrawn')]);
const tags = ['Training'];
const DateTime = Type.String({ format: 'date-time' });
const conflictErrors = { ...commonErrors, 409: Type.Ref('Error') };

// Response shapes: they mirror Enrolment, CompletionRow, EnrolmentRule (enrolment.service.ts) and Cohort
// (training.types.ts) exactly, since Fastify drops any property a response schema does not name.
export const Enrolment = Type.Object({
  id: Uuid,
  personId: Uuid,
  personName: Type.String(),
  vendorId: Uuid,
  vendorName: Type.String(),
  siteId: Uuid,
  siteName: Type.String(),
  courseId: Uuid,
  courseTitle: Type.String(),
  workflowId: Uuid,
  courseVersionId: Uuid,
  courseVersion: Type.Integer(),
  source: Type.Union([Type.Literal('person'), Type.Literal('team'), Type.Literal('cohort'), Type.Literal('rule')]),
  cohortId: Nullable(Uuid),
  cohortName: Nullable(Type.String()),
  dueAt: Nullable(DateTime),
  status: EnrolmentStatus,
  overdue: Type.Boolean(),
  startedAt: Nullable(DateTime),
  completedAt: Nullable(DateTime),
  score: Nullable(Type.Number()),
  createdAt: DateTime,
});
export const CompletionRow = Type.Object({
  groupId: Type.String(),
  groupName: Nullable(Type.String()),
  courseId: Uuid,
  courseTitle: Type.String(),
  enrolled: Type.Integer(),
  completed: Type.Integer(),
  inProgress: Type.Integer(),
  overdue: Type.Integer(),
  completionRate: ProportionInterval,
  overdueRate: ProportionInterval,
});
const CohortFields = {
  id: Uuid,
  vendorId: Uuid,
  vendorName: Type.String(),
  siteId: Uuid,
  siteName: Type.String(),
  workflowId: Uuid,
  workflowName: Type.String(),
  programId: Nullable(Uuid),
  programName: Nullable(Type.String()),
  name: Type.String(),
  startDate: Type.String({ description: 'YYYY-MM-DD' }),
  status: Type.String(),
  memberCount: Type.Integer(),
};
export const Cohort = Type.Object(CohortFields);
export const CohortWithMembers = Type.Object({
  ...CohortFields,
  members: Type.Array(Type.Object({ personId: Uuid, fullName: Type.String(), status: Type.Union([Type.Literal('active'), Type.Literal('withdrawn'), Type.Literal('graduated')]), joinedAt: DateTime })),
});
export const EnrolmentRule = Type.Object({
  id: Uuid,
  vendorId: Nullable(Uuid),
  vendorName: Nullable(Type.String()),
  siteId: Nullable(Uuid),
  siteName: Nullable(Type.String()),
  workflowId: Uuid,
  workflowName: Type.String(),
  courseId: Uuid,
  courseTitle: Type.String(),
  kind: Type.Literal('new_hire'),
  hiredOnOrAfter: Type.String({ description: 'YYYY-MM-DD' }),
  dueDays: Type.Integer(),
  status: Type.Union([Type.Literal('active'), Type.Literal('inactive')]),
});

export const trainingEnrolmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/training/enrolments',
    {
      config: { access: { permission: 'training.manage' } },
      schema: {
        tags,
        summary: "Assign a course's published version to people, a team or a cohort (idempotent: open enrolments are kept)",
        body: Type.Object(
          {
            courseId: Uuid,
            personIds: Type.Optional(Type.Array(Uuid, { maxItems: 2000 })),
            teamId: Type.Optional(Uuid),
            cohortId: Type.Optional(Uuid),
            dueAt: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'YYYY-MM-DD (end of day UTC) or a date-time' }))),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ created: Type.Integer(), alreadyEnrolled: Type.Integer(), enrolmentIds: Type.Array(Uuid) }), ...commonErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => enrolment.assign(trx, request.actor(), request.body))),
  );
  app.get(
    '/api/training/enrolments',
    {
      config: { access: { permission: 'training.read' } },
      schema: {
        tags,
        summary: 'Enrolments in scope',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
          personId: Type.Optional(Uuid),
          courseId: Type.Optional(Uuid),
          cohortId: Type.Optional(Uuid),
          vendorId: Type.Optional(Uuid),
          siteId: Type.Optional(Uuid),
          status: Type.Optional(EnrolmentStatus),
          overdue: Type.Optional(Type.Boolean()),
        }),
        response: { 200: Type.Object({ items: Type.Array(Enrolment), total: Type.Integer() }), ...commonErrors },
      },
    },
    (request) => request.db((trx) => enrolment.listEnrolments(trx, request.query, pageOf(request.query))),
  );
  app.get(
    '/api/training/enrolments/:id',
    { config: { access: { permission: 'training.read' } }, schema: { tags, summary: 'An enrolment', params: IdParams, response: { 200: Enrolment, ...commonErrors } } },
    (request) => request.db((trx) => enrolment.getEnrolment(trx, request.params.id)),
  );
  app.patch(
    '/api/training/enrolments/:id',
    {
      config: { access: { permission: 'training.manage' } },
      schema: {
        tags,
        summary: 'Change the due date or withdraw an enrolment',
        params: IdParams,
        body: Type.Object({ dueAt: Type.Optional(Nullable(Type.String({ maxLength: 40 }))), status: Type.Optional(Type.Literal('withdrawn')) }, { additionalProperties: false }),
        response: { 200: Enrolment, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => enrolment.updateEnrolment(trx, request.actor(), request.params.id, request.body)),
  );
  app.get(
    '/api/training/completion',
    {
      config: { access: { permission: 'training.read' } },
      schema: {
        tags,
        summary: 'Completion by vendor, site, cohort or trainer (each trainer of the cohort) and course: counts, rates with Wilson intervals, n',
        querystring: Type.Object({ groupBy: Type.Union([Type.Literal('vendor'), Type.Literal('site'), Type.Literal('cohort'), Type.Literal('trainer')]), courseId: Type.Optional(Uuid) }),
        response: { 200: Type.Object({ groupBy: Type.String(), items: Type.Array(CompletionRow) }), ...commonErrors },
      },
    },
    (request) => request.db(async (trx) => ({ groupBy: request.query.groupBy, items: await enrolment.completionReport(trx, request.query.groupBy, request.query) })),
  );

  app.get(
    '/api/training/cohorts',
    {
      config: { access: { permission: 'training.read' } },
      schema: {
        tags,
        summary: 'Cohorts in scope',
        querystring: Type.Object({ vendorId: Type.Optional(Uuid), siteId: Type.Optional(Uuid), workflowId: Type.Optional(Uuid) }),
        response: { 200: Type.Object({ items: Type.Array(Cohort) }), ...commonErrors },
      },
    },
    (request) => request.db(async (trx) => ({ items: await enrolment.listCohorts(trx, request.query) })),
  );
  app.post(
    '/api/training/cohorts',
    {
      config: { access: { permission: 'training.manage' } },
      schema: {
        tags,
        summary: 'Create a cohort at a site, with members',
        body: Type.Object(
          {
            siteId: Uuid,
            workflowId: Uuid,
            programId: Type.Optional(Nullable(Uuid)),
            name: Type.String({ maxLength: 120 }),
            startDate: Type.String({ format: 'date' }),
            memberIds: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: CohortWithMembers, ...commonErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => enrolment.createCohort(trx, request.actor(), request.body))),
  );
  app.get(
    '/api/training/cohorts/:id',
    { config: { access: { permission: 'training.read' } }, schema: { tags, summary: 'A cohort with its members', params: IdParams, response: { 200: CohortWithMembers, ...commonErrors } } },
    (request) => request.db((trx) => enrolment.getCohort(trx, request.params.id)),
  );
  app.post(
    '/api/training/cohorts/:id/members',
    {
      config: { access: { permission: 'training.manage' } },
      schema: {
        tags,
        summary: 'Add people to a cohort',
        params: IdParams,
        body: Type.Object({ personIds: Type.Array(Uuid, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false }),
        response: { 200: CohortWithMembers, ...commonErrors },
      },
    },
    (request) => request.db((trx) => enrolment.addCohortMembers(trx, request.actor(), request.params.id, request.body.personIds)),
  );

  app.get(
    '/api/training/enrolment-rules',
    { config: { access: { permission: 'training.read' } }, schema: { tags, summary: 'Enrolment rules in scope', response: { 200: Type.Object({ items: Type.Array(EnrolmentRule) }), ...commonErrors } } },
    (request) => request.db(async (trx) => ({ items: await enrolment.listRules(trx) })),
  );
  app.post(
    '/api/training/enrolment-rules',
    {
      config: { access: { permission: 'training.manage' } },
      schema: {
        tags,
        summary: 'Enrol every new hire of a workflow (hired on or after a day) on a course; applied now and whenever rules run',
        body: Type.Object(
          {
            vendorId: Type.Optional(Nullable(Uuid)),
            siteId: Type.Optional(Nullable(Uuid)),
            workflowId: Uuid,
            courseId: Uuid,
            hiredOnOrAfter: Type.String({ format: 'date' }),
            dueDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ rule: EnrolmentRule, enrolled: Type.Integer() }), ...commonErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => enrolment.createRule(trx, request.actor(), request.body))),
  );
  app.patch(
    '/api/training/enrolment-rules/:id',
    {
      config: { access: { permission: 'training.manage' } },
      schema: {
        tags,
        summary: 'Switch a rule on or off',
        params: IdParams,
        body: Type.Object({ status: Type.Union([Type.Literal('active'), Type.Literal('inactive')]) }, { additionalProperties: false }),
        response: { 200: EnrolmentRule, ...commonErrors },
      },
    },
    (request) => request.db((trx) => enrolment.setRuleStatus(trx, request.actor(), request.params.id, request.body.status)),
  );
  app.post(
    '/api/training/enrolment-rules/apply',
    { config: { access: { permission: 'training.manage' } }, schema: { tags, summary: 'Run the active rules now (idempotent)', response: { 200: Type.Object({ enrolled: Type.Integer() }), ...commonErrors } } },
    (request) => request.db((trx) => enrolment.applyEnrolmentRules(trx, request.actor())),
  );
};
