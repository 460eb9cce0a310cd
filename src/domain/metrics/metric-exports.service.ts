import type { Executor } from '../../db/database.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';

/**
 * Every CSV download of the metrics API is an export of quality data and so
 * is written to the audit log (action `metrics.export`), in the request's
 * transaction: the entry and the answer stand or fall together.
 */

export type CsvAnswer = { format: 'csv'; fileName: string; body: string };
/** What a metrics query answers: its JSON, or (format=csv) a file. */
export type ExportAnswer<T> = { format: 'json'; body: T } | CsvAnswer;

export interface CsvExport {
  /** Which table was exported: 'metrics', 'control_chart', 'pareto' or 'reviews_behind_figure'. */
  table: string;
  /** The query as read (parsed values; the filter as given). */
  query: Record<string, unknown>;
  fileName: string;
  /** Data lines in the file (the header aside). */
  rows: number;
  csv: string;
}

export async function auditedCsv(trx: Executor, actor: Actor, file: CsvExport): Promise<CsvAnswer> {
  await audit(trx, actor, {
    action: 'metrics.export',
    details: { table: file.table, query: file.query, rows: file.rows, fileName: file.fileName },
  });
  return { format: 'csv', fileName: file.fileName, body: file.csv };
}
