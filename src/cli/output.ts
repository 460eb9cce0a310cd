import { asAppError } from '../domain/errors.ts';

/**
 * How the CLI talks to a person: progress and errors on stderr, results on
 * stdout (a table, or JSON with --json) so output can be piped.
 */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printTable(rows: Array<Record<string, unknown>>, columns: string[]): void {
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const cell = (value: unknown) => (value === null || value === undefined ? '' : Array.isArray(value) ? value.join(',') : String(value));
  const widths = columns.map((column) => Math.min(48, Math.max(column.length, ...rows.map((row) => cell(row[column]).length))));
  const line = (values: string[]) => values.map((value, i) => value.slice(0, widths[i]).padEnd(widths[i]!)).join('  ').trimEnd();
  process.stdout.write(`${line(columns)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(columns.map((c) => cell(row[c])))}\n`);
}

/** Input fields whose flag is not the field's own name (the user commands). */
const FLAG_ALIASES: Record<string, string> = {
  '/scope/kind': '--scope',
  '/scope/refId': '--scope-ref',
  '/displayName': '--name',
  '/personId': '--person',
};

/** Field paths become the flags a person typed: '/fullName' -> '--full-name'. */
export function flagOf(pointer: string): string {
  const alias = FLAG_ALIASES[pointer];
  if (alias) return alias;
  const field = pointer.replace(/^\//, '').split('/')[0] ?? '';
  return field ? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : '(input)';
}

/** Prints an error a person can act on and returns the exit code: 2 for bad input, 1 otherwise. */
export function reportError(error: unknown): number {
  const known = asAppError(error);
  if (known) {
    process.stderr.write(`Error: ${known.message}\n`);
    for (const detail of known.details) process.stderr.write(`  ${flagOf(detail.path)} (${detail.path}): ${detail.message}\n`);
    return known.code === 'VALIDATION_FAILED' || known.code === 'BAD_REQUEST' || known.code === 'CONFLICT' || known.code === 'NOT_FOUND' ? 2 : 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Error: ${message}\n`);
  if (process.env.ASSAY_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return 1;
}
