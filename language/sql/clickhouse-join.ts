/**
 * Joins as ClickHouse 18.16 runs them correctly. Its JOIN mishandles columns of the joined
 * (second) table that share a name with the first table's columns, and the key columns named in
 * ON: it returns empty values for repeated matches or reads freed memory and crashes the server.
 * So the second table exposes every column under a fresh name (`__j<i>`), plus a separate copy of
 * each key for the ON clause (`__jk<j>`) that is never read back.
 *
 * rightouter runs as a LEFT JOIN with the sides swapped (18.16 fills RIGHT JOIN's unmatched rows
 * with defaults); fullouter as the left outer join plus the right rows without a match; the
 * semi and anti joins as tuple IN / NOT IN over the other side's keys (no correlated EXISTS).
 */
import type { JoinKind } from '../plan/plan.js';
import type { ScalarType } from '../schema/types.js';

export interface JoinParts {
  kind: JoinKind;
  /** SELECT statements of the two inputs (innerunique's left already reduced to one row per key). */
  left: string;
  right: string;
  leftColumns: readonly string[];
  rightColumns: readonly string[];
  on: readonly { left: string; right: string }[];
  columns: readonly { name: string; side: 'left' | 'right'; source: string; type: ScalarType }[];
}

type Side = 'left' | 'right';

export function clickhouseJoinSql(parts: JoinParts, quote: (name: string) => string, nullableType: (t: ScalarType) => string): string {
  const q = quote;
  const alias = (side: Side): string => (side === 'left' ? '_l' : '_r');
  const keysOf = (side: Side): string[] => parts.on.map((p) => p[side]);
  const columnsOf = (side: Side): readonly string[] => (side === 'left' ? parts.leftColumns : parts.rightColumns);
  const input = (side: Side): string => (side === 'left' ? parts.left : parts.right);

  /** The second table of a JOIN: every column renamed, keys copied for ON. */
  const renamed = (side: Side): string => {
    const cols = columnsOf(side).map((c, i) => `${q(c)} AS ${q(`__j${i}`)}`);
    const keys = keysOf(side).map((k, j) => `${q(k)} AS ${q(`__jk${j}`)}`);
    return `(SELECT ${[...cols, ...keys].join(', ')} FROM (${input(side)}) AS _jin)`;
  };

  /** A JOIN with `first` read by its own names and the other side renamed. */
  const joined = (first: Side, keyword: string): { from: string; ref: (side: Side, source: string) => string } => {
    const second: Side = first === 'left' ? 'right' : 'left';
    const on = parts.on.map((p, j) => `${alias(first)}.${q(p[first])} = ${alias(second)}.${q(`__jk${j}`)}`).join(' AND ');
    const from = `(${input(first)}) AS ${alias(first)} ${keyword} ${renamed(second)} AS ${alias(second)} ON ${on}`;
    const ref = (side: Side, source: string): string =>
      side === first ? `${alias(side)}.${q(source)}` : `${alias(side)}.${q(`__j${columnsOf(side).indexOf(source)}`)}`;
    return { from, ref };
  };

  // inner names first: a SELECT alias shadows an input column of the same name everywhere in the query
  const select = (value: (c: JoinParts['columns'][number]) => string): string =>
    parts.columns.map((c, i) => `${value(c)} AS ${q(`__o${i}`)}`).join(', ');
  const named = (sql: string): string => `SELECT ${parts.columns.map((c, i) => `${q(`__o${i}`)} AS ${q(c.name)}`).join(', ')} FROM (${sql}) AS _joined`;
  // Kusto strings are never null: an unmatched side's strings are "".
  const filled = (sql: string, type: ScalarType, mayBeMissing: boolean): string => (mayBeMissing && type === 'string' ? `ifNull(${sql}, '')` : sql);

  /** Rows of `side` whose keys are (not) among the other side's keys. */
  const semi = (side: Side, negated: boolean): string => {
    const other: Side = side === 'left' ? 'right' : 'left';
    const keys = (s: Side) => `(${keysOf(s).map((k) => `${alias(s)}.${q(k)}`).join(', ')})`;
    const otherKeys = `SELECT ${keysOf(other).map((k) => `${alias(other)}.${q(k)}`).join(', ')} FROM (${input(other)}) AS ${alias(other)}`;
    return `FROM (${input(side)}) AS ${alias(side)} WHERE ${keys(side)} ${negated ? 'NOT ' : ''}IN (${otherKeys})`;
  };

  switch (parts.kind) {
    case 'inner':
    case 'innerunique': {
      const j = joined('left', 'INNER JOIN');
      return named(`SELECT ${select((c) => j.ref(c.side, c.source))} FROM ${j.from}`);
    }
    case 'leftouter':
    case 'rightouter': {
      const kept: Side = parts.kind === 'leftouter' ? 'left' : 'right';
      const j = joined(kept, 'LEFT OUTER JOIN');
      return named(`SELECT ${select((c) => filled(j.ref(c.side, c.source), c.type, c.side !== kept))} FROM ${j.from}`);
    }
    case 'fullouter': {
      // both branches cast to one type per column: UNION ALL needs identical types
      const typed = (sql: string, type: ScalarType): string => (type === 'string' ? `ifNull(${sql}, '')` : `CAST(${sql} AS ${nullableType(type)})`);
      const j = joined('left', 'LEFT OUTER JOIN');
      const matched = `SELECT ${select((c) => typed(j.ref(c.side, c.source), c.type))} FROM ${j.from}`;
      const missing = (c: JoinParts['columns'][number]): string => (c.type === 'string' ? `''` : `CAST(NULL AS ${nullableType(c.type)})`);
      const unmatched = `SELECT ${select((c) => (c.side === 'left' ? missing(c) : typed(`_r.${q(c.source)}`, c.type)))} ${semi('right', true)}`;
      return named(`${matched} UNION ALL ${unmatched}`);
    }
    case 'leftsemi':
    case 'leftanti':
    case 'rightsemi':
    case 'rightanti': {
      const side: Side = parts.kind.startsWith('left') ? 'left' : 'right';
      return named(`SELECT ${select((c) => `${alias(c.side)}.${q(c.source)}`)} ${semi(side, parts.kind.endsWith('anti'))}`);
    }
  }
}
