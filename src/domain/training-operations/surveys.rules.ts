import { Issues } from '../errors.ts';
import { studentTQuantile } from '../stats/agreement-variance.ts';

/**
 * Reaction surveys (Kirkpatrick level 1), pure: the definition's checks, a
 * response's checks, and results per group with means and intervals, shown
 * only for groups of at least the survey's minimum size so that no trainer
 * can read one learner's answers.
 */

export interface SurveyItem {
  key: string;
  text: string;
  /** likert: 1 (strongly disagree) to 5 (strongly agree); text: free text, optional to answer. */
  kind: 'likert' | 'text';
}

export const LIKERT_LABELS = ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'] as const;

/** The standard level-1 survey every install starts with (migration 0014 writes it). */
export const STANDARD_SURVEY_ITEMS: readonly SurveyItem[] = [
  { key: 'objectives_clear', text: 'The objectives of the training were clear.', kind: 'likert' },
  { key: 'relevant', text: 'The content is relevant to the work I do.', kind: 'likert' },
  { key: 'trainer_knowledge', text: 'The trainer knew the policies well and explained them clearly.', kind: 'likert' },
  { key: 'examples', text: 'The examples and practice cases helped me apply the policy.', kind: 'likert' },
  { key: 'confident', text: 'I feel confident applying what I learned.', kind: 'likert' },
  { key: 'pace', text: 'The pace and length of the training were right.', kind: 'likert' },
  { key: 'best', text: 'What worked best?', kind: 'text' },
  { key: 'improve', text: 'What should we improve?', kind: 'text' },
];

const KEY = /^[a-z][a-z0-9_]{0,48}$/;

export function checkSurveyDefinition(input: { name: string; items: SurveyItem[]; minGroupSize?: number }, courseFound = true): void {
  const issues = new Issues();
  issues.check(input.name.trim().length > 0, '/name', 'Name the survey.');
  issues.check(courseFound, '/courseId', 'No such course.');
  issues.check(input.items.some((i) => i.kind === 'likert'), '/items', 'A survey needs at least one rating (Likert) item.');
  const keys = new Set<string>();
  input.items.forEach((item, i) => {
    issues.check(KEY.test(item.key), `/items/${i}/key`, 'A key is lower-case letters, digits and underscores, starting with a letter.');
    issues.check(!keys.has(item.key), `/items/${i}/key`, 'This key is used twice.');
    keys.add(item.key);
    issues.check(item.text.trim().length > 0, `/items/${i}/text`, 'Write the statement or question.');
  });
  if (input.minGroupSize !== undefined) issues.check(Number.isInteger(input.minGroupSize) && input.minGroupSize >= 3, '/minGroupSize', 'At least 3, so that no one answer can be singled out.');
  issues.throwIfAny();
}

export interface ResponseInput {
  ratings: Record<string, number>;
  comments?: Record<string, string>;
}

/** The response as stored: every Likert item rated 1-5, free text trimmed (empty answers left out). */
export function checkResponse(items: readonly SurveyItem[], input: ResponseInput): { ratings: Record<string, number>; comments: Record<string, string> } {
  const issues = new Issues();
  const ratings: Record<string, number> = {};
  const comments: Record<string, string> = {};
  const known = new Map(items.map((i) => [i.key, i]));
  for (const item of items) {
    if (item.kind !== 'likert') continue;
    const value = input.ratings[item.key];
    if (value === undefined) issues.add(`/ratings/${item.key}`, 'Choose a rating from 1 to 5.');
    else if (!Number.isInteger(value) || value < 1 || value > 5) issues.add(`/ratings/${item.key}`, 'A rating is a whole number from 1 to 5.');
    else ratings[item.key] = value;
  }
  for (const key of Object.keys(input.ratings)) if (known.get(key)?.kind !== 'likert') issues.add(`/ratings/${key}`, 'Not a rating item of this survey.');
  for (const [key, text] of Object.entries(input.comments ?? {})) {
    if (known.get(key)?.kind !== 'text') issues.add(`/comments/${key}`, 'Not a free-text item of this survey.');
    else if (text.length > 4000) issues.add(`/comments/${key}`, 'At most 4000 characters.');
    else if (text.trim() !== '') comments[key] = text.trim();
  }
  issues.throwIfAny('Some answers are missing or not valid.');
  return { ratings, comments };
}

export interface MeanInterval {
  mean: number | null;
  lower: number | null;
  upper: number | null;
  sd: number | null;
  n: number;
  confidence: number;
}

/**
 * Mean with a t interval: mean +- t(alpha, n-1) * sd / sqrt(n), clamped to the
 * scale [lo, hi]; null bounds when n < 2 (no spread to estimate).
 */
export function meanInterval(values: readonly number[], confidence = 0.95, scale: [number, number] = [1, 5]): MeanInterval {
  const n = values.length;
  if (n === 0) return { mean: null, lower: null, upper: null, sd: null, n, confidence };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { mean, lower: null, upper: null, sd: null, n, confidence };
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = (studentTQuantile(1 - (1 - confidence) / 2, n - 1) * sd) / Math.sqrt(n);
  return { mean, lower: Math.max(scale[0], mean - half), upper: Math.min(scale[1], mean + half), sd, n, confidence };
}

export interface ResponseForResults {
  group: string;
  ratings: Record<string, number>;
  comments: Record<string, string>;
}

export interface ItemResult extends MeanInterval {
  key: string;
  text: string;
  /** Answers per rating 1..5. */
  distribution: number[];
  /** Share answering 4 or 5. */
  agreeShare: number | null;
}

export interface GroupResult {
  group: string;
  n: number;
  /** Fewer responses than the minimum group size: nothing but that fact is shown. */
  suppressed: boolean;
  /** Mean over the Likert items of each response, then across responses. */
  overall: MeanInterval | null;
  items: ItemResult[];
  comments: Array<{ key: string; text: string }>;
}

export function surveyResults(items: readonly SurveyItem[], responses: readonly ResponseForResults[], minGroupSize: number, confidence = 0.95): GroupResult[] {
  const groups = new Map<string, ResponseForResults[]>();
  for (const r of responses) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  const likert = items.filter((i) => i.kind === 'likert');
  return [...groups.entries()].map(([group, rows]) => {
    if (rows.length < minGroupSize) return { group, n: rows.length, suppressed: true, overall: null, items: [], comments: [] };
    const perResponse = rows
      .map((r) => likert.map((i) => r.ratings[i.key]).filter((v): v is number => v !== undefined))
      .filter((v) => v.length > 0)
      .map((v) => v.reduce((a, b) => a + b, 0) / v.length);
    return {
      group,
      n: rows.length,
      suppressed: false,
      overall: meanInterval(perResponse, confidence),
      items: likert.map((item) => {
        const values = rows.map((r) => r.ratings[item.key]).filter((v): v is number => v !== undefined);
        const distribution = [1, 2, 3, 4, 5].map((k) => values.filter((v) => v === k).length);
        return { key: item.key, text: item.text, ...meanInterval(values, confidence), distribution, agreeShare: values.length === 0 ? null : (distribution[3]! + distribution[4]!) / values.length };
      }),
      // Sorted by text, not by time, so the order gives no one away.
      comments: rows.flatMap((r) => Object.entries(r.comments).map(([key, text]) => ({ key, text }))).sort((a, b) => a.key.localeCompare(b.key) || a.text.localeCompare(b.text)),
    };
  });
}
