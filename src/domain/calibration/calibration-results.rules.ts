import { ac1WithError, alphaWithError, percentAgreementWithError, type CoefficientWithError, type Rating } from '../stats/index.ts';
import { wilson } from '../stats/proportions.ts';
import type {
  AgreementFigure,
  CalibrationResults,
  FieldAgreement,
  GroupResults,
  ItemDivergence,
  ParticipantAlignment,
  ParticipantGroupKey,
  QuestionAgreement,
  Share,
} from './calibration.types.ts';
import { PARTICIPANT_GROUPS } from './calibration.types.ts';

/**
 * A calibration session's results, pure. Ratings form an items x participants
 * matrix (missing = not rated), one per field: the label (the label set as one
 * nominal category), the action, and each scorecard question. Agreement is
 * Krippendorff's alpha (nominal; missing ratings allowed) and Gwet's AC1, with
 * standard errors and t-intervals from src/domain/stats, and percent agreement:
 * alpha because it is the standard for any number of raters with gaps, AC1
 * because most content does not violate and alpha collapses on skewed labels
 * (the kappa paradox). Alignment with the expert is a share with a Wilson
 * interval and its n.
 */

export interface ResultsItem {
  id: string;
  position: number;
  ref: string;
  expertLabel: string | null;
  expertAction: string | null;
  /** questionKey -> the expert's answer value */
  expertAnswers: Record<string, string> | null;
}

export interface ResultsParticipant {
  id: string;
  personId: string | null;
  name: string;
  group: ParticipantGroupKey;
  vendorId: string | null;
  vendorName: string | null;
}

export interface ResultsRating {
  itemId: string;
  participantId: string;
  label: string;
  action: string | null;
  /** questionKey -> answer value */
  answers: Record<string, string>;
}

export interface ResultsInput {
  sessionId: string;
  items: ResultsItem[];
  participants: ResultsParticipant[];
  ratings: ResultsRating[];
  questions: Array<{ key: string; text: string }>;
  /** How many of the most divergent items to list; default 10. */
  divergentLimit?: number;
}

export function figure(c: CoefficientWithError): AgreementFigure {
  return { value: c.value, se: c.se, lower: c.ci?.[0] ?? null, upper: c.ci?.[1] ?? null, n: c.n, raters: c.raters, reason: c.reason };
}

export function share(x: number, n: number): Share {
  const w = wilson(x, n);
  return { value: w.estimate, lower: w.lower, upper: w.upper, x, n };
}

/** Rows: items with at least one rating in this field; columns: the given participants. */
export function ratingMatrix(
  items: readonly ResultsItem[],
  participants: readonly ResultsParticipant[],
  ratings: readonly ResultsRating[],
  value: (r: ResultsRating) => string | null | undefined,
): Rating[][] {
  const column = new Map(participants.map((p, j) => [p.id, j]));
  const rowOf = new Map(items.map((item, i) => [item.id, i]));
  const matrix: Rating[][] = items.map(() => new Array<Rating>(participants.length).fill(null));
  for (const r of ratings) {
    const i = rowOf.get(r.itemId);
    const j = column.get(r.participantId);
    const v = value(r);
    if (i === undefined || j === undefined || v === null || v === undefined) continue;
    matrix[i]![j] = v;
  }
  return matrix.filter((row) => row.some((v) => v !== null));
}

/** Alpha, AC1 and percent agreement of one field, straight from src/domain/stats. */
export function fieldAgreement(matrix: Rating[][]): FieldAgreement {
  const ratings = matrix.reduce((a, row) => a + row.filter((v) => v !== null).length, 0);
  return {
    alpha: figure(alphaWithError(matrix)),
    ac1: figure(ac1WithError(matrix)),
    percent: figure(percentAgreementWithError(matrix)),
    items: matrix.filter((row) => row.filter((v) => v !== null).length >= 2).length,
    ratings,
  };
}

function entropyBits(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  return counts.reduce((h, c) => (c === 0 ? h : h - (c / total) * Math.log2(c / total)), 0);
}

function divergence(items: readonly ResultsItem[], ratings: readonly ResultsRating[], limit: number): ItemDivergence[] {
  const byItem = new Map<string, ResultsRating[]>();
  for (const r of ratings) byItem.set(r.itemId, [...(byItem.get(r.itemId) ?? []), r]);
  const rows = items.flatMap((item): ItemDivergence[] => {
    const rs = byItem.get(item.id) ?? [];
    if (rs.length < 2) return [];
    const distribution: Record<string, number> = {};
    for (const r of rs) distribution[r.label] = (distribution[r.label] ?? 0) + 1;
    const counts = Object.values(distribution);
    const m = rs.length;
    const pairs = counts.reduce((a, c) => a + c * (c - 1), 0) / (m * (m - 1));
    const modal = Object.entries(distribution).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
    return [
      {
        itemId: item.id,
        position: item.position,
        ref: item.ref,
        ratings: m,
        labelAgreement: pairs,
        labelEntropy: entropyBits(counts),
        modalLabel: modal,
        expertLabel: item.expertLabel,
        expertMatch: item.expertLabel === null ? null : (distribution[item.expertLabel] ?? 0) / m,
        distribution,
      },
    ];
  });
  rows.sort((a, b) => a.labelAgreement! - b.labelAgreement! || b.labelEntropy - a.labelEntropy || (a.expertMatch ?? 1) - (b.expertMatch ?? 1) || a.position - b.position);
  return rows.slice(0, limit);
}

function expertMatch(items: readonly ResultsItem[], ratings: readonly ResultsRating[], field: 'label' | 'action'): Share {
  const expert = new Map(items.map((i) => [i.id, field === 'label' ? i.expertLabel : i.expertAction]));
  let x = 0;
  let n = 0;
  for (const r of ratings) {
    const e = expert.get(r.itemId);
    const v = field === 'label' ? r.label : r.action;
    if (e === null || e === undefined || v === null) continue;
    n += 1;
    if (v === e) x += 1;
  }
  return share(x, n);
}

function alignment(input: ResultsInput, hasActions: boolean): ParticipantAlignment[] {
  return input.participants.map((p) => {
    const own = input.ratings.filter((r) => r.participantId === p.id);
    return {
      participantId: p.id,
      personId: p.personId,
      name: p.name,
      group: p.group,
      vendorId: p.vendorId,
      vendorName: p.vendorName,
      rated: own.length,
      label: expertMatch(input.items, own, 'label'),
      action: hasActions ? expertMatch(input.items, own, 'action') : null,
    };
  });
}

function questionAgreement(input: ResultsInput): QuestionAgreement[] {
  return input.questions.map((q) => {
    const matrix = ratingMatrix(input.items, input.participants, input.ratings, (r) => r.answers[q.key]);
    const expert = new Map(input.items.map((i) => [i.id, i.expertAnswers?.[q.key] ?? null]));
    let x = 0;
    let n = 0;
    for (const r of input.ratings) {
      const e = expert.get(r.itemId);
      const v = r.answers[q.key];
      if (e === null || e === undefined || v === undefined) continue;
      n += 1;
      if (v === e) x += 1;
    }
    return {
      questionKey: q.key,
      text: q.text,
      percent: figure(percentAgreementWithError(matrix)),
      alpha: figure(alphaWithError(matrix)),
      expertMatch: n > 0 ? share(x, n) : null,
    };
  });
}

export function computeResults(input: ResultsInput): CalibrationResults {
  const hasActions = input.ratings.some((r) => r.action !== null);
  const labelMatrix = ratingMatrix(input.items, input.participants, input.ratings, (r) => r.label);
  const actionMatrix = hasActions ? ratingMatrix(input.items, input.participants, input.ratings, (r) => r.action) : null;
  const groups: GroupResults[] = PARTICIPANT_GROUPS.flatMap((group) => {
    const members = input.participants.filter((p) => p.group === group);
    if (members.length === 0) return [];
    const ids = new Set(members.map((p) => p.id));
    const ratings = input.ratings.filter((r) => ids.has(r.participantId));
    return [
      {
        group,
        participants: members.length,
        label: fieldAgreement(ratingMatrix(input.items, members, ratings, (r) => r.label)),
        action: hasActions ? fieldAgreement(ratingMatrix(input.items, members, ratings, (r) => r.action)) : null,
        labelExpertMatch: expertMatch(input.items, ratings, 'label'),
        actionExpertMatch: hasActions ? expertMatch(input.items, ratings, 'action') : null,
      },
    ];
  });
  return {
    sessionId: input.sessionId,
    items: input.items.length,
    participants: input.participants.length,
    label: fieldAgreement(labelMatrix),
    action: actionMatrix ? fieldAgreement(actionMatrix) : null,
    alignment: alignment(input, hasActions),
    questions: questionAgreement(input),
    divergentItems: divergence(input.items, input.ratings, input.divergentLimit ?? 10),
    groups,
  };
}

/** The label set as one nominal category: sorted keys joined by '+', 'none' for no violation. */
export function labelCategory(labels: readonly string[]): string {
  return labels.length === 0 ? 'none' : [...new Set(labels)].sort().join('+');
}
