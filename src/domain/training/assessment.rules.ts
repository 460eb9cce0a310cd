import type { FieldIssue } from '../errors.ts';

/**
 * Assessments, pure: item checks, the randomised form drawn for an attempt
 * (seeded, so the same seed always gives the same form and it can be stored
 * and replayed), scoring, and the server-side time limit.
 */

export type ItemKind = 'single' | 'multiple' | 'true_false' | 'case';

export interface ItemOption {
  id: string;
  text: string;
}

export interface ItemDraft {
  kind: ItemKind;
  stem: string;
  options: ItemOption[];
  correctOptionIds: string[];
  points?: number;
}

export const TRUE_FALSE_OPTIONS: ItemOption[] = [
  { id: 'true', text: 'True' },
  { id: 'false', text: 'False' },
];

const OPTION_ID = /^[a-z0-9][a-z0-9_.-]{0,99}$/i;

/** Problems with an item as the trainer wrote it; paths are relative to the item. */
export function checkItem(item: ItemDraft, base = ''): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path: `${base}${path}`, message });
  if (item.stem.trim().length === 0) add('/stem', 'Write the question.');
  if (item.stem.length > 20000) add('/stem', 'Use at most 20,000 characters.');
  const ids = item.options.map((o) => o.id);
  if (item.options.length < 2) add('/options', 'Give at least two options.');
  if (item.options.length > 26) add('/options', 'Give at most 26 options.');
  if (new Set(ids).size !== ids.length) add('/options', 'Option ids must be unique.');
  item.options.forEach((o, i) => {
    if (!OPTION_ID.test(o.id)) add(`/options/${i}/id`, 'Use letters, digits, "_", "." or "-".');
    if (o.text.trim().length === 0) add(`/options/${i}/text`, 'Write the option.');
    if (o.text.length > 2000) add(`/options/${i}/text`, 'Use at most 2,000 characters.');
  });
  const correct = new Set(item.correctOptionIds);
  if (correct.size === 0) add('/correctOptionIds', 'Mark the correct answer.');
  if ([...correct].some((id) => !ids.includes(id))) add('/correctOptionIds', 'A correct answer must be one of the options.');
  if ((item.kind === 'single' || item.kind === 'true_false') && correct.size > 1) add('/correctOptionIds', 'This kind of item has exactly one correct answer.');
  if (item.kind === 'true_false' && (ids.length !== 2 || !ids.includes('true') || !ids.includes('false'))) {
    add('/options', 'A true/false item has the options "true" and "false".');
  }
  if (item.points !== undefined && !(item.points > 0 && item.points <= 100)) add('/points', 'Points must be above 0 and at most 100.');
  return issues;
}

/** FNV-1a 32-bit: a string seed to a PRNG state. */
function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough to shuffle a test form; not for secrets. */
export function seededRandom(seed: string): () => number {
  let a = hashSeed(seed);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(values: readonly T[], random: () => number): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface FormSettings {
  formSize: number | null;
  randomiseItems: boolean;
  randomiseOptions: boolean;
}

export interface Form {
  itemIds: string[];
  /** Per item, the order its options are shown in. */
  optionOrders: Record<string, string[]>;
}

/**
 * The form for one attempt. Items are drawn from the bank (all of them when
 * formSize is null or at least the bank); with randomisation off the bank
 * order is kept and the first formSize items are used. True/false options
 * are never shuffled (True stays first).
 */
export function drawForm(bank: ReadonlyArray<{ id: string; kind: ItemKind; optionIds: string[] }>, settings: FormSettings, seed: string): Form {
  const random = seededRandom(seed);
  const size = Math.min(settings.formSize ?? bank.length, bank.length);
  const chosen = settings.randomiseItems ? shuffle(bank, random).slice(0, size) : bank.slice(0, size);
  const optionOrders: Record<string, string[]> = {};
  for (const item of chosen) {
    optionOrders[item.id] = settings.randomiseOptions && item.kind !== 'true_false' ? shuffle(item.optionIds, random) : [...item.optionIds];
  }
  return { itemIds: chosen.map((i) => i.id), optionOrders };
}

export interface KeyedItem {
  id: string;
  correctOptionIds: string[];
  points: number;
}

export interface ScoredAnswer {
  itemId: string;
  selectedOptionIds: string[];
  correct: boolean;
  points: number;
}

export interface AttemptScore {
  answers: ScoredAnswer[];
  pointsEarned: number;
  pointsPossible: number;
  /** pointsEarned / pointsPossible, 0 when nothing could be earned. */
  score: number;
  passed: boolean;
}

/**
 * Scores a submitted form. An item is right only when the selection equals
 * the key exactly (no partial credit on multiple-answer items: a learner who
 * ticks every box must not score). Unanswered items are wrong.
 */
export function scoreAttempt(form: readonly KeyedItem[], selections: Readonly<Record<string, readonly string[]>>, passMark: number): AttemptScore {
  const answers = form.map((item) => {
    const selected = [...new Set(selections[item.id] ?? [])].sort();
    const key = [...new Set(item.correctOptionIds)].sort();
    const correct = selected.length === key.length && selected.every((id, i) => id === key[i]);
    return { itemId: item.id, selectedOptionIds: selected, correct, points: correct ? item.points : 0 };
  });
  const pointsPossible = form.reduce((s, i) => s + i.points, 0);
  const pointsEarned = answers.reduce((s, a) => s + a.points, 0);
  const score = pointsPossible > 0 ? pointsEarned / pointsPossible : 0;
  // Compare in rounded form: 0.8 of 10 points is exactly a pass, floating point notwithstanding.
  const passed = Math.round(score * 1e6) >= Math.round(passMark * 1e6);
  return { answers, pointsEarned, pointsPossible, score, passed };
}

/** Seconds allowed after the deadline for the submission's trip over the network. */
export const SUBMISSION_GRACE_SECONDS = 5;

export function attemptDeadline(startedAt: Date, timeLimitMinutes: number | null): Date | null {
  return timeLimitMinutes === null ? null : new Date(startedAt.getTime() + timeLimitMinutes * 60_000);
}

export function isLate(deadline: Date | null, at: Date): boolean {
  return deadline !== null && at.getTime() > deadline.getTime() + SUBMISSION_GRACE_SECONDS * 1000;
}

/** How many attempts are left, or null when attempts are unlimited. */
export function attemptsLeft(attemptsAllowed: number | null, attemptsUsed: number): number | null {
  return attemptsAllowed === null ? null : Math.max(0, attemptsAllowed - attemptsUsed);
}
