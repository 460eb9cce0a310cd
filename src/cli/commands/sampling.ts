import type { Command } from 'commander';
import { asSystem } from '../../db/scoped.ts';
import { closeDueSamplingDays, DEFAULT_GRACE_HOURS } from '../../domain/sampling/day-close.service.ts';
import { parseDay } from '../../domain/sampling/plan-timeline.rules.ts';
import { verifySamplingDay } from '../../domain/sampling/sampling-verify.service.ts';
import { AppError } from '../../domain/errors.ts';
import { withCliDatabase } from '../database.ts';
import { printJson, progress, reportError } from '../output.ts';

/**
 * `assay sampling close` selects the deferred strata (quotas, capped rates) of
 * every UTC day that is due, as the hourly job does; `assay sampling verify`
 * recomputes one day's placement and selection and compares it with what is
 * stored (exit code 1 when anything differs).
 */
async function run(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

function dayOption(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const day = parseDay(value);
  if (!day) throw new AppError('VALIDATION_FAILED', 'Not a day.', [{ path: `/${flag}`, message: `"${value}" is not a day written YYYY-MM-DD.` }]);
  return day;
}

export function registerSampling(program: Command): void {
  const sampling = program.command('sampling').description('End-of-day selection and verification of sampling');

  sampling
    .command('close')
    .description('Close every due UTC day: select quotas and capped strata, create their QA tasks')
    .option('--until <day>', 'close no day after this one (YYYY-MM-DD)')
    .option('--grace-hours <n>', 'hours after the end of a day before it is closed', String(DEFAULT_GRACE_HOURS))
    .action((options: { until?: string; graceHours: string }) =>
      run(() =>
        withCliDatabase(async (database) => {
          const until = dayOption(options.until, 'until');
          const grace = Number(options.graceHours);
          if (!Number.isFinite(grace) || grace < 0) {
            throw new AppError('VALIDATION_FAILED', 'Not a number of hours.', [{ path: '/graceHours', message: 'Give a number of hours, 0 or more.' }]);
          }
          const result = await closeDueSamplingDays(database.db, new Date(), grace, until === undefined ? {} : { until });
          const selected = result.closed.reduce((sum, day) => sum + (day.alreadyClosed ? 0 : day.selected), 0);
          progress(`Closed ${result.closed.length} day(s) through ${result.throughDay}: ${selected} decision(s) selected.`);
          for (const failure of result.failed) progress(`Could not close ${failure.day} of plan version ${failure.planVersionId}: ${failure.error}`);
          printJson(result);
          if (result.failed.length > 0) process.exitCode = 1;
        }),
      ),
    );

  sampling
    .command('verify')
    .description("Recompute one day's placement and selection from the stored decisions and compare")
    .requiredOption('--plan-version <id>', 'sampling plan version id')
    .requiredOption('--day <day>', 'UTC day, YYYY-MM-DD')
    .action((options: { planVersion: string; day: string }) =>
      run(() =>
        withCliDatabase(async (database) => {
          const day = dayOption(options.day, 'day')!;
          const report = await asSystem(database.db, (trx) => verifySamplingDay(trx, options.planVersion, day, { fullView: true }));
          progress(`Checked ${report.checked} decision(s): ${report.mismatches} mismatch(es)${report.lateArrivals ? `, ${report.lateArrivals} late arrival(s)` : ''}.`);
          printJson(report);
          if (report.mismatches > 0) process.exitCode = 1;
        }),
      ),
    );
}
