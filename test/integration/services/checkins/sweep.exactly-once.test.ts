import { afterEach, describe, expect, it } from 'vitest';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { harness } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { PROMPT_STATES } from '../../../support/prompt-states.js';

const members = Array.from({ length: 12 }, (_, i) => `U${String(i + 10)}`);
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'Europe/London' },
  workstreams: [aWorkstream({ name: 'QA', members, standup: { at: '09:00', remind_after: '20m', close_after: '1h' } })],
});

describe('exactly once, on real Postgres and Redis', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  const promptsPerMember = (s: ReturnType<typeof nockSlack>) => {
    const counts = new Map<string, number>();
    for (const c of s.of('chat.postMessage', (a) => /^U/.test(a.channel))) counts.set(c.args.channel, (counts.get(c.args.channel) ?? 0) + 1);
    return counts;
  };

  it('two bot processes ticking at once: one run, one prompt per member, one report', async () => {
    slack = nockSlack();
    h = await harness(YAML, '2026-02-03T09:00:00Z');
    const a = await h.process();
    const b = await h.process();
    await Promise.all([tick(a.deps), tick(b.deps), tick(a.deps), tick(b.deps), tick(a.deps), tick(b.deps)]);
    const s = slack;
    await eventually('every member prompted', () => promptsPerMember(s).size === members.length);
    await Promise.all([tick(a.deps), tick(b.deps)]);
    await new Promise((r) => setTimeout(r, 500));
    expect([...promptsPerMember(s).values()].every((n) => n === 1)).toBe(true);
    expect(await h.sql('SELECT id FROM standup_runs')).toHaveLength(1);
    expect(await h.sql('SELECT id FROM standup_prompts')).toHaveLength(members.length);
    expect(s.of('chat.postMessage', (a) => a.channel === 'C0WS1')).toHaveLength(1);
  });

  it('after a restart (new process, same database and Redis) nothing is sent again', async () => {
    slack = nockSlack();
    h = await harness(YAML, '2026-02-03T09:00:00Z');
    const first = await h.process();
    await tick(first.deps);
    const s = slack;
    await eventually('every member prompted', () => promptsPerMember(s).size === members.length);
    await first.stop();
    h.clock.set('2026-02-03T09:05:00Z');
    const second = await h.process();
    await tick(second.deps);
    await tick(second.deps);
    await new Promise((r) => setTimeout(r, 500));
    expect([...promptsPerMember(s).values()].every((n) => n === 1)).toBe(true);
  });

  it('a reservation left by a crashed process is released and delivered once', async () => {
    slack = nockSlack();
    h = await harness(YAML, '2026-02-03T09:00:00Z');
    const bot = await h.process({ workers: false });
    await tick(bot.deps); // run and prompts recorded, jobs queued but no worker runs them
    // simulate a crash after reserving one prompt, before Slack was called
    await h.sql("UPDATE deliveries d SET status = 'sending', claimed_at = $1 FROM standup_prompts p WHERE d.kind = 'prompt' AND d.owner_key = p.id::text AND p.user_id = 'U10'", [
      new Date('2026-02-03T09:00:00Z'),
    ]);
    await bot.stop();
    h.clock.set('2026-02-03T09:03:00Z'); // past the 2-minute stale-reservation window
    const next = await h.process();
    await tick(next.deps);
    const s = slack;
    await eventually('every member prompted', () => promptsPerMember(s).size === members.length);
    await new Promise((r) => setTimeout(r, 300));
    expect(promptsPerMember(s).get('U10')).toBe(1);
  });

  it('Slack answering 429 with Retry-After pauses the queue; every prompt still goes out once', async () => {
    slack = nockSlack();
    for (let i = 0; i < 3; i++) slack.failNext('chat.postMessage', 429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
    h = await harness(YAML, '2026-02-03T09:00:00Z');
    const bot = await h.process();
    const started = Date.now();
    await tick(bot.deps);
    const s = slack;
    await eventually('every member prompted despite 429s', () => promptsPerMember(s).size === members.length, 20_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // waited out Retry-After
    await new Promise((r) => setTimeout(r, 300));
    expect([...promptsPerMember(s).values()].every((n) => n === 1)).toBe(true);
    const attempts = await h.sql<{ n: number }>(`SELECT max(attempts)::int AS n FROM ${PROMPT_STATES} p`);
    expect(attempts[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it('a Redis FLUSHALL-style loss of queued jobs delays prompts by one tick, never drops them', async () => {
    slack = nockSlack();
    h = await harness(YAML, '2026-02-03T09:00:00Z');
    const bot = await h.process({ workers: false });
    await tick(bot.deps);
    await bot.queues.dm.obliterate({ force: true }); // the wake-ups are gone
    await bot.stop();
    const next = await h.process();
    await tick(next.deps);
    const s = slack;
    await eventually('every member prompted', () => promptsPerMember(s).size === members.length);
  });

  it('records a run missed while the bot was down, and opens one late if still before its close', async () => {
    slack = nockSlack();
    h = await harness(YAML, '2026-02-02T08:00:00Z');
    const bot = await h.process();
    await tick(bot.deps); // first sight of ws1: scheduling starts Monday 08:00
    h.clock.set('2026-02-03T11:00:00Z'); // back on Tuesday after its run opened (09:00) and closed (10:00)
    // only the most recent missed run is recorded (Monday's is not reported twice over)
    const r1 = await tick(bot.deps);
    expect(r1.missed).toBe(1);
    const s = slack;
    await eventually('missed report', () => s.of('chat.postMessage', (a) => a.channel === 'C0WS1' && JSON.stringify(a.blocks ?? []).includes('Missed')).length === 1);
    expect(promptsPerMember(s).size).toBe(0);
    h.clock.set('2026-02-04T09:40:00Z'); // down over Wednesday's 09:00, back before its 10:00 close
    expect((await tick(bot.deps)).opened).toBe(1);
    await eventually('late-opened run prompts everyone', () => promptsPerMember(s).size === members.length);
  });
});
