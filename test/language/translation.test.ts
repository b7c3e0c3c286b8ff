/**
 * Translation tests: the SQL each sample query compiles to, as golden files beside the
 * queries (samples/queries/sql/*.sql), plus a table of the shapes that matter for speed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../language/compile.js';

const dir = join(import.meta.dirname, '../../samples/queries');
const files = readdirSync(dir).filter((f) => f.endsWith('.kql')).sort();

function sqlOf(text: string): string {
  const result = compile(text, { now: new Date('2024-03-15T12:00:00Z') });
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  return result.sql;
}

describe('sample query SQL (golden files)', () => {
  it.each(files)('%s', async (file) => {
    const sql = sqlOf(readFileSync(join(dir, file), 'utf8'));
    await expect(`${sql}\n`).toMatchFileSnapshot(join(dir, 'sql', file.replace(/\.kql$/, '.sql')));
  });
});

describe('shapes that decide speed', () => {
  const cases: [string, string, RegExp][] = [
    ['arg_max(T, *) is one window pass, not a whole-row aggregate', 'Heartbeat | summarize arg_max(TimeGenerated, *) by Computer', /QUALIFY row_number\(\) OVER \(PARTITION BY "Computer" ORDER BY "TimeGenerated" DESC NULLS LAST\) = 1/],
    ['bin on datetimes is epoch arithmetic', 'Heartbeat | summarize count() by bin(TimeGenerated, 1h)', /epoch_ns\("TimeGenerated"\)/],
    ['sort defaults to descending, nulls last', 'Heartbeat | sort by TimeGenerated', /ORDER BY "TimeGenerated" DESC NULLS LAST/],
    ['sort asc puts nulls first', 'Heartbeat | sort by TimeGenerated asc', /ORDER BY "TimeGenerated" ASC NULLS FIRST/],
    ['in over a subquery stays a subquery', 'Event | where Computer in ((Update | distinct Computer))', /IN \(SELECT "Computer" FROM/],
    ['identifiers are quoted', "datatable(['a\"b']:long)[1] | project ['a\"b']", /"a""b"/],
    ['string literals are escaped', `print "it's"`, /'it''s'/],
  ];
  it.each(cases)('%s', (_name, kql, pattern) => {
    expect(sqlOf(kql)).toMatch(pattern);
  });
});
