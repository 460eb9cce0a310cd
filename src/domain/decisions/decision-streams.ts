import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { AppError } from '../errors.ts';
import type { SourceLine } from './ingest.service.ts';

/**
 * Turns a byte stream of NDJSON or CSV into numbered input lines without
 * holding more than a chunk in memory. Bad lines become per-line errors; they
 * never stop the lines after them.
 */

const MAX_LINE_BYTES = 1_048_576;

/** NDJSON: one JSON object per line; blank lines are skipped but counted. */
export async function* ndjsonLines(stream: Readable): AsyncGenerator<SourceLine> {
  let carry = '';
  let lineNo = 0;
  let oversized = false;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const emit = (raw: string): SourceLine | null => {
    lineNo++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return null;
    try {
      return { line: lineNo, value: JSON.parse(text) };
    } catch (error) {
      return { line: lineNo, error: { field: '', message: `Not valid JSON: ${(error as Error).message}` } };
    }
  };
  for await (const chunk of stream) {
    const text = carry + (typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true }));
    let start = 0;
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      if (oversized) {
        lineNo++;
        yield { line: lineNo, error: { field: '', message: `Line longer than ${MAX_LINE_BYTES} bytes.` } };
        oversized = false;
      } else {
        const line = emit(text.slice(start, newline));
        if (line) yield line;
      }
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    carry = text.slice(start);
    if (carry.length > MAX_LINE_BYTES) {
      // Drop the rest of a runaway line instead of buffering it.
      oversized = true;
      carry = '';
    }
  }
  carry += decoder.decode();
  if (oversized) yield { line: lineNo + 1, error: { field: '', message: `Line longer than ${MAX_LINE_BYTES} bytes.` } };
  else {
    const line = emit(carry);
    if (line) yield line;
  }
}

export const CSV_COLUMNS = [
  'source', 'external_id', 'workflow', 'agent', 'decided_at', 'labels', 'action', 'handle_time_ms',
  'content_kind', 'content_text', 'content_url', 'content_language', 'model_score', 'metadata',
] as const;
const REQUIRED = ['source', 'external_id', 'workflow', 'agent', 'decided_at', 'labels', 'action', 'handle_time_ms', 'content_kind'];

function numberOrText(value: string): number | string {
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : value;
}

/** A CSV row as the NDJSON shape; labels are separated by '|'. */
function csvRecord(row: Record<string, string>): { value: unknown } | { error: { field: string; message: string } } {
  let metadata: unknown;
  if (row.metadata) {
    try {
      metadata = JSON.parse(row.metadata);
    } catch {
      return { error: { field: 'metadata', message: 'Not valid JSON.' } };
    }
  }
  const value: Record<string, unknown> = {
    source: row.source,
    external_id: row.external_id,
    workflow: row.workflow,
    agent: row.agent,
    decided_at: row.decided_at,
    labels: row.labels ? row.labels.split('|').map((l) => l.trim()).filter((l) => l !== '') : [],
    action: row.action,
    handle_time_ms: numberOrText(row.handle_time_ms ?? ''),
    content: {
      kind: row.content_kind,
      text: row.content_text || null,
      url: row.content_url || null,
      language: row.content_language || null,
    },
    model_score: row.model_score ? numberOrText(row.model_score) : null,
  };
  if (metadata !== undefined) value.metadata = metadata;
  return { value };
}

/**
 * CSV with a header row naming the columns (any order; CSV_COLUMNS). A line
 * number is the file's physical line where the record ends (a quoted field
 * may span lines). A malformed file (an unclosed quote) stops the import with
 * its line; the batches before it are kept, and a re-run after the fix
 * reaches the same state.
 */
export async function* csvLines(stream: Readable): AsyncGenerator<SourceLine> {
  const parser = stream.pipe(
    parse({ bom: true, columns: false, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: MAX_LINE_BYTES }),
  );
  let header: string[] | null = null;
  const records = (async function* () {
    try {
      yield* parser as AsyncIterable<{ record: string[]; info: { lines: number } }>;
    } catch (error) {
      const e = error as { message: string; lines?: number };
      throw new AppError('VALIDATION_FAILED', `The CSV file cannot be read: ${e.message}`, [{ path: '/file', message: e.message, ...(e.lines ? { line: e.lines } : {}) }]);
    }
  })();
  for await (const record of records) {
    const line = record.info.lines;
    if (!header) {
      header = record.record.map((h) => h.trim().toLowerCase());
      const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
      const missing = REQUIRED.filter((h) => !header!.includes(h));
      if (unknown.length > 0 || missing.length > 0) {
        throw new AppError('VALIDATION_FAILED', 'The CSV header is not valid.', [
          ...missing.map((m) => ({ path: `/header/${m}`, message: `Missing column "${m}".`, line: 1 })),
          ...unknown.map((u) => ({ path: `/header/${u}`, message: `Unknown column "${u}"; columns are ${CSV_COLUMNS.join(', ')}.`, line: 1 })),
        ]);
      }
      continue;
    }
    if (record.record.length !== header.length) {
      yield { line, error: { field: '', message: `Has ${record.record.length} fields; the header has ${header.length}.` } };
      continue;
    }
    const row: Record<string, string> = {};
    header.forEach((name, i) => (row[name] = record.record[i]!));
    yield { line, ...csvRecord(row) };
  }
  if (!header) throw new AppError('VALIDATION_FAILED', 'The CSV file is empty: it needs a header row.', [{ path: '/header', message: 'Missing header row.', line: 1 }]);
}
