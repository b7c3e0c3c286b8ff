/** Which needed updates an install job covers (Windows KB exclusions, optional updates; Linux name patterns). */
import { describe, expect, it } from 'vitest';
import type { AssessedUpdate } from '../assessment.js';
import { selectUpdates } from './select-updates.js';

const win = (kbid: string, classification: string, optional = false): AssessedUpdate => ({ title: `KB${kbid}`, product: 'Windows Server 2019', productArch: '', productVersion: '', classification, kbid, optional });
const pkg = (name: string, arch: string, classification = 'Security Updates'): AssessedUpdate => ({ title: name, product: name, productArch: arch, productVersion: '1', classification });

const names = (updates: AssessedUpdate[]) => updates.map((u) => u.kbid ?? u.product);

describe('selectUpdates', () => {
  it('Windows: classifications, KB exclusions (KB prefix tolerated), only non-optional', () => {
    const needed = [win('5034127', 'Security Updates'), win('890830', 'Update Rollups'), win('5034203', 'Updates', true), win('5033909', 'Critical Updates')];
    const { toInstall, skipped } = selectUpdates(needed, { os: 'Windows', classifications: ['Security Updates', 'Critical Updates', 'Updates'], excludedUpdates: ['KB5033909'], includedUpdates: [] });
    expect(names(toInstall)).toEqual(['5034127']);
    expect(skipped.map((s) => [s.update.kbid, s.status])).toEqual([['890830', 'NotIncluded'], ['5034203', 'NotIncluded'], ['5033909', 'Excluded']]);
  });

  it('Linux: wildcards match the name or name.arch; an allow-list narrows; exclusion wins over inclusion', () => {
    const needed = [pkg('redhat-release-server', 'x86_64'), pkg('kernel', 'x86_64'), pkg('kernel-tools', 'x86_64'), pkg('openssl', 'x86_64'), pkg('tzdata', 'noarch', 'Other Updates')];
    const job = { os: 'Linux' as const, classifications: ['Security Updates' as const, 'Other Updates' as const], excludedUpdates: ['redhat-release-server.x86_64', 'kernel-t*'], includedUpdates: [] };
    expect(names(selectUpdates(needed, job).toInstall)).toEqual(['kernel', 'openssl', 'tzdata']);
    const narrowed = selectUpdates(needed, { ...job, includedUpdates: ['kernel*', 'tz*.noarch'] });
    expect(names(narrowed.toInstall)).toEqual(['kernel', 'tzdata']);
    expect(narrowed.skipped.map((s) => [s.update.product, s.status])).toEqual([['redhat-release-server', 'Excluded'], ['kernel-tools', 'Excluded'], ['openssl', 'NotIncluded']]);
  });

  it('treats regex characters in patterns literally', () => {
    const { toInstall } = selectUpdates([pkg('libstdc++6', 'amd64'), pkg('libstdcxx6', 'amd64')], { os: 'Linux', classifications: ['Security Updates'], excludedUpdates: ['libstdc++*'], includedUpdates: [] });
    expect(names(toInstall)).toEqual(['libstdcxx6']);
  });
});
