import type { Command } from 'commander';
import { startAssay } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { countUsers, findUserByEmail } from '../../db/repositories/users.repository.ts';
import { DEMO_PASSWORD, demoSignIns, loadDemo } from '../../demo/load-demo.ts';
import { progress, reportError } from '../output.ts';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('Start Assay: database (embedded unless DATABASE_URL), migrations, jobs and the web server')
    .option('--demo', 'load the demo organisation when the database is empty')
    .action(async (options: { demo?: boolean }) => {
      const started = Date.now();
      const config = loadConfig();
      let demoLoaded = false;
      let demoPresent = false;
      let running;
      try {
        running = await startAssay({
          config,
          onProgress: progress,
          async prepare(database) {
            if (options.demo && (await countUsers(database.db)) === 0) {
              progress('Loading the demo organisation (first start only) …');
              await loadDemo(database.db, { onProgress: progress });
              demoLoaded = true;
            }
            demoPresent = Boolean(await findUserByEmail(database.db, demoSignIns()[0]!.email));
          },
        });
      } catch (error) {
        process.exitCode = reportError(error);
        return;
      }
      const app = running;
      const lines = [``, `Assay is ready on ${app.url}  (${((Date.now() - started) / 1000).toFixed(1)} s)`];
      if (app.setupCode) {
        lines.push(
          `No users yet. Open ${app.url}/setup and enter the one-time setup code ${app.setupCode}`,
          `or run: assay user create --role admin --email you@example.com --name "Your Name"`,
        );
      } else if (demoPresent) {
        lines.push(`Demo sign-ins${demoLoaded ? '' : ' (demo loaded earlier)'}, password "${DEMO_PASSWORD}":`);
        for (const user of demoSignIns()) lines.push(`  ${user.email.padEnd(32)} ${user.description}`);
      }
      lines.push(`API docs: ${app.url}/api/docs    Stop with Ctrl-C.`, ``);
      progress(lines.join('\n'));

      let signals = 0;
      const shutdown = async (signal: string) => {
        signals += 1;
        if (signals > 1) {
          progress('Forced exit.');
          process.exit(130);
        }
        progress(`${signal}: shutting down …`);
        await app.stop();
        progress('Stopped.');
        process.exit(0);
      };
      process.on('SIGINT', () => void shutdown('SIGINT'));
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
    });
}
