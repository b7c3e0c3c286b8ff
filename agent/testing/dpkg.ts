/**
 * dpkg for tests that install packages on this machine. Two such test files may run at once (the
 * agent's package test and the apt local-repository test), so a held lock is waited for, up to
 * about a minute, rather than failing the test.
 */
import { spawnSync } from 'node:child_process';

export interface DpkgRun {
  status: number;
  stdout: string;
  stderr: string;
}

export function dpkg(args: readonly string[]): DpkgRun {
  for (let attempt = 0; ; attempt++) {
    const result = spawnSync('dpkg', args, { encoding: 'utf8', timeout: 120_000 });
    const run = { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    if (run.status === 0 || attempt >= 30 || !/lock/i.test(run.stderr)) return run;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
  }
}
