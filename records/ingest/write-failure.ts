/** What a failed write means for the sender: its own data (400) or the store (503). */
import { IngestError } from '../../contracts/ingest.js';
import { storageUnavailable } from './problems.js';

export function describeWriteFailure(error: unknown): IngestError {
  if (error instanceof IngestError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // Validation mirrors DuckDB's casts; should a value still slip through, DuckDB names it.
  if (/^(Conversion|Invalid Input) Error/.test(message)) {
    return new IngestError({ status: 400, code: 'WrongType', message: `A value could not be stored: ${firstLine(message)}` });
  }
  return storageUnavailable(firstLine(message));
}

/** The spool file's path means nothing to the sender (and tells it about the server's disk). */
function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/ in file "[^"]*"/, ' in the request body').slice(0, 300);
}
