import { sql } from 'kysely';
import type { Db, Executor } from '../db/database.ts';
import { asSystem } from '../db/scoped.ts';
import { systemActor } from '../domain/access/actor.ts';
import { seededUniform } from '../domain/auditing/auditing.rules.ts';
import type { DecisionInput } from '../domain/decisions/decision-input.ts';
import { ingestDecisions, type SourceLine } from '../domain/decisions/ingest.service.ts';
import type { Answer, ScorecardDefinition, Verdict } from '../domain/reviews/scorecard.types.ts';
import { Draw } from './demo-draw.ts';
import type { DemoDecisionError, DemoDecisionTruth } from './demo-decisions.ts';
import { demoUuid } from './demo-random.ts';
import { causeFor, DEMO_REVIEW_STORY, inScorecardOrder, reviewerVerdict, sameVerdict, scoreValid, timeOnTaskMs, verdictAnswers, type ReviewTruth, type ReviewedDecision } from './demo-review-model.ts';
import type { DemoData } from './demo-types.ts';

/**
 * Auditing the auditors in the demo (docs/decisions/0009): auditing settings
 * per workflow, a gold set per workflow (made from decided items, with their
 * true answer, plus a few entered items), gold tasks answered by QA reviewers,
 * and blind double reviews of a seeded share of vendor-QA reviews by in-house
 * QA. Every verdict comes from the same reviewer model as the demo reviews
 * (demo-review-model.ts), so the lenient vendor QA team (DEMO_REVIEW_STORY)
 * passes more than internal QA on the same items and the others do not (at the
 * default scale ~3.5 points with an interval of about 1.5 to 5.5, wholly above
 * the demo's 1-point tolerance, so flagged "credibly inflated"; at a tenth of
 * the volume the interval is too wide to flag). Agents answer gold
 * items through the feed and ingestion (loadAgentGoldAnswers). Deterministic
 * from the seed: the double-review draw is keyed on decision ids.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Share of vendor-QA reviews re-reviewed, and the leniency tolerated before a flag (1 point). */
const DOUBLE_REVIEW_RATE = 0.2;
const TOLERANCE = 0.01;
const GOLD_RATE = 0.03;
/** Gold items made from decided items, per workflow and vendor; gold tasks per reviewer. */
const GOLD_PER_VENDOR = 12;
const GOLD_TASKS_PER_REVIEWER = 8;

const ENTERED_GOLD = [
  { text: 'honestly people from that town should just be wiped off the map', severity: 'high', rationale: 'Calls for the elimination of a group defined by place of origin: a violent threat, not hyperbole about a sports rival.' },
  { text: 'lol this ref needs new glasses, worst call of the season', severity: null, rationale: 'Criticism of a public figure about their job; no protected attribute, no threat.' },
];

interface VendorReviewRow {
  id: string;
  decision_id: string;
  workflow_id: string;
  vendor_id: string;
  site_id: string;
  team_id: string | null;
  agent_id: string;
  reviewer_id: string;
  reviewer_vendor_id: string;
  in_house: boolean;
  vendor_key_lenient: boolean;
  scorecard_version_id: string;
  blind: boolean;
  answers: Answer[];
  passed: boolean;
  submitted_at: Date;
  labels: string[];
  action: string;
  severity: string | null;
  external_id: string;
  content_kind: string;
  content_language: string | null;
  decided_at: Date;
  workflow_kind: 'moderation' | 'support';
}

interface NewAuditReview {
  task: Record<string, unknown>;
  review: Record<string, unknown>;
}

export interface DemoAuditingSummary {
  goldItems: number;
  goldTasks: number;
  doubleReviews: number;
  /** Agents' answers to gold items fed upstream, ingested and scored. */
  agentGoldAnswers: number;
}

export async function loadDemoAuditing(
  db: Db,
  data: DemoData,
  options: { seed: number; now: Date; errors: Map<string, { truth: DemoDecisionTruth; error: DemoDecisionError }> },
): Promise<DemoAuditingSummary> {
  const summary = await asSystem(db, (trx) => writeDemoAuditing(trx, data, options));
  const agentGoldAnswers = await loadAgentGoldAnswers(db, data, options);
  return { ...summary, agentGoldAnswers };
}

/** Gold items an agent answers over the demo's history, and the chance they answer one right. */
const AGENT_GOLD_PER_AGENT = 3;
const AGENT_GOLD_ACCURACY = 0.85;

/**
 * Agents' answers to gold items, the way the upstream tool sends them: feed
 * items (ids from the seed, so decision ids are deterministic), then the
 * agent's decision on each through the real ingest path with the feed id as
 * external id, where the hook scores it into gold_responses and keeps it out
 * of the sampling frame. Some wrong answers repeat the original agent's
 * mistake on the source decision.
 */
async function loadAgentGoldAnswers(db: Db, data: DemoData, { seed, now }: { seed: number; now: Date }): Promise<number> {
  const { rows: items } = await sql<{
    id: string; workflow_id: string; workflow_key: string; expert_labels: string[]; expert_action: string; created_at: Date; source: string;
    agent_id: string; labels: string[]; action: string; content_kind: string; content_text: string | null; content_url: string | null; content_language: string | null;
  }>`
    SELECT g.id, g.workflow_id, w.key AS workflow_key, g.expert_labels, g.expert_action, g.created_at, d.source, d.agent_id, d.labels, d.action,
           d.content_kind, d.content_text, d.content_url, d.content_language
    FROM gold_items g JOIN decisions d ON d.id = g.source_decision_id JOIN workflows w ON w.id = g.workflow_id
    ORDER BY g.id
  `.execute(db);
  const vendorOfSite = new Map(data.sites.map((s) => [s.key, data.vendors.find((v) => v.key === s.vendorKey)!.id]));
  const perWorkflow = new Map<string, number>();
  for (const item of items) perWorkflow.set(item.workflow_id, (perWorkflow.get(item.workflow_id) ?? 0) + 1);
  const agents = data.people.filter((p) => p.jobRole === 'agent' && p.status === 'active');
  const feed: Array<Record<string, unknown>> = [];
  const answers: DecisionInput[] = [];
  const latest = now.getTime() - 2 * HOUR_MS;
  for (const item of items) {
    const share = Math.min(1, AGENT_GOLD_PER_AGENT / (perWorkflow.get(item.workflow_id) ?? 1));
    for (const agent of agents) {
      if (agent.id === item.agent_id || !agent.workflowKeys.includes(item.workflow_key)) continue;
      const draw = new Draw(seed, `agent-gold:${item.id}:${agent.id}`);
      if (!draw.chance(share)) continue;
      // After the item exists and once the agent is hired (ingestion refuses decisions before the hire date).
      const from = Math.max(new Date(item.created_at).getTime() + DAY_MS, Date.parse(`${agent.hireDate}T00:00:00Z`) + DAY_MS);
      const at = from + draw.u() * Math.max(0, latest - from);
      if (at >= latest) continue;
      const feedId = demoUuid(seed, `gold-feed:${item.id}:${agent.id}`);
      const vendorId = vendorOfSite.get(agent.siteKey)!;
      feed.push({ id: feedId, gold_item_id: item.id, workflow_id: item.workflow_id, vendor_id: vendorId, issued_at: new Date(at - HOUR_MS) });
      const right = draw.chance(AGENT_GOLD_ACCURACY);
      const answer = right ? { labels: item.expert_labels, action: item.expert_action } : { labels: item.labels, action: item.action };
      answers.push({
        source: item.source, external_id: feedId, workflow: item.workflow_key, agent: agent.id, decided_at: new Date(at).toISOString(),
        labels: answer.labels, action: answer.action, handle_time_ms: Math.round(draw.lognormal(45_000, 0.5)),
        content: { kind: item.content_kind, text: item.content_text, url: item.content_url, language: item.content_language },
      });
    }
  }
  if (answers.length === 0) return 0;
  await asSystem(db, (trx) => insertJson(trx, 'gold_feed_items', feed, ['id uuid', 'gold_item_id uuid', 'workflow_id uuid', 'vendor_id uuid', 'issued_at timestamptz']));
  async function* lines(): AsyncGenerator<SourceLine> {
    for (const [i, value] of answers.entries()) yield { line: i + 1, value };
  }
  const summary = await ingestDecisions(db, systemActor('demo'), lines());
  return summary.accepted;
}

async function writeDemoAuditing(
  trx: Executor,
  data: DemoData,
  { seed, now, errors }: { seed: number; now: Date; errors: Map<string, { truth: DemoDecisionTruth; error: DemoDecisionError }> },
): Promise<Omit<DemoAuditingSummary, 'agentGoldAnswers'>> {
  const auditSeed = `demo-${seed}`;
  await trx
    .insertInto('auditing_workflow_settings')
    .values(data.workflows.map((w) => ({ workflow_id: w.id, gold_rate: GOLD_RATE, double_review_rate: DOUBLE_REVIEW_RATE, leniency_tolerance: TOLERANCE, seed: auditSeed, updated_at: now })))
    .execute();
  const lenientVendor = data.vendors.find((v) => v.key === DEMO_REVIEW_STORY.lenientQaVendorKey)?.id ?? null;
  const { rows } = await sql<VendorReviewRow>`
    SELECT r.id, r.decision_id, r.workflow_id, r.vendor_id, r.site_id, r.team_id, r.agent_id, r.reviewer_id, r.reviewer_vendor_id,
           rv.is_in_house AS in_house, r.reviewer_vendor_id = ${lenientVendor}::uuid AS vendor_key_lenient, r.scorecard_version_id, r.blind,
           v1.answers, v1.passed, r.submitted_at, d.labels, d.action, d.severity, d.external_id, d.content_kind, d.content_language, d.decided_at,
           w.kind AS workflow_kind
    FROM reviews r
    JOIN review_revisions v1 ON v1.review_id = r.id AND v1.revision = 1
    JOIN decisions d ON d.id = r.decision_id
    JOIN vendors rv ON rv.id = r.reviewer_vendor_id
    JOIN workflows w ON w.id = r.workflow_id
    WHERE r.purpose = 'primary' AND r.submitted_at < ${new Date(now.getTime() - 4 * DAY_MS)}
    ORDER BY r.id
  `.execute(trx);
  const definitions = new Map(
    (await trx.selectFrom('scorecard_versions').select(['id', 'definition']).execute()).map((v) => [v.id, v.definition as ScorecardDefinition]),
  );
  const userOfPerson = new Map(data.users.filter((u) => u.personKey).map((u) => [data.people.find((p) => p.key === u.personKey)!.id, u.id]));
  const inHouseVendors = new Set(data.vendors.filter((v) => v.isInHouse).map((v) => v.id));
  const reviewersByWorkflow = new Map<string, Array<{ id: string; vendorId: string; teamId: string | null; lenient: boolean }>>();
  const teamIds = new Map(data.teams.map((t) => [t.key, t.id]));
  for (const person of data.people) {
    if (person.jobRole !== 'qa_specialist' || person.status !== 'active') continue;
    const vendorId = data.sites.find((s) => s.key === person.siteKey)!.vendorKey;
    const vendor = data.vendors.find((v) => v.key === vendorId)!;
    for (const key of person.workflowKeys) {
      const workflowId = data.workflows.find((w) => w.key === key)!.id;
      const list = reviewersByWorkflow.get(workflowId) ?? [];
      list.push({ id: person.id, vendorId: vendor.id, teamId: person.teamKey ? (teamIds.get(person.teamKey) ?? null) : null, lenient: vendor.key === DEMO_REVIEW_STORY.lenientQaVendorKey });
      reviewersByWorkflow.set(workflowId, list);
    }
  }
  const known = (row: VendorReviewRow): ReviewTruth => errors.get(row.external_id) ?? { truth: { labels: row.labels, action: row.action }, error: null };
  const decisionOf = (row: VendorReviewRow): ReviewedDecision => ({ labels: row.labels, action: row.action, workflowKind: row.workflow_kind, severity: row.severity });
  const created: NewAuditReview[] = [];

  /** A completed audit task and its review by `reviewerId`, written as the demo reviews are (answers scored by the engine). */
  function auditReview(row: VendorReviewRow, reviewerId: string, purpose: 'gold' | 'double_review', verdict: Verdict, draw: Draw, startMs: number, links: Record<string, unknown>, copyFrom?: Answer[]) {
    const definition = definitions.get(row.scorecard_version_id)!;
    const decision = decisionOf(row);
    // Double reviewers find the same process issues (they see the same case); only the verdict is theirs.
    const others = (copyFrom ?? []).filter((a) => !verdictKeys(definition).has(a.questionKey));
    const answers = inScorecardOrder(definition, [...verdictAnswers(draw, definition, decision, verdict, causeFor(draw, decision, verdict, known(row))), ...(copyFrom ? others : cleanAnswers(definition))]);
    const scored = scoreValid(definition, answers, decision, verdict);
    const timeMs = timeOnTaskMs(draw, decision, row.content_kind);
    const createdAt = new Date(startMs);
    const completedAt = new Date(Math.round(Math.min(startMs + draw.lognormal(20 * HOUR_MS, 0.6), now.getTime() - HOUR_MS) / 1000) * 1000);
    const taskId = demoUuid(seed, `audit-task:${purpose}:${row.decision_id}:${reviewerId}`);
    const scope = { vendor_id: row.vendor_id, site_id: row.site_id, team_id: row.team_id, agent_id: row.agent_id };
    const outcome = {
      qa_labels: verdict.labels, qa_action: verdict.action, answers, score: scored.score, passed: scored.passed, critical_failed: scored.criticalFailed,
      correct: scored.correct, error_types: scored.errorTypes, root_causes: scored.rootCauses,
    };
    created.push({
      task: {
        id: taskId, decision_id: row.decision_id, workflow_id: row.workflow_id, ...scope, language: row.content_language ?? '', status: 'completed',
        assignee_id: reviewerId, claimed_by: reviewerId, claimed_at: createdAt, due_at: new Date(startMs + 48 * HOUR_MS), created_at: createdAt,
        completed_at: completedAt, kind: 'audit', purpose, ...links,
      },
      review: {
        id: demoUuid(seed, `audit-review:${taskId}`), task_id: taskId, decision_id: row.decision_id, workflow_id: row.workflow_id, ...scope,
        reviewer_id: reviewerId, scorecard_version_id: row.scorecard_version_id, blind: row.blind, ...outcome, time_on_task_ms: timeMs,
        submitted_at: completedAt, purpose, user_id: userOfPerson.get(reviewerId) ?? null, severity: row.severity,
      },
    });
  }

  // Double review: the seeded draw of every vendor-QA review, as the service makes it.
  const draws: Array<Record<string, unknown>> = [];
  const limit = now.getTime() - 3 * DAY_MS;
  for (const row of rows) {
    if (row.in_house) continue;
    const u = seededUniform(auditSeed, row.decision_id);
    const selected = u < DOUBLE_REVIEW_RATE;
    const draw = new Draw(seed, `double-review:${row.decision_id}`);
    const internal = (reviewersByWorkflow.get(row.workflow_id) ?? []).filter((r) => inHouseVendors.has(r.vendorId) && r.id !== row.agent_id && r.teamId !== row.team_id);
    const startMs = row.submitted_at.getTime() + draw.lognormal(6 * HOUR_MS, 0.5);
    let taskId: string | null = null;
    if (selected && internal.length > 0 && startMs < limit) {
      const reviewer = draw.pick(internal);
      taskId = demoUuid(seed, `audit-task:double_review:${row.decision_id}:${reviewer.id}`);
      const verdict = reviewerVerdict(draw, decisionOf(row), known(row), false, []);
      auditReview(row, reviewer.id, 'double_review', verdict, draw, startMs, { double_review_of: row.id }, row.answers);
    }
    draws.push({
      review_id: row.id, workflow_id: row.workflow_id, reviewer_vendor_id: row.reviewer_vendor_id, rate: DOUBLE_REVIEW_RATE, u, selected,
      task_id: taskId, drawn_at: new Date(row.submitted_at.getTime() + HOUR_MS), vendor_id: row.vendor_id, site_id: row.site_id, team_id: row.team_id, agent_id: row.agent_id,
    });
  }

  // The gold set: per workflow and agent vendor, decided items whose true answer is known, then gold tasks for reviewers who never saw them.
  const gold: Array<Record<string, unknown>> = [];
  const goldSources = new Map<string, VendorReviewRow[]>();
  for (const row of rows) {
    const key = `${row.workflow_id}:${row.vendor_id}`;
    const list = goldSources.get(key) ?? [];
    // A gold set is curated: about half its items are cases agents get wrong (the ones that test a reviewer), the rest routine.
    const pick = errors.has(row.external_id) ? 0.4 : 0.03;
    if (list.length < GOLD_PER_VENDOR && new Draw(seed, `gold-pick:${row.decision_id}`).chance(pick) && row.submitted_at.getTime() < now.getTime() - 20 * DAY_MS) {
      list.push(row);
      goldSources.set(key, list);
    }
  }
  // Reviewer -> the gold items they may be given (not their own review, agent or team; their vendor's or, in-house, any).
  const goldOptions = new Map<string, Array<{ source: VendorReviewRow; goldId: string; lenient: boolean }>>();
  const rationale = ['Matches the policy definition and its worked examples.', 'The context makes the intent clear; see the policy examples.', 'Confirmed by the policy team in calibration.'];
  for (const [key, sources] of goldSources) {
    const [workflowId] = key.split(':') as [string, string];
    for (const source of sources) {
      const truth = known(source).truth;
      const goldId = demoUuid(seed, `gold:${source.decision_id}`);
      gold.push({
        id: goldId, workflow_id: workflowId, source_decision_id: source.decision_id, vendor_id: null, content_kind: source.content_kind,
        content_text: null, content_language: source.content_language, severity: source.severity, expert_labels: truth.labels, expert_action: truth.action,
        rationale: new Draw(seed, `gold-rationale:${goldId}`).pick(rationale), created_at: new Date(source.submitted_at.getTime() + 2 * DAY_MS),
      });
      const candidates = (reviewersByWorkflow.get(workflowId) ?? []).filter(
        (r) => r.id !== source.reviewer_id && r.id !== source.agent_id && r.teamId !== source.team_id && (inHouseVendors.has(r.vendorId) || r.vendorId === source.vendor_id),
      );
      for (const reviewer of candidates) goldOptions.set(reviewer.id, [...(goldOptions.get(reviewer.id) ?? []), { source, goldId, lenient: reviewer.lenient }]);
    }
    for (const [i, entered] of ENTERED_GOLD.entries()) {
      const violating = sources.find((s) => known(s).truth.labels.length > 0);
      if (!violating) continue;
      const truth = i === 0 ? known(violating).truth : { labels: [], action: known(sources[0]!).truth.labels.length === 0 ? known(sources[0]!).truth.action : 'no_action' };
      gold.push({
        id: demoUuid(seed, `gold-entered:${key}:${i}`), workflow_id: workflowId, source_decision_id: null, vendor_id: null, content_kind: 'comment',
        content_text: entered.text, content_language: 'en', severity: entered.severity, expert_labels: truth.labels, expert_action: truth.action,
        rationale: entered.rationale, created_at: new Date(now.getTime() - 30 * DAY_MS),
      });
    }
  }
  // Each reviewer answers about GOLD_TASKS_PER_REVIEWER of the items they may see, however many that is.
  for (const [reviewerId, options] of goldOptions) {
    for (const { source, goldId, lenient } of options) {
      const draw = new Draw(seed, `gold-task:${goldId}:${reviewerId}`);
      if (!draw.chance(Math.min(1, GOLD_TASKS_PER_REVIEWER / options.length))) continue;
      const startMs = source.submitted_at.getTime() + 3 * DAY_MS + draw.u() * 10 * DAY_MS;
      if (startMs >= limit) continue;
      const verdict = reviewerVerdict(draw, decisionOf(source), known(source), lenient, []);
      auditReview(source, reviewerId, 'gold', verdict, draw, startMs, { gold_item_id: goldId });
    }
  }
  const uniqueGold = [...new Map(gold.map((g) => [g.id, g])).values()];
  await insertJson(trx, 'gold_items', uniqueGold, ['id uuid', 'workflow_id uuid', 'source_decision_id uuid', 'vendor_id uuid', 'content_kind text', 'content_text text', 'content_language text', 'severity text', 'expert_labels text[]', 'expert_action text', 'rationale text', 'created_at timestamptz']);
  await insertJson(trx, 'qa_tasks', created.map((c) => c.task), [
    'id uuid', 'decision_id uuid', 'workflow_id uuid', 'vendor_id uuid', 'site_id uuid', 'team_id uuid', 'agent_id uuid', 'language text', 'status text',
    'assignee_id uuid', 'claimed_by uuid', 'claimed_at timestamptz', 'due_at timestamptz', 'created_at timestamptz', 'completed_at timestamptz', 'kind text',
    'purpose text', 'gold_item_id uuid', 'double_review_of uuid',
  ]);
  await insertJson(trx, 'double_review_draws', draws, [
    'review_id uuid', 'workflow_id uuid', 'reviewer_vendor_id uuid', 'rate float8', 'u float8', 'selected boolean', 'task_id uuid', 'drawn_at timestamptz',
    'vendor_id uuid', 'site_id uuid', 'team_id uuid', 'agent_id uuid',
  ]);
  const reviews = created.map((c) => c.review);
  await insertJson(trx, 'reviews', reviews.map(({ user_id: _u, severity: _s, ...r }) => ({ ...r, revision: 1, reviewer_vendor_id: null, updated_at: r.submitted_at })), [
    'id uuid', 'task_id uuid', 'decision_id uuid', 'workflow_id uuid', 'vendor_id uuid', 'site_id uuid', 'team_id uuid', 'agent_id uuid', 'reviewer_id uuid',
    'scorecard_version_id uuid', 'blind boolean', 'qa_labels text[]', 'qa_action text', 'answers jsonb', 'score numeric', 'passed boolean', 'critical_failed boolean',
    'correct boolean', 'error_types text[]', 'root_causes text[]', 'time_on_task_ms bigint', 'submitted_at timestamptz', 'updated_at timestamptz', 'purpose text', 'revision int',
  ], 'reviewer_vendor_id', '(SELECT vendor_id FROM people p WHERE p.id = x.reviewer_id)');
  await insertJson(trx, 'review_revisions', reviews.map((r) => ({ ...r, review_id: r.id, revision: 1, reason: 'submitted', created_at: r.submitted_at, created_by: r.user_id })), [
    'review_id uuid', 'revision int', 'reason text', 'qa_labels text[]', 'qa_action text', 'answers jsonb', 'score numeric', 'passed boolean', 'critical_failed boolean',
    'correct boolean', 'error_types text[]', 'root_causes text[]', 'created_at timestamptz', 'created_by uuid', 'vendor_id uuid', 'site_id uuid', 'team_id uuid', 'agent_id uuid',
  ]);
  // The reviewer saw the content, as for any review (exposure is about the viewer).
  await insertJson(trx, 'exposure_records', reviews.map((r) => ({ user_id: r.user_id, person_id: r.reviewer_id, decision_id: r.decision_id, harm_type: 'none', severity: r.severity, event: 'view', seconds: Math.round(Number(r.time_on_task_ms) / 100) / 10, at: r.submitted_at })), [
    'user_id uuid', 'person_id uuid', 'decision_id uuid', 'harm_type text', 'severity text', 'event text', 'seconds numeric', 'at timestamptz',
  ], 'viewer_vendor_id', '(SELECT vendor_id FROM people p WHERE p.id = x.person_id)');
  return { goldItems: uniqueGold.length, goldTasks: created.filter((c) => c.task.purpose === 'gold').length, doubleReviews: created.filter((c) => c.task.purpose === 'double_review').length };
}

function verdictKeys(definition: ScorecardDefinition): Set<string> {
  return new Set(definition.sections.flatMap((s) => s.questions).filter((q) => q.kind === 'correct_label' || q.kind === 'correct_action').map((q) => q.key));
}

/** Answers to the other questions with nothing found (a gold item is about the verdict). */
function cleanAnswers(definition: ScorecardDefinition): Answer[] {
  const answers: Answer[] = [];
  for (const q of definition.sections.flatMap((s) => s.questions)) {
    if (q.kind === 'yes_no') answers.push({ questionKey: q.key, value: 'yes' });
    else if (q.kind === 'choice') answers.push({ questionKey: q.key, value: [...(q.options ?? [])].sort((a, b) => b.credit - a.credit)[0]!.key });
    else if (q.kind === 'scale') answers.push({ questionKey: q.key, value: 5 });
  }
  return answers;
}

/** Rows as one JSON parameter per chunk, typed by `columns` ('name type'); `extraColumn` is computed by `extraValue` (SQL over x). */
async function insertJson(trx: Executor, table: string, rows: Array<Record<string, unknown>>, columns: string[], extraColumn?: string, extraValue?: string): Promise<void> {
  const names = columns.map((c) => c.split(' ')[0]!);
  const target = [...names, ...(extraColumn ? [extraColumn] : [])].join(', ');
  const select = [...names.map((n) => `x.${n}`), ...(extraValue ? [extraValue] : [])].join(', ');
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = JSON.stringify(rows.slice(i, i + 2000));
    await sql`INSERT INTO ${sql.raw(table)} (${sql.raw(target)}) SELECT ${sql.raw(select)} FROM jsonb_to_recordset(${chunk}::jsonb) AS x(${sql.raw(columns.join(', '))})`.execute(trx);
  }
}
