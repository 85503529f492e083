import type { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { registerEventDedupe } from '../../../../src/slack/middleware/dedupe-events.js';
import { createLogger } from '../../../../src/logger.js';

type Middleware = (args: { body: unknown; next: () => Promise<void>; context: Record<string, unknown>; ack?: () => Promise<void> }) => Promise<void>;

/** The global middleware registerEventDedupe adds, taken from a stand-in App. */
function dedupeWith(db: unknown): { middleware: Middleware; lines: string[] } {
  let middleware: Middleware | undefined;
  const app = {
    use: (m: Middleware) => {
      middleware = m;
    },
  } as unknown as App;
  const lines: string[] = [];
  registerEventDedupe(app, { db: db as never }, createLogger('info', { write: (l: string) => lines.push(l) }));
  return { middleware: middleware!, lines };
}

/** A db whose insert … on conflict do nothing … returning answers with `rows`, or rejects with `error`. */
function eventStore(outcome: { rows: unknown[] } | { error: Error }) {
  const chain = {
    values: () => chain,
    onConflictDoNothing: () => chain,
    returning: async () => {
      if ('error' in outcome) throw outcome.error;
      return outcome.rows;
    },
  };
  return { insert: () => chain };
}

/** Runs the middleware on one delivery of `body`; says whether it reached the listeners (`next`) and was acked. */
async function deliver(middleware: Middleware, body: unknown): Promise<{ handled: boolean; acked: boolean }> {
  const seen = { handled: false, acked: false };
  await middleware({
    body,
    context: {},
    next: async () => {
      seen.handled = true;
    },
    ack: async () => {
      seen.acked = true;
    },
  });
  return seen;
}

describe('registerEventDedupe', () => {
  const event = { event_id: 'Ev0123', event: { type: 'message', channel_type: 'im' } };

  it('drops a delivery whose event_id was seen, and acks it', async () => {
    const { middleware } = dedupeWith(eventStore({ rows: [] }));
    expect(await deliver(middleware, event)).toEqual({ handled: false, acked: true });
  });

  it('hands a first delivery to the listeners', async () => {
    const { middleware } = dedupeWith(eventStore({ rows: [{ id: 'Ev0123' }] }));
    expect((await deliver(middleware, event)).handled).toBe(true);
  });

  it('hands the delivery to the listeners when Postgres cannot record it (Slack will not send it again), with a warning', async () => {
    const { middleware, lines } = dedupeWith(eventStore({ error: new Error('Connection terminated unexpectedly') }));
    expect((await deliver(middleware, event)).handled).toBe(true);
    expect(lines.some((l) => l.includes('handling the event anyway') && l.includes('Ev0123'))).toBe(true);
  });
});
