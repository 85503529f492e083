import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { SlackRateLimitGate } from '../../../src/slack/rate-limit-gate.js';
import { rateLimitChannel, type RateLimitSharing, shareRateLimits } from '../../../src/slack/rate-limit-sharing.js';
import { uniquePrefix } from '../../support/db.js';
import { eventually } from '../../support/slack-nock.js';

/** A warn-level logger whose lines the test reads. */
function recordingLog() {
  const lines: { msg?: string }[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

/** Two replicas' rate-limit gates on the real Redis: each a gate, a publisher and a subscriber of its own. */
describe("the replicas share Slack's 429s (Redis pub/sub)", () => {
  const opened: Redis[] = [];
  const shares: RateLimitSharing[] = [];
  const redis = () => {
    const r = new Redis(inject('redisUrl'));
    opened.push(r);
    return r;
  };
  const replica = async (prefix: string, log = recordingLog().log) => {
    const gate = new SlackRateLimitGate();
    const share = shareRateLimits({ gate, publisher: redis(), subscriber: redis(), queuePrefix: prefix, log });
    shares.push(share);
    await share.ready;
    return { gate, share };
  };
  afterEach(async () => {
    for (const s of shares.splice(0)) await s.close();
    for (const r of opened.splice(0)) r.disconnect();
  });

  it("a 429 to one replica holds the other's calls under that limit for its Retry-After; other limits stay open", async () => {
    const prefix = uniquePrefix('share429');
    const a = await replica(prefix);
    const b = await replica(prefix);
    const other = await replica(uniquePrefix('share429-other'));
    a.gate.limited('chat.postMessage', 'D1', 30, Date.now(), undefined);
    await eventually('the hold reached replica B', () => b.gate.state().some((s) => s.key === 'chat.postMessage'));
    const [held] = b.gate.state();
    expect(held).toMatchObject({ key: 'chat.postMessage' });
    expect(held!.closedForMs).toBeGreaterThan(25_000);
    expect(held!.closedForMs).toBeLessThanOrEqual(30_000);
    // B's next post waits; its chat.update (another limit) goes at once
    let posted = false;
    void b.gate.beforeCall('chat.postMessage', 'D2').then(() => {
      posted = true;
    });
    await b.gate.beforeCall('chat.update');
    await new Promise((r) => setTimeout(r, 200));
    expect(posted).toBe(false);
    // A holds it once (its own announcement is not applied again); a replica of another prefix hears nothing
    expect(a.gate.state()).toHaveLength(1);
    expect(other.gate.state()).toEqual([]);
  });

  it('a malformed announcement is ignored with a warning; after close a 429 is no longer shared', async () => {
    const prefix = uniquePrefix('share429');
    const { log, lines } = recordingLog();
    const a = await replica(prefix);
    const b = await replica(prefix, log);
    await redis().publish(rateLimitChannel(prefix), JSON.stringify({ from: 'elsewhere', key: 'chat.postMessage', retryAfterMs: -5 }));
    await redis().publish(rateLimitChannel(prefix), 'not json');
    await eventually('two warnings', () => lines.filter((l) => l.msg === 'ignoring a malformed Slack 429 announcement').length === 2);
    expect(b.gate.state()).toEqual([]);
    await a.share.close();
    a.gate.limited('chat.update', undefined, 30, Date.now());
    // a well-formed announcement still reaches B: the channel works, A no longer publishes
    await redis().publish(rateLimitChannel(prefix), JSON.stringify({ from: 'elsewhere', key: 'canvases.edit', retryAfterMs: 5_000 }));
    await eventually('the other announcement reached B', () => b.gate.state().some((s) => s.key === 'canvases.edit'));
    expect(b.gate.state().map((s) => s.key)).toEqual(['canvases.edit']);
  });
});
