/**
 * `upkeep-agent`: the machine agent on its own (the Debian package runs this bundle from
 * systemd). Everything comes from the configuration file; the workspace key from the key file
 * it names, never from the command line. Exit codes: 0 delivered (or configuration fine),
 * 1 stopped (credentials, TLS, registration), 2 bad usage or configuration, 75 records left spooled.
 */
import { parseArgs } from 'node:util';
import { agentEndpoint, ConfigError, defaultConfigPath, readAgentConfig } from './agent-config.js';
import { runAgentProcess } from './agent-process.js';

/** Replaced by the package build (esbuild `define`); a source checkout says so. */
declare const UPKEEP_AGENT_VERSION: string | undefined;
const version = typeof UPKEEP_AGENT_VERSION === 'string' ? UPKEEP_AGENT_VERSION : 'source checkout';

const usage = `usage: upkeep-agent [--config FILE] [--once] [--check-config]

Runs the Upkeep agent: registers with the server, sends a heartbeat every minute and an update
assessment every 3 hours, and runs the update deployments and "assess now" requests the server sends.

  --config FILE    the configuration (default ${defaultConfigPath})
  --once           register, send one heartbeat and one assessment, deliver, exit
  --check-config   read the configuration and the key file, say what is wrong, exit (0 = complete)
  --version        print the version
  --help           this text
`;

async function main(argv: string[]): Promise<number> {
  let flags: { config?: string; once?: boolean; 'check-config'?: boolean; version?: boolean; help?: boolean };
  try {
    flags = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        once: { type: 'boolean' },
        'check-config': { type: 'boolean' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    process.stderr.write(`upkeep-agent: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (flags.help) return print(usage);
  if (flags.version) return print(`upkeep-agent ${version}\n`);
  try {
    const config = readAgentConfig(flags.config ?? defaultConfigPath);
    const endpoint = agentEndpoint(config);
    if (flags['check-config']) return print(`${config.path}: complete (server ${config.server}, workspace ${config.workspaceId}, key from ${config.keyFile}, state in ${config.stateDir})\n`);
    return await runAgentProcess({ endpoint, stateDir: config.stateDir, once: flags.once ?? false, allowReboot: config.allowReboot, command: 'upkeep-agent' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`upkeep-agent: ${error.message}\n`);
    return 2;
  }
}

function print(text: string): number {
  process.stdout.write(text);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
