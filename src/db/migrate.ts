import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './database.ts';
import * as foundation from './migrations/0001-foundation.ts';
import * as idempotencyKeys from './migrations/0002-idempotency-keys.ts';
import * as decisionsSampling from './migrations/0003-decisions-sampling.ts';
import * as reviews from './migrations/0004-reviews.ts';
import * as ownPerson from './migrations/0005-own-person-visible.ts';
import * as rollups from './migrations/0006-quality-rollups.ts';
import * as analystViews from './migrations/0007-analyst-views.ts';
import * as vendorCuboids from './migrations/0008-vendor-cuboids.ts';
import * as metricsSpeed from './migrations/0009-metrics-speed.ts';
import * as auditingAuditors from './migrations/0010-auditing-auditors.ts';
import * as calibration from './migrations/0011-calibration.ts';
import * as training from './migrations/0012-training.ts';
import * as xapiLrs from './migrations/0013-xapi-lrs.ts';
import * as trainingOperations from './migrations/0014-training-operations.ts';
import * as auditTaskBlinding from './migrations/0015-audit-task-blinding.ts';
import * as runningVarianceTerms from './migrations/0016-running-variance-terms.ts';
import * as trainingScreens from './migrations/0017-training-screens.ts';
import * as calibrationExpertDelegates from './migrations/0018-calibration-expert-delegates.ts';
import * as xapiCredentialVersion from './migrations/0019-xapi-credential-version.ts';

/** Migrations in order. Names are permanent: never rename or edit an applied one. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-idempotency-keys': idempotencyKeys,
  '0003-decisions-sampling': decisionsSampling,
  '0004-reviews': reviews,
  '0005-own-person-visible': ownPerson,
  '0006-quality-rollups': rollups,
  '0007-analyst-views': analystViews,
  '0008-vendor-cuboids': vendorCuboids,
  '0009-metrics-speed': metricsSpeed,
  '0010-auditing-auditors': auditingAuditors,
  '0011-calibration': calibration,
  '0012-training': training,
  '0013-xapi-lrs': xapiLrs,
  '0014-training-operations': trainingOperations,
  '0015-audit-task-blinding': auditTaskBlinding,
  '0016-running-variance-terms': runningVarianceTerms,
  '0017-training-screens': trainingScreens,
  '0018-calibration-expert-delegates': calibrationExpertDelegates,
  '0019-xapi-credential-version': xapiCredentialVersion,
};

const provider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider });
  const before = await migrator.getMigrations();
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`, {
      cause: result.error,
    });
  }
  return {
    applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    alreadyApplied: before.filter((m) => m.executedAt !== undefined).length,
  };
}

export function knownMigrations(): string[] {
  return Object.keys(MIGRATIONS);
}
