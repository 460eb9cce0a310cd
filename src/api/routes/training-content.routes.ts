import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@fastify/type-provider-typebox';
import * as contentService from '../../domain/training/content.service.ts';
import * as builder from '../../domain/training/assessment-builder.service.ts';
import * as attachments from '../../domain/training/module-attachments.service.ts';
import * as placement from '../../domain/training/course-placement.service.ts';
import { commonErrors, IdParams, ProportionInterval } from '../schemas.ts';
import { ModuleView } from './training-learning.routes.ts';

const Uuid = Type.String({ format: 'uuid' });
// Null first: with type coercion on, a null tried against the integer branch first would become 0.
const Nullable = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);
const PhaseKind = Type.Union([Type.Literal('classroom'), Type.Literal('nesting'), Type.Literal('production')]);
const ContentStatus = Type.Union([Type.Literal('active'), Type.Literal('retired')]);
const Phase = Type.Object(
  { kind: PhaseKind, name: Type.String({ maxLength: 120 }), durationDays: Type.Integer(), description: Type.Optional(Type.String({ maxLength: 4000 })) },
  { additionalProperties: false },
);
const VersionFields = {
  title: Type.Optional(Type.String({ maxLength: 200 })),
  summary: Type.Optional(Type.String({ maxLength: 4000 })),
  policyIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  policyVersionIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  policyLabelKeys: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 200 })),
  estimatedMinutes: Type.Optional(Nullable(Type.Integer())),
};
const Excerpt = Type.Object({ policyVersionId: Uuid, quote: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false });
const ModuleBody = {
  title: Type.String({ maxLength: 200 }),
  bodyMd: Type.Optional(Type.String({ maxLength: 200_000, description: 'Markdown; raw HTML is not rendered' })),
  required: Type.Optional(Type.Boolean()),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  policyExcerpts: Type.Optional(Type.Array(Excerpt, { maxItems: 20 })),
};
const ItemOption = Type.Object({ id: Type.String({ maxLength: 100 }), text: Type.String({ maxLength: 2000 }) }, { additionalProperties: false });
const ItemBody = {
  stem: Type.String({ maxLength: 20_000 }),
  options: Type.Optional(Type.Array(ItemOption, { maxItems: 26 })),
  correctOptionIds: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 26 }),
  explanation: Type.Optional(Type.String({ maxLength: 4000 })),
  points: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
};
const tags = ['Training'];
const DateTime = Type.String({ format: 'date-time' });
const conflictErrors = { ...commonErrors, 409: Type.Ref('Error') };
const Status = Type.Union([Type.Literal('active'), Type.Literal('retired')]);

// Response shapes: they mirror Program, Course, CourseVersionDetail (content.service.ts), ItemView,
// AssessmentView, ItemAnalysis (assessment-builder.service.ts) exactly, since Fastify drops any
// property a response schema does not name.
export const Program = Type.Object({
  id: Uuid,
  vendorId: Nullable(Uuid),
  vendorName: Nullable(Type.String()),
  workflowId: Uuid,
  workflowName: Type.String(),
  kind: Type.Union([Type.Literal('new_hire'), Type.Literal('continuous')]),
  name: Type.String(),
  description: Type.String(),
  status: Status,
  phases: Type.Array(Type.Object({ id: Uuid, position: Type.Integer(), kind: PhaseKind, name: Type.String(), durationDays: Type.Integer(), description: Type.String() })),
});
export const Course = Type.Object({
  id: Uuid,
  vendorId: Nullable(Uuid),
  vendorName: Nullable(Type.String()),
  workflowId: Uuid,
  workflowName: Type.String(),
  programId: Nullable(Uuid),
  programName: Nullable(Type.String()),
  programPhaseId: Nullable(Uuid),
  title: Type.String(),
  status: Status,
  publishedVersion: Nullable(Type.Object({ id: Uuid, version: Type.Integer(), publishedAt: DateTime })),
  draftVersion: Nullable(Type.Object({ id: Uuid, version: Type.Integer() })),
});
export const ItemView = Type.Object({
  id: Uuid,
  position: Type.Integer(),
  kind: Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('true_false'), Type.Literal('case')]),
  stem: Type.String(),
  options: Type.Array(Type.Object({ id: Type.String(), text: Type.String() })),
  correctOptionIds: Type.Array(Type.String()),
  explanation: Type.String(),
  points: Type.Number(),
  decisionId: Nullable(Uuid),
  caseSnapshot: Nullable(
    Type.Object({
      decisionId: Uuid,
      externalId: Type.String(),
      workflowName: Type.String(),
      severity: Nullable(Type.Union([Type.Literal('critical'), Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')])),
      decidedAt: DateTime,
      content: Type.Object({ kind: Type.String(), text: Nullable(Type.String()), url: Nullable(Type.String()), language: Nullable(Type.String()) }),
      knownAction: Type.String(),
      reviewId: Uuid,
    }),
  ),
});
export const AssessmentView = Type.Object({
  id: Uuid,
  passMark: Type.Number(),
  timeLimitMinutes: Nullable(Type.Integer()),
  attemptsAllowed: Nullable(Type.Integer()),
  formSize: Nullable(Type.Integer()),
  randomiseItems: Type.Boolean(),
  randomiseOptions: Type.Boolean(),
  items: Type.Array(ItemView),
});
export const CourseVersionDetail = Type.Object({
  id: Uuid,
  courseId: Uuid,
  courseTitle: Type.String(),
  vendorId: Nullable(Uuid),
  workflowId: Uuid,
  version: Type.Integer(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('retired')]),
  title: Type.String(),
  summary: Type.String(),
  policyIds: Type.Array(Uuid),
  policyVersionIds: Type.Array(Uuid),
  policyLabelKeys: Type.Array(Type.String()),
  estimatedMinutes: Nullable(Type.Integer()),
  publishedAt: Nullable(DateTime),
  modules: Type.Array(ModuleView),
  assessment: Nullable(AssessmentView),
  versions: Type.Array(Type.Object({ id: Uuid, version: Type.Integer(), status: Type.String(), publishedAt: Nullable(DateTime) })),
});
export const ItemAnalysis = Type.Object({
  assessmentId: Uuid,
  attempts: Type.Integer(),
  items: Type.Array(
    Type.Object({
      itemId: Uuid,
      n: Type.Integer(),
      correct: Type.Integer(),
      facility: ProportionInterval,
      pointBiserial: Nullable(Type.Number()),
      upperLower: Nullable(Type.Object({ index: Type.Number(), groupSize: Type.Integer(), upper: Type.Number(), lower: Type.Number() })),
      flags: Type.Array(
        Type.Union([Type.Literal('too_easy'), Type.Literal('too_hard'), Type.Literal('low_discrimination'), Type.Literal('negative_discrimination'), Type.Literal('few_responses')]),
      ),
      stem: Type.String(),
      kind: Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('true_false'), Type.Literal('case')]),
      position: Type.Integer(),
    }),
  ),
});
const Attachment = Type.Object({ id: Uuid, fileName: Type.String(), contentType: Type.String(), sizeBytes: Type.Integer() });

export const trainingContentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/training/programs',
    { config: { access: { permission: 'training.read' } }, schema: { tags, summary: 'Training programs (new-hire paths with phases, continuous learning)', querystring: Type.Object({ workflowId: Type.Optional(Uuid) }), response: { 200: Type.Object({ items: Type.Array(Program) }), ...commonErrors } } },
    (request) => request.db(async (trx) => ({ items: await contentService.listPrograms(trx, request.query) })),
  );
  app.post(
    '/api/training/programs',
    {
      config: { access: { permission: 'training.write' } },
      schema: {
        tags,
        summary: 'Create a program with its phases',
        body: Type.Object(
          {
            vendorId: Type.Optional(Nullable(Uuid)),
            workflowId: Uuid,
            kind: Type.Union([Type.Literal('new_hire'), Type.Literal('continuous')]),
            name: Type.String({ maxLength: 120 }),
            description: Type.Optional(Type.String({ maxLength: 4000 })),
            phases: Type.Array(Phase, { maxItems: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Program, ...commonErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => contentService.createProgram(trx, request.actor(), request.body))),
  );
  app.get(
    '/api/training/programs/:id',
    { config: { access: { permission: 'training.read' } }, schema: { tags, summary: 'A program', params: IdParams, response: { 200: Program, ...commonErrors } } },
    (request) => request.db((trx) => contentService.getProgram(trx, request.params.id)),
  );
  app.patch(
    '/api/training/programs/:id',
    {
      config: { access: { permission: 'training.write' } },
      schema: {
        tags,
        summary: 'Rename, retire or re-phase a program',
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Type.String({ maxLength: 120 })), description: Type.Optional(Type.String({ maxLength: 4000 })), status: Type.Optional(ContentStatus), phases: Type.Optional(Type.Array(Phase, { maxItems: 20 })) },
          { additionalProperties: false },
        ),
        response: { 200: Program, ...commonErrors },
      },
    },
    (request) => request.db((trx) => contentService.updateProgram(trx, request.actor(), request.params.id, request.body)),
  );

  app.get(
    '/api/training/courses',
    {
      config: { access: { permission: 'training.read' } },
      schema: {
        tags,
        summary: 'Courses with their published and draft versions',
        querystring: Type.Object({ workflowId: Type.Optional(Uuid), programId: Type.Optional(Uuid), status: Type.Optional(ContentStatus) }),
        response: { 200: Type.Object({ items: Type.Array(Course) }), ...commonErrors },
      },
    },
    (request) => request.db(async (trx) => ({ items: await contentService.listCourses(trx, request.query) })),
  );
  app.post(
    '/api/training/courses',
    {
      config: { access: { permission: 'training.write' } },
      schema: {
        tags,
        summary: 'Create a course (and its first draft version)',
        body: Type.Object(
          {
            ...VersionFields,
            title: Type.String({ maxLength: 200 }),
            vendorId: Type.Optional(Nullable(Uuid)),
            workflowId: Uuid,
            programId: Type.Optional(Nullable(Uuid)),
            programPhaseId: Type.Optional(Nullable(Uuid)),
          },
          { additionalProperties: false },
        ),
        response: { 201: Course, ...commonErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => contentService.createCourse(trx, request.actor(), request.body))),
  );
  app.get(
    '/api/training/courses/:id',
    { config: { access: { permission: 'training.read' } }, schema: { tags, summary: 'A course', params: IdParams, response: { 200: Course, ...commonErrors } } },
    (request) => request.db((trx) => contentService.getCourse(trx, request.params.id)),
  );
  app.patch(
    '/api/training/courses/:id',
    {
      config: { access: { permission: 'training.write' } },
      schema: {
        tags,
        summary: "Move a course to another program or phase, or out of its program (the program must train the course's workflow)",
        params: IdParams,
        body: Type.Object(
          {
            programId: Type.Optional(Nullable(Type.String({ format: 'uuid', description: 'null: out of any program; omitted: keep the current program' }))),
            programPhaseId: Type.Optional(Nullable(Type.String({ format: 'uuid', description: 'A phase of that program; null or omitted: in the program without a phase' }))),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Course, ...commonErrors },
      },
    },
    (request) => request.db((trx) => placement.placeCourse(trx, request.actor(), request.params.id, request.body)),
  );
  app.post(
    '/api/training/courses/:id/drafts',
    { config: { access: { permission: 'training.write' } }, schema: { tags, summary: 'Start a new draft version from the published one', params: IdParams, response: { 201: CourseVersionDetail, ...conflictErrors } } },
    async (request, reply) => reply.status(201).send(await request.db((trx) => contentService.createDraft(trx, request.actor(), request.params.id))),
  );

  app.get(
    '/api/training/course-versions/:id',
    { config: { access: { permission: 'training.read' } }, schema: { tags, summary: 'A course version with its modules and assessment (answer key included: trainers only)', params: IdParams, response: { 200: CourseVersionDetail, ...commonErrors } } },
    (request) => request.db((trx) => contentService.getVersion(trx, request.params.id, request.actor())),
  );
  app.patch(
    '/api/training/course-versions/:id',
    { config: { access: { permission: 'training.write' } }, schema: { tags, summary: 'Edit a draft version', params: IdParams, body: Type.Object(VersionFields, { additionalProperties: false }), response: { 200: CourseVersionDetail, ...conflictErrors } } },
    (request) => request.db((trx) => contentService.updateDraft(trx, request.actor(), request.params.id, request.body)),
  );
  app.post(
    '/api/training/course-versions/:id/publish',
    { config: { access: { permission: 'training.write' } }, schema: { tags, summary: 'Publish a draft: it is frozen from now on and new enrolments get it', params: IdParams, response: { 200: CourseVersionDetail, ...conflictErrors } } },
    (request) => request.db((trx) => contentService.publishVersion(trx, request.actor(), request.params.id)),
  );
  app.post(
    '/api/training/course-versions/:id/modules',
    { config: { access: { permission: 'training.write' } }, schema: { tags, summary: 'Add a module to a draft', params: IdParams, body: Type.Object(ModuleBody, { additionalProperties: false }), response: { 201: ModuleView, ...conflictErrors } } },
    async (request, reply) => reply.status(201).send(await request.db((trx) => contentService.addModule(trx, request.actor(), request.params.id, request.body))),
  );
  app.patch(
    '/api/training/modules/:id',
    { config: { access: { permission: 'training.write' } }, schema: { tags, summary: 'Edit a module of a draft', params: IdParams, body: Type.Partial(Type.Object(ModuleBody), { additionalProperties: false }), response: { 200: ModuleView, ...conflictErrors } } },
    (request) => request.db((trx) => contentService.updateModule(trx, request.actor(), request.params.id, request.body)),
  );
  app.delete(
    '/api/training/modules/:id',
    { config: { access: { permission: 'training.write' } }, schema: { tags, summary: 'Remove a module from a draft', params: IdParams } },
    async (request, reply) => {
      await request.db((trx) => contentService.deleteModule(trx, request.actor(), request.params.id));
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/training/modules/:id/attachments',
    {
      config: { access: { permission: 'training.write' } },
      schema: {
        tags,
        summary: 'Attach a file (PDF, image, text; at most 3 MiB; the content must match its type)',
        params: IdParams,
        body: Type.Object(
          { fileName: Type.String({ maxLength: 200 }), contentType: Type.String({ maxLength: 100 }), contentBase64: Type.String({ maxLength: 4_300_000 }) },
          { additionalProperties: false },
        ),
        response: { 201: Attachment, ...conflictErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => attachments.addAttachment(trx, request.actor(), request.params.id, request.body))),
  );
  app.delete(
    '/api/training/attachments/:id',
    { config: { access: { permission: 'training.write' } }, schema: { tags, summary: 'Remove an attachment from a draft', params: IdParams } },
    async (request, reply) => {
      await request.db((trx) => attachments.deleteAttachment(trx, request.actor(), request.params.id));
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/training/attachments/:id',
    { config: { access: { permission: 'training.learn' } }, schema: { tags, summary: 'Download an attachment of a course you can see', params: IdParams } },
    async (request, reply) => {
      const file = await request.db((trx) => attachments.getAttachment(trx, request.params.id));
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName.replace(/[^\w.\- ]/g, '_')}"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(file.content);
    },
  );

  app.put(
    '/api/training/course-versions/:id/assessment',
    {
      config: { access: { permission: 'training.write' } },
      schema: {
        tags,
        summary: "Set a draft's assessment: pass mark (proportion), time limit, attempts, form size, randomisation",
        params: IdParams,
        body: Type.Object(
          {
            passMark: Type.Optional(Type.Number()),
            timeLimitMinutes: Type.Optional(Nullable(Type.Integer())),
            attemptsAllowed: Type.Optional(Nullable(Type.Integer())),
            formSize: Type.Optional(Nullable(Type.Integer())),
            randomiseItems: Type.Optional(Type.Boolean()),
            randomiseOptions: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: AssessmentView, ...conflictErrors },
      },
    },
    (request) => request.db((trx) => builder.setAssessment(trx, request.actor(), request.params.id, request.body)),
  );
  app.post(
    '/api/training/course-versions/:id/items',
    {
      config: { access: { permission: 'training.write' } },
      schema: {
        tags,
        summary: "Add an item to a draft's bank (single, multiple or true/false)",
        params: IdParams,
        body: Type.Object({ kind: Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('true_false')]), ...ItemBody }, { additionalProperties: false }),
        response: { 201: ItemView, ...conflictErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => builder.addItem(trx, request.actor(), request.params.id, request.body))),
  );
  app.post(
    '/api/training/course-versions/:id/case-items',
    {
      config: { access: { permission: 'training.write' } },
      schema: {
        tags,
        summary: 'Add a case item built from a reviewed decision (its QA verdict is the key); the content view is audited',
        params: IdParams,
        body: Type.Object(
          { decisionId: Uuid, stem: Type.Optional(Type.String({ maxLength: 20_000 })), explanation: Type.Optional(Type.String({ maxLength: 4000 })), points: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })) },
          { additionalProperties: false },
        ),
        response: { 201: ItemView, ...conflictErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await request.db((trx) => builder.addCaseItem(trx, request.actor(), request.params.id, request.body))),
  );
  app.patch(
    '/api/training/items/:id',
    { config: { access: { permission: 'training.write' } }, schema: { tags, summary: 'Edit an item of a draft', params: IdParams, body: Type.Object(ItemBody, { additionalProperties: false }), response: { 200: ItemView, ...conflictErrors } } },
    (request) => request.db((trx) => builder.updateItem(trx, request.actor(), request.params.id, request.body)),
  );
  app.delete(
    '/api/training/items/:id',
    { config: { access: { permission: 'training.write' } }, schema: { tags, summary: 'Remove an item from a draft', params: IdParams } },
    async (request, reply) => {
      await request.db((trx) => builder.deleteItem(trx, request.actor(), request.params.id));
      return reply.status(204).send();
    },
  );
  app.get(
    '/api/training/assessments/:id/item-analysis',
    { config: { access: { permission: 'training.read' } }, schema: { tags, summary: 'Facility and discrimination (corrected point-biserial, upper-lower 27%) per item, with n', params: IdParams, response: { 200: ItemAnalysis, ...commonErrors } } },
    (request) => request.db((trx) => builder.itemAnalysis(trx, request.params.id)),
  );
};
