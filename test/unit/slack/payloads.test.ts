import { describe, expect, it } from 'vitest';
import { parseBlockerAction } from '../../../src/slack/actions/blocker-actions.js';
import { blockerFormView } from '../../../src/slack/blocks/blocker-form.js';
import { checklistView } from '../../../src/slack/blocks/gonogo.js';
import { standupFormView } from '../../../src/slack/blocks/standup-modal.js';
import { checklistFormMetadata, decodeSlack, encodeSlack, slackPayloads } from '../../../src/slack/payloads.js';

describe('Slack payloads (private_metadata and action values) round-trip and reject', () => {
  const roundTrips: [keyof typeof slackPayloads, unknown, string][] = [
    ['standupForm', { runId: 42 }, '{"runId":42}'],
    ['blockerForm', { channelId: 'C0WS1' }, '{"channelId":"C0WS1"}'],
    ['blockerForm', { channelId: null }, '{"channelId":null}'],
    ['checklistForm', { workstreamId: 'ws1', items: ['a', 'b'], shown: ['b'] }, '{"workstreamId":"ws1","items":["a","b"],"shown":["b"]}'],
    ['checklistForm', { workstreamId: 'ws1' }, '{"workstreamId":"ws1"}'],
    ['openStandupForm', 7, '7'],
    ['blockerButton', 12345, '12345'],
    ['blockerSnooze', { blockerId: 3, ms: 900_000 }, '3:900000'],
    ['gateButton', 'gate1-omega', 'gate1-omega'],
  ];
  it.each(roundTrips)('%s: %j ↔ %s', (name, value, text) => {
    const codec = slackPayloads[name];
    expect(encodeSlack(codec, value as never)).toBe(text);
    expect(decodeSlack(codec, text)).toEqual({ ok: true, value });
  });

  const rejects: [keyof typeof slackPayloads, unknown][] = [
    ['standupForm', ''],
    ['standupForm', '{"runId":'],
    ['standupForm', '{"runId":"42"}'],
    ['standupForm', '{"runId":0}'],
    ['standupForm', '{"runId":1.5}'],
    ['standupForm', '{"runId":1,"admin":true}'],
    ['standupForm', undefined],
    ['standupForm', `{"runId":1${' '.repeat(3_000)}}`],
    ['blockerForm', '{}'],
    ['blockerForm', '{"channelId":"#general"}'],
    ['checklistForm', '{"workstreamId":"WS 1"}'],
    ['checklistForm', '{"workstreamId":"ws1","items":"a"}'],
    ['openStandupForm', ''],
    ['openStandupForm', '0'],
    ['openStandupForm', '-3'],
    ['openStandupForm', '12abc'],
    ['openStandupForm', '1e3'],
    ['openStandupForm', '99999999999999999999'],
    ['blockerButton', ' 1'],
    ['blockerSnooze', '3'],
    ['blockerSnooze', '3:0'],
    ['blockerSnooze', '3:900000:1'],
    ['gateButton', ''],
    ['gateButton', 'Gate One'],
    ['gateButton', 'x'.repeat(41)],
  ];
  it.each(rejects)('%s rejects %j with a problem for the logs', (name, raw) => {
    const got = decodeSlack(slackPayloads[name], raw);
    expect(got.ok).toBe(false);
    if (!got.ok) expect(got.problem).not.toBe('');
  });

  it('encoding a value the schema refuses throws (a bug on our side, caught in tests)', () => {
    expect(() => encodeSlack(slackPayloads.standupForm, { runId: -1 })).toThrow();
    expect(() => encodeSlack(slackPayloads.gateButton, 'Not A Slug')).toThrow();
  });

  it('the views carry what their submissions decode', () => {
    const standup = standupFormView({ runId: 9, workstreamName: 'W', dayLabel: 'Tuesday 3 February', closesAtLocal: '12:00 UTC', questions: [], initial: {}, editing: false, late: false });
    expect(decodeSlack(slackPayloads.standupForm, standup.private_metadata)).toEqual({ ok: true, value: { runId: 9 } });
    const blocker = blockerFormView({ workstreams: [{ id: 'ws1', name: 'W' }], defaultWorkstream: 'ws1', defaultSeverity: 'P1', gates: [], channelId: null });
    expect(decodeSlack(slackPayloads.blockerForm, blocker.private_metadata)).toEqual({ ok: true, value: { channelId: null } });
    const checklist = checklistView({
      workstreamId: 'ws1',
      workstreamName: 'W',
      items: [
        { item: 'a', checked: true },
        { item: 'b', checked: false },
      ],
    });
    expect(decodeSlack(slackPayloads.checklistForm, checklist.private_metadata)).toEqual({ ok: true, value: { workstreamId: 'ws1', items: ['a', 'b'], shown: ['a'] } });
  });

  it('a checklist too long for 3,000 characters keeps its workstream (the save replaces the ticked set) instead of being cut into broken JSON', () => {
    const items = Array.from({ length: 40 }, (_, i) => `item ${i} ${'x'.repeat(100)}`);
    const meta = checklistFormMetadata({ workstreamId: 'ws1', items, shown: items });
    expect(meta.length).toBeLessThanOrEqual(3_000);
    expect(decodeSlack(slackPayloads.checklistForm, meta)).toEqual({ ok: true, value: { workstreamId: 'ws1' } });
  });

  it('blocker actions: a malformed value names no blocker; the user picker takes the id from its block_id', () => {
    expect(parseBlockerAction({ action_id: 'blocker_resolve', value: '12' })).toEqual({ blockerId: 12, action: { kind: 'resolve' } });
    expect(parseBlockerAction({ action_id: 'blocker_resolve', value: '12; DROP', block_id: 'blocker_actions_5' })).toBeNull();
    expect(parseBlockerAction({ action_id: 'blocker_snooze', selected_option: { value: '12:3600000' } })).toEqual({ blockerId: 12, action: { kind: 'snooze', ms: 3_600_000 } });
    expect(parseBlockerAction({ action_id: 'blocker_snooze', selected_option: { value: 'soon' } })).toBeNull();
    expect(parseBlockerAction({ action_id: 'blocker_reassign', block_id: 'blocker_actions_5', selected_user: 'U02' })).toEqual({ blockerId: 5, action: { kind: 'reassign', owner: 'U02' } });
  });
});
