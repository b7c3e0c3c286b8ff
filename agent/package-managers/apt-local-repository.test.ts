/**
 * apt for real: a dummy package, version 1.0 installed with dpkg, 1.1 published in a local
 * repository whose suite is `upkeep-security`. The agent's apt assessment must report 1.1 as
 * a needed Security update. apt runs with its own sources list, lists and no package cache,
 * so the machine's apt configuration stays untouched; the package is removed afterwards.
 * Needs root, dpkg-deb and apt-get (Debian package dpkg-dev for dpkg-scanpackages, optional).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linuxAssessor } from '../assessment.js';
import { runAgent } from '../run-agent.js';
import { TestServer } from '../testing/test-server.js';
import { Apt } from './apt.js';

const packageName = 'upkeep-agent-test-dummy';

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const isRoot = process.getuid?.() === 0;
const missing = ['dpkg', 'dpkg-deb', 'apt-get'].filter((c) => !has(c));
const skipReason = !isRoot ? 'needs root (dpkg -i)' : missing.length > 0 ? `needs ${missing.join(', ')}` : '';
if (skipReason) console.warn(`apt local repository test skipped: ${skipReason}`);

let dir = '';
let aptArgs: string[] = [];

function buildPackage(version: string, into: string): string {
  const root = join(dir, `build-${version}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/share/doc', packageName), { recursive: true });
  writeFileSync(join(root, 'usr/share/doc', packageName, 'README'), `Upkeep agent test package ${version}\n`);
  writeFileSync(join(root, 'DEBIAN/control'), [
    `Package: ${packageName}`, `Version: ${version}`, 'Architecture: all', 'Maintainer: Upkeep tests <tests@upkeep.invalid>',
    'Section: misc', 'Priority: optional', 'Description: dummy package for the Upkeep agent apt test', '',
  ].join('\n'));
  const deb = join(into, `${packageName}_${version}_all.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, deb], { stdio: 'ignore' });
  return deb;
}

/** dpkg-scanpackages when dpkg-dev is installed, else the same stanza written here. */
function packagesIndex(repo: string, deb: string): string {
  if (has('dpkg-scanpackages')) return execFileSync('dpkg-scanpackages', ['pool', '/dev/null'], { cwd: repo, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  const control = execFileSync('dpkg-deb', ['--field', deb]).toString().trimEnd();
  const bytes = readFileSync(deb);
  return `${control}\nFilename: pool/${deb.split('/').pop()}\nSize: ${statSync(deb).size}\nSHA256: ${createHash('sha256').update(bytes).digest('hex')}\n\n`;
}

function publish(deb: string, repo: string): void {
  const suite = 'upkeep-security';
  const indexDir = join(repo, 'dists', suite, 'main', 'binary-amd64');
  mkdirSync(indexDir, { recursive: true });
  const packages = packagesIndex(repo, deb);
  writeFileSync(join(indexDir, 'Packages'), packages);
  const sha = createHash('sha256').update(packages).digest('hex');
  writeFileSync(join(repo, 'dists', suite, 'Release'), [
    'Origin: Upkeep-Test', 'Label: Upkeep-Test', `Suite: ${suite}`, `Codename: ${suite}`, 'Version: 1',
    `Date: ${new Date().toUTCString()}`, 'Architectures: amd64 all', 'Components: main', 'Description: Upkeep agent test repository',
    'SHA256:', ` ${sha} ${Buffer.byteLength(packages)} main/binary-amd64/Packages`, '',
  ].join('\n'));
}

describe.skipIf(skipReason !== '')('apt against a local repository', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'upkeep-apt-'));
    chmodSync(dir, 0o755);
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, 'pool'), { recursive: true });
    execFileSync('dpkg', ['-i', buildPackage('1.0', dir)], { stdio: 'ignore' });
    publish(buildPackage('1.1', join(repo, 'pool')), repo);
    writeFileSync(join(dir, 'sources.list'), `deb [trusted=yes] file:${repo} upkeep-security main\n`);
    mkdirSync(join(dir, 'lists', 'partial'), { recursive: true });
    aptArgs = [
      '-o', `Dir::Etc::sourcelist=${join(dir, 'sources.list')}`, '-o', 'Dir::Etc::sourceparts=-',
      '-o', `Dir::State::Lists=${join(dir, 'lists')}`, '-o', 'Dir::Cache::pkgcache=', '-o', 'Dir::Cache::srcpkgcache=',
      '-o', 'APT::Get::List-Cleanup=0', '-o', 'APT::Sandbox::User=root',
    ];
  }, 60_000);

  afterAll(() => {
    if (!skipReason) execFileSync('dpkg', ['-r', packageName], { stdio: 'ignore' });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports 1.1 from the -security suite as a needed Security update', async () => {
    const apt = new Apt({ extraArgs: aptArgs, refreshLists: true, timeoutMs: 60_000 });
    const updates = await apt.assess();
    expect(updates).toEqual([
      expect.objectContaining({ name: packageName, currentVersion: '1.0', candidateVersion: '1.1', arch: 'all', classification: 'Security Updates', repository: 'Upkeep-Test:1/upkeep-security' }),
    ]);
    const result = await linuxAssessor(apt).assess(Date.now());
    expect(result.updates).toEqual([expect.objectContaining({ product: packageName, productVersion: '1.1', classification: 'Security Updates' })]);
  }, 60_000);

  it('reaches the server as an Update row through the whole agent', async () => {
    const server = new TestServer();
    await server.start();
    try {
      const summary = await runAgent({
        endpoint: { url: server.url, workspaceId: server.workspaceId, key: server.key },
        stateDir: join(dir, 'state'),
        once: true,
        packageManager: new Apt({ extraArgs: aptArgs, timeoutMs: 60_000 }),
        log: () => undefined,
      });
      expect(summary.exit).toBe('delivered');
      expect(server.records('Update')).toEqual([expect.objectContaining({ Product: packageName, ProductVersion: '1.1', Classification: 'Security Updates', UpdateState: 'Needed', PackageRepository: 'Upkeep-Test:1/upkeep-security' })]);
      expect(server.records('UpdateSummary')).toEqual([expect.objectContaining({ SecurityUpdatesMissing: 1, TotalUpdatesMissing: 1 })]);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
