import type { Db } from '../../db/database.ts';
import type { Actor } from '../access/actor.ts';

/** One input line: parsed to a value, or a parse error with its line number. */
export type SourceLine = { line: number; value: unknown } | { line: number; error: { field: string; message: string } };

export interface RejectedLine {
  line: number;
  field: string;
  message: string;
}

export interface IngestSummary {
  accepted: number;
  duplicates: number;
  /** The first `maxRejectedListed` rejections, in line order. */
  rejected: RejectedLine[];
  rejectedCount: number;
  /** Accepted decisions selected for QA at ingestion (deferred strata are selected when their day closes). */
  sampled: number;
}

export interface IngestProgress {
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

export interface IngestOptions {
  /** Lines per transaction (default 5000). Each batch commits on its own: a crash loses at most the batch in flight. */
  batchSize?: number;
  maxRejectedListed?: number;
  onProgress?: (progress: IngestProgress) => void;
}

/**
 * The one ingest path for the API, the CLI, the demo and the benchmark:
 * check, resolve against the catalogue (policy version in force at
 * decided_at), place in the sampling plan, persist, aggregate, create QA
 * tasks. Streaming: memory is bounded by the batch size, not the input.
 */
export async function ingestDecisions(
  _db: Db,
  _actor: Actor,
  _lines: AsyncIterable<SourceLine>,
  _options: IngestOptions = {},
): Promise<IngestSummary> {
  throw new Error('not implemented yet');
}
