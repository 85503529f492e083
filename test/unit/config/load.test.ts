import { describe, expect, it } from 'vitest';
import { loadEnv, EnvError } from '../../../src/config/env.js';
import { ConfigError, loadWorkspaceConfig, parseWorkspaceConfig } from '../../../src/config/load.js';

const valid = `
program: { name: Launch, timezone: America/New_York, pm: U0PM, channel: C0LAUNCH }
workstreams:
  ws1:
    name: Broker Integration
    channel: C0WS1
    leads: [U0LEAD]
    members: [U01, { id: U02, timezone: Europe/London }]
    standup: { at: "10:30", remind_after: 15m, close_after: 90s }
`;

function problems(yaml: string) {
  try {
    parseWorkspaceConfig(yaml, 'preflight.yml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('preflight.yml', () => {
  it('parses durations into ms and fills defaults', () => {
    const cfg = parseWorkspaceConfig(valid.replace('close_after: 90s', 'close_after: 2h'), 'preflight.yml');
    expect(cfg.workstreams.ws1!.standup).toMatchObject({ at: '10:30', remind_after: 900_000, close_after: 7_200_000 });
    expect(cfg.standup.questions.map((q) => q.id)).toEqual(['yesterday', 'today', 'blockers', 'progress', 'risk']);
    expect(cfg.calendar.workdays).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(cfg.scheduler.tick).toBe(5_000);
  });

  it('names the file, line, key path and reason of every problem', () => {
    const p = problems(valid.replace('"10:30"', '"25:00"').replace('America/New_York', 'Mars/Olympus').replace('C0WS1', '"#ws1"'));
    const lines = p.map((x) => `${x.file}:${x.line} ${x.path}: ${x.message}`);
    expect(lines).toContain('preflight.yml:2 program.timezone: unknown IANA time zone (use a name such as America/New_York) (got "Mars/Olympus")');
    expect(lines).toContain('preflight.yml:6 workstreams.ws1.channel: expected a Slack channel ID such as C012AB3CD (not a #name) (got "#ws1")');
    expect(lines.some((l) => l.startsWith('preflight.yml:9 workstreams.ws1.standup.at: expected a 24-hour local time'))).toBe(true);
  });

  it('rejects a reminder after the close, unknown keys, bad durations and duplicate members', () => {
    const p = problems(valid.replace('close_after: 90s', 'close_after: 10m, colse: 1').replace('remind_after: 15m', 'remind_after: 15 minutes').replace('[U01,', '[U01, U01,'));
    const byPath = Object.fromEntries(p.map((x) => [x.path, x.message]));
    expect(byPath['workstreams.ws1.standup.remind_after']).toMatch(/duration such as "30m"/);
    expect(byPath['workstreams.ws1.standup.colse']).toBe('unknown key "colse" (known keys here: at, remind_after, close_after, questions, enabled)');
    expect(byPath['workstreams.ws1.members.1']).toMatch(/U01 is listed twice/);
    expect(problems(valid.replace('remind_after: 15m', 'remind_after: 2m'))[0]).toMatchObject({
      path: 'workstreams.ws1.standup.remind_after',
      message: expect.stringMatching(/shorter than close_after/),
    });
  });

  it('refuses settings that would start and then fail at run time', () => {
    const gates = `
gates:
  - { id: a, name: A, sign_off: [U0PM], requires: [b] }
  - { id: b, name: B, sign_off: [U0PM], requires: [a] }
scheduler: { tick: 5m, reclaim_after: 5s }`;
    const byPath = Object.fromEntries(problems(valid.replace('close_after: 90s', 'close_after: 1d') + gates).map((x) => [x.path, x.message]));
    expect(byPath['gates.0.requires']).toMatch(/requires itself through other gates/);
    expect(byPath['scheduler.tick']).toMatch(/every minute or less/);
    expect(byPath['scheduler.reclaim_after']).toMatch(/at least 15s/);
    expect(byPath['workstreams.ws1.standup.close_after']).toMatch(/under 24h/);
  });

  it('reports each unknown key at its own line, with the closest known key when one is near', () => {
    const yaml = valid
      .replace('standup: { at: "10:30", remind_after: 15m, close_after: 90s }', 'standup: { at: "10:30", remind_afer: 15m, close_after: 2h }')
      .replace('    leads: [U0LEAD]', '    lead: [U0LEAD]\n    chanel: C0WS2');
    const lines = problems(yaml).map((x) => `${x.file}:${x.line}:${x.col} ${x.path}: ${x.message}`);
    expect(lines).toEqual([
      'preflight.yml:7:5 workstreams.ws1.lead: unknown key "lead": did you mean "leads"?',
      'preflight.yml:8:5 workstreams.ws1.chanel: unknown key "chanel": did you mean "channel"?',
      'preflight.yml:10:29 workstreams.ws1.standup.remind_afer: unknown key "remind_afer": did you mean "remind_after"?',
    ]);
    const far = problems(`${valid.replace('close_after: 90s', 'close_after: 2h')}colour: blue\n`);
    expect(far.map((x) => [x.line, x.path, x.message])).toEqual([
      [10, 'colour', 'unknown key "colour" (known keys here: program, checkins, calendar, standup, scheduler, workstreams, escalation, tasks, gates, gonogo)'],
    ]);
  });

  it('words common mistakes plainly: a list written as a string, a @name for a person, a duration without unit, a missing key', () => {
    const yaml = valid
      .replace('close_after: 90s', 'close_after: 2h')
      .replace('leads: [U0LEAD]', 'leads: U0LEAD')
      .replace('members: [U01, { id: U02, timezone: Europe/London }]', 'members: U01, U02')
      .replace('pm: U0PM', 'pm: "@jane"')
      .replace('remind_after: 15m', 'remind_after: 15')
      .replace('    channel: C0WS1\n', '');
    const byPath = Object.fromEntries(problems(yaml).map((x) => [x.path, x.message]));
    expect(byPath).toEqual({
      'program.pm': '"@jane" is a display name, not a Slack user ID: use the member ID (profile → ⋮ → "Copy member ID", U…) or their email address',
      'workstreams.ws1.channel': 'required, but missing (expected a Slack channel ID such as C012AB3CD)',
      'workstreams.ws1.leads': 'expected a list, got the single string "U0LEAD": write it as [U0LEAD] or one "- item" per line',
      'workstreams.ws1.members': 'expected a list, got the single string "U01, U02": write it as [U01, U02] or one "- item" per line',
      'workstreams.ws1.standup.remind_after': '15 has no unit: write "15m" for minutes (units: s, m, h, d)',
    });
  });

  it('accepts a person as a Slack user ID or an email address wherever one is asked for, and nothing else', () => {
    const cfg = parseWorkspaceConfig(valid.replace('close_after: 90s', 'close_after: 2h').replace('pm: U0PM', 'pm: pm@example.com').replace('[U01,', '[ana.b+launch@example.co.uk,'), 'preflight.yml');
    expect(cfg.program.pm).toBe('pm@example.com');
    expect(cfg.workstreams.ws1!.members[0]).toBe('ana.b+launch@example.co.uk');
    const p = problems(valid.replace('close_after: 90s', 'close_after: 2h').replace('pm: U0PM', 'pm: jane'));
    expect(p.map((x) => [x.path, x.message])).toEqual([['program.pm', 'expected a Slack user ID such as U012AB3CD or an email address such as ana@example.com (got "jane")']]);
  });

  it('reports YAML syntax errors with their position', () => {
    const [p] = problems('program: { name: [unclosed\nworkstreams: {}');
    expect(p!.message).toMatch(/^YAML syntax/);
    expect(p!.line).toBeGreaterThan(0);
  });

  it('a missing file says so and how to fix it', () => {
    expect(() => loadWorkspaceConfig('/nonexistent/preflight.yml')).toThrowError(/\/nonexistent\/preflight.yml \(top level\): file not found/);
  });
});

describe('environment', () => {
  const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', DATABASE_URL: 'postgres://localhost/p', REDIS_URL: 'redis://localhost:6379' };
  it('applies defaults', () => {
    expect(loadEnv(env)).toMatchObject({ PORT: 3000, PREFLIGHT_CONFIG: './preflight.yml', LOG_LEVEL: 'info', QUEUE_PREFIX: 'preflight' });
    expect(loadEnv({ ...env, SLACK_API_URL: 'http://127.0.0.1:9/api' }).SLACK_API_URL).toBe('http://127.0.0.1:9/api/');
  });
  it('SLACK_ENTERPRISE_ID (issue 24): optional, an E… org ID; anything else is named with the fix', () => {
    expect(loadEnv(env).SLACK_ENTERPRISE_ID).toBeUndefined();
    expect(loadEnv({ ...env, SLACK_ENTERPRISE_ID: '' }).SLACK_ENTERPRISE_ID).toBeUndefined();
    expect(loadEnv({ ...env, SLACK_ENTERPRISE_ID: 'E0ACME' }).SLACK_ENTERPRISE_ID).toBe('E0ACME');
    expect(() => loadEnv({ ...env, SLACK_ENTERPRISE_ID: 'T0ACME' })).toThrow(/SLACK_ENTERPRISE_ID: must be an Enterprise Grid org ID such as E012AB3CD/);
  });
  it('lists every bad variable without echoing secrets', () => {
    try {
      loadEnv({ SLACK_BOT_TOKEN: 'xoxp-secret-user-token', PORT: 'abc' });
      throw new Error('expected EnvError');
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      const msg = (err as Error).message;
      expect(msg).toMatch(/SLACK_BOT_TOKEN: must be a bot token/);
      expect(msg).toMatch(/SLACK_SIGNING_SECRET/);
      expect(msg).toMatch(/DATABASE_URL/);
      expect(msg).toMatch(/PORT/);
      expect(msg).not.toContain('xoxp-secret-user-token');
    }
  });
});
