#!/usr/bin/env node
// Runs the compiled CLI (dist/, from `npm run build`), found relative to this file so that
// `npx upkeep` and an installed `upkeep` work from any directory.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/upkeep.js', import.meta.url);
if (!existsSync(entry)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(`upkeep: ${fileURLToPath(entry)} is missing: the command is not built. Run \`npm run build\` in ${root} first.\n`);
  process.exit(1);
}
await import(entry.href);
