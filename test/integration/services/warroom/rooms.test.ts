import { afterEach, describe, expect, it } from 'vitest';
import { wakeupJobs } from '../../../../src/jobs/registry.js';
import { renderBlockerMessage } from '../../../../src/services/blockers/delivery.js';
import { actOnBlocker } from '../../../../src/services/blockers/act.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { sendOutbound } from '../../../../src/services/delivery/outbound.js';
import { queueSummary } from '../../../../src/services/gonogo/decisions.js';
import { signOffGate } from '../../../../src/services/gonogo/gates.js';
import { archiveWarRoom, closeWarRoom, openWarRoom, unfinishedRooms } from '../../../../src/services/warroom/rooms.js';
import { checkP0, p0ChecksDue } from '../../../../src/services/warroom/triggers.js';
import type { WarRoomTrigger } from '../../../../src/domain/warroom/room.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';

/*
 * The war room (issue 23) on real Postgres and Redis, Slack faked with nock (its channels: the stand-in's
 * conversations.ts). Jobs are not run by workers: each test takes the job a hook queued from BullMQ and runs it,
 * so what is asserted is what one run of each job does.
 */

const ROOM = 'launch-launch-war-room';

/** A two-workstream launch with a failable gate and one on-call rotation (UONCALL, always on call). */
const config = (warRoom: Record<string, unknown> = { when: ['no_go', { p0_open_for: '30m' }, 'gate_failed'] }) =>
  aConfig({
    program: {
      name: 'Launch',
      execs: ['U0EXEC'],
      war_room: warRoom,
      oncall: { ops: { name: 'Ops', members: ['UONCALL'], handoff: '09:00', shift: '24h' } },
    },
    workstreams: [
      aWorkstream({ id: 'alpha', name: 'Alpha', channel: 'C0ALPHA', leads: ['UALPHA'], members: ['UA1'] }),
      aWorkstream({ id: 'beta', name: 'Beta', channel: 'C0BETA', leads: ['UBETA'], members: ['UB1'], starts_when: { gate: 'qa' } }),
    ],
    gates: [{ id: 'qa', name: 'QA sign-off', sign_off: ['UQA'], on_fail: { escalate_to: ['pm'] } }],
  });

type H = Awaited<ReturnType<typeof harness>>;
type Bot = Awaited<ReturnType<H['process']>>;

/** Delivers every pending outbound message (the why-posts, the PM's DMs) once. */
async function deliverAll(h: H, bot: Bot) {
  for (const { id } of await h.sql<{ id: number }>("SELECT m.id FROM outbound_messages m JOIN deliveries d ON d.kind = m.kind AND d.owner_key = m.id::text WHERE d.status = 'pending' ORDER BY m.id"))
    await sendOutbound(bot.deps, id);
}

/** The trigger of the `open-war-room` job the hooks queued under `key`, or undefined when none was. */
async function queuedTrigger(bot: Bot, key: string): Promise<WarRoomTrigger | undefined> {
  const job = await bot.queues.channel.getJob(wakeupJobs.openWarRooms.jobId({ trigger: { key } as WarRoomTrigger }));
  return job?.data.trigger;
}

describe('the war room', () => {
  let h: H | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  async function start(yaml = config()) {
    h = await harness(yaml, '2026-03-10T14:00:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    return h.process({ workers: false });
  }

  /** The text of every message posted in `channel`, oldest first. */
  const postsIn = (channel: string) => slack!.messages.messages.filter((m) => m.channel === channel && !m.thread_ts).map((m) => String(m.text));

  it('a failed gate opens one room: the PM, the execs, the downstream leads, who failed it and who is on call are invited, and the room says why', async () => {
    const bot = await start();
    expect(await signOffGate(bot.deps, 'qa', 'UQA', 'failed', 'smoke tests red')).toMatchObject({ ok: true });
    const trigger = await queuedTrigger(bot, `gate_failed-qa-${h!.clock.now().toMillis()}`);
    expect(trigger).toMatchObject({ kind: 'gate_failed', gateId: 'qa', actor: 'UQA', workstreams: ['beta'] });
    // the gate's escalation message is posted first, so the room links it
    const [esc] = await h!.sql<{ id: number }>("SELECT id FROM blockers WHERE source = 'gate'");
    await renderBlockerMessage(bot.deps, esc!.id);

    const opened = await openWarRoom(bot.deps, trigger!);
    expect(opened).toMatchObject({ outcome: 'opened' });
    const room = slack!.conversations.byName(ROOM)!;
    expect(room).toMatchObject({ is_private: false, is_archived: false });
    expect([...room.members].sort()).toEqual(['U0EXEC', 'U0PM', 'UBETA', 'UBOTPREFLIGHT', 'UONCALL', 'UQA'].sort());
    await deliverAll(h!, bot);
    const [why] = postsIn(room.id);
    expect(why).toContain('War room opened: gate “QA sign-off” failed by <@UQA>');
    expect(why).toMatch(/<https:\/\/example\.slack\.com\/archives\/C0LAUNCH\/p\d+\|see>/);
    expect(why).toContain('smoke tests red');
    expect(await h!.sql('SELECT channel_id, name FROM war_rooms WHERE closed_at IS NULL')).toEqual([{ channel_id: room.id, name: ROOM }]);
  });

  it('a NO-GO from /gonogo opens the room; a second NO-GO posts into the same room; a GO opens nothing', async () => {
    const bot = await start();
    // no open blocker and no gate signed: NO-GO (the mandatory gate is not signed off)
    expect(await queueSummary(bot.deps, 'C0ALPHA', 'inv-1')).toBe(true);
    await deliverAll(h!, bot);
    const first = await queuedTrigger(bot, 'no_go-gonogo-asked_inv-1');
    expect(first).toMatchObject({ kind: 'no_go', postKey: 'gonogo-asked:inv-1' });
    expect(await openWarRoom(bot.deps, first!)).toMatchObject({ outcome: 'opened' });

    expect(await queueSummary(bot.deps, 'C0BETA', 'inv-2')).toBe(true);
    await deliverAll(h!, bot);
    const second = await queuedTrigger(bot, 'no_go-gonogo-asked_inv-2');
    expect(await openWarRoom(bot.deps, second!)).toMatchObject({ outcome: 'posted' });
    // the same job run again (a retry) posts nothing more
    await openWarRoom(bot.deps, second!);
    await deliverAll(h!, bot);

    expect(slack!.of('conversations.create')).toHaveLength(1);
    const room = slack!.conversations.byName(ROOM)!;
    const posts = postsIn(room.id);
    expect(posts).toHaveLength(2);
    expect(posts[0]).toContain('War room opened: the go/no-go verdict is *NO-GO* (<https://example.slack.com/archives/C0ALPHA/p');
    expect(posts[0]).toContain('• Gate “QA sign-off” is not signed off.');
    expect(posts[1]).toContain('Also: the go/no-go verdict is *NO-GO* (<https://example.slack.com/archives/C0BETA/p');

    // once the gate passes the verdict is GO: no trigger
    await signOffGate(bot.deps, 'qa', 'UQA', 'passed', null);
    await queueSummary(bot.deps, 'C0ALPHA', 'inv-3');
    expect(await queuedTrigger(bot, 'no_go-gonogo-asked_inv-3')).toBeUndefined();
  });

  it('a P0 still open 30 minutes after it was raised opens the room (its owner invited, its message linked); one resolved in time does not', async () => {
    const bot = await start();
    const raised = await raiseBlocker(bot.deps, { reporter: 'UA1', text: 'Staging DB is down', severity: 'P0', owner: 'UA1', workstreamId: 'alpha', source: 'command' });
    const early = await raiseBlocker(bot.deps, { reporter: 'UB1', text: 'Flaky deploy', severity: 'P0', workstreamId: 'beta', source: 'command' });
    const p1 = await raiseBlocker(bot.deps, { reporter: 'UA1', text: 'Slow page', severity: 'P1', workstreamId: 'alpha', source: 'command' });
    if (!raised.ok || !early.ok || !p1.ok) throw new Error('raise failed');
    // the check is a delayed job, due 30 minutes after the raise (one per P0; none for a P1)
    const job = await bot.queues.escalation.getJob(`war-room-p0-${raised.blocker.id}`);
    expect(job?.opts.delay).toBe(30 * 60_000);
    expect(await bot.queues.escalation.getJob(`war-room-p0-${p1.blocker.id}`)).toBeUndefined();
    await renderBlockerMessage(bot.deps, raised.blocker.id);
    await actOnBlocker(bot.deps, early.blocker.id, 'UB1', { kind: 'resolve' });

    h!.clock.advance({ minutes: 29 });
    expect(await checkP0(bot.deps, raised.blocker.id)).toBe(false); // never early
    expect(await p0ChecksDue(bot.deps)).toEqual([]);
    h!.clock.advance({ minutes: 1 });
    // a lost delayed job: the sweep finds the check still due
    expect((await p0ChecksDue(bot.deps)).map((c) => c.blockerId)).toEqual([raised.blocker.id]);
    expect(await checkP0(bot.deps, early.blocker.id)).toBe(false);
    expect(await checkP0(bot.deps, raised.blocker.id)).toBe(true);
    const trigger = await queuedTrigger(bot, `p0-${raised.blocker.id}`);
    expect(await queuedTrigger(bot, `p0-${early.blocker.id}`)).toBeUndefined();
    expect(await openWarRoom(bot.deps, trigger!)).toMatchObject({ outcome: 'opened' });
    await deliverAll(h!, bot);

    // what the sweep would check again: nothing (this P0 has its why-post, the other one is resolved)
    expect(await p0ChecksDue(bot.deps)).toEqual([]);
    const room = slack!.conversations.byName(ROOM)!;
    expect([...room.members].sort()).toEqual(['U0EXEC', 'U0PM', 'UA1', 'UALPHA', 'UBOTPREFLIGHT', 'UONCALL'].sort());
    const [why] = postsIn(room.id);
    expect(why).toContain(`P0 blocker B-${raised.blocker.id} has been open for 30m`);
    expect(why).toContain('Staging DB is down');
    expect(why).toContain('Owner: <@UA1>');
    const [msg] = await h!.sql<{ ts: string }>("SELECT ts FROM deliveries WHERE kind = 'blocker' AND owner_key = $1", [String(raised.blocker.id)]);
    expect(why).toContain(`(<https://example.slack.com/archives/C0ALPHA/p${msg!.ts.replace('.', '')}|see>)`);
  });

  it('two replicas opening at once, and a retry after a crash that left the channel created but not recorded, make one room', async () => {
    const bot = await start();
    const other = await h!.process({ workers: false });
    const t = (key: string): WarRoomTrigger => ({ kind: 'gate_failed', key, gateId: 'qa', gateName: 'QA sign-off', actor: 'UQA', note: null, workstreams: ['beta'] });
    const results = await Promise.all([openWarRoom(bot.deps, t('gate_failed-qa-1')), openWarRoom(other.deps, t('gate_failed-qa-2'))]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['opened', 'posted']);
    expect([...slack!.conversations.channels.values()].filter((c) => c.name.startsWith('launch-launch-war-room'))).toHaveLength(1);
    expect(await h!.sql<{ n: number }>('SELECT count(*)::int AS n FROM war_rooms')).toEqual([{ n: 1 }]);
    const [row] = await h!.sql<{ channel_id: string }>('SELECT channel_id FROM war_rooms');
    expect(row!.channel_id).toBe(slack!.conversations.byName(ROOM)!.id);
  });

  it('a claimed room whose channel a crash left unrecorded: the sweep runs it again and the channel is found by its name, not made twice', async () => {
    const bot = await start();
    const trigger: WarRoomTrigger = { kind: 'gate_failed', key: 'gate_failed-qa-9', gateId: 'qa', gateName: 'QA sign-off', actor: 'UQA', note: null, workstreams: ['beta'] };
    // the crash: the row was claimed and Slack created the channel, but its id never reached Postgres
    await h!.sql("INSERT INTO war_rooms (program, name, opened_at, opened_by) VALUES ('Launch', $1, now(), $2)", [ROOM, JSON.stringify(trigger)]);
    const made = slack!.conversations.addChannel(ROOM, { creator: 'UBOTPREFLIGHT' });
    const due = await unfinishedRooms(bot.deps);
    expect(due).toEqual([{ trigger }]);
    expect(await openWarRoom(bot.deps, due[0]!.trigger)).toMatchObject({ outcome: 'opened', channel: made.id });
    expect(slack!.conversations.channels.size).toBe(1);
    expect(await unfinishedRooms(bot.deps)).toEqual([]);
  });

  it('the board is pinned in the room once: a link to its message in the program channel', async () => {
    const bot = await start();
    const board = slack!.messages.post({ channel: 'C0LAUNCH', text: 'Launch board' });
    bot.deps.warRoomBoard = async () => ({ kind: 'message', id: board.ts, channel: 'C0LAUNCH' });
    const t = (key: string): WarRoomTrigger => ({ kind: 'gate_failed', key, gateId: 'qa', gateName: 'QA sign-off', actor: null, note: null, workstreams: [] });
    const opened = await openWarRoom(bot.deps, t('k1'));
    await openWarRoom(bot.deps, t('k2'));
    if (opened.outcome !== 'opened') throw new Error('not opened');
    const room = slack!.conversations.channels.get(opened.channel)!;
    expect(slack!.of('pins.add')).toHaveLength(1);
    expect(room.pins.size).toBe(1);
    const pinned = slack!.messages.messages.find((m) => m.channel === room.id && room.pins.has(m.ts))!;
    expect(String(pinned.text)).toBe(`📌 The launch board: <https://example.slack.com/archives/C0LAUNCH/p${board.ts.replace('.', '')}|open it>.`);
  });

  it('a name taken by a channel that is not ours gets a suffixed name', async () => {
    const bot = await start();
    slack!.conversations.addChannel(ROOM, { creator: 'USOMEONE' });
    const out = await openWarRoom(bot.deps, { kind: 'gate_failed', key: 'k1', gateId: 'qa', gateName: 'QA sign-off', actor: null, note: null, workstreams: [] });
    const suffixed = slack!.conversations.byName(`${ROOM}-2`)!;
    expect(out).toMatchObject({ outcome: 'opened', channel: suffixed.id });
    expect(suffixed.creator).toBe('UBOTPREFLIGHT');
  });

  it('/preflight warroom close: only the PM; the summary goes in first, then the room is archived; a new trigger opens a new room', async () => {
    const bot = await start();
    const b = await raiseBlocker(bot.deps, { reporter: 'UA1', text: 'x', severity: 'P1', workstreamId: 'alpha', source: 'command' });
    const opened = await openWarRoom(bot.deps, { kind: 'gate_failed', key: 'k1', gateId: 'qa', gateName: 'QA sign-off', actor: 'UQA', note: null, workstreams: ['beta'] });
    if (opened.outcome !== 'opened' || !b.ok) throw new Error('not opened');
    h!.clock.advance({ hours: 2, minutes: 5 });
    await actOnBlocker(bot.deps, b.blocker.id, 'UA1', { kind: 'resolve' });

    expect(await closeWarRoom(bot.deps, 'UALPHA')).toMatchObject({ ok: false, refusal: { who: ['U0PM'], rule: 'Only the PM can close the war room' } });
    const closed = await closeWarRoom(bot.deps, 'U0PM');
    expect(closed).toEqual({
      ok: true,
      channel: opened.channel,
      summary: '🏁 <@U0PM> closed the war room: open for 2h 05m, opened by gate “QA sign-off” failed; 1 blocker resolved since.',
    });
    expect(await closeWarRoom(bot.deps, 'U0PM')).toEqual({ ok: false, reason: 'none' });
    expect(await bot.queues.channel.getJob(`war-room-archive-${opened.roomId}`)).toBeDefined();
    expect(await archiveWarRoom(bot.deps, opened.roomId)).toBe('archived');
    expect(await archiveWarRoom(bot.deps, opened.roomId)).toBe('archived'); // a retry: no second summary
    const roomCalls = slack!.calls.filter((c) => c.args.channel === opened.channel && ['chat.postMessage', 'conversations.archive'].includes(c.method)).map((c) => c.method);
    expect(roomCalls.slice(-3)).toEqual(['chat.postMessage', 'conversations.archive', 'conversations.archive']);
    expect(postsIn(opened.channel).at(-1)).toContain('closed the war room: open for 2h 05m');
    expect(slack!.conversations.channels.get(opened.channel)!.is_archived).toBe(true);

    // the old name stays taken by the archived room: the next room gets a suffixed name
    const next = await openWarRoom(bot.deps, { kind: 'gate_failed', key: 'k2', gateId: 'qa', gateName: 'QA sign-off', actor: null, note: null, workstreams: [] });
    expect(next).toMatchObject({ outcome: 'opened', channel: slack!.conversations.byName(`${ROOM}-2`)!.id });
  });

  it.each(['missing_scope', 'restricted_action', 'not_allowed'])('conversations.create refused with %s: one DM to the PM however many triggers, no crash loop', async (error) => {
    const bot = await start();
    slack!.conversations.refuse('conversations.create', error);
    const t = (key: string): WarRoomTrigger => ({ kind: 'gate_failed', key, gateId: 'qa', gateName: 'QA sign-off', actor: null, note: null, workstreams: [] });
    expect(await openWarRoom(bot.deps, t('k1'))).toEqual({ outcome: 'refused', error });
    expect(await openWarRoom(bot.deps, t('k2'))).toEqual({ outcome: 'refused', error });
    await deliverAll(h!, bot);
    const dms = slack!.messages.messages.filter((m) => m.channel.startsWith('D') || m.channel === 'U0PM');
    expect(dms).toHaveLength(1);
    expect(String(dms[0]!.text)).toContain(`could not create the war room (Slack said \`${error}\`)`);
    expect(await unfinishedRooms(bot.deps)).toEqual([]);
    // once allowed, the next trigger opens it
    slack!.conversations.allow('conversations.create');
    expect(await openWarRoom(bot.deps, t('k3'))).toMatchObject({ outcome: 'opened' });
  });

  it('invite and archive refused: the room still opens and closes; the PM is told once per kind', async () => {
    const bot = await start();
    slack!.conversations.refuse('conversations.invite', 'restricted_action');
    const opened = await openWarRoom(bot.deps, { kind: 'gate_failed', key: 'k1', gateId: 'qa', gateName: 'QA sign-off', actor: null, note: null, workstreams: [] });
    await openWarRoom(bot.deps, { kind: 'gate_failed', key: 'k2', gateId: 'qa', gateName: 'QA sign-off', actor: null, note: null, workstreams: [] });
    if (opened.outcome !== 'opened') throw new Error('not opened');
    slack!.conversations.refuse('conversations.archive', 'not_allowed');
    await closeWarRoom(bot.deps, 'U0PM');
    expect(await archiveWarRoom(bot.deps, opened.roomId)).toBe('refused');
    await deliverAll(h!, bot);
    const dms = slack!.messages.messages.filter((m) => m.channel.startsWith('D') || m.channel === 'U0PM').map((m) => String(m.text));
    expect(dms).toHaveLength(2);
    expect(dms[0]).toContain('could not invite people into the war room (Slack said `restricted_action`)');
    expect(dms[1]).toContain('could not archive the war room (Slack said `not_allowed`)');
  });

  it('without program.war_room, or a trigger `when` does not name, nothing opens', async () => {
    const bot = await start(config({ when: ['gate_failed'] }));
    expect(await queueSummary(bot.deps, 'C0ALPHA', 'inv-1')).toBe(true);
    expect(await queuedTrigger(bot, 'no_go-gonogo-asked_inv-1')).toBeUndefined();
    expect(await openWarRoom(bot.deps, { kind: 'no_go', key: 'x', reasons: [], workstreams: [], postKey: null })).toEqual({ outcome: 'off' });
    expect(slack!.of('conversations.create')).toEqual([]);
  });
});

describe('the war room through the workers', () => {
  let h: H | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  it('a failed gate: the queued job opens the room and the why-post is delivered, once', async () => {
    h = await harness(config(), 'real-time');
    slack = nockSlack();
    const bot = await h.process();
    expect(await signOffGate(bot.deps, 'qa', 'UQA', 'failed', 'red')).toMatchObject({ ok: true });
    const posted = () => {
      const room = slack!.conversations.byName(ROOM);
      return Boolean(room && slack!.messages.messages.some((m) => m.channel === room.id && String(m.text).includes('War room opened')));
    };
    await eventually('the war room and its why-post', posted, 30_000);
    expect(slack.of('conversations.create')).toHaveLength(1);
    expect(await h.sql('SELECT name, closed_at FROM war_rooms')).toEqual([{ name: ROOM, closed_at: null }]);
  });
});
