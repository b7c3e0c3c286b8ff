/** The words completion offers that come from the language itself rather than the schema. */

export interface Word {
  name: string;
  doc: string;
}

/** Tabular operators, offered after `|` (one line each, for the suggestion detail). */
export const tabularOperators: readonly Word[] = [
  { name: 'where', doc: 'Keeps the rows that satisfy a predicate.' },
  { name: 'project', doc: 'Chooses, renames and computes the output columns.' },
  { name: 'extend', doc: 'Adds computed columns.' },
  { name: 'summarize', doc: 'Aggregates rows, grouped by the columns after `by`.' },
  { name: 'sort', doc: 'Orders rows by columns (descending unless `asc`).' },
  { name: 'order', doc: 'The same as sort.' },
  { name: 'top', doc: 'The first N rows by a sort key.' },
  { name: 'take', doc: 'Up to N rows, in no particular order.' },
  { name: 'limit', doc: 'The same as take.' },
  { name: 'count', doc: 'The number of rows.' },
  { name: 'distinct', doc: 'The distinct combinations of the listed columns.' },
  { name: 'join', doc: 'Merges the rows of two tables on matching keys.' },
  { name: 'lookup', doc: 'Extends rows with columns looked up in a dimension table.' },
  { name: 'union', doc: 'The rows of several tables together.' },
  { name: 'project-away', doc: 'Removes columns.' },
  { name: 'project-keep', doc: 'Keeps only the listed columns.' },
  { name: 'project-rename', doc: 'Renames columns.' },
  { name: 'project-reorder', doc: 'Moves columns to the front.' },
  { name: 'mv-expand', doc: 'One row per element of a dynamic array or bag.' },
  { name: 'make-series', doc: 'Aggregates into series over an axis.' },
  { name: 'parse', doc: 'Extracts columns from a string by a pattern.' },
  { name: 'render', doc: 'Shows the result as a chart.' },
  { name: 'getschema', doc: 'The column names and types of the input.' },
  { name: 'serialize', doc: 'Marks the row order as stable (for window functions).' },
  { name: 'as', doc: 'Names the input for later reference.' },
];

/** Sources a query may start with besides a table. */
export const sourceKeywords: readonly Word[] = [
  { name: 'let', doc: 'Binds a name to a value, a table or a function.' },
  { name: 'print', doc: 'One row of computed values.' },
  { name: 'range', doc: 'A column of values from a start to a stop by a step.' },
  { name: 'datatable', doc: 'An inline table.' },
  { name: 'union', doc: 'The rows of several tables together.' },
];

/** Offered after an operand in a predicate or expression. */
export const infixOperators: readonly Word[] = [
  { name: '==', doc: 'Equals (case-sensitive for strings).' },
  { name: '!=', doc: 'Not equal (case-sensitive).' },
  { name: '=~', doc: 'Equals, ignoring case.' },
  { name: '!~', doc: 'Not equal, ignoring case.' },
  { name: 'has', doc: 'Contains the whole term, ignoring case.' },
  { name: '!has', doc: 'Does not contain the whole term.' },
  { name: 'contains', doc: 'Contains the substring, ignoring case.' },
  { name: '!contains', doc: 'Does not contain the substring.' },
  { name: 'startswith', doc: 'Starts with, ignoring case.' },
  { name: 'endswith', doc: 'Ends with, ignoring case.' },
  { name: 'in', doc: 'Equals one of a list (case-sensitive).' },
  { name: '!in', doc: 'Equals none of a list.' },
  { name: 'in~', doc: 'Equals one of a list, ignoring case.' },
  { name: 'has_any', doc: 'Has any of the terms.' },
  { name: 'matches regex', doc: 'Matches a regular expression.' },
  { name: 'between', doc: 'Within an inclusive range: between (a .. b).' },
  { name: 'and', doc: 'Both are true.' },
  { name: 'or', doc: 'Either is true.' },
];

export const joinKinds: readonly string[] = ['innerunique', 'inner', 'leftouter', 'rightouter', 'fullouter', 'leftanti', 'rightanti', 'leftsemi', 'rightsemi'];

export { visualizations } from '../values/visualizations.js';

export const renderProperties: readonly string[] = ['title', 'xcolumn', 'ycolumns', 'series', 'ymin', 'ymax', 'legend', 'kind', 'xtitle', 'ytitle'];

/** Keywords that never name a column: a column with such a name must be written `['name']`. */
export const hardKeywords: ReadonlySet<string> = new Set([
  'and', 'or', 'by', 'on', 'let', 'between', 'datatable', 'print', 'union', 'null', 'has', 'contains', 'in', 'startswith', 'endswith',
  'true', 'false', 'project-away', 'project-keep', 'project-rename', 'project-reorder', 'mv-expand', 'make-series',
]);
