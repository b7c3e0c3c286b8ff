/** Shared pieces of the package managers' installs: running one install command and naming its outcome. */
import { PackageManagerError, runCommand, type CommandResult } from './run-command.js';
import type { InstallResult, PackageToInstall } from './types.js';

export interface InstallCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** A rule: when `pattern` matches the output, the install has this status and message. */
export interface FailureRule {
  pattern: RegExp;
  status: 'Failed' | 'InstallFailed';
  /** Gets the match; returns the ErrorResult text (cause and fix). */
  message: (match: RegExpExecArray) => string;
}

export function failed(pkg: PackageToInstall, status: 'Failed' | 'InstallFailed', errorResult: string): InstallResult {
  return { package: pkg, status, errorResult };
}

/** The first rule matching the output wins; otherwise the last error lines, as InstallFailed. */
export function classifyFailure(pkg: PackageToInstall, shown: string, result: CommandResult, rules: readonly FailureRule[], errorLine: RegExp): InstallResult {
  const output = `${result.stderr}\n${result.stdout}`;
  for (const rule of rules) {
    const match = rule.pattern.exec(output);
    if (match) return failed(pkg, rule.status, rule.message(match));
  }
  const lines = output.split('\n').map((l) => l.trim()).filter((l) => errorLine.test(l));
  const detail = (lines.length > 0 ? lines : output.trim().split('\n').slice(-3)).slice(-3).join(' | ') || '(no output)';
  return failed(pkg, 'InstallFailed', `${shown} failed with exit code ${result.exitCode}: ${detail}`);
}

/** Runs one install command; a timeout or a tool that cannot start is a Failed result, not a throw. */
export async function runInstall(pkg: PackageToInstall, command: InstallCommand, timeoutMs: number, interpret: (result: CommandResult) => InstallResult): Promise<InstallResult> {
  try {
    const result = await runCommand(command.command, command.args, { timeoutMs, env: command.env, anyExitCode: true });
    return interpret(result);
  } catch (error) {
    if (!(error instanceof PackageManagerError)) throw error;
    return failed(pkg, 'Failed', error.message);
  }
}

export function shownCommand(command: InstallCommand): string {
  return [command.command, ...command.args].join(' ');
}

/** One package at a time, in order, so each gets its own outcome. */
export async function installEach(packages: readonly PackageToInstall[], installOne: (pkg: PackageToInstall) => Promise<InstallResult>): Promise<InstallResult[]> {
  const results: InstallResult[] = [];
  for (const pkg of packages) results.push(await installOne(pkg));
  return results;
}

export const lockHint = 'another process holds the package manager lock (an automatic update or an administrator?): let it finish, then run the deployment again';
