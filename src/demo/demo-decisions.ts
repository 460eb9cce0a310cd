import type { DecisionInput } from '../domain/decisions/decision-input.ts';
import { drawContent, drawMetadata, marketLanguage, regionOf } from './demo-content.ts';
import { buildAgentProfiles, formatOffset, isRostered, utcOffsetMinutes, type AgentProfile } from './demo-agents.ts';
import { DEMO_DECISION_STORY, PolicyView, WINDOW_DAYS, WORKFLOW_MODELS, dayNumber, dayString, rampUp, type WorkflowModel } from './demo-decision-model.ts';
import { Draw } from './demo-draw.ts';
import { drawTruth, handleTimeMs, judge, modelScore, type DemoDecisionError } from './demo-judgement.ts';
import { parseDay } from './demo-random.ts';
import type { DemoData } from './demo-types.ts';

/**
 * About 90 days of decisions for the demo organisation, from the latent model
 * in demo-decision-model.ts: each yielded record is the decision as the
 * upstream tool sends it (`input`), the expert answer (`truth`), and, when the
 * agent got it wrong, the error QA should find (`error`: type and planted root
 * cause). Yielded in decided_at order. Pure and deterministic: one seeded
 * stream per agent, so any agent's records can be replayed on their own
 * (demoTruthLookup) and a later `until` only drops records, it changes none.
 */

export interface DemoDecisionOptions {
  seed: number;
  /** 'YYYY-MM-DD': the window is the 90 local days before it (and `today` itself, up to `until`). */
  today: string;
  /** Multiplies every agent's daily volume (default 1: >= 500,000 decisions; 0.02 gives ~12,000). */
  scale?: number;
  /** ISO instant: no decision after it (default: `today` 00:00 UTC). Pass the load time to include today so far. */
  until?: string;
}

export interface DemoDecisionTruth {
  labels: string[];
  action: string;
}

export interface DemoDecisionRecord {
  input: DecisionInput;
  truth: DemoDecisionTruth;
  error: DemoDecisionError | null;
}

export type { DemoDecisionError, DemoErrorType, DemoRootCause } from './demo-judgement.ts';
export { DEMO_DECISION_STORY } from './demo-decision-model.ts';
export { pickOutliers } from './demo-agents.ts';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Productive minutes in a 9-hour shift, with a 60-minute break after the first four hours. */
const SHIFT_WORK_MINUTES = 480;
const BREAK_AFTER = 240;
const BREAK_MINUTES = 60;
const SICK_DAY = 0.03;
const SECONDARY_WORKFLOW_DAY = 0.2;
const WEEKEND_VOLUME = 0.9;
const EXTERNAL_ID = /^(v|c|HD)-(\d{4})(\d{2})(\d{2})-(\d{4})-(\d{3,})$/;

function yyyymmdd(day: number): string {
  return dayString(day).replaceAll('-', '');
}

/** Where a demo external id points: the agent (by ordinal, see AgentProfile) and the local day. */
export function parseDemoExternalId(externalId: string): { ordinal: number; day: string; seq: number } | null {
  const m = EXTERNAL_ID.exec(externalId);
  if (!m) return null;
  return { day: `${m[2]}-${m[3]}-${m[4]}`, ordinal: Number(m[5]), seq: Number(m[6]) };
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Shared, read-only context of one generation run. */
class DecisionRun {
  readonly agents: AgentProfile[];
  readonly firstDay: number;
  readonly lastDay: number;
  readonly untilMs: number;
  readonly seed: number;
  readonly scale: number;
  readonly policies: PolicyView;
  readonly spamWaveDays: Set<number>;

  constructor(data: DemoData, options: DemoDecisionOptions) {
    const { seed, today } = options;
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Demo seed must be an integer, got ${seed}.`);
    const scale = options.scale ?? 1;
    if (!(scale >= 0) || !Number.isFinite(scale)) throw new RangeError(`Demo decision scale must be a number >= 0, got ${scale}.`);
    this.seed = seed;
    this.scale = scale;
    this.untilMs = options.until === undefined ? parseDay(today) : Date.parse(options.until);
    if (Number.isNaN(this.untilMs)) throw new RangeError(`"until" must be an ISO instant, got "${options.until}".`);
    this.lastDay = dayNumber(today);
    this.firstDay = this.lastDay - WINDOW_DAYS;
    this.policies = new PolicyView(data);
    this.agents = buildAgentProfiles(seed, data, today);
    this.spamWaveDays = new Set(
      DEMO_DECISION_STORY.spamWaves.flatMap((w) => Array.from({ length: w.fromDaysAgo - w.toDaysAgo + 1 }, (_, i) => this.lastDay - w.fromDaysAgo + i)),
    );
  }
}

/**
 * One agent's decisions, in time order, from the agent's own seeded stream:
 * a working day's shape (absent? which workflow? how many items, when?) is
 * drawn when the previous day's items are done, then each item in turn.
 * Records are built just in time, so a run holds one pending day per agent,
 * not a day of records.
 */
class AgentCursor {
  readonly agent: AgentProfile;
  /** Instant (ms) of the next item; Infinity when the agent has no more. */
  nextMs = Infinity;
  readonly #run: DecisionRun;
  readonly #draw: Draw;
  #day: number;
  #workflow: WorkflowModel = WORKFLOW_MODELS.video_moderation;
  #secondary = false;
  #spamWave = false;
  #productionDays = 0;
  #offsetText = '';
  #idPrefix = '';
  /** Local wall-clock ms of each item of the day, ascending. */
  #times: number[] = [];
  #offsetMs = 0;
  #index = 0;

  constructor(run: DecisionRun, agent: AgentProfile) {
    this.#run = run;
    this.agent = agent;
    this.#draw = new Draw(run.seed, `decisions:agent:${agent.person.key}`);
    this.#day = run.firstDay - 1;
    this.#nextDay();
  }

  #nextDay(): void {
    const run = this.#run;
    const agent = this.agent;
    const draw = this.#draw;
    while (++this.#day <= run.lastDay) {
      const day = this.#day;
      if (!isRostered(agent, day) || draw.chance(SICK_DAY)) continue;
      this.#secondary = agent.secondary !== null && draw.chance(SECONDARY_WORKFLOW_DAY);
      const workflow = WORKFLOW_MODELS[this.#secondary ? agent.secondary! : agent.primary];
      this.#productionDays = day - agent.productionStart;
      const weekday = (((day + 4) % 7) + 7) % 7;
      this.#spamWave = workflow.key === 'comment_moderation' && run.spamWaveDays.has(day);
      const mean =
        workflow.perAgentDay * agent.productivity * rampUp(this.#productionDays) * (weekday === 0 || weekday === 6 ? WEEKEND_VOLUME : 1) *
        (this.#spamWave ? DEMO_DECISION_STORY.spamWaveVolume : 1) * run.scale;
      const n = draw.poisson(mean);
      if (n === 0) continue;
      const seconds: number[] = [];
      for (let i = 0; i < n; i++) seconds.push(Math.floor(draw.u() * SHIFT_WORK_MINUTES * 60));
      seconds.sort((a, b) => a - b);
      const start = day * DAY_MS + agent.shiftStart * MINUTE_MS;
      this.#times = seconds.map((second) => start + (second >= BREAK_AFTER * 60 ? second + BREAK_MINUTES * 60 : second) * 1000);
      const offset = utcOffsetMinutes(agent.site.timeZone, day);
      this.#offsetMs = offset * MINUTE_MS;
      this.#offsetText = formatOffset(offset);
      this.#workflow = workflow;
      this.#idPrefix = `${workflow.code}-${yyyymmdd(day)}-${String(agent.ordinal).padStart(4, '0')}-`;
      this.#index = 0;
      this.nextMs = this.#times[0]! - this.#offsetMs;
      return;
    }
    this.nextMs = Infinity;
  }

  /** Builds the next record and advances. */
  take(): DemoDecisionRecord {
    const run = this.#run;
    const agent = this.agent;
    const draw = this.#draw;
    const workflow = this.#workflow;
    const localMs = this.#times[this.#index]!;
    const atMs = localMs - this.#offsetMs;
    const productionDays = this.#productionDays;
    const ctx = { workflow, policies: run.policies, atMs, spamWave: this.#spamWave };
    const truth = drawTruth(draw, ctx);
    const content = drawContent(draw, workflow, truth, marketLanguage(draw, agent.site));
    if (content.ambiguity !== null) truth.ambiguity = (truth.ambiguity + content.ambiguity) / 2;
    const score = workflow.scoreShare > 0 && draw.chance(workflow.scoreShare) ? modelScore(draw, truth) : null;
    const judgement = judge(draw, { agent, truth, ctx, productionDays, language: content.language, modelScore: score, secondaryWorkflow: this.#secondary });
    const handle = handleTimeMs(draw, { agent, workflow, truth, productionDays, judgement });
    const metadata = drawMetadata(draw, workflow, truth, regionOf(draw, agent.site, content.language));
    this.#index++;
    const seq = this.#index;
    const secondOfDay = Math.floor((((localMs % DAY_MS) + DAY_MS) % DAY_MS) / 1000);
    const input: DecisionInput = {
      source: workflow.source,
      external_id: `${this.#idPrefix}${seq < 10 ? '00' : seq < 100 ? '0' : ''}${seq}`,
      workflow: workflow.key,
      agent: agent.person.id,
      decided_at: `${dayString(Math.floor(localMs / DAY_MS))}T${two(Math.floor(secondOfDay / 3600))}:${two(Math.floor(secondOfDay / 60) % 60)}:${two(secondOfDay % 60)}${this.#offsetText}`,
      labels: judgement.labels,
      action: judgement.action,
      handle_time_ms: handle,
      content: { kind: content.kind, text: content.text, url: content.url, language: content.language },
      model_score: score,
      metadata,
    };
    const labels = truth.labels.length === 1 ? [truth.labels[0]!.key] : truth.labels.map((l) => l.key);
    if (this.#index < this.#times.length) this.nextMs = this.#times[this.#index]! - this.#offsetMs;
    else this.#nextDay();
    return { input, truth: { labels, action: truth.action }, error: judgement.error };
  }
}

/** A binary min-heap of cursors by their next instant (ties by agent ordinal, for a stable order). */
class CursorHeap {
  readonly #items: AgentCursor[] = [];

  static #less(a: AgentCursor, b: AgentCursor): boolean {
    return a.nextMs < b.nextMs || (a.nextMs === b.nextMs && a.agent.ordinal < b.agent.ordinal);
  }

  push(cursor: AgentCursor): void {
    const items = this.#items;
    items.push(cursor);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!CursorHeap.#less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  peek(): AgentCursor | undefined {
    return this.#items[0];
  }

  /** Restores the order after the top cursor's nextMs grew. */
  siftTop(): void {
    const items = this.#items;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && CursorHeap.#less(items[left]!, items[smallest]!)) smallest = left;
      if (right < items.length && CursorHeap.#less(items[right]!, items[smallest]!)) smallest = right;
      if (smallest === i) return;
      [items[i], items[smallest]] = [items[smallest]!, items[i]!];
      i = smallest;
    }
  }
}

/**
 * The demo decisions, oldest first. At scale 1 about 550,000 records (see
 * WORKFLOW_MODELS.perAgentDay for what share of the agents' work that is).
 */
export function* generateDemoDecisions(data: DemoData, options: DemoDecisionOptions): Generator<DemoDecisionRecord> {
  const run = new DecisionRun(data, options);
  const heap = new CursorHeap();
  for (const agent of run.agents) heap.push(new AgentCursor(run, agent));
  for (;;) {
    const cursor = heap.peek();
    if (!cursor || cursor.nextMs > run.untilMs) return;
    const record = cursor.take();
    heap.siftTop();
    yield record;
  }
}

/**
 * The truth and planted error for demo decisions, by external id, by replaying
 * only the agents concerned. Ids that are not demo ids (or not generated under
 * these options) are absent from the result.
 */
export function demoTruthLookup(data: DemoData, options: DemoDecisionOptions, externalIds: Iterable<string>): Map<string, Omit<DemoDecisionRecord, 'input'>> {
  const run = new DecisionRun(data, options);
  const wanted = new Map<number, Set<string>>();
  for (const id of externalIds) {
    const parsed = parseDemoExternalId(id);
    if (!parsed) continue;
    const set = wanted.get(parsed.ordinal) ?? new Set<string>();
    set.add(id);
    wanted.set(parsed.ordinal, set);
  }
  const out = new Map<string, Omit<DemoDecisionRecord, 'input'>>();
  for (const agent of run.agents) {
    const ids = wanted.get(agent.ordinal);
    if (!ids) continue;
    const cursor = new AgentCursor(run, agent);
    while (cursor.nextMs <= run.untilMs) {
      const record = cursor.take();
      if (ids.has(record.input.external_id)) out.set(record.input.external_id, { truth: record.truth, error: record.error });
    }
  }
  return out;
}

/** The agent profiles behind the decisions (skills, schedules, outliers), for stories and tests. */
export function demoAgentProfiles(data: DemoData, options: Pick<DemoDecisionOptions, 'seed' | 'today'>): AgentProfile[] {
  return buildAgentProfiles(options.seed, data, options.today);
}
export type { AgentProfile } from './demo-agents.ts';
