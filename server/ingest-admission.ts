/**
 * Admission for ingestion requests: at most `maxInFlight` requests between their headers and
 * their answer; beyond that a 429 Overloaded with Retry-After, before the body is read.
 *
 * Why, beside the writer's `maxQueuedRecords`: that bound counts records, so many small requests
 * (a fleet's heartbeats) never reach it. Measured with bench/load.ts (1,000 agents, one socket
 * each, on the shared 2-core machine): without this bound every request was taken, ack p99 grew
 * to 19 s, the event loop stalled up to 2.5 s and throughput halved, with no 429 to tell the
 * agents to back off.
 */
import type { FastifyReply } from 'fastify';
import { sendError } from './errors.js';

export const DEFAULT_MAX_INGEST_REQUESTS = 256;

/** Completions per second over the last few seconds estimate how long the requests in flight take to clear. */
const rateWindowSeconds = 5;

export class IngestAdmission {
  private inFlight = 0;
  /** Completions per whole second: slot = second % length, with the second it counts. */
  private readonly slots = Array.from({ length: rateWindowSeconds + 1 }, () => ({ second: -1, count: 0 }));

  constructor(readonly maxInFlight = DEFAULT_MAX_INGEST_REQUESTS) {}

  get requestsInFlight(): number {
    return this.inFlight;
  }

  /**
   * Takes a place for this request (given back when its response closes, answered or aborted),
   * or answers 429 and returns false.
   */
  admit(reply: FastifyReply): boolean {
    if (this.inFlight >= this.maxInFlight) {
      reply.header('retry-after', String(this.retryAfterSeconds()));
      sendError(reply, 429, 'Overloaded', `Nothing was stored: the server has ${this.inFlight} ingestion requests in progress (at most ${this.maxInFlight}). Send the same batch again after the Retry-After delay.`);
      return false;
    }
    this.inFlight++;
    let released = false;
    reply.raw.once('close', () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.countCompletion();
    });
    return true;
  }

  /** Seconds for the requests in flight to clear at the recent completion rate (1–30). */
  retryAfterSeconds(): number {
    const now = Math.floor(Date.now() / 1000);
    // The finished seconds of the window (the current one is still counting).
    const recent = this.slots.filter((s) => s.second < now && s.second >= now - rateWindowSeconds).reduce((n, s) => n + s.count, 0);
    const perSecond = recent / rateWindowSeconds;
    if (perSecond === 0) return 5;
    return Math.min(30, Math.max(1, Math.ceil(this.inFlight / perSecond)));
  }

  private countCompletion(): void {
    const second = Math.floor(Date.now() / 1000);
    const slot = this.slots[second % this.slots.length]!;
    if (slot.second !== second) {
      slot.second = second;
      slot.count = 0;
    }
    slot.count++;
  }
}
