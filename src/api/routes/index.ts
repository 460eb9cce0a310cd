import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { vendorRoutes } from './vendors.routes.ts';
import { sitesRoutes } from './sites.routes.ts';
import { teamsRoutes } from './teams.routes.ts';
import { peopleRoutes } from './people.routes.ts';
import { workflowsRoutes } from './workflows.routes.ts';
import { actionsRoutes } from './actions.routes.ts';
import { policiesRoutes } from './policies.routes.ts';
import { decisionRoutes } from './decisions.routes.ts';
import { samplingRoutes } from './sampling.routes.ts';
import { qaRoutes } from './qa.routes.ts';
import { scorecardRoutes } from './scorecards.routes.ts';
import { reviewRoutes } from './reviews.routes.ts';
import { disputeRoutes } from './disputes.routes.ts';
import { wellbeingRoutes } from './wellbeing.routes.ts';
import { metricsRoutes } from './metrics.routes.ts';
import { calibrationRoutes } from './calibration.routes.ts';
import { auditingRoutes } from './auditing.routes.ts';
import { trainingRoutes } from './training.routes.ts';
import { trainingOperationsRoutes } from './training-operations.routes.ts';

/** The organisation, policy, decision, sampling and QA queue routes, registered in this order by the server. */
export const organisationRoutes: FastifyPluginAsyncTypebox[] = [
  vendorRoutes,
  sitesRoutes,
  teamsRoutes,
  peopleRoutes,
  workflowsRoutes,
  actionsRoutes,
  policiesRoutes,
  decisionRoutes,
  samplingRoutes,
  qaRoutes,
  scorecardRoutes,
  reviewRoutes,
  disputeRoutes,
  wellbeingRoutes,
  metricsRoutes,
  calibrationRoutes,
  auditingRoutes,
  trainingRoutes,
  trainingOperationsRoutes,
];
