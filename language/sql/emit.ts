/**
 * Plan → SQL. Every plan node becomes one SELECT over its input as a subquery; the engine's
 * optimiser flattens the nesting, and subquery order survives filters and projections, which
 * is how Kusto's "operators keep the order sort gave them" holds.
 */
import { Codes, QueryError, diagnostic, type Range } from '../syntax/diagnostics.js';
import type { NamedSql, Rel, SortSpec } from '../plan/plan.js';
import { UnsupportedOnStore, unsupportedIn, type Dialect, type UnsupportedShape } from './dialect.js';

export function emitSql(rel: Rel, dialect: Dialect): string {
  return new Emitter(dialect).rel(rel);
}

/** A store that cannot run a plan shape refuses it at compile time (E402), naming the store. */
function refuse(d: Dialect, shape: UnsupportedShape, rel: Rel): void {
  const reason = d.unsupported[shape];
  if (reason === undefined) return;
  const error = new UnsupportedOnStore(d.name, shape, reason);
  throw new QueryError(diagnostic(Codes.unsupportedOnStore, sourceOf(rel), `${error.message}. Run it on the embedded DuckDB store.`));
}

/** Where in the query text a node came from (the operator that made it). */
function sourceOf(rel: Rel): Range {
  return rel.range ?? { start: 0, end: 0 };
}

/** A stored table read inline, with the filters merged into its WHERE (Dialect.scansTablesInline). */
interface InlineScan {
  from: string;
  where: string[];
}

class Emitter {
  private aliasCount = 0;
  constructor(private readonly d: Dialect) {}

  rel(rel: Rel): string {
    switch (rel.kind) {
      case 'table':
        return `SELECT * FROM ${this.d.quoteIdent(rel.table)}`;
      case 'values':
        return this.values(rel);
      case 'range':
        return this.range(rel);
      case 'filter':
        return this.select('*', rel.input, [rel.predicate]);
      case 'project':
        return this.projected(rel.columns, rel.input);
      case 'aggregate':
        return this.aggregate(rel);
      case 'pick-row':
        return this.pickRow(rel);
      case 'distinct':
        return this.select('DISTINCT *', rel.input);
      case 'sort':
        return this.select('*', rel.input, [], ` ORDER BY ${this.orderBy(rel.keys)}`);
      case 'limit':
        return this.select('*', rel.input, [], ` LIMIT ${this.limitCount(rel)}`);
      case 'join':
        return this.join(rel);
      case 'union':
        return this.union(rel);
      case 'expand':
        refuse(this.d, 'mv-expand', rel);
        return this.expand(rel);
      case 'series':
        refuse(this.d, 'make-series', rel);
        return this.series(rel);
    }
  }

  /** ClickHouse takes only a number after LIMIT: a constant count is unwrapped from its casts. */
  private limitCount(rel: Extract<Rel, { kind: 'limit' }>): string {
    const sql = rel.count;
    if (!this.d.scansTablesInline) return sql;
    const constant = /^(?:CAST\()*(-?\d+)(?: AS [^()]+(?:\([^()]*\))?\))*$/.exec(sql.trim());
    if (constant) return String(Math.max(0, Number(constant[1])));
    throw new QueryError(diagnostic(Codes.unsupportedOnStore, sourceOf(rel), 'A row count computed per query (take/limit/top with an expression) is not supported on the ClickHouse store; use a constant number.'));
  }

  /** The stored table and merged filters under `rel`, when the dialect reads tables inline. */
  private inlineScan(rel: Rel): InlineScan | undefined {
    if (!this.d.scansTablesInline) return undefined;
    if (rel.kind === 'table') return { from: `${this.q(rel.table)} AS ${this.alias()}`, where: [] };
    if (rel.kind !== 'filter') return undefined;
    const inner = this.inlineScan(rel.input);
    return inner ? { from: inner.from, where: [...inner.where, `(${rel.predicate})`] } : undefined;
  }

  /** `SELECT <what> FROM input [WHERE …]<tail>`, reading a stored table inline where the dialect does. */
  private select(what: string, input: Rel, where: string[] = [], tail = ''): string {
    const scan = this.inlineScan(input);
    const from = scan ? scan.from : this.from(input);
    const conditions = [...(scan?.where ?? []), ...where];
    const whereSql = conditions.length === 0 ? '' : ` WHERE ${conditions.length === 1 && !scan ? conditions[0] : conditions.join(' AND ')}`;
    return `SELECT ${what} FROM ${from}${whereSql}${tail}`;
  }

  /**
   * A SELECT list over `input`. Where a SELECT alias shadows an input column (ClickHouse), the
   * computed columns get inner names first and are renamed in an outer SELECT, so every
   * expression reads the input's columns, as on DuckDB.
   */
  private projected(columns: readonly NamedSql[], input: Rel, tail = ''): string {
    if (!this.d.scansTablesInline || columns.length === 0) return this.select(this.list(columns), input, [], tail);
    const inner = columns.map((c, i) => `${c.sql} AS ${this.q(`__c${i}`)}`).join(', ');
    const outer = columns.map((c, i) => `${this.q(`__c${i}`)} AS ${this.q(c.name)}`).join(', ');
    return `SELECT ${outer} FROM (${this.select(inner, input, [], tail)}) AS ${this.alias()}`;
  }

  private alias(): string {
    return `_t${this.aliasCount++}`;
  }

  private from(input: Rel, alias = this.alias()): string {
    return `(${this.rel(input)}) AS ${alias}`;
  }

  private q(name: string): string {
    return this.d.quoteIdent(name);
  }

  private list(columns: readonly NamedSql[]): string {
    if (columns.length === 0) return 'NULL AS _empty';
    return columns
      .map((c) => {
        const name = this.q(c.name);
        return c.sql === name ? name : `${c.sql} AS ${name}`;
      })
      .join(', ');
  }

  private orderBy(keys: readonly SortSpec[]): string {
    return keys.map((k) => `${k.sql} ${k.descending ? 'DESC' : 'ASC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ');
  }

  private values(rel: Extract<Rel, { kind: 'values' }>): string {
    const names = rel.schema.map((c) => this.q(c.name));
    if (rel.rows.length === 0) {
      const nulls = rel.schema.map((c) => `CAST(NULL AS ${this.d.types[c.type]}) AS ${this.q(c.name)}`);
      return `SELECT ${nulls.join(', ')} ${this.d.forms.noRows}`;
    }
    if (this.d.forms.inlineRows) return this.d.forms.inlineRows(rel.rows, names, rel.schema.map((c) => c.type));
    // One SELECT per row keeps each column's declared type and the rows' order.
    const rows = rel.rows.map((row) => `SELECT ${row.map((v, i) => `${v} AS ${names[i]}`).join(', ')}`);
    return rows.length === 1 ? rows[0]! : `SELECT * FROM (${rows.join(' UNION ALL ')}) AS ${this.alias()}`;
  }

  /** Inclusive of `to`, like the reference; computed from an integer index so reals and datetimes work alike. */
  private range(rel: Extract<Rel, { kind: 'range' }>): string {
    const column = rel.schema[0]!;
    const count = `CAST(floor((${rel.to} - ${rel.from}) / ${rel.step}) AS BIGINT) + 1`;
    const value = `${rel.from} + _i * ${rel.step}`;
    const typed = column.type === 'datetime' ? this.d.fromEpochNanos(`CAST(${value} AS BIGINT)`) : value;
    return `SELECT ${typed} AS ${this.q(column.name)} FROM ${this.d.forms.integerRange(`greatest(${count}, 0)`, '_r')} ORDER BY _i`;
  }

  private aggregate(rel: Extract<Rel, { kind: 'aggregate' }>): string {
    const groupBy = rel.keys.length > 0 ? ` GROUP BY ${rel.keys.map((k) => k.sql).join(', ')}` : '';
    return this.projected([...rel.keys, ...rel.aggregates], rel.input, groupBy);
  }

  private pickRow(rel: Extract<Rel, { kind: 'pick-row' }>): string {
    if (this.d.pickRowWithLimitBy) {
      const limitBy = rel.keys.length > 0 ? ` LIMIT 1 BY ${rel.keys.map((k) => k.sql).join(', ')}` : ' LIMIT 1';
      return this.projected(rel.columns, rel.input, ` ORDER BY ${this.orderBy([rel.order])}${limitBy}`);
    }
    const partition = rel.keys.length > 0 ? `PARTITION BY ${rel.keys.map((k) => k.sql).join(', ')} ` : '';
    const window = `row_number() OVER (${partition}ORDER BY ${this.orderBy([rel.order])})`;
    if (this.d.forms.qualify) return this.d.forms.qualify(`SELECT ${this.list(rel.columns)} FROM ${this.from(rel.input)}`, `${window} = 1`);
    const inner = `SELECT ${this.list(rel.columns)}, ${window} AS _rn FROM ${this.from(rel.input)}`;
    return `SELECT ${rel.schema.map((c) => this.q(c.name)).join(', ')} FROM (${inner}) AS ${this.alias()} WHERE _rn = 1`;
  }

  private join(rel: Extract<Rel, { kind: 'join' }>): string {
    const on = rel.on.map((p) => `_l.${this.q(p.left)} = _r.${this.q(p.right)}`).join(' AND ');
    const nullable = nullableSides(rel.joinKind);
    const columns = rel.columns
      .map((c, i) => {
        const value = `${c.side === 'left' ? '_l' : '_r'}.${this.q(c.source)}`;
        // Kusto strings are never null: an unmatched side's strings are "".
        const text = nullable.has(c.side) && rel.schema[i]?.type === 'string' ? `coalesce(${value}, '')` : value;
        return `${text} AS ${this.q(c.name)}`;
      })
      .join(', ');
    const left = rel.joinKind === 'innerunique' ? this.uniqueOnKeys(rel.left, rel.on.map((p) => p.left)) : rel.left;
    if (this.d.joinSql) {
      return this.d.joinSql({
        kind: rel.joinKind,
        left: this.rel(left),
        right: this.rel(rel.right),
        leftColumns: left.schema.map((c) => c.name),
        rightColumns: rel.right.schema.map((c) => c.name),
        on: rel.on,
        columns: rel.columns.map((c, i) => ({ ...c, type: rel.schema[i]!.type })),
      });
    }
    if (rel.joinKind === 'rightouter' || rel.joinKind === 'fullouter' || rel.joinKind === 'rightsemi' || rel.joinKind === 'rightanti') {
      refuse(this.d, `${rel.joinKind} join`, rel);
    }
    if (this.d.pickRowWithLimitBy && (rel.joinKind === 'leftsemi' || rel.joinKind === 'leftanti')) {
      // no correlated EXISTS here: a tuple IN over the right side's keys (null keys match nothing either way)
      const keys = (side: '_l' | '_r', names: string[]) => `(${names.map((n) => `${side}.${this.q(n)}`).join(', ')})`;
      const rightKeys = `SELECT ${rel.on.map((p) => `_r.${this.q(p.right)}`).join(', ')} FROM ${this.from(rel.right, '_r')}`;
      return `SELECT ${columns} FROM ${this.from(left, '_l')} WHERE ${keys('_l', rel.on.map((p) => p.left))} ${rel.joinKind === 'leftanti' ? 'NOT ' : ''}IN (${rightKeys})`;
    }
    switch (rel.joinKind) {
      case 'leftsemi':
      case 'leftanti':
        return `SELECT ${columns} FROM ${this.from(left, '_l')} WHERE ${rel.joinKind === 'leftanti' ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${this.from(rel.right, '_r')} WHERE ${on})`;
      case 'rightsemi':
      case 'rightanti':
        return `SELECT ${columns} FROM ${this.from(rel.right, '_r')} WHERE ${rel.joinKind === 'rightanti' ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${this.from(left, '_l')} WHERE ${on})`;
      default:
        return `SELECT ${columns} FROM ${this.from(left, '_l')} ${joinKeyword[rel.joinKind]} ${this.from(rel.right, '_r')} ON ${on}`;
    }
  }

  /** innerunique: one (arbitrary) left row per key value, then an inner join. */
  private uniqueOnKeys(left: Rel, keys: string[]): Rel {
    const keyColumns = keys.map((k) => ({ name: k, sql: this.q(k) }));
    const columns = left.schema.map((c) => ({ name: c.name, sql: this.q(c.name) }));
    return { kind: 'pick-row', input: left, keys: keyColumns, order: { sql: '1', descending: false, nullsFirst: false }, columns, schema: left.schema };
  }

  private union(rel: Extract<Rel, { kind: 'union' }>): string {
    const parts = rel.inputs.map((input, i) => {
      const columns = rel.schema.map((c) => {
        if (rel.sourceColumn && c.name === rel.sourceColumn.name && i >= 0) {
          return `${this.d.stringLiteral(rel.sourceColumn.labels[i] ?? '')} AS ${this.q(c.name)}`;
        }
        const has = input.schema.some((ic) => ic.name === c.name);
        const missing = c.type === 'string' ? this.d.stringLiteral('') : `CAST(NULL AS ${this.d.types[c.type]})`;
        return `${has ? this.q(c.name) : missing} AS ${this.q(c.name)}`;
      });
      return `SELECT ${columns.join(', ')} FROM ${this.from(input)}`;
    });
    return parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(' UNION ALL ');
  }

  /**
   * mv-expand: arrays unnest in lock step (shorter ones pad with null); a bag expands into
   * one {key: value} bag per property; any other value counts as a one-element array.
   */
  private expand(rel: Extract<Rel, { kind: 'expand' }>): string {
    const unnest = this.d.forms.unnestDynamic ?? unsupportedIn(this.d, 'mv-expand');
    const expandedNames = new Set(rel.expanded.map((e) => e.name));
    const kept = rel.schema.filter((c) => !expandedNames.has(c.name) && c.name !== rel.itemIndex).map((c) => this.q(c.name));
    const unnested = unnest(rel.expanded.map((e) => e.sql), rel.expanded.map((e) => this.q(e.name)), rel.itemIndex === undefined ? undefined : this.q(rel.itemIndex));
    const inner = `SELECT ${[...kept, ...unnested].join(', ')} FROM ${this.from(rel.input)}`;
    const outer = `SELECT ${rel.schema.map((c) => this.q(c.name)).join(', ')} FROM (${inner}) AS ${this.alias()}`;
    return rel.limit ? `${outer} LIMIT ${rel.limit}` : outer;
  }

  private series(rel: Extract<Rel, { kind: 'series' }>): string {
    const orderedArray = this.d.forms.orderedDynamicArray ?? unsupportedIn(this.d, 'make-series');
    const binRows = this.d.forms.binNumbers ?? unsupportedIn(this.d, 'make-series');
    const keyAliases = rel.keys.map((_, i) => `_k${i}`);
    const src = `SELECT ${[...rel.keys.map((k, i) => `${k.sql} AS ${keyAliases[i]}`), `${rel.axis.sql} AS _axis`, '*'].join(', ')} FROM ${this.from(rel.input)}`;
    const from = rel.from ?? '(SELECT min(_axis) FROM _src)';
    const to = rel.to ?? `((SELECT max(_axis) FROM _src) + ${rel.step})`;
    const bins = `CAST(ceil((${to} - ${from}) / ${rel.step}) AS BIGINT)`;
    const grid = binRows(`greatest(${bins}, 0)`);
    const groups = `SELECT DISTINCT ${keyAliases.length ? keyAliases.join(', ') : '1 AS _one'} FROM _src`;
    const aggs = rel.aggregates.map((a, i) => `${a.sql} AS _a${i}`);
    const binOf = `CAST(floor((_axis - ${from}) / ${rel.step}) AS BIGINT)`;
    const agg = `SELECT ${[...keyAliases, `${binOf} AS _bin`, ...aggs].join(', ')} FROM _src WHERE _axis >= ${from} AND _axis < ${to} GROUP BY ${[...keyAliases, binOf].join(', ')}`;
    const joinOn = [...keyAliases.map((k) => `_grp.${k} IS NOT DISTINCT FROM _agg.${k}`), '_agg._bin = _grid._bin'].join(' AND ');
    const arrays = rel.aggregates.map((a, i) => `${orderedArray(`coalesce(_agg._a${i}, ${a.defaultSql})`, '_grid._bin')} AS ${this.q(a.name)}`);
    const axisValue = `(${from} + _grid._bin * ${rel.step})`;
    const axis = `${orderedArray(rel.axis.elementSql.replaceAll('__axis_value', axisValue), '_grid._bin')} AS ${this.q(rel.axis.name)}`;
    const keys = rel.keys.map((k, i) => `_grp.${keyAliases[i]} AS ${this.q(k.name)}`);
    const groupBy = keyAliases.length ? ` GROUP BY ${keyAliases.map((k) => `_grp.${k}`).join(', ')}` : '';
    return (
      `WITH _src AS (${src}), _grid AS (${grid}), _grp AS (${groups}), _agg AS (${agg}) ` +
      `SELECT ${[...keys, ...arrays, axis].join(', ')} FROM _grp CROSS JOIN _grid LEFT JOIN _agg ON ${joinOn}${groupBy}`
    );
  }
}

/** The sides whose columns an outer join may leave empty. */
function nullableSides(kind: string): Set<'left' | 'right'> {
  if (kind === 'leftouter') return new Set(['right']);
  if (kind === 'rightouter') return new Set(['left']);
  if (kind === 'fullouter') return new Set(['left', 'right']);
  return new Set();
}

const joinKeyword: Record<string, string> = {
  inner: 'INNER JOIN',
  innerunique: 'INNER JOIN',
  leftouter: 'LEFT OUTER JOIN',
  rightouter: 'RIGHT OUTER JOIN',
  fullouter: 'FULL OUTER JOIN',
};
