/** Validation of saved searches: every rule, and the message names the fix. */
import { describe, expect, it } from 'vitest';
import { recordCatalog, type StoredFunction } from '../../language/schema/tables.js';
import { catalogWithFunctions, validateSavedSearch } from './validate.js';

const catalog = catalogWithFunctions(recordCatalog, new Map<string, StoredFunction>([['WebServers', { body: 'Heartbeat | distinct Computer' }]]));
const good = { name: 'LinuxMachines', category: 'Computer groups', description: 'Linux', query: 'Heartbeat | where OSType == "Linux" | distinct Computer' };

describe('validateSavedSearch', () => {
  it('accepts a good one, trimming name and category, defaulting the optional fields', () => {
    expect(validateSavedSearch({ ...good, name: ' LinuxMachines ', category: ' Groups ' }, catalog)).toEqual({ ok: true, value: { ...good, category: 'Groups' } });
    expect(validateSavedSearch({ name: 'X', query: 'WebServers | count' }, catalog)).toEqual({ ok: true, value: { name: 'X', category: '', description: '', query: 'WebServers | count' } });
  });

  it.each([
    ['not an object', [1], '', /JSON object/],
    ['name missing', { query: 'Heartbeat' }, 'name', /name must be a string/],
    ['name with spaces', { ...good, name: 'Web servers' }, 'name', /letters, digits and _ only.*"Web_servers"/],
    ['name starting with a digit', { ...good, name: '1st' }, 'name', /not starting with a digit.*"_1st"/],
    ['name of a table', { ...good, name: 'heartbeat' }, 'name', /record table Heartbeat/],
    ['name of a built-in function', { ...good, name: 'Count' }, 'name', /built-in function count\(\)/],
    ['a keyword', { ...good, name: 'where' }, 'name', /KQL keyword/],
    ['category not a string', { ...good, category: 5 }, 'category', /category must be a string/],
    ['query empty', { ...good, query: '  ' }, 'query', /query is empty/],
    ['description too long', { ...good, description: 'x'.repeat(5000) }, 'description', /keep it to 4000/],
  ])('refuses %s', (_label, body, field, message) => {
    const result = validateSavedSearch(body, catalog);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  it('reports a query that does not compile with line:col and code', () => {
    const result = validateSavedSearch({ ...good, query: 'Heartbeat\n| where Nope == 1' }, catalog);
    expect(result).toEqual({ ok: false, problems: [{ field: 'query', code: 'E202', line: 2, column: 9, message: expect.stringMatching(/^2:9: E202: Unknown column or name 'Nope'/) }] });
  });
});
