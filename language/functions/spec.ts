/**
 * The shape of the function catalogue: every scalar function, aggregate and operator is one
 * data entry (name, arguments, result type, SQL per dialect). Adding a function means adding
 * one entry in one of the files beside this one.
 */
import type { Dialect, DialectName } from '../sql/dialect.js';
import type { ScalarType } from '../schema/types.js';

/** A compile-time constant: datetime and timespan values are nanoseconds (since the epoch). */
export interface Constant {
  type: ScalarType;
  value: string | number | bigint | boolean | null;
}

/** An argument after resolution: its SQL text, its Kusto type, and its value if constant. */
export interface SqlArg {
  sql: string;
  type: ScalarType;
  constant?: Constant;
  /**
   * For a datetime bin (`bin(t, 1h)`): the bin's number (`index`) and width in nanoseconds, so
   * the value is `index * step` nanoseconds since the epoch. Grouping on the small index and
   * converting once per group is ~1.3× faster than grouping on the datetime itself.
   */
  bucket?: Bucket;
}

export interface Bucket {
  index: string;
  step: string;
}

export interface EmitContext {
  dialect: Dialect;
  /** `now()` is evaluated once per query: this is its value in nanoseconds since the epoch. */
  nowNs: bigint;
}

/** `'lower({0})'` — `{n}` is argument n's SQL, `{*}` all arguments joined by `, `. */
export type SqlTemplate = string | ((args: SqlArg[], ctx: EmitContext) => string);

/** Which types an argument accepts. Integers widen to long/real as Kusto allows. */
export type ArgType = ScalarType | readonly ScalarType[] | 'any' | 'numeric' | 'scalar';

export interface ArgSpec {
  name: string;
  type: ArgType;
  optional?: boolean;
  /** The last spec may repeat: `strcat(a, b, …)`. */
  variadic?: boolean;
  /** Must be a compile-time constant (e.g. a format string, a regex). */
  constant?: boolean;
}

export interface FunctionSpec {
  name: string;
  aliases?: readonly string[];
  kind: 'scalar' | 'aggregate';
  args: readonly ArgSpec[];
  returns: ScalarType | ((args: readonly SqlArg[]) => ScalarType);
  /** SQL per dialect; a missing dialect means "not supported on that store". */
  sql: Partial<Record<DialectName, SqlTemplate>>;
  /** Datetime bins only: the bin number and width (see `SqlArg.bucket`). */
  bucket?: Partial<Record<DialectName, (args: SqlArg[], ctx: EmitContext) => Bucket>>;
  /**
   * Aggregates: the output column name when none is given, from the first argument's name (`sum_x`, `count_`).
   * `args` (optional) lets a name use a constant argument, e.g. `percentile_x_50`.
   */
  defaultName?: (firstArgName: string | undefined, args?: readonly SqlArg[]) => string;
  /** One line for completion and hover. */
  doc: string;
}

export function renderTemplate(template: SqlTemplate, args: SqlArg[], ctx: EmitContext): string {
  if (typeof template === 'function') return template(args, ctx);
  return template.replace(/\{(\*|\d+)\}/g, (_m, key: string) => {
    if (key === '*') return args.map((a) => a.sql).join(', ');
    const arg = args[Number(key)];
    if (!arg) throw new Error(`template ${template} needs argument ${key}`);
    return arg.sql;
  });
}

/**
 * Thrown by a dialect's SQL form for arguments that store cannot handle with Kusto's semantics;
 * the catalogue reports it as "not supported on the … store" (E402) at the call.
 */
export class NotOnStore extends Error {
  constructor(readonly what: string) {
    super(what);
    this.name = 'NotOnStore';
  }
}
