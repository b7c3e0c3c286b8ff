/**
 * One VirtualClock for the server and the fleet: the server's timers and the machines' sleeps
 * wake in time order as the simulation advances it, cancelable, each seeing its own instant.
 */
import { describe, expect, it } from 'vitest';
import { isAbortError, sleep, sleepUntil } from '../../contracts/clock.js';
import { VirtualClock } from './virtual-clock.js';

const hhmmss = (clock: VirtualClock) => clock.now().toISOString().slice(11, 19);

describe('VirtualClock', () => {
  it('fires server timers at their virtual time, in order with the agents sleeping on the same clock', async () => {
    const clock = new VirtualClock(Date.UTC(2025, 2, 3));
    const seen: string[] = [];
    clock.setTimer(60_000, () => seen.push(`tick at ${hhmmss(clock)}`));
    const canceled = clock.setTimer(30_000, () => seen.push('canceled timer'));
    void sleep(clock, 45_000).then(() => seen.push(`agent at ${hhmmss(clock)}`));
    canceled.cancel();
    await clock.advanceTo(clock.now().getTime() + 30_000);
    expect(seen).toEqual([]);
    await clock.advanceTo(clock.now().getTime() + 60_000);
    expect(seen).toEqual(['agent at 00:00:45', 'tick at 00:01:00']);
    expect(clock.now().getTime()).toBe(Date.UTC(2025, 2, 3, 0, 1, 30));
  });

  it('lets a woken sleeper set its next timer before time moves on', async () => {
    const clock = new VirtualClock(Date.UTC(2025, 2, 3));
    const beats: string[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await sleep(clock, 60_000);
        beats.push(hhmmss(clock));
      }
    })();
    await clock.advanceTo(Date.UTC(2025, 2, 3, 0, 10));
    expect(beats).toEqual(['00:01:00', '00:02:00', '00:03:00']);
  });

  it('ends a sleep early with an AbortError, and resolves one whose time has passed at once', async () => {
    const clock = new VirtualClock(Date.UTC(2025, 2, 3));
    const controller = new AbortController();
    const sleeping = sleep(clock, 60_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toSatisfy(isAbortError);
    await expect(sleepUntil(clock, Date.UTC(2025, 2, 2))).resolves.toBeUndefined();
    await expect(sleep(clock, 1, controller.signal)).rejects.toSatisfy(isAbortError);
  });
});
