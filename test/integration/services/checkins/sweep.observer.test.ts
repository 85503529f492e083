import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metrics } from '../../../../src/metrics/metrics.js';
import { submitForm } from '../../../../src/services/checkins/record-answers.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { harness, type Process } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { PROMPT_STATES } from '../../../support/prompt-states.js';

// Tuesday 3 Feb 2026, 10:00 in New York = 15:00 UTC
const YAML = aConfig({
  program: { name: 'Phase 11', timezone: 'America/New_York' },
  workstreams: [aWorkstream({ name: 'Broker Integration', members: ['U01', 'U02'], standup: { at: '10:00', remind_after: '30m', close_after: '2h' } })],
});

describe('standup prompts sent / answered, as the metrics see them (the Observer in Deps)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const metrics = new Metrics();
  const slack = nockSlack();
  const series = async (line: string) => (await metrics.exposition()).body.split('\n').find((l) => l.startsWith(`${line} `));

  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T14:59:00Z');
    bot = await h.process();
    bot.deps.observer = metrics.observer;
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('counts each prompt posted, each answer completed once (an edit is not a new answer), each reminder', async () => {
    h.clock.set('2026-02-03T15:00:00Z');
    await tick(bot.deps);
    await eventually('two prompts recorded as sent', async () => {
      const rows = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${PROMPT_STATES} p WHERE status = 'sent'`);
      return rows[0]!.n === 2;
    });
    // counted right after the row is marked sent
    await eventually('both counted', async () => (await series('preflight_standup_prompts_sent_total{kind="prompt"}'))?.endsWith(' 2') === true);

    const answers = { yesterday: 'Sync tests', today: 'Reconciliation', blockers: 'none', progress: 90, risk: 'green' };
    expect(await submitForm(bot.deps, 'U02', 1, answers)).toMatchObject({ kind: 'saved', edited: false });
    expect(await submitForm(bot.deps, 'U02', 1, { ...answers, today: 'Reconciliation and docs' })).toMatchObject({ kind: 'saved', edited: true });
    expect(await series('preflight_standup_prompts_answered_total{timing="on_time"}')).toBe('preflight_standup_prompts_answered_total{timing="on_time"} 1');

    h.clock.set('2026-02-03T15:30:00Z');
    await tick(bot.deps);
    await eventually('U01 reminded', async () => (await series('preflight_standup_prompts_sent_total{kind="reminder"}')) !== undefined);
    expect(await series('preflight_standup_prompts_sent_total{kind="reminder"}')).toBe('preflight_standup_prompts_sent_total{kind="reminder"} 1');
  });
});
