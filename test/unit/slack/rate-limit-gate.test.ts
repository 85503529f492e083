import { WebClient } from '@slack/web-api';
import { afterAll, describe, expect, it } from 'vitest';
import { recordingRefusedLimits } from '../../../src/services/refused-limits.js';
import { type GateClock, gatedSlackFetch, lateBoundFetch, refusingHeldCalls, SlackRateLimitGate } from '../../../src/slack/rate-limit-gate.js';
import { NOCK_SLACK_URL, nockSlack } from '../../support/slack-nock.js';

/** A clock the test moves by hand: `sleep` resolves once `advance` passes its end. */
class ManualClock implements GateClock {
  private t = 1_000_000;
  private sleepers: { until: number; wake: () => void }[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ until: this.t + ms, wake }));
  }
  /** Moves time on by `ms`, waking every sleeper whose end has come, in order, and letting each one's caller run. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      const next = this.sleepers.filter((s) => s.until <= end).sort((a, b) => a.until - b.until)[0];
      if (!next) break;
      this.t = Math.max(this.t, next.until);
      this.sleepers = this.sleepers.filter((s) => s !== next);
      next.wake();
    }
    this.t = end;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Starts a call through the gate and records when (the clock's ms) it was let go. */
function call(gate: SlackRateLimitGate, clock: ManualClock, started: Record<string, number>, name: string, method: string, channel?: string) {
  void gate.beforeCall(method, channel).then(() => {
    started[name] = clock.now();
  });
}

describe('SlackRateLimitGate', () => {
  it("hands each 429's hold to the other replicas, named by the limit it closed", () => {
    const clock = new ManualClock();
    const gate = new SlackRateLimitGate(clock);
    const shared: unknown[] = [];
    gate.shareWith((hold) => shared.push(hold));
    gate.limited('chat.update', undefined, 3, clock.now());
    // a post to a channel posted to less than a second before: that channel's limit
    gate.limited('chat.postMessage', 'C1', 1, clock.now(), clock.now() - 200);
    gate.limited('chat.postMessage', 'D9', 2, clock.now(), undefined);
    expect(shared).toEqual([
      { key: 'chat.update', retryAfterMs: 3_000 },
      { key: 'chat.postMessage#C1', retryAfterMs: 1_000 },
      { key: 'chat.postMessage', retryAfterMs: 2_000 },
    ]);
  });

  it('says whether a call would start at once: not while a 429 closes its limit, nor before its paced turn', async () => {
    const clock = new ManualClock();
    const gate = new SlackRateLimitGate(clock);
    expect(gate.isOpen('chat.postMessage')).toBe(true);
    for (let i = 0; i < 120; i++) gate.accepted('chat.postMessage', clock.now() - 30_000 + i * 200);
    gate.limited('chat.postMessage', 'D1', 2, clock.now());
    expect(gate.isOpen('chat.postMessage')).toBe(false);
    // another method's limit is its own
    expect(gate.isOpen('chat.update')).toBe(true);
    await clock.advance(2_000);
    expect(gate.isOpen('chat.postMessage')).toBe(true);
    // asking reserves nothing: the first call after the hold still starts at once, the next one its spacing later
    const started: Record<string, number> = {};
    const t = clock.now();
    call(gate, clock, started, 'a', 'chat.postMessage', 'D2');
    await clock.advance(0);
    expect(started).toEqual({ a: t });
    expect(gate.isOpen('chat.postMessage')).toBe(false);
    await clock.advance(500);
    expect(gate.isOpen('chat.postMessage')).toBe(true);
  });

  it("holds this process's calls for another replica's 429 as for its own, and paces them after it", async () => {
    const clock = new ManualClock();
    const gate = new SlackRateLimitGate(clock);
    const shared: unknown[] = [];
    gate.shareWith((hold) => shared.push(hold));
    for (let i = 0; i < 120; i++) gate.accepted('chat.postMessage', clock.now() - 30_000 + i * 200);
    const t0 = clock.now();
    gate.heldElsewhere({ key: 'chat.postMessage', retryAfterMs: 2_000 });
    expect(gate.state()).toEqual([{ key: 'chat.postMessage', closedForMs: 2_000, spacingMs: 500 }]);
    const started: Record<string, number> = {};
    call(gate, clock, started, 'a', 'chat.postMessage', 'D1');
    call(gate, clock, started, 'b', 'chat.postMessage', 'D2');
    call(gate, clock, started, 'update', 'chat.update');
    await clock.advance(0);
    expect(started).toEqual({ update: t0 });
    await clock.advance(3_000);
    expect(started).toEqual({ update: t0, a: t0 + 2_000, b: t0 + 2_500 });
    // a hold that came from elsewhere is not handed on again
    expect(shared).toEqual([]);
  });

  it('lets calls go at once while Slack has refused nothing', async () => {
    const clock = new ManualClock();
    const gate = new SlackRateLimitGate(clock);
    const started: Record<string, number> = {};
    for (let i = 0; i < 20; i++) call(gate, clock, started, `p${i}`, 'chat.postMessage', `D${i}`);
    await clock.advance(0);
    expect(Object.values(started)).toEqual(Array(20).fill(clock.now()));
  });

  it("holds every post for a workspace 429's Retry-After, then lets the waiting posts go one at a time at the rate Slack accepted", async () => {
    const clock = new ManualClock();
    const gate = new SlackRateLimitGate(clock);
    // the minute so far: 300 posts accepted (what a 300-a-minute limit lets through)
    for (let i = 0; i < 300; i++) gate.accepted('chat.postMessage', clock.now() - 30_000 + i * 100);
    const t0 = clock.now();
    // a post to a channel this process had not posted to in the last second: the workspace's limit
    gate.limited('chat.postMessage', 'D1', 2, t0, undefined);
    const started: Record<string, number> = {};
    for (const name of ['a', 'b', 'c']) call(gate, clock, started, name, 'chat.postMessage', `D-${name}`);
    await clock.advance(1_999);
    expect(started).toEqual({});
    await clock.advance(1);
    expect(started).toEqual({ a: t0 + 2_000 });
    await clock.advance(199);
    expect(Object.keys(started)).toEqual(['a']);
    await clock.advance(1);
    expect(started).toEqual({ a: t0 + 2_000, b: t0 + 2_200 });
    await clock.advance(200);
    expect(started).toEqual({ a: t0 + 2_000, b: t0 + 2_200, c: t0 + 2_400 });
  });

  it("holds only that channel's posts when the 429 came right after another post to it (one message per second per channel)", async () => {
    const clock = new ManualClock();
    const gate = new SlackRateLimitGate(clock);
    await gate.beforeCall('chat.postMessage', 'C-report');
    await clock.advance(300);
    const previous = await gate.beforeCall('chat.postMessage', 'C-report');
    expect(previous).toBe(clock.now() - 300);
    gate.limited('chat.postMessage', 'C-report', 1, clock.now(), previous);
    const started: Record<string, number> = {};
    const t0 = clock.now();
    call(gate, clock, started, 'dm', 'chat.postMessage', 'D1');
    call(gate, clock, started, 'report', 'chat.postMessage', 'C-report');
    call(gate, clock, started, 'report-again', 'chat.postMessage', 'C-report');
    await clock.advance(0);
    expect(started).toEqual({ dm: t0 });
    await clock.advance(1_000);
    expect(started).toEqual({ dm: t0, report: t0 + 1_000 });
    await clock.advance(1_000);
    expect(started).toEqual({ dm: t0, report: t0 + 1_000, 'report-again': t0 + 2_000 });
  });

  it("a method's 429 holds that method only", async () => {
    const clock = new ManualClock();
    const gate = new SlackRateLimitGate(clock);
    gate.limited('chat.update', undefined, 5, clock.now());
    const started: Record<string, number> = {};
    const t0 = clock.now();
    call(gate, clock, started, 'post', 'chat.postMessage', 'D1');
    call(gate, clock, started, 'update', 'chat.update');
    await clock.advance(4_999);
    expect(started).toEqual({ post: t0 });
    await clock.advance(1);
    expect(started).toEqual({ post: t0, update: t0 + 5_000 });
  });

  it('a call already waiting when a second 429 arrives waits for the new Retry-After too', async () => {
    const clock = new ManualClock();
    const gate = new SlackRateLimitGate(clock);
    const t0 = clock.now();
    gate.limited('views.publish', undefined, 1, t0);
    const started: Record<string, number> = {};
    call(gate, clock, started, 'home', 'views.publish');
    await clock.advance(500);
    // another process's call (or one already in flight) was refused meanwhile, for 3 s more
    gate.limited('views.publish', undefined, 3, clock.now());
    await clock.advance(2_999);
    expect(started).toEqual({});
    await clock.advance(1);
    expect(started).toEqual({ home: t0 + 3_500 });
  });

  it("paces at the last minute's accepted rate, worked out again at each 429, and stops pacing after a minute without one", async () => {
    const clock = new ManualClock();
    const gate = new SlackRateLimitGate(clock);
    for (let i = 0; i < 100; i++) gate.accepted('chat.update', clock.now() - 50_000 + i * 500);
    gate.limited('chat.update', undefined, 1, clock.now());
    expect(gate.state()).toEqual([{ key: 'chat.update', closedForMs: 1_000, spacingMs: 600 }]);
    await clock.advance(1_000);
    for (let i = 0; i < 50; i++) gate.accepted('chat.update', clock.now());
    gate.limited('chat.update', undefined, 1, clock.now());
    // 150 accepted in the last minute: 400 ms apart
    expect(gate.state()[0]!.spacingMs).toBe(400);
    // a 429 with nothing accepted in the last minute (another replica spent it): one a second
    await clock.advance(61_000);
    gate.limited('chat.update', undefined, 1, clock.now());
    expect(gate.state()[0]!.spacingMs).toBe(1_000);
    await clock.advance(60_000);
    expect(gate.state()).toEqual([]);
    const started: Record<string, number> = {};
    call(gate, clock, started, 'x', 'chat.update');
    call(gate, clock, started, 'y', 'chat.update');
    await clock.advance(0);
    expect(started).toEqual({ x: clock.now(), y: clock.now() });
  });
});

describe('gatedSlackFetch in the workers’ WebClient (Slack faked with nock)', () => {
  const slack = nockSlack();
  afterAll(() => slack.done());

  it("does not send the next post before a 429's Retry-After has run, and the post after it goes through", async () => {
    const gate = new SlackRateLimitGate();
    const arrivals: number[] = [];
    const answered: number[] = [];
    const client = new WebClient('xoxb-test', {
      slackApiUrl: NOCK_SLACK_URL,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 0,
      fetch: gatedSlackFetch(
        gate,
        async (input, init) => {
          arrivals.push(Date.now());
          const res = await lateBoundFetch(input, init);
          answered.push(Date.now());
          return res;
        },
        10_000,
      ),
    });
    slack.failNext('chat.postMessage', 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
    await expect(client.chat.postMessage({ channel: 'D1', text: 'first' })).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 1 });
    await client.chat.postMessage({ channel: 'D2', text: 'second' });
    expect(arrivals).toHaveLength(2);
    // the second post left only once the Retry-After (1 s from the 429's answer) had run (1 ms: timers' rounding)
    expect(arrivals[1]!).toBeGreaterThanOrEqual(answered[0]! + 1_000 - 1);
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.args?.text)).toEqual(['second']);
  });

  it('inside refusingHeldCalls, answers a held post at once as a 429 without calling Slack or changing the gate; other calls go', async () => {
    const gate = new SlackRateLimitGate();
    const client = new WebClient('xoxb-test', {
      slackApiUrl: NOCK_SLACK_URL,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 0,
      fetch: gatedSlackFetch(gate, lateBoundFetch, 10_000),
    });
    const before = slack.calls.length;
    // one recipient's conversation held (a 429 to a post there less than a second after the one before)
    gate.heldElsewhere({ key: 'chat.postMessage#D7', retryAfterMs: 30_000 });
    const stateBefore = gate.state();
    const started = Date.now();
    await expect(refusingHeldCalls(() => client.chat.postMessage({ channel: 'D7', text: 'held' }))).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 30 });
    // refused at once, not after the 30 s hold
    expect(Date.now() - started).toBeLessThan(10_000);
    const unchanged = (s: ReturnType<typeof gate.state>) => s.map((l) => [l.key, l.spacingMs, l.closedForMs > 20_000]);
    expect(unchanged(gate.state())).toEqual(unchanged(stateBefore));
    await refusingHeldCalls(() => client.chat.postMessage({ channel: 'D8', text: 'free' }));
    await refusingHeldCalls(() => client.chat.update({ channel: 'D7', ts: '1.2', text: 'edit' }));
    expect(slack.calls.slice(before).map((c) => [c.method, c.args?.text])).toEqual([
      ['chat.postMessage', 'free'],
      ['chat.update', 'edit'],
    ]);
  });

  it('names the limit that refused to the job whose call it refused, not to a job running beside it', async () => {
    const client = new WebClient('xoxb-test', {
      slackApiUrl: NOCK_SLACK_URL,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 0,
      fetch: gatedSlackFetch(new SlackRateLimitGate(), lateBoundFetch, 10_000),
    });
    slack.failNext('chat.update', 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
    const edit = new Set<string>();
    const prompt = new Set<string>();
    const [edited, posted] = await Promise.allSettled([
      recordingRefusedLimits(edit, () => client.chat.update({ channel: 'C1', ts: '1.2', text: 'report' })),
      recordingRefusedLimits(prompt, () => client.chat.postMessage({ channel: 'D3', text: 'prompt' })),
    ]);
    expect(edited).toMatchObject({ status: 'rejected', reason: { code: 'slack_webapi_rate_limited_error' } });
    expect(posted.status).toBe('fulfilled');
    expect([...edit]).toEqual(['chat.update']);
    expect([...prompt]).toEqual([]);
  });
});
