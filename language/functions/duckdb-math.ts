/** The DuckDB column of the numeric functions (math.ts) that DuckDB spells its own way. */
import type { FunctionOverrides } from './entry.js';
import type { SqlArg } from './spec.js';

/**
 * DuckDB rounds a decimal only to a constant number of digits: with a computed precision the
 * decimal is rounded as a real and converted back (found by the fuzzer: "not implemented").
 */
function roundSql(args: SqlArg[]): string {
  const [number, precision] = [args[0]!, args[1]];
  if (!precision) return `round(${number.sql})`;
  const digits = `CAST(${precision.sql} AS INTEGER)`;
  if (number.type === 'decimal' && precision.constant === undefined) return `CAST(round(CAST(${number.sql} AS DOUBLE), ${digits}) AS DECIMAL(38,18))`;
  return `round(${number.sql}, ${digits})`;
}

export const duckdbMathSql: FunctionOverrides = {
  // halves round away from zero, as Kusto's round(2.5) = 3
  round: roundSql,
  // null for values ≤ 0, as the guarded functions of math.ts
  log: '(CASE WHEN {0} > 0 THEN ln(CAST({0} AS DOUBLE)) ELSE NULL END)',
  isnan: 'isnan(CAST({0} AS DOUBLE))',
  isinf: 'isinf(CAST({0} AS DOUBLE))',
  isfinite: 'isfinite(CAST({0} AS DOUBLE))',
  // lower-case digits; negative numbers in two's complement
  tohex: (args) => {
    const hex = `lower(hex(${args[0]!.sql}))`;
    // lpad would cut a longer value; only pad
    return args[1] ? `(CASE WHEN length(${hex}) >= ${args[1].sql} THEN ${hex} ELSE lpad(${hex}, CAST(${args[1].sql} AS INTEGER), '0') END)` : hex;
  },
};
