/**
 * The replicas' shared view of Slack's rate limits (issue 25): each 429 a process receives is published on Redis
 * (`<QUEUE_PREFIX>:slack-429`), and every other process applies it to its own rate-limit gate, so a Retry-After
 * holds the calls of every replica under that limit, not only the one refused. Nothing is read from Redis before a
 * call: the holds arrive by pub/sub and the gate stays in memory.
 */
import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { onAnnouncements } from '../redis-announcements.js';
import type { SlackRateLimitGate } from './rate-limit-gate.js';

/** The pub/sub channel the replicas announce their 429s on. */
export const rateLimitChannel = (queuePrefix: string) => `${queuePrefix}:slack-429`;

/** A hold longer than this is not taken from another replica (Slack's Retry-After is seconds to a minute), ms. */
const LONGEST_SHARED_HOLD_MS = 10 * 60_000;

const announcementSchema = z.object({
  from: z.string().min(1),
  key: z.string().min(1).max(200),
  retryAfterMs: z.number().int().min(0).max(LONGEST_SHARED_HOLD_MS),
});

/** The running share; `close()` stops listening and quits the subscriber (shutdown). */
export interface RateLimitSharing {
  /** Resolves once the subscriber listens (never rejects; a failed subscribe is logged and the gate stays local). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Shares `gate`'s 429s with the other replicas on the same Redis and queue prefix, and applies theirs to it.
 * A failed publish is logged and costs only the sharing (this process's own gate still holds its calls); a malformed
 * announcement is ignored with a warning.
 * @param args.publisher a connection that can PUBLISH (the producer's).
 * @param args.subscriber a Redis connection of its own (subscriber mode); quit by `close()`.
 */
export function shareRateLimits(args: { gate: SlackRateLimitGate; publisher: Redis | Cluster; subscriber: Redis | Cluster; queuePrefix: string; log: Logger }): RateLimitSharing {
  const { gate, publisher, subscriber, log } = args;
  const channel = rateLimitChannel(args.queuePrefix);
  // this process's announcements come back to it too: they are told apart by this id
  const self = randomUUID();
  gate.shareWith((hold) => {
    publisher.publish(channel, JSON.stringify({ from: self, ...hold })).catch((err: Error) => log.warn({ err: err.message, channel }, 'could not share a Slack 429 with the other replicas'));
  });
  onAnnouncements(
    subscriber,
    channel,
    announcementSchema,
    ({ from, key, retryAfterMs }) => {
      if (from !== self) gate.heldElsewhere({ key, retryAfterMs });
    },
    () => log.warn({ channel }, 'ignoring a malformed Slack 429 announcement'),
  );
  const ready = subscriber
    .subscribe(channel)
    .then(() => {})
    .catch((err: Error) => log.warn({ err: err.message, channel }, "could not subscribe to the other replicas' Slack 429s"));
  return {
    ready,
    async close() {
      gate.shareWith(() => {});
      await subscriber.quit().catch(() => {});
    },
  };
}
