import { Command } from 'commander';
import { registerAdmin } from './commands/admin.ts';
import { registerAnalysts } from './commands/analysts.ts';
import { registerImport } from './commands/import.ts';
import { registerOrganisation } from './commands/organisation.ts';
import { registerSampling } from './commands/sampling.ts';
import { registerRollups } from './commands/rollups.ts';
import { registerStart } from './commands/start.ts';

const program = new Command()
  .name('assay')
  .description('Assay: quality assurance and training for Trust & Safety operations')
  .version('0.1.0')
  .showHelpAfterError();

registerStart(program);
registerAdmin(program);
registerOrganisation(program);
registerSampling(program);
registerRollups(program);
registerImport(program);
registerAnalysts(program);

await program.parseAsync(process.argv);
