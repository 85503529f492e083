import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ackLabel, observeAcks } from '../../../../src/slack/middleware/ack-timing.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { nockSlack } from '../../../support/slack-nock.js';

const example = (file: string) => JSON.parse(readFileSync(`test/fixtures/slack/payload-examples/${file}`, 'utf8'));

describe('ackLabel (Slack payload reference examples)', () => {
  it('names the slash command, the action_id, the view callback_id', () => {
    const command = Object.fromEntries(new URLSearchParams(readFileSync('test/fixtures/slack/payload-examples/slash_command.docs-example.urlencoded.txt', 'utf8').trim()));
    expect(ackLabel(command)).toEqual({ kind: 'command', name: command.command });
    const action = example('block_actions.message.docs-example.json');
    expect(ackLabel(action)).toEqual({ kind: 'action', name: action.actions[0].action_id });
    const view = example('view_submission.docs-example.json');
    expect(ackLabel(view)).toEqual({ kind: 'view', name: view.view.callback_id });
    expect(ackLabel(example('view_closed.docs-example.json')).kind).toBe('view');
  });

  it('drops the :<n> suffix of go/no-go buttons and never turns free text into a label', () => {
    expect(ackLabel({ type: 'block_actions', actions: [{ action_id: 'gate_sign_off:3' }] })).toEqual({ kind: 'action', name: 'gate_sign_off' });
    expect(ackLabel({ type: 'block_actions', actions: [{ action_id: 'has spaces and "quotes"' }] })).toEqual({ kind: 'action', name: 'other' });
    expect(ackLabel({ type: 'event_callback', event: { type: 'app_home_opened' } })).toEqual({ kind: 'event', name: 'app_home_opened' });
    expect(ackLabel({})).toEqual({ kind: 'other', name: 'other' });
  });
});

describe('observeAcks', () => {
  const slack = nockSlack();
  afterAll(() => slack.done());

  it('reports each ack once, with the time the listener took to ack', async () => {
    const seen: [string, string, number][] = [];
    const bolt = boltInProcess((app) => {
      observeAcks(app, (kind, name, seconds) => seen.push([kind, name, seconds]));
      app.command('/blocker', async ({ ack }) => {
        await new Promise((r) => setTimeout(r, 30));
        await ack('raised');
        await ack(); // a second ack is not a second observation
      });
    });
    await bolt.command('/blocker', 'db down P1', 'U1');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.slice(0, 2)).toEqual(['command', '/blocker']);
    expect(seen[0]![2]).toBeGreaterThanOrEqual(0.025);
    expect(seen[0]![2]).toBeLessThan(3);
  });
});
