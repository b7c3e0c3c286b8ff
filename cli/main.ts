/** `upkeep` — the command line. Exit codes: 0 success, 1 query error, 2 bad usage. */
import { Command, CommanderError } from 'commander';
import { registerQueryCommands } from './query-commands.js';
import { registerComplianceCommand } from './compliance-command.js';
import { registerSampleCommand } from './sample-command.js';
import { registerAgentCommand } from './agent-command.js';
import { registerSimulateCommand } from './simulate-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerWorkspaceCommands } from './workspace-commands.js';
import { registerDeploymentCommand } from './deployment-command.js';
import { registerRunCommand } from './run-command.js';
import { registerSavedCommand } from './saved-command.js';
import { registerAlertCommand } from './alert-command.js';

const program = new Command()
  .name('upkeep')
  .description('Self-hosted update management with a Kusto-style log query engine.')
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

registerQueryCommands(program);
registerComplianceCommand(program);
registerSampleCommand(program);
registerAgentCommand(program);
registerSimulateCommand(program);
registerServeCommand(program);
registerWorkspaceCommands(program);
registerDeploymentCommand(program);
registerRunCommand(program);
registerSavedCommand(program);
registerAlertCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are successes; every other commander error is bad usage.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`upkeep: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
