/**
 * Builds the web workbench and prints its sizes: the main bundle (what the first page load
 * needs, without Monaco), the Monaco chunks (loaded when the editor first opens), the workers,
 * and the total, raw and gzip. Also the build time. Run: `npm run bench:workbench`.
 * Sizes are deterministic; the build time depends on the (shared, noisy) machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dist = join(root, 'workbench/dist');

interface Asset {
  name: string;
  raw: number;
  gzip: number;
  br: number;
}

export interface BundleGroup {
  name: string;
  raw: number;
  gzip: number;
  br: number;
}

export interface BundleFigures {
  buildMs: number;
  groups: BundleGroup[];
  /** gzip bytes of what the first page load needs (the in-run baseline for Monaco). */
  mainGzip: number;
  monacoGzip: number;
  largest: Asset[];
}

const groupTests: Record<string, (a: Asset, entryNames: string[]) => boolean> = {
  'main bundle (index.html + entry js/css)': (a, entryNames) => entryNames.includes(a.name),
  'monaco (editor chunk + css + font)': (a) => /^(monaco|codicon)/.test(a.name),
  'web workers (language + editor)': (a) => /worker/.test(a.name),
  'log search page chunk': (a) => /^LogSearch/.test(a.name),
  'results panel + charts (lazy)': (a) => /^(ResultsPanel|Arrow|decode|chart)/.test(a.name),
  total: () => true,
};

/** Builds the workbench with vite and measures its assets (throws with the build output when it fails). */
export function benchWorkbenchBundle(): BundleFigures {
  const started = performance.now();
  const build = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'workbench/vite.config.ts', '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`vite build failed: ${`${build.stdout}\n${build.stderr}`.trim().slice(0, 2000)}`);
  const buildMs = performance.now() - started;
  const assets: Asset[] = readdirSync(join(dist, 'assets'))
    .filter((name) => !/\.(br|gz)$/.test(name))
    .map((name) => {
      const path = join(dist, 'assets', name);
      const bytes = readFileSync(path);
      const sent = (suffix: string) => (existsSync(path + suffix) ? statSync(path + suffix).size : bytes.length);
      return { name, raw: bytes.length, gzip: existsSync(`${path}.gz`) ? sent('.gz') : gzipSync(bytes, { level: 9 }).length, br: sent('.br') };
    });
  const index = readFileSync(join(dist, 'index.html'), 'utf8');
  // The main bundle: what index.html loads (its script and styles), plus their static imports.
  const entryNames = [...index.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1]!);
  const groups = Object.entries(groupTests).map(([name, test]) => {
    const chosen = assets.filter((a) => test(a, entryNames));
    const raw = chosen.reduce((n, a) => n + a.raw, 0) + (name.startsWith('main') || name === 'total' ? index.length : 0);
    return { name, raw, gzip: chosen.reduce((n, a) => n + a.gzip, 0), br: chosen.reduce((n, a) => n + a.br, 0) };
  });
  const mainGzip = assets.filter((a) => entryNames.includes(a.name)).reduce((n, a) => n + a.gzip, 0);
  const monacoGzip = assets.filter((a) => groupTests['monaco (editor chunk + css + font)']!(a, entryNames)).reduce((n, a) => n + a.gzip, 0);
  return { buildMs, groups, mainGzip, monacoGzip, largest: [...assets].sort((x, y) => y.raw - x.raw).slice(0, 8) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const f = benchWorkbenchBundle();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(11);
  console.log(`vite build: ${(f.buildMs / 1000).toFixed(1)} s (machine is shared; expect noise)`);
  console.log(`${'group'.padEnd(44)}${'raw'.padStart(11)}${'gzip'.padStart(11)}${'br'.padStart(11)}`);
  for (const g of f.groups) console.log(`${g.name.padEnd(44)}${kb(g.raw)}${kb(g.gzip)}${kb(g.br)}`);
  console.log(`ratio: Monaco (gzip) is ${(f.monacoGzip / f.mainGzip).toFixed(1)}× the main bundle (gzip); the main bundle loads without it.`);
  console.log('\nlargest assets:');
  for (const a of f.largest) console.log(`  ${a.name.padEnd(42)}${kb(a.raw)}${kb(a.gzip)}${kb(a.br)}`);
}
