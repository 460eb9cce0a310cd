import { sql } from 'kysely';
import type { Db, Executor } from '../db/database.ts';
import { setAssignees } from '../db/repositories/qa-tasks.repository.ts';
import { asSystem } from '../db/scoped.ts';
import { ineligibility, type ReviewerProfile, type TaskProfile } from '../domain/qa/qa-assignment.rules.ts';
import type { Answer, ScoredReview, ScorecardDefinition, Verdict } from '../domain/reviews/scorecard.types.ts';
import { Draw } from './demo-draw.ts';
import { demoUuid } from './demo-random.ts';
import {
  AGENT_COMMENTS, DEMO_REVIEW_STORY, DISPUTE_REASONS, ESCALATION_ANSWERS, ESCALATION_NOTES, OUTCOME_REASONS, REVIEWER_REPLIES,
  causeFor, exposureFor, inScorecardOrder, otherAnswers, reviewerVerdict, sameVerdict, scoreValid, timeOnTaskMs, verdictAnswers,
  type ReviewTruth, type ReviewedDecision,
} from './demo-review-model.ts';
import type { DemoData } from './demo-types.ts';

/**
 * A review for every completed demo QA task, as its reviewer would have
 * written it (demo-review-model.ts), with what follows a review in a working
 * operation: the agent's acknowledgement and comments, disputes and their
 * arbitration (revision 2 when the score changes), "policy unclear"
 * escalations and the reviewer's exposure records. Generation is pure and
 * deterministic (generateDemoReviews); loadDemoReviews reads the tasks and
 * writes the rows in bulk as the system.
 */

export { DEMO_REVIEW_STORY } from './demo-review-model.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Items a demo reviewer closes per UTC day at most. */
const DAILY_CAPACITY = 60;
/** Share of vendor work in-house QA double-checks when the workflow lets vendor QA review it. */
const IN_HOUSE_SHARE_OF_VENDOR_WORK = 0.1;
const CHUNK = 2000;

export interface DemoReviewTask {
  taskId: string;
  decisionId: string;
  externalId: string;
  workflowId: string;
  vendorId: string;
  siteId: string;
  teamId: string | null;
  agentId: string;
  language: string;
  labels: string[];
  action: string;
  severity: string | null;
  contentKind: string;
  assigneeId: string | null;
  completedAt: Date;
}

export interface DemoWorkflowReviewSetup {
  scorecardVersionId: string;
  definition: ScorecardDefinition;
  blind: boolean;
  internalReviewsVendorWork: boolean;
  disputeWindowHours: number;
  disputeSlaHours: number;
}

export interface DemoReviewInput {
  seed: number;
  now: Date;
  data: DemoData;
  tasks: DemoReviewTask[];
  /** By workflow id; tasks of a workflow without one are left unreviewed. */
  workflows: Map<string, DemoWorkflowReviewSetup>;
  /** Truth and planted error by external id for decisions the agent got wrong; absent = the agent was right. */
  errors: ReadonlyMap<string, ReviewTruth>;
}

type Scope = { vendor_id: string; site_id: string; team_id: string | null; agent_id: string };
type Scored = Pick<ScoredReview, 'score' | 'passed' | 'criticalFailed' | 'correct' | 'errorTypes' | 'rootCauses'>;

export interface DemoReviewRows {
  reviews: Array<Scope & Record<string, unknown> & { id: string; task_id: string; reviewer_id: string; score: number; correct: boolean; passed: boolean; revision: number }>;
  revisions: Array<Record<string, unknown> & { review_id: string; revision: number }>;
  comments: Array<Record<string, unknown>>;
  disputes: Array<Record<string, unknown> & { status: string; outcome: string | null; due_at: Date }>;
  escalations: Array<Record<string, unknown> & { status: string }>;
  exposures: Array<Record<string, unknown>>;
  assignments: Array<{ taskId: string; reviewerId: string }>;
  /** Completed tasks no demo reviewer may review (none expected). */
  unreviewed: number;
}

interface Reviewer extends ReviewerProfile {
  name: string;
  userId: string | null;
  vendorKey: string;
  /** The in-house QA lead: reviews only what no specialist may (they arbitrate disputes). */
  lastResort: boolean;
}

function reviewersOf(data: DemoData): { reviewers: Reviewer[]; byId: Map<string, Reviewer> } {
  const vendorOfSite = new Map(data.sites.map((s) => [s.key, data.vendors.find((v) => v.key === s.vendorKey)!]));
  const teamId = new Map(data.teams.map((t) => [t.key, t.id]));
  const workflowId = new Map(data.workflows.map((w) => [w.key, w.id]));
  const userOf = new Map(data.users.filter((u) => u.personKey).map((u) => [u.personKey!, u.id]));
  const reviewers = data.people
    .filter((p) => (p.jobRole === 'qa_specialist' || p.key === 'inhouse.qa_lead') && p.status === 'active')
    .map((p) => {
      const vendor = vendorOfSite.get(p.siteKey)!;
      return {
        id: p.id, name: p.fullName, userId: userOf.get(p.key) ?? null, vendorKey: vendor.key, vendorId: vendor.id, vendorIsInHouse: vendor.isInHouse,
        teamId: p.teamKey === null ? null : teamId.get(p.teamKey) ?? null, jobRole: p.jobRole, status: p.status, languages: p.languages,
        workflowIds: p.workflowKeys.map((k) => workflowId.get(k)!), lastResort: p.jobRole === 'qa_lead',
      };
    });
  return { reviewers, byId: new Map(reviewers.map((r) => [r.id, r])) };
}

/** Who reviewed the task: its assignee, else an eligible reviewer of the right pool with capacity left that day. */
class ReviewerPicker {
  readonly #load = new Map<string, number>();
  constructor(readonly reviewers: Reviewer[], readonly byId: Map<string, Reviewer>, readonly inHouseVendorIds: Set<string>) {}

  pick(draw: Draw, task: DemoReviewTask, setup: DemoWorkflowReviewSetup): Reviewer | null {
    const day = Math.floor(task.completedAt.getTime() / DAY_MS);
    const assigned = task.assigneeId === null ? undefined : this.byId.get(task.assigneeId);
    if (assigned) return this.#take(assigned, day);
    const profile: TaskProfile = {
      workflowId: task.workflowId, agentId: task.agentId, vendorId: task.vendorId, vendorIsInHouse: this.inHouseVendorIds.has(task.vendorId),
      teamId: task.teamId, language: task.language, internalReviewsVendorWork: setup.internalReviewsVendorWork,
    };
    const free = (r: Reviewer) => (this.#load.get(`${r.id}:${day}`) ?? 0) < DAILY_CAPACITY;
    const eligible = this.reviewers.filter((r) => !r.lastResort && ineligibility(r, profile) === null && free(r));
    const own = eligible.filter((r) => r.vendorId === task.vendorId);
    const inHouse = eligible.filter((r) => r.vendorIsInHouse);
    const preferInHouse = profile.vendorIsInHouse || own.length === 0 || draw.chance(IN_HOUSE_SHARE_OF_VENDOR_WORK);
    let pool = preferInHouse && inHouse.length > 0 ? inHouse : own.length > 0 ? own : inHouse;
    if (pool.length === 0) {
      // Nobody speaks the language: a real team would use a skilled colleague with a translation tool.
      const anyLanguage = this.reviewers.filter((r) => !r.lastResort && ineligibility(r, { ...profile, language: '' }) === null && free(r));
      pool = anyLanguage.filter((r) => r.vendorId === task.vendorId);
      if (pool.length === 0) pool = anyLanguage;
    }
    // No specialist may (e.g. the only one skilled in the workflow sits on the agent's team): the QA lead steps in.
    if (pool.length === 0) pool = this.reviewers.filter((r) => r.lastResort && ineligibility(r, { ...profile, language: '' }) === null);
    return pool.length === 0 ? null : this.#take(draw.pick(pool), day);
  }

  #take(reviewer: Reviewer, day: number): Reviewer {
    const key = `${reviewer.id}:${day}`;
    this.#load.set(key, (this.#load.get(key) ?? 0) + 1);
    return reviewer;
  }
}

interface Drafted {
  id: string;
  task: DemoReviewTask;
  setup: DemoWorkflowReviewSetup;
  reviewer: Reviewer;
  decision: ReviewedDecision;
  known: ReviewTruth;
  verdict: Verdict;
  answers: Answer[];
  scored: Scored;
  submittedAt: Date;
}

/**
 * One seeded stream per agent (seeding a stream costs ~60 µs, one per review
 * would be a second at full scale): an agent's reviews, taken in completion
 * order, depend only on the seed and that agent's tasks up to then.
 */
function streamOf(streams: Map<string, Draw>, seed: number, key: string): Draw {
  let draw = streams.get(key);
  if (!draw) streams.set(key, (draw = new Draw(seed, key)));
  return draw;
}

const scoredOf = (s: ScoredReview): Scored => ({ score: s.score, passed: s.passed, criticalFailed: s.criticalFailed, correct: s.correct, errorTypes: s.errorTypes, rootCauses: s.rootCauses });

function outcomeRow(review: { verdict: Verdict; answers: Answer[]; scored: Scored }) {
  return {
    qa_labels: review.verdict.labels, qa_action: review.verdict.action, answers: JSON.stringify(review.answers), score: review.scored.score,
    passed: review.scored.passed, critical_failed: review.scored.criticalFailed, correct: review.scored.correct,
    error_types: review.scored.errorTypes, root_causes: review.scored.rootCauses,
  };
}

const scopeOf = (t: DemoReviewTask): Scope => ({ vendor_id: t.vendorId, site_id: t.siteId, team_id: t.teamId, agent_id: t.agentId });
const at = (ms: number) => new Date(Math.round(ms / 1000) * 1000);

/** Every row of the demo reviews, deterministic from the seed and the inputs. */
export function generateDemoReviews(input: DemoReviewInput): DemoReviewRows {
  const { seed, now, data, errors } = input;
  const nowMs = now.getTime();
  const { reviewers, byId } = reviewersOf(data);
  const picker = new ReviewerPicker(reviewers, byId, new Set(data.vendors.filter((v) => v.isInHouse).map((v) => v.id)));
  const kindOf = new Map(data.workflows.map((w) => [w.id, w.kind]));
  const policyOfLabel = new Map(data.policies.flatMap((p) => p.versions.flatMap((v) => v.labels.map((l) => [l.key, p.key] as const))));
  const cleanMistakes = new Map(data.workflows.map((w) => {
    const labels = data.policies.filter((p) => w.policyKeys.includes(p.key)).flatMap((p) => p.versions.at(-1)!.labels.filter((l) => l.severity === 'low' || l.severity === 'medium').map((l) => l.key));
    return [w.id, [...new Set(labels)].sort()] as const;
  }));
  const userOfPerson = new Map(data.users.filter((u) => u.personKey).map((u) => [data.people.find((p) => p.key === u.personKey)!.id, u.id]));
  const nameOf = new Map(data.people.map((p) => [p.id, p.fullName]));
  const vendorQaLead = new Map(data.vendors.map((v) => [v.id, data.people.find((p) => p.key === `${v.key}.qa_lead`)]));
  const arbiter = data.people.find((p) => p.key === 'inhouse.qa_lead')!;
  const arbiterUser = userOfPerson.get(arbiter.id) ?? null;
  const smeUser = data.users.find((u) => u.role === 'policy_sme')?.id ?? null;
  // Some agents never acknowledge their reviews.
  const silent = new Map<string, boolean>();
  const neverAcknowledges = (agentId: string): boolean => {
    let never = silent.get(agentId);
    if (never === undefined) silent.set(agentId, (never = new Draw(seed, `reviews:ack:${agentId}`).chance(0.08)));
    return never;
  };

  const rows: DemoReviewRows = { reviews: [], revisions: [], comments: [], disputes: [], escalations: [], exposures: [], assignments: [], unreviewed: 0 };
  const tasks = [...input.tasks].sort((a, b) => a.completedAt.getTime() - b.completedAt.getTime() || (a.decisionId < b.decisionId ? -1 : 1));
  const drafted: Drafted[] = [];
  const streams = new Map<string, Draw>();

  for (const task of tasks) {
    const setup = input.workflows.get(task.workflowId);
    if (!setup) continue;
    const draw = streamOf(streams, seed, `reviews:${task.agentId}`);
    const reviewer = picker.pick(draw, task, setup);
    if (!reviewer) {
      rows.unreviewed++;
      continue;
    }
    const decision: ReviewedDecision = { labels: task.labels, action: task.action, workflowKind: kindOf.get(task.workflowId) ?? 'moderation', severity: task.severity };
    const known: ReviewTruth = errors.get(task.externalId) ?? { truth: { labels: task.labels, action: task.action }, error: null };
    const lenient = reviewer.vendorKey === DEMO_REVIEW_STORY.lenientQaVendorKey;
    const verdict = reviewerVerdict(draw, decision, known, lenient, cleanMistakes.get(task.workflowId) ?? []);
    const decisionFailed = !sameVerdict(decision, verdict);
    const answers = inScorecardOrder(setup.definition, [
      ...verdictAnswers(draw, setup.definition, decision, verdict, causeFor(draw, decision, verdict, known)),
      // Lenient reviewers pass what they see: their process findings are rarer too.
      ...otherAnswers(draw, setup.definition, decisionFailed && !lenient),
    ]);
    const scored = scoredOf(scoreValid(setup.definition, answers, decision, verdict));
    const timeMs = timeOnTaskMs(draw, decision, task.contentKind);
    const submittedAt = task.completedAt;
    const id = demoUuid(seed, `review:${task.decisionId}`);
    const review: Drafted = { id, task, setup, reviewer, decision, known, verdict, answers, scored, submittedAt };
    drafted.push(review);
    rows.assignments.push({ taskId: task.taskId, reviewerId: reviewer.id });

    const policyUnclear = draw.chance(known.error?.cause === 'ambiguous_guideline' ? 0.25 : 0.006);
    const startedMs = submittedAt.getTime() - timeMs;
    const harmType = policyOfLabel.get(task.labels[0] ?? verdict.labels[0] ?? '') ?? 'none';
    for (const exposure of exposureFor(draw, harmType, task.severity, timeMs)) {
      rows.exposures.push({
        user_id: reviewer.userId, person_id: reviewer.id, decision_id: task.decisionId, harm_type: harmType, severity: task.severity, event: exposure.event,
        seconds: exposure.seconds, at: at(startedMs + exposure.offsetMs), viewer_vendor_id: reviewer.vendorId,
      });
    }
    let acknowledgedAt: Date | null = null;
    if (!neverAcknowledges(task.agentId) && draw.chance(0.9)) {
      const ackMs = submittedAt.getTime() + draw.lognormal(20 * HOUR_MS, 1);
      if (ackMs <= nowMs) acknowledgedAt = at(ackMs);
    }
    if (acknowledgedAt && draw.chance(decisionFailed ? 0.15 : 0.02)) {
      const agentUser = userOfPerson.get(task.agentId) ?? null;
      rows.comments.push({ id: demoUuid(seed, `review-comment:${id}:1`), review_id: id, author_user_id: agentUser, author_label: nameOf.get(task.agentId) ?? 'Agent', body: draw.pick(AGENT_COMMENTS), created_at: acknowledgedAt, ...scopeOf(task) });
      const replyMs = acknowledgedAt.getTime() + draw.lognormal(6 * HOUR_MS, 0.8);
      if (draw.chance(0.5) && replyMs <= nowMs) {
        rows.comments.push({ id: demoUuid(seed, `review-comment:${id}:2`), review_id: id, author_user_id: reviewer.userId, author_label: reviewer.name, body: draw.pick(REVIEWER_REPLIES), created_at: at(replyMs), ...scopeOf(task) });
      }
    }
    if (policyUnclear) {
      const answerMs = submittedAt.getTime() + draw.lognormal(30 * HOUR_MS, 0.8);
      const answered = draw.chance(0.8) && answerMs <= nowMs;
      rows.escalations.push({
        id: demoUuid(seed, `escalation:${task.decisionId}`), kind: 'policy_unclear', decision_id: task.decisionId, task_id: task.taskId, labels: verdict.labels,
        note: draw.pick(ESCALATION_NOTES), status: answered ? 'answered' : 'open', answer: answered ? draw.pick(ESCALATION_ANSWERS) : null,
        raised_by_user_id: reviewer.userId, raised_by_label: reviewer.name, answered_by_user_id: answered ? smeUser : null, answered_at: answered ? at(answerMs) : null,
        created_at: submittedAt, workflow_id: task.workflowId, ...scopeOf(task),
      });
    }
    rows.reviews.push({
      id, task_id: task.taskId, decision_id: task.decisionId, workflow_id: task.workflowId, ...scopeOf(task), reviewer_id: reviewer.id,
      reviewer_vendor_id: reviewer.vendorId, scorecard_version_id: setup.scorecardVersionId, blind: setup.blind, revision: 1, ...outcomeRow(review),
      policy_unclear: policyUnclear, time_on_task_ms: timeMs, submitted_at: submittedAt, acknowledged_at: acknowledgedAt, updated_at: submittedAt,
    });
    rows.revisions.push({ review_id: id, revision: 1, reason: 'submitted', dispute_id: null, ...outcomeRow(review), created_at: submittedAt, created_by: reviewer.userId, ...scopeOf(task) });
  }
  addDisputes(rows, drafted, { seed, nowMs, arbiterId: arbiter.id, arbiterUser, userOfPerson, nameOf, vendorQaLead });
  return rows;
}

interface DisputeContext {
  seed: number;
  nowMs: number;
  arbiterId: string;
  arbiterUser: string | null;
  userOfPerson: Map<string, string>;
  nameOf: Map<string, string>;
  vendorQaLead: Map<string, { id: string; fullName: string } | undefined>;
}

/** Disputes: more likely where the reviewer was wrong; resolved by the in-house QA lead, a few still open. */
function addDisputes(rows: DemoReviewRows, drafted: Drafted[], ctx: DisputeContext): void {
  const reviewIndex = new Map(rows.reviews.map((r, i) => [r.id, i]));
  const streams = new Map<string, Draw>();
  const pending: Array<{ row: DemoReviewRows['disputes'][number]; review: Drafted; revised: { verdict: Verdict; answers: Answer[]; scored: Scored } | null; resolvedMs: number }> = [];
  for (const review of drafted) {
    const againstAgent = !review.scored.passed || review.scored.errorTypes.length > 0;
    // The arbiter is never the original reviewer: the QA lead's own reviews go undisputed in the demo.
    if (!againstAgent || review.reviewer.id === ctx.arbiterId) continue;
    const draw = streamOf(streams, ctx.seed, `disputes:${review.task.agentId}`);
    const reviewerWrong = !sameVerdict(review.verdict, review.known.truth);
    const chance = reviewerWrong ? 0.7 : !review.scored.passed ? 0.25 : 0.1;
    if (!draw.chance(chance)) continue;
    const createdMs = review.submittedAt.getTime() + Math.min(draw.lognormal(30 * HOUR_MS, 0.8), review.setup.disputeWindowHours * HOUR_MS * 0.95);
    if (createdMs > ctx.nowMs) continue;
    const lead = ctx.vendorQaLead.get(review.task.vendorId);
    const byLead = lead !== undefined && !review.reviewer.vendorIsInHouse && draw.chance(0.2);
    const verdictKeys = verdictQuestionKeys(review.setup.definition);
    const failedVerdict = review.answers.filter((a) => a.value === 'no' && verdictKeys.has(a.questionKey));
    const failedOther = review.answers.filter((a) => !failedVerdict.includes(a) && a.comment !== undefined);
    const disputed = draw.chance(0.3) ? [] : (failedVerdict.length > 0 ? failedVerdict : failedOther).map((a) => a.questionKey);
    let outcome: 'upheld' | 'overturned' | 'partly';
    const u = draw.u();
    if (reviewerWrong) outcome = u < 0.75 ? 'overturned' : u < 0.85 && failedOther.length > 0 ? 'partly' : 'upheld';
    else outcome = u < 0.12 && failedOther.length > 0 ? 'partly' : 'upheld';
    let revised: { verdict: Verdict; answers: Answer[]; scored: Scored } | null = null;
    const definition = review.setup.definition;
    if (outcome === 'overturned') {
      const verdict = { labels: [...review.known.truth.labels], action: review.known.truth.action };
      const others = review.answers.filter((a) => !verdictKeys.has(a.questionKey));
      const answers = inScorecardOrder(definition, [...verdictAnswers(draw, definition, review.decision, verdict, review.known.error?.cause ?? null), ...others]);
      revised = { verdict, answers, scored: scoredOf(scoreValid(definition, answers, review.decision, verdict)) };
    } else if (outcome === 'partly') {
      const answers = review.answers.map((a) => (failedOther.includes(a) ? passingAnswer(definition, a) : a));
      revised = { verdict: review.verdict, answers, scored: scoredOf(scoreValid(definition, answers, review.decision, review.verdict)) };
    }
    const resolvedMs = createdMs + Math.max(HOUR_MS, draw.lognormal(28 * HOUR_MS, 0.7));
    const id = demoUuid(ctx.seed, `dispute:${review.id}`);
    pending.push({
      review, revised, resolvedMs,
      row: {
        id, review_id: review.id, raised_by_user_id: byLead ? ctx.userOfPerson.get(lead!.id) ?? null : ctx.userOfPerson.get(review.task.agentId) ?? null,
        raised_by_label: byLead ? lead!.fullName : ctx.nameOf.get(review.task.agentId) ?? 'Agent', question_keys: disputed,
        reason: draw.pick(failedVerdict.length > 0 ? DISPUTE_REASONS.verdict : DISPUTE_REASONS.process), status: 'resolved', arbiter_id: ctx.arbiterId,
        due_at: at(createdMs + review.setup.disputeSlaHours * HOUR_MS), outcome, outcome_reason: draw.pick(OUTCOME_REASONS[outcome]),
        score_before: review.scored.score, score_after: (revised ?? review).scored.score, resolved_at: at(resolvedMs), resolved_by_user_id: ctx.arbiterUser,
        created_at: at(createdMs), workflow_id: review.task.workflowId, ...scopeOf(review.task),
      },
    });
  }
  // Not yet arbitrated: resolution still in the future; and the two most recent past-SLA ones, left overdue.
  const open = (p: (typeof pending)[number]) => {
    Object.assign(p.row, { status: 'open', outcome: null, outcome_reason: null, score_after: null, resolved_at: null, resolved_by_user_id: null });
    p.revised = null;
  };
  for (const p of pending) if (p.resolvedMs > ctx.nowMs) open(p);
  const overdue = pending.filter((p) => p.row.status === 'open' && p.row.due_at.getTime() < ctx.nowMs).length;
  const pastSla = pending.filter((p) => p.row.status === 'resolved' && p.row.due_at.getTime() < ctx.nowMs && p.row.due_at.getTime() > ctx.nowMs - 7 * DAY_MS);
  pastSla.sort((a, b) => b.row.due_at.getTime() - a.row.due_at.getTime());
  for (const p of pastSla.slice(0, Math.max(0, 2 - overdue))) open(p);

  for (const p of pending) {
    rows.disputes.push(p.row);
    if (!p.revised) continue;
    const review = rows.reviews[reviewIndex.get(p.review.id)!]!;
    const resolvedAt = p.row.resolved_at as Date;
    Object.assign(review, { revision: 2, ...outcomeRow(p.revised), updated_at: resolvedAt });
    rows.revisions.push({ review_id: p.review.id, revision: 2, reason: 'dispute', dispute_id: p.row.id, ...outcomeRow(p.revised), created_at: resolvedAt, created_by: ctx.arbiterUser, ...scopeOf(p.review.task) });
  }
}

/** The questions answered by the verdict (correct label, correct action). */
function verdictQuestionKeys(definition: ScorecardDefinition): Set<string> {
  return new Set(definition.sections.flatMap((s) => s.questions).filter((q) => q.kind === 'correct_label' || q.kind === 'correct_action').map((q) => q.key));
}

function passingAnswer(definition: ScorecardDefinition, answer: Answer): Answer {
  const question = definition.sections.flatMap((s) => s.questions).find((q) => q.key === answer.questionKey)!;
  const value = question.kind === 'scale' ? 3 : question.kind === 'choice' ? [...question.options!].sort((a, b) => b.credit - a.credit)[0]!.key : 'yes';
  return { questionKey: answer.questionKey, value };
}

export interface DemoReviewSummary {
  reviews: number;
  disputes: number;
  overturned: number;
  openDisputes: number;
  escalations: number;
  exposures: number;
  unreviewed: number;
  skippedWorkflows: string[];
  /** Seconds spent generating and writing the rows. */
  generateSeconds: number;
  writeSeconds: number;
}

async function readReviewInput(trx: Executor, data: DemoData): Promise<{ tasks: DemoReviewTask[]; workflows: Map<string, DemoWorkflowReviewSetup>; skipped: string[] }> {
  const published = await trx.selectFrom('scorecard_versions').select(['id', 'workflow_id', 'definition']).where('status', '=', 'published').execute();
  const settings = await trx.selectFrom('qa_workflow_settings').selectAll().execute();
  const workflows = new Map<string, DemoWorkflowReviewSetup>();
  const skipped: string[] = [];
  for (const workflow of data.workflows) {
    const scorecard = published.find((s) => s.workflow_id === workflow.id);
    if (!scorecard) {
      skipped.push(workflow.key);
      continue;
    }
    const s = settings.find((x) => x.workflow_id === workflow.id);
    workflows.set(workflow.id, {
      scorecardVersionId: scorecard.id,
      definition: (typeof scorecard.definition === 'string' ? JSON.parse(scorecard.definition) : scorecard.definition) as ScorecardDefinition,
      blind: s?.blind_mode ?? true,
      internalReviewsVendorWork: s?.internal_reviews_vendor_work ?? false,
      disputeWindowHours: s?.dispute_window_hours ?? 168,
      disputeSlaHours: s?.dispute_sla_hours ?? 72,
    });
  }
  const rows = await trx
    .selectFrom('qa_tasks as t')
    .innerJoin('decisions as d', 'd.id', 't.decision_id')
    .select(['t.id', 't.decision_id', 'd.external_id', 't.workflow_id', 't.vendor_id', 't.site_id', 't.team_id', 't.agent_id', 't.language', 'd.labels', 'd.action', 'd.severity', 'd.content_kind', 't.assignee_id', 't.completed_at'])
    .where('t.status', '=', 'completed')
    .execute();
  const tasks = rows.map((r) => ({
    taskId: r.id, decisionId: r.decision_id, externalId: r.external_id, workflowId: r.workflow_id, vendorId: r.vendor_id, siteId: r.site_id, teamId: r.team_id,
    agentId: r.agent_id, language: r.language, labels: r.labels, action: r.action, severity: r.severity, contentKind: r.content_kind, assigneeId: r.assignee_id,
    completedAt: new Date(r.completed_at!),
  }));
  return { tasks, workflows, skipped };
}

async function insertChunks(trx: Executor, table: 'reviews' | 'review_revisions' | 'review_comments' | 'disputes' | 'escalations' | 'exposure_records', rows: Array<Record<string, unknown>>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    // The generated rows are built to the tables' columns (see generateDemoReviews).
    await trx.insertInto(table).values(rows.slice(i, i + CHUNK) as never).execute();
  }
}

/**
 * Reviews every completed demo QA task (after backdateDemoQa), in one
 * transaction as the system. `errors` holds the truth of the decisions the
 * agents got wrong, captured while the decisions were generated.
 */
export async function loadDemoReviews(
  db: Db,
  data: DemoData,
  options: { seed: number; now: Date; errors: ReadonlyMap<string, ReviewTruth> },
): Promise<DemoReviewSummary> {
  return asSystem(db, async (trx) => {
    const { tasks, workflows, skipped } = await readReviewInput(trx, data);
    const started = performance.now();
    const rows = generateDemoReviews({ seed: options.seed, now: options.now, data, tasks, workflows, errors: options.errors });
    const generated = performance.now();
    await insertChunks(trx, 'reviews', rows.reviews);
    await insertChunks(trx, 'review_revisions', rows.revisions);
    await insertChunks(trx, 'review_comments', rows.comments);
    await insertChunks(trx, 'disputes', rows.disputes);
    // The flags the dispute service sets as disputes are raised and resolved (they feed the quality rollups).
    await sql`UPDATE reviews r SET disputed = true, overturned = EXISTS (SELECT 1 FROM disputes x WHERE x.review_id = r.id AND x.outcome IN ('overturned', 'partly'))
              WHERE EXISTS (SELECT 1 FROM disputes x WHERE x.review_id = r.id)`.execute(trx);
    await insertChunks(trx, 'escalations', rows.escalations);
    await insertChunks(trx, 'exposure_records', rows.exposures);
    for (let i = 0; i < rows.assignments.length; i += CHUNK) {
      const chunk = rows.assignments.slice(i, i + CHUNK);
      await setAssignees(trx, chunk.map((a) => a.taskId), chunk.map((a) => a.reviewerId));
    }
    return {
      reviews: rows.reviews.length,
      disputes: rows.disputes.length,
      overturned: rows.disputes.filter((d) => d.outcome === 'overturned').length,
      openDisputes: rows.disputes.filter((d) => d.status === 'open').length,
      escalations: rows.escalations.length,
      exposures: rows.exposures.length,
      unreviewed: rows.unreviewed,
      skippedWorkflows: skipped,
      generateSeconds: Math.round((generated - started) / 100) / 10,
      writeSeconds: Math.round((performance.now() - generated) / 100) / 10,
    };
  });
}
