import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { blockerNotices } from '../../../../src/db/schema/index.js';
import { sendNotice } from '../../../../src/services/blockers/delivery.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { blockerTimeline, getBlocker } from '../../../../src/services/blockers/queries.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { OPSGENIE_API, PAGERDUTY_API } from '../../../../src/services/oncall/sources.js';
import { refreshRotations, rotationStatuses } from '../../../../src/services/oncall/rotations.js';
import { threadLine } from '../../../../src/slack/blocks/blocker.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

// issue 22: a ladder level naming a rotation, with PagerDuty and Opsgenie replayed by nock and the clock injected
// (fixed at the fixture's instant and moved by hand; escalation driven by hand, no workers)
const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/oncall/${name}`, import.meta.url), 'utf8');
const START = '2026-12-01T15:00:00Z'; // inside Ana's PagerDuty shift (14:00–02:00 UTC) in pagerduty-oncalls.json
const YAML = aConfig({
  program: {
    name: 'Launch',
    execs: ['U0EXEC'],
    oncall: { omega: { name: 'Omega', pagerduty: { schedule: 'PABC123' } }, night: { name: 'Night', opsgenie: { schedule: 'd875alp4' } } },
  },
  escalation: {
    ladders: {
      P0: [
        { after: '3s', notify: 'oncall:omega' },
        { after: '6s', notify: 'pm' },
      ],
      P1: [
        { after: '3s', notify: ['oncall:night'] },
        { after: '60s', notify: 'pm' },
      ],
    },
  },
  workstreams: [aWorkstream({ name: 'Broker', blockers_channel: 'C0BLK', members: ['U01', 'U02'] })],
});

describe('a ladder level naming a rotation (oncall:<id>)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  slack.usersByEmail.set('ana@example.com', 'U0ANA');
  slack.usersByEmail.set('ben@example.com', 'U0BEN');
  beforeAll(async () => {
    vi.stubEnv('PAGERDUTY_TOKEN', 'pd-test-token');
    vi.stubEnv('OPSGENIE_API_KEY', 'og-test-key');
    h = await harness(YAML, START);
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await h.cleanup();
    slack.done();
  });

  const raise = async (severity: 'P0' | 'P1', text: string) => {
    const r = await raiseBlocker(bot.deps, { reporter: 'U01', text, severity, source: 'command' });
    if (!r.ok) throw new Error('raise failed');
    return r.blocker.id;
  };
  const step = async (id: number, afterSec: number, raisedAt: string) => {
    h.clock.set(new Date(Date.parse(raisedAt) + afterSec * 1000).toISOString());
    return escalate(bot.deps, id, (await getBlocker(bot.deps.db, id))!.version);
  };
  const lines = async (id: number) => (await blockerTimeline(bot.deps.db, id)).filter((e) => e.kind === 'escalated' || e.kind === 'skipped').map((e) => threadLine(e.kind, e.actor, e.data));

  it('pings the person on call per PagerDuty once, and the timeline and the DM say who and until when', async () => {
    nock(PAGERDUTY_API).get('/oncalls').query(true).reply(200, fixture('pagerduty-oncalls.json'));
    nock(OPSGENIE_API).get('/v2/schedules/d875alp4/on-calls').query(true).reply(401, { message: 'Could not authenticate', took: 0, requestId: 'r' });
    const refreshed = await refreshRotations(bot.deps, undefined, 10);
    expect(refreshed.map((r) => [r.id, r.ok])).toEqual([
      ['omega', true],
      ['night', false],
    ]);
    const id = await raise('P0', 'Checkout is down');
    expect(await step(id, 2, START)).toBe('not-due');
    expect(await step(id, 3, START)).toBe('notified');
    const notices = await bot.deps.db.select().from(blockerNotices).where(eq(blockerNotices.blockerId, id));
    expect(notices.map((n) => n.recipient)).toEqual(['U0ANA']);
    expect(notices[0]!.oncall).toMatchObject({ rotation: 'omega', name: 'Omega', source: 'PagerDuty', userId: 'U0ANA', until: Date.parse('2026-12-02T02:00:00Z') / 1000, staleSince: null });
    const [line] = await lines(id);
    expect(line).toMatch(/^⏫ Escalated to <@U0ANA> after 3s \(level 1 of 2\) · <@U0ANA> on call for Omega until <!date\^1796176800\^[^|]+\|[^>]+> per PagerDuty$/);
    expect(await sendNotice(bot.deps, notices[0]!.id)).toBe('sent');
    const dms = slack.of('chat.postMessage', (a) => a.channel === 'U0ANA');
    expect(dms).toHaveLength(1);
    expect(JSON.stringify(dms[0]!.args.blocks)).toContain('📟 Why you: <@U0ANA> on call for Omega until <!date^1796176800^');
    // the same wake-up again reserves nothing more
    expect(await escalate(bot.deps, id, (await getBlocker(bot.deps.db, id))!.version - 1)).toBe('stale');
    expect(await bot.deps.db.select().from(blockerNotices).where(eq(blockerNotices.blockerId, id))).toHaveLength(1);
  });

  it('a feed that cannot be read keeps the last known rotation, and the note says so', async () => {
    const at = '2026-12-01T15:10:00Z';
    h.clock.set(at);
    nock(PAGERDUTY_API).get('/oncalls').query(true).times(4).reply(503, 'Service Unavailable');
    nock(OPSGENIE_API).get('/v2/schedules/d875alp4/on-calls').query(true).reply(401, { message: 'Could not authenticate', took: 0, requestId: 'r' });
    const refreshed = await refreshRotations(bot.deps, undefined, 10);
    expect(refreshed.find((r) => r.id === 'omega')).toMatchObject({ ok: false, error: 'PagerDuty answered HTTP 503' });
    const status = (await rotationStatuses(bot.deps, bot.deps.clock.now())).get('omega')!;
    expect(status).toMatchObject({ known: true, error: 'PagerDuty answered HTTP 503', now: { userId: 'U0ANA' } });
    const id = await raise('P0', 'Search is down');
    expect(await step(id, 3, at)).toBe('notified');
    const notices = await bot.deps.db.select().from(blockerNotices).where(eq(blockerNotices.blockerId, id));
    expect(notices.map((n) => n.recipient)).toEqual(['U0ANA']);
    expect(notices[0]!.oncall?.staleSince).toBe(Date.parse(START) / 1000);
    expect((await lines(id))[0]).toContain('(last known rotation: PagerDuty could not be read since <!date^1796137200^');
  });

  it('no rotation known at all: the level falls through to the next at once, noted in the timeline', async () => {
    const at = '2026-12-01T15:20:00Z';
    h.clock.set(at);
    const id = await raise('P1', 'Staging DB is down');
    expect(await step(id, 3, at)).toBe('skipped');
    const b = (await getBlocker(bot.deps.db, id))!;
    // the next level (due 60 s after the raise) is due now
    expect(b.nextDueAt?.toISOString()).toBe(new Date(Date.parse(at) + 3_000).toISOString());
    expect(await step(id, 3, at)).toBe('notified');
    const notices = await bot.deps.db.select().from(blockerNotices).where(eq(blockerNotices.blockerId, id));
    expect(notices.map((n) => [n.level, n.recipient])).toEqual([[1, 'U0PM']]);
    expect(await lines(id)).toEqual([
      '⏭️ Level 1 of 2 (on call for night) skipped after 3s: nobody to notify · nobody is known on call for Night (per Opsgenie); on to the next level now',
      '⏫ Escalated to <@U0PM> after 3s (level 2 of 2)',
    ]);
  });
});
