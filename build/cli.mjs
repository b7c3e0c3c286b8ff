#!/usr/bin/env node
/**
 * Builds the `upkeep` command into dist/ (ESM for Node 20, source maps beside the files):
 *   dist/upkeep.js       the CLI (server and `upkeep agent` included); commands are chunks it loads lazily
 *   dist/json-worker.js  the ingestion JSON worker thread (records/ingest/json-workers.ts starts it)
 * Runtime dependencies (package.json "dependencies") stay imports of node_modules, @duckdb/node-api
 * because it is native; the few pure-JS packages in `bundled` are compiled in because they load
 * far faster as one file than as their many modules. Any other package the code imports fails the
 * build: it would be missing from an `npm install` of the package. The CommonJS packages in
 * `required` are loaded with require() rather than import: imported from ESM, Node first scans
 * every file of a CommonJS package for its export names (cjs-module-lexer), which for
 * @duckdb/node-api's 124 files cost more than loading them.
 */
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');
const runtime = new Set(Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies ?? {}));
/** chevrotain as published is ~600 lodash-es modules: ~1 s to load on a busy machine, ~50 ms as one bundle. */
const bundled = new Set(['chevrotain']);
/** Runtime dependencies that are CommonJS (see above). */
const required = new Set(['@duckdb/node-api', 'fastify', 'cli-progress']);
/** Every chunk gets a real `require` for the CommonJS packages (esbuild's calls go through it). */
const requireBanner = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const packagesPlugin = {
  name: 'runtime-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (isBuiltin(args.path)) return { external: true };
      const name = packageName(args.path);
      if (runtime.has(name)) return required.has(args.path) && args.kind === 'import-statement' ? { path: args.path, namespace: 'required-package' } : { external: true };
      // what a bundled package imports is bundled with it
      if (bundled.has(name) || args.importer.includes('/node_modules/')) return undefined;
      return {
        errors: [{ text: `${relative(root, args.importer)} imports "${args.path}", which is neither a runtime dependency in package.json nor bundled: add it to "dependencies" (or to \`bundled\` in build/cli.mjs if it is pure JS).` }],
      };
    });
    // `import { X } from 'pkg'` becomes a CommonJS stand-in whose require() stays external.
    build.onLoad({ filter: /.*/, namespace: 'required-package' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js', resolveDir: root }));
  },
};

const started = performance.now();
// Built beside dist/ and swapped in at the end: a command started meanwhile (a test, a server
// loading a command's chunk) never finds dist/ half-written or gone.
const staging = `${outdir}.building-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { upkeep: 'cli/main.ts', 'json-worker': 'records/ingest/json-worker.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  sourcesContent: false,
  packages: 'bundle', // the plugin decides which stay imports
  banner: { js: requireBanner },
  plugins: [packagesPlugin],
  metafile: true,
  logLevel: 'warning',
}).catch(() => {
  // esbuild has printed the errors
  rmSync(staging, { recursive: true, force: true });
  process.exit(1);
});
const previous = `${outdir}.previous-${process.pid}`;
if (existsSync(outdir)) renameSync(outdir, previous);
renameSync(staging, outdir);
rmSync(previous, { recursive: true, force: true });

const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
const bytes = files.reduce((sum, f) => sum + result.metafile.outputs[f].bytes, 0);
console.log(`dist/: ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB of JavaScript in ${(performance.now() - started).toFixed(0)} ms`);
