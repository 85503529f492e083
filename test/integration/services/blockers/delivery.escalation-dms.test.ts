import { afterEach, describe, expect, it } from 'vitest';
import { actOnBlocker } from '../../../../src/services/blockers/act.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { scheduledGonogo } from '../../../../src/services/gonogo/decisions.js';
import { escalateOverdueGates, signOffGate } from '../../../../src/services/gonogo/gates.js';
import { sweepTasks } from '../../../../src/services/tasks/escalate.js';
import { updateTask } from '../../../../src/services/tasks/update.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// Issue 18, defect 11 (DESIGN.md invariant 5): every DM Preflight sent about a blocker, a gate or a task shows the
// thing's current state, edited in place (chat.update on the DM's ts), never left saying "needs you".
// Standups only on Sundays: nothing else DMs anyone on Wednesday 4 February 2026.
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'America/New_York', execs: ['U0EXEC'] },
  calendar: { workdays: ['sun'] },
  escalation: {
    ladders: {
      P0: [
        { after: '5m', notify: 'lead' },
        { after: '15m', notify: 'pm' },
      ],
    },
  },
  workstreams: [
    aWorkstream({
      name: 'Broker',
      blockers_channel: 'C0BLK',
      timezone: 'Europe/London',
      members: ['U01', 'U02', { id: 'UQA', timezone: 'Asia/Kolkata' }],
      tasks: [{ id: 'O-3', title: 'Email', owner: 'U01', due: '2026-02-04T14:00', estimate: 2 }],
    }),
  ],
  gates: [{ id: 'qa', name: 'QA sign-off', due: '2026-02-04T10:00', sign_off: ['UQA'] }],
  gonogo: { at: '2026-02-04T14:00' },
});

type H = Awaited<ReturnType<typeof harness>>;

const sec = (iso: string) => Math.floor(Date.parse(iso) / 1000);
/**
 * How long a step driven by the job workers (a DM sent, an edit made) may take: each is a job or two on BullMQ plus a
 * few queries, well under a second on a quiet box; 30 s tolerates a 2-core box shared with other test runs (load 13).
 */
const JOBS_MS = 30_000;
const waitFor = (what: string, predicate: () => boolean | Promise<boolean>) => eventually(what, predicate, JOBS_MS);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('escalation DMs are edited in place to the current state (real Postgres, Redis and job workers)', { timeout: 6 * JOBS_MS }, () => {
  let h: H | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
    h = undefined;
    slack = undefined;
  });

  /** DMs posted to `user` (its escalation notices and reminders). */
  const dmPosts = (user: string) => slack!.of('chat.postMessage', (a) => a.channel === user);
  /** The escalation notices of a blocker as stored: where each DM is. */
  const notices = (blockerId: number) =>
    h!.sql<{ recipient: string; ts: string | null; dm_channel: string | null }>(
      "SELECT n.recipient, d.ts, d.conversation AS dm_channel FROM blocker_notices n JOIN deliveries d ON d.kind = 'notice' AND d.owner_key = n.id::text WHERE n.blocker_id = $1 ORDER BY n.id",
      [blockerId],
    );
  /** The chat.update calls on one DM (its conversation and ts), oldest first. */
  const editsOf = (n: { ts: string | null; dm_channel: string | null }) => slack!.of('chat.update', (a) => a.channel === n.dm_channel && a.ts === n.ts);
  const lastEdit = (n: { ts: string | null; dm_channel: string | null }) => {
    const e = editsOf(n).at(-1);
    return { blocks: JSON.stringify(e?.args.blocks ?? []), text: String(e?.args.text ?? '') };
  };
  /** Runs the escalation processor for the blocker's current version, as its delayed job would at the due time. */
  const escalateNow = async (bot: Process, blockerId: number) => {
    const [b] = await h!.sql<{ version: number }>('SELECT version FROM blockers WHERE id = $1', [blockerId]);
    return escalate(bot.deps, blockerId, b!.version);
  };

  it('a P0 escalates to the lead and the PM by DM; the PM resolves: both DMs are edited to "Resolved by @PM" with the time in each one’s zone and no buttons, once', async () => {
    h = await harness(YAML, '2026-02-04T15:00:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const bot = await h.process();
    const res = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Staging DB is down', severity: 'P0', owner: 'U02', source: 'command' });
    const id = res.ok ? res.blocker.id : 0;
    h.clock.advance({ minutes: 5 });
    expect(await escalateNow(bot, id)).toBe('notified');
    await waitFor('the lead is DMed', () => dmPosts('U0LEAD').length === 1);
    expect(JSON.stringify(dmPosts('U0LEAD')[0]!.args.blocks)).toContain('needs you');
    h.clock.advance({ minutes: 10 });
    expect(await escalateNow(bot, id)).toBe('notified');
    await waitFor('the PM is DMed', () => dmPosts('U0PM').length === 1);
    const [lead, pm] = await notices(id);
    expect([lead!.recipient, pm!.recipient]).toEqual(['U0LEAD', 'U0PM']);
    await waitFor('both DMs recorded', async () => (await notices(id)).every((n) => n.ts && n.dm_channel));
    const [leadDm, pmDm] = await notices(id);
    // the lead's DM says the blocker went on to the PM since
    await waitFor('the lead’s DM shows level 2', () => lastEdit(leadDm!).blocks.includes('level 2 of 2 (the PM notified)'));

    h.clock.advance({ minutes: 2 });
    expect((await actOnBlocker(bot.deps, id, 'U0PM', { kind: 'resolve' })).ok).toBe(true);
    const at = sec('2026-02-04T15:17:00Z');
    await waitFor('both DMs edited to resolved', () => lastEdit(leadDm!).blocks.includes('Resolved by <@U0PM>') && lastEdit(pmDm!).blocks.includes('Resolved by <@U0PM>'));
    for (const [dm, fallback, plain] of [
      [leadDm!, 'Wed 4 Feb at 15:17 GMT', 'Wed 4 Feb 15:17 GMT'],
      [pmDm!, 'Wed 4 Feb at 10:17 EST', 'Wed 4 Feb 10:17 EST'],
    ] as const) {
      const { blocks, text } = lastEdit(dm);
      expect(blocks).toContain(`Resolved by <@U0PM> <!date^${at}^{date_short_pretty} at {time}|${fallback}>, after 17m`);
      expect(blocks).not.toContain('"type":"actions"');
      expect(blocks).not.toContain('needs you');
      expect(text).toContain(`resolved by <@U0PM> at ${plain}`);
      expect(text).not.toContain('needs you');
    }
    // one edit per DM for the resolution, and no new DM: the same messages were edited
    await sleep(1_000);
    expect(editsOf(leadDm!).filter((e) => JSON.stringify(e.args.blocks ?? []).includes('Resolved by')).length).toBe(1);
    expect(editsOf(pmDm!).filter((e) => JSON.stringify(e.args.blocks ?? []).includes('Resolved by')).length).toBe(1);
    expect([dmPosts('U0LEAD').length, dmPosts('U0PM').length]).toEqual([1, 1]);
  });

  it('the blocker message is posted once, its permalink (chat.getPermalink) recorded, and the escalation DM links to it', async () => {
    h = await harness(YAML, '2026-02-04T15:00:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const bot = await h.process();
    const res = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Cert expired on staging', severity: 'P0', owner: 'U02', source: 'command' });
    const id = res.ok ? res.blocker.id : 0;
    const message = () =>
      h!.sql<{ status: string; ts: string | null; conversation: string | null; permalink: string | null; claims: number }>(
        "SELECT status, ts, conversation, permalink, claims FROM deliveries WHERE kind = 'blocker' AND owner_key = $1",
        [String(id)],
      );
    // the render is over once its transaction marks the version rendered: the permalink is recorded after the ts
    await waitFor(
      'the blocker message is rendered',
      async () => (await h!.sql<{ done: boolean }>('SELECT message_rendered_version >= message_version AS done FROM blockers WHERE id = $1', [id]))[0]?.done === true,
    );
    const [row] = await message();
    const link = `https://example.slack.com/archives/C0BLK/p${row!.ts!.replace('.', '')}`;
    expect(row).toEqual({ status: 'sent', ts: row!.ts, conversation: 'C0BLK', permalink: link, claims: 1 });
    expect(slack.of('chat.postMessage', (a) => a.channel === 'C0BLK').length).toBe(1);
    expect(slack.of('chat.getPermalink').map((c) => [c.args.channel, c.args.message_ts])).toEqual([['C0BLK', row!.ts]]);

    h.clock.advance({ minutes: 5 });
    expect(await escalateNow(bot, id)).toBe('notified');
    await waitFor('the lead is DMed', () => dmPosts('U0LEAD').length === 1);
    expect(JSON.stringify(dmPosts('U0LEAD')[0]!.args.blocks)).toContain(`<${link}|Open the blocker message>`);
  });

  it('acknowledge, reassign and snooze each show in the DMs already sent (one edit per change), buttons kept while open', async () => {
    h = await harness(YAML, '2026-02-04T15:00:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const bot = await h.process();
    const res = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Alpaca sandbox returns 500', severity: 'P0', owner: 'U02', source: 'command' });
    const id = res.ok ? res.blocker.id : 0;
    h.clock.advance({ minutes: 5 });
    expect(await escalateNow(bot, id)).toBe('notified');
    await waitFor('the lead is DMed and it is recorded', async () => Boolean((await notices(id))[0]?.ts));
    const [dm] = await notices(id);
    const before = editsOf(dm!).length;

    expect((await actOnBlocker(bot.deps, id, 'U0LEAD', { kind: 'acknowledge' })).ok).toBe(true);
    await waitFor('acknowledged shows', () => lastEdit(dm!).blocks.includes('You acknowledged it'));
    expect(lastEdit(dm!).blocks).toContain('acknowledged by <@U0LEAD>');
    expect(lastEdit(dm!).blocks).not.toContain('needs you');
    expect(lastEdit(dm!).blocks).toContain('"action_id":"blocker_resolve"');

    expect((await actOnBlocker(bot.deps, id, 'U0LEAD', { kind: 'reassign', owner: 'U01' })).ok).toBe(true);
    await waitFor('the new owner shows', () => lastEdit(dm!).blocks.includes('waiting on <@U01>'));

    h.clock.advance({ minutes: 1 });
    expect((await actOnBlocker(bot.deps, id, 'U0LEAD', { kind: 'snooze', ms: 30 * 60_000 })).ok).toBe(true);
    const until = sec('2026-02-04T15:36:00Z');
    await waitFor('the snooze shows', () => lastEdit(dm!).blocks.includes(`snoozed until <!date^${until}^{date_short_pretty} {time}|Wed 4 Feb 15:36 GMT>`));
    expect(lastEdit(dm!).blocks).toContain('"action_id":"blocker_resolve"');
    await sleep(1_000);
    expect(editsOf(dm!).length - before).toBe(3);
    expect(dmPosts('U0LEAD')).toHaveLength(1);
  });

  it('a gate not signed off by its due time: the DM to its sign-off authority gives the due time in their zone; the sign-off edits it and the go/no-go reminder to “signed off”', async () => {
    // 13:05 in New York: QA was due at 10:00, and the go/no-go (14:00) reminder hour has begun
    h = await harness(YAML, '2026-02-04T18:05:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const bot = await h.process();
    // the gate's first level is due at once: its escalate job runs on the worker. The process's own due-work sweep
    // may get there first (it runs both checks too), so which call queues them is not pinned: that each DM is
    // sent once is (below, and the two posts at the end)
    expect([0, 1]).toContain(await escalateOverdueGates(bot.deps));
    expect(['reminded', 'nothing']).toContain(await scheduledGonogo(bot.deps));
    await waitFor('the gate escalation exists', async () => (await h!.sql("SELECT id FROM blockers WHERE source = 'gate'")).length === 1);
    const [gate] = await h.sql<{ id: number }>("SELECT id FROM blockers WHERE source = 'gate'");
    await waitFor('the escalation and the reminder reach UQA', () => dmPosts('UQA').length === 2);
    const [escalationPost, reminderPost] = [dmPosts('UQA').find((c) => c.args.blocks), dmPosts('UQA').find((c) => !c.args.blocks)];
    // UQA is in Kolkata: the due time (10:00 in New York) and the go/no-go time (14:00) in their zone
    const due = sec('2026-02-04T15:00:00Z');
    expect(JSON.stringify(escalationPost!.args.blocks)).toContain(`was due <!date^${due}^{date_short_pretty} at {time}|Wed 4 Feb at 20:30 GMT+5:30>`);
    expect(JSON.stringify(escalationPost!.args)).not.toContain('UTC');
    const gonogoAt = sec('2026-02-04T19:00:00Z');
    expect(String(reminderPost!.args.text)).toContain(`The go/no-go is at <!date^${gonogoAt}^{date_short_pretty} at {time}|Thu 5 Feb at 00:30 GMT+5:30>`);
    expect(String(reminderPost!.args.text)).toContain('Still waiting on your sign-off: “QA sign-off”');

    await waitFor(
      'both recorded',
      async () =>
        (await h!.sql("SELECT m.id FROM outbound_messages m JOIN deliveries d ON d.kind = m.kind AND d.owner_key = m.id::text WHERE d.status <> 'sent'")).length === 0 &&
        Boolean((await notices(gate!.id))[0]?.ts),
    );
    const [dm] = await notices(gate!.id);
    const [reminder] = await h.sql<{ ts: string; posted_channel: string }>(
      "SELECT d.ts, d.conversation AS posted_channel FROM outbound_messages m JOIN deliveries d ON d.kind = m.kind AND d.owner_key = m.id::text WHERE m.kind = 'gonogo_reminder'",
    );
    h.clock.advance({ minutes: 3 });
    expect(await signOffGate(bot.deps, 'qa', 'UQA', 'passed', null)).toMatchObject({ ok: true });
    await waitFor('the escalation DM is edited to resolved', () => lastEdit(dm!).blocks.includes('Resolved by <@UQA>'));
    expect(lastEdit(dm!).blocks).not.toContain('"type":"actions"');
    const reminderEdits = () => slack!.of('chat.update', (a) => a.channel === reminder!.posted_channel && a.ts === reminder!.ts);
    await waitFor('the reminder is edited', () => reminderEdits().length === 1);
    const edited = String(reminderEdits()[0]!.args.text);
    expect(edited).toContain(`✅ “QA sign-off” signed off by <@UQA> <!date^${sec('2026-02-04T18:08:00Z')}^{date_short_pretty} at {time}|Wed 4 Feb at 23:38 GMT+5:30>`);
    expect(edited).not.toContain('Still waiting on your sign-off');
    await sleep(1_000);
    expect(reminderEdits()).toHaveLength(1);
    expect(dmPosts('UQA')).toHaveLength(2);
  });

  it('a failed gate: its overdue DM is closed as resolved, the exec’s DM names who failed it with a real mention (defect 5), and is edited once the gate passes', async () => {
    h = await harness(YAML, '2026-02-04T18:05:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const bot = await h.process();
    await escalateOverdueGates(bot.deps);
    const [gate] = await h.sql<{ id: number }>("SELECT id FROM blockers WHERE source = 'gate'");
    await waitFor('UQA is DMed and it is recorded', async () => Boolean((await notices(gate!.id))[0]?.ts));
    const [overdueDm] = await notices(gate!.id);

    h.clock.advance({ minutes: 2 });
    // the failure starts the gate's escalation over, due at once (its job runs on the worker)
    expect(await signOffGate(bot.deps, 'qa', 'UQA', 'failed', 'load test <failed> & rolled back')).toMatchObject({ ok: true });
    await waitFor('the exec is DMed', () => dmPosts('U0EXEC').length === 1);
    const exec = dmPosts('U0EXEC')[0]!.args;
    const execBlocks = JSON.stringify(exec.blocks);
    expect(execBlocks).toContain('Raised by <@UQA>');
    expect(execBlocks).toContain('Gate “QA sign-off” failed: load test &lt;failed&gt; &amp; rolled back');
    expect(execBlocks).not.toContain('&lt;@');
    expect(String(exec.text)).not.toContain('&lt;@');
    // the overdue episode's DM says how it ended (not the failure's text), without buttons
    await waitFor('the overdue DM is closed', () => lastEdit(overdueDm!).blocks.includes('Resolved by <@UQA>'));
    expect(lastEdit(overdueDm!).blocks).toContain('is not signed off');
    expect(lastEdit(overdueDm!).blocks).not.toContain('"type":"actions"');

    await waitFor('the exec DM is recorded', async () => (await notices(gate!.id)).some((n) => n.recipient === 'U0EXEC' && n.ts));
    const execDm = (await notices(gate!.id)).find((n) => n.recipient === 'U0EXEC')!;
    h.clock.advance({ minutes: 30 });
    expect(await signOffGate(bot.deps, 'qa', 'UQA', 'passed', 'fixed')).toMatchObject({ ok: true });
    await waitFor('the exec DM is edited to resolved', () => lastEdit(execDm).blocks.includes('Resolved by <@UQA>'));
    await sleep(1_000);
    // the overdue DM was closed once, and not edited with the failure episode's changes
    expect(editsOf(overdueDm!).filter((e) => JSON.stringify(e.args.blocks ?? []).includes('Resolved by')).length).toBe(1);
    expect(editsOf(overdueDm!).some((e) => JSON.stringify(e.args.blocks ?? []).includes('failed'))).toBe(false);
    expect(dmPosts('UQA').filter((c) => c.args.blocks)).toHaveLength(1);
  });

  it('a task not done by its due time: the owner’s DM is edited to resolved when it is marked done', async () => {
    // O-3 was due at 14:00 in its workstream's zone (London); the owner, U01, reads it there too
    h = await harness(YAML, '2026-02-04T19:01:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const bot = await h.process();
    expect((await sweepTasks(bot.deps)).raised).toBe(1);
    const [task] = await h.sql<{ id: number }>("SELECT id FROM blockers WHERE source = 'task'");
    await waitFor('the owner is DMed and it is recorded', async () => Boolean((await notices(task!.id))[0]?.ts));
    const post = JSON.stringify(dmPosts('U01')[0]!.args.blocks);
    expect(post).toContain(`was due <!date^${sec('2026-02-04T14:00:00Z')}^{date_short_pretty} at {time}|Wed 4 Feb at 14:00 GMT>`);
    expect(post).toContain('Task O-3 “Email” is not done (0%).');
    const [dm] = await notices(task!.id);
    h.clock.advance({ minutes: 4 });
    const done = await updateTask(bot.deps, 'O-3', 'U01', { kind: 'done' });
    expect(done.ok).toBe(true);
    if (done.ok) await done.after();
    await waitFor('the DM is edited to resolved', () => lastEdit(dm!).blocks.includes('Resolved by <@U01>'));
    expect(lastEdit(dm!).blocks).not.toContain('"type":"actions"');
    expect(dmPosts('U01')).toHaveLength(1);
  });

  it('an edit Slack fails with a 500 is retried until it lands; a DM deleted in Slack is never posted again', async () => {
    h = await harness(YAML, '2026-02-04T15:00:00Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const bot = await h.process();
    const res = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'Flaky CI', severity: 'P0', source: 'command' });
    const id = res.ok ? res.blocker.id : 0;
    h.clock.advance({ minutes: 5 });
    await escalateNow(bot, id);
    await waitFor('the lead is DMed and it is recorded', async () => Boolean((await notices(id))[0]?.ts));
    const [dm] = await notices(id);
    slack.failNext('chat.update', 500, { ok: false, error: 'internal_error' });
    expect((await actOnBlocker(bot.deps, id, 'U0LEAD', { kind: 'acknowledge' })).ok).toBe(true);
    await waitFor('acknowledged shows after a retry', () => lastEdit(dm!).blocks.includes('You acknowledged it'));

    slack.failNext('chat.update', 200, { ok: false, error: 'message_not_found' });
    expect((await actOnBlocker(bot.deps, id, 'U01', { kind: 'resolve' })).ok).toBe(true);
    await waitFor('the edit was given up', async () => {
      const [b] = await h!.sql<{ message_version: number; dms_rendered_version: number }>('SELECT message_version, dms_rendered_version FROM blockers WHERE id = $1', [id]);
      return b!.dms_rendered_version === b!.message_version;
    });
    await sleep(500);
    expect(dmPosts('U0LEAD')).toHaveLength(1);
  });
});
