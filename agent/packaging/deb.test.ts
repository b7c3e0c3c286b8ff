/**
 * The upkeep-agent package for real: built as `npm run package:agent` builds it, inspected with
 * dpkg-deb, installed with dpkg -i on this machine, configured in /etc/upkeep, run once as
 * /usr/bin/upkeep-agent against a real server on 127.0.0.1 (its Heartbeat and Update rows read
 * back with KQL), then removed and purged, leaving nothing behind. So that the assessment has an
 * update to report, a dummy package is installed at 1.0 with 1.1 in a local repository, and
 * the agent's apt sees only that repository through APT_CONFIG (the machine's apt sources and
 * lists stay untouched). Needs root, dpkg, dpkg-deb and apt-get; skipped, with the reason,
 * without them, and also when upkeep-agent, /etc/upkeep or /var/lib/upkeep is already on the
 * machine (purging would take someone's configuration). afterAll purges whatever is left.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test-server.js';
import { buildAgentPackage, packageName, type BuiltPackage } from './build-deb.js';
import { dpkg } from '../testing/dpkg.js';

const dummy = 'upkeep-agent-deb-test-dummy';
const unit = 'upkeep-agent.service';
/** What deb-systemd-helper leaves until purge (enable symlink, state files, the mask of a removed package). */
const systemdState = [
  `/etc/systemd/system/multi-user.target.wants/${unit}`,
  `/etc/systemd/system/${unit}`,
  `/var/lib/systemd/deb-systemd-helper-enabled/${unit}.dsh-also`,
  `/var/lib/systemd/deb-systemd-helper-enabled/multi-user.target.wants/${unit}`,
  `/var/lib/systemd/deb-systemd-helper-masked/${unit}`,
];

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function installed(name: string): boolean {
  const result = spawnSync('dpkg-query', ['-W', '-f', '${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('installed') && !result.stdout.includes('not-installed');
}

/** dpkg knows the package (installed, or removed with its configuration left). */
function known(name: string): boolean {
  return spawnSync('dpkg-query', ['-W', name], { stdio: 'ignore' }).status === 0;
}

function skipReason(): string {
  if (process.getuid?.() !== 0) return 'needs root (dpkg -i)';
  const missing = ['dpkg', 'dpkg-deb', 'dpkg-query', 'apt-get'].filter((c) => !has(c));
  if (missing.length > 0) return `needs ${missing.join(', ')}`;
  if (known(packageName)) return `${packageName} is already installed on this machine`;
  const taken = ['/etc/upkeep', '/var/lib/upkeep'].filter((path) => existsSync(path));
  return taken.length > 0 ? `${taken.join(' and ')} already exist on this machine` : '';
}

const skip = skipReason();
if (skip) console.warn(`upkeep-agent package test skipped: ${skip}`);

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const result = spawnSync(command, args, { encoding: 'utf8', env, timeout: 120_000 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** For commands that talk to the server of this process: spawnSync would block its event loop. */
function runAsync(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function buildDummy(dir: string, version: string, into: string): string {
  const root = join(dir, `build-${version}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(join(root, 'DEBIAN/control'), [
    `Package: ${dummy}`, `Version: ${version}`, 'Architecture: all', 'Maintainer: Upkeep tests <tests@upkeep.invalid>',
    'Description: dummy package for the upkeep-agent package test', '',
  ].join('\n'));
  const deb = join(into, `${dummy}_${version}_all.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, deb], { stdio: 'ignore' });
  return deb;
}

/** A flat repository (`deb [trusted=yes] file:DIR ./`) holding 1.1, and an apt configuration that sees only it. */
function localRepository(dir: string): string {
  const repo = join(dir, 'repo');
  mkdirSync(repo, { recursive: true });
  const deb = buildDummy(dir, '1.1', repo);
  const control = execFileSync('dpkg-deb', ['--field', deb]).toString().trimEnd();
  writeFileSync(join(repo, 'Packages'), `${control}\nFilename: ./${dummy}_1.1_all.deb\nSize: ${statSync(deb).size}\n\n`);
  writeFileSync(join(dir, 'sources.list'), `deb [trusted=yes] file:${repo} ./\n`);
  mkdirSync(join(dir, 'lists', 'partial'), { recursive: true });
  mkdirSync(join(dir, 'archives', 'partial'), { recursive: true });
  const aptConfig = join(dir, 'apt.conf');
  writeFileSync(aptConfig, [
    `Dir::Etc::sourcelist "${join(dir, 'sources.list')}";`, 'Dir::Etc::sourceparts "-";',
    `Dir::State::Lists "${join(dir, 'lists')}";`, 'Dir::Cache::pkgcache "";', 'Dir::Cache::srcpkgcache "";',
    `Dir::Cache::archives "${join(dir, 'archives')}";`, 'APT::Get::List-Cleanup "0";', 'APT::Sandbox::User "root";', '',
  ].join('\n'));
  return aptConfig;
}

/** The package's paths (`./usr/bin/upkeep-agent` → `/usr/bin/upkeep-agent`), directories included. */
function packagePaths(deb: string): string[] {
  return run('dpkg-deb', ['-c', deb]).stdout.trim().split('\n')
    .map((line) => line.slice(line.indexOf('./') + 1).replace(/\/$/, ''))
    .filter((path) => path !== '');
}

describe.skipIf(skip !== '')('the upkeep-agent Debian package', () => {
  let dir = '';
  let server: TestServer | undefined;
  let built: BuiltPackage;
  let aptConfig = '';
  /** Paths of the package that did not exist before it was installed: all must be gone after purge. */
  let newPaths: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upkeep-deb-'));
    chmodSync(dir, 0o755);
    built = await buildAgentPackage(join(dir, 'dist'));
    newPaths = packagePaths(built.deb).filter((path) => !existsSync(path));
    aptConfig = localRepository(dir);
    const old = dpkg(['-i', buildDummy(dir, '1.0', dir)]);
    if (old.status !== 0) throw new Error(`dpkg -i ${dummy} 1.0 failed: ${old.stderr}`);
    const update = run('apt-get', ['update'], { ...process.env, APT_CONFIG: aptConfig });
    if (update.status !== 0) throw new Error(`apt-get update of the local repository failed: ${update.stderr}`);
    server = await startTestServer();
  }, 120_000);

  afterAll(async () => {
    // Whatever a failed step left: the package (purge also takes /etc/upkeep and /var/lib/upkeep), the dummy.
    if (known(packageName)) dpkg(['-P', packageName]);
    if (known(dummy)) dpkg(['-P', dummy]);
    rmSync('/etc/upkeep', { recursive: true, force: true });
    rmSync('/var/lib/upkeep', { recursive: true, force: true });
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('holds only the agent files, depends on nodejs and marks the configuration a conffile', () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    expect(built.deb).toBe(join(dir, 'dist', `${packageName}_${version}_all.deb`));
    const files = run('dpkg-deb', ['-c', built.deb]).stdout.trim().split('\n').filter((line) => !line.startsWith('d'));
    expect(files.map((line) => line.slice(line.indexOf('./') + 1)).sort()).toEqual([
      '/etc/upkeep/agent.conf', '/lib/systemd/system/upkeep-agent.service', '/usr/bin/upkeep-agent', '/usr/lib/upkeep-agent/agent.mjs',
    ]);
    expect(files.every((line) => line.includes(' root/root '))).toBe(true);
    expect(files.find((line) => line.endsWith('/usr/bin/upkeep-agent'))).toMatch(/^-rwxr-xr-x/);
    const info = run('dpkg-deb', ['-I', built.deb]).stdout;
    expect(info).toMatch(/^ Package: upkeep-agent$/m);
    expect(info).toMatch(new RegExp(`^ Version: ${version.replace(/\./g, '\\.')}$`, 'm'));
    expect(info).toMatch(/^ Architecture: all$/m);
    expect(info).toMatch(/^ Depends: nodejs \(>= 18\)$/m);
    expect(run('dpkg-deb', ['--info', built.deb, 'conffiles']).stdout).toBe('/etc/upkeep/agent.conf\n');
    console.log(`${built.deb}: ${(built.bytes / 1024).toFixed(1)} KiB`);
  });

  it('installs enabled but not started while the configuration is the commented example', () => {
    // The nodejs package provides /usr/bin/node here; a node installed otherwise does not satisfy
    // Depends, and only then is the dependency forced (the launcher still finds that node).
    const args = installed('nodejs') ? ['-i', built.deb] : ['-i', '--force-depends', built.deb];
    const install = dpkg(args);
    expect(install.stderr).toContain('upkeep-agent is installed and enabled but not started: upkeep-agent: /etc/upkeep/agent.conf: server is not set');
    expect(install.status).toBe(0);
    expect(installed(packageName)).toBe(true);
    expect(statSync('/usr/bin/upkeep-agent').mode & 0o777).toBe(0o755);
    if (has('deb-systemd-helper')) expect(lstatSync(systemdState[0]!).isSymbolicLink()).toBe(true);
    const check = run('/usr/bin/upkeep-agent', ['--check-config']);
    expect(check.status).toBe(2);
    expect(check.stderr).toMatch(/\/etc\/upkeep\/agent\.conf: server is not set: add a line `server = /);
    expect(run('/usr/bin/upkeep-agent', ['--version']).stdout).toBe(`upkeep-agent ${built.version}\n`);
  }, 120_000);

  it('refuses a key file others may read, then runs once and its records reach the server', async () => {
    const s = server!;
    writeFileSync('/etc/upkeep/agent.conf', `# written by the package test\nserver = ${s.url}\nworkspace_id = ${s.workspaceId}\nkey_file = /etc/upkeep/agent.key\n`);
    writeFileSync('/etc/upkeep/agent.key', `${s.primaryKey}\n`, { mode: 0o644 });
    chmodSync('/etc/upkeep/agent.key', 0o644);
    const loose = run('/usr/bin/upkeep-agent', ['--once']);
    expect(loose.status).toBe(2);
    expect(loose.stderr).toContain('/etc/upkeep/agent.conf line 4 (key_file): the key file /etc/upkeep/agent.key is readable by group or others (mode 0644): run chmod 600 /etc/upkeep/agent.key.');
    chmodSync('/etc/upkeep/agent.key', 0o600);
    expect(run('/usr/bin/upkeep-agent', ['--check-config']).status).toBe(0);
    const once = await runAsync('/usr/bin/upkeep-agent', ['--once'], { ...process.env, APT_CONFIG: aptConfig });
    expect(once.stdout, once.stderr).toMatch(/^agent \S+: 3 records in 3 batches acknowledged\n$/);
    expect(once.status).toBe(0);
    expect(JSON.parse(readFileSync('/var/lib/upkeep/state.json', 'utf8'))).toEqual(expect.objectContaining({ workspaceId: s.workspaceId }));
    const heartbeats = await s.query('Heartbeat | project OSType, Category');
    expect(heartbeats.body.tables[0]!.rows).toEqual([['Linux', 'Direct Agent']]);
    const updates = await s.query('Update | project Product, ProductVersion, UpdateState');
    expect(updates.body.tables[0]!.rows).toEqual([[dummy, '1.1', 'Needed']]);
  }, 120_000);

  it('leaves only its configuration after dpkg -r, and nothing after dpkg -P', () => {
    const listed = run('dpkg-query', ['-L', packageName]).stdout.trim().split('\n');
    expect(listed).toEqual(expect.arrayContaining(['/usr/bin/upkeep-agent', '/usr/lib/upkeep-agent/agent.mjs', '/lib/systemd/system/upkeep-agent.service', '/etc/upkeep/agent.conf']));
    const remove = dpkg(['-r', packageName]);
    expect(remove.status, remove.stderr).toBe(0);
    const configuration = ['/etc/upkeep', '/etc/upkeep/agent.conf'];
    expect(listed.filter((path) => newPaths.includes(path) && !configuration.includes(path) && existsSync(path))).toEqual([]);
    expect(existsSync('/etc/upkeep/agent.conf')).toBe(true);
    // postrm masked the unit (as debhelper does) so the leftover enablement cannot start it.
    if (has('deb-systemd-helper')) expect(lstatSync(`/etc/systemd/system/${unit}`).isSymbolicLink()).toBe(true);
    const purge = dpkg(['-P', packageName]);
    expect(purge.status, purge.stderr).toBe(0);
    expect(known(packageName)).toBe(false);
    expect([...listed, ...newPaths].filter((path) => newPaths.includes(path) && existsSync(path))).toEqual([]);
    expect(['/etc/upkeep', '/var/lib/upkeep', ...systemdState].filter((path) => existsOrLink(path))).toEqual([]);
  }, 120_000);
});

function existsOrLink(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
