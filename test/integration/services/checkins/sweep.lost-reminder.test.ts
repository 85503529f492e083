import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendPrompt, sendReminder } from '../../../../src/services/checkins/prompts.js';
import { submitForm } from '../../../../src/services/checkins/record-answers.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

// a fixed clock: Tuesday 3 Feb 2026, 10:00 in New York (UTC-5) is 15:00Z; reminded at 10:30, closed at 12:00
const YAML = aConfig({
  program: { name: 'Phase 11', timezone: 'America/New_York' },
  workstreams: [aWorkstream({ name: 'Broker Integration', members: ['U01'], standup: { at: '10:00', remind_after: '30m', close_after: '2h' } })],
});

describe('a reminder refused by Slack (429) whose job is then lost (Redis restarted without its data) and the member answers', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  const reminders = () => slack.of('chat.postMessage', (a) => String(a?.metadata?.event_type ?? '') === 'preflight_reminder');
  const state = async () => (await h.sql<{ status: string; last_error: string | null }>("SELECT status, last_error FROM deliveries WHERE kind = 'reminder'"))[0];

  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T15:00:00Z');
    bot = await h.process({ workers: false });
    await tick(bot.deps);
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('the tick cancels it (not left pending for good) and it is never sent', async () => {
    const [prompt] = await h.sql<{ id: number; run_id: number }>("SELECT id, run_id FROM standup_prompts WHERE user_id = 'U01'");
    expect(await sendPrompt(bot.deps, prompt!.id)).toBe('sent');
    h.clock.set('2026-02-03T15:30:00Z');
    slack.failNext('chat.postMessage', 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
    await expect(sendReminder(bot.deps, prompt!.id)).rejects.toThrow();
    expect((await state())?.status).toBe('pending');
    // no job runs it again (lost); the member answers in the form while the check-in is still open
    h.clock.set('2026-02-03T15:40:00Z');
    await submitForm(bot.deps, 'U01', prompt!.run_id, { yesterday: 'Wired the broker', today: 'Load test', blockers: 'none', progress: 60, risk: 'green' });
    await tick(bot.deps);
    expect(await state()).toEqual({ status: 'cancelled', last_error: 'not_needed' });
    // and the check-in closing later changes nothing
    h.clock.set('2026-02-03T17:00:00Z');
    await tick(bot.deps);
    expect(await state()).toEqual({ status: 'cancelled', last_error: 'not_needed' });
    expect(reminders()).toHaveLength(0);
  });
});
