import { Type } from '@fastify/type-provider-typebox';
import { Nullable } from '../schemas.ts';
import { Display as WellbeingDisplay } from './reviews.routes.ts';
import { Definition as ScorecardDefinition } from './scorecards.routes.ts';

/**
 * Response shapes of the calibration API, mirroring src/domain/calibration/calibration.types.ts
 * and the services that answer. Fastify serialises through these and drops undeclared
 * properties, so every field a viewer may receive is declared; what a viewer must not see
 * (the expert answer and others' ratings before the reveal) is simply absent from the shape
 * their route answers with, not optional here.
 */

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });

export const Group = Type.Union([
  Type.Literal('internal_qa'), Type.Literal('vendor_qa'), Type.Literal('trainer'), Type.Literal('sme'), Type.Literal('external'),
]);

export const SessionFacts = Type.Object({
  id: Uuid,
  title: Type.String(),
  kind: Type.Union([Type.Literal('scored'), Type.Literal('imported')]),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  workflowId: Nullable(Uuid),
  workflowName: Nullable(Type.String()),
  scorecardVersionId: Nullable(Uuid),
  ratingField: Nullable(Type.String()),
  vendorId: Nullable(Uuid),
  vendorName: Nullable(Type.String()),
  dueAt: Nullable(DateTime),
  overdue: Type.Boolean(),
  createdByLabel: Type.String(),
  createdAt: DateTime,
  closedAt: Nullable(DateTime),
  items: Type.Integer(),
  participants: Type.Integer(),
  submitted: Type.Integer({ description: 'Participants who submitted (external raters count as submitted)' }),
});

export const MySession = Type.Intersect([
  SessionFacts,
  Type.Object({ ratedItems: Type.Integer(), submittedAt: Nullable(DateTime), setsExpert: Type.Boolean({ description: 'Delegated to set the expert answers (does not rate)' }) }),
]);

const LabelOption = Type.Object({
  policyKey: Type.String(),
  policyName: Type.String(),
  labels: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), severity: Type.String() })),
});
const ActionOption = Type.Object({ key: Type.String(), name: Type.String() });
const LabelsAction = Type.Object({ labels: Type.Array(Type.String()), action: Type.String() });
const Content = Type.Object({ kind: Type.String(), text: Nullable(Type.String()), url: Nullable(Type.String()), language: Nullable(Type.String()) });
const Scorecard = Type.Object({ id: Uuid, version: Type.Integer(), name: Type.String(), definition: ScorecardDefinition });
/** questionKey -> the answer as compared across raters ('yes', 'no', an option key, a scale point). */
const AnswerValues = Type.Record(Type.String(), Type.String());
const StoredAnswer = Type.Object({
  questionKey: Type.String(),
  // Number first: a scale answer stays a number.
  value: Type.Union([Type.Number(), Type.String()]),
  comment: Type.Optional(Type.String()),
  rootCause: Type.Optional(Type.String()),
});
/** What every item view carries: where it stands in the session, its reference and its content. */
const ItemBase = { id: Uuid, position: Type.Integer(), ref: Type.String(), content: Content };
const ItemSource = Type.Union([Type.Literal('decision'), Type.Literal('gold'), Type.Literal('upload'), Type.Literal('imported')]);

export const ExpertAnswer = Type.Object({
  labels: Type.Array(Type.String()),
  action: Type.String(),
  answers: Nullable(AnswerValues),
  note: Type.String(),
});

/** The lead's view (calibration.service.ts sessionDetail): expert answers, never participants' answers. */
export const SessionDetail = Type.Object({
  session: SessionFacts,
  labelOptions: Type.Array(LabelOption),
  actionOptions: Type.Array(ActionOption),
  scorecard: Nullable(Scorecard),
  items: Type.Array(
    Type.Object({
      ...ItemBase,
      source: ItemSource,
      decisionId: Nullable(Uuid),
      severity: Nullable(Type.String()),
      agentDecision: Nullable(LabelsAction),
      expert: Nullable(ExpertAnswer),
    }),
    { description: 'The first 200 items (an imported rating set can be larger; its results cover all)' },
  ),
  participants: Type.Array(
    Type.Object({
      id: Uuid,
      personId: Nullable(Uuid),
      name: Type.String(),
      group: Group,
      vendorId: Nullable(Uuid),
      vendorName: Nullable(Type.String()),
      ratedItems: Nullable(Type.Integer({ description: 'null for external raters' })),
      submittedAt: Nullable(DateTime),
      setsExpert: Type.Boolean({ description: 'Delegated to set the expert answers: does not rate, left out of the counts and figures' }),
    }),
  ),
});

/** The delegated SME's view (calibration-expert.service.ts expertWorkspace): expert answers and agent decisions, no one's ratings. */
export const ExpertWorkspace = Type.Object({
  session: SessionFacts,
  participant: Type.Object({ id: Uuid, group: Group }),
  labelOptions: Type.Array(LabelOption),
  actionOptions: Type.Array(ActionOption),
  scorecard: Scorecard,
  items: Type.Array(
    Type.Object({
      ...ItemBase,
      source: ItemSource,
      severity: Nullable(Type.String()),
      wellbeing: WellbeingDisplay,
      agentDecision: Nullable(LabelsAction),
      expert: Nullable(ExpertAnswer),
    }),
  ),
});


/** The participant's blind view (calibration-taking.service.ts participantView): no expert answer, own ratings only. */
export const TakeView = Type.Object({
  session: SessionFacts,
  participant: Type.Object({ id: Uuid, group: Group, ratedItems: Type.Integer(), submittedAt: Nullable(DateTime) }),
  labelOptions: Type.Array(LabelOption),
  actionOptions: Type.Array(ActionOption),
  scorecard: Scorecard,
  items: Type.Array(
    Type.Object({
      ...ItemBase,
      wellbeing: WellbeingDisplay,
      hasAgentDecision: Type.Boolean(),
      agentDecision: Nullable(LabelsAction),
      myRating: Nullable(Type.Object({ labels: Type.Array(Type.String()), action: Type.String(), answers: Type.Array(StoredAnswer), updatedAt: DateTime })),
    }),
  ),
});

export const SavedRating = Type.Object({
  itemId: Uuid,
  ratedItems: Type.Integer(),
  agentDecision: Nullable(LabelsAction),
  answers: Type.Array(StoredAnswer),
});

const Figure = Type.Object({
  value: Nullable(Type.Number()),
  se: Nullable(Type.Number()),
  lower: Nullable(Type.Number()),
  upper: Nullable(Type.Number()),
  n: Type.Integer({ description: 'Items that entered the figure' }),
  raters: Type.Integer(),
  reason: Nullable(Type.String({ description: 'Why there is no value' })),
});
const FieldAgreement = Type.Object({ alpha: Figure, ac1: Figure, percent: Figure, items: Type.Integer(), ratings: Type.Integer() });
const Share = Type.Object(
  { value: Nullable(Type.Number()), lower: Type.Number(), upper: Type.Number(), x: Type.Integer(), n: Type.Integer() },
  { description: 'x of n, with its Wilson interval' },
);

export const CalibrationResults = Type.Object({
  sessionId: Uuid,
  items: Type.Integer(),
  participants: Type.Integer(),
  label: FieldAgreement,
  action: Nullable(FieldAgreement),
  alignment: Type.Array(
    Type.Object({
      participantId: Uuid,
      personId: Nullable(Type.String({ format: 'uuid', description: "null outside the viewer's scope (a pseudonym is shown)" })),
      name: Type.String(),
      group: Group,
      vendorId: Nullable(Uuid),
      vendorName: Nullable(Type.String()),
      rated: Type.Integer(),
      label: Share,
      action: Nullable(Share),
    }),
  ),
  questions: Type.Array(Type.Object({ questionKey: Type.String(), text: Type.String(), percent: Figure, alpha: Figure, expertMatch: Nullable(Share) })),
  divergentItems: Type.Array(
    Type.Object({
      itemId: Uuid,
      position: Type.Integer(),
      ref: Type.String(),
      ratings: Type.Integer(),
      labelAgreement: Nullable(Type.Number()),
      labelEntropy: Type.Number({ description: 'bits' }),
      modalLabel: Nullable(Type.String()),
      expertLabel: Nullable(Type.String()),
      expertMatch: Nullable(Type.Number()),
      distribution: Type.Record(Type.String(), Type.Integer(), { description: 'label -> ratings' }),
    }),
  ),
  groups: Type.Array(
    Type.Object({
      group: Group,
      participants: Type.Integer(),
      label: FieldAgreement,
      action: Nullable(FieldAgreement),
      labelExpertMatch: Share,
      actionExpertMatch: Nullable(Share),
    }),
  ),
});

export const ResultsResponse = Type.Object({ session: SessionFacts, canManage: Type.Boolean(), results: CalibrationResults });

export const AnswersResponse = Type.Object({
  total: Type.Integer(),
  items: Type.Array(
    Type.Object({
      ...ItemBase,
      severity: Nullable(Type.String()),
      agentDecision: Nullable(LabelsAction),
      expert: Nullable(ExpertAnswer),
      ratings: Type.Array(
        Type.Object({
          participantId: Uuid,
          name: Type.String(),
          group: Group,
          label: Type.String({ description: 'The label category compared across raters' }),
          labels: Type.Array(Type.String()),
          action: Nullable(Type.String()),
          answers: AnswerValues,
        }),
      ),
      notes: Type.Array(Type.Object({ id: Uuid, authorLabel: Type.String(), body: Type.String(), createdAt: DateTime })),
    }),
  ),
});

export const CandidateDecisions = Type.Array(
  Type.Object({
    decisionId: Uuid,
    externalId: Type.String(),
    decidedAt: DateTime,
    vendorId: Uuid,
    vendorName: Type.String(),
    severity: Nullable(Type.String()),
    agentDecision: LabelsAction,
    review: Type.Object({ id: Uuid, labels: Type.Array(Type.String()), action: Type.String(), correct: Type.Boolean() }),
  }),
);

export const CandidateGold = Type.Array(
  Type.Object({ goldItemId: Uuid, severity: Nullable(Type.String()), contentKind: Type.String(), expert: LabelsAction, rationale: Type.String(), createdAt: DateTime }),
);

const TrendPoint = Type.Object({ sessionId: Uuid, title: Type.String(), closedAt: DateTime, workflowName: Nullable(Type.String()), label: Share, action: Nullable(Share) });
const TrendSeries = Type.Object({
  key: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('vendor'), Type.Literal('person'), Type.Literal('group')]),
  points: Type.Array(TrendPoint, { description: "Per session: the share of the series' ratings matching the expert" }),
});

export const TrendsResponse = Type.Object({
  sessions: Type.Array(
    Type.Object({
      sessionId: Uuid,
      title: Type.String(),
      closedAt: DateTime,
      workflowName: Nullable(Type.String()),
      participants: Type.Integer(),
      items: Type.Integer(),
      label: FieldAgreement,
      action: Nullable(FieldAgreement),
    }),
  ),
  vendors: Type.Array(TrendSeries),
  people: Type.Array(TrendSeries),
  groups: Type.Array(TrendSeries),
});
