import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { recordDecision, setChecklist } from '../../../../src/services/gonogo/decisions.js';
import { signOffGate } from '../../../../src/services/gonogo/gates.js';
import { registerGonogoHistoryActions } from '../../../../src/slack/actions/gonogo-history.js';
import { GONOGO_HISTORY_IDS } from '../../../../src/slack/blocks/gonogo-history.js';
import { blockProblems } from '../../../../src/slack/blocks/limits.js';
import { registerGonogoCommand } from '../../../../src/slack/commands/gonogo.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { uniquePrefix } from '../../../support/db.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// issue 8, defect 2: one workstream with 30 checklist items and one gate; sign the gate, tick all 30, /gonogo history
const ITEMS = Array.from({ length: 30 }, (_, i) => `Checklist item ${i + 1}: ${'load test, DR drill & runbook '.slice(0, 20 + (i % 10)).trim()}`);
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'America/New_York', execs: ['U0EXEC'] },
  workstreams: [aWorkstream({ name: 'Broker', checklist: ITEMS })],
  gates: [{ id: 'qa', name: 'QA sign-off', sign_off: ['U0LEAD'], unblocks: ['ws1'] }],
});

/** Every `<!date^…>` token in `text` is whole (Slack shows a broken one as raw text). */
const datesWhole = (text: string) => (text.match(/<!date\^/g) ?? []).length === (text.match(/<!date\^\d+\^[^|>]+\|[^>]+>/g) ?? []).length;
const sectionTexts = (blocks: any[]) => blocks.filter((b) => b.type === 'section').map((b) => String(b.text.text));

describe('/gonogo history (the command and its "Show older" button in process; real Postgres, Slack faked with nock)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  let redis: Redis;
  let slack: ReturnType<typeof boltInProcess>;
  const nocked = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, '2026-02-03T15:00:00Z');
    bot = await h.process({ workers: false });
    redis = new Redis(inject('redisUrl'));
    slack = boltInProcess((app) => {
      registerGonogoCommand(app, { deps: bot.deps, redis, keyPrefix: uniquePrefix('gonogo-history') });
      registerGonogoHistoryActions(app, { deps: bot.deps, redis, keyPrefix: uniquePrefix('gonogo-history') });
    });
  });
  afterAll(async () => {
    redis.disconnect();
    await h.cleanup();
    nocked.done();
  });

  it('shows the sign-off and the 30 ticks as one line, whole, within Block Kit limits', async () => {
    expect((await signOffGate(bot.deps, 'qa', 'U0LEAD', 'passed', 'all green')).ok).toBe(true);
    h.clock.advance({ minutes: 5 });
    expect(await setChecklist(bot.deps, 'ws1', 'U0LEAD', ITEMS)).toEqual({ ok: true, changed: 30 });
    const answer = await slack.command('/gonogo', 'history', 'U0PM');
    expect(answer.response_type).toBe('ephemeral');
    expect(blockProblems(answer.blocks, 'message')).toEqual([]);
    const text = sectionTexts(answer.blocks).join('\n');
    expect(text).toMatch(/✅ “QA sign-off” signed off by <@U0LEAD>: “all green”/);
    expect(text).toContain('• Tue 3 Feb · *Broker*: ☑️ 30 items ticked (Checklist item 1');
    expect(text).toContain('by <@U0LEAD>');
    expect(text.match(/☑️/g)).toHaveLength(1);
    for (const t of sectionTexts(answer.blocks)) expect(datesWhole(t), t).toBe(true);
    expect(text).not.toContain('(cut)');
    expect(JSON.stringify(answer.blocks)).not.toContain(GONOGO_HISTORY_IDS.older); // nothing older
  });

  it('a long history keeps every decision and sign-off reachable: the newest first, the rest behind "Show older"', async () => {
    // 40 decisions and 300 more checklist changes over several days
    for (let d = 0; d < 10; d++) {
      h.clock.advance({ hours: 7 });
      await setChecklist(bot.deps, 'ws1', 'U0LEAD', d % 2 ? ITEMS : []);
      for (let k = 0; k < 4; k++) expect((await recordDecision(bot.deps, 'U0PM', 'no-go', `decision ${d * 4 + k + 1}`)).ok).toBe(true);
    }
    const first = await slack.command('/gonogo', 'history', 'U0PM');
    expect(blockProblems(first.blocks, 'message')).toEqual([]);
    const firstText = sectionTexts(first.blocks).join('\n');
    expect(firstText).toContain('“decision 40”');
    expect(firstText.indexOf('“decision 40”')).toBeLessThan(firstText.indexOf('☑️'));
    const seen = [...firstText.matchAll(/“decision (\d+)”/g)].map((m) => Number(m[1]));
    let signOffs = (firstText.match(/signed off by/g) ?? []).length;
    let button = first.blocks.find((b: any) => b.type === 'actions')?.elements[0];
    let pages = 1;
    while (button) {
      expect(button.action_id).toBe(GONOGO_HISTORY_IDS.older);
      const before = nocked.of('response_url').length;
      await slack.click(button.action_id, button.value, 'U0PM');
      const page = nocked.of('response_url')[before]!.args;
      expect(page).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(blockProblems(page.blocks, 'message')).toEqual([]);
      const t = sectionTexts(page.blocks).join('\n');
      for (const s of sectionTexts(page.blocks)) expect(datesWhole(s)).toBe(true);
      seen.push(...[...t.matchAll(/“decision (\d+)”/g)].map((m) => Number(m[1])));
      signOffs += (t.match(/signed off by/g) ?? []).length;
      button = page.blocks.find((b: any) => b.type === 'actions')?.elements[0];
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(Array.from({ length: 40 }, (_, i) => 40 - i)); // every decision once, newest first
    expect(signOffs).toBe(1);
  });

  it('a "Show older" value the bot did not write is refused in words', async () => {
    const before = nocked.of('response_url').length;
    await slack.click(GONOGO_HISTORY_IDS.older, '{"events":"1; DROP TABLE"}', 'U0PM');
    expect(nocked.of('response_url')[before]!.args.text).toBe('That button is out of date: type `/gonogo history` again.');
  });
});
