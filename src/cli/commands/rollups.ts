import type { Command } from 'commander';
import { asSystem } from '../../db/scoped.ts';
import { rebuildQualityRollups } from '../../domain/metrics/rollups.service.ts';
import { withCliDatabase } from '../database.ts';
import { printJson, progress, reportError } from '../output.ts';

/**
 * `assay rollups rebuild` recomputes the quality rollups from the reviews and
 * reports whether the incrementally kept state differed (exit code 1 if so).
 */
export function registerRollups(program: Command): void {
  const rollups = program.command('rollups').description('The quality rollups behind every metric');
  rollups
    .command('rebuild')
    .description('Recompute the quality rollups from the reviews; exit code 1 if the kept state had drifted')
    .action(async () => {
      try {
        await withCliDatabase(async (database) => {
          const result = await asSystem(database.db, (trx) => rebuildQualityRollups(trx));
          progress(`Rebuilt the quality rollups from ${result.reviews.toLocaleString('en')} reviews: ${result.differences.length === 0 ? 'identical to the kept state' : `${result.differences.length} difference(s) corrected`}.`);
          printJson(result);
          if (result.differences.length > 0) process.exitCode = 1;
        });
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
