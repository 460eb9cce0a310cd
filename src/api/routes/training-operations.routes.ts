import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as cohorts from '../../domain/training-operations/cohorts.service.ts';
import * as nesting from '../../domain/training-operations/nesting.service.ts';
import * as overdue from '../../domain/training-operations/overdue.service.ts';
import { commonErrors, IdParams, Nullable, pageOf, ProportionInterval } from '../schemas.ts';
import { trainingPeopleRoutes } from './training-operations-people.routes.ts';

/**
 * Training operations (issue 7, items 3, 5-8): cohort schedules, attendance,
 * nesting targets and graduation, overdue training (here); coaching, trainers
 * and reaction surveys (training-operations-people.routes.ts).
 */

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const conflictErrors = { ...commonErrors, 409: Type.Ref('Error') };
export const TAG = 'Training operations';

const Attendance = Type.Intersect([ProportionInterval, Type.Object({ excused: Type.Integer(), late: Type.Integer() })]);
const AttendanceStatus = Type.Union([Type.Literal('present'), Type.Literal('late'), Type.Literal('absent'), Type.Literal('excused')]);
const SessionStatus = Type.Union([Type.Literal('scheduled'), Type.Literal('completed'), Type.Literal('cancelled')]);

const CohortBase = {
  id: Uuid, name: Type.String(), vendorId: Uuid, vendorName: Nullable(Type.String()), siteId: Uuid, siteName: Nullable(Type.String()),
  workflowId: Uuid, workflowName: Type.String(), startDate: Type.String(), status: Type.String(),
};
const CohortSummary = Type.Object({
  ...CohortBase, members: Type.Integer(), sessions: Type.Integer(), sessionsCompleted: Type.Integer(), nextSessionAt: Nullable(DateTime),
  trainerNames: Type.Array(Type.String()), hasNesting: Type.Boolean(),
});
const Session = Type.Object({
  id: Uuid, cohortId: Uuid, startsAt: DateTime, endsAt: DateTime, topic: Type.String(), location: Type.String(),
  trainerId: Nullable(Uuid), trainerName: Nullable(Type.String()), courseId: Nullable(Uuid), courseTitle: Nullable(Type.String()),
  status: SessionStatus, completedAt: Nullable(DateTime),
  counts: Type.Object({ present: Type.Integer(), late: Type.Integer(), absent: Type.Integer(), excused: Type.Integer() }),
});
const CohortOperations = Type.Object({
  cohort: Type.Object(CohortBase),
  trainers: Type.Array(Type.Object({ personId: Uuid, fullName: Nullable(Type.String()), role: Type.String() })),
  sessions: Type.Array(Session),
  members: Type.Array(Type.Object({ personId: Uuid, fullName: Nullable(Type.String()), memberStatus: Type.String(), hireDate: Type.String(), attendance: Attendance })),
  attendance: ProportionInterval,
});
const Roster = Type.Object({
  session: Session,
  cohort: Type.Object({ id: Uuid, name: Type.String(), vendorName: Nullable(Type.String()), siteName: Nullable(Type.String()) }),
  roster: Type.Array(Type.Object({
    personId: Uuid, fullName: Nullable(Type.String()), memberStatus: Type.String(), status: Nullable(AttendanceStatus), note: Type.String(),
    recordedBy: Nullable(Type.String()), recordedAt: Nullable(DateTime),
  })),
});
const SessionBody = {
  startsAt: DateTime, endsAt: DateTime, topic: Type.String({ minLength: 1, maxLength: 200 }), location: Type.Optional(Type.String({ maxLength: 200 })),
  trainerId: Type.Optional(Nullable(Uuid)), courseId: Type.Optional(Nullable(Uuid)),
};
const Estimate = Type.Object({ value: Nullable(Type.Number()), lower: Nullable(Type.Number()), upper: Nullable(Type.Number()), n: Type.Integer() });
const Readiness = Type.Union([Type.Literal('met'), Type.Literal('not_yet'), Type.Literal('credibly_not_met')]);
const Check = Type.Union([Type.Literal('met'), Type.Literal('not_yet'), Type.Literal('credibly_missed')]);
const Targets = {
  minReviews: Type.Integer({ minimum: 1, maximum: 10000 }),
  accuracyTarget: Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Share, 0.9 = 90%' }),
  criticalErrorMax: Type.Number({ minimum: 0, exclusiveMaximum: 1, description: 'Share, 0.02 = 2%' }),
  evidence: Type.Union([Type.Literal('estimate'), Type.Literal('interval')], { description: 'estimate: the point estimate must meet each target; interval: the whole 95% interval must' }),
};
const NestingSettings = Type.Object({ startsOn: Type.String(), endsOn: Type.String(), ...Targets, updatedBy: Type.String(), updatedAt: DateTime });
const Outcome = Type.Union([Type.Literal('graduated'), Type.Literal('extended'), Type.Literal('exited')]);
const MemberNesting = Type.Object({
  personId: Uuid, fullName: Nullable(Type.String()), memberStatus: Type.String(), accuracy: Estimate, criticalErrorRate: Estimate,
  evaluation: Type.Object({ status: Readiness, accuracy: Check, criticalErrors: Check, enoughReviews: Type.Boolean(), reasons: Type.Array(Type.String()) }),
  latestDecision: Nullable(Type.Object({ outcome: Outcome, decidedOn: Type.String(), decidedBy: Type.String(), note: Type.String() })),
});

export const trainingOperationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(trainingPeopleRoutes);

  app.get('/api/training-operations/cohorts', {
    config: { access: { permission: 'training.read' } },
    schema: {
      tags: [TAG], summary: 'Cohorts in scope with their trainers, sessions held and next session',
      querystring: Type.Object({ status: Type.Optional(Type.String({ maxLength: 20 })), trainerId: Type.Optional(Uuid) }),
      response: { 200: Type.Object({ items: Type.Array(CohortSummary) }), ...commonErrors },
    },
  }, (request) => request.db((trx) => cohorts.listCohortOperations(trx, request.query)));

  app.get('/api/training-operations/cohorts/:id', {
    config: { access: { permission: 'training.read' } },
    schema: { tags: [TAG], summary: 'A cohort: trainers, schedule, members and their attendance rates (Wilson 95%)', params: IdParams, response: { 200: CohortOperations, ...commonErrors } },
  }, (request) => request.db((trx) => cohorts.getCohortOperations(trx, request.params.id)));

  app.put('/api/training-operations/cohorts/:id/trainers', {
    config: { access: { permission: 'training.write' } },
    schema: {
      tags: [TAG], summary: "Set a cohort's trainers (at most one lead)", params: IdParams,
      body: Type.Object({ trainers: Type.Array(Type.Object({ personId: Uuid, role: Type.Union([Type.Literal('lead'), Type.Literal('co')]) }, { additionalProperties: false }), { maxItems: 20 }) }, { additionalProperties: false }),
      response: { 200: CohortOperations, ...commonErrors },
    },
  }, (request) => request.db((trx) => cohorts.setCohortTrainers(trx, request.actor(), request.params.id, request.body)));

  app.post('/api/training-operations/cohorts/:id/sessions', {
    config: { access: { permission: 'training.write' } },
    schema: {
      tags: [TAG], summary: 'Schedule a session of a cohort', params: IdParams,
      body: Type.Object(SessionBody, { additionalProperties: false }),
      response: { 201: Session, ...commonErrors },
    },
  }, async (request, reply) => reply.status(201).send(await request.db((trx) => cohorts.scheduleSession(trx, request.actor(), request.params.id, request.body))));

  app.get('/api/training-operations/sessions/:id', {
    config: { access: { permission: 'training.read' } },
    schema: { tags: [TAG], summary: 'A session with its roster and the attendance taken', params: IdParams, response: { 200: Roster, ...commonErrors } },
  }, (request) => request.db((trx) => cohorts.getSessionRoster(trx, request.params.id)));

  app.patch('/api/training-operations/sessions/:id', {
    config: { access: { permission: 'training.write' } },
    schema: {
      tags: [TAG], summary: 'Reschedule, complete or cancel a session; completing it invites those who attended to the reaction survey', params: IdParams,
      body: Type.Object({
        startsAt: Type.Optional(DateTime), endsAt: Type.Optional(DateTime), topic: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        location: Type.Optional(Type.String({ maxLength: 200 })), trainerId: Type.Optional(Nullable(Uuid)), status: Type.Optional(SessionStatus),
      }, { additionalProperties: false }),
      response: { 200: Type.Intersect([Session, Type.Object({ surveyInvitations: Type.Integer() })]), ...conflictErrors },
    },
  }, (request) => request.db((trx) => cohorts.updateSession(trx, request.actor(), request.params.id, request.body)));

  app.put('/api/training-operations/sessions/:id/attendance', {
    config: { access: { permission: 'training.write' } },
    schema: {
      tags: [TAG], summary: 'Take or correct attendance for some or all members', params: IdParams,
      body: Type.Object({
        records: Type.Array(Type.Object({ personId: Uuid, status: AttendanceStatus, note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }),
      }, { additionalProperties: false }),
      response: { 200: Roster, ...conflictErrors },
    },
  }, (request) => request.db((trx) => cohorts.recordAttendance(trx, request.actor(), request.params.id, request.body)));

  app.put('/api/training-operations/cohorts/:id/nesting', {
    config: { access: { permission: 'training.write' } },
    schema: {
      tags: [TAG], summary: "Set the cohort's nesting phase and its QA targets", params: IdParams,
      body: Type.Object({ startsOn: Day, endsOn: Day, ...Targets }, { additionalProperties: false }),
      response: { 200: NestingSettings, ...commonErrors },
    },
  }, (request) => request.db((trx) => nesting.setNestingTargets(trx, request.actor(), request.params.id, request.body)));

  app.get('/api/training-operations/cohorts/:id/nesting', {
    config: { access: { permission: 'training.read' } },
    schema: {
      tags: [TAG], summary: "Each member's accuracy and critical error rate over the nesting days (weighted, 95% intervals) against the targets: met, not yet, credibly not met",
      params: IdParams,
      response: {
        200: Type.Object({
          cohortId: Uuid, workflowId: Uuid, settings: Nullable(NestingSettings), from: Nullable(Type.String()), to: Nullable(Type.String()), confidence: Type.Number(),
          members: Type.Array(MemberNesting), counts: Type.Object({ met: Type.Integer(), notYet: Type.Integer(), crediblyNotMet: Type.Integer() }),
        }),
        ...commonErrors,
      },
    },
  }, (request) => request.db((trx) => nesting.getNestingProgress(trx, request.actor(), request.params.id)));

  app.post('/api/training-operations/cohorts/:id/graduations', {
    config: { access: { permission: 'training.manage' } },
    schema: {
      tags: [TAG], summary: 'Graduate, extend or exit a member, recorded with the QA evidence of the moment (a decision against the evidence needs a note)', params: IdParams,
      body: Type.Object({ personId: Uuid, outcome: Outcome, note: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false }),
      response: { 201: MemberNesting, ...commonErrors },
    },
  }, async (request, reply) => reply.status(201).send(await request.db((trx) => nesting.recordGraduation(trx, request.actor(), request.params.id, request.body))));

  const OverdueGroup = Type.Object({
    groupId: Uuid, groupName: Nullable(Type.String()), vendorName: Nullable(Type.String()), comeDue: Type.Integer(), overdue: Type.Integer(),
    completedLate: Type.Integer(), openNotDue: Type.Integer(), overdueRate: ProportionInterval,
  });
  app.get('/api/training-operations/overdue', {
    config: { access: { permission: 'training.read' } },
    schema: {
      tags: [TAG], summary: 'Overdue training per vendor or site: of enrolments come due, the share not complete (Wilson 95%), with completed-late and not-yet-due counts',
      querystring: Type.Object({ by: Type.Optional(Type.Union([Type.Literal('vendor'), Type.Literal('site')])), courseId: Type.Optional(Uuid) }),
      response: {
        200: Type.Object({ by: Type.String(), asOf: DateTime, overall: Type.Object({ comeDue: Type.Integer(), overdue: Type.Integer(), overdueRate: ProportionInterval }), groups: Type.Array(OverdueGroup) }),
        ...commonErrors,
      },
    },
  }, (request) => request.db((trx) => overdue.overdueSummary(trx, request.query)));

  app.get('/api/training-operations/overdue/enrolments', {
    config: { access: { permission: 'training.read' } },
    schema: {
      tags: [TAG], summary: 'The overdue enrolments, oldest due first, with the last reminder sent',
      querystring: Type.Object({
        vendorId: Type.Optional(Uuid), siteId: Type.Optional(Uuid), courseId: Type.Optional(Uuid),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
      }),
      response: {
        200: Type.Object({
          total: Type.Integer(),
          items: Type.Array(Type.Object({
            enrolmentId: Uuid, personId: Uuid, fullName: Type.String(), vendorId: Uuid, vendorName: Nullable(Type.String()), siteId: Uuid, siteName: Nullable(Type.String()),
            courseId: Uuid, courseTitle: Type.String(), dueAt: DateTime, daysOverdue: Type.Integer(), status: Type.String(), lastReminderOn: Nullable(Type.String()),
          })),
        }),
        ...commonErrors,
      },
    },
  }, (request) => request.db((trx) => overdue.overdueList(trx, request.query, pageOf(request.query))));
};
