/** A valid deployment definition for tests and examples; override any field. */
import type { DeploymentInput } from '../../../contracts/updates.js';

export function sampleDeploymentInput(overrides: Partial<DeploymentInput> = {}): DeploymentInput {
  return {
    name: 'Linux security, Tuesday nights',
    os: 'Linux',
    classifications: ['Critical Updates', 'Security Updates'],
    excludedUpdates: ['kernel*', 'redhat-release-server.x86_64'],
    includedUpdates: [],
    targets: { machines: ['web-01.contoso.com', 'web-02.contoso.com'], groups: [], dynamicGroups: [] },
    schedule: { startTime: '2031-01-07T02:00', timeZone: 'Europe/Berlin', recurrence: { frequency: 'Week', interval: 1, weekDays: ['Tuesday'] } },
    windowMinutes: 120,
    reboot: 'IfRequired',
    enabled: true,
    ...overrides,
  };
}
