import { WebClient } from '@slack/web-api';
import { afterAll, describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/metrics/metrics.js';
import { observedSlackAdapter, slackMethodOf, slackOutcomeOf } from '../../../src/metrics/slack-adapter.js';
import { NOCK_SLACK_URL, nockSlack } from '../../support/slack-nock.js';

describe('slackMethodOf', () => {
  it('takes the Web API method from a relative or absolute URL, and nothing else', () => {
    expect(slackMethodOf('chat.postMessage')).toBe('chat.postMessage');
    expect(slackMethodOf('https://slack.com/api/conversations.history?limit=1')).toBe('conversations.history');
    expect(slackMethodOf('https://hooks.slack.com/commands/T0/123/xyzSECRET')).toBe('other');
    expect(slackMethodOf(undefined)).toBe('other');
  });
});

describe('slackOutcomeOf', () => {
  it('ok needs HTTP 2xx and "ok": true; 429 is its own outcome', () => {
    expect(slackOutcomeOf({ status: 200, data: '{"ok":true}' })).toBe('ok');
    expect(slackOutcomeOf({ status: 200, data: { ok: true } })).toBe('ok');
    expect(slackOutcomeOf({ status: 200, data: '{"ok":false,"error":"channel_not_found"}' })).toBe('error');
    expect(slackOutcomeOf({ status: 200, data: 'not json' })).toBe('error');
    expect(slackOutcomeOf({ status: 429, data: '{"ok":false,"error":"ratelimited"}' })).toBe('429');
    expect(slackOutcomeOf({ status: 503, data: '' })).toBe('error');
  });
});

describe('observedSlackAdapter in a WebClient (Slack faked with nock)', () => {
  const slack = nockSlack();
  afterAll(() => slack.done());

  it('counts every HTTP attempt by method and outcome', async () => {
    const metrics = new Metrics();
    const client = new WebClient('xoxb-test', {
      slackApiUrl: NOCK_SLACK_URL,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      adapter: observedSlackAdapter((m, o) => metrics.slackCall(m, o)),
    });
    await client.chat.postMessage({ channel: 'C1', text: 'hi' });
    await client.chat.postMessage({ channel: 'C1', text: 'again' });
    slack.failNext('chat.postMessage', 200, { ok: false, error: 'channel_not_found' });
    await expect(client.chat.postMessage({ channel: 'C404', text: 'x' })).rejects.toThrow(/channel_not_found/);
    slack.failNext('conversations.open', 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '3' });
    await expect(client.conversations.open({ users: 'U1' })).rejects.toThrow();
    const text = (await metrics.exposition()).body;
    expect(text).toContain('preflight_slack_api_calls_total{method="chat.postMessage",outcome="ok"} 2');
    expect(text).toContain('preflight_slack_api_calls_total{method="chat.postMessage",outcome="error"} 1');
    expect(text).toContain('preflight_slack_api_calls_total{method="conversations.open",outcome="429"} 1');
    expect(text).not.toContain('xoxb-test');
  });
});
