/** The repository keeps the layering of ARCHITECTURE.md: a wrong import fails here, naming the rule. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { importsOf, partOf, sourceFiles, violations } from './boundaries.js';

const root = join(import.meta.dirname, '../..');

describe('architecture boundaries', () => {
  it('no source file imports across a boundary its part does not allow', () => {
    const found = violations(sourceFiles(root)).map((v) => `${v.file}:${v.line}: ${v.message}`);
    expect(found, 'imports that break ARCHITECTURE.md’s layering').toEqual([]);
  });

  it('sees every part’s files (the walk is not silently empty)', () => {
    const files = [...sourceFiles(root).keys()];
    for (const part of ['language', 'contracts', 'query', 'records', 'app', 'server', 'cli', 'agent', 'workbench']) {
      expect(files.filter((f) => partOf(f)?.name.split('/')[0] === part).length, part).toBeGreaterThan(2);
    }
  });
});

describe('the checker', () => {
  const check = (file: string, text: string) => violations(new Map([[file, text]])).map((v) => v.message);

  it('refuses the language importing server, app or store code, or a Node API', () => {
    expect(check('language/sql/emit.ts', "import { x } from '../../server/app.js';")[0]).toMatch(/imports server\/app\.js \(server\); language may import no other part/);
    expect(check('language/compile.ts', "import type { Store } from '../records/store/ddl.js';")[0]).toMatch(/language may import no other part/);
    expect(check('language/compile.ts', "import { readFileSync } from 'node:fs';")[0]).toMatch(/Node API node:fs; language may use chevrotain/);
    expect(check('language/compile.ts', "const m = await import('fastify');")[0]).toMatch(/package fastify/);
  });

  it('refuses the agent importing the server, the app or the simulator', () => {
    expect(check('agent/agent.ts', "import { a } from '../app/updates/runs/run-store.js';")[0]).toMatch(/agent may import contracts/);
    expect(check('agent/agent.ts', "import { s } from './simulate/simulation.js';")[0]).toMatch(/may not use the simulator/);
    expect(check('agent/agent.ts', "import Fastify from 'fastify';")[0]).toMatch(/package fastify/);
  });

  it('refuses non-test code importing test support, and lets tests import anything', () => {
    expect(check('app/alerts/alerts.ts', "import { t } from '../../server/test-server.js';")[0]).toMatch(/server/);
    expect(check('app/alerts/alerts.test.ts', "import { t } from '../../server/test-server.js';")).toEqual([]);
    expect(check('server/app.ts', "import { t } from './test-server.js';")[0]).toMatch(/imports test support server\/test-server\.js/);
  });

  it('allows what a part’s row allows', () => {
    expect(check('server/query-route.ts', "import { r } from '../query/run-query.js';\nimport { c } from '../language/compile.js';")).toEqual([]);
    expect(check('workbench/src/x.ts', "import type { Saved } from '../../contracts/saved.js';")).toEqual([]);
  });

  it('finds every import form and ignores imports in comments', () => {
    const text = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "export { c } from 'c';",
      "import 'd';",
      "const e = await import('e');",
      "// import f from 'f';",
      "/* import g from 'g'; */",
      "const h = import.meta.glob('./h/*.kql');",
      "import {\n  i,\n} from 'i';",
    ].join('\n');
    expect(importsOf(text).map((r) => r.specifier).sort()).toEqual(['./h/*.kql', 'a', 'b', 'c', 'd', 'e', 'i']);
    expect(importsOf(text).find((r) => r.specifier === 'i')?.line).toBe(9);
  });
});
