/**
 * Engine cases the ClickHouse store cannot run, by label (see engine-cases.test.ts).
 *
 * `clickhouseUnsupported`: refused at compile time with E402. `mentions`: text the message
 * must contain; `at`: text the diagnostic's range must cover in the query (the operator or
 * call responsible).
 *
 * `clickhouseKnownFailures`: cases that fail at run time on ClickHouse (E901) because 18.16
 * rejects SQL the ClickHouse dialect writes. They give an error, never different rows; the test
 * checks they still fail, so a fix must move them out of here.
 */
export interface Unsupported {
  /** Why ClickHouse 18.16 cannot run it. */
  reason: string;
  mentions: string;
  at: string;
}

const dynamicAccess = 'reading into dynamic values: 18.16 stores dynamic as JSON text and has no JSONExtract';

export const clickhouseUnsupported: Record<string, Unsupported> = {
  'operators › mv-expand': { reason: '18.16 has no JSON array type to unnest', mentions: 'mv-expand', at: 'mv-expand' },
  'operators › mv-expand with_itemindex': { reason: '18.16 has no JSON array type to unnest', mentions: 'mv-expand', at: 'mv-expand' },
  'operators › make-series': { reason: 'needs ordered list aggregation over a generated grid', mentions: 'make-series', at: 'make-series' },
  'Kusto semantics › a negated operator is true when the operand is null #3': { reason: dynamicAccess, mentions: 'dynamic', at: 'd.k' },
  'Kusto semantics › conversions return null instead of failing #1': {
    reason: "todatetime() of text: 18.16's parseDateTimeBestEffort drops sub-second digits",
    mentions: 'todatetime()',
    at: 'todatetime("not a date")',
  },
  'result types › dynamic values come back as JSON #1': { reason: 'pack_array() builds JSON from typed values', mentions: 'pack_array()', at: 'pack_array(1, "a")' },
  'result types › dynamic values come back as JSON #2': { reason: dynamicAccess, mentions: 'dynamic', at: 'd.a' },
  'result types › dynamic values come back as JSON #3': { reason: dynamicAccess, mentions: 'dynamic', at: 'd.name' },
  'serialized rows › numbers rows and reads neighbours in the sorted order': { reason: '18.16 has no window functions (row_number, prev)', mentions: 'row_number()', at: 'row_number()' },
  'column names #4': { reason: dynamicAccess, mentions: 'dynamic', at: 'd.k' },
};

export const clickhouseKnownFailures: Record<string, string> = {
  'Kusto semantics › bin counts from the epoch': '18.16 rejects if() over a constant Nullable condition in bin() of constant integers',
};
