import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseWorkspaceConfig } from '../../../src/config/load.js';
import { DEFAULT_QUESTIONS } from '../../../src/config/workspace.js';
import { parseBlockerCommand } from '../../../src/domain/blockers/command.js';
import { parseGonogoCommand } from '../../../src/domain/gonogo/command.js';
import { applyDmReply, parseAnswer } from '../../../src/domain/checkins/answers.js';
import { parseStandupCommand } from '../../../src/domain/checkins/command.js';
import { buildReport } from '../../../src/domain/checkins/report.js';
import { blockerMessage, escalationDm, threadLine, type BlockerView } from '../../../src/slack/blocks/blocker.js';
import { blockProblems, viewProblems } from '../../../src/slack/blocks/limits.js';
import { lateAnswerMessage, standupPromptMessage } from '../../../src/slack/blocks/standup-dm.js';
import { standupFormView } from '../../../src/slack/blocks/standup-modal.js';
import { standupReportMessage } from '../../../src/slack/blocks/standup-report.js';

/**
 * Fuzzing the inputs users control (/blocker text, modal fields, DM answers, config values) with fast-check:
 * random Unicode, control characters, 100 kB strings and Slack mrkdwn such as <!channel>, <!here>, <@U…> and
 * <http://evil|click>. Every output must stay within Block Kit limits and can never ping or link.
 */
let cases = 0;
afterAll(() => console.log(`fuzz: ${cases} cases run`));

const nasty = fc.constantFrom(
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U0VICTIM>',
  '<@W0VICTIM|victim>',
  '<#C0SECRET|secret>',
  '<http://evil.example|click>',
  '<mailto:a@b.c|x>',
  '&lt;',
  '*bold*',
  '`code`',
  '\u0000',
  '\u202e',
  '\r\n',
  '🚀',
  '👩‍👩‍👧‍👦',
  '\uD83D',
  '>',
);
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
  { weight: 3, arbitrary: fc.array(fc.oneof(nasty, fc.string({ maxLength: 10 })), { maxLength: 30 }).map((a) => a.join(' ')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', '<!channel>', '🚧', '&'), fc.integer({ min: 20_000, max: 100_000 })).map(([s, n]) => s.repeat(Math.ceil(n / s.length))) },
);

/** The mrkdwn strings of a Block Kit payload (plain_text is never parsed for mentions or links), plus `text`. */
function mrkdwnOf(blocks: unknown, text?: string): string {
  const out: string[] = text === undefined ? [] : [text];
  const walk = (o: unknown) => {
    if (Array.isArray(o)) o.forEach(walk);
    else if (o && typeof o === 'object') {
      const r = o as Record<string, unknown>;
      if (r.type === 'mrkdwn' && typeof r.text === 'string') out.push(r.text);
      else Object.values(r).forEach(walk);
    }
  };
  walk(blocks);
  return out.join('\n');
}

/** Mentions and specials our own code emits are the only ones allowed in what Slack parses. */
function assertSafe(json: string, allowedUsers: string[]) {
  for (const m of json.matchAll(/<@([A-Z0-9]+)(\|[^>]*)?>/g)) expect(allowedUsers).toContain(m[1]);
  for (const m of json.matchAll(/<!([a-z]+)/g)) expect(m[1]).toBe('date');
  expect(json).not.toMatch(/<(https?|mailto):/);
  expect(json).not.toMatch(/<#C/);
}

const questionsAnswers = fc.record({ yesterday: text, today: text, blockers: text, progress: fc.integer({ min: 0, max: 100 }), risk: fc.constantFrom('green', 'yellow', 'red') });
const NUM_RUNS = 400;
const prop = <T>(arb: fc.Arbitrary<T>, check: (v: T) => void) =>
  fc.assert(
    fc.property(arb, (v) => (cases++, check(v))),
    { numRuns: NUM_RUNS, seed: 20261121 },
  );

describe('fuzz: parsers never throw and keep text verbatim', () => {
  it('DM answers and modal fields', () => {
    prop(text, (t) => {
      const r = parseAnswer(DEFAULT_QUESTIONS[1]!, t);
      if (t.trim()) expect(r).toEqual({ ok: true, value: t.trim() });
      const step = applyDmReply(DEFAULT_QUESTIONS, {}, 3, t);
      expect(typeof step.ok).toBe('boolean');
    });
  });
  it('slash command text', () => {
    prop(text, (t) => {
      expect(() => parseStandupCommand(t, '2026-02-03', ['ws1'])).not.toThrow();
      const b = parseBlockerCommand(t, ['ws1']);
      if (b.kind === 'raise') expect(b.text.length).toBeGreaterThan(0);
      expect(() => parseGonogoCommand(t, ['ws1'], ['g1'])).not.toThrow();
    });
  });
  it('config values: any value in any key gives a ConfigError with a key path, never a crash', () => {
    const keys = ['program.name', 'program.timezone', 'program.pm', 'workstreams.ws1.channel', 'workstreams.ws1.standup.at', 'workstreams.ws1.standup.close_after', 'escalation.ladders.P0', 'gates'];
    prop(fc.tuple(fc.constantFrom(...keys), fc.oneof(text, fc.integer(), fc.constant(null), fc.array(text, { maxLength: 3 }))), ([key, value]) => {
      const base: Record<string, any> = { program: { name: 'L', timezone: 'UTC', pm: 'U0PM', channel: 'C0L' }, workstreams: { ws1: { name: 'W', channel: 'C0W', members: ['U01'], standup: {} } } };
      const path = key.split('.');
      let o = base;
      for (const k of path.slice(0, -1)) o = o[k] ??= {};
      o[path.at(-1)!] = value;
      try {
        parseWorkspaceConfig(JSON.stringify(base), 'fuzz.yml');
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).problems.every((p) => p.file === 'fuzz.yml' && typeof p.message === 'string')).toBe(true);
      }
    });
  });
});

describe('fuzz: what we post stays within Block Kit limits and never pings or links', () => {
  it('standup report, prompt, late answer and form', () => {
    prop(fc.tuple(fc.array(questionsAnswers, { minLength: 1, maxLength: 35 }), text), ([answers, name]) => {
      const prompt0 = () => standupPromptMessage({ runId: 1, workstreamName: name, localDate: '2026-02-03', closesAtLocal: '12:00 UTC' }, DEFAULT_QUESTIONS);
      const members = answers.map((a, i) => ({ userId: `U${String(i).padStart(3, '0')}`, state: 'answered' as const, answers: a }));
      const model = buildReport({
        workstreamName: name,
        localDate: '2026-02-03',
        zone: 'UTC',
        status: 'open',
        openAt: DateTime.fromISO('2026-02-03T10:00:00Z'),
        closeAt: DateTime.fromISO('2026-02-03T12:00:00Z'),
        questions: DEFAULT_QUESTIONS,
        members,
      });
      const report = standupReportMessage(model);
      expect(blockProblems(report.blocks, 'message')).toEqual([]);
      expect(report.text.length).toBeLessThanOrEqual(4000);
      assertSafe(
        mrkdwnOf(report.blocks, report.text),
        members.map((m) => m.userId),
      );
      assertSafe(mrkdwnOf(prompt0().blocks, prompt0().text), []);
      const prompt = prompt0();
      expect(blockProblems(prompt.blocks, 'message')).toEqual([]);
      const late = lateAnswerMessage(
        'U001',
        Object.entries(answers[0]!).map(([label, value]) => ({ label, value: String(value) })),
        false,
      );
      expect(blockProblems(late.blocks, 'message')).toEqual([]);
      assertSafe(mrkdwnOf(late.blocks, late.text), ['U001']);
      const form = standupFormView({ runId: 1, workstreamName: name, dayLabel: 'Tue', closesAtLocal: '12:00', questions: DEFAULT_QUESTIONS, initial: answers[0]!, editing: true, late: false });
      expect(viewProblems(form)).toEqual([]);
    });
  });
  it('blocker message, escalation DM and thread lines', () => {
    prop(fc.tuple(text, text), ([t, ws]) => {
      const v: BlockerView = {
        id: 7,
        severity: 'P0',
        status: 'open',
        text: t,
        reporter: 'U01',
        owner: 'U02',
        workstreamName: ws,
        gateId: null,
        raisedAt: 1_770_000_000,
        levelsDone: 1,
        lastLevel: null,
        policy: { ladder: [{ afterMs: 60_000, notify: 'lead' }], stopWhen: 'resolved' },
        acknowledgedBy: [],
        snoozedUntil: null,
        resolvedBy: null,
        resolvedAt: null,
        permalink: null,
        dueAt: null,
        snoozeChoices: [900_000],
        now: 1_770_000_600,
        zone: 'UTC',
      };
      for (const m of [blockerMessage(v), escalationDm({ blocker: v, level: 0, attempt: 0, recipient: 'U0LEAD', sentAt: v.now })]) {
        expect(blockProblems(m.blocks, 'message')).toEqual([]);
        expect(m.text.length).toBeLessThanOrEqual(4000);
        assertSafe(mrkdwnOf(m.blocks, m.text), ['U01', 'U02']);
      }
      expect(threadLine('reassigned', 'U01', { to: 'U02' })).toBe('🔀 Reassigned by <@U01> to <@U02>');
    });
  });
});
