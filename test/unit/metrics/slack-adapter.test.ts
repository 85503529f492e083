import { WebClient } from '@slack/web-api';
import { afterAll, describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/metrics/metrics.js';
import { observedClientOptions, observedSlackFetch, slackMethodOf, slackOutcomeOf } from '../../../src/metrics/slack-adapter.js';
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

describe('observedClientOptions in a WebClient (Slack faked with nock)', () => {
  const slack = nockSlack();
  afterAll(() => slack.done());

  it('counts every HTTP attempt by method and outcome', async () => {
    const metrics = new Metrics();
    const client = new WebClient('xoxb-test', {
      slackApiUrl: NOCK_SLACK_URL,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      ...observedClientOptions((m, o) => metrics.slackCall(m, o)),
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

describe('observedSlackFetch (for @slack/web-api 8, whose client takes a fetch)', () => {
  it('reports method and outcome and hands the caller an unread response', async () => {
    const seen: string[] = [];
    const answers: Record<string, Response> = {
      'chat.postMessage': new Response('{"ok":true,"ts":"1.2"}', { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'x-slack-req-id': 'r1' } }),
      'conversations.open': new Response('{"ok":false,"error":"ratelimited"}', { status: 429, headers: { 'retry-after': '2' } }),
      'users.info': new Response('{"ok":false,"error":"user_not_found"}', { status: 200, headers: { 'content-type': 'application/json' } }),
      upload: new Response('OK - 3', { status: 200, headers: { 'content-type': 'text/plain' } }),
    };
    const base = async (input: string | URL | Request) => {
      const method = String(input).split('/').pop()!;
      if (method === 'auth.test') throw new TypeError('fetch failed');
      return answers[method]!;
    };
    const fetch = observedSlackFetch((m, o) => seen.push(`${m} ${o}`), base);
    const posted = await fetch('https://slack.com/api/chat.postMessage', { method: 'POST' });
    expect(await posted.json()).toEqual({ ok: true, ts: '1.2' });
    expect(posted.headers.get('x-slack-req-id')).toBe('r1');
    expect((await fetch(new URL('https://slack.com/api/conversations.open'))).status).toBe(429);
    await fetch('https://slack.com/api/users.info');
    expect(await (await fetch('https://files.slack.com/upload')).text()).toBe('OK - 3');
    await expect(fetch('https://slack.com/api/auth.test')).rejects.toThrow('fetch failed');
    expect(seen).toEqual(['chat.postMessage ok', 'conversations.open 429', 'users.info error', 'other error', 'auth.test error']);
  });
});
