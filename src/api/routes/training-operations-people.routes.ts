import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import * as coaching from '../../domain/training-operations/coaching.service.ts';
import * as surveys from '../../domain/training-operations/surveys.service.ts';
import * as trainers from '../../domain/training-operations/trainers.service.ts';
import { commonErrors, IdParams, Nullable, pageOf } from '../schemas.ts';

/** Coaching, trainers and reaction surveys (registered by training-operations.routes.ts). */

const TAG = 'Training operations';
const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const conflictErrors = { ...commonErrors, 409: Type.Ref('Error') };
const Key = Type.String({ maxLength: 50 });

const ActionStatus = Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('not_done'), Type.Literal('cancelled')]);
const Action = Type.Object({
  id: Uuid, sessionId: Uuid, description: Type.String(), ownerId: Uuid, ownerName: Nullable(Type.String()), followUpOn: Type.String(), status: ActionStatus,
  overdue: Type.Boolean(), followUpNote: Type.String(), followedUpAt: Nullable(DateTime), followedUpBy: Nullable(Type.String()),
});
const ActionBody = Type.Object({ description: Type.String({ minLength: 1, maxLength: 1000 }), ownerId: Uuid, followUpOn: Day }, { additionalProperties: false });
const CoachingSummary = {
  id: Uuid, personId: Uuid, personName: Nullable(Type.String()), coachId: Uuid, coachName: Nullable(Type.String()), vendorId: Uuid, heldOn: Type.String(),
  topic: Type.String(), errorTypes: Type.Array(Type.String()), rootCauses: Type.Array(Type.String()), acknowledgedAt: Nullable(DateTime),
  actionsOpen: Type.Integer(), actionsOverdue: Type.Integer(), reviewCount: Type.Integer(),
};
const LinkedReview = Type.Object({
  id: Uuid, submittedAt: DateTime, score: Type.Number(), correct: Type.Boolean(), criticalFailed: Type.Boolean(), errorTypes: Type.Array(Type.String()),
  rootCauses: Type.Array(Type.String()), qaLabels: Type.Array(Type.String()), qaAction: Type.String(),
});
const CoachingDetail = Type.Object({
  ...CoachingSummary, notes: Type.String(), workflowId: Nullable(Uuid), createdBy: Type.String(), createdAt: DateTime,
  reviews: Type.Array(LinkedReview), actions: Type.Array(Action), canAcknowledge: Type.Boolean(),
});
const CoachingList = Type.Object({ items: Type.Array(Type.Object(CoachingSummary)), total: Type.Integer() });

const TrainerSummary = {
  personId: Uuid, fullName: Type.String(), jobRole: Type.String(), vendorId: Uuid, vendorName: Nullable(Type.String()), siteId: Uuid, siteName: Nullable(Type.String()),
  workflowIds: Type.Array(Uuid), specialities: Type.Array(Type.String()), languages: Type.Array(Type.String()), bio: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('inactive')]), certificationsValid: Type.Integer(), observations: Type.Integer(),
  lastObservedOn: Nullable(Type.String()), meanObservation: Nullable(Type.Number()), cohorts: Type.Integer(),
};
const CertKind = Type.Union([Type.Literal('delivery'), Type.Literal('coaching'), Type.Literal('assessment'), Type.Literal('nesting')]);
const TrainerDetail = Type.Object({
  ...TrainerSummary,
  certifications: Type.Array(Type.Object({
    id: Uuid, kind: CertKind, workflowId: Nullable(Uuid), workflowName: Nullable(Type.String()), awardedOn: Type.String(), expiresOn: Nullable(Type.String()),
    state: Type.String(), notes: Type.String(), awardedBy: Type.String(),
  })),
  observationRecords: Type.Array(Type.Object({
    id: Uuid, observerId: Uuid, observerName: Nullable(Type.String()), cohortSessionId: Nullable(Uuid), sessionTopic: Nullable(Type.String()), observedOn: Type.String(),
    scores: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), score: Type.Integer() })), overall: Type.Number(),
    strengths: Type.String(), improvements: Type.String(), notes: Type.String(), recordedBy: Type.String(),
  })),
  rubric: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
});
const PersonParams = Type.Object({ personId: Uuid });

const SurveyItem = Type.Object({ key: Key, text: Type.String({ maxLength: 500 }), kind: Type.Union([Type.Literal('likert'), Type.Literal('text')]) }, { additionalProperties: false });
const SurveyDefinition = Type.Object({
  id: Uuid, name: Type.String(), description: Type.String(), items: Type.Array(SurveyItem), minGroupSize: Type.Integer(), status: Type.String(), createdAt: DateTime,
  courseId: Nullable(Uuid), courseTitle: Nullable(Type.String()),
});
const Invitation = { id: Uuid, surveyId: Uuid, surveyName: Type.String(), contextLabel: Type.String(), sentAt: DateTime, respondedOn: Nullable(Type.String()) };
const Mean = Type.Object({ mean: Nullable(Type.Number()), lower: Nullable(Type.Number()), upper: Nullable(Type.Number()), sd: Nullable(Type.Number()), n: Type.Integer(), confidence: Type.Number() });

export const trainingPeopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Coaching
  app.get('/api/training-operations/coaching', {
    config: { access: { permission: 'training.read' } },
    schema: {
      tags: [TAG], summary: 'Coaching sessions in scope, newest first',
      querystring: Type.Object({
        personId: Type.Optional(Uuid), coachId: Type.Optional(Uuid), vendorId: Type.Optional(Uuid), openActions: Type.Optional(Type.Boolean()),
        from: Type.Optional(Day), to: Type.Optional(Day),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })), offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
      }),
      response: { 200: CoachingList, ...commonErrors },
    },
  }, (request) => request.db((trx) => coaching.listCoaching(trx, request.query, pageOf(request.query))));

  app.get('/api/training-operations/coaching/mine', {
    config: { access: { permission: 'training.learn' } },
    schema: { tags: [TAG], summary: 'The coaching sessions about the caller', response: { 200: CoachingList, ...commonErrors } },
  }, (request) => request.db((trx) => coaching.myCoaching(trx, request.actor())));

  app.get('/api/training-operations/coaching/follow-ups', {
    config: { access: { permission: 'training.read' } },
    schema: {
      tags: [TAG], summary: 'Open coaching actions with a follow-up on or before a day (default today)',
      querystring: Type.Object({ until: Type.Optional(Day), ownerId: Type.Optional(Uuid), coachId: Type.Optional(Uuid) }),
      response: {
        200: Type.Object({ items: Type.Array(Type.Intersect([Action, Type.Object({ personId: Uuid, personName: Nullable(Type.String()), coachId: Uuid, coachName: Nullable(Type.String()), heldOn: Type.String(), topic: Type.String() })])) }),
        ...commonErrors,
      },
    },
  }, (request) => request.db((trx) => coaching.listFollowUps(trx, request.query)));

  app.get('/api/training-operations/people/:personId/coaching-candidates', {
    config: { access: { permission: 'training.write' } },
    schema: { tags: [TAG], summary: "A person's recent reviews with errors, to link to a coaching session", params: PersonParams, response: { 200: Type.Object({ items: Type.Array(LinkedReview) }), ...commonErrors } },
  }, (request) => request.db((trx) => coaching.coachingCandidates(trx, request.params.personId)));

  app.post('/api/training-operations/coaching', {
    config: { access: { permission: 'training.write' } },
    schema: {
      tags: [TAG], summary: 'Record a coaching session: the person, the reviews and errors discussed, the actions agreed',
      body: Type.Object({
        personId: Uuid, coachId: Type.Optional(Uuid), heldOn: Day, topic: Type.String({ minLength: 1, maxLength: 200 }), notes: Type.Optional(Type.String({ maxLength: 20000 })),
        workflowId: Type.Optional(Nullable(Uuid)), reviewIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
        errorTypes: Type.Optional(Type.Array(Key, { maxItems: 10 })), rootCauses: Type.Optional(Type.Array(Key, { maxItems: 20 })),
        actions: Type.Optional(Type.Array(ActionBody, { maxItems: 20 })),
      }, { additionalProperties: false }),
      response: { 201: CoachingDetail, ...commonErrors },
    },
  }, async (request, reply) => reply.status(201).send(await request.db((trx) => coaching.createCoaching(trx, request.actor(), request.body))));

  app.get('/api/training-operations/coaching/:id', {
    config: { access: { permission: 'training.learn' } },
    schema: { tags: [TAG], summary: 'A coaching session (the person coached, or anyone who reads training in scope); each view is audited', params: IdParams, response: { 200: CoachingDetail, ...commonErrors } },
  }, (request) => request.db((trx) => coaching.getCoaching(trx, request.actor(), request.params.id)));

  app.post('/api/training-operations/coaching/:id/actions', {
    config: { access: { permission: 'training.write' } },
    schema: {
      tags: [TAG], summary: 'Add agreed actions to a coaching session', params: IdParams,
      body: Type.Object({ actions: Type.Array(ActionBody, { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }),
      response: { 200: CoachingDetail, ...commonErrors },
    },
  }, (request) => request.db((trx) => coaching.addCoachingActions(trx, request.actor(), request.params.id, request.body)));

  app.post('/api/training-operations/coaching/:id/acknowledge', {
    config: { access: { permission: 'training.learn' } },
    schema: { tags: [TAG], summary: 'The person coached acknowledges the session', params: IdParams, response: { 200: CoachingDetail, ...commonErrors } },
  }, (request) => request.db((trx) => coaching.acknowledgeCoaching(trx, request.actor(), request.params.id)));

  app.patch('/api/training-operations/coaching-actions/:id', {
    config: { access: { permission: 'training.write' } },
    schema: {
      tags: [TAG], summary: 'Record the follow-up of an action: done, not done, cancelled, or kept open with a new date', params: IdParams,
      body: Type.Object({ status: ActionStatus, note: Type.Optional(Type.String({ maxLength: 4000 })), followUpOn: Type.Optional(Day) }, { additionalProperties: false }),
      response: { 200: Action, ...conflictErrors },
    },
  }, (request) => request.db((trx) => coaching.followUpAction(trx, request.actor(), request.params.id, request.body)));

  // Trainers
  app.get('/api/training-operations/trainers', {
    config: { access: { permission: 'training.read' } },
    schema: {
      tags: [TAG], summary: 'Trainer profiles in scope with certifications held, observations and cohorts',
      querystring: Type.Object({ workflowId: Type.Optional(Uuid), status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('inactive')])) }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object(TrainerSummary)) }), ...commonErrors },
    },
  }, (request) => request.db((trx) => trainers.listTrainers(trx, request.query)));

  app.get('/api/training-operations/trainers/:personId', {
    config: { access: { permission: 'training.read' } },
    schema: { tags: [TAG], summary: 'A trainer: profile, train-the-trainer certifications, observation records', params: PersonParams, response: { 200: TrainerDetail, ...commonErrors } },
  }, (request) => request.db((trx) => trainers.getTrainer(trx, request.params.personId)));

  app.put('/api/training-operations/trainers/:personId', {
    config: { access: { permission: 'training.manage' } },
    schema: {
      tags: [TAG], summary: "Create or update a person's trainer profile", params: PersonParams,
      body: Type.Object({
        workflowIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })), specialities: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 30 })),
        languages: Type.Optional(Type.Array(Type.String({ maxLength: 10 }), { maxItems: 20 })), bio: Type.Optional(Type.String({ maxLength: 4000 })),
        status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('inactive')])),
      }, { additionalProperties: false }),
      response: { 200: TrainerDetail, ...commonErrors },
    },
  }, (request) => request.db((trx) => trainers.saveTrainerProfile(trx, request.actor(), request.params.personId, request.body)));

  app.post('/api/training-operations/trainers/:personId/certifications', {
    config: { access: { permission: 'training.manage' } },
    schema: {
      tags: [TAG], summary: 'Award a train-the-trainer certification', params: PersonParams,
      body: Type.Object({ kind: CertKind, workflowId: Type.Optional(Nullable(Uuid)), awardedOn: Day, expiresOn: Type.Optional(Nullable(Day)), notes: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
      response: { 201: TrainerDetail, ...commonErrors },
    },
  }, async (request, reply) => reply.status(201).send(await request.db((trx) => trainers.awardTrainerCertification(trx, request.actor(), request.params.personId, request.body))));

  app.post('/api/training-operations/trainers/:personId/observations', {
    config: { access: { permission: 'training.write' } },
    schema: {
      tags: [TAG], summary: "Record an observation of a trainer's session, scored 1-5 on the rubric", params: PersonParams,
      body: Type.Object({
        observerId: Type.Optional(Uuid), cohortSessionId: Type.Optional(Nullable(Uuid)), observedOn: Day,
        scores: Type.Array(Type.Object({ key: Key, score: Type.Integer({ minimum: 1, maximum: 5 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
        strengths: Type.Optional(Type.String({ maxLength: 4000 })), improvements: Type.Optional(Type.String({ maxLength: 4000 })), notes: Type.Optional(Type.String({ maxLength: 4000 })),
      }, { additionalProperties: false }),
      response: { 201: TrainerDetail, ...commonErrors },
    },
  }, async (request, reply) => reply.status(201).send(await request.db((trx) => trainers.recordObservation(trx, request.actor(), request.params.personId, request.body))));

  // Reaction surveys
  app.get('/api/training-operations/surveys', {
    config: { access: { permission: 'training.read' } },
    schema: { tags: [TAG], summary: 'Reaction survey definitions', response: { 200: Type.Object({ items: Type.Array(SurveyDefinition) }), ...commonErrors } },
  }, (request) => request.db((trx) => surveys.listSurveys(trx)));

  app.post('/api/training-operations/surveys', {
    config: { access: { permission: 'training.manage' } },
    schema: {
      tags: [TAG], summary: 'Add a reaction survey (scope "everything"); after training, the newest active survey of the course trained is sent, else the newest active general one',
      body: Type.Object({
        // Blank names and statements are refused by surveys.rules.ts, with messages that say what to write.
        name: Type.String({ maxLength: 200 }), description: Type.Optional(Type.String({ maxLength: 2000 })),
        courseId: Type.Optional(Nullable(Type.String({ format: 'uuid', description: 'The course this survey follows; omit or null for the general survey' }))),
        items: Type.Array(SurveyItem, { minItems: 1, maxItems: 30 }), minGroupSize: Type.Optional(Type.Integer({ minimum: 3, maximum: 100 })),
      }, { additionalProperties: false }),
      response: { 201: SurveyDefinition, ...commonErrors },
    },
  }, async (request, reply) => reply.status(201).send(await request.db((trx) => surveys.createSurvey(trx, request.actor(), request.body))));

  app.get('/api/training-operations/surveys/mine', {
    config: { access: { permission: 'training.learn' } },
    schema: { tags: [TAG], summary: "The caller's survey invitations, unanswered first", response: { 200: Type.Object({ items: Type.Array(Type.Object(Invitation)) }), ...commonErrors } },
  }, (request) => request.db((trx) => surveys.myInvitations(trx, request.actor())));

  app.get('/api/training-operations/survey-invitations/:id', {
    config: { access: { permission: 'training.learn' } },
    schema: {
      tags: [TAG], summary: 'One of the caller\'s survey invitations with its questions', params: IdParams,
      response: { 200: Type.Object({ ...Invitation, items: Type.Array(SurveyItem), anonymityNote: Type.String() }), ...commonErrors },
    },
  }, (request) => request.db((trx) => surveys.getInvitation(trx, request.actor(), request.params.id)));

  app.post('/api/training-operations/survey-invitations/:id/response', {
    config: { access: { permission: 'training.learn' } },
    schema: {
      tags: [TAG], summary: 'Answer a survey once; the answers are stored without the person', params: IdParams,
      body: Type.Object({
        ratings: Type.Record(Type.String({ maxLength: 50 }), Type.Integer({ minimum: 1, maximum: 5 })),
        comments: Type.Optional(Type.Record(Type.String({ maxLength: 50 }), Type.String({ maxLength: 4000 }))),
      }, { additionalProperties: false }),
      response: { 201: Type.Object(Invitation), ...conflictErrors },
    },
  }, async (request, reply) => reply.status(201).send(await request.db((trx) => surveys.respondToSurvey(trx, request.actor(), request.params.id, request.body))));

  app.get('/api/training-operations/surveys/:id/results', {
    config: { access: { permission: 'training.read' } },
    schema: {
      tags: [TAG], summary: 'Survey results per course, trainer, site or cohort: means with t 95% intervals, n; groups below the minimum size are withheld', params: IdParams,
      querystring: Type.Object({ by: Type.Optional(Type.Union([Type.Literal('course'), Type.Literal('trainer'), Type.Literal('site'), Type.Literal('cohort')])), from: Type.Optional(Day), to: Type.Optional(Day) }),
      response: {
        200: Type.Object({
          survey: SurveyDefinition, by: Type.String(), from: Type.String(), to: Type.String(), invited: Type.Integer(), responded: Type.Integer(),
          groups: Type.Array(Type.Object({
            groupId: Nullable(Type.String()), groupName: Nullable(Type.String()), n: Type.Integer(), suppressed: Type.Boolean(), overall: Nullable(Mean),
            items: Type.Array(Type.Intersect([Mean, Type.Object({ key: Type.String(), text: Type.String(), distribution: Type.Array(Type.Integer()), agreeShare: Nullable(Type.Number()) })])),
            comments: Type.Array(Type.Object({ key: Type.String(), text: Type.String() })),
          })),
        }),
        ...commonErrors,
      },
    },
  }, (request) => request.db((trx) => surveys.getSurveyResults(trx, request.params.id, request.query)));
};
