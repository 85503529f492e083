import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FeedError } from '../../../../src/services/oncall/http.js';
import { fetchShifts, OPSGENIE_API, PAGERDUTY_API } from '../../../../src/services/oncall/sources.js';

// PagerDuty and Opsgenie replayed with nock from their documented responses (test/fixtures/oncall/README.md); the
// window is the injected "now" of this test, not the machine's date
const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/oncall/${name}`, import.meta.url), 'utf8');
const NOW = DateTime.fromISO('2026-12-01T15:00:00Z', { zone: 'UTC' });
const WINDOW = { from: NOW.minus({ hours: 1 }), to: NOW.plus({ days: 14 }), zone: 'UTC', minBackoffMs: 50 };

describe('on-call feeds (PagerDuty, Opsgenie, ICS) replayed with nock', () => {
  beforeEach(() => {
    vi.stubEnv('PAGERDUTY_TOKEN', 'pd-test-token');
    vi.stubEnv('OPSGENIE_API_KEY', 'og-test-key');
    vi.stubEnv('OMEGA_ICS_TOKEN', 'ics-test-token');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    nock.cleanAll();
  });

  it('PagerDuty /oncalls: shifts with the users’ emails, asked for the schedule, the window and include[]=users, with the token', async () => {
    let query: URLSearchParams | undefined;
    const pd = nock(PAGERDUTY_API, { reqheaders: { authorization: 'Token token=pd-test-token' } })
      .get('/oncalls')
      .query((q) => {
        query = new URLSearchParams(q as Record<string, string>);
        return true;
      })
      .reply(200, fixture('pagerduty-oncalls.json'), { 'content-type': 'application/json' });
    const shifts = await fetchShifts({ pagerduty: { schedule: 'PABC123' } }, WINDOW);
    expect(pd.isDone()).toBe(true);
    expect(query?.get('schedule_ids[]')).toBe('PABC123');
    expect(query?.get('include[]')).toBe('users');
    expect(query?.get('since')).toBe(WINDOW.from.toISO());
    expect(shifts.map((s) => [s.person, s.start.toISO(), s.end?.toISO()])).toEqual([
      ['ana@example.com', '2026-12-01T14:00:00.000Z', '2026-12-02T02:00:00.000Z'],
      ['ben@example.com', '2026-12-02T02:00:00.000Z', '2026-12-02T14:00:00.000Z'],
    ]);
  });

  it('PagerDuty 429 with Retry-After: waits at least that long, then reads the answer', async () => {
    nock(PAGERDUTY_API)
      .get('/oncalls')
      .query(true)
      .reply(429, { error: { message: 'Rate Limit Exceeded', code: 2020 } }, { 'retry-after': '1' });
    nock(PAGERDUTY_API).get('/oncalls').query(true).reply(200, fixture('pagerduty-oncalls.json'));
    const t0 = Date.now();
    const shifts = await fetchShifts({ pagerduty: { schedule: 'PABC123' } }, WINDOW);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_000);
    expect(shifts).toHaveLength(2);
  });

  it('PagerDuty 401: fails at once with what to change, no retry', async () => {
    const pd = nock(PAGERDUTY_API)
      .get('/oncalls')
      .query(true)
      .once()
      .reply(401, { error: { message: 'Unauthorized', code: 2006 } });
    const err = await fetchShifts({ pagerduty: { schedule: 'PABC123' } }, WINDOW).catch((e) => e);
    expect(err).toBeInstanceOf(FeedError);
    expect(err.message).toBe('PagerDuty refused the credentials (HTTP 401): check PAGERDUTY_TOKEN (a REST API key)');
    expect(pd.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('PagerDuty: a missing PAGERDUTY_TOKEN says so before any call', async () => {
    vi.stubEnv('PAGERDUTY_TOKEN', '');
    await expect(fetchShifts({ pagerduty: { schedule: 'PABC123' } }, WINDOW)).rejects.toThrow('PAGERDUTY_TOKEN is not set');
  });

  it('Opsgenie on-calls (flat): who is on call now, open-ended, with the GenieKey', async () => {
    const og = nock(OPSGENIE_API, { reqheaders: { authorization: 'GenieKey og-test-key' } })
      .get('/v2/schedules/d875alp4/on-calls')
      .query((q) => q.flat === 'true' && q.scheduleIdentifierType === 'id')
      .reply(200, fixture('opsgenie-oncalls.json'));
    const shifts = await fetchShifts({ opsgenie: { schedule: 'd875alp4' } }, WINDOW);
    expect(og.isDone()).toBe(true);
    expect(shifts.map((s) => [s.person, s.start.toISO(), s.end])).toEqual([['cy@example.com', WINDOW.from.toISO(), null]]);
  });

  it('Opsgenie 429 with Retry-After then 200; a 401 fails at once', async () => {
    nock(OPSGENIE_API).get('/v2/schedules/d875alp4/on-calls').query(true).reply(429, { message: 'Rate limit exceeded', took: 0.0, requestId: 'x' }, { 'retry-after': '1' });
    nock(OPSGENIE_API).get('/v2/schedules/d875alp4/on-calls').query(true).reply(200, fixture('opsgenie-oncalls.json'));
    const t0 = Date.now();
    expect((await fetchShifts({ opsgenie: { schedule: 'd875alp4' } }, WINDOW))[0]?.person).toBe('cy@example.com');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_000);
    nock(OPSGENIE_API).get('/v2/schedules/d875alp4/on-calls').query(true).once().reply(401, { message: 'Could not authenticate', took: 0.0, requestId: 'y' });
    await expect(fetchShifts({ opsgenie: { schedule: 'd875alp4' } }, WINDOW)).rejects.toThrow('Opsgenie refused the credentials (HTTP 401): check OPSGENIE_API_KEY');
  });

  it('5xx is retried with backoff and fails after the last retry; a body of the wrong shape is an error', async () => {
    const down = nock(PAGERDUTY_API).get('/oncalls').query(true).times(4).reply(503, 'Service Unavailable');
    await expect(fetchShifts({ pagerduty: { schedule: 'PABC123' } }, WINDOW)).rejects.toThrow('PagerDuty answered HTTP 503');
    expect(down.isDone()).toBe(true);
    nock(PAGERDUTY_API).get('/oncalls').query(true).reply(200, { schedules: [] });
    await expect(fetchShifts({ pagerduty: { schedule: 'PABC123' } }, WINDOW)).rejects.toThrow(/PagerDuty answered in an unexpected shape \(oncalls/);
  });

  it('ICS over HTTP with a bearer token from token_env', async () => {
    nock('https://calendar.example.com', { reqheaders: { authorization: 'Bearer ics-test-token' } })
      .get('/omega.ics')
      .reply(200, fixture('pagerduty.ics'), { 'content-type': 'text/calendar' });
    const shifts = await fetchShifts({ ics_url: 'https://calendar.example.com/omega.ics', token_env: 'OMEGA_ICS_TOKEN' }, { ...WINDOW, from: DateTime.fromISO('2026-11-30T00:00:00Z') });
    expect(shifts.map((s) => s.person)).toEqual(['ana@example.com', 'ben@example.com', 'ana@example.com']);
    nock('https://calendar.example.com').get('/omega.ics').reply(200, '<html>Sign in</html>');
    await expect(fetchShifts({ ics_url: 'https://calendar.example.com/omega.ics', token_env: 'OMEGA_ICS_TOKEN' }, WINDOW)).rejects.toThrow(/the calendar feed is not iCalendar/);
  });
});
