import { parse } from 'csv-parse/sync';
import { AppError, type FieldIssue } from '../errors.ts';

/**
 * The two CSV files a calibration takes, pure: items to score (content and an
 * optional expert answer) and external ratings (item, rater, label). Every
 * problem is reported with its line number and a path naming the line and
 * column (/lines/<line>/<column>), all at once, and nothing is written unless
 * the whole file is valid.
 */

const MAX_PROBLEMS = 200;

interface CsvLine {
  line: number;
  values: Record<string, string>;
}

function readCsv(text: string, required: readonly string[], known: readonly string[] | null): { header: string[]; lines: CsvLine[] } {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const e = error as Error & { lines?: number };
    throw new AppError('VALIDATION_FAILED', `The CSV file cannot be read: ${e.message}`, [{ path: '/csv', message: e.message, ...(e.lines ? { line: e.lines } : {}) }]);
  }
  const first = records[0];
  if (!first) throw new AppError('VALIDATION_FAILED', 'The CSV file is empty: it needs a header row.', [{ path: '/csv/header', message: 'Missing header row.', line: 1 }]);
  const header = first.record.map((h) => h.trim().toLowerCase());
  const issues: FieldIssue[] = [];
  for (const column of required) {
    if (!header.includes(column)) issues.push({ path: `/csv/header/${column}`, message: `Missing column "${column}".`, line: first.info.lines });
  }
  if (known) {
    for (const column of header) {
      if (!known.includes(column)) issues.push({ path: `/csv/header/${column}`, message: `Unknown column "${column}"; columns are ${known.join(', ')}.`, line: first.info.lines });
    }
  }
  header.forEach((column, i) => {
    if (header.indexOf(column) !== i) issues.push({ path: `/csv/header/${column}`, message: 'Column named twice.', line: first.info.lines });
  });
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', 'The CSV header is not valid.', issues);
  const lines = records.slice(1).map(({ record, info }) => {
    const values: Record<string, string> = {};
    header.forEach((column, i) => (values[column] = record[i] ?? ''));
    return { line: info.lines, values, width: record.length };
  });
  const widthIssues = lines
    .filter((l) => l.width !== header.length)
    .slice(0, MAX_PROBLEMS)
    .map((l) => ({ path: `/lines/${l.line}`, message: `Has ${l.width} fields; the header has ${header.length}.`, line: l.line }));
  if (widthIssues.length > 0) throw new AppError('VALIDATION_FAILED', 'Some lines of the CSV file are not valid.', widthIssues);
  return { header, lines: lines.map(({ line, values }) => ({ line, values })) };
}

function fail(issues: FieldIssue[]): never {
  throw new AppError('VALIDATION_FAILED', `${issues.length >= MAX_PROBLEMS ? `At least ${MAX_PROBLEMS}` : issues.length} problem(s) in the CSV file; nothing was saved.`, issues.slice(0, MAX_PROBLEMS));
}

export const ITEM_CSV_COLUMNS = ['ref', 'content_text', 'content_url', 'content_kind', 'language', 'severity', 'expert_labels', 'expert_action', 'expert_note'] as const;

export interface UploadedItem {
  line: number;
  ref: string;
  contentText: string | null;
  contentUrl: string | null;
  contentKind: string;
  language: string | null;
  severity: 'critical' | 'high' | 'medium' | 'low' | null;
  /** null when the line gives no expert answer (the lead enters it later). */
  expertLabels: string[] | null;
  expertAction: string | null;
  expertNote: string;
}

const SEVERITIES = ['critical', 'high', 'medium', 'low'];

/**
 * Items to score: ref (optional), content_text and/or content_url, optional content_kind, language, severity,
 * expert_labels ('|'-separated; 'none' or empty with an expert_action = no violation), expert_action, expert_note.
 * Labels and actions are checked against the session's options.
 */
export function parseItemsCsv(text: string, options: { labels: ReadonlySet<string>; actions: ReadonlySet<string>; maxItems: number }): UploadedItem[] {
  const { lines } = readCsv(text, [], ITEM_CSV_COLUMNS);
  const issues: FieldIssue[] = [];
  const at = (line: number, column: string, message: string) => issues.push({ path: `/lines/${line}/${column}`, message, line });
  if (lines.length === 0) at(2, 'content_text', 'The file has a header but no items.');
  if (lines.length > options.maxItems) at(lines[options.maxItems]!.line, 'ref', `At most ${options.maxItems} items in one session.`);
  const refs = new Set<string>();
  const items = lines.map(({ line, values }): UploadedItem => {
    const ref = values.ref || `line-${line}`;
    if (refs.has(ref)) at(line, 'ref', `Ref "${ref}" is used twice.`);
    refs.add(ref);
    const contentText = values.content_text || null;
    const contentUrl = values.content_url || null;
    if (!contentText && !contentUrl) at(line, 'content_text', 'Give content_text or content_url.');
    if (contentText && contentText.length > 20_000) at(line, 'content_text', 'At most 20,000 characters.');
    if (contentUrl && !/^https?:\/\/\S+$/i.test(contentUrl)) at(line, 'content_url', 'An http(s) address.');
    const severity = values.severity ? values.severity.toLowerCase() : '';
    if (severity && !SEVERITIES.includes(severity)) at(line, 'severity', 'critical, high, medium or low.');
    const rawLabels = values.expert_labels ?? '';
    const action = values.expert_action || null;
    let expertLabels: string[] | null = null;
    if (rawLabels || action) {
      expertLabels = rawLabels && rawLabels.toLowerCase() !== 'none' ? rawLabels.split('|').map((l) => l.trim()).filter(Boolean) : [];
      for (const label of expertLabels) if (!options.labels.has(label)) at(line, 'expert_labels', `"${label}" is not a label of this workflow's policies.`);
      if (!action) at(line, 'expert_action', 'Give the expert action with the expert labels.');
      else if (!options.actions.has(action)) at(line, 'expert_action', `"${action}" is not an action this workflow allows.`);
    }
    return {
      line,
      ref,
      contentText,
      contentUrl,
      contentKind: values.content_kind || (contentUrl && !contentText ? 'media' : 'comment'),
      language: values.language || null,
      severity: (severity || null) as UploadedItem['severity'],
      expertLabels,
      expertAction: action,
      expertNote: values.expert_note ?? '',
    };
  });
  if (issues.length > 0) fail(issues);
  return items;
}

export interface ExternalRating {
  line: number;
  item: string;
  rater: string;
  value: string;
}

export interface RatingsColumns {
  item?: string;
  rater?: string;
  label?: string;
}

const ITEM_NAMES = ['item_id', 'item', 'unit', 'unit_id'];
const RATER_NAMES = ['rater', 'rater_id', 'annotator', 'annotator_id', 'coder', 'coder_id'];
/** Columns that describe an item but are not a rating (ConvAbuse's split). */
const IGNORED = ['split'];

/**
 * External ratings, long form: one line per (item, rater, label). Columns are found by name (item_id / item,
 * rater / annotator_id, label), or given; with no "label" column the one remaining column (other than split) is
 * the label, named by the file (e.g. is_abuse). A rater rating an item twice is an error.
 */
export function parseRatingsCsv(text: string, columns: RatingsColumns = {}): { field: string; ratings: ExternalRating[] } {
  const { header, lines } = readCsv(text, [], null);
  const pick = (given: string | undefined, names: readonly string[], what: string): string => {
    const found = given ? (header.includes(given.toLowerCase()) ? given.toLowerCase() : undefined) : names.find((n) => header.includes(n));
    if (!found) throw new AppError('VALIDATION_FAILED', 'The CSV header is not valid.', [{ path: `/csv/header/${given ?? what}`, message: given ? `No column "${given}".` : `No ${what} column (one of ${names.join(', ')}).`, line: 1 }]);
    return found;
  };
  const item = pick(columns.item, ITEM_NAMES, 'item');
  const rater = pick(columns.rater, RATER_NAMES, 'rater');
  const rest = header.filter((h) => h !== item && h !== rater && !IGNORED.includes(h));
  const label = columns.label ? pick(columns.label, [], 'label') : rest.includes('label') ? 'label' : rest.length === 1 ? rest[0]! : null;
  if (!label) {
    throw new AppError('VALIDATION_FAILED', 'The CSV header is not valid.', [
      { path: '/csv/header/label', message: `Name the label column: several candidates (${rest.join(', ') || 'none'}).`, line: 1 },
    ]);
  }
  const issues: FieldIssue[] = [];
  const at = (line: number, column: string, message: string) => issues.length < MAX_PROBLEMS && issues.push({ path: `/lines/${line}/${column}`, message, line });
  if (lines.length === 0) at(2, item, 'The file has a header but no ratings.');
  const seen = new Map<string, number>();
  const ratings: ExternalRating[] = [];
  for (const { line, values } of lines) {
    const i = values[item] ?? '';
    const r = values[rater] ?? '';
    const v = values[label] ?? '';
    if (!i) at(line, item, 'Missing item.');
    else if (i.length > 200) at(line, item, 'At most 200 characters.');
    if (!r) at(line, rater, 'Missing rater.');
    else if (r.length > 200) at(line, rater, 'At most 200 characters.');
    if (!v) at(line, label, 'Missing label.');
    else if (v.length > 200) at(line, label, 'At most 200 characters.');
    if (i && r) {
      const key = `${i}\u0000${r}`;
      const before = seen.get(key);
      if (before !== undefined) at(line, rater, `Rater "${r}" already rated item "${i}" on line ${before}.`);
      else seen.set(key, line);
    }
    ratings.push({ line, item: i, rater: r, value: v });
  }
  if (issues.length > 0) fail(issues);
  return { field: label, ratings };
}
