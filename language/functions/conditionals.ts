/**
 * Conditionals and null tests: iff, case, coalesce, isnull/isempty and friends, not. The null
 * tests read dynamic nulls, so their SQL is each dialect's (duckdb-dynamic.ts, clickhouse-sql.ts).
 */
import { Codes } from '../syntax/diagnostics.js';
import { isNumeric, widerNumeric, type ScalarType } from '../schema/types.js';
import { arg, type ArgProblem, type FunctionEntry } from './entry.js';
import type { SqlArg } from './spec.js';

/** The one type several branches share (numbers widen), or undefined when they disagree. */
export function commonType(types: readonly ScalarType[]): ScalarType | undefined {
  const first = types[0];
  if (!first) return undefined;
  if (types.every((t) => t === first)) return first;
  if (types.every(isNumeric)) return types.reduce(widerNumeric);
  return undefined;
}

function sameTypeProblem(fn: string, args: readonly SqlArg[], indexes: readonly number[]): ArgProblem | undefined {
  const types = indexes.map((i) => args[i]!.type);
  if (commonType(types)) return undefined;
  const bad = indexes.find((i) => args[i]!.type !== types[0]) ?? indexes[0]!;
  return {
    message: `${fn}() needs all its result values to have the same type, got ${[...new Set(types)].join(' and ')}. Convert them, e.g. with tostring().`,
    argIndex: bad,
  };
}

/** case(c1, v1, c2, v2, …, else): the value arguments are 1, 3, 5, … and the last. */
function caseValueIndexes(count: number): number[] {
  const indexes: number[] = [];
  for (let i = 1; i < count - 1; i += 2) indexes.push(i);
  indexes.push(count - 1);
  return indexes;
}

export const conditionalFunctions: readonly FunctionEntry[] = [
  {
    name: 'iff',
    aliases: ['iif'],
    kind: 'scalar',
    args: [arg('condition', 'bool'), arg('ifTrue', 'any'), arg('ifFalse', 'any')],
    returns: (args) => commonType([args[1]!.type, args[2]!.type]) ?? args[1]!.type,
    validate: (args) => sameTypeProblem('iff', args, [1, 2]),
    // a null condition takes the else branch, as in Kusto
    sql: { duckdb: 'CASE WHEN {0} THEN {1} ELSE {2} END' },
    doc: 'ifTrue when condition is true, else ifFalse.',
  },
  {
    name: 'case',
    kind: 'scalar',
    args: [arg('condition', 'bool'), arg('then', 'any'), arg('conditionOrElse', 'any', { variadic: true })],
    returns: (args) => commonType(caseValueIndexes(args.length).map((i) => args[i]!.type)) ?? args[1]!.type,
    validate: (args) => {
      if (args.length % 2 === 0) {
        return { message: 'case() expects condition/value pairs followed by one else value (an odd number of arguments).', code: Codes.wrongArity };
      }
      for (let i = 0; i < args.length - 1; i += 2) {
        if (args[i]!.type !== 'bool') return { message: `case() expects a bool condition as argument ${i + 1}, got ${args[i]!.type}.`, argIndex: i };
      }
      return sameTypeProblem('case', args, caseValueIndexes(args.length));
    },
    sql: {
      duckdb: (args) => {
        const whens: string[] = [];
        for (let i = 0; i < args.length - 1; i += 2) whens.push(`WHEN ${args[i]!.sql} THEN ${args[i + 1]!.sql}`);
        return `CASE ${whens.join(' ')} ELSE ${args[args.length - 1]!.sql} END`;
      },
    },
    doc: 'The value of the first true condition, else the last argument.',
  },
  {
    name: 'coalesce',
    kind: 'scalar',
    args: [arg('value', 'any'), arg('more', 'any', { variadic: true })],
    returns: (args) => commonType(args.map((a) => a.type)) ?? args[0]!.type,
    validate: (args) => sameTypeProblem('coalesce', args, args.map((_a, i) => i)),
    sql: {},
    doc: 'The first value that is not null (not empty, for strings).',
  },
  {
    name: 'isnull',
    kind: 'scalar',
    args: [arg('value', 'any')],
    returns: 'bool',
    sql: {},
    doc: 'true when the value is null (never for a string: isnull("") is false).',
  },
  {
    name: 'isnotnull',
    aliases: ['notnull'],
    kind: 'scalar',
    args: [arg('value', 'any')],
    returns: 'bool',
    sql: {},
    doc: 'true when the value is not null.',
  },
  {
    name: 'isempty',
    kind: 'scalar',
    args: [arg('value', 'any')],
    returns: 'bool',
    sql: {},
    doc: 'true when the value is null or the empty string.',
  },
  {
    name: 'isnotempty',
    aliases: ['notempty'],
    kind: 'scalar',
    args: [arg('value', 'any')],
    returns: 'bool',
    sql: {},
    doc: 'true when the value is neither null nor the empty string.',
  },
  {
    name: 'not',
    kind: 'scalar',
    args: [arg('condition', 'bool')],
    returns: 'bool',
    sql: { duckdb: '(NOT ({0}))' },
    doc: 'The logical negation of a bool.',
  },
];
