/**
 * The server's scheduler, runs and job long polls take an engine Clock (Date, timers); the
 * simulator's machines sleep on a VirtualClock (epoch ms, sleepUntil). One VirtualClock seen as
 * an engine Clock lets a test run the server and the fleet on the same virtual time: the
 * server's timers wake in time order among the machines' sleeps as the simulation advances it.
 */
import type { Clock as EngineClock, TimerHandle } from '../../contracts/clock.js';
import type { VirtualClock } from './virtual-clock.js';

export function engineClockOf(clock: VirtualClock): EngineClock {
  return {
    now: () => new Date(clock.now()),
    setTimer(ms: number, callback: () => void): TimerHandle {
      const controller = new AbortController();
      clock.sleepUntil(clock.now() + Math.max(0, ms), controller.signal).then(callback, () => undefined);
      return { cancel: () => controller.abort() };
    },
  };
}
