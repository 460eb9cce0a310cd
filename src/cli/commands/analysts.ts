import type { Command } from 'commander';
import { systemActor } from '../../domain/access/actor.ts';
import { createAnalystLogin, revokeAnalystLogin } from '../../domain/analysts/analyst-logins.service.ts';
import { asSystem } from '../../db/scoped.ts';
import { withCliDatabase } from '../database.ts';
import { progress, reportError } from '../output.ts';

const operator = () => systemActor(`cli:${process.env.USER ?? 'operator'}`);

/**
 * `assay analysts create-login|revoke-login <name>`: read-only PostgreSQL
 * logins for BI tools (docs/analysts.md). The connection string, with its
 * password, goes to stdout once and is not stored anywhere.
 */
export function registerAnalysts(program: Command): void {
  const analysts = program.command('analysts').description("Read-only database logins for analysts' BI tools (docs/analysts.md)");
  analysts
    .command('create-login <name>')
    .description('Create a read-only login on the analyst views, or give an existing one a new password; prints its connection string once')
    .action(async (name: string) => {
      try {
        await withCliDatabase(async (database, config) => {
          const operatorConnectionString = String(database.pool.options.connectionString);
          const created = await asSystem(database.db, (trx) => createAnalystLogin(trx, operator(), { name, operatorConnectionString }));
          progress(
            created.rekeyed
              ? `Analyst login "${created.name}" has a new password; the old one no longer works.`
              : `Created analyst login "${created.name}": read-only, views of schema analyst only, statements stop after 60 s.`,
          );
          if (!config.databaseUrl) {
            progress(
              'The embedded database listens on 127.0.0.1 only, on a port chosen at each start: this connection string works ' +
                'from this machine while the Assay it was made with runs (with none running, use the port of the next start). ' +
                'For BI tools elsewhere, run Assay on your own PostgreSQL (DATABASE_URL).',
            );
          }
          progress('The connection string is shown only now; hand it over safely:');
          process.stdout.write(`${created.connectionString}\n`);
        });
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
  analysts
    .command('revoke-login <name>')
    .description('Drop an analyst login and end its open sessions')
    .action(async (name: string) => {
      try {
        await withCliDatabase(async (database) => {
          const revoked = await asSystem(database.db, (trx) => revokeAnalystLogin(trx, operator(), name));
          progress(`Dropped analyst login "${revoked.name}"${revoked.sessionsEnded > 0 ? ` and ended ${revoked.sessionsEnded} open session(s)` : ''}.`);
          if (revoked.sessionsRemaining > 0) {
            progress(`${revoked.sessionsRemaining} open session(s) could not be ended by this database role; they end when they disconnect.`);
          }
        });
      } catch (error) {
        process.exitCode = reportError(error);
      }
    });
}
