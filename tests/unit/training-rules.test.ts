import { describe, expect, it } from 'vitest';
import { analyseItems, pointBiserial, upperLowerIndex } from '../../src/domain/training/item-analysis.rules.ts';
import { checkItem, drawForm, isLate, scoreAttempt, SUBMISSION_GRACE_SECONDS } from '../../src/domain/training/assessment.rules.ts';
import { awardState, expiryFor, isValidAt } from '../../src/domain/training/certification.rules.ts';
import { checkAttachment, quoteIsInText } from '../../src/domain/training/content.rules.ts';
import { isComplete, isOverdue } from '../../src/domain/training/completion.rules.ts';

const DAY = 86_400_000;

describe('item analysis (hand-computed)', () => {
  // Five examinees; the item's points are 1. Totals 4, 3, 2, 1, 0; right: the top two.
  // Rest scores 3, 2, 2, 1, 0: mean 1.6, population sd sqrt(5.2 / 5) = 1.0198;
  // M1 = 2.5, M0 = 1, p = 0.4: r = (1.5 / 1.0198) * sqrt(0.24) = 0.72058.
  const attempts = [
    { id: 'a', total: 4, responses: { x: { correct: true, points: 1 } } },
    { id: 'b', total: 3, responses: { x: { correct: true, points: 1 } } },
    { id: 'c', total: 2, responses: { x: { correct: false, points: 0 } } },
    { id: 'd', total: 1, responses: { x: { correct: false, points: 0 } } },
    { id: 'e', total: 0, responses: { x: { correct: false, points: 0 } } },
  ];

  it('computes facility with n and a Wilson interval', () => {
    const [x] = analyseItems(['x'], attempts);
    expect(x).toMatchObject({ itemId: 'x', n: 5, correct: 2 });
    expect(x!.facility.estimate).toBe(0.4);
    // Wilson 95% for 2/5: [0.1176, 0.7693] (Newcombe 1998 method 3).
    expect(x!.facility.lower).toBeCloseTo(0.1176, 4);
    expect(x!.facility.upper).toBeCloseTo(0.7693, 4);
    expect(x!.flags).toEqual(['few_responses']);
  });

  it('computes the corrected point-biserial', () => {
    expect(pointBiserial(attempts.map((a) => ({ correct: a.responses.x.correct, rest: a.total - a.responses.x.points })))).toBeCloseTo(0.720577, 6);
    expect(analyseItems(['x'], attempts)[0]!.pointBiserial).toBeCloseTo(0.720577, 6);
  });

  it('computes the upper-lower 27% index', () => {
    // n = 5: g = round(1.35) = 1; top (a) right, bottom (e) wrong: D = 1.
    expect(upperLowerIndex(attempts.map((a) => ({ id: a.id, correct: a.responses.x.correct, total: a.total })))).toEqual({ index: 1, groupSize: 1, upper: 1, lower: 0 });
    // n = 10: g = round(2.7) = 3; upper 3 has 2 right, lower 3 has 1 right: D = 1/3.
    const ten = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((total, i) => ({ id: `p${i}`, total, correct: [true, false, true, false, true, false, false, true, false, false][i]! }));
    const d = upperLowerIndex(ten)!;
    expect(d.groupSize).toBe(3);
    expect(d.index).toBeCloseTo(2 / 3 - 1 / 3, 10);
  });

  it('is undefined when everyone is right or only one examinee saw the item, and counts only forms holding the item', () => {
    expect(pointBiserial([{ correct: true, rest: 1 }, { correct: true, rest: 2 }])).toBeNull();
    expect(upperLowerIndex([{ id: 'a', correct: true, total: 1 }])).toBeNull();
    const [y] = analyseItems(['y'], attempts);
    expect(y).toMatchObject({ n: 0, pointBiserial: null, upperLower: null });
    expect(y!.facility.estimate).toBeNull();
  });
});

describe('assessment rules', () => {
  const bank = Array.from({ length: 10 }, (_, i) => ({ id: `i${i}`, kind: 'single' as const, optionIds: ['a', 'b', 'c', 'd'] }));

  it('draws the same form from the same seed, different forms from different seeds', () => {
    const settings = { formSize: 5, randomiseItems: true, randomiseOptions: true };
    const one = drawForm(bank, settings, 'seed-1');
    expect(drawForm(bank, settings, 'seed-1')).toEqual(one);
    expect(one.itemIds).toHaveLength(5);
    expect(new Set(one.itemIds).size).toBe(5);
    expect(drawForm(bank, settings, 'seed-2').itemIds).not.toEqual(one.itemIds);
    for (const id of one.itemIds) expect([...one.optionOrders[id]!].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps the bank order without randomisation and never shuffles true/false', () => {
    const form = drawForm(bank, { formSize: 3, randomiseItems: false, randomiseOptions: false }, 's');
    expect(form.itemIds).toEqual(['i0', 'i1', 'i2']);
    const tf = drawForm([{ id: 't', kind: 'true_false', optionIds: ['true', 'false'] }], { formSize: null, randomiseItems: true, randomiseOptions: true }, 's');
    expect(tf.optionOrders.t).toEqual(['true', 'false']);
  });

  it('scores exact matches only, and passes at the mark', () => {
    const form = [
      { id: 'a', correctOptionIds: ['x'], points: 1 },
      { id: 'b', correctOptionIds: ['x', 'y'], points: 2 },
      { id: 'c', correctOptionIds: ['true'], points: 1 },
      { id: 'd', correctOptionIds: ['x'], points: 1 },
    ];
    const s = scoreAttempt(form, { a: ['x'], b: ['x', 'y'], c: ['false'], d: [] }, 0.6);
    expect(s).toMatchObject({ pointsEarned: 3, pointsPossible: 5, score: 0.6, passed: true });
    // Ticking everything earns nothing on a multiple-answer item.
    expect(scoreAttempt([form[1]!], { b: ['x', 'y', 'z'] }, 0.5).passed).toBe(false);
  });

  it('checks items by kind', () => {
    expect(checkItem({ kind: 'single', stem: 'Q', options: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }], correctOptionIds: ['a', 'b'] }).map((i) => i.path)).toEqual(['/correctOptionIds']);
    expect(checkItem({ kind: 'true_false', stem: 'Q', options: [{ id: 'yes', text: 'Y' }, { id: 'no', text: 'N' }], correctOptionIds: ['yes'] }).map((i) => i.path)).toEqual(['/options']);
    expect(checkItem({ kind: 'multiple', stem: 'Q', options: [{ id: 'a', text: 'A' }], correctOptionIds: ['c'] }).map((i) => i.path)).toEqual(['/options', '/correctOptionIds']);
  });

  it('refuses submissions after the deadline plus the grace', () => {
    const deadline = new Date('2026-01-01T10:00:00Z');
    expect(isLate(deadline, new Date(deadline.getTime() + SUBMISSION_GRACE_SECONDS * 1000))).toBe(false);
    expect(isLate(deadline, new Date(deadline.getTime() + SUBMISSION_GRACE_SECONDS * 1000 + 1))).toBe(true);
    expect(isLate(null, new Date('2100-01-01'))).toBe(false);
  });
});

describe('certification rules', () => {
  const awarded = new Date('2026-01-01T00:00:00Z');

  it('runs a first award from its date and extends an early recertification from the old expiry', () => {
    const first = expiryFor(awarded, 90, null);
    expect(first.getTime()).toBe(awarded.getTime() + 90 * DAY);
    const early = new Date(first.getTime() - 10 * DAY);
    expect(expiryFor(early, 90, { awardedAt: awarded, expiresAt: first, revokedAt: null }).getTime()).toBe(first.getTime() + 90 * DAY);
    // After a lapse, or over a revoked award, the new one runs from its own date.
    const late = new Date(first.getTime() + DAY);
    expect(expiryFor(late, 90, { awardedAt: awarded, expiresAt: first, revokedAt: null }).getTime()).toBe(late.getTime() + 90 * DAY);
    expect(expiryFor(early, 90, { awardedAt: awarded, expiresAt: first, revokedAt: early }).getTime()).toBe(early.getTime() + 90 * DAY);
  });

  it('states an award at a moment', () => {
    const award = { awardedAt: awarded, expiresAt: new Date(awarded.getTime() + 90 * DAY), revokedAt: null };
    expect(awardState(award, new Date(awarded.getTime() + DAY))).toBe('valid');
    expect(awardState(award, new Date(awarded.getTime() + 70 * DAY))).toBe('expiring_soon');
    expect(awardState(award, award.expiresAt)).toBe('expired');
    expect(isValidAt(award, award.expiresAt)).toBe(false);
    expect(isValidAt(award, new Date(awarded.getTime() - 1))).toBe(false);
    expect(awardState({ ...award, revokedAt: awarded }, new Date(awarded.getTime() + DAY))).toBe('revoked');
  });
});

describe('content and completion rules', () => {
  it('checks attachments against their declared type', () => {
    expect(checkAttachment('a.pdf', 'application/pdf', Buffer.from('%PDF-1.7'))).toEqual([]);
    expect(checkAttachment('a.png', 'image/png', Buffer.from('%PDF-1.7')).map((i) => i.path)).toEqual(['/content']);
    expect(checkAttachment('a.txt', 'text/plain', Buffer.from([0x66, 0x00])).map((i) => i.path)).toEqual(['/content']);
    expect(checkAttachment('../a.svg', 'image/svg+xml', Buffer.from('<svg/>')).map((i) => i.path)).toEqual(['/fileName', '/contentType']);
  });

  it('matches quotes whatever their whitespace and case', () => {
    expect(quoteIsInText('slurs  COUNT\nas attacks', 'Removed. Slurs count as attacks.')).toBe(true);
    expect(quoteIsInText('jokes', 'Removed. Slurs count as attacks.')).toBe(false);
    expect(quoteIsInText('   ', 'anything')).toBe(false);
  });

  it('completes on every required module and a pass, and derives overdue', () => {
    expect(isComplete(['m1', 'm2'], new Set(['m1', 'm2']), true, true)).toBe(true);
    expect(isComplete(['m1', 'm2'], new Set(['m1']), true, true)).toBe(false);
    expect(isComplete(['m1'], new Set(['m1']), true, false)).toBe(false);
    expect(isComplete(['m1'], new Set(['m1']), false, false)).toBe(true);
    expect(isOverdue('assigned', new Date('2026-01-01'), new Date('2026-01-02'))).toBe(true);
    expect(isOverdue('completed', new Date('2026-01-01'), new Date('2026-01-02'))).toBe(false);
  });
});
