import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as sessions from '../../domain/calibration/calibration.service.ts';
import * as taking from '../../domain/calibration/calibration-taking.service.ts';
import * as results from '../../domain/calibration/calibration-results.service.ts';
import * as expert from '../../domain/calibration/calibration-expert.service.ts';
import { importRatings } from '../../domain/calibration/calibration-import.service.ts';
import { commonErrors, IdParams, ListOf, Nullable, pageOf } from '../schemas.ts';
import { calibrationExportRoutes } from './calibration-exports.routes.ts';
import {
  AnswersResponse,
  CandidateDecisions,
  CandidateGold,
  ExpertAnswer,
  ExpertWorkspace,
  Group,
  MySession,
  ResultsResponse,
  SavedRating,
  SessionDetail,
  SessionFacts,
  TakeView,
  TrendsResponse,
} from './calibration.schemas.ts';

/**
 * Calibration sessions (docs/decisions/0010). 'calibration.run' creates,
 * manages, closes and reads trends; 'calibration.take' scores the sessions
 * one is invited to and reads their revealed results. Exports are in
 * calibration-exports.routes.ts.
 */

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const conflictErrors = { ...commonErrors, 409: Type.Ref('Error') };
const Answer = Type.Object(
  {
    questionKey: Type.String({ maxLength: 100 }),
    value: Type.Union([Type.String({ maxLength: 100 }), Type.Number()]),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
    rootCause: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
const Expert = Type.Object(
  {
    labels: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 }),
    action: Type.String({ minLength: 1, maxLength: 200 }),
    answers: Type.Optional(Type.Array(Answer, { maxItems: 200 })),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
const ParticipantInput = Type.Object({ personId: Uuid, group: Type.Optional(Group) }, { additionalProperties: false });

const Status = Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')]));
const ItemParams = Type.Object({ id: Uuid, itemId: Uuid });

export const calibrationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(calibrationExportRoutes);

  app.get(
    '/api/calibration/sessions',
    {
      config: { access: { permission: 'calibration.run' } },
      schema: {
        tags: ['Calibration'],
        summary: 'Calibration sessions you manage, open first: status, due date, responses',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
          status: Status,
          workflowId: Type.Optional(Uuid),
          kind: Type.Optional(Type.Union([Type.Literal('scored'), Type.Literal('imported')])),
        }),
        response: { 200: ListOf(SessionFacts), ...commonErrors },
      },
    },
    (request) => request.db((trx) => sessions.listSessions(trx, request.actor(), request.query, pageOf(request.query))),
  );

  app.post(
    '/api/calibration/sessions',
    {
      config: { access: { permission: 'calibration.run' } },
      schema: {
        tags: ['Calibration'],
        summary: "Create a session on a workflow (its published scorecard is frozen in) with items, expert answers and participants",
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 200 }),
            workflowId: Uuid,
            dueAt: Type.Optional(Nullable(DateTime)),
            vendorId: Type.Optional(Nullable(Uuid)),
            items: Type.Optional(
              Type.Array(
                Type.Object({ source: Type.Union([Type.Literal('decision'), Type.Literal('gold')]), id: Uuid, expert: Type.Optional(Expert) }, { additionalProperties: false }),
                { maxItems: 200 },
              ),
            ),
            itemsCsv: Type.Optional(Type.String({ maxLength: 2_000_000, description: 'ref,content_text,content_url,content_kind,language,severity,expert_labels (| separated),expert_action,expert_note' })),
            participants: Type.Optional(Type.Array(ParticipantInput, { maxItems: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: SessionDetail, ...conflictErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => sessions.createSession(trx, request.actor(), request.body))),
  );

  app.get(
    '/api/calibration/sessions/:id',
    {
      config: { access: { permission: 'calibration.run' } },
      schema: {
        tags: ['Calibration'],
        summary: "The lead's view: items with expert answers (content view, audited), participants and who submitted (never their answers before close)",
        params: IdParams,
        response: { 200: SessionDetail, ...commonErrors },
      },
    },
    (request) => request.db((trx) => sessions.sessionDetail(trx, request.actor(), request.params.id)),
  );

  app.put(
    '/api/calibration/sessions/:id/items/:itemId/expert',
    {
      // The session's lead, or the policy SME they delegated it to (calibration-expert.service.ts checks which).
      config: { access: { permission: 'calibration.take' } },
      schema: {
        tags: ['Calibration'],
        summary: "Set an item's expert answer (before close): the session's lead, or a participant delegated to set them",
        params: ItemParams,
        body: Expert,
        response: { 200: ExpertAnswer, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => expert.setExpertAnswer(trx, request.actor(), request.params.id, request.params.itemId, request.body)),
  );

  app.patch(
    '/api/calibration/sessions/:id/participants/:participantId',
    {
      config: { access: { permission: 'calibration.run' } },
      schema: {
        tags: ['Calibration'],
        summary: 'Delegate setting the expert answers to an invited policy SME, or take it back (while the session is open)',
        params: Type.Object({ id: Uuid, participantId: Uuid }),
        body: Type.Object({ setsExpert: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: SessionDetail, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => expert.setExpertDelegate(trx, request.actor(), request.params.id, request.params.participantId, request.body.setsExpert)),
  );

  app.get(
    '/api/calibration/sessions/:id/expert',
    {
      config: { access: { permission: 'calibration.take' } },
      schema: {
        tags: ['Calibration'],
        summary: "The delegated SME's view: items (under your wellbeing protections), agent decisions and current expert answers; never others' ratings",
        params: IdParams,
        response: { 200: ExpertWorkspace, ...commonErrors },
      },
    },
    (request) => request.db((trx) => expert.expertWorkspace(trx, request.actor(), request.params.id)),
  );

  app.post(
    '/api/calibration/sessions/:id/participants',
    {
      config: { access: { permission: 'calibration.run' } },
      schema: {
        tags: ['Calibration'],
        summary: 'Invite more participants (already invited ones are skipped)',
        params: IdParams,
        body: Type.Object({ participants: Type.Array(ParticipantInput, { minItems: 1, maxItems: 100 }) }, { additionalProperties: false }),
        response: { 200: SessionDetail, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => sessions.inviteParticipants(trx, request.actor(), request.params.id, request.body.participants)),
  );

  app.post(
    '/api/calibration/sessions/:id/close',
    {
      config: { access: { permission: 'calibration.run' } },
      schema: { tags: ['Calibration'], summary: 'Close the session and reveal the results to participants and lead', params: IdParams, response: { 200: SessionFacts, ...conflictErrors } },
    },
    (request) => request.db((trx) => sessions.closeSession(trx, request.actor(), request.params.id)),
  );

  app.get(
    '/api/calibration/sessions/:id/results',
    {
      config: { access: { permission: 'calibration.take' } },
      schema: {
        tags: ['Calibration'],
        summary: 'Revealed results (closed sessions): alpha and AC1 with CIs on label and action, alignment with the expert, per question, most divergent items, per group',
        params: IdParams,
        response: { 200: ResultsResponse, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => results.sessionResults(trx, request.actor(), request.params.id)),
  );

  app.get(
    '/api/calibration/sessions/:id/answers',
    {
      config: { access: { permission: 'calibration.take' } },
      schema: {
        tags: ['Calibration'],
        summary: "Every item's answers beside the expert answer, with notes (closed sessions; content view, audited)",
        params: IdParams,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
        }),
        response: { 200: AnswersResponse, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => results.sessionAnswers(trx, request.actor(), request.params.id, pageOf(request.query))),
  );

  app.post(
    '/api/calibration/sessions/:id/items/:itemId/notes',
    {
      config: { access: { permission: 'calibration.take' } },
      schema: {
        tags: ['Calibration'],
        summary: 'Add a discussion note to an item (after the reveal)',
        params: ItemParams,
        body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Uuid, itemId: Uuid, authorLabel: Type.String(), body: Type.String(), createdAt: DateTime }), ...conflictErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => sessions.addNote(trx, request.actor(), request.params.id, request.params.itemId, request.body.body))),
  );

  app.post(
    '/api/calibration/sessions/:id/items/:itemId/exposure',
    {
      config: { access: { permission: 'calibration.take' } },
      schema: {
        tags: ['Calibration'],
        summary: "Record what you were shown: a view of an item's content and for how long, or a reveal (also audited); counts in your exposure",
        params: ItemParams,
        body: Type.Object(
          { event: Type.Union([Type.Literal('view'), Type.Literal('reveal')]), seconds: Type.Number({ minimum: 0, maximum: 86_400 }) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), harmType: Type.String(), severity: Nullable(Type.String()) }), ...commonErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => taking.recordItemExposure(trx, request.actor(), request.params.id, request.params.itemId, request.body))),
  );

  app.get(
    '/api/calibration/candidates/people',
    {
      config: { access: { permission: 'calibration.run' } },
      schema: {
        tags: ['Calibration'],
        summary: 'People in your scope who can take calibrations, with their default group',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), vendorId: Type.Optional(Uuid) }),
        response: {
          200: Type.Array(Type.Object({ personId: Uuid, name: Type.String(), jobRole: Type.String(), vendorId: Uuid, vendorName: Type.String(), group: Group })),
          ...commonErrors,
        },
      },
    },
    (request) => request.db((trx) => sessions.candidatePeople(trx, request.actor(), request.query)),
  );

  app.get(
    '/api/calibration/candidates/decisions',
    {
      config: { access: { permission: 'calibration.run' } },
      schema: {
        tags: ['Calibration'],
        summary: "Reviewed decisions of a workflow in your scope to calibrate on, newest first, with the review's verdict",
        querystring: Type.Object({
          workflowId: Uuid,
          vendorId: Type.Optional(Uuid),
          policy: Type.Optional(Type.String({ maxLength: 100 })),
          label: Type.Optional(Type.String({ maxLength: 200 })),
          severity: Type.Optional(Type.Union(['critical', 'high', 'medium', 'low', 'none'].map((s) => Type.Literal(s)))),
          from: Type.Optional(Type.String({ format: 'date' })),
          to: Type.Optional(Type.String({ format: 'date' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
        response: { 200: CandidateDecisions, ...commonErrors },
      },
    },
    (request) => request.db((trx) => sessions.candidateDecisions(trx, request.actor(), { ...request.query, policyKey: request.query.policy })),
  );

  app.get(
    '/api/calibration/candidates/gold',
    {
      config: { access: { permission: 'calibration.run' } },
      schema: { tags: ['Calibration'], summary: 'Active gold items of a workflow in your scope', querystring: Type.Object({ workflowId: Uuid }), response: { 200: CandidateGold, ...commonErrors } },
    },
    (request) => request.db((trx) => sessions.candidateGoldItems(trx, request.actor(), request.query.workflowId)),
  );

  app.post(
    '/api/calibration/imports',
    {
      config: { access: { permission: 'calibration.run' } },
      schema: {
        tags: ['Calibration'],
        summary: 'Load external ratings (a CSV of item, rater, label) as a closed session with the raters as participants; answers its results',
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 200 }),
            csv: Type.String({ minLength: 1, maxLength: 4_000_000 }),
            itemColumn: Type.Optional(Type.String({ maxLength: 100 })),
            raterColumn: Type.Optional(Type.String({ maxLength: 100 })),
            labelColumn: Type.Optional(Type.String({ maxLength: 100 })),
            vendorId: Type.Optional(Nullable(Uuid)),
          },
          { additionalProperties: false },
        ),
        response: { 201: ResultsResponse, ...conflictErrors },
      },
    },
    async (request, reply) => {
      const { title, csv, itemColumn, raterColumn, labelColumn, vendorId } = request.body;
      const answer = await request.db((trx) => importRatings(trx, request.actor(), { title, csv, vendorId, columns: { item: itemColumn, rater: raterColumn, label: labelColumn } }));
      return reply.status(201).send(answer);
    },
  );

  app.get(
    '/api/calibration/trends',
    {
      config: { access: { permission: 'calibration.run' } },
      schema: {
        tags: ['Calibration'],
        summary: 'Calibration over time: per session alpha/AC1, per vendor, person and group the share matching the expert (Wilson CI)',
        querystring: Type.Object({ workflowId: Type.Optional(Uuid), from: Type.Optional(Type.String({ format: 'date' })) }),
        response: { 200: TrendsResponse, ...commonErrors },
      },
    },
    (request) => request.db((trx) => results.trends(trx, request.actor(), request.query)),
  );

  app.get(
    '/api/calibration/mine',
    {
      config: { access: { permission: 'calibration.take' } },
      schema: { tags: ['Calibration'], summary: 'My calibrations: the sessions I am invited to, with my progress', querystring: Type.Object({ status: Status }), response: { 200: ListOf(MySession), ...commonErrors } },
    },
    (request) => request.db((trx) => taking.myCalibrations(trx, request.actor(), request.query)),
  );

  app.get(
    '/api/calibration/sessions/:id/take',
    {
      config: { access: { permission: 'calibration.take' } },
      schema: {
        tags: ['Calibration'],
        summary: 'The blind scoring screen: items (content view, audited; wellbeing protections), scorecard, my own ratings only',
        params: IdParams,
        response: { 200: TakeView, ...commonErrors },
      },
    },
    (request) => request.db((trx) => taking.participantView(trx, request.actor(), request.params.id)),
  );

  app.put(
    '/api/calibration/sessions/:id/take/items/:itemId',
    {
      config: { access: { permission: 'calibration.take' } },
      schema: {
        tags: ['Calibration'],
        summary: 'Save my rating of one item (labels, action, scorecard answers) while the session is open',
        params: ItemParams,
        body: Type.Object(
          { labels: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 }), action: Type.String({ minLength: 1, maxLength: 200 }), answers: Type.Optional(Type.Array(Answer, { maxItems: 200 })) },
          { additionalProperties: false },
        ),
        response: { 200: SavedRating, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => taking.saveRating(trx, request.actor(), request.params.id, request.params.itemId, request.body)),
  );

  app.post(
    '/api/calibration/sessions/:id/take/submit',
    {
      config: { access: { permission: 'calibration.take' } },
      schema: {
        tags: ['Calibration'],
        summary: 'Submit my answers (every item rated); they are final',
        params: IdParams,
        response: { 200: Type.Object({ submittedAt: DateTime, ratedItems: Type.Integer() }), ...conflictErrors },
      },
    },
    (request) => request.db((trx) => taking.submit(trx, request.actor(), request.params.id)),
  );
};
