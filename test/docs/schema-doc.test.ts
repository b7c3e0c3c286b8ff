import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { securityAgeBucket } from '../../agent/assessment.js';
import { recordTables } from '../../language/schema/tables.js';
import { schemaDoc, schemaDocPath } from './schema-doc.js';

describe('docs/schema.md', () => {
  it('is what the code generates (run `npm run docs:schema` after changing a table or an enumeration)', () => {
    expect(readFileSync(schemaDocPath, 'utf8')).toBe(schemaDoc());
  });

  it('lists every column of every record table with its type', () => {
    const doc = readFileSync(schemaDocPath, 'utf8');
    for (const table of recordTables) {
      const section = doc.split(`## ${table.name}\n`)[1]?.split('\n## ')[0] ?? '';
      for (const column of table.columns) expect(section, `${table.name}.${column.name}`).toContain(`| ${column.name} | ${column.type} |`);
    }
  });

  it('names the security-age buckets the agent writes, at their boundaries', () => {
    expect([0, 29, 30, 59, 60, 180, 209, 210, 5000].map(securityAgeBucket)).toEqual(['Recent', 'Recent', '30 days ago', '30 days ago', '60 days ago', '180 days ago', '180 days ago', 'Older', 'Older']);
    expect(readFileSync(schemaDocPath, 'utf8')).toContain("OldestMissingSecurityUpdateBucket: `Recent`, `30 days ago`, `60 days ago`, `90 days ago`, `120 days ago`, `150 days ago`, `180 days ago`, `Older`.");
  });
});
