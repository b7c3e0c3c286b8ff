/**
 * apt for real: two dummy packages, version 1.0 installed with dpkg, 1.1 published in a local
 * repository whose suite is `upkeep-security`. The agent's apt assessment must report both 1.1
 * as needed Security updates; an install job (over the HTTP job protocol) must really upgrade
 * the first to 1.1 while the excluded second stays at 1.0; and end to end, a deployment created
 * over the real server's API (startServer on 127.0.0.1, its scheduler on a ManualClock) runs
 * on the real agent, shows Succeeded in UpdateRunProgress, and the next assessment no longer
 * lists the package. apt runs with its own sources list,
 * lists and archive cache, so the machine's apt configuration stays untouched; the packages
 * are removed afterwards. Needs root, dpkg-deb and apt-get (dpkg-dev for dpkg-scanpackages, optional).
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
import type { Deployment, InstallJob, Run } from '../../contracts/updates.js';
import { ManualClock } from '../../contracts/clock.js';
import { startTestServer } from '../../server/test-server.js';
import type { Rebooter } from '../jobs/rebooter.js';
import { Apt } from './apt.js';
import { dpkg } from '../testing/dpkg.js';

const packageName = 'upkeep-agent-test-dummy';
const excludedName = 'upkeep-agent-test-excluded';
const packageNames = [packageName, excludedName];

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
let oldDebs: string[] = [];

/** Every test that installs starts from 1.0 of both packages (dpkg -i downgrades what an earlier test upgraded). */
function installOldVersions(): void {
  const result = dpkg(['-i', ...oldDebs]);
  if (result.status !== 0) throw new Error(`dpkg -i of the 1.0 packages failed: ${result.stderr}`);
}

function buildPackage(version: string, into: string, name = packageName): string {
  const root = join(dir, `build-${name}-${version}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/share/doc', name), { recursive: true });
  writeFileSync(join(root, 'usr/share/doc', name, 'README'), `Upkeep agent test package ${version}\n`);
  writeFileSync(join(root, 'DEBIAN/control'), [
    `Package: ${name}`, `Version: ${version}`, 'Architecture: all', 'Maintainer: Upkeep tests <tests@upkeep.invalid>',
    'Section: misc', 'Priority: optional', 'Description: dummy package for the Upkeep agent apt test', '',
  ].join('\n'));
  const deb = join(into, `${name}_${version}_all.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, deb], { stdio: 'ignore' });
  return deb;
}

/** dpkg-scanpackages when dpkg-dev is installed, else the same stanza written here. */
function packagesIndex(repo: string, debs: string[]): string {
  if (has('dpkg-scanpackages')) return execFileSync('dpkg-scanpackages', ['pool', '/dev/null'], { cwd: repo, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  return debs.map((deb) => {
    const control = execFileSync('dpkg-deb', ['--field', deb]).toString().trimEnd();
    const bytes = readFileSync(deb);
    return `${control}\nFilename: pool/${deb.split('/').pop()}\nSize: ${statSync(deb).size}\nSHA256: ${createHash('sha256').update(bytes).digest('hex')}\n\n`;
  }).join('');
}

function publish(debs: string[], repo: string): void {
  const suite = 'upkeep-security';
  const indexDir = join(repo, 'dists', suite, 'main', 'binary-amd64');
  mkdirSync(indexDir, { recursive: true });
  const packages = packagesIndex(repo, debs);
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
    oldDebs = packageNames.map((name) => buildPackage('1.0', dir, name));
    installOldVersions();
    publish(packageNames.map((name) => buildPackage('1.1', join(repo, 'pool'), name)), repo);
    writeFileSync(join(dir, 'sources.list'), `deb [trusted=yes] file:${repo} upkeep-security main\n`);
    mkdirSync(join(dir, 'lists', 'partial'), { recursive: true });
    mkdirSync(join(dir, 'archives', 'partial'), { recursive: true });
    aptArgs = [
      '-o', `Dir::Etc::sourcelist=${join(dir, 'sources.list')}`, '-o', 'Dir::Etc::sourceparts=-',
      '-o', `Dir::State::Lists=${join(dir, 'lists')}`, '-o', 'Dir::Cache::pkgcache=', '-o', 'Dir::Cache::srcpkgcache=',
      '-o', `Dir::Cache::archives=${join(dir, 'archives')}`,
      '-o', 'APT::Get::List-Cleanup=0', '-o', 'APT::Sandbox::User=root',
      // The agent's package test may be installing with dpkg at the same moment on this machine.
      '-o', 'DPkg::Lock::Timeout=120',
    ];
  }, 60_000);

  afterAll(() => {
    if (!skipReason) execFileSync('dpkg', ['-r', ...packageNames], { stdio: 'ignore' });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports 1.1 from the -security suite as a needed Security update', async () => {
    const apt = new Apt({ extraArgs: aptArgs, refreshLists: true, timeoutMs: 60_000 });
    const updates = await apt.assess();
    expect(updates).toEqual(packageNames.map((name) =>
      expect.objectContaining({ name, currentVersion: '1.0', candidateVersion: '1.1', arch: 'all', classification: 'Security Updates', repository: 'Upkeep-Test:1/upkeep-security' }),
    ));
    const result = await linuxAssessor(apt).assess(Date.now());
    expect(result.updates).toEqual(packageNames.map((name) => expect.objectContaining({ product: name, productVersion: '1.1', classification: 'Security Updates' })));
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
      expect(server.records('Update')).toEqual(packageNames.map((name) => expect.objectContaining({ Product: name, ProductVersion: '1.1', Classification: 'Security Updates', UpdateState: 'Needed', PackageRepository: 'Upkeep-Test:1/upkeep-security' })));
      expect(server.records('UpdateSummary')).toEqual([expect.objectContaining({ SecurityUpdatesMissing: 2, TotalUpdatesMissing: 2 })]);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('an install job really upgrades the package 1.0 → 1.1; the excluded one stays; the rescan no longer lists it', async () => {
    const server = new TestServer();
    await server.start();
    const controller = new AbortController();
    const reboots: string[] = [];
    const rebooter: Rebooter = { reboot: async (reason) => (reboots.push(reason), { rebooted: false, message: 'not in a test' }) };
    const computer = 'apt-test.upkeep.invalid';
    const job: InstallJob = {
      kind: 'install', jobId: 'apt-job-1', runId: 'apt-run-1', updateRunName: 'apt security', os: 'Linux',
      classifications: ['Security Updates'], excludedUpdates: ['upkeep-agent-test-exc*'], includedUpdates: [], reboot: 'Never',
      windowEndsAt: new Date(Date.now() + 60 * 60_000).toISOString(),
    };
    server.enqueueJob(computer, job);
    installOldVersions();
    try {
      const running = runAgent({
        endpoint: { url: server.url, workspaceId: server.workspaceId, key: server.key },
        stateDir: join(dir, 'state-install'),
        once: false,
        packageManager: new Apt({ extraArgs: aptArgs, timeoutMs: 60_000, installTimeoutMs: 120_000 }),
        machine: { computer },
        rebooter,
        signal: controller.signal,
        log: () => undefined,
      });
      const completion = await server.waitForCompletion(job.jobId, 120_000);
      controller.abort();
      await running;
      expect(completion).toEqual({ status: 'Succeeded', rebooted: false });
      expect(reboots).toEqual([]); // reboot Never
      expect(installedVersion(packageName)).toBe('1.1');
      expect(installedVersion(excludedName)).toBe('1.0');
      const progress = server.progress.get(job.jobId) ?? [];
      expect(progress.filter((p) => p.product === packageName).map((p) => p.status)).toEqual(['NotStarted', 'InProgress', 'Succeeded']);
      expect(progress.filter((p) => p.product === excludedName).map((p) => p.status)).toEqual(['Excluded']);
      // Scanned before and after the installation: the last assessment lists only the excluded package.
      const summaries = server.records('UpdateSummary');
      expect(summaries.at(-1)).toMatchObject({ SecurityUpdatesMissing: 1, TotalUpdatesMissing: 1 });
      const lastTime = summaries.at(-1)?.TimeGenerated;
      expect(server.records('Update').filter((r) => r.TimeGenerated === lastTime).map((r) => r.Product)).toEqual([excludedName]);
    } finally {
      controller.abort();
      await server.stop();
    }
  }, 180_000);

  it('end to end: a Linux deployment on a real server; the scheduled run upgrades the dummy package, UpdateRunProgress shows Succeeded, the next assessment no longer lists it', async () => {
    installOldVersions();
    // The server's time is a ManualClock starting now, so the occurrence can be reached without waiting for it.
    const realNow = Date.now();
    const clock = new ManualClock(new Date(realNow));
    const occurrence = new Date(Math.ceil(realNow / 60_000) * 60_000 + 60_000);
    const t = await startTestServer({ clock, updateRuns: { tickMs: 1_000 } });
    const controller = new AbortController();
    const computer = 'apt-e2e.upkeep.invalid';
    const admin = (method: string, path: string, body?: unknown) => fetch(`${t.url}${path}`, {
      method, headers: { authorization: `Bearer ${t.adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const rows = async (query: string) => {
      const { status, body } = await t.query(query);
      expect(status, JSON.stringify(body)).toBe(200);
      return body.tables[0]?.rows ?? [];
    };
    try {
      const created = await admin('POST', '/api/deployments', {
        name: 'apt security e2e', os: 'Linux', classifications: ['Security Updates'], excludedUpdates: ['upkeep-agent-test-exc*'], includedUpdates: [],
        targets: { machines: [computer], groups: [], dynamicGroups: [] },
        schedule: { startTime: occurrence.toISOString().slice(0, 16), timeZone: 'UTC', recurrence: { frequency: 'Once' } },
        windowMinutes: 120, reboot: 'IfRequired', enabled: true,
      });
      expect(created.status, await created.clone().text()).toBe(201);
      const deployment = (await created.json()) as Deployment;
      const agent = runAgent({
        endpoint: { url: t.url, workspaceId: t.workspaceId, key: t.primaryKey },
        stateDir: join(dir, 'state-e2e'),
        once: false,
        packageManager: new Apt({ extraArgs: aptArgs, timeoutMs: 60_000, installTimeoutMs: 120_000 }),
        machine: { computer },
        jobWaitSeconds: 5,
        rebooter: { reboot: async () => ({ rebooted: false, message: 'restart pending: not in a test' }) },
        signal: controller.signal,
        log: () => undefined,
      });
      clock.set(occurrence);
      let run: Run | undefined;
      for (let i = 0; i < 400 && !run?.endedAt; i++) {
        // Server time moves a second per 50 ms: the scheduler ticks, long polls end, the run advances.
        clock.advance(1_000);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const runs = ((await (await admin('GET', `/api/deployments/${deployment.id}/runs`)).json()) as { runs: Run[] }).runs;
        run = runs[0];
      }
      expect(run, 'the run did not end').toMatchObject({ status: 'Succeeded', machines: [expect.objectContaining({ computer, status: 'Succeeded' })] });
      expect(installedVersion(packageName)).toBe('1.1');
      expect(installedVersion(excludedName)).toBe('1.0');
      const progress = await rows(`UpdateRunProgress | where CorrelationId == '${run!.id}' and Product != '' | project Product, InstallationStatus | order by Product asc, InstallationStatus asc`);
      // The server writes Product as package.arch.
      expect(progress).toEqual([
        [`${packageName}.all`, 'InProgress'], [`${packageName}.all`, 'NotStarted'], [`${packageName}.all`, 'Succeeded'],
        [`${excludedName}.all`, 'Excluded'],
      ]);
      // The assessment after the installation (sent before completion; wait until it is ingested).
      let latest: unknown[][] = [];
      for (let i = 0; i < 100; i++) {
        latest = await rows(`UpdateSummary | where Computer == '${computer}' | summarize n = count(), arg_max(TimeGenerated, TotalUpdatesMissing)`);
        if (Number(latest[0]?.[0]) >= 2) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(Number(latest[0]?.[0])).toBeGreaterThanOrEqual(2);
      expect(Number(latest[0]?.[2])).toBe(1);
      const lastListed = await rows(`Update | where Computer == '${computer}' | summarize lastSeen = max(TimeGenerated) by Product | order by Product asc`);
      expect(lastListed.map((r) => r[0])).toEqual([packageName, excludedName]);
      const [, last] = latest[0] ?? [];
      expect(Date.parse(String(lastListed[0]?.[1]))).toBeLessThan(Date.parse(String(last)));
      expect(Date.parse(String(lastListed[1]?.[1]))).toBe(Date.parse(String(last)));
      controller.abort();
      await agent;
    } finally {
      controller.abort();
      await t.close();
    }
  }, 120_000);
});

function installedVersion(name: string): string {
  return execFileSync('dpkg-query', ['-W', '-f=${Version}', name]).toString();
}
