import { afterEach, describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { handleDmReply } from '../../../../src/services/checkins/record-answers.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import type { Deps } from '../../../../src/services/deps.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../../../support/config-factories.js';
import { harness } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { PROMPT_STATES } from '../../../support/prompt-states.js';

/*
 * What a reload does to what is under way (issue 20): runs and blockers keep the snapshot they stored, so the rules
 * need no code of their own. The swap is what the plan holder does: later units of work get Deps with the new Program.
 * The clock is fixed (a Tuesday); nothing depends on the hour the test runs at.
 */

const OLD = aConfig({
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  escalation: { ladders: { P1: [{ after: '1h', notify: 'lead' }] } },
  workstreams: [aWorkstream({ members: ['U01', 'U02'], standup: { at: '10:00', remind_after: '30m', close_after: '2h' } })],
});
const NEW = aConfig({
  calendar: { workdays: EVERY_DAY_OF_WEEK },
  standup: { questions: [{ id: 'status', prompt: 'Status?', kind: 'text' }] },
  escalation: { ladders: { P1: [{ after: '5m', notify: 'pm' }] } },
  workstreams: [aWorkstream({ members: ['U01', 'U04'], standup: { at: '10:00', remind_after: '30m', close_after: '4h' } })],
});

describe('a reload while things are under way', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });
  const swapped = (deps: Deps): Deps => ({ ...deps, config: resolveProgram(parseWorkspaceConfig(NEW, 'preflight.yml')) });

  it('a check-in already open keeps its questions, participants and close time', async () => {
    h = await harness(OLD, '2026-02-03T10:00:00Z');
    slack = nockSlack();
    // no workers: their own tick would race the test's at the close (and close the run first)
    const bot = await h.process({ workers: false });
    await tick(bot.deps);
    expect(await h.sql('SELECT id FROM standup_runs')).toHaveLength(1);
    // both prompts went out (what the prompt worker does)
    await h.sql("UPDATE deliveries d SET status = 'sent', conversation = 'D' || substr(p.user_id, 2) FROM standup_prompts p WHERE d.kind = 'prompt' AND d.owner_key = p.id::text");
    const sent = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${PROMPT_STATES} p WHERE status = 'sent'`);
    expect(sent[0]!.n).toBe(2);

    const after = swapped(bot.deps);
    // the new plan really asks one question in this check-in (so five below is the old plan's, kept by the run)
    expect(
      Object.values(after.config.checkinSetups)
        .flat()
        .map((c) => c.questions.length),
    ).toEqual([1]);
    h.clock.set('2026-02-03T10:05:00Z');
    expect((await tick(after)).opened).toBe(0);
    const [run] = await h.sql<{ questions: unknown[]; close_at: Date }>('SELECT questions, close_at FROM standup_runs');
    expect(run!.questions).toHaveLength(5); // the old (default) questions, not the new one
    expect(run!.close_at.toISOString()).toBe('2026-02-03T12:00:00.000Z');
    const prompted = await h.sql<{ user_id: string }>('SELECT user_id FROM standup_prompts ORDER BY user_id');
    expect(prompted.map((p) => p.user_id)).toEqual(['U01', 'U02']);
    // U01 answers the run's first question of five: more follow (the new plan has one question)
    expect((await handleDmReply(after, 'U01', 'D01', 'Wired the callback')).kind).toBe('next');

    h.clock.set('2026-02-03T12:00:30Z'); // the old close time; the new plan would keep it open until 14:00
    expect((await tick(after)).closed).toBe(1);
  });

  it('an open blocker keeps its frozen ladder; a new blocker uses the new ladder', async () => {
    h = await harness(OLD, '2026-02-03T09:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    const before = await raiseBlocker(bot.deps, { reporter: 'U01', text: 'db down', severity: 'P1', workstreamId: 'ws1', source: 'command' });
    const after = swapped(bot.deps);
    const later = await raiseBlocker(after, { reporter: 'U01', text: 'cache down', severity: 'P1', workstreamId: 'ws1', source: 'command' });
    if (!before.ok || !later.ok) throw new Error('not raised');
    const policies = await h.sql<{ id: number; policy: { ladder: unknown[] } }>('SELECT id, policy FROM blockers ORDER BY id');
    expect(policies.map((p) => p.policy.ladder)).toEqual([[{ afterMs: 3_600_000, notify: 'lead' }], [{ afterMs: 300_000, notify: 'pm' }]]);

    // the old blocker, escalated under the new plan, follows its own ladder: nothing at +5 min, the lead at +1 h
    h.clock.set('2026-02-03T09:05:00Z');
    expect(await escalate(after, before.blocker.id, before.blocker.version)).toBe('not-due');
    expect(await escalate(after, later.blocker.id, later.blocker.version)).toBe('notified');
    h.clock.set('2026-02-03T10:00:00Z');
    expect(await escalate(after, before.blocker.id, before.blocker.version)).toBe('notified');
    const notices = await h.sql<{ blocker_id: number; recipient: string }>('SELECT blocker_id, recipient FROM blocker_notices ORDER BY blocker_id');
    expect(notices).toEqual([
      { blocker_id: before.blocker.id, recipient: 'U0LEAD' },
      { blocker_id: later.blocker.id, recipient: 'U0PM' },
    ]);
  });
});
