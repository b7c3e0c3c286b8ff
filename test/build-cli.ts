/**
 * Builds the compiled CLI (dist/, `npm run build`) once per vitest run: the tests that spawn
 * bin/upkeep.mjs (cli/*.test.ts, server/serve-cli.test.ts, test/faults, …) run the command as
 * users do, compiled, and must run this code rather than whatever dist/ held. About a second.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  const root = join(import.meta.dirname, '..');
  const built = spawnSync(process.execPath, [join(root, 'build/cli.mjs')], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build failed, so the tests that run bin/upkeep.mjs cannot:\n${built.stdout}${built.stderr}`);
}
