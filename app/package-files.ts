/**
 * Files that ship beside the code and are read at run time (the compliance views' .kql files,
 * samples/queries, the built workbench): paths inside the package root, the nearest folder above
 * this module whose package.json is Upkeep's. Found once, the same way from the TypeScript sources
 * (app/) and from the compiled chunks (dist/), in a clone or an installed package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageName = 'upkeep';

export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** `packageFile('samples', 'queries')` → <package root>/samples/queries. */
export function packageFile(...segments: string[]): string {
  return join(packageRoot, ...segments);
}

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isUpkeepPackage(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`Cannot find Upkeep's package.json in ${start} or any folder above it: reinstall the package (or run from a clone).`);
  }
}

function isUpkeepPackage(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === packageName;
  } catch {
    return false;
  }
}
