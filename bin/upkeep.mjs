#!/usr/bin/env node
// Runs the compiled CLI (dist/, from `npm run build`), found relative to this file so that
// `npx upkeep` and an installed `upkeep` work from any directory. Stack traces point into the
// TypeScript sources through the source maps beside the compiled files.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/upkeep.js', import.meta.url);
if (!existsSync(entry)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(`upkeep: ${fileURLToPath(entry)} is missing: the command is not built. Run \`npm run build\` in ${root} first.\n`);
  process.exit(1);
}
process.setSourceMapsEnabled(true);
await import(entry.href);
