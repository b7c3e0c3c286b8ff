/** The errors a running query can end with, as diagnostics the CLI and workbench already print. */
import { Codes, QueryError, diagnostic, type Range } from '../../grammar/diagnostics.js';

export function timeoutError(timeoutMs: number, range: Range): QueryError {
  return new QueryError(
    diagnostic(
      Codes.timeout,
      range,
      `The query ran longer than the ${formatSeconds(timeoutMs)} limit. ` +
        'Narrow the time range or add filters; raise the limit with --timeout.',
    ),
  );
}

export function cancelledError(range: Range): QueryError {
  return new QueryError(diagnostic(Codes.cancelled, range, 'The query was cancelled before it finished.'));
}

/**
 * DuckDB's words for a value that left its type's range while the query ran: long arithmetic
 * overflow, a datetime or timespan past what 64 bits of nanoseconds hold. Data can cause these,
 * so the compiler cannot rule them out; they are the query's problem, not an internal error.
 */
const outOfRange = /^(Out of Range Error: Overflow in \w+ of|Conversion Error: (Date out of range|Timestamp .*out of range|.*timestamp_ns conversion))/;

export function isOutOfRange(engineMessage: string): boolean {
  return outOfRange.test(engineMessage);
}

export function outOfRangeError(engineMessage: string, range: Range): QueryError {
  const detail = engineMessage.split('\n')[0]!.replace(/^[A-Za-z ]+Error: /, '');
  return new QueryError(
    diagnostic(
      Codes.valueOutOfRange,
      range,
      `A value went out of range while the query ran (${detail}): longs and timespans hold about ±9.2e18, ` +
        'datetimes 1678 to 2261. Check the arithmetic, or convert to real (todouble) before multiplying large numbers.',
    ),
  );
}

/** A failure the compiler should have prevented: say so, and keep the engine's own words for the report. */
export function internalError(engineMessage: string, range: Range): QueryError {
  return new QueryError(
    diagnostic(
      Codes.internal,
      range,
      `Internal error: the compiled query failed in the database engine (please report this with the query). ` +
        `Engine message: ${engineMessage}`,
    ),
  );
}

/** `30 s`, `0.2 s`, `1.5 s`. */
function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
