import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../db/database.ts';
import { DEMO_DECISION_STORY } from './demo-decision-model.ts';
import type { DemoData } from './demo-types.ts';

/**
 * After the demo's 90 days of decisions are ingested in one go, their samples
 * and QA tasks all carry the load time. This gives them the history a real
 * operation would have: each sample selected minutes after its decision (or
 * when its UTC day closed, for quotas and capped rates), and every task a real
 * team would have finished by now completed after a believable turnaround.
 * Reviews for the completed tasks are not created here.
 */

/** Median QA turnaround per vendor (hours) and its log-sigma: Tidewell's QA runs late (its SLA story). */
const TURNAROUND: Record<string, { medianHours: number; sigma: number }> = {
  inhouse: { medianHours: 10, sigma: 0.55 },
  coralpoint: { medianHours: 16, sigma: 0.55 },
  vayuteq: { medianHours: 20, sigma: 0.55 },
  [DEMO_DECISION_STORY.lateQaVendorKey]: { medianHours: 34, sigma: 0.65 },
};
/** Tasks created within this many hours of now stay open (the live part of the queue). */
const OPEN_WINDOW_HOURS = 48;
/** Day-close runs this long after a UTC day ends (DEFAULT_GRACE_HOURS of day-close.service.ts). */
const DAY_CLOSE_AFTER_HOURS = 6;

/** A uniform in (0, 1) from 8 hex digits of md5(text): deterministic per row. */
const uniform = (text: RawBuilder<unknown>, from: number): RawBuilder<unknown> =>
  sql`((('x' || substr(md5(${text}), ${from}, 8))::bit(32)::bigint + 0.5) / 4294967296.0)`;

export interface QaHistorySummary {
  tasks: number;
  completed: number;
  open: number;
  overdue: number;
}

export async function backdateDemoQa(trx: Executor, data: DemoData, now: Date): Promise<QaHistorySummary> {
  const latency = sql`make_interval(secs => 60 + floor(${uniform(sql`s.decision_id::text || ':selected'`, 1)} * 540))`;
  await sql`
    UPDATE qa_samples s
    SET selected_at = least(${now}::timestamptz,
      CASE WHEN s.method IN ('all', 'rate') THEN d.decided_at
           ELSE (d.decided_day + 1)::timestamp AT TIME ZONE 'UTC' + make_interval(hours => ${DAY_CLOSE_AFTER_HOURS})
      END + ${latency})
    FROM decisions d
    WHERE d.id = s.decision_id
  `.execute(trx);
  await sql`
    UPDATE sampling_day_closes
    SET closed_at = least(${now}::timestamptz, (day + 1)::timestamp AT TIME ZONE 'UTC' + make_interval(hours => ${DAY_CLOSE_AFTER_HOURS}, mins => 2))
  `.execute(trx);
  // Tasks keep their turnaround target (due_at - created_at) from the new creation time.
  await sql`
    UPDATE qa_tasks t
    SET due_at = s.selected_at + (t.due_at - t.created_at), created_at = s.selected_at
    FROM qa_samples s
    WHERE s.decision_id = t.decision_id
  `.execute(trx);

  const vendors = data.vendors.map((v) => ({ id: v.id, ...(TURNAROUND[v.key] ?? { medianHours: 20, sigma: 0.55 }) }));
  const z = sql`sqrt(-2 * ln(${uniform(sql`t.decision_id::text || ':turnaround'`, 1)})) * cos(2 * pi() * ${uniform(sql`t.decision_id::text || ':turnaround'`, 9)})`;
  await sql`
    WITH done AS (
      SELECT t.id, t.created_at + make_interval(secs => greatest(600, 3600 * x.median_hours * exp(x.sigma * ${z}))) AS completed_at
      FROM qa_tasks t
      JOIN unnest(${vendors.map((v) => v.id)}::uuid[], ${vendors.map((v) => v.medianHours)}::float8[], ${vendors.map((v) => v.sigma)}::float8[])
        AS x(vendor_id, median_hours, sigma) ON x.vendor_id = t.vendor_id
      WHERE t.status = 'open' AND t.created_at < ${now}::timestamptz - make_interval(hours => ${OPEN_WINDOW_HOURS})
    )
    UPDATE qa_tasks t
    SET status = 'completed', completed_at = done.completed_at
    FROM done
    WHERE done.id = t.id AND done.completed_at <= ${now}::timestamptz
  `.execute(trx);

  const { rows } = await sql<{ tasks: number; completed: number; open: number; overdue: number }>`
    SELECT count(*)::int AS tasks,
           count(*) FILTER (WHERE status = 'completed')::int AS completed,
           count(*) FILTER (WHERE status IN ('open', 'claimed'))::int AS open,
           count(*) FILTER (WHERE status IN ('open', 'claimed') AND due_at < ${now}::timestamptz)::int AS overdue
    FROM qa_tasks
  `.execute(trx);
  return rows[0]!;
}
