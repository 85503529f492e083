/**
 * Announcements between replicas over Redis pub/sub: a JSON message on a channel of the queue prefix, checked
 * against a zod schema before anyone acts on it (the plan reloads of plan-reload.ts, the Slack 429s of
 * slack/rate-limit-sharing.ts).
 */
import type { Cluster, Redis } from 'ioredis';
import type { z } from 'zod';

/**
 * Calls `onAnnouncement` with each message published on `channel` that parses as JSON and matches `schema`, and
 * `onMalformed` (no arguments) for any other message on it. Messages of other channels are left to their listeners.
 * Subscribing is the caller's (`subscriber.subscribe(channel)`).
 */
export function onAnnouncements<T>(subscriber: Redis | Cluster, channel: string, schema: z.ZodType<T>, onAnnouncement: (announcement: T) => void, onMalformed: () => void): void {
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) onAnnouncement(parsed.data);
    else onMalformed();
  });
}
