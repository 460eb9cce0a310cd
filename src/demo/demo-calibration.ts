import { sql } from 'kysely';
import type { Db, Executor } from '../db/database.ts';
import { asSystem } from '../db/scoped.ts';
import { labelCategory } from '../domain/calibration/calibration-results.rules.ts';
import { answerValues } from '../domain/calibration/calibration-session.rules.ts';
import { sessionOptions } from '../domain/calibration/calibration.service.ts';
import type { ParticipantGroupKey } from '../domain/calibration/calibration.types.ts';
import type { Answer, ScorecardDefinition, Verdict } from '../domain/reviews/scorecard.types.ts';
import { DEMO_REVIEW_STORY } from './demo-review-model.ts';
import { chance, demoRng, demoUuid, pick, type Rng } from './demo-random.ts';
import type { DemoData } from './demo-types.ts';

/**
 * The demo's calibration history: for each moderation workflow with a
 * published scorecard, a monthly session over the demo's ~90 days (closed,
 * revealed) and one open session due next week, each on ten reviewed
 * decisions with the final review as the expert answer. Participants are
 * internal QA, a policy SME, a trainer and two QA specialists per vendor.
 * They agree with the expert as the demo's reviewer model says: the lenient
 * vendor QA team (DEMO_REVIEW_STORY.lenientQaVendorKey) misses violations
 * most, and improves a little after each calibration, so the trends page has
 * a story. Deterministic (seeded) and written in a few statements.
 */

const ITEMS = 10;
const CLOSED_SESSIONS = 3;
const DAY = 86_400_000;

interface Person {
  id: string;
  full_name: string;
  job_role: string;
  vendor_id: string;
  vendor_key: string;
  is_in_house: boolean;
  has_user: boolean;
}

function skill(group: ParticipantGroupKey, lenient: boolean, round: number): number {
  if (lenient) return 0.6 + 0.07 * round;
  return { internal_qa: 0.9, sme: 0.95, trainer: 0.86, vendor_qa: 0.8, external: 0.8 }[group];
}

/** A participant's verdict: the expert's with the participant's skill; a lenient miss is "no violation". */
function verdictOf(rng: Rng, expert: Verdict, labels: string[], actions: string[], p: number, lenient: boolean): Verdict {
  const rightLabel = chance(rng, p);
  const violating = expert.labels.length > 0;
  let chosen: string[];
  if (rightLabel) chosen = [...expert.labels];
  else if (violating && (lenient || chance(rng, 0.6))) chosen = [];
  else chosen = [pick(rng, labels.filter((l) => !expert.labels.includes(l)).length > 0 ? labels.filter((l) => !expert.labels.includes(l)) : labels)];
  const harsh = actions.filter((a) => a !== 'no_action');
  let action: string;
  if (chosen.length === 0) action = 'no_action';
  else if (rightLabel && chance(rng, lenient ? 0.8 : 0.92)) action = expert.action;
  else action = harsh.length > 0 ? pick(rng, harsh) : expert.action;
  return { labels: chosen, action };
}

async function participantsFor(trx: Executor, seed: number): Promise<Array<Person & { group: ParticipantGroupKey }>> {
  const { rows } = await sql<Person>`
    SELECT p.id, p.full_name, p.job_role, p.vendor_id, v.code AS vendor_key, v.is_in_house,
           EXISTS (SELECT 1 FROM users u WHERE u.person_id = p.id AND u.status = 'active') AS has_user
      FROM people p JOIN vendors v ON v.id = p.vendor_id
     WHERE p.status = 'active' AND p.job_role IN ('qa_specialist', 'qa_lead', 'trainer', 'policy_sme')
     ORDER BY p.full_name, p.id`.execute(trx);
  const vendorKeys = await trx.selectFrom('vendors').select(['id', 'code', 'name']).execute();
  const rng = demoRng(seed, 'calibration-participants');
  const withUserFirst = (list: Person[]) => [...list].sort((a, b) => Number(b.has_user) - Number(a.has_user));
  const out: Array<Person & { group: ParticipantGroupKey }> = [];
  const inHouse = rows.filter((p) => p.is_in_house);
  for (const p of withUserFirst(inHouse.filter((x) => x.job_role === 'qa_specialist' || x.job_role === 'qa_lead')).slice(0, 3)) out.push({ ...p, group: 'internal_qa' });
  const sme = withUserFirst(inHouse.filter((x) => x.job_role === 'policy_sme'))[0];
  if (sme) out.push({ ...sme, group: 'sme' });
  const trainer = withUserFirst(rows.filter((x) => x.job_role === 'trainer'))[0];
  if (trainer) out.push({ ...trainer, group: 'trainer' });
  for (const vendor of vendorKeys) {
    const qa = rows.filter((x) => x.vendor_id === vendor.id && !x.is_in_house && x.job_role === 'qa_specialist');
    const users = withUserFirst(qa);
    const picked = users.slice(0, 1).concat(users.length > 1 ? [pick(rng, users.slice(1))] : []);
    for (const p of picked) out.push({ ...p, group: 'vendor_qa' });
  }
  return out;
}

export interface DemoCalibrationSummary {
  sessions: number;
  ratings: number;
}

export async function loadDemoCalibration(db: Db, data: DemoData, options: { seed: number; now: Date }): Promise<DemoCalibrationSummary> {
  return asSystem(db, async (trx) => {
    const lenientVendorIds = new Set(data.vendors.filter((v) => v.key === DEMO_REVIEW_STORY.lenientQaVendorKey).map((v) => v.id));
    const participants = await participantsFor(trx, options.seed);
    const workflows = await trx
      .selectFrom('workflows as w')
      .innerJoin('scorecard_versions as s', (j) => j.onRef('s.workflow_id', '=', 'w.id').on('s.status', '=', 'published'))
      .select(['w.id', 'w.key', 'w.name', 's.id as scorecard_id', 's.definition'])
      .where('w.kind', '=', 'moderation')
      .orderBy('w.key')
      .execute();
    let sessions = 0;
    let ratingCount = 0;
    for (const workflow of workflows.slice(0, 2)) {
      const definition = workflow.definition as ScorecardDefinition;
      const options_ = await sessionOptions(trx, workflow.id, options.now);
      const labels = options_.labels.flatMap((p) => p.labels.map((l) => l.key));
      const actions = options_.actions.map((a) => a.key);
      if (labels.length === 0) continue;
      const { rows: reviewed } = await sql<{
        decision_id: string; external_id: string; labels: string[]; action: string; severity: string | null; content_kind: string; content_text: string | null;
        content_url: string | null; content_language: string | null; qa_labels: string[]; qa_action: string; answers: Answer[]; submitted_at: Date;
      }>`
        SELECT d.id AS decision_id, d.external_id, d.labels, d.action, d.severity, d.content_kind, d.content_text, d.content_url, d.content_language,
               r.qa_labels, r.qa_action, r.answers, r.submitted_at
          FROM reviews r JOIN decisions d ON d.id = r.decision_id
         WHERE r.workflow_id = ${workflow.id}
         ORDER BY md5(r.id::text || ${String(options.seed)}) LIMIT ${ITEMS * (CLOSED_SESSIONS + 1) * 3}`.execute(trx);
      // Half the items violate (where the expert says so), so agreement on "no violation" does not carry the figures.
      const violating = reviewed.filter((r) => r.qa_labels.length > 0);
      const clean = reviewed.filter((r) => r.qa_labels.length === 0);
      for (let round = 0; round <= CLOSED_SESSIONS; round++) {
        const open = round === CLOSED_SESSIONS;
        const items = [...violating.slice(round * (ITEMS / 2), (round + 1) * (ITEMS / 2)), ...clean.slice(round * (ITEMS / 2), (round + 1) * (ITEMS / 2))];
        if (items.length < 4) continue;
        const rng = demoRng(options.seed, `calibration-${workflow.key}-${round}`);
        const createdAt = new Date(options.now.getTime() - (80 - round * 28) * DAY);
        const closedAt = open ? null : new Date(createdAt.getTime() + 6 * DAY);
        const sessionId = demoUuid(options.seed, `calibration-session-${workflow.key}-${round}`);
        const month = createdAt.toLocaleString('en', { month: 'long', timeZone: 'UTC' });
        await trx
          .insertInto('calibration_sessions')
          .values({
            id: sessionId, title: `${workflow.name}: ${month} calibration`, kind: 'scored', workflow_id: workflow.id, scorecard_version_id: workflow.scorecard_id,
            label_options: JSON.stringify(options_.labels), action_options: JSON.stringify(options_.actions), rating_field: null, vendor_id: null,
            status: open ? 'open' : 'closed', due_at: new Date(createdAt.getTime() + (open ? 87 : 5) * DAY), created_by_user_id: null, created_by_label: 'qa.lead@assay.demo',
            created_at: createdAt, closed_at: closedAt, closed_by_label: open ? null : 'qa.lead@assay.demo',
          })
          .execute();
        const itemRows = items.map((r, i) => ({
          id: demoUuid(options.seed, `calibration-item-${sessionId}-${i}`),
          session_id: sessionId, position: i + 1, source: 'decision' as const, decision_id: r.decision_id, external_ref: r.external_id,
          content_kind: r.content_kind, content_text: r.content_text, content_url: r.content_url, content_language: r.content_language, severity: r.severity,
          agent_labels: r.labels, agent_action: r.action, expert_labels: r.qa_labels, expert_action: r.qa_action,
          expert_answers: JSON.stringify(answerValues(definition, r.answers, { labels: r.qa_labels, action: r.qa_action }, { labels: r.labels, action: r.action })),
          expert_note: '',
        }));
        await trx.insertInto('calibration_items').values(itemRows).execute();
        const participantRows = participants.map((p, i) => ({
          id: demoUuid(options.seed, `calibration-participant-${sessionId}-${p.id}`),
          session_id: sessionId, person_id: p.id, participant_group: p.group, vendor_id: p.vendor_id, position: i + 1,
          rated_items: 0, submitted_at: null as Date | null, invited_at: createdAt,
        }));
        const ratings = [];
        for (const participant of participantRows) {
          const person = participants.find((p) => p.id === participant.person_id)!;
          // In the open session about half have answered so far.
          const rates = !open || chance(rng, 0.5);
          if (!rates) continue;
          const lenient = lenientVendorIds.has(person.vendor_id) && person.group === 'vendor_qa';
          const p = skill(person.group, lenient, round);
          for (const [i, item] of items.entries()) {
            const verdict = verdictOf(rng, { labels: item.qa_labels, action: item.qa_action }, labels, actions, p, lenient);
            const given = item.answers.filter((a) => definition.sections.some((s) => s.questions.some((q) => q.key === a.questionKey && q.kind !== 'correct_label' && q.kind !== 'correct_action')));
            const values = answerValues(definition, given, verdict, { labels: item.labels, action: item.action });
            const answers = [...given, ...Object.entries(values).filter(([k]) => !given.some((a) => a.questionKey === k)).map(([questionKey, value]) => ({ questionKey, value }))];
            ratings.push({
              item_id: itemRows[i]!.id, participant_id: participant.id, session_id: sessionId, label_category: labelCategory(verdict.labels),
              labels: [...verdict.labels].sort(), action: verdict.action, answers: JSON.stringify(answers), updated_at: new Date(createdAt.getTime() + 2 * DAY),
            });
          }
          participant.rated_items = items.length;
          participant.submitted_at = new Date(createdAt.getTime() + (2 + (ratings.length % 3)) * DAY);
        }
        await trx.insertInto('calibration_participants').values(participantRows).execute();
        if (ratings.length > 0) await trx.insertInto('calibration_ratings').values(ratings).execute();
        sessions += 1;
        ratingCount += ratings.length;
      }
    }
    return { sessions, ratings: ratingCount };
  });
}
