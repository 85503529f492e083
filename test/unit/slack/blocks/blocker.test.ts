import { describe, expect, it } from 'vitest';
import { blockProblems, viewProblems } from '../../../../src/slack/blocks/limits.js';
import { blockerListMessage, blockerMessage, blockerTimelineMessage, escalationDm, threadLine, type BlockerView } from '../../../../src/slack/blocks/blocker.js';
import { blockerFormView } from '../../../../src/slack/blocks/blocker-form.js';
import { homeView } from '../../../../src/slack/blocks/home.js';

const view = (over: Partial<BlockerView> = {}): BlockerView => ({
  id: 42,
  severity: 'P0',
  status: 'open',
  text: 'Staging DB down <!channel> <http://evil|click>',
  reporter: 'U01',
  owner: 'U02',
  workstreamName: 'Broker Integration',
  gateId: null,
  raisedAt: 1_770_130_800,
  levelsDone: 1,
  lastLevel: { level: 0, attempt: 0, to: ['U0LEAD'], skipped: null },
  policy: {
    ladder: [
      { afterMs: 300_000, notify: 'lead' },
      { afterMs: 900_000, notify: 'pm' },
    ],
    stopWhen: 'resolved',
  },
  acknowledgedBy: ['U0LEAD'],
  snoozedUntil: null,
  resolvedBy: null,
  resolvedAt: null,
  permalink: 'https://example.slack.com/archives/C0BLK/p1',
  dueAt: null,
  snoozeChoices: [900_000, 3_600_000, 14_400_000],
  now: 1_770_131_400,
  zone: 'UTC',
  ...over,
});

describe('blocker message', () => {
  it('shows id, severity, level, owner, who acknowledged, and the actions; escapes the text', () => {
    const { blocks, text } = blockerMessage(view());
    expect(blockProblems(blocks, 'message')).toEqual([]);
    const json = JSON.stringify(blocks);
    expect(json).toContain('*B-42 · P0*');
    expect(json).toContain('level 1 of 2 (the lead notified)');
    expect(json).toContain('waiting on <@U02>');
    expect(json).toContain('acknowledged by <@U0LEAD>');
    expect(json).toContain('{ago}');
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt;');
    for (const id of ['blocker_ack', 'blocker_resolve', 'blocker_escalate', 'blocker_snooze', 'blocker_reassign']) expect(json).toContain(`"action_id":"${id}"`);
    expect(json).toContain('"value":"42:3600000"');
    expect(text).toMatch(/^B-42 \(P0\) open/);
  });
  it('a level skipped because its only recipient acknowledged says so, in the message and in /blocker show', () => {
    const ladder = [
      { afterMs: 3_000, notify: 'lead' as const },
      { afterMs: 6_000, notify: 'pm' as const },
      { afterMs: 9_000, notify: 'exec' as const },
      { afterMs: 12_000, notify: 'lead' as const },
    ];
    const skipped = view({ status: 'acknowledged', levelsDone: 4, policy: { ladder, stopWhen: 'resolved' }, lastLevel: { level: 3, attempt: 0, to: [], skipped: 'acknowledged' } });
    for (const m of [blockerMessage(skipped), blockerTimelineMessage(skipped, [])]) {
      const json = JSON.stringify(m.blocks);
      expect(json).toContain('level 4 of 4 (the lead) skipped: already acknowledged');
      expect(json).not.toContain('the lead notified');
    }
    const nobody = view({ levelsDone: 3, policy: { ladder, stopWhen: 'resolved' }, lastLevel: { level: 2, attempt: 0, to: [], skipped: 'nobody' } });
    expect(JSON.stringify(blockerMessage(nobody).blocks)).toContain('level 3 of 4 (the execs) skipped: nobody to notify');
    const notified = view({ levelsDone: 3, policy: { ladder, stopWhen: 'resolved' }, lastLevel: { level: 2, attempt: 0, to: ['U0EXEC'], skipped: null } });
    expect(JSON.stringify(blockerMessage(notified).blocks)).toContain('level 3 of 4 (the execs notified)');
  });
  it('a resolved blocker has no buttons and says who resolved it after how long', () => {
    const { blocks } = blockerMessage(view({ status: 'resolved', resolvedBy: 'U0PM', resolvedAt: 1_770_130_800 + 2_520 }));
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(blocks)).toContain('Resolved by <@U0PM> after 42m');
  });
  it('a 100 kB text is cut to Slack limits with a marker', () => {
    const { blocks, text } = blockerMessage(view({ text: '🚧'.repeat(50_000) }));
    expect(blockProblems(blocks, 'message')).toEqual([]);
    expect(JSON.stringify(blocks)).toContain('… (cut)');
    expect(text.length).toBeLessThanOrEqual(4000);
  });
});

describe('escalation DM and thread lines', () => {
  const dm = (v: BlockerView, level = 1, attempt = 0) => escalationDm({ blocker: v, level, attempt, recipient: 'U0PM', sentAt: v.now });
  it('gives the target the context, the ladder so far and a link', () => {
    const { blocks } = dm(view({ levelsDone: 2 }), 1, 0);
    expect(blockProblems(blocks, 'message')).toEqual([]);
    const json = JSON.stringify(blocks);
    expect(json).toContain('open for 10m, escalated to level 2 of 2');
    expect(json).toContain('1. the lead at 5m · 2. the PM at 15m');
    expect(json).toContain('<https://example.slack.com/archives/C0BLK/p1|Open the blocker message>');
    expect(JSON.stringify(dm(view(), 1, 2).blocks)).toContain('reminder 2');
  });
  it('writes the fallback of every <!date> in the reader’s zone, never UTC (issue 18, defect 6)', () => {
    const kolkata = view({ zone: 'Asia/Kolkata', snoozedUntil: 1_770_131_400 + 1_800, dueAt: 1_770_130_800 - 3_600 });
    for (const m of [blockerMessage(kolkata), dm(kolkata), blockerTimelineMessage(kolkata, [{ kind: 'acknowledged', actor: 'U0LEAD', at: 1_770_131_200, data: {} }])]) {
      const json = JSON.stringify(m.blocks);
      expect(json).not.toContain('UTC');
      for (const token of json.match(/<!date\^[^>]+>/g) ?? []) expect(token).toMatch(/\|[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} (at )?\d\d:\d\d GMT\+5:30>$/);
    }
    // raised 15:00 UTC: 20:30 in Kolkata; due an hour before; snoozed until 15:40 UTC
    expect(JSON.stringify(blockerMessage(kolkata).blocks)).toContain('Raised by <@U01> <!date^1770130800^{ago}|Tue 3 Feb 20:30 GMT+5:30>');
    expect(JSON.stringify(dm(kolkata).blocks)).toContain('was due <!date^1770127200^{date_short_pretty} at {time}|Tue 3 Feb at 19:30 GMT+5:30>');
    expect(JSON.stringify(dm(kolkata).blocks)).toContain('snoozed until <!date^1770133200^{date_short_pretty} {time}|Tue 3 Feb 21:10 GMT+5:30>');
    expect(
      blockerListMessage([{ title: 'Mine', items: [view({ zone: 'America/New_York' })] }])
        .blocks.map((b) => JSON.stringify(b))
        .join(''),
    ).toContain('|Tue 3 Feb 10:00 EST>');
  });
  it('a DM shows the blocker’s current state: resolved (no buttons), acknowledged by its recipient, snoozed', () => {
    const resolved = dm(view({ status: 'resolved', resolvedBy: 'U0PM', resolvedAt: 1_770_130_800 + 2_520, zone: 'Europe/London' }));
    expect(JSON.stringify(resolved.blocks)).toContain('Resolved by <@U0PM> <!date^1770133320^{date_short_pretty} at {time}|Tue 3 Feb at 15:42 GMT>, after 42m.');
    expect(resolved.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(resolved.text).toBe('✅ B-42 (P0) resolved by <@U0PM> at Tue 3 Feb 15:42 GMT: Staging DB down &lt;!channel&gt; &lt;http://evil|click&gt;');
    const acked = dm(view({ status: 'acknowledged', acknowledgedBy: ['U0PM'] }));
    expect(JSON.stringify(acked.blocks)).toContain('You acknowledged it; it still escalates until it is resolved.');
    expect(JSON.stringify(acked.blocks)).not.toContain('needs you');
    expect(acked.blocks.some((b) => b.type === 'actions')).toBe(true);
    const snoozed = dm(view({ acknowledgedBy: [], snoozedUntil: 1_770_131_400 + 600 }));
    expect(JSON.stringify(snoozed.blocks)).toContain('is snoozed until <!date^1770132000^{date_short_pretty} {time}|Tue 3 Feb 15:20 UTC>: its escalation waits until then.');
    // a DM of level 1 says how far the ladder went since
    expect(JSON.stringify(dm(view({ levelsDone: 2, lastLevel: { level: 1, attempt: 0, to: ['U0PM'], skipped: null } }), 0).blocks)).toContain('⏫ Since then: level 2 of 2 (the PM notified)');
  });
  it('says what happened in the thread', () => {
    expect(threadLine('escalated', null, { to: ['U0PM'], age: '30m', level: 2, levels: 3, attempt: 0 })).toBe('⏫ Escalated to <@U0PM> after 30m (level 2 of 3)');
    expect(threadLine('skipped', null, { level: 3, levels: 3, target: 'exec', age: '1h' })).toBe('⏭️ Level 3 of 3 (the execs) skipped after 1h: nobody to notify');
    expect(threadLine('skipped', null, { level: 4, levels: 4, target: 'lead', age: '12s', reason: 'acknowledged' })).toBe('⏭️ Level 4 of 4 (the lead) skipped after 12s: already acknowledged');
    expect(threadLine('skipped', null, { level: 3, levels: 3, target: 'exec', age: '1h', reason: 'nobody' })).toBe('⏭️ Level 3 of 3 (the execs) skipped after 1h: nobody to notify');
    expect(threadLine('snoozed', 'U01', { ms: 3_600_000 })).toBe('😴 Snoozed by <@U01> for 1h');
    expect(threadLine('reassigned', 'U01', { to: 'U03' })).toBe('🔀 Reassigned by <@U01> to <@U03>');
  });
});

describe('lists, timeline, form and Home', () => {
  it('a list of 120 blockers stays within 50 blocks and says how many it left out', () => {
    const items = Array.from({ length: 120 }, (_, i) => view({ id: i + 1 }));
    const { blocks } = blockerListMessage([{ title: 'All open blockers', items }]);
    expect(blockProblems(blocks, 'message')).toEqual([]);
    expect(JSON.stringify(blocks)).toMatch(/…\d+ more not shown/);
  });
  it('counts each open blocker once, however many groups it appears in, and words the count', () => {
    const one = view({ id: 7 });
    const mine = blockerListMessage([
      { title: 'Raised by you or waiting on you', items: [one] },
      { title: 'Your workstream (Broker)', items: [one] },
    ]);
    expect(mine.text).toBe('1 open blocker');
    expect(JSON.stringify(mine.blocks)).toContain('1 open blocker in all');
    expect(blockerListMessage([{ title: 'All open blockers', items: [one, view({ id: 8 })] }]).text).toBe('2 open blockers');
    expect(blockerListMessage([{ title: 'All open blockers', items: [] }]).text).toBe('No open blockers');
    const many = Array.from({ length: 120 }, (_, i) => view({ id: i + 1 }));
    const twice = blockerListMessage([
      { title: 'Raised by you or waiting on you', items: many },
      { title: 'Your workstream (Broker)', items: many },
    ]);
    expect(twice.text).toBe('120 open blockers');
    expect(JSON.stringify(twice.blocks)).toContain('120 open blockers · …73 more not shown');
  });
  it('the timeline lists every event with its time', () => {
    const { blocks } = blockerTimelineMessage(view(), [
      { kind: 'raised', actor: 'U01', at: 1_770_130_800, data: { severity: 'P0', owner: 'U02' } },
      { kind: 'escalated', actor: null, at: 1_770_131_100, data: { to: ['U0LEAD'], age: '5m', level: 1, levels: 2, attempt: 0 } },
      { kind: 'acknowledged', actor: 'U0LEAD', at: 1_770_131_200, data: {} },
    ]);
    const json = JSON.stringify(blocks);
    expect(json).toContain('Raised by <@U01> (P0, owner <@U02>)');
    expect(json).toContain('Escalated to <@U0LEAD> after 5m');
    expect(json).toContain('Acknowledged by <@U0LEAD>');
  });
  it('the form is a valid modal', () => {
    const v = blockerFormView({ workstreams: [{ id: 'ws1', name: 'Broker' }], defaultWorkstream: 'ws1', defaultSeverity: 'P1', gates: [{ id: 'gate1', name: 'Omega sign-off' }], channelId: 'C0WS1' });
    expect(viewProblems(v)).toEqual([]);
    expect(JSON.stringify(v)).toContain('"initial_option":{"text":{"type":"plain_text","text":"P1: blocks my work"},"value":"P1"}');
  });
  it('the Home tab shows my standup and my blockers within 100 blocks', () => {
    const many = Array.from({ length: 80 }, (_, i) => view({ id: i + 1 }));
    const v = homeView({
      standups: [
        { workstreamName: 'Broker', state: 'waiting', closesAt: '12:00 EST' },
        { workstreamName: 'AI', state: 'answered', editableUntil: null },
        { workstreamName: 'Ops', state: 'no run yet', at: '10:00', zone: 'Europe/Paris' },
      ],
      nextCheckins: { zone: 'Europe/Paris', items: Array.from({ length: 5 }, (_, i) => ({ when: `Tue 1 Dec 1${i}:00`, title: 'Ops · Standup', dst: null })) },
      blockers: [
        { title: 'Waiting on you', items: many.slice(0, 40) },
        { title: 'Raised by you', items: many.slice(40) },
      ],
    });
    expect(viewProblems(v)).toEqual([]);
    const json = JSON.stringify(v);
    expect(json).toContain('⏳ *Broker*: waiting for your answer until 12:00 EST: `/standup`');
    expect(json).toContain('✅ *AI*: answered\\n');
    expect(json).toContain('🕙 *Ops*: opens at 10:00 (Europe/Paris)');
    expect(json).toMatch(/…\d+ more\. `\/blocker list` shows them all/);
  });
});
