/**
 * The plan: a tree of relational nodes, plain data, produced by language/analyze and turned into
 * SQL by language/sql/emit.ts. Scalar expressions are already rendered for the target dialect
 * (the function catalogue holds SQL per dialect), so the emitter only assembles SELECTs.
 * Every node carries its output schema, with Kusto types.
 */
import type { Column } from '../schema/types.js';
import type { Range } from '../syntax/diagnostics.js';

export interface NamedSql {
  name: string;
  sql: string;
}

export interface SortSpec {
  sql: string;
  descending: boolean;
  nullsFirst: boolean;
}

export type JoinKind =
  | 'innerunique'
  | 'inner'
  | 'leftouter'
  | 'rightouter'
  | 'fullouter'
  | 'leftanti'
  | 'rightanti'
  | 'leftsemi'
  | 'rightsemi';

interface Base {
  schema: Column[];
  /**
   * The operator (or source) in the query text that made this node, so a store that cannot
   * run the node points its "not supported" diagnostic there.
   */
  range?: Range;
}

export type Rel =
  | ({ kind: 'table'; table: string } & Base)
  /** Inline rows (`datatable`, `print`): each row a list of SQL values in schema order. */
  | ({ kind: 'values'; rows: string[][] } & Base)
  | ({ kind: 'range'; from: string; to: string; step: string } & Base)
  | ({ kind: 'filter'; input: Rel; predicate: string } & Base)
  /** Computes exactly the columns of `schema`, in order. */
  | ({ kind: 'project'; input: Rel; columns: NamedSql[] } & Base)
  | ({ kind: 'aggregate'; input: Rel; keys: NamedSql[]; aggregates: NamedSql[] } & Base)
  /**
   * `summarize arg_max(e, …) by k`: one whole row per group, picked by a window
   * (`row_number() … = 1`), far faster than aggregating every column.
   */
  | ({ kind: 'pick-row'; input: Rel; keys: NamedSql[]; order: SortSpec; columns: NamedSql[] } & Base)
  | ({ kind: 'distinct'; input: Rel } & Base)
  | ({ kind: 'sort'; input: Rel; keys: SortSpec[] } & Base)
  | ({ kind: 'limit'; input: Rel; count: string } & Base)
  | ({
      kind: 'join';
      joinKind: JoinKind;
      left: Rel;
      right: Rel;
      /** Pairs of column names (left side, right side). */
      on: { left: string; right: string }[];
      /** Output columns: where each comes from. */
      columns: { name: string; side: 'left' | 'right'; source: string }[];
      /** `lookup`: key columns appear once, taken from the left. */
    } & Base)
  | ({ kind: 'union'; inputs: Rel[]; sourceColumn?: { name: string; labels: string[] } } & Base)
  /** `mv-expand`: unnest JSON arrays in lock step. */
  | ({
      kind: 'expand';
      input: Rel;
      expanded: NamedSql[];
      itemIndex?: string;
      limit?: string;
    } & Base)
  /**
   * `make-series`: per group, one array per aggregate over a fixed grid of bins
   * [from, to) by step; empty bins take the aggregate's default.
   */
  | ({
      kind: 'series';
      input: Rel;
      keys: NamedSql[];
      /**
       * The axis as a number (nanoseconds for datetimes and timespans); `elementSql` renders
       * one bin start for the output array, written over the internal column `__axis_value`.
       */
      axis: NamedSql & { elementSql: string };
      /** Bounds and step as numbers; without bounds the data's minimum and maximum are used. */
      from?: string;
      to?: string;
      step: string;
      aggregates: (NamedSql & { defaultSql: string })[];
    } & Base);

export type RelKind = Rel['kind'];

/** The inputs of a node. */
export function childRels(rel: Rel): Rel[] {
  switch (rel.kind) {
    case 'table':
    case 'values':
    case 'range':
      return [];
    case 'join':
      return [rel.left, rel.right];
    case 'union':
      return rel.inputs;
    default:
      return [rel.input];
  }
}

/**
 * Marks the nodes an operator made (`made` down to, not including, its `input`) with the
 * operator's range; nodes that already carry one (a join's right side) keep theirs.
 */
export function markSource(made: Rel, input: Rel | undefined, range: Range): Rel {
  const visit = (r: Rel): void => {
    if (r === input || r.range) return;
    r.range = range;
    for (const child of childRels(r)) visit(child);
  };
  visit(made);
  return made;
}
