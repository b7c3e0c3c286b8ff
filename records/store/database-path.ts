/** Where the embedded database lives unless --db says otherwise; apart so the CLI's flags need not load DuckDB. */
export const defaultDatabasePath = './data/upkeep.duckdb';
