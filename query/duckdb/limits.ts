/** The default row limit and timeout of a query; apart so the CLI's flags need not load DuckDB. */
export const DEFAULT_MAX_ROWS = 500_000;
export const DEFAULT_TIMEOUT_MS = 30_000;
