/**
 * The sync benchmark's replay server (bench/tracker-sync.ts forks it): the tracker stand-in
 * (sandbox/tracker-stand-in/) in its own process, so the benchmark's RSS is the adapters' alone. Reads its options
 * as JSON from argv[2] (TrackerStandInOptions without a clock), listens on a free port of 127.0.0.1, and sends
 * `{ url }` to the parent over IPC; a `{ calls: <id> }` message is answered `{ id, calls }` with the calls per tracker.
 */
import { TrackerStandIn, type TrackerStandInOptions } from '../sandbox/tracker-stand-in/server.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as TrackerStandInOptions;
const standIn = await new TrackerStandIn(opts).start();
process.on('message', (m: { calls?: number }) => {
  if (m.calls) process.send?.({ id: m.calls, calls: { jira: standIn.callCount('jira'), linear: standIn.callCount('linear'), github: standIn.callCount('github') } });
});
process.on('disconnect', () => void standIn.stop().then(() => process.exit(0)));
process.send?.({ url: standIn.url, rssMb: Math.round(process.memoryUsage().rss / 1e6) });
