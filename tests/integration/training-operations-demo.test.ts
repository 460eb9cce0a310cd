import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { loadDemo } from '../../src/demo/load-demo.ts';
import type { DemoData } from '../../src/demo/demo-data.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

/**
 * The demo's training history agrees with the rest of the demo: one cohort
 * per new-hire class with exactly its agents, the hate speech refresher
 * assigned when v2 took effect, some certifications expired, coaching linked
 * to the coachee's own incorrect reviews, graduations only after nesting
 * ended, surveys answered only by those who attended; and it is the same on
 * a second load.
 */
let database: TestDatabase;
let demo: DemoData;
const NOW = new Date('2026-11-25T15:30:00Z');
const OPTIONS = { seed: 7, today: '2026-11-25', now: NOW, decisionScale: 0.02 };

beforeAll(async () => {
  database = await createTestDatabase();
  demo = await loadDemo(database.db, OPTIONS);
}, 180_000);

afterAll(async () => {
  await database?.drop();
});

describe('the demo training history', () => {
  it('has a cohort per new-hire class, with its agents and trainers', async () => {
    const cohorts = await sql<{ id: string; site_id: string; start_date: string; members: string[]; trainers: number }>`
      SELECT c.id, c.site_id, c.start_date::text AS start_date, array_agg(m.person_id::text ORDER BY m.person_id) AS members,
             (SELECT count(*)::int FROM cohort_trainers t WHERE t.cohort_id = c.id) AS trainers
      FROM cohorts c JOIN cohort_members m ON m.cohort_id = c.id GROUP BY c.id`.execute(database.db);
    expect(cohorts.rows.length).toBeGreaterThanOrEqual(5);
    const sites = new Map(demo.sites.map((s) => [s.id, s.key]));
    for (const c of cohorts.rows) {
      const expected = demo.people.filter((p) => p.jobRole === 'agent' && p.teamKey !== null && p.hireDate === c.start_date && p.siteKey === sites.get(c.site_id)).map((p) => p.id).sort();
      expect(c.members).toEqual(expected);
      expect(c.trainers).toBeGreaterThan(0);
    }
  });

  it('assigns the hate speech refresher when v2 took effect, mostly completed, some overdue', async () => {
    const v2 = demo.policies.find((p) => p.key === 'hate_speech')!.versions[1]!;
    const { rows } = await sql<{ status: string; n: number; published_at: Date }>`
      SELECT e.status, count(*)::int AS n, max(cv.published_at) AS published_at FROM enrolments e JOIN course_versions cv ON cv.id = e.course_version_id
      WHERE cv.policy_version_ids @> ARRAY[${v2.id}]::uuid[] GROUP BY e.status`.execute(database.db);
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    expect(rows[0]!.published_at.toISOString()).toBe(new Date(v2.effectiveFrom).toISOString());
    expect(by.completed).toBeGreaterThan(10 * (by.in_progress ?? 0));
    expect(by.in_progress).toBeGreaterThan(0);
  });

  it('has expired and valid certifications, graduations only after nesting, coaching on the coachee\'s own errors', async () => {
    const { rows: [certs] } = await sql<{ expired: number; valid: number }>`
      SELECT count(*) FILTER (WHERE expires_at < ${NOW})::int AS expired, count(*) FILTER (WHERE expires_at >= ${NOW})::int AS valid FROM certification_awards`.execute(database.db);
    expect(certs!.expired).toBeGreaterThan(0);
    expect(certs!.valid).toBeGreaterThan(certs!.expired);
    const { rows: early } = await sql`SELECT 1 FROM cohort_graduations g JOIN cohort_nesting n ON n.cohort_id = g.cohort_id WHERE n.ends_on >= ${OPTIONS.today}::date`.execute(database.db);
    expect(early).toEqual([]);
    const { rows: links } = await sql<{ own: boolean; correct: boolean }>`
      SELECT r.agent_id = s.person_id AS own, r.correct FROM coaching_session_reviews l JOIN coaching_sessions s ON s.id = l.session_id JOIN reviews r ON r.id = l.review_id`.execute(database.db);
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => l.own && !l.correct)).toBe(true);
    const { rows: [surveys] } = await sql<{ invited: number; responded: number; responses: number; absentInvited: number }>`
      SELECT (SELECT count(*)::int FROM survey_invitations) AS invited, (SELECT count(*)::int FROM survey_invitations WHERE responded_on IS NOT NULL) AS responded,
             (SELECT count(*)::int FROM survey_responses) AS responses,
             (SELECT count(*)::int FROM survey_invitations i JOIN cohort_attendance a ON a.session_id = i.cohort_session_id AND a.person_id = i.person_id WHERE a.status IN ('absent', 'excused')) AS "absentInvited"`.execute(database.db);
    expect(surveys!.responded).toBe(surveys!.responses);
    expect(surveys!.responded).toBeLessThan(surveys!.invited);
    expect(surveys!.absentInvited).toBe(0);
  });

  it('is the same on a second load', async () => {
    const again = await createTestDatabase();
    try {
      await loadDemo(again.db, OPTIONS);
      const fingerprint = async (db: typeof database.db) => (await sql<{ e: string; a: string; g: string; s: string }>`
        SELECT (SELECT md5(string_agg(person_id || status || coalesce(completed_at::text, ''), ',' ORDER BY person_id, course_id)) FROM enrolments) AS e,
               (SELECT md5(string_agg(session_id::text || person_id::text || status, ',' ORDER BY session_id, person_id)) FROM cohort_attendance) AS a,
               (SELECT md5(string_agg(person_id || outcome, ',' ORDER BY person_id)) FROM cohort_graduations) AS g,
               (SELECT md5(string_agg(ratings::text || coalesce(trainer_id::text, ''), ',' ORDER BY ratings::text, trainer_id)) FROM survey_responses) AS s`.execute(db)).rows[0]!;
      expect(await fingerprint(again.db)).toEqual(await fingerprint(database.db));
    } finally {
      await again.drop();
    }
  }, 180_000);
});
