/** Source positions and diagnostics shared by every stage (pure data, browser-safe). */

/** Half-open character range [start, end) into the query text. */
export interface Range {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable code, e.g. `E201`; tests assert codes and ranges, not wording. */
  code: string;
  severity: Severity;
  range: Range;
  /** Says what is wrong and how to fix it. */
  message: string;
}

/**
 * Diagnostic codes. One place, so the editor, the CLI and the docs agree.
 * E1xx syntax, E2xx names, E3xx types and arity, E4xx unsupported, E5xx limits, E9xx internal.
 */
export const Codes = {
  syntax: 'E101',
  unterminatedString: 'E102',
  badLiteral: 'E103',
  unknownTable: 'E201',
  unknownColumn: 'E202',
  unknownFunction: 'E203',
  unknownName: 'E204',
  duplicateColumn: 'E205',
  typeMismatch: 'E301',
  wrongArity: 'E302',
  notAggregate: 'E303',
  aggregateOutsideSummarize: 'E304',
  notTabular: 'E305',
  notScalar: 'E306',
  constantRequired: 'E307',
  /** A regular expression RE2 cannot read (found while the query ran). */
  invalidRegex: 'E308',
  unsupported: 'E401',
  /** The query is valid but the configured store (e.g. ClickHouse) cannot run it. */
  unsupportedOnStore: 'E402',
  rowLimit: 'E501',
  timeout: 'E502',
  cancelled: 'E503',
  noDatabase: 'E504',
  /** A value left the range of its type while the query ran (long overflow, a datetime past 2262). */
  valueOutOfRange: 'E505',
  /** Expressions nested deeper, chains or pipelines longer than the compiler and the database take. */
  tooComplex: 'E506',
  /** The query needed more memory than the database engine may use. */
  outOfMemory: 'E507',
  internal: 'E901',
} as const;

export type Code = (typeof Codes)[keyof typeof Codes];

export function diagnostic(code: string, range: Range, message: string, severity: Severity = 'error'): Diagnostic {
  return { code, severity, range, message };
}

/** 1-based line and column of an offset, as editors and the CLI show them. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** `line:col: CODE: message`, the CLI's error line. */
export function formatDiagnostic(text: string, d: Diagnostic): string {
  const { line, column } = lineColumn(text, d.range.start);
  return `${line}:${column}: ${d.code}: ${d.message}`;
}

/** A thrown diagnostic, for stages that stop at the first error. */
export class QueryError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'QueryError';
  }
}

/** Levenshtein-closest names, for "did you mean" suggestions. */
export function closestNames(name: string, candidates: Iterable<string>, max = 3): string[] {
  const lower = name.toLowerCase();
  const scored: { c: string; d: number }[] = [];
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    const limit = Math.max(2, Math.floor(name.length / 3));
    if (d <= limit) scored.push({ c, d });
  }
  return scored.sort((a, b) => a.d - b.d || a.c.localeCompare(b.c)).slice(0, max).map((s) => s.c);
}

export function didYouMean(name: string, candidates: Iterable<string>): string {
  const close = closestNames(name, candidates);
  if (close.length === 0) return '';
  return ` Did you mean ${close.map((c) => `'${c}'`).join(' or ')}?`;
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
