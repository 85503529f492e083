import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { tick } from '../../../../src/services/checkins/sweep.js';
import { PlanHolder } from '../../../../src/services/plan/holder.js';
import { createReloader, startupPlan } from '../../../../src/services/plan/reload.js';
import { aConfig, aWorkstream, EVERY_DAY_OF_WEEK } from '../../../support/config-factories.js';
import { harness } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';

/*
 * Issue 20, "Done when": a prompt due in the minute of a reload is sent exactly once. A standup due at T (10:00 on a
 * fixed Tuesday: the test's own clock, nothing depends on the hour it runs at), a process whose Deps read the plan
 * holder (as src/preflight.ts wires it) with its workers delivering the prompts, and the real reloader swapping the
 * plan at T: before the tick, after it, or at the same time. Once with a change elsewhere in the plan (a ladder), once
 * with a change of that standup's own questions. Each participant gets one prompt, one run is opened, and the run
 * asks the questions of the plan that opened it.
 */

const T = '2026-02-03T10:00:00Z';
/** When the processes start: the standup is not due yet. */
const BEFORE = '2026-02-03T09:55:00Z';
const MEMBERS = ['U01', 'U02', 'U03'];
const STANDUP = { at: '10:00', remind_after: '30m', close_after: '2h' };
const base = (over: { standup?: Record<string, unknown> } & Record<string, unknown>) => {
  const { standup = {}, ...rest } = over;
  return aConfig({ calendar: { workdays: EVERY_DAY_OF_WEEK }, ...rest, workstreams: [aWorkstream({ members: MEMBERS, standup: { ...STANDUP, ...standup } })] });
};
const OLD = base({ escalation: { ladders: { P1: [{ after: '1h', notify: 'lead' }] } } });
const CHANGES = {
  'a change elsewhere (a ladder)': base({ escalation: { ladders: { P1: [{ after: '2h', notify: 'pm' }] } } }),
  "a change of that standup's questions": base({
    escalation: { ladders: { P1: [{ after: '1h', notify: 'lead' }] } },
    standup: { questions: [{ id: 'status', prompt: 'Status?', kind: 'text' }] },
  }),
} as const;
const OLD_QUESTIONS = 5; // the default questions
const questionsOf = (yaml: string) => (yaml.includes('Status?') ? 1 : OLD_QUESTIONS);

describe('a prompt due in the minute of a reload', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  const orders = ['reload then tick', 'tick then reload', 'together'] as const;
  for (const [change, NEW] of Object.entries(CHANGES)) {
    for (const order of orders) {
      it(`${change}, ${order}: one prompt to each participant`, async () => {
        h = await harness(OLD, BEFORE);
        slack = nockSlack();
        const s = slack;
        const path = join(mkdtempSync(join(tmpdir(), 'preflight-prompt-minute-')), 'preflight.yml');
        writeFileSync(path, OLD);
        const boot = await h.process({ workers: false });
        const holder = new PlanHolder(await startupPlan({ db: boot.deps.db, clock: boot.deps.clock, path }, resolveProgram(parseWorkspaceConfig(OLD, path))));
        const bot = await h.process({ plan: holder });
        // the job schedulers' first tick and sweep run at start, at 09:55 (nothing due): let them finish, so the
        // ticks at T are the test's own and the order it names is the order that happens
        const q = bot.queues.scheduler;
        await eventually('the schedulers’ first jobs done', async () => {
          const c = await q.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
          return (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0) === 0 && (c.delayed ?? 0) >= 2;
        });
        const reloader = createReloader({ deps: bot.deps, lookup: bot.deps.slack, holder, path });
        const reload = async () => {
          writeFileSync(path, NEW);
          expect(await reloader.reload('file')).toMatchObject({ kind: 'applied' });
        };

        h.clock.set(T);
        if (order === 'reload then tick') {
          await reload();
          await tick(bot.deps);
        } else if (order === 'tick then reload') {
          await tick(bot.deps);
          await reload();
        } else {
          await Promise.all([tick(bot.deps), reload(), tick(bot.deps)]);
        }
        h.clock.set('2026-02-03T10:00:40Z'); // later in the same minute, and the next
        await tick(bot.deps);
        h.clock.set('2026-02-03T10:01:10Z');
        await tick(bot.deps);

        const prompts = () => {
          const counts = new Map<string, number>();
          for (const c of s.of('chat.postMessage', (a) => MEMBERS.includes(a?.channel))) counts.set(c.args.channel, (counts.get(c.args.channel) ?? 0) + 1);
          return counts;
        };
        await eventually('every participant prompted', () => prompts().size === MEMBERS.length);
        await new Promise((r) => setTimeout(r, 500)); // a second prompt would be out by now
        expect(Object.fromEntries(prompts())).toEqual(Object.fromEntries(MEMBERS.map((m) => [m, 1])));

        const runs = await h.sql<{ questions: unknown[] }>('SELECT questions FROM standup_runs');
        expect(runs).toHaveLength(1);
        const expected = order === 'reload then tick' ? [questionsOf(NEW)] : order === 'tick then reload' ? [OLD_QUESTIONS] : [OLD_QUESTIONS, questionsOf(NEW)];
        expect(expected).toContain(runs[0]!.questions.length);
        expect(holder.current.version).not.toBe((await h.sql<{ version: string }>('SELECT version FROM plan_versions ORDER BY id'))[0]!.version);
      });
    }
  }
});
