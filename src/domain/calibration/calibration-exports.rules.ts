import { csvTable } from '../metrics/metric-presentation.rules.ts';
import type { AgreementFigure, CalibrationResults, FieldAgreement } from './calibration.types.ts';

/**
 * A session's results as CSV, pure: every rating (one line per item x
 * participant, with the expert answer beside it), and a summary (the
 * agreement figures with their intervals, the participants' alignment, the
 * per-question agreement). Written with the metrics CSV rules (csvField:
 * formula-looking cells are neutralised).
 */

export interface RatingLine {
  position: number;
  ref: string;
  participant: string;
  group: string;
  label: string;
  action: string | null;
  expertLabel: string | null;
  expertAction: string | null;
}

export function ratingsCsv(lines: readonly RatingLine[]): string {
  return csvTable(
    ['item', 'item_ref', 'participant', 'group', 'label', 'action', 'expert_label', 'expert_action', 'label_matches_expert', 'action_matches_expert'],
    lines.map((l) => [
      l.position, l.ref, l.participant, l.group, l.label, l.action, l.expertLabel, l.expertAction,
      l.expertLabel === null ? null : l.label === l.expertLabel,
      l.expertAction === null || l.action === null ? null : l.action === l.expertAction,
    ]),
  );
}

function figureRow(section: string, field: string, measure: string, f: AgreementFigure): Array<string | number | null> {
  return [section, field, measure, f.value, f.lower, f.upper, f.se, f.n, f.raters, f.reason];
}

function fieldRows(section: string, field: string, a: FieldAgreement): Array<Array<string | number | null>> {
  return [figureRow(section, field, 'krippendorff_alpha_nominal', a.alpha), figureRow(section, field, 'gwet_ac1', a.ac1), figureRow(section, field, 'percent_agreement', a.percent)];
}

/** One table: section (agreement, group:<g>, participant, question), field, measure, value, lower, upper, se, n, raters, note. */
export function summaryCsv(results: CalibrationResults): string {
  const rows: Array<Array<string | number | null>> = [];
  rows.push(...fieldRows('agreement', 'label', results.label));
  if (results.action) rows.push(...fieldRows('agreement', 'action', results.action));
  for (const g of results.groups) {
    rows.push(...fieldRows(`group:${g.group}`, 'label', g.label));
    if (g.action) rows.push(...fieldRows(`group:${g.group}`, 'action', g.action));
    rows.push([`group:${g.group}`, 'label', 'expert_match', g.labelExpertMatch.value, g.labelExpertMatch.lower, g.labelExpertMatch.upper, null, g.labelExpertMatch.n, g.participants, null]);
  }
  for (const a of results.alignment) {
    rows.push([`participant:${a.name}`, 'label', 'expert_match', a.label.value, a.label.lower, a.label.upper, null, a.label.n, 1, a.group]);
    if (a.action) rows.push([`participant:${a.name}`, 'action', 'expert_match', a.action.value, a.action.lower, a.action.upper, null, a.action.n, 1, a.group]);
  }
  for (const q of results.questions) {
    rows.push(figureRow(`question:${q.questionKey}`, q.text, 'percent_agreement', q.percent));
    rows.push(figureRow(`question:${q.questionKey}`, q.text, 'krippendorff_alpha_nominal', q.alpha));
  }
  return csvTable(['section', 'field', 'measure', 'value', 'lower', 'upper', 'se', 'n', 'raters', 'note'], rows);
}

export function exportFileName(title: string, sessionId: string, kind: string, extension: string): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'calibration';
  return `calibration-${slug}-${sessionId.slice(0, 8)}-${kind}.${extension}`;
}

export function formatFigure(f: AgreementFigure | null | undefined): string {
  if (!f || f.value === null) return f?.reason ? `n/a (${f.reason})` : 'n/a';
  const ci = f.lower !== null && f.upper !== null ? ` [${f.lower.toFixed(2)}, ${f.upper.toFixed(2)}]` : '';
  return `${f.value.toFixed(3)}${ci}`;
}
