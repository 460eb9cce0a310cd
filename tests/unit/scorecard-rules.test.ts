import { describe, expect, it } from 'vitest';
import { DEFAULT_MODERATION_SCORECARD, DEFAULT_SUPPORT_SCORECARD, DEMO_ROOT_CAUSES, validateScorecardDefinition } from '../../src/domain/reviews/scorecard.rules.ts';
import type { ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';

/** Validation of scorecard definitions: every problem at its JSON pointer under /definition. */

const clone = (d: ScorecardDefinition): ScorecardDefinition => structuredClone(d);
const paths = (input: unknown) => validateScorecardDefinition(input).map((i) => i.path);

describe('validateScorecardDefinition', () => {
  it('accepts the default moderation and support scorecards', () => {
    expect(validateScorecardDefinition(DEFAULT_MODERATION_SCORECARD)).toEqual([]);
    expect(validateScorecardDefinition(DEFAULT_SUPPORT_SCORECARD)).toEqual([]);
  });

  it('the defaults carry the root-cause categories of the domain', () => {
    expect(DEMO_ROOT_CAUSES.map((r) => r.label)).toEqual([
      'Policy knowledge gap', 'Missed context', 'Ambiguous guideline', 'Language or cultural context', 'Tooling', 'Attention / fatigue', 'Process not followed',
    ]);
    const label = DEFAULT_MODERATION_SCORECARD.sections[0]!.questions.find((q) => q.kind === 'correct_label')!;
    expect(label.critical).toBe(true);
  });

  it('rejects what is not an object, and an empty scorecard', () => {
    expect(paths(null)).toEqual(['/definition']);
    expect(paths([])).toEqual(['/definition']);
    expect(paths({})).toEqual(expect.arrayContaining(['/definition/passMark', '/definition/commentRequiredOnFail', '/definition/rootCauses', '/definition/sections']));
    expect(paths({ ...DEFAULT_MODERATION_SCORECARD, sections: [] })).toEqual(['/definition/sections']);
  });

  it('reports repeated section and question keys (question keys are unique across sections)', () => {
    const d = clone(DEFAULT_MODERATION_SCORECARD);
    d.sections[1]!.key = 'decision';
    d.sections[1]!.questions[0]!.key = 'correct_action';
    d.sections[1]!.questions[1]!.key = 'Bad Key';
    expect(paths(d)).toEqual(['/definition/sections/1/key', '/definition/sections/1/questions/0/key', '/definition/sections/1/questions/1/key']);
  });

  it('wants weights from 0 to 100 and at least one weighted question', () => {
    const d = clone(DEFAULT_SUPPORT_SCORECARD);
    d.sections[0]!.questions[0]!.weight = -1;
    d.sections[0]!.questions[1]!.weight = Number.NaN;
    expect(paths(d)).toEqual(['/definition/sections/0/questions/0/weight', '/definition/sections/0/questions/1/weight']);
    const zero = clone(DEFAULT_SUPPORT_SCORECARD);
    for (const q of zero.sections.flatMap((s) => s.questions)) q.weight = 0;
    expect(paths(zero)).toEqual(['/definition/sections']);
  });

  it('checks choice options: at least two, unique keys, credit within [0, 1]', () => {
    const d = clone(DEFAULT_MODERATION_SCORECARD);
    const choice = d.sections[1]!.questions[1]!;
    choice.options = [
      { key: 'a', label: 'A', credit: 1.5 },
      { key: 'a', label: 'A again', credit: -0.1 },
      { key: 'b', label: '', credit: 0 },
    ];
    expect(paths(d)).toEqual([
      '/definition/sections/1/questions/1/options/0/credit',
      '/definition/sections/1/questions/1/options/1/key',
      '/definition/sections/1/questions/1/options/1/credit',
      '/definition/sections/1/questions/1/options/2/label',
    ]);
    choice.options = [{ key: 'only', label: 'Only', credit: 1 }];
    expect(paths(d)).toEqual(['/definition/sections/1/questions/1/options']);
    const yesNo = clone(DEFAULT_MODERATION_SCORECARD);
    yesNo.sections[1]!.questions[0]!.options = [{ key: 'x', label: 'X', credit: 1 }, { key: 'y', label: 'Y', credit: 0 }];
    expect(paths(yesNo)).toEqual(['/definition/sections/1/questions/0/options']);
  });

  it('wants a scale threshold from 1 to 4, on scale questions only', () => {
    for (const bad of [0, 5, 2.5]) {
      const d = clone(DEFAULT_SUPPORT_SCORECARD);
      d.sections[1]!.questions[0]!.failAtOrBelow = bad;
      expect(paths(d)).toEqual(['/definition/sections/1/questions/0/failAtOrBelow']);
    }
    const d = clone(DEFAULT_SUPPORT_SCORECARD);
    d.sections[1]!.questions[1]!.failAtOrBelow = 2;
    expect(paths(d)).toEqual(['/definition/sections/1/questions/1/failAtOrBelow']);
  });

  it('checks error types, kinds and the N/A flag', () => {
    const d = clone(DEFAULT_SUPPORT_SCORECARD) as unknown as { sections: Array<{ questions: Array<Record<string, unknown>> }> };
    d.sections[0]!.questions[1]!.errorType = 'over_enforcement';
    d.sections[1]!.questions[0]!.allowNotApplicable = true;
    d.sections[1]!.questions[1]!.kind = 'free_text';
    expect(paths(d)).toEqual([
      '/definition/sections/0/questions/1/errorType',
      '/definition/sections/1/questions/0/allowNotApplicable',
      '/definition/sections/1/questions/1/kind',
    ]);
  });

  it('allows at most one correct_label and one correct_action question', () => {
    const d = clone(DEFAULT_MODERATION_SCORECARD);
    d.sections[1]!.questions.push({ key: 'label_again', text: 'Label again?', kind: 'correct_label', weight: 1, critical: false });
    d.sections[1]!.questions.push({ key: 'action_again', text: 'Action again?', kind: 'correct_action', weight: 1, critical: false });
    expect(paths(d)).toEqual(['/definition/sections/1/questions/2/kind', '/definition/sections/1/questions/3/kind']);
  });

  it('wants unique root-cause keys with labels', () => {
    const d = clone(DEFAULT_MODERATION_SCORECARD);
    d.rootCauses = [{ key: 'tooling', label: 'Tooling' }, { key: 'tooling', label: 'Tools' }, { key: 'x', label: ' ' }];
    expect(paths(d)).toEqual(['/definition/rootCauses/1/key', '/definition/rootCauses/2/label']);
    expect(paths({ ...DEFAULT_MODERATION_SCORECARD, rootCauses: [] })).toEqual([]);
  });

  it('wants a pass mark from 0 to 100 and a boolean comment rule', () => {
    expect(paths({ ...DEFAULT_MODERATION_SCORECARD, passMark: 101 })).toEqual(['/definition/passMark']);
    expect(paths({ ...DEFAULT_MODERATION_SCORECARD, passMark: -1 })).toEqual(['/definition/passMark']);
    expect(paths({ ...DEFAULT_MODERATION_SCORECARD, passMark: '80' })).toEqual(['/definition/passMark']);
    expect(paths({ ...DEFAULT_MODERATION_SCORECARD, passMark: 0 })).toEqual([]);
    expect(paths({ ...DEFAULT_MODERATION_SCORECARD, commentRequiredOnFail: 'yes' })).toEqual(['/definition/commentRequiredOnFail']);
  });

  it('can report under another base path', () => {
    expect(validateScorecardDefinition({ ...DEFAULT_MODERATION_SCORECARD, passMark: 200 }, '')).toEqual([{ path: '/passMark', message: 'A pass mark from 0 to 100.' }]);
  });
});
