import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewEvent } from '../../../../src/domain/preview/events.js';
import { buildPreview } from '../../../../src/services/preview/build.js';
import { readLiveState } from '../../../../src/services/preview/live-state.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../../../support/config-factories.js';
import { PROMPT_STATES } from '../../../support/prompt-states.js';

/*
 * The preview and the scheduler share one source of truth: the real scheduler (tick + BullMQ workers, real Postgres
 * and Redis, Slack faked with nock) runs over a simulated 8 days, 29 Mar – 5 Apr 2026, with a fixed clock, and every
 * DM it sends is matched one for one with the preview's events, built from the same config and the same database.
 * Those days cross three DST changes: London springs forward on 29 Mar (01:00 → 02:00, so the 01:30 standup of the
 * London member moves to 02:30), Sydney and Lord Howe fall back on 5 Apr (Sydney 03:00 → 02:00: its 02:30 sync happens
 * twice, the first is used; Lord Howe 02:00 → 01:30, a half hour: its 01:30 standup happens twice). Members in New
 * York, London, Kolkata, Sydney and Lord_Howe; every day is a workday so the Sundays of the changes have check-ins.
 * Two check-ins a day in the workstream and a program check-in of all leads and the PM (who is in no workstream: the
 * program is their section, issue 18).
 * A second workstream, Edge, waits for the gate "Edge go", which passes on 1 Apr at 10:10 London time, during its
 * 10:00 standup's window (issue 18): the scheduler opens that run at its next tick and prompts the London member at
 * once, the New York member at their own 10:00; the Kolkata member's window closed hours before, so they get no
 * prompt that day; Edge's lead joins the program check-in from 2 Apr. The preview, told the gate passes then, lists
 * the same.
 */
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'Europe/London', checkins: [{ id: 'leads', at: '09:00', participants: ['all_leads', 'U0PM'], remind_after: '15m', close_after: '1h' }] },
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  workstreams: [
    aWorkstream({
      id: 'core',
      name: 'Core',
      channel: 'C0CORE',
      timezone: 'Europe/London',
      leads: ['U0NYC', 'U0LHI'],
      members: [
        { id: 'U0NYC', timezone: 'America/New_York' },
        'U0LON',
        { id: 'U0KOL', timezone: 'Asia/Kolkata' },
        { id: 'U0SYD', timezone: 'Australia/Sydney' },
        { id: 'U0LHI', timezone: 'Australia/Lord_Howe' },
      ],
      standup: { at: '01:30', remind_after: '15m', close_after: '45m' },
      checkins: [{ id: 'sync', at: '02:30', participants: ['U0SYD', 'U0LHI', 'U0NYC'], remind_after: '20m', close_after: '50m' }],
    }),
    aWorkstream({
      id: 'edge',
      name: 'Edge',
      channel: 'C0EDGE',
      timezone: 'Europe/London',
      leads: ['U0EDL'],
      members: ['U0EDA', { id: 'U0EDN', timezone: 'America/New_York' }, { id: 'U0EDK', timezone: 'Asia/Kolkata' }],
      standup: { at: '10:00', remind_after: '20m', close_after: '2h' },
      starts_when: { gate: 'edge-go' },
    }),
  ],
  gates: [{ id: 'edge-go', name: 'Edge go', sign_off: ['U0PM'] }],
});
/** When "Edge go" passes: Wed 1 Apr 2026, 10:10 in London (BST), inside Edge's 10:00–12:00 standup window. */
const EDGE_GO = DateTime.fromISO('2026-04-01T10:10', { zone: 'Europe/London' }).toUTC();

const FROM = '2026-03-29';
const DAYS = 8;

type Sent = { user: string; kind: 'prompt' | 'reminder'; row: number; at: string };

describe('the scheduler sends exactly what the preview lists (simulated week across DST changes, real Postgres and Redis)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const sent: Sent[] = [];
  const slack = nockSlack({
    onCall: ({ method, args }) => {
      const reservation = String(args.metadata?.event_payload?.reservation ?? '');
      const m = /^(prompt|reminder)-(\d+)$/.exec(reservation);
      if (method === 'chat.postMessage' && m) sent.push({ user: args.channel, kind: m[1] as Sent['kind'], row: Number(m[2]), at: h.clock.now().toISO()! });
    },
  });
  let preview: ReturnType<typeof buildPreview>;

  beforeAll(async () => {
    h = await harness(YAML, '2026-03-29T00:00:00Z');
    bot = await h.process();
    // live state the preview must honour: U0KOL out of office on 31 Mar, U0NYC skips the sync of 2 Apr
    await h.sql("INSERT INTO member_out_of_office (user_id, from_date, until_date, set_at) VALUES ('U0KOL', '2026-03-31', '2026-03-31', now())");
    await h.sql("INSERT INTO standup_skips (user_id, workstream_id, checkin_id, local_date) VALUES ('U0NYC', 'core', 'sync', '2026-04-02')");
    // the preview is told when the gate will pass (as the lifecycle rule reads a passed gate: with the instant it passed)
    const live = await readLiveState(bot.deps.db, h.config);
    preview = buildPreview(h.config, { ...live, startGates: new Map([['edge-go', { status: 'passed', passedAt: EDGE_GO.toMillis() }]]) }, FROM, DAYS);

    // every instant the preview names, and every half hour in between: the scheduler is given every chance to act
    // at a time the preview does not name, and a send at the wrong time shows as a send at another step
    const steps = new Set<number>(preview.events.map((e) => e.at.toMillis()));
    for (let t = preview.from; t < preview.until; t = t.plus({ minutes: 30 })) steps.add(t.toMillis());
    steps.add(EDGE_GO.toMillis());
    let edgeGo = false;
    for (const ms of [...steps].sort((a, b) => a - b)) {
      if (ms >= preview.until.toMillis()) break;
      h.clock.set(DateTime.fromMillis(ms, { zone: 'utc' }));
      if (!edgeGo && ms >= EDGE_GO.toMillis()) {
        // the gate passes (as /gonogo signoff records it) just before the scheduler's tick of that instant
        await h.sql("INSERT INTO gate_states (gate_id, status, signed_by, signed_at, updated_at) VALUES ('edge-go', 'passed', 'U0PM', $1, $1)", [EDGE_GO.toJSDate()]);
        edgeGo = true;
      }
      await tick(bot.deps);
      // the workers deliver what the tick queued before the clock moves on (so no claim outlives reclaim_after)
      await eventually(`deliveries due at ${h.clock.now().toISO()} done`, async () => {
        const [row] = await h.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${PROMPT_STATES} p JOIN standup_runs r ON r.id = p.run_id
           WHERE r.status = 'open' AND p.close_at > $1 AND (
             (p.status IN ('pending', 'sending') AND p.prompt_at <= $1) OR
             (p.status = 'sent' AND p.reminder_status IN ('none', 'sending') AND p.remind_at <= $1))`,
          [h.clock.now().toJSDate()],
        );
        return row!.n === 0;
      });
    }
  }, 600_000);
  afterAll(async () => {
    await h?.cleanup();
    slack.done();
  });

  const key = (e: { to: string | null; workstreamId: string | null; checkinId: string | null; localDate: string | null; at: DateTime }) =>
    `${e.to} ${e.workstreamId}/${e.checkinId}/${e.localDate} ${e.at.toUTC().toISO()}`;
  const of = (kind: PreviewEvent['kind']) => preview.events.filter((e) => e.kind === kind);
  const dmTimes = (user: string) => sent.filter((s) => s.kind === 'prompt' && s.user === user).map((s) => DateTime.fromISO(s.at).toUTC().toISO());

  it('the span crosses the DST changes, and the preview says so on those lines', () => {
    const notes = preview.events.filter((e) => e.dst).map((e) => `${e.to} ${e.kind} ${e.localDate}: ${e.dst}`);
    expect(notes).toContain('U0LON checkin_prompt 2026-03-29: clocks go forward: 01:30 moves to 02:30');
    expect(notes).toContain('U0LHI checkin_prompt 2026-04-05: clocks go back: 01:30 happens twice; the first one is used (UTC+11:00)');
    expect(notes).toContain('U0SYD checkin_prompt 2026-04-05: clocks go back: 02:30 happens twice; the first one is used (UTC+11:00)');
    expect(of('checkin_prompt').length).toBeGreaterThan(60);
  });

  it('every prompt sent is one of the preview’s prompts, at its instant, one for one', async () => {
    const rows = await h.sql<{ id: number; user_id: string; workstream_id: string; checkin_id: string; local_date: string }>(
      `SELECT p.id, p.user_id, r.workstream_id, r.checkin_id, r.local_date::text AS local_date
       FROM ${PROMPT_STATES} p JOIN standup_runs r ON r.id = p.run_id WHERE p.status = 'sent' AND p.prompt_at < $1`,
      [preview.until.toJSDate()],
    );
    // one DM per prompt, each at the tick the scheduler sent it (the fixed clock only stops at the preview's instants
    // and half hours): a prompt of a run opened late goes out when it opens, after its stored prompt_at
    const dms = sent.filter((s) => s.kind === 'prompt');
    expect(dms).toHaveLength(rows.length);
    expect(dms).toHaveLength(of('checkin_prompt').length);
    const dmAt = new Map(dms.map((dm) => [dm.row, DateTime.fromISO(dm.at)]));
    const scheduled = rows.map((r) => key({ to: r.user_id, workstreamId: r.workstream_id, checkinId: r.checkin_id, localDate: r.local_date, at: dmAt.get(r.id) ?? DateTime.fromMillis(0) })).sort();
    expect(scheduled).toEqual(of('checkin_prompt').map(key).sort());
  });

  it('every reminder sent (nobody answers) is one of the preview’s reminders, at its instant, one for one', async () => {
    const rows = await h.sql<{ id: number; user_id: string; workstream_id: string; checkin_id: string; local_date: string; remind_at: Date }>(
      `SELECT p.id, p.user_id, r.workstream_id, r.checkin_id, r.local_date::text AS local_date, p.remind_at
       FROM ${PROMPT_STATES} p JOIN standup_runs r ON r.id = p.run_id WHERE p.reminder_status = 'sent'`,
    );
    const scheduled = rows.map((r) => key({ to: r.user_id, workstreamId: r.workstream_id, checkinId: r.checkin_id, localDate: r.local_date, at: DateTime.fromJSDate(r.remind_at) })).sort();
    expect(scheduled).toEqual(of('checkin_reminder').map(key).sort());
    const dms = sent.filter((s) => s.kind === 'reminder');
    expect(dms).toHaveLength(of('checkin_reminder').length);
    const remindAt = new Map(rows.map((r) => [r.id, r.remind_at.toISOString()]));
    for (const dm of dms) expect(DateTime.fromISO(dm.at).toUTC().toISO(), `reminder ${dm.row} to ${dm.user}`).toBe(DateTime.fromISO(remindAt.get(dm.row)!).toUTC().toISO());
  });

  it('the out-of-office and the skip the preview lists are the prompts the scheduler held back', async () => {
    const held = await h.sql<{ user_id: string; checkin_id: string; local_date: string; status: string }>(
      `SELECT p.user_id, r.checkin_id, r.local_date::text AS local_date, p.status FROM ${PROMPT_STATES} p JOIN standup_runs r ON r.id = p.run_id
       WHERE p.status IN ('ooo', 'skipped') ORDER BY r.local_date, r.checkin_id, p.user_id`,
    );
    expect(held).toEqual([
      { user_id: 'U0KOL', checkin_id: 'standup', local_date: '2026-03-31', status: 'ooo' },
      { user_id: 'U0NYC', checkin_id: 'sync', local_date: '2026-04-02', status: 'skipped' },
    ]);
    expect(preview.skipped.filter((s) => s.reason === 'out_of_office' || s.reason === 'skipped').map((s) => `${s.userId} ${s.checkinId} ${s.localDate} ${s.reason}`)).toEqual([
      'U0KOL standup 2026-03-31 out_of_office',
      'U0NYC sync 2026-04-02 skipped',
    ]);
  });

  it('a gate passing during a check-in’s window: the scheduler opens it then, and the preview says so (issue 18)', async () => {
    const runs = await h.sql<{ local_date: string; prompts: string }>(
      `SELECT r.local_date::text AS local_date, string_agg(p.user_id || ' ' || p.status, ', ' ORDER BY p.user_id) AS prompts
       FROM standup_runs r JOIN ${PROMPT_STATES} p ON p.run_id = r.id WHERE r.workstream_id = 'edge' AND r.local_date <= '2026-04-02' GROUP BY r.local_date ORDER BY r.local_date`,
    );
    // no run while it waited; on 1 Apr Kolkata's window had closed (04:30–06:30 UTC) when the gate passed
    expect(runs).toEqual([
      { local_date: '2026-04-01', prompts: 'U0EDA sent, U0EDK expired, U0EDN sent' },
      { local_date: '2026-04-02', prompts: 'U0EDA sent, U0EDK sent, U0EDN sent' },
    ]);
    const edge = (d: string) =>
      preview.events.filter((e) => e.workstreamId === 'edge' && e.localDate === d && e.kind === 'checkin_prompt').map((e) => `${e.to} ${e.at.toUTC().toFormat('HH:mm')} ${e.condition ?? ''}`.trim());
    expect(edge('2026-04-01')).toEqual(['U0EDA 09:10 opens late: at 10:00, waiting on gate Edge go', 'U0EDN 14:00']);
    expect(dmTimes('U0EDA')[0]).toBe('2026-04-01T09:10:00.000Z');
    const skipped = (d: string) => preview.skipped.filter((s) => s.workstreamId === 'edge' && s.localDate === d).map((s) => `${s.userId ?? 'everyone'} ${s.reason}: ${s.detail}`);
    expect(skipped('2026-03-31')).toEqual(['everyone waiting_on_gate: waiting on gate Edge go']);
    expect(skipped('2026-04-01')).toEqual(['U0EDK waiting_on_gate: waiting on gate Edge go until after their answer window closed']);
    // the program check-in leaves Edge's lead out until the gate has passed, and prompts the PM every day
    const leads = (user: string) =>
      of('checkin_prompt')
        .filter((e) => e.checkinId === 'leads' && e.to === user)
        .map((e) => e.localDate);
    expect(leads('U0EDL')).toEqual(['2026-04-02', '2026-04-03', '2026-04-04', '2026-04-05']);
    expect(leads('U0PM')).toHaveLength(DAYS);
  });
});
