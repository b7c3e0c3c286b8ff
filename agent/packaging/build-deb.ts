/**
 * `npm run package:agent`: dist-agent/upkeep-agent_<version>_all.deb. The agent (agent/main.ts and what
 * it imports: node builtins and contracts/ only) is bundled by esbuild into one ESM file; the
 * launcher, configuration, systemd unit and maintainer scripts come from this folder; dpkg-deb
 * builds the package with root as the owner of every file.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');

export const packageName = 'upkeep-agent';

/** Where each file of the package goes, from the package root, with its mode. */
const installed: { from: string; to: string; mode: number }[] = [
  { from: 'upkeep-agent', to: 'usr/bin/upkeep-agent', mode: 0o755 },
  { from: 'agent.conf', to: 'etc/upkeep/agent.conf', mode: 0o644 },
  { from: 'upkeep-agent.service', to: 'lib/systemd/system/upkeep-agent.service', mode: 0o644 },
];
const bundlePath = 'usr/lib/upkeep-agent/agent.mjs';
const conffiles = ['/etc/upkeep/agent.conf'];
const maintainerScripts = ['postinst', 'prerm', 'postrm'];

export interface BuiltPackage {
  deb: string;
  version: string;
  bytes: number;
}

export async function buildAgentPackage(outDir = join(repo, 'dist-agent')): Promise<BuiltPackage> {
  const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
  const root = join(outDir, 'agent', 'deb-root');
  rmSync(root, { recursive: true, force: true });
  await bundleAgent(join(root, bundlePath), version);
  for (const file of installed) place(join(here, file.from), join(root, file.to), file.mode);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  for (const script of maintainerScripts) place(join(here, 'debian', script), join(root, 'DEBIAN', script), 0o755);
  writeFileSync(join(root, 'DEBIAN', 'conffiles'), `${conffiles.join('\n')}\n`);
  writeFileSync(join(root, 'DEBIAN', 'control'), control(version, installedSizeKiB(root)));
  const deb = join(outDir, `${packageName}_${version}_all.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, deb], { stdio: ['ignore', 'ignore', 'inherit'] });
  return { deb, version, bytes: statSync(deb).size };
}

async function bundleAgent(outfile: string, version: string): Promise<void> {
  await build({
    entryPoints: [join(repo, 'agent', 'main.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node18',
    define: { UPKEEP_AGENT_VERSION: JSON.stringify(version) },
    banner: { js: `// Upkeep agent ${version} (upkeep-agent package), bundled from agent/main.ts.` },
    legalComments: 'none',
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o644);
}

function place(from: string, to: string, mode: number): void {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  chmodSync(to, mode);
}

function control(version: string, installedSize: number): string {
  return [
    `Package: ${packageName}`,
    `Version: ${version}`,
    'Architecture: all',
    'Maintainer: Upkeep maintainers <upkeep@example.invalid>',
    'Section: admin',
    'Priority: optional',
    'Depends: nodejs (>= 18)',
    `Installed-Size: ${installedSize}`,
    'Description: Upkeep agent: update assessments and deployments for this machine',
    ' Reports heartbeats and missing updates (apt) to an Upkeep server and installs the',
    ' updates of the deployments the server schedules. Configure /etc/upkeep/agent.conf and',
    ' the key file, then start upkeep-agent.service.',
    '',
  ].join('\n');
}

/** Installed-Size, in KiB as dpkg counts it (each file rounded up). */
function installedSizeKiB(root: string): number {
  let total = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'DEBIAN' && dir === root) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else total += Math.ceil(statSync(path).size / 1024);
    }
  };
  walk(root);
  return total;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildAgentPackage();
  process.stdout.write(`${built.deb} (${built.version}, ${(built.bytes / 1024).toFixed(1)} KiB)\n`);
}
