/**
 * What completion and hover need to know about the world, supplied by the caller: the tables
 * of the live schema, the function catalogue, and the columns a pipeline produces. The grammar
 * does not depend on the engine; language/completion/completion-source.ts builds a source from the compiler.
 */
export interface ColumnInfo {
  name: string;
  /** Kusto type name (`string`, `datetime` …). */
  type: string;
}

export interface TableInfo {
  name: string;
  description: string;
  columns: ColumnInfo[];
}

export interface FunctionInfo {
  name: string;
  kind: 'scalar' | 'aggregate';
  /** `name(arg: type, [optional: type]) → result`, for the suggestion detail and hover. */
  signature: string;
  /** One line about what it does. */
  doc: string;
  /** Whether it takes no arguments, so completion inserts `name()` whole. */
  noArguments: boolean;
}

export interface CompletionSource {
  tables(): readonly TableInfo[];
  functions(): readonly FunctionInfo[];
  /** The columns `pipelineText` (a whole query: lets, a source, operators) produces; undefined if it does not compile. */
  columnsOf(pipelineText: string): readonly ColumnInfo[] | undefined;
}
