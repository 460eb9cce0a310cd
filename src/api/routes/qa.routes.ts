import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as claims from '../../domain/qa/qa-claims.service.ts';
import * as queue from '../../domain/qa/qa-queue.service.ts';
import * as settings from '../../domain/qa/qa-settings.service.ts';
import { commonErrors, IdParams, ListOf, Nullable, PageQuery, pageOf } from '../schemas.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });

const TaskStatus = Type.Union([Type.Literal('open'), Type.Literal('claimed'), Type.Literal('completed'), Type.Literal('cancelled')]);
const Severity = Type.Union([Type.Literal('critical'), Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]);

const QaTask = Type.Object({
  id: Uuid,
  decisionId: Uuid,
  workflowId: Uuid,
  workflowName: Type.String(),
  agentId: Uuid,
  agentName: Nullable(Type.String()),
  vendorId: Uuid,
  vendorName: Nullable(Type.String()),
  siteId: Uuid,
  siteName: Nullable(Type.String()),
  teamId: Nullable(Uuid),
  teamName: Nullable(Type.String()),
  decidedAt: DateTime,
  labels: Type.Array(Type.String(), { description: 'Policy labels the agent applied; empty = no violation' }),
  severity: Nullable(Severity),
  action: Type.String(),
  language: Type.String({ description: "The content's language (BCP 47), '' when unknown" }),
  stratumKey: Nullable(Type.String({ description: 'The sampling stratum the decision was drawn from' })),
  inclusionProbability: Nullable(Type.Number({ description: 'The chance the sampling plan picked this decision' })),
  dueAt: DateTime,
  status: Type.Union([TaskStatus], { description: 'A claim whose lease expired reads as open' }),
  overdue: Type.Boolean({ description: 'Still to do and past its due date' }),
  assigneeId: Nullable(Uuid),
  assigneeName: Nullable(Type.String({ description: 'null also when the assignee is outside your scope' })),
  claimedById: Nullable(Uuid),
  claimedByName: Nullable(Type.String()),
  claimedAt: Nullable(DateTime),
  leaseExpiresAt: Nullable(DateTime),
  createdAt: DateTime,
  completedAt: Nullable(DateTime),
  updatedAt: DateTime,
});

const Reviewer = Type.Object({
  personId: Uuid,
  name: Type.String(),
  vendorId: Uuid,
  vendorName: Type.String(),
  vendorIsInHouse: Type.Boolean(),
  siteId: Uuid,
  siteName: Nullable(Type.String()),
  teamId: Nullable(Uuid),
  teamName: Nullable(Type.String()),
  jobRole: Type.String(),
  status: Type.String(),
  languages: Type.Array(Type.String()),
  workflowIds: Type.Array(Uuid),
  dailyCapacity: Type.Integer({ description: 'Tasks automatic assignment gives them per UTC day' }),
  capacityIsDefault: Type.Boolean(),
  assignedOpen: Type.Integer({ description: 'Assigned to them and open (not claimed)' }),
  claimed: Type.Integer({ description: 'Claimed by them under a live lease' }),
  overdue: Type.Integer(),
  assignedToday: Type.Integer({ description: 'Tasks created today (UTC) and assigned to them, across workflows' }),
});

const WorkflowQueue = Type.Object({
  workflowId: Uuid,
  workflowName: Type.String(),
  open: Type.Integer(),
  claimed: Type.Integer(),
  overdue: Type.Integer(),
  dueNext24h: Type.Integer(),
  unassigned: Type.Integer(),
  completedLast7d: Type.Integer(),
  oldestDueAt: Nullable(DateTime),
});

const WorkflowSettings = Type.Object({
  workflowId: Uuid,
  workflowName: Type.String(),
  workflowStatus: Type.Union([Type.Literal('active'), Type.Literal('inactive')]),
  turnaroundHours: Type.Integer(),
  leaseMinutes: Type.Integer(),
  internalReviewsVendorWork: Type.Boolean(),
  isDefault: Type.Boolean({ description: 'Nothing set yet: the defaults apply' }),
  updatedAt: Nullable(DateTime),
});

const WorkflowFilter = { workflowId: Type.Optional(Uuid) };
const conflictErrors = { ...commonErrors, 409: Type.Ref('Error') };

export const qaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/qa/tasks',
    {
      config: { access: { permission: 'qa.queue' } },
      schema: {
        tags: ['QA queue'],
        summary: 'QA tasks in scope, oldest due first; overdue=true is the overdue view; q searches the agent name',
        querystring: Type.Object({
          ...PageQuery,
          ...WorkflowFilter,
          status: Type.Optional(TaskStatus),
          assigneeId: Type.Optional(Uuid),
          unassigned: Type.Optional(Type.Boolean({ description: 'Only tasks in the workflow pool (nobody assigned)' })),
          vendorId: Type.Optional(Uuid),
          siteId: Type.Optional(Uuid),
          teamId: Type.Optional(Uuid),
          agentId: Type.Optional(Uuid),
          overdue: Type.Optional(Type.Boolean()),
        }),
        response: { 200: ListOf(QaTask), ...commonErrors },
      },
    },
    (request) => request.db((trx) => queue.listTasks(trx, request.query, pageOf(request.query))),
  );

  app.get(
    '/api/qa/tasks/:id',
    {
      config: { access: { permission: 'qa.queue' } },
      schema: { tags: ['QA queue'], summary: 'One QA task', params: IdParams, response: { 200: QaTask, ...commonErrors } },
    },
    (request) => request.db((trx) => queue.getTask(trx, request.params.id)),
  );

  app.post(
    '/api/qa/tasks/next',
    {
      config: { access: { permission: 'qa.review' } },
      schema: {
        tags: ['QA queue'],
        summary:
          'Claim your next task: the one you hold, else your oldest-due assigned task, else the oldest-due pool task you may review. 204 when there is none.',
        body: Type.Object(WorkflowFilter, { additionalProperties: false, description: 'Optional: a request without a body means any workflow' }),
        response: { 200: QaTask, 204: Type.Null({ description: 'Nothing to review' }), ...commonErrors },
      },
      // "Next, anything" is naturally a bare POST: treat a missing body as an empty one.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const task = await request.db((trx) => claims.takeNextTask(trx, request.actor(), request.body));
      return task ? task : reply.status(204).send(null);
    },
  );

  app.post(
    '/api/qa/tasks/:id/claim',
    {
      config: { access: { permission: 'qa.review' } },
      schema: {
        tags: ['QA queue'],
        summary: 'Claim a task for the lease time; 409 when someone else holds it or it is closed',
        params: IdParams,
        response: { 200: QaTask, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => claims.claimTask(trx, request.actor(), request.params.id)),
  );

  app.post(
    '/api/qa/tasks/:id/release',
    {
      config: { access: { permission: 'qa.review' } },
      schema: { tags: ['QA queue'], summary: 'Give back a task you claimed (it stays assigned to you)', params: IdParams, response: { 200: QaTask, ...conflictErrors } },
    },
    (request) => request.db((trx) => claims.releaseTask(trx, request.actor(), request.params.id)),
  );

  app.post(
    '/api/qa/tasks/:id/renew',
    {
      config: { access: { permission: 'qa.review' } },
      schema: { tags: ['QA queue'], summary: 'Extend the lease on a task you claimed', params: IdParams, response: { 200: QaTask, ...conflictErrors } },
    },
    (request) => request.db((trx) => claims.renewLease(trx, request.actor(), request.params.id)),
  );

  app.patch(
    '/api/qa/tasks/:id',
    {
      config: { access: { permission: 'qa.manage' } },
      schema: {
        tags: ['QA queue'],
        summary: 'Reassign a task to an eligible reviewer, or to the pool (null); ends any claim',
        params: IdParams,
        body: Type.Object({ assigneeId: Nullable(Uuid) }, { additionalProperties: false }),
        response: { 200: QaTask, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => claims.reassignTask(trx, request.actor(), request.params.id, request.body.assigneeId)),
  );

  app.get(
    '/api/qa/queue/summary',
    {
      config: { access: { permission: 'qa.queue' } },
      schema: {
        tags: ['QA queue'],
        summary: 'Queue state per workflow and workload per reviewer, in scope',
        querystring: Type.Object(WorkflowFilter),
        response: {
          200: Type.Object({ generatedAt: DateTime, workflows: Type.Array(WorkflowQueue), reviewers: Type.Array(Reviewer) }),
          ...commonErrors,
        },
      },
    },
    (request) => request.db((trx) => queue.queueSummary(trx, request.query)),
  );

  app.get(
    '/api/qa/reviewers',
    {
      config: { access: { permission: 'qa.queue' } },
      schema: {
        tags: ['QA queue'],
        summary: 'QA specialists and leads in scope (skilled in the workflow, when given) with capacity and workload; q searches names',
        querystring: Type.Object({ ...PageQuery, ...WorkflowFilter, vendorId: Type.Optional(Uuid) }),
        response: { 200: ListOf(Reviewer), ...commonErrors },
      },
    },
    (request) => request.db((trx) => queue.listReviewers(trx, request.query, pageOf(request.query))),
  );

  app.put(
    '/api/qa/reviewers/:personId/capacity',
    {
      config: { access: { permission: 'qa.manage' } },
      schema: {
        tags: ['QA queue'],
        summary: "Set a reviewer's daily capacity (tasks per UTC day; 0 pauses automatic assignment)",
        params: Type.Object({ personId: Uuid }),
        body: Type.Object({ dailyCapacity: Type.Integer({ minimum: 0, maximum: 2000 }) }, { additionalProperties: false }),
        response: { 200: Reviewer, ...commonErrors },
      },
    },
    (request) => request.db((trx) => settings.setReviewerCapacity(trx, request.actor(), request.params.personId, request.body.dailyCapacity)),
  );

  app.get(
    '/api/qa/settings',
    {
      config: { access: { permission: 'qa.queue' } },
      schema: {
        tags: ['QA queue'],
        summary: 'QA settings of every workflow, defaults filled in',
        response: { 200: Type.Object({ items: Type.Array(WorkflowSettings) }), ...commonErrors },
      },
    },
    async (request) => ({ items: await request.db((trx) => settings.listWorkflowSettings(trx)) }),
  );

  app.put(
    '/api/qa/settings/:workflowId',
    {
      config: { access: { permission: 'qa.manage' } },
      schema: {
        tags: ['QA queue'],
        summary: "Set a workflow's QA turnaround target, claim lease and in-house review rule (scope all only)",
        params: Type.Object({ workflowId: Uuid }),
        body: Type.Object(
          {
            turnaroundHours: Type.Integer({ minimum: 1, maximum: 720, description: 'Hours from sampling to due date' }),
            leaseMinutes: Type.Integer({ minimum: 1, maximum: 480, description: 'How long a claim holds a task' }),
            internalReviewsVendorWork: Type.Boolean({ description: "Vendor agents' work is reviewed by in-house QA only" }),
          },
          { additionalProperties: false },
        ),
        response: { 200: WorkflowSettings, ...commonErrors },
      },
    },
    (request) => request.db((trx) => settings.updateWorkflowSettings(trx, request.actor(), request.params.workflowId, request.body)),
  );
};
