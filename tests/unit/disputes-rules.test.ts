import { describe, expect, it } from 'vitest';
import {
  alignDerivedAnswers,
  checkDisputedQuestions,
  disputeDueAt,
  disputeRates,
  disputeWindowEnd,
  disputeWindowOpen,
  pickArbiter,
  slaClock,
} from '../../src/domain/reviews/disputes.rules.ts';
import type { ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';

/** The dispute rules, without a database. */

const HOUR = 3_600_000;
const submitted = new Date('2026-03-01T12:00:00Z');

describe('the dispute window', () => {
  it('ends window hours after submission, inclusive', () => {
    expect(disputeWindowEnd(submitted, 168).toISOString()).toBe('2026-03-08T12:00:00.000Z');
    expect(disputeWindowOpen(submitted, 168, new Date(submitted.getTime() + 168 * HOUR))).toBe(true);
    expect(disputeWindowOpen(submitted, 168, new Date(submitted.getTime() + 168 * HOUR + 1))).toBe(false);
    expect(disputeWindowOpen(submitted, 0, submitted)).toBe(true);
  });

  it('gives the arbiter the SLA hours', () => {
    expect(disputeDueAt(submitted, 72).toISOString()).toBe('2026-03-04T12:00:00.000Z');
  });
});

describe('disputed questions', () => {
  const definition: ScorecardDefinition = {
    sections: [{ key: 's', title: 'S', questions: [{ key: 'label', text: 'Label?', kind: 'correct_label', weight: 1, critical: true }] }],
    rootCauses: [],
    commentRequiredOnFail: false,
    passMark: 80,
  };

  it('accepts none (the whole review) and keys on the version', () => {
    expect(checkDisputedQuestions(definition, [])).toEqual([]);
    expect(checkDisputedQuestions(definition, ['label'])).toEqual([]);
  });

  it('names unknown and repeated keys by position', () => {
    expect(checkDisputedQuestions(definition, ['tone', 'label', 'label'])).toEqual([
      { path: '/questionKeys/0', message: 'No question "tone" on this review\'s scorecard version.' },
      { path: '/questionKeys/2', message: 'Named twice.' },
    ]);
  });
});

describe('choosing the arbiter', () => {
  const candidates = [
    { personId: 'c', preferred: false, openDisputes: 0 },
    { personId: 'b', preferred: true, openDisputes: 2 },
    { personId: 'a', preferred: true, openDisputes: 2 },
    { personId: 'd', preferred: true, openDisputes: 1 },
  ];

  it('prefers skilled in-house leads with the fewest open disputes, then the lowest id', () => {
    expect(pickArbiter(candidates, [])).toBe('d');
    expect(pickArbiter(candidates.filter((c) => c.personId !== 'd'), [])).toBe('a');
  });

  it('never picks the reviewer or the raiser', () => {
    expect(pickArbiter(candidates, ['d', 'a'])).toBe('b');
    expect(pickArbiter(candidates, ['d', 'a', 'b'])).toBe('c');
    expect(pickArbiter(candidates, ['a', 'b', 'c', 'd'])).toBeNull();
    expect(pickArbiter(candidates, [null, 'd'])).toBe('a');
  });
});

describe('the SLA clock', () => {
  const due = new Date('2026-03-04T12:00:00Z');
  it('counts down while open and reports overdue', () => {
    expect(slaClock('open', due, new Date(due.getTime() - HOUR), null)).toEqual({ remainingMs: HOUR, overdue: false });
    expect(slaClock('open', due, new Date(due.getTime() + HOUR), null)).toEqual({ remainingMs: -HOUR, overdue: true });
  });
  it('stops when closed, overdue only if resolved late', () => {
    expect(slaClock('resolved', due, new Date(), new Date(due.getTime() - 1))).toEqual({ remainingMs: null, overdue: false });
    expect(slaClock('resolved', due, new Date(), new Date(due.getTime() + 1))).toEqual({ remainingMs: null, overdue: true });
  });
});

describe('dispute and overturn rates', () => {
  it('gives Wilson 95% intervals (4/10 and 2/4)', () => {
    const rates = disputeRates({ groupId: 'v', groupName: 'V', reviews: 10, disputed: 4, overturned: 2 });
    expect(rates.disputeRate).toMatchObject({ estimate: 0.4, x: 4, n: 10, method: 'wilson' });
    expect(rates.disputeRate.lower).toBeCloseTo(0.1682, 4);
    expect(rates.disputeRate.upper).toBeCloseTo(0.6873, 4);
    expect(rates.overturnRate.lower).toBeCloseTo(0.15, 4);
    expect(rates.overturnRate.upper).toBeCloseTo(0.85, 4);
  });
  it('is uninformative with nothing disputed', () => {
    expect(disputeRates({ groupId: 'v', groupName: 'V', reviews: 5, disputed: 0, overturned: 0 }).overturnRate).toMatchObject({ estimate: null, lower: 0, upper: 1 });
  });
});

describe('answers after a corrected verdict', () => {
  const definition: ScorecardDefinition = {
    sections: [
      {
        key: 's',
        title: 'S',
        questions: [
          { key: 'label', text: 'Label?', kind: 'correct_label', weight: 2, critical: false },
          { key: 'action', text: 'Action?', kind: 'correct_action', weight: 1, critical: false },
          { key: 'tone', text: 'Tone?', kind: 'yes_no', weight: 1, critical: false },
        ],
      },
    ],
    rootCauses: [{ key: 'gap', label: 'Gap' }],
    commentRequiredOnFail: true,
    passMark: 80,
  };

  it('follows the verdict for label and action, in place, and drops the comment of what no longer fails', () => {
    const answers = [
      { questionKey: 'label', value: 'no', comment: 'Missed the slur', rootCause: 'gap' },
      { questionKey: 'action', value: 'no', comment: 'Should remove' },
      { questionKey: 'tone', value: 'yes' },
    ];
    expect(alignDerivedAnswers(definition, answers, ['label'])).toEqual([
      { questionKey: 'label', value: 'no', comment: 'Missed the slur', rootCause: 'gap' },
      { questionKey: 'action', value: 'yes' },
      { questionKey: 'tone', value: 'yes' },
    ]);
  });

  it('adds the derived answers a submission left out', () => {
    expect(alignDerivedAnswers(definition, [{ questionKey: 'tone', value: 'no' }], ['tone', 'action'])).toEqual([
      { questionKey: 'tone', value: 'no' },
      { questionKey: 'label', value: 'yes' },
      { questionKey: 'action', value: 'no' },
    ]);
  });
});
