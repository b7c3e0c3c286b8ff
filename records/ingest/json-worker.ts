/**
 * Worker thread for JSON bodies: parse, validate and spool off the main thread, so a burst of
 * large requests does not hold up the event loop the writer's commits (and the HTTP server)
 * run on. The body's bytes are spooled as sent; only the verdict comes back.
 */
import { writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { recordTables } from '../../language/schema/tables.js';
import { IngestError, type IngestProblem } from '../../contracts/ingest.js';
import { firstInvalidUtf8Byte } from './json-limits.js';
import { badBody, invalidUtf8 } from './problems.js';
import { compileJsonValidator } from './validate-json.js';

export interface ParseRequest {
  id: number;
  table: string;
  body: Uint8Array;
  timeGeneratedField?: string;
  /** Where to spool the body once it is valid. */
  file: string;
}

export type ParseReply = { id: number; ok: true; records: number } | { id: number; ok: false; problem: IngestProblem } | { id: number; ok: false; failure: string };

const validators = new Map(recordTables.map((t) => [t.name, compileJsonValidator(t)]));
const decoder = new TextDecoder();

function handle(request: ParseRequest): ParseReply {
  try {
    const invalid = firstInvalidUtf8Byte(request.body);
    if (invalid !== undefined) throw invalidUtf8(invalid);
    let records: unknown;
    try {
      records = JSON.parse(decoder.decode(request.body));
    } catch (error) {
      throw badBody(`The body is not valid JSON (${(error as Error).message}); send a JSON array of records.`);
    }
    const count = validators.get(request.table)!.validate(records, request.timeGeneratedField);
    if (count > 0) writeFileSync(request.file, request.body);
    return { id: request.id, ok: true, records: count };
  } catch (error) {
    if (error instanceof IngestError) return { id: request.id, ok: false, problem: error.problem };
    return { id: request.id, ok: false, failure: error instanceof Error ? error.message : String(error) };
  }
}

parentPort?.on('message', (request: ParseRequest) => parentPort!.postMessage(handle(request)));
