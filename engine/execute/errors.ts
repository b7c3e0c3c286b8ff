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
