/** Saved searches used as stored functions inside other queries: expansion, nesting, cycles, shadowing, diagnostics. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../language/compile.js';
import { runQuery } from '../../query/run-query.js';
import { recordCatalog, type Catalog, type StoredFunction } from '../../language/schema/tables.js';

function catalogWith(functions: Record<string, string>): Catalog {
  return { ...recordCatalog, functions: new Map<string, StoredFunction>(Object.entries(functions).map(([name, body]) => [name, { body }])) };
}

const machines = `datatable(Computer:string, OS:string)["web1","Linux","web2","Linux","db1","Windows"]`;
const catalog = catalogWith({
  Machines: machines,
  LinuxMachines: 'Machines | where OS == "Linux" | project Computer',
  WithLets: 'let os = "Windows";\nMachines | where OS == os | project Computer',
  Rendered: 'Machines | summarize n = count() by OS | render piechart',
});

async function rows(text: string, c: Catalog = catalog): Promise<unknown[][]> {
  const outcome = await runQuery(text, { catalog: c });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.diagnostics));
  return outcome.result.rows;
}

describe('a saved search used by name', () => {
  it('is a source, a call and a subquery', async () => {
    expect(await rows('LinuxMachines | order by Computer asc')).toEqual([['web1'], ['web2']]);
    expect(await rows('LinuxMachines() | count')).toEqual([[2]]);
    expect(await rows(`${machines} | where Computer in (LinuxMachines) | project Computer | order by Computer asc`)).toEqual([['web1'], ['web2']]);
    expect(await rows(`${machines} | where Computer !in (LinuxMachines()) | project Computer`)).toEqual([['db1']]);
  });

  it('nests, keeps its own lets, and reports what it expanded', async () => {
    expect(await rows('WithLets')).toEqual([['db1']]);
    const compiled = compile('LinuxMachines | join kind=inner (WithLets) on Computer', { catalog });
    expect(compiled.ok && compiled.functions.sort()).toEqual(['LinuxMachines', 'Machines', 'WithLets']);
  });

  it("does not see the caller's lets, which shadow it instead", async () => {
    expect(await rows('let Machines = datatable(Computer:string, OS:string)["x","Linux"]; Machines')).toEqual([['x', 'Linux']]);
    // LinuxMachines' body still means the stored Machines, not the caller's let.
    expect(await rows('let Machines = datatable(Computer:string, OS:string)["x","Linux"]; LinuxMachines | count')).toEqual([[2]]);
  });

  it("drops the body's render: the caller's result is not the body's chart", () => {
    const compiled = compile('Rendered | where n > 0', { catalog });
    expect(compiled.ok && compiled.render).toBe(null);
  });

  it('leaves the record tables and built-in functions as they are', async () => {
    const shadowing = catalogWith({ Heartbeat: 'print x = 1' });
    const compiled = compile('Heartbeat | project Computer', { catalog: shadowing });
    expect(compiled.ok && compiled.tables).toEqual(['Heartbeat']);
  });
});

describe('errors point at the reference in the caller', () => {
  const broken = catalogWith({
    Machines: machines,
    BadColumn: 'Machines\n| where Nope == 1',
    BadSyntax: 'Machines | where',
    Outer: 'print a = 1\n| join (BadColumn) on Computer',
    SelfLoop: 'SelfLoop | take 1',
    Ping: 'Pong', Pong: 'Ping',
  });
  const first = (text: string) => {
    const compiled = compile(text, { catalog: broken });
    if (compiled.ok) throw new Error('expected an error');
    return compiled.diagnostics[0]!;
  };

  it('names the saved search and the line:col inside it', () => {
    const d = first('print x = 1 | join (BadColumn) on Computer');
    expect(d.code).toBe('E202');
    expect(d.range).toEqual({ start: 20, end: 29 });
    expect(d.message).toMatch(/^In saved search 'BadColumn' at 2:9: Unknown column or name 'Nope'/);
  });

  it('nests the locations of nested saved searches', () => {
    const d = first('Outer');
    expect(d.range).toEqual({ start: 0, end: 5 });
    expect(d.message).toMatch(/^In saved search 'Outer' at 2:9: In saved search 'BadColumn' at 2:9: Unknown column/);
  });

  it('reports a syntax error in a body', () => {
    const d = first('BadSyntax()');
    expect(d.code).toBe('E101');
    expect(d.message).toMatch(/^In saved search 'BadSyntax' at 1:/);
  });

  it('refuses cycles with the path', () => {
    expect(first('SelfLoop').message).toMatch(/cannot use themselves: SelfLoop → SelfLoop/);
    const d = first('print x = 1 | where x in (Ping)');
    expect(d.code).toBe('E401');
    expect(d.message).toMatch(/Ping → Pong → Ping/);
  });

  it('refuses arguments and scalar use', () => {
    expect(first('BadColumn(1)').code).toBe('E302');
    expect(first('print x = Machines()').message).toMatch(/saved search and returns a table/);
    expect(first('print x = Machines').code).toBe('E306');
  });

  it('suggests a saved search for a misspelt name', () => {
    expect(first('Machinez').message).toMatch(/Did you mean 'Machines'/i);
  });
});

describe('the editor catalog from GET /api/schema', () => {
  it('knows saved searches by their columns: no false "unknown table", columns complete', async () => {
    const { catalogFromSchema, createCompletionSource } = await import('../../language/completion/completion-source.js');
    const schema = { tables: [{ name: 'Heartbeat', columns: [{ name: 'Computer', type: 'string' }] }], functions: [{ name: 'WebServers', description: 'web', columns: [{ name: 'Computer', type: 'string' }, { name: 'with space', type: 'long' }] }, { name: 'Broken', description: '' }] };
    const source = createCompletionSource(catalogFromSchema(schema));
    expect(source.columnsOf('WebServers | where Computer != ""')).toEqual([{ name: 'Computer', type: 'string' }, { name: 'with space', type: 'long' }]);
    expect(source.columnsOf('Heartbeat | where Computer in (WebServers)')).toEqual([{ name: 'Computer', type: 'string' }]);
    expect(source.tables().map((t) => t.name)).toEqual(['Heartbeat', 'WebServers']);
    expect(source.tables()[1]!.description).toBe('Saved search. web');
  });
});
