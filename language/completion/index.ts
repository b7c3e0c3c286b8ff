/** Editor services for the query language: completion, hover, blocks, the time-filter check. Pure TS (browser and Node). */
export { complete, columnsInScope, quoteName, type Completion, type Suggestion, type SuggestionKind } from './complete.js';
export { hoverAt, type HoverInfo } from './hover.js';
export { blockAt, splitBlocks, type Block } from './blocks.js';
export { cursorContext, type CursorContext } from './context.js';
export { filtersOnTimeGenerated } from './time-filter.js';
export type { ColumnInfo, CompletionSource, FunctionInfo, TableInfo } from './source.js';
