import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkAnswers, labelErrorType, scoreReview, type DecisionUnderReview } from '../../src/domain/reviews/scoring.rules.ts';
import { DEFAULT_MODERATION_SCORECARD, DEFAULT_SUPPORT_SCORECARD, validateScorecardDefinition } from '../../src/domain/reviews/scorecard.rules.ts';
import type { Answer, Question, ScorecardDefinition, Verdict } from '../../src/domain/reviews/scorecard.types.ts';

/**
 * The pure scoring engine: score bounds, auto-fail, perfect reviews, label
 * error typing by direction, N/A outside the denominator, comment rules.
 */

const LABELS = ['hate', 'bullying', 'self_harm', 'spam'];
const ACTIONS = ['none', 'remove', 'age_restrict', 'warn'];

const labelsArb = fc.uniqueArray(fc.constantFrom(...LABELS), { maxLength: 3 });
const decisionArb: fc.Arbitrary<DecisionUnderReview> = fc.record({ labels: labelsArb, action: fc.constantFrom(...ACTIONS) });

/** A question of any kind, keyed by its position so keys are unique. */
function questionArb(index: number, kind?: Question['kind']): fc.Arbitrary<Question> {
  return fc
    .record({
      kind: kind ? fc.constant(kind) : fc.constantFrom<Question['kind']>('yes_no', 'choice', 'scale'),
      weight: fc.integer({ min: 0, max: 20 }),
      critical: fc.boolean(),
      allowNotApplicable: fc.boolean(),
      failAtOrBelow: fc.integer({ min: 1, max: 4 }),
      credits: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 4 }),
    })
    .map(({ kind, weight, critical, allowNotApplicable, failAtOrBelow, credits }) => {
      const q: Question = { key: `q${index}`, text: `Question ${index}`, kind, weight, critical, errorType: 'process' };
      if (kind === 'yes_no') q.allowNotApplicable = allowNotApplicable;
      if (kind === 'scale') q.failAtOrBelow = failAtOrBelow;
      // The first option always earns full credit, so "all correct" exists for every choice question.
      if (kind === 'choice') q.options = credits.map((credit, o) => ({ key: `o${o}`, label: `Option ${o}`, credit: o === 0 ? 1 : credit }));
      return q;
    });
}

const definitionArb: fc.Arbitrary<ScorecardDefinition> = fc
  .record({
    withLabel: fc.boolean(),
    withAction: fc.boolean(),
    count: fc.integer({ min: 1, max: 6 }),
    passMark: fc.integer({ min: 0, max: 100 }),
    commentRequiredOnFail: fc.boolean(),
  })
  .chain(({ withLabel, withAction, count, passMark, commentRequiredOnFail }) =>
    fc
      .tuple(
        ...Array.from({ length: count }, (_, i) => questionArb(i)),
        fc.integer({ min: 1, max: 50 }),
        fc.boolean(),
      )
      .map((parts) => {
        const answered = parts.slice(0, count) as Question[];
        const labelWeight = parts[count] as number;
        const labelCritical = parts[count + 1] as boolean;
        const derived: Question[] = [];
        if (withLabel) derived.push({ key: 'correct_label', text: 'Correct label?', kind: 'correct_label', weight: labelWeight, critical: labelCritical });
        if (withAction) derived.push({ key: 'correct_action', text: 'Correct action?', kind: 'correct_action', weight: 10, critical: false });
        // Keep at least one weighted question, as validation demands.
        if (![...derived, ...answered].some((q) => q.weight > 0)) answered[0]!.weight = 1;
        return {
          sections: [
            { key: 'decision', title: 'Decision', questions: derived.length > 0 ? derived : [answered.shift()!] },
            ...(answered.length > 0 ? [{ key: 'other', title: 'Other', questions: answered }] : []),
          ],
          rootCauses: [{ key: 'missed_context', label: 'Missed context' }],
          commentRequiredOnFail,
          passMark,
        };
      }),
  );

const questionsOf = (definition: ScorecardDefinition) => definition.sections.flatMap((s) => s.questions);

/** A valid answer for every answered question, drawn at random, with a comment so comment rules pass. */
function answersArb(definition: ScorecardDefinition): fc.Arbitrary<Answer[]> {
  const answered = questionsOf(definition).filter((q) => q.kind !== 'correct_label' && q.kind !== 'correct_action');
  return fc.tuple(
    ...answered.map((q): fc.Arbitrary<Answer> => {
      const value: fc.Arbitrary<string | number> =
        q.kind === 'yes_no'
          ? fc.constantFrom(...(q.allowNotApplicable ? ['yes', 'no', 'na'] : ['yes', 'no']))
          : q.kind === 'choice'
            ? fc.constantFrom(...q.options!.map((o) => o.key))
            : fc.integer({ min: 1, max: 5 });
      return value.map((v) => ({ questionKey: q.key, value: v, comment: 'Noted.' }));
    }),
  );
}

/** The best answer to every answered question. */
function perfectAnswers(definition: ScorecardDefinition): Answer[] {
  return questionsOf(definition)
    .filter((q) => q.kind !== 'correct_label' && q.kind !== 'correct_action')
    .map((q) => ({ questionKey: q.key, value: q.kind === 'yes_no' ? 'yes' : q.kind === 'choice' ? q.options![0]!.key : 5 }));
}

const derivedComments = (): Answer[] => [
  { questionKey: 'correct_label', value: 'no', comment: 'Noted.' },
  { questionKey: 'correct_action', value: 'no', comment: 'Noted.' },
];

describe('scoreReview properties', () => {
  it('generated definitions are valid scorecards', () => {
    fc.assert(
      fc.property(definitionArb, (definition) => {
        expect(validateScorecardDefinition(definition)).toEqual([]);
      }),
    );
  });

  it('keeps the score within [0, 100], with two decimals at most', () => {
    fc.assert(
      fc.property(
        definitionArb.chain((d) => fc.tuple(fc.constant(d), answersArb(d), decisionArb, decisionArb)),
        ([definition, answers, decision, verdict]) => {
          const result = scoreReview(definition, answers, decision, verdict);
          expect(result.score).toBeGreaterThanOrEqual(0);
          expect(result.score).toBeLessThanOrEqual(100);
          expect(Math.round(result.score * 100) / 100).toBe(result.score);
          expect(result.passed).toBe(!result.criticalFailed && result.score >= definition.passMark);
        },
      ),
    );
  });

  it('gives 0 and fails the review when a critical question fails', () => {
    fc.assert(
      fc.property(
        definitionArb.chain((d) => fc.tuple(fc.constant(d), answersArb(d), decisionArb, decisionArb)),
        ([definition, answers, decision, verdict]) => {
          const result = scoreReview(definition, answers, decision, verdict);
          const criticalFailed = questionsOf(definition).some((q) => q.critical && result.failedQuestions.includes(q.key));
          expect(result.criticalFailed).toBe(criticalFailed);
          if (criticalFailed) {
            expect(result.score).toBe(0);
            expect(result.passed).toBe(false);
          }
        },
      ),
    );
  });

  it('gives 100, no errors and correct=true when every answer is right and the verdict equals the decision', () => {
    fc.assert(
      fc.property(definitionArb, decisionArb, fc.boolean(), (definition, decision, shuffled) => {
        const verdict: Verdict = { labels: shuffled ? [...decision.labels].reverse() : [...decision.labels], action: decision.action };
        const answers = perfectAnswers(definition);
        expect(checkAnswers(definition, answers, decision, verdict)).toEqual([]);
        const result = scoreReview(definition, answers, decision, verdict);
        expect(result.score).toBe(100);
        expect(result.correct).toBe(true);
        expect(result.passed).toBe(true);
        expect(result.criticalFailed).toBe(false);
        expect(result.errorTypes).toEqual([]);
        expect(result.failedQuestions).toEqual([]);
      }),
    );
  });

  it('leaves N/A answers out of the denominator', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.boolean(), (naWeight, otherWeight, otherYes) => {
        const definition: ScorecardDefinition = {
          sections: [
            {
              key: 's',
              title: 'S',
              questions: [
                { key: 'na_q', text: 'N/A?', kind: 'yes_no', weight: naWeight, critical: false, allowNotApplicable: true },
                { key: 'other', text: 'Other', kind: 'scale', weight: otherWeight, critical: false },
              ],
            },
          ],
          rootCauses: [],
          commentRequiredOnFail: false,
          passMark: 50,
        };
        const decision = { labels: [], action: 'none' };
        const result = scoreReview(definition, [{ questionKey: 'na_q', value: 'na' }, { questionKey: 'other', value: otherYes ? 5 : 3 }], decision, decision);
        // Only the scale question counts: 5 -> 100, 3 -> 50, whatever the N/A question weighs.
        expect(result.score).toBe(otherYes ? 100 : 50);
        expect(result.breakdown.find((b) => b.questionKey === 'na_q')).toEqual({ questionKey: 'na_q', earned: null, possible: 0, failed: false });
      }),
    );
  });

  it('scores 100 when every scored question is N/A (nothing counted against the agent)', () => {
    const definition: ScorecardDefinition = {
      sections: [{ key: 's', title: 'S', questions: [{ key: 'q', text: 'Q', kind: 'yes_no', weight: 1, critical: false, allowNotApplicable: true }] }],
      rootCauses: [],
      commentRequiredOnFail: false,
      passMark: 80,
    };
    const d = { labels: [], action: 'none' };
    expect(scoreReview(definition, [{ questionKey: 'q', value: 'na' }], d, d).score).toBe(100);
  });
});

describe('label error typing', () => {
  it('types by direction: false positive, false negative, wrong policy, none', () => {
    fc.assert(
      fc.property(labelsArb, labelsArb, fc.constantFrom(...ACTIONS), (agentLabels, qaLabels, action) => {
        const type = labelErrorType({ labels: agentLabels, action }, { labels: qaLabels, action });
        const same = agentLabels.length === qaLabels.length && agentLabels.every((l) => qaLabels.includes(l));
        if (same) expect(type).toBeNull();
        else if (qaLabels.length === 0) expect(type).toBe('false_positive');
        else if (agentLabels.length === 0) expect(type).toBe('false_negative');
        else expect(type).toBe('wrong_policy');
      }),
    );
  });

  it('records the label error type and wrong_action on the moderation scorecard', () => {
    const answers: Answer[] = [
      { questionKey: 'correct_label', value: 'no', comment: 'Missed it.', rootCause: 'missed_context' },
      { questionKey: 'correct_action', value: 'no', comment: 'Should be removed.' },
      { questionKey: 'escalation_process', value: 'na' },
      { questionKey: 'reason_code', value: 'right' },
    ];
    const decision = { labels: [], action: 'none' };
    const verdict = { labels: ['hate'], action: 'remove' };
    expect(checkAnswers(DEFAULT_MODERATION_SCORECARD, answers, decision, verdict)).toEqual([]);
    const result = scoreReview(DEFAULT_MODERATION_SCORECARD, answers, decision, verdict);
    expect(result.errorTypes).toEqual(['false_negative', 'wrong_action']);
    expect(result.criticalFailed).toBe(true);
    expect(result.score).toBe(0);
    expect(result.correct).toBe(false);
    expect(result.rootCauses).toEqual(['missed_context']);
    expect(result.failedQuestions).toEqual(['correct_label', 'correct_action']);
    const overEnforced = scoreReview(DEFAULT_MODERATION_SCORECARD, answers, { labels: ['spam'], action: 'remove' }, { labels: [], action: 'remove' });
    expect(overEnforced.errorTypes).toEqual(['false_positive']);
    const wrongPolicy = scoreReview(DEFAULT_MODERATION_SCORECARD, answers, { labels: ['spam'], action: 'remove' }, { labels: ['hate'], action: 'remove' });
    expect(wrongPolicy.errorTypes).toEqual(['wrong_policy']);
  });

  it('compares labels as sets: repeated labels do not make different verdicts equal', () => {
    expect(labelErrorType({ labels: ['hate', 'hate'], action: 'remove' }, { labels: ['hate', 'spam'], action: 'remove' })).toBe('wrong_policy');
    expect(labelErrorType({ labels: ['hate', 'spam'], action: 'remove' }, { labels: ['spam', 'hate'], action: 'remove' })).toBeNull();
    const d = { labels: ['hate', 'hate'], action: 'remove' };
    expect(scoreReview(DEFAULT_MODERATION_SCORECARD, perfectAnswers(DEFAULT_MODERATION_SCORECARD), d, { labels: ['hate', 'spam'], action: 'remove' }).correct).toBe(false);
  });
});

describe('checkAnswers', () => {
  it('asks for a comment on every failed question at /answers/<key>/comment when comments are required', () => {
    fc.assert(
      fc.property(
        definitionArb.chain((d) => fc.tuple(fc.constant({ ...d, commentRequiredOnFail: true }), answersArb(d), decisionArb, decisionArb)),
        ([definition, answers, decision, verdict]) => {
          const bare = answers.map(({ comment: _omit, ...rest }) => rest);
          const failed = scoreReview(definition, bare, decision, verdict).failedQuestions;
          const commentPaths = checkAnswers(definition, bare, decision, verdict)
            .filter((i) => i.path.endsWith('/comment'))
            .map((i) => i.path);
          expect(commentPaths.sort()).toEqual(failed.map((k) => `/answers/${k}/comment`).sort());
          // With comments (including on the derived questions) nothing is missing.
          const withComments = [...answers, ...derivedComments().filter((a) => failed.includes(a.questionKey))];
          expect(checkAnswers(definition, withComments, decision, verdict)).toEqual([]);
        },
      ),
    );
  });

  it('needs no comment when the scorecard does not require one', () => {
    const d = { labels: ['hate'], action: 'remove' };
    const answers: Answer[] = [
      { questionKey: 'resolved', value: 'no' },
      { questionKey: 'policy_explained', value: 'yes' },
      { questionKey: 'tone', value: 1 },
      { questionKey: 'process_followed', value: 'no' },
    ];
    const issues = checkAnswers({ ...DEFAULT_SUPPORT_SCORECARD, commentRequiredOnFail: false }, answers, d, d);
    expect(issues).toEqual([]);
    const required = checkAnswers(DEFAULT_SUPPORT_SCORECARD, answers, d, d).map((i) => i.path);
    expect(required.sort()).toEqual(['/answers/process_followed/comment', '/answers/resolved/comment', '/answers/tone/comment']);
  });

  it('reports missing, unknown, repeated and out-of-range answers at their paths', () => {
    const d = { labels: [], action: 'none' };
    const issues = checkAnswers(
      DEFAULT_SUPPORT_SCORECARD,
      [
        { questionKey: 'nope', value: 'yes' },
        { questionKey: 'tone', value: 6 },
        { questionKey: 'tone', value: 3 },
        { questionKey: 'resolved', value: 'na' },
        { questionKey: 'policy_explained', value: 'na', rootCause: 'made_up' },
      ],
      d,
      d,
    ).map((i) => i.path);
    expect(issues).toEqual(
      expect.arrayContaining([
        '/answers/0/questionKey',
        '/answers/2/questionKey',
        '/answers/tone/value',
        '/answers/resolved/value',
        '/answers/policy_explained/rootCause',
        '/answers/process_followed/value',
      ]),
    );
  });
});
