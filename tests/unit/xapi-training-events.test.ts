import { describe, expect, it } from 'vitest';
import { buildTrainingStatement, eventStatementId, isoDuration } from '../../src/domain/xapi/xapi-training-events.rules.ts';
import { retryDelayMs } from '../../src/domain/xapi/xapi-forwarding.service.ts';
import { statementIssues } from '../../src/domain/xapi/xapi-validation.rules.ts';

const base = 'https://assay.example.com/xapi/';
const person = { id: '5f0c6a1e-0000-4000-8000-000000000001', name: 'Ana Lima' };
const course = { id: '5f0c6a1e-0000-4000-8000-000000000002', title: 'Hate speech 101' };

describe("Assay's own training statements", () => {
  it('derives a stable, valid UUID per event', () => {
    const id = eventStatementId('passed', 'attempt-1');
    expect(id).toBe(eventStatementId('passed', 'attempt-1'));
    expect(id).not.toBe(eventStatementId('failed', 'attempt-1'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('formats durations as xAPI ISO 8601 durations', () => {
    expect(isoDuration(0)).toBe('PT0S');
    expect(isoDuration(61_500)).toBe('PT1M1.5S');
    expect(isoDuration(3_723_456)).toBe('PT1H2M3.46S');
  });

  it('builds statements the LRS accepts, with result, registration and parents', () => {
    const statement = buildTrainingStatement(base, {
      kind: 'passed',
      key: 'attempt-1',
      at: new Date('2026-12-01T09:00:00Z'),
      person,
      course,
      program: { id: '5f0c6a1e-0000-4000-8000-000000000003', name: 'New hire' },
      enrolmentId: '5f0c6a1e-0000-4000-8000-000000000004',
      result: { scaled: 0.83333333, success: true, completion: true, durationMs: 600_000 },
    });
    expect(statementIssues(statement, '1.0.3', '')).toEqual([]);
    expect(statementIssues(statement, '2.0.0', '')).toEqual([]);
    expect(statement).toMatchObject({
      actor: { objectType: 'Agent', name: 'Ana Lima', account: { homePage: base, name: person.id } },
      verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
      object: { id: `${base}assessments/${course.id}`, definition: { type: 'http://adlnet.gov/expapi/activities/assessment' } },
      result: { score: { scaled: 0.8333 }, success: true, completion: true, duration: 'PT10M0S' },
      context: { registration: '5f0c6a1e-0000-4000-8000-000000000004' },
    });
    expect((statement.context as { contextActivities: { parent: Array<{ id: string }> } }).contextActivities.parent.map((p) => p.id)).toEqual([
      `${base}courses/${course.id}`,
      `${base}programs/5f0c6a1e-0000-4000-8000-000000000003`,
    ]);
  });

  it('uses an Assay verb under the base for certification', () => {
    const s = buildTrainingStatement(base, { kind: 'certified', key: 'award-1', at: new Date(), person, certification: { id: 'c1', name: 'Certified' } });
    expect(s.verb).toEqual({ id: `${base}verbs/certified`, display: { 'en-US': 'certified' } });
    expect(statementIssues(s, '1.0.3', '')).toEqual([]);
  });
});

describe('forwarding backoff', () => {
  it('doubles from 30 seconds and stops at 6 hours', () => {
    expect([0, 1, 2, 3].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(30)).toBe(6 * 3_600_000);
  });
});
