import { DateTime } from 'luxon';
import { z } from 'zod';
import { secretFromEnv } from '../../config/env.js';
import { type RotationDeclaration, sourceOf } from '../../domain/oncall/declaration.js';
import { icsShifts } from '../../domain/oncall/ics.js';
import type { Shift } from '../../domain/oncall/rotation.js';
import { FeedError, getText } from './http.js';

/*
 * Reading a rotation's feed (issue 22) into shifts whose `person` is an email or a Slack user ID:
 * - an iCalendar URL (ical.js, domain/oncall/ics.ts), with `Authorization: Bearer $token_env` when given;
 * - PagerDuty REST API v2 `GET /oncalls` (developer.pagerduty.com/api-reference: List all of the on-calls), with
 *   `include[]=users` so each entry's user carries its email. Plain fetch rather than @pagerduty/pdjs: it is one GET,
 *   and the client's Retry-After handling is ours (http.ts) either way;
 * - Opsgenie `GET /v2/schedules/{id}/on-calls?flat=true` (docs.opsgenie.com: Who is On Call API): the usernames
 *   (emails) on call now, with no end time (the API gives none). Opsgenie's own JS SDK is unmaintained: plain fetch.
 */

/** PagerDuty's API host (api.pagerduty.com; EU accounts use the same host). */
export const PAGERDUTY_API = 'https://api.pagerduty.com';
/** Opsgenie's API host; EU accounts set `OPSGENIE_API_URL=https://api.eu.opsgenie.com`. */
export const OPSGENIE_API = 'https://api.opsgenie.com';

const pdOncalls = z.object({
  oncalls: z.array(
    z.object({
      escalation_level: z.number().optional(),
      start: z.string().nullable().optional(),
      end: z.string().nullable().optional(),
      schedule: z.object({ id: z.string() }).nullable().optional(),
      user: z.object({ id: z.string(), summary: z.string().optional(), email: z.string().optional() }),
    }),
  ),
  more: z.boolean().optional(),
  offset: z.number().optional(),
  limit: z.number().optional(),
});

const ogOncalls = z.object({ data: z.object({ onCallRecipients: z.array(z.string()).optional(), onCallParticipants: z.array(z.object({ name: z.string(), type: z.string() })).optional() }) });

/** What a fetch needs: the span of shifts wanted (UTC) and the fallback zone for floating ICS times. */
export interface FetchWindow {
  from: DateTime;
  to: DateTime;
  zone: string;
  /** Backoff's first wait, ms (tests shorten it). */
  minBackoffMs?: number;
}

const parseJson = <T>(schema: z.ZodType<T>, text: string, service: string): T => {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new FeedError(200, `${service} answered something that is not JSON`);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new FeedError(200, `${service} answered in an unexpected shape (${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message})`);
  return r.data;
};

const required = (name: string, what: string) => {
  const v = secretFromEnv(name);
  if (!v) throw new FeedError(0, `${name} is not set: ${what}`);
  return v;
};

/**
 * The shifts of a feed rotation overlapping the window. `person` is a lower-cased email (or a Slack user ID an ICS
 * event names). A rotation written in preflight.yml has no feed: use domain/oncall/rotation.ts `configShifts`.
 * @throws FeedError when the feed cannot be read (missing secret, refused token, 404, rate limit beyond the retries,
 *   a body that is not iCalendar/JSON of the documented shape).
 */
export async function fetchShifts(r: RotationDeclaration, w: FetchWindow): Promise<Shift[]> {
  const source = sourceOf(r);
  if (source === 'ics') {
    const headers: Record<string, string> = { accept: 'text/calendar' };
    if (r.token_env) headers.authorization = `Bearer ${required(r.token_env, 'the token of the rotation’s ics_url (token_env)')}`;
    const text = await getText(r.ics_url!, {
      headers,
      service: 'The calendar feed',
      authHint: r.token_env ? `check ${r.token_env}` : 'the feed needs a token: set token_env',
      minBackoffMs: w.minBackoffMs,
    });
    try {
      return icsShifts(text, w.from, w.to, w.zone);
    } catch (err) {
      throw new FeedError(200, `the calendar feed is not iCalendar (${(err as Error).message})`);
    }
  }
  if (source === 'pagerduty') return pagerdutyShifts(r.pagerduty!.schedule, w);
  if (source === 'opsgenie') return opsgenieShifts(r.opsgenie!.schedule, w);
  throw new Error('a rotation written in preflight.yml has no feed');
}

async function pagerdutyShifts(schedule: string, w: FetchWindow): Promise<Shift[]> {
  const token = required('PAGERDUTY_TOKEN', 'a PagerDuty REST API key (read-only is enough)');
  const out: Shift[] = [];
  for (let offset = 0, page = 0; page < 20; page++) {
    const q = new URLSearchParams({ since: w.from.toISO()!, until: w.to.toISO()!, time_zone: 'UTC', limit: '100', offset: String(offset) });
    q.append('schedule_ids[]', schedule);
    q.append('include[]', 'users');
    const text = await getText(`${PAGERDUTY_API}/oncalls?${q}`, {
      headers: { authorization: `Token token=${token}`, accept: 'application/json', 'content-type': 'application/json' },
      service: 'PagerDuty',
      authHint: 'check PAGERDUTY_TOKEN (a REST API key)',
      minBackoffMs: w.minBackoffMs,
    });
    const body = parseJson(pdOncalls, text, 'PagerDuty');
    for (const o of body.oncalls) {
      if (o.schedule && o.schedule.id !== schedule) continue;
      const person = o.user.email?.toLowerCase() ?? null;
      if (!person) throw new FeedError(200, 'PagerDuty answered on-calls without user emails (include[]=users)');
      out.push({ start: o.start ? DateTime.fromISO(o.start, { zone: 'UTC' }) : w.from, end: o.end ? DateTime.fromISO(o.end, { zone: 'UTC' }) : null, person });
    }
    if (!body.more) break;
    offset += body.oncalls.length;
  }
  return out;
}

async function opsgenieShifts(schedule: string, w: FetchWindow): Promise<Shift[]> {
  const key = required('OPSGENIE_API_KEY', 'an Opsgenie API integration key');
  const base = secretFromEnv('OPSGENIE_API_URL') ?? OPSGENIE_API;
  const q = new URLSearchParams({ scheduleIdentifierType: 'id', flat: 'true', date: w.from.toISO({ suppressMilliseconds: true })! });
  const text = await getText(`${base}/v2/schedules/${encodeURIComponent(schedule)}/on-calls?${q}`, {
    headers: { authorization: `GenieKey ${key}`, accept: 'application/json' },
    service: 'Opsgenie',
    authHint: 'check OPSGENIE_API_KEY (an API integration with read access to the schedule)',
    minBackoffMs: w.minBackoffMs,
  });
  const body = parseJson(ogOncalls, text, 'Opsgenie');
  const people = body.data.onCallRecipients ?? (body.data.onCallParticipants ?? []).filter((p) => p.type === 'user').map((p) => p.name);
  return people.map((p) => ({ start: w.from, end: null, person: p.toLowerCase() }));
}
