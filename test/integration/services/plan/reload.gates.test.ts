import { afterEach, describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import type { Deps } from '../../../../src/services/deps.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { escalateOverdueGates, replanGateEscalations, resolveRemovedGates } from '../../../../src/services/gonogo/gates.js';
import { threadLine } from '../../../../src/slack/blocks/blocker.js';
import { aConfig } from '../../../support/config-factories.js';
import { harness } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

/*
 * What a reload does to a gate's escalation not raised yet (issue 20): it follows the gate's new `due`. The swap is
 * what the plan holder does (later units of work get Deps with the new Program); the clock is fixed. A removed
 * gate's open escalation is resolved.
 */

const gateDue = (due: string) => aConfig({ gates: [{ id: 'qa', name: 'QA', due, sign_off: ['U0QA'], unblocks: ['ws1'] }] });

describe('a reload and a gate not signed off yet', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });
  const swapped = (deps: Deps, yml: string): Deps => ({ ...deps, config: resolveProgram(parseWorkspaceConfig(yml, 'preflight.yml')) });
  const escalations = async () => h!.sql<{ gate_id: string; due_at: Date }>("SELECT gate_id, due_at FROM blockers WHERE source = 'gate'");

  it('a gate due later escalates at its new due time, not its old one', async () => {
    h = await harness(gateDue('2026-02-03T12:00'), '2026-02-03T09:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    expect(await escalateOverdueGates(bot.deps)).toBe(0);
    const after = swapped(bot.deps, gateDue('2026-02-03T14:00'));
    h.clock.set('2026-02-03T12:00:00Z');
    expect(await escalateOverdueGates(after)).toBe(0);
    h.clock.set('2026-02-03T14:00:00Z');
    expect(await escalateOverdueGates(after)).toBe(1);
    expect(await escalations()).toEqual([{ gate_id: 'qa', due_at: new Date('2026-02-03T14:00:00Z') }]);
  });

  it('a gate due earlier escalates at its new due time', async () => {
    h = await harness(gateDue('2026-02-03T12:00'), '2026-02-03T09:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    const after = swapped(bot.deps, gateDue('2026-02-03T10:00'));
    h.clock.set('2026-02-03T10:00:00Z');
    expect(await escalateOverdueGates(after)).toBe(1);
    expect(await escalations()).toEqual([{ gate_id: 'qa', due_at: new Date('2026-02-03T10:00:00Z') }]);
  });

  it("a removed gate's open escalation is resolved with a note in its thread", async () => {
    h = await harness(gateDue('2026-02-03T10:00'), '2026-02-03T10:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    expect(await escalateOverdueGates(bot.deps)).toBe(1);
    h.clock.set('2026-02-03T10:10:00Z');
    const after = swapped(bot.deps, aConfig());
    expect(await resolveRemovedGates(after)).toHaveLength(1);
    expect(await h.sql("SELECT status FROM blockers WHERE source = 'gate'")).toEqual([{ status: 'resolved' }]);
    const [event] = await h.sql<{ kind: string; actor: string; data: Record<string, unknown> }>("SELECT kind, actor, data FROM blocker_events WHERE kind = 'resolved'");
    expect(threadLine(event!.kind, event!.actor, event!.data)).toBe('✅ Resolved by <@U0PM> after 10m: gate qa was removed from the plan');
    expect(await resolveRemovedGates(after)).toEqual([]); // nothing more: it stays resolved
    expect(await escalateOverdueGates(after)).toBe(0);
  });

  it("a gate's new due re-plans its escalation under way; a step already sent is not sent twice", async () => {
    h = await harness(gateDue('2026-02-03T10:00'), '2026-02-03T10:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    expect(await escalateOverdueGates(bot.deps)).toBe(1);
    const [gate] = await h.sql<{ id: number }>("SELECT id FROM blockers WHERE source = 'gate'");
    const version = async () => (await h!.sql<{ version: number }>('SELECT version FROM blockers WHERE id = $1', [gate!.id]))[0]!.version;
    expect(await escalate(bot.deps, gate!.id, await version())).toBe('notified'); // its sign-off authority, at 10:00

    h.clock.set('2026-02-03T10:10:00Z');
    const after = swapped(bot.deps, gateDue('2026-02-03T12:00'));
    expect(await replanGateEscalations(after)).toEqual([gate!.id]);
    expect(await replanGateEscalations(after)).toEqual([]); // once
    expect(await escalations()).toEqual([{ gate_id: 'qa', due_at: new Date('2026-02-03T12:00:00Z') }]);
    h.clock.set('2026-02-03T10:30:00Z'); // the PM's step under the old due: not any more
    expect(await escalate(after, gate!.id, await version())).toBe('not-due');
    h.clock.set('2026-02-03T12:30:00Z'); // 30 minutes after the new due
    expect(await escalate(after, gate!.id, await version())).toBe('notified');
    const notices = await h.sql<{ recipient: string }>('SELECT recipient FROM blocker_notices WHERE blocker_id = $1 ORDER BY id', [gate!.id]);
    expect(notices.map((n) => n.recipient)).toEqual(['U0QA', 'U0PM']);
  });
});
