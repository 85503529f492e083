/**
 * The HTTP fake of the Slack Web API (test/support/slack-api-fake.ts) in its own process, for benchmarks whose
 * load generator must not share an event loop with it. Started with child_process.fork (IPC): it sends
 * `{ url }` once listening; on `'stats'` it answers `{ stats: { 'method status': count } }` (calls are
 * counted and then dropped, so memory stays flat); on `'stop'` it stops and exits.
 */
import { SlackApiFake } from '../test/support/slack-api-fake.js';

// connections kept 65 s like a load balancer in front of slack.com, not the tests' 1 s: with 1 s, undici's fetch
// closed each connection right after its call and the bot spent ~7 % of its CPU reconnecting (2026-11-30 profile)
const fake = await new SlackApiFake({ keepAliveTimeoutMs: 65_000 }).start();
const counts: Record<string, number> = {};
const drain = () => {
  for (const c of fake.calls) {
    const k = `${c.method} ${c.status}`;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  fake.calls.length = 0;
};
const timer = setInterval(drain, 1_000);
process.on('message', (m) => {
  if (m === 'stats') {
    drain();
    process.send!({ stats: counts });
  } else if (m === 'stop') {
    clearInterval(timer);
    void fake.stop().finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
process.send!({ url: fake.url });
