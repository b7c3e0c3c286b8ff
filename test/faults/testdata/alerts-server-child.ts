/**
 * A real server (startServer, 127.0.0.1 port 0) whose clock is a ManualClock moved by stdin, so
 * a test can kill the process with SIGKILL in the middle of alert evaluation. Prints
 * "listening <url>", then answers each {"op":"advance","ms":n} line (advance, tick the
 * evaluator, wait for it) with {"now":iso} once the periods due are evaluated and delivered.
 * Arguments: the database file, the clock's start (ISO).
 */
import { createInterface } from 'node:readline';
import { startServer } from '../../../server/start-server.js';
import { ManualClock } from '../../../contracts/clock.js';

const clock = new ManualClock(process.argv[3]!);
const server = await startServer({
  dbPath: process.argv[2]!,
  port: 0,
  clock,
  // Ticks only when told; catch up on every missed period (no Skipped span) so each must appear once.
  alerts: { tickMs: 24 * 3_600_000, maxCatchUpPeriods: 1_000 },
  savedSearches: { addSamples: false },
  dashboards: { addDefault: false },
});

let chain: Promise<void> = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  chain = chain.then(async () => {
    const command = JSON.parse(line) as { op: 'advance'; ms: number };
    // A tick asked for while one runs shares it: let the start's catch-up tick finish first.
    await server.alerts.evaluator.tick();
    clock.advance(command.ms);
    await server.alerts.evaluator.tick();
    await server.alerts.evaluator.settled();
    process.stdout.write(`${JSON.stringify({ now: clock.now().toISOString() })}\n`);
  });
});
process.stdout.write(`listening ${server.url}\n`);
