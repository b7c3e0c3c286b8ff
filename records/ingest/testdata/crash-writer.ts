/**
 * For crash.test.ts: ingests batches into the database file given as argv[2] as fast as it can,
 * several at a time, printing "ack <batch id> <records> <checkpoints so far>" after each
 * acknowledgement, until killed. An optional argv[4] sets the log size (bytes) at which checkpoints
 * run under load, so a test can kill the writer while checkpoints run beside the commits.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { createRecordTables } from '../../store/duckdb-store.js';
import { createIngestor } from '../ingestor.js';

const [dbFile, spoolDir, busyWalBytes] = process.argv.slice(2) as [string, string, string | undefined];
const instance = await DuckDBInstance.create(dbFile);
const setup = await instance.connect();
await createRecordTables(setup);
setup.closeSync();
const ingestor = await createIngestor(instance, { spoolDir, ...(busyWalBytes ? { checkpoints: { busyWalBytes: Number(busyWalBytes) } } : {}) });
let next = 0;
async function sender(): Promise<never> {
  for (;;) {
    const id = `crash-${next++}`;
    const records = Array.from({ length: 200 }, (_, i) => ({ Computer: `${id}-${i}`, TimeGenerated: '2024-05-01T00:00:00Z' }));
    const result = await ingestor.ingestJson('Heartbeat', records, { batchId: id });
    process.stdout.write(`ack ${id} ${result.stored} ${ingestor.stats.checkpoints}\n`);
  }
}
process.stdout.write('ready\n');
await Promise.all([sender(), sender(), sender(), sender()]);
