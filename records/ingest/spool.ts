/**
 * The spool: validated JSON bodies wait here as files for DuckDB's read_json. Files live only
 * until their transaction ends, so any found at start-up belong to requests that were never
 * acknowledged and are removed.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const suffix = '.ingest.json';

export class Spool {
  readonly directory: string;
  private next = 0;

  constructor(directory: string) {
    this.directory = resolve(directory);
    mkdirSync(this.directory, { recursive: true });
    for (const name of readdirSync(this.directory)) {
      if (name.endsWith(suffix)) rmSync(join(this.directory, name), { force: true });
    }
  }

  /** Writes `body` to a new file; no fsync — the data becomes durable in the database's commit. */
  async write(body: string | Uint8Array): Promise<string> {
    const file = this.newFile();
    await writeFile(file, body);
    return file;
  }

  /** A fresh file name in the spool, for a writer elsewhere (a worker thread). */
  newFile(): string {
    return join(this.directory, `${process.pid}-${this.next++}${suffix}`);
  }

  remove(file: string): void {
    unlink(file).catch(() => undefined);
  }
}
