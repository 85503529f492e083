import { describe, expect, it } from 'vitest';
import { postToSlackEndpoint } from '../support/bot-process.js';
import { withBot } from '../support/with-bot.js';
import { slashCommandBody } from '../support/slack-payloads.js';
import { standupTimeAwayFromNow } from '../support/standup-time.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../support/config-factories.js';

const SECRET = 'e2e-metrics-signing-secret';
const TOKEN = 'metrics-token-0123456789abcdef';

// The lead is pinged 1 s after the blocker is raised; no standup is ever due during the test.
const CONFIG = aConfig({
  program: { name: 'Phase 11' },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  escalation: {
    sweep_every: '1s',
    ladders: {
      P1: [
        { after: '1s', notify: 'lead' },
        { after: '1h', notify: 'pm' },
      ],
    },
  },
  workstreams: [aWorkstream({ name: 'Broker Integration', blockers_channel: 'C0BLK', members: ['U01', 'U02'], standup: { at: standupTimeAwayFromNow('UTC') } })],
});

/** The value of one series in a Prometheus text exposition (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('GET /metrics on the real process (HTTP mode)', () => {
  const t = withBot(CONFIG, { label: 'e2em', secret: SECRET, token: 'xoxb-e2e-metrics', env: { METRICS_TOKEN: TOKEN } });
  const scrape = async () => {
    const res = await fetch(`${t.bot.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  it('asks for the bearer token when METRICS_TOKEN is set', async () => {
    const none = await fetch(`${t.bot.baseUrl}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.text()).not.toContain('preflight_');
    const wrong = await fetch(`${t.bot.baseUrl}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(401);
  });

  it('after /blocker and its escalation: ack latency, Web API calls (a 429 included), jobs, queues, lateness, open blockers', async () => {
    // the blocker message's first post is refused with 429: the channel queue pauses 1 s, then posts it
    t.fake.script('chat.postMessage', { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } });
    const res = await postToSlackEndpoint(
      t.bot.baseUrl,
      SECRET,
      slashCommandBody({ command: '/blocker', text: 'Staging DB is down P1', userId: 'U01', channelId: 'C0WS1' }),
      'application/x-www-form-urlencoded',
    );
    expect(await res.json()).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Raised *B-1* (P1)') });
    await t.fake.waitFor('blocker message posted', () => t.fake.ok('chat.postMessage', (a) => a.channel === 'C0BLK' && !a.thread_ts).length === 1);
    await t.fake.waitFor('lead pinged', () => t.fake.ok('chat.postMessage', (a) => a.channel === 'U0LEAD').length === 1, 10_000);

    // a job is counted when it ends, a moment after its Slack call: poll until the ping and the blocker message's job are
    let text = '';
    const end = Date.now() + 10_000;
    do {
      text = await scrape();
      const pinged = sample(text, 'preflight_escalation_lateness_seconds_count', { severity: 'P1' }) ?? 0;
      const rendered = sample(text, 'preflight_job_duration_seconds_count', { queue: 'channel', job: 'render-blocker', outcome: 'completed' }) ?? 0;
      if (pinged >= 1 && rendered >= 1) break;
      await new Promise((r) => setTimeout(r, 200));
    } while (Date.now() < end);

    expect(sample(text, 'preflight_slack_ack_duration_seconds_count', { kind: 'command', name: '/blocker' })).toBe(1);
    const ackSeconds = sample(text, 'preflight_slack_ack_duration_seconds_sum', { kind: 'command', name: '/blocker' })!;
    expect(ackSeconds).toBeGreaterThan(0);
    expect(ackSeconds).toBeLessThan(3); // Slack's deadline
    expect(sample(text, 'preflight_slack_api_calls_total', { method: 'chat.postMessage', outcome: '429' })).toBe(1);
    expect(sample(text, 'preflight_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'preflight_slack_api_calls_total', { method: 'auth.test', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'preflight_slack_rate_limit_pauses_total', { queue: 'channel' })).toBe(1);
    expect(sample(text, 'preflight_slack_rate_limit_pause_seconds_total', { queue: 'channel' })).toBe(1);
    expect(sample(text, 'preflight_job_duration_seconds_count', { queue: 'channel', job: 'render-blocker', outcome: 'rate_limited' })).toBe(1);
    expect(sample(text, 'preflight_job_duration_seconds_count', { queue: 'channel', job: 'render-blocker', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'preflight_job_duration_seconds_count', { queue: 'escalation', job: 'escalate', outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    // the ping is sent by the escalation job itself, or, while the blocker message's 429 still holds posts (1 s), by
    // its send-notice job: one of the two, once (the lateness count below)
    expect([0, 1]).toContain(sample(text, 'preflight_job_duration_seconds_count', { queue: 'dm', job: 'send-notice', outcome: 'completed' }) ?? 0);
    // the ping went out within seconds of its due time (tolerant of a loaded 2-core box)
    expect(sample(text, 'preflight_escalation_lateness_seconds_count', { severity: 'P1' })).toBe(1);
    expect(sample(text, 'preflight_escalation_lateness_seconds_sum', { severity: 'P1' })).toBeLessThan(10);
    expect(sample(text, 'preflight_open_blockers', { severity: 'P1' })).toBe(1);
    for (const state of ['waiting', 'delayed', 'active', 'prioritized']) expect(sample(text, 'preflight_queue_jobs', { queue: 'dm', state })).toBeTypeOf('number');
    // the PM level is an hour away: its escalation wake-up waits as a delayed job
    expect(sample(text, 'preflight_queue_jobs', { queue: 'escalation', state: 'delayed' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    // no secret ever reaches a label or a value
    for (const secret of ['xoxb-e2e-metrics', SECRET, TOKEN]) expect(text).not.toContain(secret);
  });

  it('logs JSON lines when stdout is not a terminal (LOG_FORMAT unset)', () => {
    const running = t.bot
      .output()
      .split('\n')
      .find((l) => l.includes('Preflight is running'));
    expect(JSON.parse(running!)).toMatchObject({ level: 30, app: 'preflight', msg: 'Preflight is running', mode: 'http' });
  });
});
