import { describe, expect, it } from 'vitest';
import { parseItemsCsv, parseRatingsCsv } from '../../src/domain/calibration/calibration-csv.rules.ts';
import { computeResults, labelCategory, ratingMatrix, type ResultsInput } from '../../src/domain/calibration/calibration-results.rules.ts';
import { answerValues, checkRatingAnswers, defaultGroup } from '../../src/domain/calibration/calibration-session.rules.ts';
import { ratingsCsv, summaryCsv } from '../../src/domain/calibration/calibration-exports.rules.ts';
import type { ScorecardDefinition } from '../../src/domain/reviews/scorecard.types.ts';
import { ac1WithError, alphaWithError, wilson } from '../../src/domain/stats/index.ts';
import { AppError } from '../../src/domain/errors.ts';

function issues(run: () => unknown): Array<{ path: string; message: string; line?: number }> {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.details;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('ratings CSV', () => {
  it('finds the item, rater and label columns by name and ignores the split', () => {
    const parsed = parseRatingsCsv('item_id,split,annotator_id,is_abuse\n1.0,train,A1,1\n1.0,train,A2,0\n');
    expect(parsed.field).toBe('is_abuse');
    expect(parsed.ratings).toEqual([
      { line: 2, item: '1.0', rater: 'A1', value: '1' },
      { line: 3, item: '1.0', rater: 'A2', value: '0' },
    ]);
  });

  it('reports every bad line with its number and column, and asks which column is the label when unclear', () => {
    expect(issues(() => parseRatingsCsv('item,rater,label\na,r,1\na,r,0\n,r,1\n'))).toEqual([
      { path: '/lines/3/rater', message: 'Rater "r" already rated item "a" on line 2.', line: 3 },
      { path: '/lines/4/item', message: 'Missing item.', line: 4 },
    ]);
    expect(issues(() => parseRatingsCsv('item,rater,x,y\na,r,1,2\n'))[0]).toMatchObject({ path: '/csv/header/label', line: 1 });
    expect(parseRatingsCsv('item,rater,x,y\na,r,1,2\n', { label: 'y' }).ratings[0]!.value).toBe('2');
  });
});

describe('items CSV', () => {
  const options = { labels: new Set(['hate.slur']), actions: new Set(['remove', 'no_action']), maxItems: 3 };
  it('reads content and optional expert answers ("none" = no violation)', () => {
    const items = parseItemsCsv('ref,content_text,expert_labels,expert_action\na,hello,none,no_action\nb,bad words,hate.slur,remove\nc,unsure,,\n', options);
    expect(items.map((i) => [i.ref, i.expertLabels, i.expertAction])).toEqual([
      ['a', [], 'no_action'],
      ['b', ['hate.slur'], 'remove'],
      ['c', null, null],
    ]);
  });

  it('refuses unknown columns, labels and actions, and too many items', () => {
    expect(issues(() => parseItemsCsv('ref,text\na,b\n', options))).toEqual([{ path: '/csv/header/text', message: expect.stringContaining('Unknown column'), line: 1 }]);
    expect(issues(() => parseItemsCsv('content_text,expert_labels,expert_action\nx,hate.other,remove\ny,hate.slur,\n', options))).toEqual([
      { path: '/lines/2/expert_labels', message: '"hate.other" is not a label of this workflow\'s policies.', line: 2 },
      { path: '/lines/3/expert_action', message: 'Give the expert action with the expert labels.', line: 3 },
    ]);
    expect(issues(() => parseItemsCsv('content_text\na\nb\nc\nd\n', options))[0]).toMatchObject({ path: '/lines/5/ref', line: 5 });
  });
});

describe('session rules', () => {
  const definition: ScorecardDefinition = {
    sections: [{ key: 's', title: 'S', questions: [
      { key: 'label', text: 'Label?', kind: 'correct_label', weight: 1, critical: false },
      { key: 'ctx', text: 'Context?', kind: 'yes_no', weight: 1, critical: false },
    ] }],
    rootCauses: [],
    commentRequiredOnFail: true,
    passMark: 80,
  };

  it('derives the correct-label answer from the verdict and the agent\'s decision, and leaves it out without one', () => {
    const verdict = { labels: ['a'], action: 'remove' };
    expect(answerValues(definition, [{ questionKey: 'ctx', value: 'no' }], verdict, { labels: [], action: 'no_action' })).toEqual({ label: 'no', ctx: 'no' });
    expect(answerValues(definition, [{ questionKey: 'ctx', value: 'yes' }], verdict, null)).toEqual({ ctx: 'yes' });
  });

  it('needs the answered questions but not a comment on a failed one', () => {
    const verdict = { labels: [], action: 'no_action' };
    expect(checkRatingAnswers(definition, [], verdict, null).map((i) => i.path)).toEqual(['/answers/ctx/value']);
    expect(checkRatingAnswers(definition, [{ questionKey: 'ctx', value: 'no' }], verdict, null)).toEqual([]);
  });

  it('puts people in a group by job and employer', () => {
    expect(defaultGroup({ job_role: 'qa_specialist', is_in_house: true })).toBe('internal_qa');
    expect(defaultGroup({ job_role: 'qa_lead', is_in_house: false })).toBe('vendor_qa');
    expect(defaultGroup({ job_role: 'policy_sme', is_in_house: true })).toBe('sme');
    expect(labelCategory(['b', 'a', 'a'])).toBe('a+b');
    expect(labelCategory([])).toBe('none');
  });
});

describe('results', () => {
  const input: ResultsInput = {
    sessionId: 's',
    items: [1, 2, 3, 4].map((n) => ({ id: `i${n}`, position: n, ref: `r${n}`, expertLabel: n <= 2 ? 'slur' : 'none', expertAction: n <= 2 ? 'remove' : 'no_action', expertAnswers: null })),
    participants: [
      { id: 'p1', personId: 'x1', name: 'Ana', group: 'internal_qa', vendorId: 'v0', vendorName: 'In-house' },
      { id: 'p2', personId: 'x2', name: 'Ben', group: 'vendor_qa', vendorId: 'v1', vendorName: 'BPO' },
      { id: 'p3', personId: 'x3', name: 'Cy', group: 'vendor_qa', vendorId: 'v1', vendorName: 'BPO' },
    ],
    ratings: [
      ...['slur', 'slur', 'none', 'none'].map((label, i) => ({ itemId: `i${i + 1}`, participantId: 'p1', label, action: label === 'none' ? 'no_action' : 'remove', answers: {} })),
      ...['none', 'slur', 'none', 'none'].map((label, i) => ({ itemId: `i${i + 1}`, participantId: 'p2', label, action: label === 'none' ? 'no_action' : 'remove', answers: {} })),
      // Cy skipped item 4: a missing rating.
      ...['none', 'slur', 'none'].map((label, i) => ({ itemId: `i${i + 1}`, participantId: 'p3', label, action: label === 'none' ? 'no_action' : 'remove', answers: {} })),
    ],
    questions: [],
  };

  it('computes alpha and AC1 with intervals from the statistics module on the items x participants matrix', () => {
    const results = computeResults(input);
    const matrix = ratingMatrix(input.items, input.participants, input.ratings, (r) => r.label);
    expect(matrix).toEqual([['slur', 'none', 'none'], ['slur', 'slur', 'slur'], ['none', 'none', 'none'], ['none', 'none', null]]);
    const alpha = alphaWithError(matrix);
    const ac1 = ac1WithError(matrix);
    expect(results.label.alpha).toEqual({ value: alpha.value, se: alpha.se, lower: alpha.ci![0], upper: alpha.ci![1], n: alpha.n, raters: 3, reason: null });
    expect(results.label.ac1.value).toBe(ac1.value);
    expect(results.label.ratings).toBe(11);
  });

  it('gives each participant their share matching the expert with a Wilson interval, and lists the most divergent item first', () => {
    const results = computeResults(input);
    const ben = results.alignment.find((a) => a.name === 'Ben')!;
    const w = wilson(3, 4);
    expect(ben.label).toEqual({ value: 0.75, lower: w.lower, upper: w.upper, x: 3, n: 4 });
    expect(results.divergentItems[0]).toMatchObject({ itemId: 'i1', modalLabel: 'none', expertLabel: 'slur', expertMatch: 1 / 3 });
    expect(results.groups.map((g) => [g.group, g.participants, g.labelExpertMatch.x, g.labelExpertMatch.n])).toEqual([
      ['internal_qa', 1, 4, 4],
      ['vendor_qa', 2, 5, 7],
    ]);
  });

  it('exports every rating and a summary as CSV', () => {
    const csv = ratingsCsv([{ position: 1, ref: '=cmd', participant: 'Ana', group: 'internal_qa', label: 'slur', action: 'remove', expertLabel: 'slur', expertAction: 'remove' }]);
    expect(csv).toBe("item,item_ref,participant,group,label,action,expert_label,expert_action,label_matches_expert,action_matches_expert\r\n1,'=cmd,Ana,internal_qa,slur,remove,slur,remove,true,true\r\n");
    expect(summaryCsv(computeResults(input)).split('\r\n')[1]).toMatch(/^agreement,label,krippendorff_alpha_nominal,/);
  });
});
