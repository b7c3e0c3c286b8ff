/** `upkeep simulate`: a virtual fleet running the real agent code against a server, on accelerated time. What it does is in simulate-action.ts, loaded when it runs. */
import { Command, InvalidArgumentError } from 'commander';
import type { SimulateFlags } from './simulate-action.js';

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('Drive a virtual fleet (Windows and Linux agents, real agent code, simulated update sources) through the server API on accelerated time.')
    .requiredOption('--server <url>', 'the Upkeep server, e.g. http://127.0.0.1:8080')
    .requiredOption('--workspace <id>', 'workspace id (upkeep workspace show)')
    .requiredOption('--key <key>', 'the workspace primary key (base64)')
    .option('--machines <n>', 'virtual machines (1–100000)', bounded('--machines', 1, 100_000), 100)
    .option('--speed <x>', 'simulated seconds per real second (60: a day in 24 minutes)', bounded('--speed', 1, 1_000_000), 60)
    .option('--duration <d>', 'simulated time, e.g. 90m, 6h, 1d', duration, 86_400_000)
    .option('--seed <n>', 'random seed of the fleet', bounded('--seed', 0, 2 ** 31 - 1), 1)
    .action(async (flags: SimulateFlags) => (await import('./simulate-action.js')).simulate(flags));
}

function bounded(flag: string, min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) throw new InvalidArgumentError(`${flag} must be a number from ${min} to ${max}, got "${value}".`);
    return parsed;
  };
}

function duration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|h|d)$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`--duration takes a number and a unit (m, h or d), e.g. 90m, 6h, 1d; got "${value}".`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
  return Math.round(Number(match[1]) * unit);
}
