/**
 * From a query's rows to one measured value per alert instance. Rows group by the dimension
 * columns' values; each group's value is its row count or an aggregate of the measure column.
 *
 * NoData, decided here: a row count over no rows is 0 — a real answer ("nothing matched") that
 * is compared with the threshold like any other. An aggregate over no rows (or over nothing but
 * nulls, for avg/min/max/sum) has no value: the instance is NoData for that period.
 */
import type { QueryResult, ResultValue } from '../../language/values/result.js';
import type { AlertRule, DimensionValue, Measure } from '../../contracts/alerts.js';

export interface MeasuredInstance {
  key: string;
  dimensions: Record<string, DimensionValue>;
  /** null: NoData. */
  value: number | null;
}

/** The key of an instance: JSON of its dimension values in the rule's order ("{}" without dimensions). */
export function instanceKey(dimensions: Record<string, DimensionValue>, names: readonly string[]): string {
  return JSON.stringify(Object.fromEntries(names.map((n) => [n, dimensions[n] ?? null])));
}

export function measureInstances(rule: Pick<AlertRule, 'dimensions' | 'measure'>, result: Pick<QueryResult, 'columns' | 'rows'>): MeasuredInstance[] {
  const indexOf = (name: string): number => {
    const i = result.columns.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`the query's result has no column "${name}" any more (it has ${result.columns.map((c) => c.name).join(', ')}); change the rule or the query.`);
    return i;
  };
  const dimensionIndexes = rule.dimensions.map(indexOf);
  const measureIndex = rule.measure.kind === 'column' ? indexOf(rule.measure.column) : -1;
  const groups = new Map<string, { dimensions: Record<string, DimensionValue>; rows: ResultValue[][] }>();
  for (const row of result.rows) {
    const dimensions = Object.fromEntries(rule.dimensions.map((name, i) => [name, dimensionValue(row[dimensionIndexes[i]!])]));
    const key = instanceKey(dimensions, rule.dimensions);
    const group = groups.get(key) ?? { dimensions, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  if (rule.dimensions.length === 0 && groups.size === 0) groups.set('{}', { dimensions: {}, rows: [] });
  return [...groups.entries()].map(([key, g]) => ({ key, dimensions: g.dimensions, value: valueOf(rule.measure, g.rows, measureIndex) }));
}

/** The value of an instance that returned no rows this period. */
export function valueOfNoRows(measure: Measure): number | null {
  return measure.kind === 'rowCount' ? 0 : null;
}

function valueOf(measure: Measure, rows: ResultValue[][], column: number): number | null {
  if (measure.kind === 'rowCount') return rows.length;
  if (rows.length === 0) return null;
  const values = rows.map((r) => toNumber(r[column])).filter((v): v is number => v !== null);
  switch (measure.aggregation) {
    case 'count':
      return values.length;
    case 'sum':
      return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return values.length === 0 ? null : Math.min(...values);
    case 'max':
      return values.length === 0 ? null : Math.max(...values);
  }
}

function toNumber(value: ResultValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value); // decimal arrives as an exact string
  return null;
}

function dimensionValue(value: ResultValue | undefined): DimensionValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}
