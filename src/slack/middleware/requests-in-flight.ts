import type { App, ReceiverEvent } from '@slack/bolt';

/**
 * Tells `begin` about every Slack request (HTTP or Socket Mode) as the receiver hands it to Bolt, and calls the
 * function it returns once Bolt is done with it (acked and the listener returned or threw). Wraps
 * `app.processEvent`, the one entry point both receivers call (as ack-timing.ts does). Call once, before the app
 * starts. main.ts passes src/jobs/requests-first.ts's `begin`, so background jobs wait while requests are served.
 */
export function reportRequests(app: App, begin: () => () => void): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) => {
    const end = begin();
    return processEvent(event).finally(end);
  };
}
