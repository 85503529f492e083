import type { App, ReceiverEvent } from '@slack/bolt';
import type { AckKind } from '../../metrics/metrics.js';

/** A label-safe name: ids Preflight itself sets (`blocker_ack`, `/blocker`), else `other` (never user text). */
const safe = (v: unknown): string => (typeof v === 'string' && /^\/?[A-Za-z0-9_.-]{1,64}$/.test(v) ? v : 'other');

/**
 * What a request body is, for metrics: `{ kind: 'command', name: '/blocker' }`, `{ kind: 'action', name: 'blocker_ack' }`
 * (the first action's action_id without the `:<n>` suffix the go/no-go buttons carry), a view's callback_id, an
 * event's type. Shapes from Slack's payload reference (slash commands, block_actions, view_submission, Events API).
 */
export function ackLabel(body: Record<string, any>): { kind: AckKind; name: string } {
  if (typeof body.command === 'string') return { kind: 'command', name: safe(body.command) };
  switch (body.type) {
    case 'block_actions':
      return { kind: 'action', name: safe(String(body.actions?.[0]?.action_id ?? '').split(':')[0]) };
    case 'view_submission':
    case 'view_closed':
      return { kind: 'view', name: safe(body.view?.callback_id) };
    case 'event_callback':
      return { kind: 'event', name: safe(body.event?.type) };
    case 'block_suggestion':
      return { kind: 'options', name: safe(body.action_id) };
    case 'shortcut':
    case 'message_action':
      return { kind: 'shortcut', name: safe(body.callback_id) };
    default:
      return { kind: 'other', name: 'other' };
  }
}

/**
 * Reports how long each request took to ack (seconds, from the moment the receiver hands it to Bolt to the end
 * of `ack()`: over HTTP that is when the response is written, in Socket Mode when the ack is sent on the
 * WebSocket). Bolt has no hook for this, so it wraps `app.processEvent`, the one entry point both receivers
 * (HTTPReceiver, SocketModeReceiver) call. Call once, before the app starts.
 */
export function observeAcks(app: App, onAck: (kind: AckKind, name: string, seconds: number) => void): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) => {
    const start = performance.now();
    const { kind, name } = ackLabel((event.body ?? {}) as Record<string, any>);
    let observed = false;
    return processEvent({
      ...event,
      ack: async (response) => {
        try {
          return await event.ack(response);
        } finally {
          if (!observed) {
            observed = true;
            onAck(kind, name, (performance.now() - start) / 1_000);
          }
        }
      },
    });
  };
}
