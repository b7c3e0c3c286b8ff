/**
 * Runs a package-manager command with a fixed locale (the parsers read English output) and a
 * bounded run time: SIGTERM at the timeout, SIGKILL shortly after if it lingers.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Exit codes that are not failures (besides 0). */
  okExitCodes?: readonly number[];
  /** Resolve with the exit code whatever it is (installs parse the failure themselves). */
  anyExitCode?: boolean;
  env?: Record<string, string>;
}

export class PackageManagerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageManagerError';
  }
}

const maxOutputBytes = 64 * 1024 * 1024;

export function runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const shown = [command, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, LC_ALL: 'C', LANG: 'C', LANGUAGE: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let bytes = 0;
    let timedOut = false;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= maxOutputBytes) into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new PackageManagerError(`cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { exitCode: code ?? -1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
      if (timedOut) return reject(new PackageManagerError(`${shown} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped; is another package manager holding the lock?`));
      if (signal) return reject(new PackageManagerError(`${shown} was killed by ${signal}`));
      if (result.exitCode !== 0 && !options.anyExitCode && !(options.okExitCodes ?? []).includes(result.exitCode)) {
        return reject(new PackageManagerError(`${shown} failed with exit code ${result.exitCode}: ${lastLines(result.stderr || result.stdout)}`));
      }
      resolve(result);
    });
  });
}

/** True when `command` exists on PATH. */
export async function commandExists(command: string): Promise<boolean> {
  try {
    await runCommand('sh', ['-c', `command -v ${command}`], { timeoutMs: 5000 });
    return true;
  } catch {
    return false;
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ') || '(no output)';
}
