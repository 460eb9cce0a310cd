import fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { systemActor } from '../../domain/access/actor.ts';
import { csvLines, ndjsonLines } from '../../domain/decisions/decision-streams.ts';
import { ingestDecisions, type IngestSummary } from '../../domain/decisions/ingest.service.ts';
import { AppError } from '../../domain/errors.ts';
import { withCliDatabase } from '../database.ts';
import { printJson, progress, reportError } from '../output.ts';

/**
 * `assay import decisions FILE`: CSV or NDJSON, optionally gzipped, through
 * the same ingest path as the API. Safe to re-run: known decisions count as
 * duplicates, so after a crash the same command finishes the job.
 */
type Format = 'csv' | 'ndjson';

function formatOf(file: string, given?: string): Format {
  if (given === 'csv' || given === 'ndjson') return given;
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl') || name.endsWith('.json')) return 'ndjson';
  throw new AppError('VALIDATION_FAILED', 'Cannot tell the format from the file name; pass --format csv or --format ndjson.', [{ path: '/format', message: 'csv or ndjson' }]);
}

function openInput(file: string): { stream: Readable; size: number; counted: () => number } {
  if (!fs.existsSync(file)) throw new AppError('VALIDATION_FAILED', `No such file: ${file}`, [{ path: '/file', message: 'not found' }]);
  const size = fs.statSync(file).size;
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  // Gzip by its magic bytes, whatever the name says.
  const head = Buffer.alloc(2);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, head, 0, 2, 0);
  fs.closeSync(fd);
  const gzipped = head[0] === 0x1f && head[1] === 0x8b;
  return { stream: gzipped ? raw.pipe(createGunzip()) : raw, size, counted: () => raw.bytesRead };
}

function printSummary(summary: IngestSummary, json: boolean): void {
  if (json) return printJson(summary);
  process.stdout.write(
    `accepted ${summary.accepted}, duplicates ${summary.duplicates}, rejected ${summary.rejectedCount}, sampled for QA ${summary.sampled}\n`,
  );
  for (const r of summary.rejected.slice(0, 50)) process.stdout.write(`  line ${r.line}: ${r.field || '(line)'}: ${r.message}\n`);
  if (summary.rejectedCount > 50) process.stdout.write(`  ... and ${summary.rejectedCount - 50} more (use --json for up to 1000)\n`);
}

export function registerImport(program: Command): void {
  const importCommand = program.command('import').description('Load data from files');
  importCommand
    .command('decisions')
    .description('Import decisions from a CSV or NDJSON file (optionally .gz); prints {accepted, duplicates, rejected}')
    .argument('<file>', 'path to .csv, .ndjson or .jsonl, optionally gzipped')
    .addOption(new Option('--format <format>', 'csv or ndjson (default: from the file name)').choices(['csv', 'ndjson']))
    .option('--batch-size <n>', 'decisions per transaction', (v) => Number.parseInt(v, 10), 20_000)
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, options: { format?: Format; batchSize: number; json?: boolean }) => {
      try {
        const format = formatOf(file, options.format);
        if (!fs.existsSync(file)) throw new AppError('VALIDATION_FAILED', `No such file: ${file}`, [{ path: '/file', message: 'not found' }]);
        const summary = await withCliDatabase(async (database) => {
          // Opened only now: a stream opened before the database is ready would start flowing unread.
          const input = openInput(file);
          const tty = process.stderr.isTTY;
          const bar = tty
            ? new cliProgress.SingleBar({ format: 'Importing [{bar}] {percentage}% | {lines} lines | {accepted} new, {duplicates} known, {rejected} rejected', hideCursor: true }, cliProgress.Presets.shades_classic)
            : null;
          bar?.start(input.size, 0, { lines: 0, accepted: 0, duplicates: 0, rejected: 0 });
          const lines = format === 'csv' ? csvLines(input.stream) : ndjsonLines(input.stream);
          const result = await ingestDecisions(database.db, systemActor('cli'), lines, {
            batchSize: options.batchSize,
            onProgress: (p) => {
              if (bar) bar.update(input.counted(), p);
              else progress(`imported ${p.lines} lines: ${p.accepted} new, ${p.duplicates} known, ${p.rejected} rejected`);
            },
          });
          bar?.update(input.size);
          bar?.stop();
          return result;
        });
        printSummary(summary, options.json === true);
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
