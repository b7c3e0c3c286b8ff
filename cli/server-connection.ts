/**
 * What the commands that talk to a running server share: the connection flags (--server,
 * --token, --format) and the plain-text table they print.
 */
import { Option, type Command } from 'commander';

/** Adds --server (default $UPKEEP_SERVER or the local server), --token and --format. */
export function withServerConnection(command: Command, tokenHelp: string): Command {
  return command
    .option('--server <url>', 'the Upkeep server', process.env.UPKEEP_SERVER ?? 'http://127.0.0.1:8080')
    .option('--token <token>', `bearer token (default: $UPKEEP_TOKEN)${tokenHelp}`)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'));
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
