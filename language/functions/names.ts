/**
 * The name of every catalogue function. Entries (entry.ts) and each dialect's SQL overrides
 * (duckdb-sql.ts, clickhouse-sql.ts, clickhouse-scalars.ts) are typed against FunctionName, so a misspelt
 * override or entry fails to compile instead of silently never matching; catalogue.ts checks
 * at load that every name here has its entry.
 */
export const functionNames = [
  'iff', 'case', 'coalesce', 'isnull', 'isnotnull', 'isempty', 'isnotempty', 'not', 'strcat', 'strcat_delim',
  'strlen', 'tolower', 'toupper', 'substring', 'split', 'trim', 'trim_start', 'trim_end', 'replace_string',
  'replace_regex', 'replace', 'extract', 'extract_all', 'indexof', 'strcat_array', 'reverse', 'countof',
  'strrep', 'now', 'ago', 'bin', 'bin_at', 'startofday', 'startofweek', 'startofmonth', 'startofyear',
  'endofday', 'endofweek', 'endofmonth', 'endofyear', 'dayofweek', 'dayofmonth', 'dayofyear', 'getmonth',
  'getyear', 'hourofday', 'week_of_year', 'datetime_add', 'datetime_diff', 'datetime_part',
  'format_datetime', 'tostring', 'toint', 'tolong', 'todouble', 'todecimal', 'tobool', 'toguid',
  'todatetime', 'totimespan', 'abs', 'round', 'ceiling', 'log', 'log10', 'log2', 'sqrt', 'exp', 'exp2',
  'exp10', 'pow', 'sign', 'pi', 'isnan', 'isinf', 'isfinite', 'tohex', 'bag_pack', 'pack_array',
  'array_length', 'parse_json', 'bag_keys', 'set_has_element', 'gettype', 'row_number', 'prev', 'next',
  'count', 'countif', 'sum', 'sumif', 'avg', 'avgif', 'min', 'minif', 'max', 'maxif', 'dcount', 'dcountif',
  'count_distinct', 'make_set', 'make_list', 'make_set_if', 'make_list_if', 'take_any', 'any', 'stdev',
  'stdevif', 'stdevp', 'stdevpif', 'variance', 'varianceif', 'variancep', 'variancepif', 'percentile',
] as const;

export type FunctionName = (typeof functionNames)[number];
