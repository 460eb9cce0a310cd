import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ROLES, hasPermission, type Role } from '../../src/domain/access/roles.ts';
import { SCOPE_KINDS } from '../../src/domain/access/scope.ts';
import type { RouteAccessEntry } from '../../src/api/access.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { buildTestServer, tokenClient } from '../support/test-app.ts';
import { addUser, buildWorld, visibleIds, type World, type WorldUser } from '../support/org-world.ts';

/**
 * Every /api route x every role x every scope. Routes are read from the
 * running server, so a new route joins the matrix automatically, and the
 * matrix fails until the route says how its rows are scoped (COVERAGE).
 */
type Level = 'vendor' | 'site' | 'team' | 'person';
type Coverage =
  | { kind: 'public' }
  | { kind: 'self' } // about the caller only (profile, sign-out)
  | { kind: 'global' } // shared reference data (workflows, policies, actions): the permission gate is the check
  | { kind: 'list'; level: Level }
  | { kind: 'item'; level: Level }
  | { kind: 'create'; level: Exclude<Level, 'vendor'> | 'vendor' }
  | { kind: 'users' } // administrators only; admins always have scope all
  | { kind: 'tokens' } // own tokens; isolation tested in auth.test.ts
  | { kind: 'audit' }
  // Rows scoped through the agent they are about (decisions, samples, QA tasks): the dedicated
  // test named here checks lists, items and writes per scope; this matrix still checks 401 and 403.
  | { kind: 'scoped'; test: string };

const COVERAGE: Record<string, Coverage> = {
  'GET /api/health': { kind: 'public' },
  'GET /api/openapi.json': { kind: 'public' },
  'GET /api/setup': { kind: 'public' },
  'POST /api/setup': { kind: 'public' },
  'POST /api/auth/sign-in': { kind: 'public' },
  'POST /api/auth/sign-out': { kind: 'self' },
  'GET /api/auth/me': { kind: 'self' },
  'GET /api/vendors': { kind: 'list', level: 'vendor' },
  'POST /api/vendors': { kind: 'create', level: 'vendor' },
  'GET /api/vendors/:id': { kind: 'item', level: 'vendor' },
  'PATCH /api/vendors/:id': { kind: 'item', level: 'vendor' },
  'GET /api/sites': { kind: 'list', level: 'site' },
  'POST /api/sites': { kind: 'create', level: 'site' },
  'GET /api/sites/:id': { kind: 'item', level: 'site' },
  'PATCH /api/sites/:id': { kind: 'item', level: 'site' },
  'GET /api/teams': { kind: 'list', level: 'team' },
  'POST /api/teams': { kind: 'create', level: 'team' },
  'GET /api/teams/:id': { kind: 'item', level: 'team' },
  'PATCH /api/teams/:id': { kind: 'item', level: 'team' },
  'GET /api/people': { kind: 'list', level: 'person' },
  'POST /api/people': { kind: 'create', level: 'person' },
  'GET /api/people/:id': { kind: 'item', level: 'person' },
  'PATCH /api/people/:id': { kind: 'item', level: 'person' },
  'GET /api/workflows': { kind: 'global' },
  'POST /api/workflows': { kind: 'global' },
  'GET /api/workflows/:id': { kind: 'global' },
  'PATCH /api/workflows/:id': { kind: 'global' },
  'GET /api/actions': { kind: 'global' },
  'POST /api/actions': { kind: 'global' },
  'PATCH /api/actions/:key': { kind: 'global' },
  'GET /api/policies': { kind: 'global' },
  'POST /api/policies': { kind: 'global' },
  'GET /api/policies/:id': { kind: 'global' },
  'PATCH /api/policies/:id': { kind: 'global' },
  'POST /api/policies/:id/versions': { kind: 'global' },
  'GET /api/users': { kind: 'users' },
  'POST /api/users': { kind: 'users' },
  'GET /api/users/:id': { kind: 'users' },
  'PATCH /api/users/:id': { kind: 'users' },
  'GET /api/tokens': { kind: 'tokens' },
  'POST /api/tokens': { kind: 'tokens' },
  'DELETE /api/tokens/:id': { kind: 'tokens' },
  'GET /api/audit': { kind: 'audit' },
  // Decisions (decisions-scope.test.ts)
  'POST /api/decisions': { kind: 'scoped', test: 'decisions-scope.test.ts' },
  'GET /api/reviews/:id/feedback': { kind: 'scoped', test: 'disputes.test.ts' },
  'POST /api/reviews/:id/acknowledge': { kind: 'scoped', test: 'disputes.test.ts' },
  'POST /api/reviews/:id/comments': { kind: 'scoped', test: 'disputes.test.ts' },
  'POST /api/reviews/:id/disputes': { kind: 'scoped', test: 'disputes.test.ts' },
  'GET /api/disputes': { kind: 'scoped', test: 'disputes.test.ts' },
  'GET /api/disputes/summary': { kind: 'scoped', test: 'disputes.test.ts' },
  'GET /api/disputes/:id': { kind: 'scoped', test: 'disputes.test.ts' },
  'POST /api/disputes/:id/resolve': { kind: 'scoped', test: 'disputes.test.ts' },
  'POST /api/disputes/:id/withdraw': { kind: 'scoped', test: 'disputes.test.ts' },
  'GET /api/decisions': { kind: 'scoped', test: 'decisions-scope.test.ts' },
  'GET /api/decisions/:id': { kind: 'scoped', test: 'decisions-scope.test.ts' },
  // Review workspace, reviews, escalations (review-workspace.test.ts); wellbeing is about the caller (wellbeing.test.ts)
  'GET /api/qa/tasks/:id/workspace': { kind: 'scoped', test: 'review-workspace.test.ts' },
  'PUT /api/qa/tasks/:id/draft': { kind: 'scoped', test: 'review-workspace.test.ts' },
  'POST /api/qa/tasks/:id/verdict': { kind: 'scoped', test: 'review-workspace.test.ts' },
  'POST /api/qa/tasks/:id/review': { kind: 'scoped', test: 'review-workspace.test.ts' },
  'GET /api/reviews': { kind: 'scoped', test: 'review-workspace.test.ts' },
  'GET /api/reviews/:id': { kind: 'scoped', test: 'review-workspace.test.ts' },
  'GET /api/escalations': { kind: 'scoped', test: 'review-workspace.test.ts' },
  'POST /api/escalations/:id/answer': { kind: 'scoped', test: 'review-workspace.test.ts' },
  'GET /api/wellbeing/settings': { kind: 'global' },
  'PUT /api/wellbeing/settings': { kind: 'global' },
  'GET /api/wellbeing/preferences': { kind: 'self' },
  'PUT /api/wellbeing/preferences': { kind: 'self' },
  'POST /api/exposure': { kind: 'scoped', test: 'wellbeing.test.ts' },
  'GET /api/exposure/me': { kind: 'self' },
  'GET /api/exposure/summary': { kind: 'scoped', test: 'wellbeing.test.ts' },
  'GET /api/production/daily': { kind: 'scoped', test: 'decisions-scope.test.ts' },
  // Scorecards apply to every vendor (writes also need scope all: scorecards.test.ts)
  'GET /api/scorecards': { kind: 'global' },
  'GET /api/scorecards/:workflowId/versions': { kind: 'global' },
  'POST /api/scorecards/:workflowId/versions': { kind: 'global' },
  'GET /api/scorecard-versions/:id': { kind: 'global' },
  'PUT /api/scorecard-versions/:id': { kind: 'global' },
  'DELETE /api/scorecard-versions/:id': { kind: 'global' },
  'POST /api/scorecard-versions/:id/publish': { kind: 'global' },
  // Sampling plans are workflow-level (writes also need scope all); the preview and the
  // verification read decisions under the caller's scope (sampling-plans / sampling-close tests)
  'GET /api/sampling-plans': { kind: 'global' },
  'GET /api/sampling-plans/:workflowId/versions': { kind: 'global' },
  'POST /api/sampling-plans/:workflowId/versions': { kind: 'global' },
  'GET /api/sampling-plan-versions/:id': { kind: 'global' },
  'PUT /api/sampling-plan-versions/:id': { kind: 'global' },
  'DELETE /api/sampling-plan-versions/:id': { kind: 'global' },
  'POST /api/sampling-plan-versions/:id/activate': { kind: 'global' },
  'POST /api/sampling-plans/preview': { kind: 'scoped', test: 'sampling-plans.test.ts' },
  'GET /api/sampling-plan-versions/:id/verify': { kind: 'scoped', test: 'sampling-close.test.ts' },
  // QA task queue (qa-queue.test.ts); workflow-level QA settings are shared reference data
  'GET /api/qa/tasks': { kind: 'scoped', test: 'qa-queue.test.ts' },
  'GET /api/qa/tasks/:id': { kind: 'scoped', test: 'qa-queue.test.ts' },
  'POST /api/qa/tasks/next': { kind: 'scoped', test: 'qa-queue.test.ts' },
  'POST /api/qa/tasks/:id/claim': { kind: 'scoped', test: 'qa-queue.test.ts' },
  'POST /api/qa/tasks/:id/release': { kind: 'scoped', test: 'qa-queue.test.ts' },
  'POST /api/qa/tasks/:id/renew': { kind: 'scoped', test: 'qa-queue.test.ts' },
  'PATCH /api/qa/tasks/:id': { kind: 'scoped', test: 'qa-queue.test.ts' },
  'GET /api/qa/queue/summary': { kind: 'scoped', test: 'qa-queue.test.ts' },
  'GET /api/qa/reviewers': { kind: 'scoped', test: 'qa-queue.test.ts' },
  'PUT /api/qa/reviewers/:personId/capacity': { kind: 'scoped', test: 'qa-queue.test.ts' },
  'GET /api/qa/settings': { kind: 'global' },
  'PUT /api/qa/settings/:workflowId': { kind: 'global' },
  // Quality metrics read the rollups under row-level security; the design counts are shared (metrics-scope-validation.test.ts)
  'GET /api/metrics': { kind: 'scoped', test: 'metrics-scope-validation.test.ts' },
  'GET /api/metrics/control-chart': { kind: 'scoped', test: 'metrics-scope-validation.test.ts' },
  'GET /api/metrics/pareto': { kind: 'scoped', test: 'metrics-scope-validation.test.ts' },
  'GET /api/metrics/reviews': { kind: 'scoped', test: 'metrics-scope-validation.test.ts' },
  // Auditing the auditors: gold set and settings for internal QA (scope all) only; results through row-level security on reviews and people (gold-items-leak.test.ts, double-review.test.ts, gold-feed.test.ts)
  'GET /api/auditing/gold-items': { kind: 'scoped', test: 'gold-items-leak.test.ts' },
  'POST /api/auditing/gold-items': { kind: 'scoped', test: 'gold-items-leak.test.ts' },
  'POST /api/auditing/gold-items/:id/retire': { kind: 'scoped', test: 'gold-feed.test.ts' },
  'POST /api/auditing/gold-injections': { kind: 'scoped', test: 'gold-items-leak.test.ts' },
  'GET /api/auditing/settings': { kind: 'global' },
  'PUT /api/auditing/settings/:id': { kind: 'scoped', test: 'double-review.test.ts' },
  'POST /api/auditing/double-reviews/run': { kind: 'scoped', test: 'double-review.test.ts' },
  'GET /api/auditing/double-reviews/results': { kind: 'scoped', test: 'double-review.test.ts' },
  'GET /api/auditing/reviewer-quality': { kind: 'scoped', test: 'double-review.test.ts' },
  'GET /api/auditing/agent-gold': { kind: 'scoped', test: 'gold-feed.test.ts' },
  'POST /api/auditing/gold-feed': { kind: 'scoped', test: 'gold-feed.test.ts' },
  // Calibration: sessions are scoped by owning vendor or invitation, ratings blind until close (calibration.test.ts, calibration-import.test.ts)
  'GET /api/calibration/sessions': { kind: 'scoped', test: 'calibration.test.ts' },
  'POST /api/calibration/sessions': { kind: 'scoped', test: 'calibration.test.ts' },
  'GET /api/calibration/sessions/:id': { kind: 'scoped', test: 'calibration.test.ts' },
  'PUT /api/calibration/sessions/:id/items/:itemId/expert': { kind: 'scoped', test: 'calibration.test.ts' },
  'POST /api/calibration/sessions/:id/participants': { kind: 'scoped', test: 'calibration.test.ts' },
  'POST /api/calibration/sessions/:id/close': { kind: 'scoped', test: 'calibration.test.ts' },
  'GET /api/calibration/sessions/:id/results': { kind: 'scoped', test: 'calibration.test.ts' },
  'GET /api/calibration/sessions/:id/answers': { kind: 'scoped', test: 'calibration.test.ts' },
  'POST /api/calibration/sessions/:id/items/:itemId/notes': { kind: 'scoped', test: 'calibration.test.ts' },
  'GET /api/calibration/sessions/:id/export': { kind: 'scoped', test: 'calibration.test.ts' },
  'GET /api/calibration/candidates/people': { kind: 'scoped', test: 'calibration.test.ts' },
  'GET /api/calibration/candidates/decisions': { kind: 'scoped', test: 'calibration.test.ts' },
  'GET /api/calibration/candidates/gold': { kind: 'scoped', test: 'calibration.test.ts' },
  'POST /api/calibration/imports': { kind: 'scoped', test: 'calibration-import.test.ts' },
  'GET /api/calibration/trends': { kind: 'scoped', test: 'calibration.test.ts' },
  'GET /api/calibration/mine': { kind: 'scoped', test: 'calibration.test.ts' },
  'GET /api/calibration/sessions/:id/take': { kind: 'scoped', test: 'calibration.test.ts' },
  'PUT /api/calibration/sessions/:id/take/items/:itemId': { kind: 'scoped', test: 'calibration.test.ts' },
  'POST /api/calibration/sessions/:id/take/submit': { kind: 'scoped', test: 'calibration.test.ts' },
  'POST /api/calibration/sessions/:id/items/:itemId/exposure': { kind: 'scoped', test: 'calibration.test.ts' },
  // Calibration expert delegates (C5): the lead delegates to an invited policy SME, who sets the expert answers
  'PATCH /api/calibration/sessions/:id/participants/:participantId': { kind: 'scoped', test: 'calibration-expert-delegates.test.ts' },
  'GET /api/calibration/sessions/:id/expert': { kind: 'scoped', test: 'calibration-expert-delegates.test.ts' },
  // Training: content is shared or vendor-owned, a person's training rows follow the person; enrolments, cohorts, awards and 404s per vendor in training-scope.test.ts, learning and the certification check in training-api.test.ts
  'GET /api/training/programs': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/programs': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/programs/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'PATCH /api/training/programs/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/courses': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/courses': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/courses/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/courses/:id/drafts': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/course-versions/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'PATCH /api/training/course-versions/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/course-versions/:id/publish': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/course-versions/:id/modules': { kind: 'scoped', test: 'training-scope.test.ts' },
  'PATCH /api/training/modules/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'DELETE /api/training/modules/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/modules/:id/attachments': { kind: 'scoped', test: 'training-scope.test.ts' },
  'DELETE /api/training/attachments/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/attachments/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'PUT /api/training/course-versions/:id/assessment': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/course-versions/:id/items': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/course-versions/:id/case-items': { kind: 'scoped', test: 'training-scope.test.ts' },
  'PATCH /api/training/items/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'DELETE /api/training/items/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/assessments/:id/item-analysis': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/enrolments': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/enrolments': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/enrolments/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'PATCH /api/training/enrolments/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/completion': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/cohorts': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/cohorts': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/cohorts/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/cohorts/:id/members': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/enrolment-rules': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/enrolment-rules': { kind: 'scoped', test: 'training-scope.test.ts' },
  'PATCH /api/training/enrolment-rules/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/enrolment-rules/apply': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/my': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/my/enrolments/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/my/enrolments/:id/modules/:moduleId/view': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/my/enrolments/:id/attempts': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/my/attempts/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/my/attempts/:id/submit': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/certified': { kind: 'scoped', test: 'training-api.test.ts' },
  'POST /api/training/certified/batch': { kind: 'scoped', test: 'training-api.test.ts' },
  'GET /api/training/certifications': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/certifications': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/certifications/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'PATCH /api/training/certifications/:id': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/certification-awards': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/certification-awards': { kind: 'scoped', test: 'training-scope.test.ts' },
  'POST /api/training/certification-awards/:id/revoke': { kind: 'scoped', test: 'training-scope.test.ts' },
  'GET /api/training/certifications-overview': { kind: 'scoped', test: 'training-scope.test.ts' },
  // Training operations: cohort schedules/attendance/nesting, coaching, trainers, surveys, overdue; scoped through the person or the cohort (training-operations-*.test.ts); survey definitions are shared
  'GET /api/training-operations/surveys': { kind: 'global' },
  'POST /api/training-operations/surveys': { kind: 'global' },
  'GET /api/training-operations/cohorts': { kind: 'scoped', test: 'training-operations-cohorts.test.ts' },
  'GET /api/training-operations/cohorts/:id': { kind: 'scoped', test: 'training-operations-cohorts.test.ts' },
  'PUT /api/training-operations/cohorts/:id/trainers': { kind: 'scoped', test: 'training-operations-cohorts.test.ts' },
  'POST /api/training-operations/cohorts/:id/sessions': { kind: 'scoped', test: 'training-operations-cohorts.test.ts' },
  'GET /api/training-operations/sessions/:id': { kind: 'scoped', test: 'training-operations-cohorts.test.ts' },
  'PATCH /api/training-operations/sessions/:id': { kind: 'scoped', test: 'training-operations-cohorts.test.ts' },
  'PUT /api/training-operations/sessions/:id/attendance': { kind: 'scoped', test: 'training-operations-cohorts.test.ts' },
  'PUT /api/training-operations/cohorts/:id/nesting': { kind: 'scoped', test: 'training-operations-cohorts.test.ts' },
  'GET /api/training-operations/cohorts/:id/nesting': { kind: 'scoped', test: 'training-operations-cohorts.test.ts' },
  'POST /api/training-operations/cohorts/:id/graduations': { kind: 'scoped', test: 'training-operations-cohorts.test.ts' },
  'GET /api/training-operations/overdue': { kind: 'scoped', test: 'training-operations-cohorts.test.ts' },
  'GET /api/training-operations/overdue/enrolments': { kind: 'scoped', test: 'training-operations-cohorts.test.ts' },
  'GET /api/training-operations/coaching': { kind: 'scoped', test: 'training-operations-coaching.test.ts' },
  'GET /api/training-operations/coaching/mine': { kind: 'scoped', test: 'training-operations-coaching.test.ts' },
  'GET /api/training-operations/coaching/follow-ups': { kind: 'scoped', test: 'training-operations-coaching.test.ts' },
  'GET /api/training-operations/people/:personId/coaching-candidates': { kind: 'scoped', test: 'training-operations-coaching.test.ts' },
  'POST /api/training-operations/coaching': { kind: 'scoped', test: 'training-operations-coaching.test.ts' },
  'GET /api/training-operations/coaching/:id': { kind: 'scoped', test: 'training-operations-coaching.test.ts' },
  'POST /api/training-operations/coaching/:id/actions': { kind: 'scoped', test: 'training-operations-coaching.test.ts' },
  'POST /api/training-operations/coaching/:id/acknowledge': { kind: 'scoped', test: 'training-operations-coaching.test.ts' },
  'PATCH /api/training-operations/coaching-actions/:id': { kind: 'scoped', test: 'training-operations-coaching.test.ts' },
  'GET /api/training-operations/trainers': { kind: 'scoped', test: 'training-operations-coaching.test.ts' },
  'GET /api/training-operations/trainers/:personId': { kind: 'scoped', test: 'training-operations-coaching.test.ts' },
  'PUT /api/training-operations/trainers/:personId': { kind: 'scoped', test: 'training-operations-coaching.test.ts' },
  'POST /api/training-operations/trainers/:personId/certifications': { kind: 'scoped', test: 'training-operations-coaching.test.ts' },
  'POST /api/training-operations/trainers/:personId/observations': { kind: 'scoped', test: 'training-operations-coaching.test.ts' },
  'GET /api/training-operations/surveys/mine': { kind: 'scoped', test: 'training-operations-surveys.test.ts' },
  'GET /api/training-operations/survey-invitations/:id': { kind: 'scoped', test: 'training-operations-surveys.test.ts' },
  'POST /api/training-operations/survey-invitations/:id/response': { kind: 'scoped', test: 'training-operations-surveys.test.ts' },
  'GET /api/training-operations/surveys/:id/results': { kind: 'scoped', test: 'training-operations-surveys.test.ts' },
  // Training screens (T4): moving a course between program phases; other vendors' courses and programs are not there
  'PATCH /api/training/courses/:id': { kind: 'scoped', test: 'training-course-placement.test.ts' },
  // xAPI LRS credentials: organisation-wide or one vendor's; vendor and scope limits in xapi-credentials.test.ts
  'GET /api/xapi/credentials': { kind: 'scoped', test: 'xapi-credentials.test.ts' },
  'POST /api/xapi/credentials': { kind: 'scoped', test: 'xapi-credentials.test.ts' },
  'DELETE /api/xapi/credentials/:id': { kind: 'scoped', test: 'xapi-credentials.test.ts' },
  'GET /api/xapi/statements': { kind: 'scoped', test: 'xapi-credentials.test.ts' },
  // xAPI links to training: settings are organisation-wide; mappings carry their course's vendor (RLS), tested in xapi-external-links.test.ts
  'GET /api/xapi/settings': { kind: 'global' },
  'PUT /api/xapi/settings': { kind: 'global' },
  'GET /api/xapi/forwarding': { kind: 'global' },
  'PUT /api/xapi/forwarding': { kind: 'global' },
  'GET /api/xapi/activity-mappings': { kind: 'scoped', test: 'xapi-external-links.test.ts' },
  'POST /api/xapi/activity-mappings': { kind: 'scoped', test: 'xapi-external-links.test.ts' },
  'DELETE /api/xapi/activity-mappings/:id': { kind: 'scoped', test: 'xapi-external-links.test.ts' },
};

const COLLECTION: Record<Level, string> = { vendor: 'vendors', site: 'sites', team: 'teams', person: 'people' };

let database: TestDatabase;
let app: FastifyInstance;
let world: World;
let users: WorldUser[];
let routes: RouteAccessEntry[];

beforeAll(async () => {
  database = await createTestDatabase();
  world = await buildWorld(database.db);
  users = [];
  for (const role of ROLES) {
    for (const kind of SCOPE_KINDS) {
      if (role === 'admin' && kind !== 'all') continue;
      users.push(await addUser(database.db, world, role, kind, `${role}-${kind}`));
    }
  }
  app = await buildTestServer(database.db);
  routes = app.routeAccess;
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

function allowed(user: WorldUser, route: RouteAccessEntry): boolean {
  const access = route.access;
  if ('public' in access || 'signedIn' in access) return true;
  return hasPermission(user.role as Role, access.permission);
}

function entitiesOf(level: Level): Array<{ id: string }> {
  return { vendor: world.vendors, site: world.sites, team: world.teams, person: world.people }[level];
}

/** One entity per relation to the scope: inside it, a sibling team, a sibling site, another vendor. */
function sampleIds(level: Level): string[] {
  const rows = entitiesOf(level) as Array<{ id: string; vendorId?: string; siteId?: string; teamId?: string | null }>;
  const picks = new Map<string, string>();
  for (const row of rows) {
    const key = `${row.vendorId ?? row.id}|${row.siteId ?? ''}|${row.teamId ?? ''}`;
    if (!picks.has(key)) picks.set(key, row.id);
  }
  return [...picks.values()];
}

function urlFor(route: RouteAccessEntry, id: string): string {
  return route.url.replace(':id', id);
}

describe('the scope matrix', () => {
  it('covers every registered /api route', () => {
    const missing = routes.map((r) => `${r.method} ${r.url}`).filter((key) => !(key in COVERAGE));
    expect(missing, 'add these routes to COVERAGE in scope-matrix.test.ts').toEqual([]);
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(COVERAGE).length);
  });

  it('refuses every non-public route without credentials (401)', async () => {
    for (const route of routes) {
      if ('public' in route.access) continue;
      const response = await app.inject({ method: route.method as 'GET', url: urlFor(route, world.vendors[0]!.id).replace(':key', 'remove'), payload: route.method === 'GET' ? undefined : {} });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('refuses roles without the permission (403), before reading the body', async () => {
    for (const route of routes) {
      if (!('permission' in route.access)) continue;
      for (const user of users) {
        if (allowed(user, route)) continue;
        const response = await tokenClient(app, user.token)(route.method as 'GET', urlFor(route, world.vendors[0]!.id).replace(':key', 'remove'), route.method === 'GET' ? undefined : {});
        expect(response.statusCode, `${user.role}/${user.scope.kind} ${route.method} ${route.url}`).toBe(403);
      }
    }
  });

  it('lists exactly the rows in scope, with totals that match', async () => {
    for (const route of routes.filter((r) => COVERAGE[`${r.method} ${r.url}`]?.kind === 'list')) {
      const { level } = COVERAGE[`${route.method} ${route.url}`] as { level: Level };
      for (const user of users.filter((u) => allowed(u, route))) {
        const response = await tokenClient(app, user.token)('GET', `${route.url}?limit=500`);
        expect(response.statusCode, `${user.email} ${route.url}`).toBe(200);
        const body = response.json() as { items: Array<{ id: string }>; total: number };
        const expected = visibleIds(world, level, user.scope);
        expect(new Set(body.items.map((item) => item.id)), `${user.role}/${user.scope.kind} ${route.url}`).toEqual(expected);
        expect(body.total, `${user.role}/${user.scope.kind} ${route.url} total`).toBe(expected.size);
      }
    }
  });

  it('answers 404 for ids outside scope and 200 inside, on reads and writes', async () => {
    for (const route of routes.filter((r) => COVERAGE[`${r.method} ${r.url}`]?.kind === 'item')) {
      const { level } = COVERAGE[`${route.method} ${route.url}`] as { level: Level };
      for (const user of users.filter((u) => allowed(u, route))) {
        const visible = visibleIds(world, level, user.scope);
        for (const id of sampleIds(level)) {
          const response = await tokenClient(app, user.token)(route.method as 'GET', urlFor(route, id), route.method === 'GET' ? undefined : {});
          const label = `${user.role}/${user.scope.kind} ${route.method} ${route.url} ${visible.has(id) ? 'in' : 'out of'} scope`;
          expect(response.statusCode, label).toBe(visible.has(id) ? 200 : 404);
          if (!visible.has(id)) expect(response.json().error.code, label).toBe('NOT_FOUND');
        }
      }
    }
  });

  it('never creates a row under a parent outside scope', async () => {
    const before = await countAll();
    for (const route of routes.filter((r) => COVERAGE[`${r.method} ${r.url}`]?.kind === 'create')) {
      const { level } = COVERAGE[`${route.method} ${route.url}`] as { level: Level };
      for (const user of users.filter((u) => allowed(u, route))) {
        const outside = parentOutsideScope(level, user);
        if (!outside) continue;
        const response = await tokenClient(app, user.token)('POST', route.url, bodyFor(level, outside, `${user.role}-${user.scope.kind}`));
        const label = `${user.role}/${user.scope.kind} POST ${route.url}`;
        expect([403, 404, 422], label).toContain(response.statusCode);
        expect(JSON.stringify(response.json()), label).not.toContain(world.vendors[2]!.name);
      }
    }
    expect(await countAll()).toEqual(before);
  });

  it('creates inside scope, and the new row is visible to its creator', async () => {
    for (const route of routes.filter((r) => COVERAGE[`${r.method} ${r.url}`]?.kind === 'create')) {
      const { level } = COVERAGE[`${route.method} ${route.url}`] as { level: Level };
      if (level === 'vendor') continue; // adding a vendor needs scope all: asserted below
      for (const user of users.filter((u) => allowed(u, route) && u.scope.kind !== 'self')) {
        const parent = parentInsideScope(level, user);
        const response = await tokenClient(app, user.token)('POST', route.url, bodyFor(level, parent, `${user.role}-${user.scope.kind}-in`));
        const label = `${user.role}/${user.scope.kind} POST ${route.url}`;
        // A narrower scope cannot hold a new row of a wider level (a team-scoped user cannot add a site).
        const fits = { site: ['all', 'vendor'], team: ['all', 'vendor', 'site'], person: ['all', 'vendor', 'site', 'team'] }[level as 'site'].includes(user.scope.kind);
        expect(response.statusCode, `${label}: ${response.body}`).toBe(fits ? 201 : 403);
        if (fits) {
          const created = response.json() as { id: string };
          const read = await tokenClient(app, user.token)('GET', `/api/${COLLECTION[level]}/${created.id}`);
          expect(read.statusCode, label).toBe(200);
        }
      }
    }
    const scoped = users.find((u) => u.role === 'vendor_manager' && u.scope.kind === 'vendor')!;
    const refused = await tokenClient(app, scoped.token)('POST', '/api/vendors', { name: 'Sneaky BPO', code: 'SNK' });
    expect(refused.statusCode).toBe(403);
  });

  it('shows users only to administrators, and audit entries only within scope', async () => {
    const admin = users.find((u) => u.role === 'admin')!;
    const list = await tokenClient(app, admin.token)('GET', '/api/users?limit=500');
    expect(list.json().total).toBe(users.length);
    for (const user of users.filter((u) => hasPermission(u.role as Role, 'audit.read'))) {
      const response = await tokenClient(app, user.token)('GET', '/api/audit?limit=500');
      expect(response.statusCode).toBe(200);
      for (const entry of response.json().items as Array<{ vendorId: string | null }>) {
        if (user.scope.kind !== 'all') expect(entry.vendorId).toBe(user.scope.vendorId);
      }
    }
  });
});

async function countAll() {
  const count = async (table: 'vendors' | 'sites' | 'teams' | 'people') =>
    Number((await database.db.selectFrom(table).select(database.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { vendors: await count('vendors'), sites: await count('sites'), teams: await count('teams'), people: await count('people') };
}

type Parent = { vendorId?: string; siteId?: string; teamId?: string };

/** A parent the user cannot see: the other vendor's, or a sibling at the user's own level. */
function parentOutsideScope(level: Level, user: WorldUser): Parent | null {
  if (user.scope.kind === 'all') return null;
  const otherVendor = world.vendors[2]!;
  const otherSite = world.sites.find((s) => s.vendorId === otherVendor.id)!;
  const otherTeam = world.teams.find((t) => t.siteId === otherSite.id)!;
  if (level === 'vendor') return {};
  if (level === 'site') return { vendorId: otherVendor.id };
  if (level === 'team') return { siteId: otherSite.id };
  return { siteId: otherSite.id, teamId: otherTeam.id };
}

function parentInsideScope(level: Level, user: WorldUser): Parent {
  const vendorId = user.scope.vendorId ?? world.vendors[1]!.id;
  const site = world.sites.find((s) => s.id === user.scope.siteId) ?? world.sites.find((s) => s.vendorId === vendorId)!;
  const team = world.teams.find((t) => t.id === user.scope.teamId) ?? world.teams.find((t) => t.siteId === site.id)!;
  if (level === 'site') return { vendorId };
  if (level === 'team') return { siteId: site.id };
  return { siteId: site.id, teamId: team.id };
}

function bodyFor(level: Level, parent: Parent, name: string): Record<string, unknown> {
  switch (level) {
    case 'vendor':
      return { name: `Vendor ${name}`, code: 'ZZ' + name.length };
    case 'site':
      return { vendorId: parent.vendorId, name: `Site ${name}`, countryCode: 'KE', timeZone: 'Africa/Nairobi' };
    case 'team':
      return { siteId: parent.siteId, name: `Team ${name}` };
    case 'person':
      return { siteId: parent.siteId, teamId: parent.teamId, fullName: `Person ${name}`, jobRole: 'agent', hireDate: '2025-02-03', languages: ['en'], workflowIds: [] };
  }
}
