/**
 * `upkeep agent`: the machine agent (agent/), the same as the packaged `upkeep-agent`. Settings
 * come from `--config FILE` (agent/agent-config.ts), flags given beside it win; or from the flags
 * alone. The key is read from `--key-file` (or the configuration's key_file); `--key` exists for
 * development only, since a command line is visible to every user in `ps`.
 * Exit codes: 0 delivered, 1 stopped (credentials, TLS, registration), 2 bad usage, 75 records left spooled.
 * What it does is in agent-action.ts, loaded when it runs.
 */
import { Command } from 'commander';
import type { AgentFlags } from './agent-action.js';

export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('Run the machine agent: register with the server, send heartbeats every minute and update assessments every 3 hours, and run the update deployments and "assess now" requests the server sends.')
    .option('--config <file>', 'read the settings from this file (as /etc/upkeep/agent.conf of the upkeep-agent package); flags given too win')
    .option('--server <url>', 'the Upkeep server, e.g. https://upkeep.example.com:8080')
    .option('--workspace <id>', 'workspace id (upkeep workspace show)')
    .option('--key-file <file>', 'a file holding the workspace primary key (base64), readable by its owner only (chmod 600)')
    .option('--key <key>', 'the workspace primary key itself (development only: other users see it in ps)')
    .option('--once', 'register, send one heartbeat and one assessment, deliver, exit (for cron and tests)')
    .option('--state-dir <dir>', 'where the agent keeps its identity and spool (default /var/lib/upkeep, else ~/.upkeep-agent)')
    .option('--allow-reboot', 'let update deployments reboot this machine (shutdown -r +1) when their reboot option asks; without it the restart is left pending for an administrator')
    .option('--ca <file>', 'PEM file of an extra authority to trust (a private or self-signed server certificate)')
    .action(async (flags: AgentFlags, command: Command) => {
      process.setSourceMapsEnabled(true); // a long-running agent's stack traces point into the TypeScript sources
      await (await import('./agent-action.js')).agent(flags, command);
    });
}
