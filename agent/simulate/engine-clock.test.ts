/** The server's timers on the fleet's virtual clock: in time order among the machines' sleeps, cancelable. */
import { describe, expect, it } from 'vitest';
import { engineClockOf } from './engine-clock.js';
import { VirtualClock } from './virtual-clock.js';

describe('engineClockOf', () => {
  it('fires server timers at their virtual time, in order with the agents sleeping on the same clock', async () => {
    const clock = new VirtualClock(Date.UTC(2025, 2, 3));
    const server = engineClockOf(clock);
    const seen: string[] = [];
    server.setTimer(60_000, () => seen.push(`tick at ${server.now().toISOString().slice(11, 16)}`));
    const canceled = server.setTimer(30_000, () => seen.push('canceled timer'));
    void clock.sleepUntil(clock.now() + 45_000).then(() => seen.push(`agent at ${new Date(clock.now()).toISOString().slice(11, 19)}`));
    canceled.cancel();
    await clock.advanceTo(clock.now() + 30_000);
    expect(seen).toEqual([]);
    await clock.advanceTo(clock.now() + 60_000);
    expect(seen).toEqual(['agent at 00:00:45', 'tick at 00:01']);
    expect(server.now().getTime()).toBe(Date.UTC(2025, 2, 3, 0, 1, 30));
  });
});
