import type { MetricGrain } from './metrics.types.ts';

/**
 * Calendar arithmetic on UTC days ('YYYY-MM-DD'): the metrics engine's date
 * ranges and reporting periods. A week starts on Monday (ISO 8601); a period
 * is named by the ISO date of its first day. Pure.
 */

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function toTime(day: string): number {
  const m = ISO_DAY.exec(day);
  if (!m) throw new RangeError(`not an ISO date: ${day}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

const fromTime = (time: number): string => new Date(time).toISOString().slice(0, 10);

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not). */
export function isIsoDay(value: string): boolean {
  const m = ISO_DAY.exec(value);
  if (!m) return false;
  const time = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isFinite(time) && fromTime(time) === value;
}

export function addDays(day: string, days: number): string {
  return fromTime(toTime(day) + days * DAY_MS);
}

/** Days from a to b (b - a); 0 when equal. */
export function daysBetween(a: string, b: string): number {
  return Math.round((toTime(b) - toTime(a)) / DAY_MS);
}

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The first day of the period that contains `day`. */
export function periodStart(day: string, grain: MetricGrain): string {
  if (grain === 'day') return day;
  if (grain === 'month') return `${day.slice(0, 7)}-01`;
  const weekday = new Date(toTime(day)).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** The last day of the period that starts on `start`. */
export function periodEnd(start: string, grain: MetricGrain): string {
  if (grain === 'day') return start;
  if (grain === 'week') return addDays(start, 6);
  const d = new Date(toTime(start));
  return fromTime(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - DAY_MS);
}

/** The starts of every period that meets [from, to], in order. */
export function periodsBetween(from: string, to: string, grain: MetricGrain): string[] {
  const out: string[] = [];
  for (let start = periodStart(from, grain); start <= to; start = addDays(periodEnd(start, grain), 1)) out.push(start);
  return out;
}
