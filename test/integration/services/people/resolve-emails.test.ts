import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseWorkspaceConfig } from '../../../../src/config/load.js';
import { EMAIL_CACHE_MAX_AGE_MS, EmailLookupError, resolveEmails } from '../../../../src/services/people/resolve-emails.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

/*
 * People by email: users.lookupByEmail at start-up (Slack faked over HTTP with nock), cached in Postgres.
 */

const HARNESS_YAML = aConfig({
  program: { name: 'Launch' },
  workstreams: [aWorkstream({ id: 'web', name: 'Web', channel: 'C0WEB', leads: undefined })],
});

// every kind of place that takes a person, most of them by email (one in two cases)
const YAML = `program:
  name: Launch
  timezone: UTC
  pm: pm@example.com
  execs: [exec@example.com, U0EXEC2]
  channel: C0LAUNCH
workstreams:
  web:
    name: Web
    channel: C0WEB
    leads: [Lead@Example.com]
    members:
      - ana@example.com
      - { id: bo@example.com, timezone: Europe/London }
      - U0CARL
escalation:
  ladders:
    P0:
      - { after: 5m, notify: lead }
      - { after: 10m, notify: exec@example.com }
      - { after: 20m, notify: [ana@example.com, U0CARL] }
gates:
  - { id: g1, name: Gate, sign_off: [lead@example.com] }
`;

const PEOPLE: Record<string, string> = {
  'pm@example.com': 'U0PM',
  'exec@example.com': 'U0EXEC',
  'lead@example.com': 'U0LEAD',
  'ana@example.com': 'U0ANA',
  'bo@example.com': 'U0BO',
};

describe('resolveEmails', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  const dir = mkdtempSync(join(tmpdir(), 'preflight-emails-'));
  const file = join(dir, 'preflight.yml');
  writeFileSync(file, YAML);
  const config = parseWorkspaceConfig(YAML, file);
  const lookups = () => slack.of('users.lookupByEmail').map((c) => c.args.email);
  beforeAll(async () => {
    h = await harness(HARNESS_YAML, '2026-02-03T09:00:00Z');
    bot = await h.process({ workers: false });
    for (const [email, id] of Object.entries(PEOPLE)) slack.usersByEmail.set(email, id);
  });
  afterAll(async () => {
    await h.cleanup();
    slack.done();
  });

  it('replaces every email wherever a person is accepted, asking Slack once per address (any case), and caches the answers', async () => {
    const resolved = await resolveEmails(bot.deps, config, file);
    expect(resolved.program.pm).toBe('U0PM');
    expect(resolved.program.execs).toEqual(['U0EXEC', 'U0EXEC2']);
    expect(resolved.workstreams.web!.leads).toEqual(['U0LEAD']);
    expect(resolved.workstreams.web!.members).toEqual(['U0ANA', { id: 'U0BO', timezone: 'Europe/London' }, 'U0CARL']);
    expect(resolved.escalation.ladders.P0!.map((l) => l.notify)).toEqual(['lead', 'U0EXEC', ['U0ANA', 'U0CARL']]);
    expect(resolved.gates[0]!.sign_off).toEqual(['U0LEAD']);
    // everything else is as parsed
    expect(resolved.escalation.ladders.P0!.map((l) => l.after)).toEqual([300_000, 600_000, 1_200_000]);
    expect(resolved.standup).toEqual(config.standup);
    expect(lookups().sort()).toEqual(Object.keys(PEOPLE).sort());
    const rows = await h.sql<{ email: string; user_id: string }>('SELECT email, user_id FROM slack_user_emails ORDER BY email');
    expect(Object.fromEntries(rows.map((r) => [r.email, r.user_id]))).toEqual(PEOPLE);
  });

  it('the next start-up takes them from Postgres without calling Slack; after the cache age, it asks again', async () => {
    const before = lookups().length;
    const again = await resolveEmails(bot.deps, config, file);
    expect(again.program.pm).toBe('U0PM');
    expect(lookups().length).toBe(before);

    slack.usersByEmail.set('pm@example.com', 'U0NEWPM'); // the address now belongs to someone else
    h.clock.set(new Date(Date.parse('2026-02-03T09:00:00Z') + EMAIL_CACHE_MAX_AGE_MS + 60_000).toISOString());
    const later = await resolveEmails(bot.deps, config, file);
    expect(later.program.pm).toBe('U0NEWPM');
    expect(lookups().length).toBe(before + Object.keys(PEOPLE).length);
  });

  it('uses the cached ID when Slack cannot be reached for an address it resolved before', async () => {
    h.clock.set(new Date(Date.parse('2026-02-03T09:00:00Z') + 3 * EMAIL_CACHE_MAX_AGE_MS).toISOString());
    const one = parseWorkspaceConfig(YAML.replace('execs: [exec@example.com, U0EXEC2]', 'execs: []'), file);
    for (let i = 0; i < 4; i++) slack.failNext('users.lookupByEmail', 500, 'Internal Server Error');
    // four addresses are asked for (exec@ is not in this config): every one answers 500
    const resolved = await resolveEmails(bot.deps, one, file);
    expect(resolved.program.pm).toBe('U0NEWPM');
    expect(resolved.workstreams.web!.leads).toEqual(['U0LEAD']);
  });

  it('an email no member has is a problem naming the file, line, key path and address; nothing is resolved', async () => {
    const typo = YAML.replace('- ana@example.com', '- ana@exmaple.com');
    writeFileSync(join(dir, 'typo.yml'), typo);
    const err = await resolveEmails(bot.deps, parseWorkspaceConfig(typo, join(dir, 'typo.yml')), join(dir, 'typo.yml')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const line = typo.split('\n').findIndex((l) => l.includes('ana@exmaple.com')) + 1;
    expect((err as ConfigError).message).toBe(
      `${join(dir, 'typo.yml')}:${line}:9 workstreams.web.members.0: ana@exmaple.com: no member of this Slack workspace has this email address (users.lookupByEmail: users_not_found); check the spelling, or use their user ID`,
    );
  });

  it('an app without the users:read.email scope gets one line saying what to add', async () => {
    h.clock.set(new Date(Date.parse('2026-02-03T09:00:00Z') + 10 * EMAIL_CACHE_MAX_AGE_MS).toISOString());
    slack.failNext('users.lookupByEmail', 200, { ok: false, error: 'missing_scope', needed: 'users:read.email', provided: 'chat:write' });
    const only = parseWorkspaceConfig(
      YAML.replace(/[a-z]+@example\.com/gi, 'U0SOMEONE')
        .replace('- { id: U0SOMEONE', '- { id: pm@example.com')
        .replace('leads: [U0SOMEONE]', 'leads: []'),
      file,
    );
    const err = await resolveEmails(bot.deps, only, file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmailLookupError);
    expect((err as Error).message).toMatch(/^Preflight cannot start: preflight.yml names people by email, but the Slack app lacks the users:read.email scope \(missing_scope\)/);
  });

  it('a config without emails makes no call and no query', async () => {
    const before = slack.calls.length;
    const plain = parseWorkspaceConfig(HARNESS_YAML, 'plain.yml');
    expect(await resolveEmails(bot.deps, plain, 'plain.yml')).toBe(plain);
    expect(slack.calls.length).toBe(before);
  });
});
