/**
 * Whole queries from the grammar: a source (a record table, datatable, print, range, union, a
 * let), then a pipeline of operators that keeps track of the columns so later operators name
 * real ones. The record tables and their columns come from language/schema/tables.ts.
 */
import fc from 'fast-check';
import { recordTables } from '../../language/schema/tables.js';
import type { Column, ScalarType } from '../../language/schema/types.js';
import { aggregateFunctions, callOf, expr, quoteName, scalarTypes, type ExprContext } from './grammar-expressions.js';
import { pickerOf, type Picker } from './picker.js';

interface Stage {
  text: string;
  columns: Column[];
}

export const grammarQuery: fc.Arbitrary<string> = fc.gen().map((g) => query(pickerOf(g)));

export function query(p: Picker): string {
  let stage = source(p, 0);
  const operators = p.int(0, 5);
  for (let i = 0; i < operators; i++) stage = operator(stage, p, 0);
  // render must be the last operator
  return p.chance(0.1) ? `${stage.text}\n| render ${p.pick(['table', 'timechart', 'barchart with (kind=stacked)', 'piechart'])}` : stage.text;
}

function source(p: Picker, depth: number): Stage {
  const roll = depth > 1 ? p.int(0, 1) : p.int(0, 6);
  if (roll <= 1) {
    const table = p.pick(recordTables);
    return { text: table.name, columns: [...table.columns] };
  }
  if (roll === 2) return datatable(p);
  if (roll === 3) {
    const columns: Column[] = [];
    const parts = Array.from({ length: p.int(1, 3) }, (_, i) => {
      const type = p.pick(scalarTypes);
      columns.push({ name: `p${i}`, type });
      return `p${i} = ${expr(type, ctx(p, []))}`;
    });
    return { text: `print ${parts.join(', ')}`, columns };
  }
  if (roll === 4) return { text: `range x from ${p.int(-3, 3)} to ${p.pick(['5', '0', '100000', '-10'])} step ${p.pick(['1', '2', '-1', '7'])}`, columns: [{ name: 'x', type: 'long' }] };
  if (roll === 5) {
    const a = source(p, depth + 1);
    const b = source(p, depth + 1);
    return { text: `union ${p.chance(0.3) ? 'withsource=Src ' : ''}(${a.text}), (${b.text})`, columns: a.columns };
  }
  if (depth > 0) return datatable(p); // a let statement only starts a whole query
  const inner = operator(source(p, depth + 1), p, depth + 1);
  return { text: `let Src = ${inner.text};\nSrc`, columns: inner.columns };
}

function datatable(p: Picker): Stage {
  const columns = Array.from({ length: p.int(1, 3) }, (_, i): Column => ({ name: `c${i}`, type: p.pick(scalarTypes) }));
  const rows = p.int(0, 3);
  const cells: string[] = [];
  for (let r = 0; r < rows; r++) for (const c of columns) cells.push(expr(c.type, { ...ctx(p, []), depth: 4 }));
  return { text: `datatable(${columns.map((c) => `${c.name}:${c.type}`).join(', ')})[${cells.join(', ')}]`, columns };
}

function ctx(p: Picker, columns: readonly Column[]): ExprContext {
  return { p, columns, depth: 0 };
}

function someColumns(stage: Stage, p: Picker, max = 3): Column[] {
  if (stage.columns.length === 0) return [];
  return [...new Set(Array.from({ length: p.int(1, max) }, () => p.pick(stage.columns)))];
}

function names(columns: readonly Column[], p: Picker): string {
  return columns.map((c) => quoteName(c.name, p)).join(', ');
}

function ofType(stage: Stage, types: readonly ScalarType[]): Column[] {
  return stage.columns.filter((c) => types.includes(c.type));
}

function operator(stage: Stage, p: Picker, depth: number): Stage {
  const c = ctx(p, stage.columns);
  const pipe = (text: string, columns = stage.columns): Stage => ({ text: `${stage.text}\n| ${text}`, columns });
  switch (p.int(0, 19)) {
    case 0:
    case 1:
      return pipe(`${p.pick(['where', 'filter'])} ${expr('bool', c)}`);
    case 2: {
      const type = p.pick(scalarTypes);
      const name = p.chance(0.2) && stage.columns.length > 0 ? p.pick(stage.columns).name : `e${p.int(0, 9)}`;
      return pipe(`extend ${quoteName(name, p)} = ${expr(type, c)}`, [...stage.columns.filter((x) => x.name !== name), { name, type }]);
    }
    case 3: {
      const kept = someColumns(stage, p, 4);
      return kept.length ? pipe(`project ${names(kept, p)}`, kept) : stage;
    }
    case 4: {
      const away = someColumns(stage, p, 2);
      return away.length && (away.length < stage.columns.length || p.chance(0.1)) ? pipe(`project-away ${names(away, p)}`, stage.columns.filter((x) => !away.includes(x))) : stage;
    }
    case 5: {
      const [from] = someColumns(stage, p, 1);
      return from ? pipe(`project-rename R = ${quoteName(from.name, p)}`, [...stage.columns.filter((x) => x !== from), { name: 'R', type: from.type }]) : stage;
    }
    case 6:
      return summarize(stage, p, pipe);
    case 7: {
      const kept = someColumns(stage, p);
      return kept.length ? pipe(`distinct ${names(kept, p)}`, kept) : stage;
    }
    case 8:
      return pipe(`${p.pick(['take', 'limit'])} ${p.pick(['0', '1', '10', '1000'])}`);
    case 9:
    case 10: {
      const keys = someColumns(stage, p, 2);
      if (!keys.length) return stage;
      const order = () => p.pick(['', ' asc', ' desc', ' desc nulls first', ' asc nulls last']);
      if (p.chance(0.5)) return pipe(`top ${p.int(0, 20)} by ${quoteName(keys[0]!.name, p)}${order()}`);
      return pipe(`${p.pick(['sort', 'order'])} by ${keys.map((k) => quoteName(k.name, p) + order()).join(', ')}`);
    }
    case 11:
      return pipe('count', [{ name: 'Count', type: 'long' }]);
    case 12:
      return pipe(p.chance(0.5) ? 'serialize rn = row_number()' : 'getschema', p.chance(0.5) ? [...stage.columns, { name: 'rn', type: 'long' }] : stage.columns);
    case 13: {
      const dyn = ofType(stage, ['dynamic']);
      return dyn.length ? pipe(`mv-expand ${quoteName(p.pick(dyn).name, p)}${p.pick(['', ' to typeof(string)', ' to typeof(long)'])}`) : stage;
    }
    case 14: {
      const text = ofType(stage, ['string']);
      if (!text.length) return stage;
      const kind = p.pick(['', 'kind=regex ', 'kind=relaxed ', 'kind=simple ']);
      return pipe(`parse ${kind}${quoteName(p.pick(text).name, p)} with ${p.pick(['*', '"a"'])} ${p.pick(['"="', '" "', '"("', '"\\\\"'])} P1:${p.pick(['long', 'string', 'real', 'bool', 'datetime'])} ${p.pick(['*', '"," P2', ''])}`, [...stage.columns, { name: 'P1', type: 'string' }]);
    }
    case 15:
      return join(stage, p, depth, pipe);
    case 16: {
      const other = source(p, depth + 1);
      return pipe(`union (${other.text})`);
    }
    case 17: {
      const times = ofType(stage, ['datetime']);
      if (!times.length) return stage;
      return pipe(`make-series n = count() default = 0 on ${quoteName(p.pick(times).name, p)} ${p.pick(['', 'from ago(2d) to now() '])}step ${p.pick(['1h', '1d', '10m'])}`, [{ name: 'n', type: 'dynamic' }]);
    }
    case 18:
      return pipe(p.chance(0.5) ? 'as Snapshot' : `${p.pick(['take', 'top 3 by'])} ${stage.columns[0] && p.chance(0.5) ? quoteName(stage.columns[0].name, p) : '5'}`);
    default:
      return pipe(`extend ${quoteName(`s${p.int(0, 3)}`, p)} = ${callOf(p.pick(aggregateFunctions), c)}`); // an aggregate outside summarize
  }
}

function summarize(stage: Stage, p: Picker, pipe: (text: string, columns?: Column[]) => Stage): Stage {
  const c = ctx(p, stage.columns);
  const aggregates = Array.from({ length: p.int(0, 2) }, (_, i) => {
    const roll = p.int(0, 3);
    if (roll === 0) return { text: `a${i} = count()`, column: { name: `a${i}`, type: 'long' as ScalarType } };
    if (roll === 1 && stage.columns.length) return { text: `arg_max(${quoteName(p.pick(stage.columns).name, p)}, *)`, column: undefined };
    return { text: `a${i} = ${callOf(p.pick(aggregateFunctions), c)}`, column: { name: `a${i}`, type: 'dynamic' as ScalarType } };
  });
  const keys = someColumns(stage, p, 2).map((k) =>
    k.type === 'datetime' && p.chance(0.5) ? { text: `bin(${quoteName(k.name, p)}, ${p.pick(['1h', '1d', '0s', '-1h'])})`, column: k } : { text: quoteName(k.name, p), column: k },
  );
  const by = keys.length && p.chance(0.7) ? ` by ${keys.map((k) => k.text).join(', ')}` : '';
  const columns = [...(by ? keys.map((k) => k.column) : []), ...aggregates.flatMap((a) => (a.column ? [a.column] : stage.columns))];
  if (!aggregates.length && !by) return stage;
  return pipe(`summarize ${aggregates.map((a) => a.text).join(', ')}${by}`, columns);
}

function join(stage: Stage, p: Picker, depth: number, pipe: (text: string, columns?: Column[]) => Stage): Stage {
  if (depth > 1 || stage.columns.length === 0) return stage;
  const key = p.pick(stage.columns);
  const kind = p.pick(['inner', 'innerunique', 'leftouter', 'rightouter', 'fullouter', 'leftsemi', 'leftanti', 'rightsemi', 'rightanti']);
  const right = operator({ text: stage.text.split('\n')[0]!, columns: stage.columns }, p, depth + 1);
  const verb = p.chance(0.8) ? `join kind=${kind}` : `lookup kind=${p.pick(['leftouter', 'inner'])}`;
  return pipe(`${verb} (${right.text}) on ${quoteName(key.name, p)}`);
}
