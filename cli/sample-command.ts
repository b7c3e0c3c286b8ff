/** `upkeep sample`: writes the deterministic sample fleet into the DuckDB file. What it does is in sample-action.ts, loaded when it runs. */
import { Command, InvalidArgumentError } from 'commander';
import { defaultSampleOptions, sampleLimits } from '../samples/sample-limits.js';
import { defaultDatabasePath } from '../records/store/database-path.js';
import type { SampleFlags } from './sample-action.js';

export function registerSampleCommand(program: Command): void {
  program
    .command('sample')
    .description('Write a deterministic sample fleet (heartbeats, assessments, deployment runs, events) into the database.')
    .option('--machines <n>', `machines in the fleet (${range('machines')})`, wholeNumber('--machines', 'machines'), defaultSampleOptions.machines)
    .option('--days <n>', `days of history (${range('days')})`, wholeNumber('--days', 'days'), defaultSampleOptions.days)
    .option('--seed <n>', `random seed (${range('seed')})`, wholeNumber('--seed', 'seed'), defaultSampleOptions.seed)
    .option('--db <path>', 'DuckDB database file', defaultDatabasePath)
    .option('--end <iso>', 'time of the last heartbeat, e.g. 2024-06-01T12:00:00Z (default: now)', isoDate)
    .option('--if-missing', 'do nothing when the database already holds records')
    .option('--replace', 'empty the record tables before writing the sample')
    .action(async (flags: SampleFlags, command: Command) => (await import('./sample-action.js')).sample(flags, command));
}

function range(name: keyof typeof sampleLimits): string {
  const { min, max } = sampleLimits[name];
  return `${grouped(min)}–${grouped(max)}`;
}

/** 100000 → "100,000" without toLocaleString, whose first call loads ICU's locale data (~20 ms of every start). */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function wholeNumber(flag: string, name: keyof typeof sampleLimits): (value: string) => number {
  const { min, max } = sampleLimits[name];
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} needs a whole number from ${min} to ${max}, got '${value}'.`);
    }
    return n;
  };
}

function isoDate(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError(`--end needs an ISO 8601 time such as 2024-06-01T12:00:00Z, got '${value}'.`);
  return date;
}
