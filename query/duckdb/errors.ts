/** The errors a running query can end with, as diagnostics the CLI and workbench already print. */
import { Codes, QueryError, diagnostic, type Range } from '../../language/syntax/diagnostics.js';

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
 * Engine errors that are the query's problem, not the compiler's, with what to do about them.
 * Data or computed text can cause each, so the compiler cannot rule them out:
 * - a value leaving its type's range (long overflow, a datetime past what 64 bits of ns hold);
 * - a regular expression RE2 cannot read (user text: `matches regex`, extract, parse kind=regex);
 * - expressions nested deeper than DuckDB's parser takes (language/syntax/limits.ts refuses most first);
 * - running out of the engine's memory limit (`upkeep serve --query-memory`).
 */
const queryProblems: { pattern: RegExp; code: string; advice: (detail: string) => string }[] = [
  {
    pattern:
      /^(Out of Range Error: (Overflow (in \w+ of|on )|Needed scale \d+ to accurately represent|\w+ is out of range!)|Conversion Error: (Date out of range|Could not convert Timestamp\(US\) to Timestamp\(NS\)|Timestamp .*out of range|.*timestamp_ns conversion|Type (INT\d+|DOUBLE|DECIMAL\S*) with value \S+ can't be cast because the value is out of range))/,
    code: Codes.valueOutOfRange,
    advice: (detail) =>
      `A value went out of range while the query ran (${detail}): ints hold about ±2.1e9, longs and timespans ±9.2e18, ` +
      'datetimes 1678 to 2261. Check the arithmetic, or convert to real (todouble) before multiplying large numbers.',
  },
  {
    // RE2's parse errors, as DuckDB passes them on
    pattern: /^Invalid Input Error: (missing \)|unexpected \)|missing \]|invalid character class|invalid escape sequence|trailing \\|bad repetition operator|invalid nested repetition operator|invalid repetition size|missing argument to repetition operator|invalid named capture group|invalid perl operator|invalid UTF-8|pattern too large|bad inline flag|unexpected error)/,
    code: Codes.invalidRegex,
    advice: (detail) => `A regular expression in the query is not valid (${detail}). Regexes use RE2 syntax; escape ( ) [ ] { } . * + ? \\ with a backslash to match them literally.`,
  },
  {
    // DuckDB's own advice (SET memory_limit, threads) is for whoever runs the engine, not the query's author.
    pattern: /^Out of Memory Error: /,
    code: Codes.outOfMemory,
    advice: (detail) =>
      `The query needs more memory than the server allows (${memoryLimitOf(detail)}): reduce the rows it keeps — filter earlier, summarize, or take fewer ` +
      '(make_list, make_set, sort and join over many rows hold them all in memory).',
  },
  {
    pattern: /^Parser Error: Max expression depth limit of \d+ exceeded/,
    code: Codes.tooComplex,
    advice: () => 'The query nests expressions too deeply for the database (about a thousand levels). Split long chains of operators into several extend steps.',
  },
];

/** The diagnostic for an engine error that the query caused, or undefined for an internal error. */
export function queryProblemError(engineMessage: string, range: Range): QueryError | undefined {
  const known = queryProblems.find((p) => p.pattern.test(engineMessage));
  if (!known) return undefined;
  const detail = engineMessage.split('\n')[0]!.replace(/^[A-Za-z ]+Error: /, '');
  return new QueryError(diagnostic(known.code, range, known.advice(detail)));
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

/** The limit from DuckDB's "failed to allocate data of size 16.0 MiB (50.2 MiB/61.0 MiB used)", as `61.0 MiB`. */
function memoryLimitOf(detail: string): string {
  const limit = /\([\d.]+ \w+\/([\d.]+ \w+) used\)/.exec(detail)?.[1];
  return limit ? `${limit} for all queries and ingestion together` : 'its configured limit';
}

/** `30 s`, `0.2 s`, `1.5 s`. */
function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
