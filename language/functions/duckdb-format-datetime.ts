/** format_datetime on DuckDB: Kusto format specifiers → strftime and date_part, at compile time. */
import { tokenizeDatetimeFormat, unknownSpecifierMessage } from './datetime-parts.js';
import { nsPerSecond } from './duckdb-fragments.js';
import type { EmitContext } from './spec.js';

/** strftime equivalents of the padded and named specifiers. */
const strftimeTokens: Record<string, string> = {
  yyyy: '%Y', yy: '%y', MMMM: '%B', MMM: '%b', MM: '%m', dddd: '%A', ddd: '%a', dd: '%d',
  HH: '%H', hh: '%I', mm: '%M', ss: '%S', tt: '%p',
};
const unpaddedParts: Record<string, string> = { d: 'day', M: 'month', H: 'hour', m: 'minute', s: 'second' };

/** Nanoseconds into the current second. */
export function inSecondNs(dt: string, ctx: EmitContext): string {
  const e = ctx.dialect.epochNanos(dt);
  return `((((${e}) % ${nsPerSecond}) + ${nsPerSecond}) % ${nsPerSecond})`;
}

/** SQL for the specifiers strftime lacks (fractions, unpadded parts). */
function specifierSql(token: string, dt: string, ctx: EmitContext): string | undefined {
  const c = token[0]!;
  if ((c === 'f' || c === 'F') && token.length <= 7) {
    const ticks = `lpad(CAST(${inSecondNs(dt, ctx)} // 100 AS VARCHAR), 7, '0')`;
    const digits = `left(${ticks}, ${token.length})`;
    return c === 'f' ? digits : `rtrim(${digits}, '0')`; // F drops trailing zeros
  }
  if (token.length === 1 && unpaddedParts[c]) return `CAST(date_part('${unpaddedParts[c]}', ${dt}) AS VARCHAR)`;
  if (token === 'h') return `CAST((date_part('hour', ${dt}) + 11) % 12 + 1 AS VARCHAR)`;
  if (token === 'y') return `CAST(date_part('year', ${dt}) % 100 AS VARCHAR)`;
  return undefined;
}

/** SQL for a constant format, or a message naming the specifier Kusto does not know. */
export function formatDatetimeSql(dt: string, format: string, ctx: EmitContext): { sql: string } | { error: string } {
  const pieces: string[] = [];
  let strftime = '';
  const flush = () => {
    if (strftime) pieces.push(`strftime(${dt}, ${ctx.dialect.stringLiteral(strftime)})`);
    strftime = '';
  };
  for (const { token, literal } of tokenizeDatetimeFormat(format)) {
    if (literal) strftime += token.replaceAll('%', '%%');
    else if (strftimeTokens[token]) strftime += strftimeTokens[token];
    else {
      const sql = specifierSql(token, dt, ctx);
      if (!sql) return { error: unknownSpecifierMessage(token) };
      flush();
      pieces.push(sql);
    }
  }
  flush();
  return { sql: pieces.length === 0 ? "''" : pieces.length === 1 ? pieces[0]! : `concat(${pieces.join(', ')})` };
}
