import type { Command } from 'commander';
import { systemActor } from '../../domain/access/actor.ts';
import { ROLES } from '../../domain/access/roles.ts';
import { SCOPE_KINDS, type ScopeKind } from '../../domain/access/scope.ts';
import { createToken, listOwnTokens, revokeToken } from '../../domain/auth/tokens.service.ts';
import { createUser, listUsers, updateUser } from '../../domain/auth/users.service.ts';
import { AppError } from '../../domain/errors.ts';
import { findUserByEmail } from '../../db/repositories/users.repository.ts';
import { asSystem, withViewer } from '../../db/scoped.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { loadDemo } from '../../demo/load-demo.ts';
import { withCliDatabase } from '../database.ts';
import { printJson, printTable, progress, reportError } from '../output.ts';
import { readSecret } from '../prompt.ts';

const operator = () => systemActor(`cli:${process.env.USER ?? 'operator'}`);

async function run(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

export function registerAdmin(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations')
    .action(() =>
      run(() =>
        withCliDatabase(async (database) => {
          const report = await migrateToLatest(database.db);
          progress(report.applied.length ? `Applied: ${report.applied.join(', ')}` : 'The database is up to date.');
        }),
      ),
    );

  program
    .command('demo')
    .description('Load the deterministic demo organisation into an empty database')
    .option('--seed <n>', 'random seed', '2026')
    .action((options: { seed: string }) =>
      run(() => withCliDatabase(async (database) => void (await loadDemo(database.db, { seed: Number(options.seed), onProgress: progress })))),
    );

  const user = program.command('user').description('Manage users');
  user
    .command('create')
    .description('Create a user (the first administrator of a fresh install, for example)')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--scope <kind>', SCOPE_KINDS.join(' | '), 'all')
    .option('--scope-ref <id>', 'the vendor, site, team or person id the scope names')
    .option('--person <id>', 'link to a person record')
    .option('--password-stdin', 'read the password from standard input instead of prompting')
    .action((options: { email: string; name: string; role: string; scope: string; scopeRef?: string; person?: string; passwordStdin?: boolean }) =>
      run(async () => {
        const password = await readSecret('Password (12+ characters): ', options.passwordStdin === true);
        await withCliDatabase(async (database) => {
          const created = await asSystem(database.db, (trx) =>
            createUser(trx, operator(), {
              email: options.email,
              displayName: options.name,
              password,
              role: options.role,
              scope: { kind: options.scope as ScopeKind, refId: options.scopeRef ?? null },
              personId: options.person ?? null,
            }),
          );
          progress(`Created ${created.role} ${created.email} (${created.scope.label}).`);
          printJson(created);
        });
      }),
    );
  user
    .command('list')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      run(() =>
        withCliDatabase(async (database) => {
          const { items } = await asSystem(database.db, (trx) => listUsers(trx, {}, { limit: 500, offset: 0 }));
          if (options.json) printJson(items);
          else printTable(items.map((u) => ({ ...u, scope: u.scope.label })), ['email', 'displayName', 'role', 'scope', 'status', 'lastSignInAt']);
        }),
      ),
    );
  user
    .command('update <email>')
    .description('Change role, scope or status; the user signs in again afterwards')
    .option('--role <role>')
    .option('--scope <kind>')
    .option('--scope-ref <id>')
    .option('--disable')
    .option('--enable')
    .option('--reset-password', 'prompt for a new password')
    .option('--password-stdin')
    .action((email: string, options: { role?: string; scope?: string; scopeRef?: string; disable?: boolean; enable?: boolean; resetPassword?: boolean; passwordStdin?: boolean }) =>
      run(async () => {
        const password = options.resetPassword || options.passwordStdin ? await readSecret('New password: ', options.passwordStdin === true) : undefined;
        await withCliDatabase(async (database) => {
          const row = await findUserByEmail(database.db, email);
          if (!row) throw new AppError('NOT_FOUND', `No user ${email}.`);
          const updated = await asSystem(database.db, (trx) =>
            updateUser(trx, operator(), row.id, {
              role: options.role,
              scope: options.scope ? { kind: options.scope as ScopeKind, refId: options.scopeRef ?? null } : undefined,
              status: options.disable ? 'disabled' : options.enable ? 'active' : undefined,
              password,
            }),
          );
          printJson(updated);
        });
      }),
    );

  const token = program.command('token').description("Manage a user's API tokens");
  token
    .command('create')
    .description('Create an API token for a user; it carries their scope and is printed once')
    .requiredOption('--user <email>')
    .requiredOption('--name <name>')
    .option('--expires-in-days <n>')
    .action((options: { user: string; name: string; expiresInDays?: string }) =>
      run(() =>
        withCliDatabase(async (database) => {
          const owner = await findUserByEmail(database.db, options.user);
          if (!owner) throw new AppError('NOT_FOUND', `No user ${options.user}.`);
          const actor = { ...operator(), userId: owner.id };
          const created = await withViewer(database.db, { userId: owner.id, scope: actor.scope }, (trx) =>
            createToken(trx, actor, { name: options.name, expiresInDays: options.expiresInDays ? Number(options.expiresInDays) : null }),
          );
          progress(`Token "${created.name}" for ${owner.email}. It is shown only now; store it safely:`);
          process.stdout.write(`${created.token}\n`);
        }),
      ),
    );
  token
    .command('list')
    .requiredOption('--user <email>')
    .action((options: { user: string }) =>
      run(() =>
        withCliDatabase(async (database) => {
          const owner = await findUserByEmail(database.db, options.user);
          if (!owner) throw new AppError('NOT_FOUND', `No user ${options.user}.`);
          const actor = { ...operator(), userId: owner.id };
          const items = await withViewer(database.db, { userId: owner.id, scope: actor.scope }, (trx) => listOwnTokens(trx, actor));
          printTable(items as unknown as Array<Record<string, unknown>>, ['id', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt']);
        }),
      ),
    );
  token
    .command('revoke <id>')
    .requiredOption('--user <email>')
    .action((id: string, options: { user: string }) =>
      run(() =>
        withCliDatabase(async (database) => {
          const owner = await findUserByEmail(database.db, options.user);
          if (!owner) throw new AppError('NOT_FOUND', `No user ${options.user}.`);
          const actor = { ...operator(), userId: owner.id };
          const revoked = await withViewer(database.db, { userId: owner.id, scope: actor.scope }, (trx) => revokeToken(trx, actor, id));
          progress(`Revoked "${revoked.name}".`);
        }),
      ),
    );
}
