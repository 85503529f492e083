import { describe, expect, it } from 'vitest';
import { ConfigError, parseWorkspaceConfig } from '../../../src/config/load.js';
import { checkinsOf } from '../../../src/domain/checkins/plans.js';
import { buildPreview } from '../../../src/services/preview/build.js';

const base = `
program:
  name: Launch
  timezone: America/New_York
  pm: U0PM
  channel: C0LAUNCH
  groups: { critical_path: [U01, U03] }
workstreams:
  omega:
    name: Team Omega
    channel: C0OMEGA
    leads: [U0LEAD]
    members: [U01, U02, U03]
    checkins:
      - { id: morning, at: "11:00", close_after: 1h }
      - { id: midday, at: "13:00", participants: [leads, critical_path], close_after: 1h }
      - { id: afternoon, at: "15:00", days: [mon, 2026-02-04, 2026-02-05..2026-02-06], close_after: 1h }
`;

function problems(yaml: string) {
  try {
    parseWorkspaceConfig(yaml, 'preflight.yml');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.file}:${p.line} ${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('preflight.yml check-ins', () => {
  it('parses check-ins, groups and program check-ins', () => {
    const cfg = parseWorkspaceConfig(
      `${base}checkins: { remind_after: 10m }\n`.replace(
        '  groups: { critical_path: [U01, U03] }',
        '  groups: { critical_path: [U01, U03] }\n  checkins:\n    - { id: leads, name: All team leads, at: "09:00", participants: all_leads, close_after: 30m }',
      ),
      'preflight.yml',
    );
    expect(cfg.workstreams.omega!.checkins!.map((c) => [c.id, c.at, c.close_after])).toEqual([
      ['morning', '11:00', 3_600_000],
      ['midday', '13:00', 3_600_000],
      ['afternoon', '15:00', 3_600_000],
    ]);
    expect(cfg.workstreams.omega!.checkins![2]!.days).toEqual(['mon', '2026-02-04', '2026-02-05..2026-02-06']);
    expect(cfg.program.checkins[0]).toMatchObject({ id: 'leads', name: 'All team leads', participants: ['all_leads'] });
    expect(cfg.checkins.remind_after).toBe(600_000);
  });

  it('names the key path of an unknown group, a participant that is not a user ID, and a keyword in the wrong place', () => {
    const p = problems(base.replace('[leads, critical_path]', '[leads, critcal_path, "@jane", all_leads]'));
    expect(p).toContain(
      'preflight.yml:16 workstreams.omega.checkins.1.participants.1: unknown group "critcal_path" (declare it under program.groups, or use members, leads or a user ID such as U012AB3CD) (got "critcal_path")',
    );
    // the display-name hint of config/load.ts (issue 12)
    expect(p.some((l) => l.startsWith('preflight.yml:16 workstreams.omega.checkins.1.participants.2: "@jane" is a display name, not a Slack user ID'))).toBe(true);
    expect(p.some((l) => l.startsWith('preflight.yml:16 workstreams.omega.checkins.1.participants.3: "all_leads" is for program check-ins'))).toBe(true);
  });

  it('refuses duplicate check-in ids, including `standup` while the workstream keeps its standup', () => {
    expect(problems(base.replace('id: midday', 'id: morning'))).toContain('preflight.yml:16 workstreams.omega.checkins.1.id: check-in id "morning" is used twice (got "morning")');
    const withStandup = base.replace('    checkins:\n', '    standup: { at: "08:00", close_after: 1h }\n    checkins:\n').replace('id: morning', 'id: standup');
    expect(problems(withStandup).some((l) => l.includes('workstreams.omega.checkins.0.id: check-in id "standup" is taken by the workstream’s standup'))).toBe(true);
  });

  it('refuses remind_after ≥ close_after and a close of a day or more, at the check-in or at the program default', () => {
    expect(problems(base.replace('{ id: morning, at: "11:00", close_after: 1h }', '{ id: morning, at: "11:00", remind_after: 1h, close_after: 1h }'))).toContain(
      'preflight.yml:15 workstreams.omega.checkins.0.remind_after: remind_after must be shorter than close_after (a reminder after the check-in closes would never be sent) (got "1h")',
    );
    // a program default reminder later than each check-in's own close: each check-in's close_after is named
    const p = problems(`${base}checkins: { remind_after: 2h }\n`);
    expect(p.filter((l) => /workstreams\.omega\.checkins\.\d\.close_after: remind_after must be shorter/.test(l))).toHaveLength(3);
    expect(problems(base.replace('{ id: morning, at: "11:00", close_after: 1h }', '{ id: morning, at: "11:00", close_after: 1d }'))).toContain(
      'preflight.yml:15 workstreams.omega.checkins.0.close_after: must be under 24h, so one day’s check-in closes before the next one opens (got "1d")',
    );
  });

  it('refuses two check-ins of one workstream whose windows overlap on a day both run for the same people, naming them and both check-ins', () => {
    const overlap = base.replace('{ id: midday, at: "13:00"', '{ id: midday, at: "11:30"');
    expect(problems(overlap)).toContain(
      'preflight.yml:16 workstreams.omega.checkins.1.at: U01 and U03 would have two check-ins open at once: the window of check-in "midday" (11:30 for 1h) overlaps check-in "morning" (11:00 until 12:00) on a day both run, and they take part in both: move one, shorten close_after, or give them different days or participants (got "11:30")',
    );
    // the same times on days that never meet are fine: morning on weekdays, the other on one Saturday
    const apart = overlap.replace('{ id: midday, at: "11:30",', '{ id: midday, at: "11:30", days: [2026-02-07],');
    expect(() => parseWorkspaceConfig(apart, 'preflight.yml')).not.toThrow();
    // …but not on a date that is a weekday
    const wednesday = overlap.replace('{ id: midday, at: "11:30",', '{ id: midday, at: "11:30", days: [2026-02-04],');
    expect(problems(wednesday).some((l) => l.includes('workstreams.omega.checkins.1.at: U01 and U03 would have two check-ins open at once: the window of check-in "midday"'))).toBe(true);
    // against the workstream's own standup
    const vsStandup = base.replace('    checkins:\n', '    standup: { at: "10:30", close_after: 1h }\n    checkins:\n');
    expect(problems(vsStandup)).toContain(
      'preflight.yml:16 workstreams.omega.checkins.0.at: U01, U02 and U03 would have two check-ins open at once: the window of check-in "morning" (11:00 for 1h) overlaps the workstream’s standup (10:30 until 11:30) on a day both run, and they take part in both: move one, shorten close_after, or give them different days or participants (got "11:00")',
    );
  });

  it('accepts overlapping windows when nobody takes part in both (members, then leads); one person in both is named (issue 18)', () => {
    const leadsOnly = base.replace('{ id: midday, at: "13:00", participants: [leads, critical_path]', '{ id: midday, at: "11:30", participants: [leads]');
    expect(() => parseWorkspaceConfig(leadsOnly, 'preflight.yml')).not.toThrow();
    // the standup's members and a leads' check-in during it
    const vsStandup = leadsOnly
      .replace('    checkins:\n', '    standup: { at: "11:00", close_after: 2h }\n    checkins:\n')
      .replace('{ id: morning, at: "11:00", close_after: 1h }', '{ id: morning, at: "13:00", close_after: 1h }');
    expect(() => parseWorkspaceConfig(vsStandup, 'preflight.yml')).not.toThrow();
    const oneInBoth = leadsOnly.replace('participants: [leads]', 'participants: [leads, U02]');
    expect(problems(oneInBoth)).toContain(
      'preflight.yml:16 workstreams.omega.checkins.1.at: U02 would have two check-ins open at once: the window of check-in "midday" (11:30 for 1h) overlaps check-in "morning" (11:00 until 12:00) on a day both run, and U02 takes part in both: move one, shorten close_after, or give them different days or participants (got "11:30")',
    );
    // program check-ins: the leads' and the PM's own at once
    const program = base.replace(
      '  groups: { critical_path: [U01, U03] }',
      '  groups: { critical_path: [U01, U03] }\n  checkins:\n    - { id: leads, at: "09:00", participants: all_leads, close_after: 1h }\n    - { id: pm, at: "09:30", participants: [U0PM] }',
    );
    expect(() => parseWorkspaceConfig(program, 'preflight.yml')).not.toThrow();
    expect(problems(program.replace('participants: [U0PM] }', 'participants: [U0PM, U0LEAD] }'))).toContain(
      'preflight.yml:10 program.checkins.1.at: U0LEAD would have two check-ins open at once: the window of check-in "pm" (09:30 for 2h) overlaps check-in "leads" (09:00 until 10:00) on a day both run, and U0LEAD takes part in both: move one, shorten close_after, or give them different days or participants (got "09:30")',
    );
  });

  it('seed 000’s checkpoints without close_after: each closes when the next one for the same people opens, at most 2 h (issue 18)', () => {
    const seed = base.replace(
      / {4}checkins:\n(.*\n){3}/,
      `    checkins:
      - { id: first, at: "11:00" }
      - { id: mid-point, at: "13:00" }
      - { id: midday, at: "14:00" }
      - { id: final-push, at: "15:00" }
      - { id: leads-sync, at: "16:00", participants: [leads] }
      - { id: sign-off, at: "17:00", participants: [leads] }
`,
    );
    const cfg = parseWorkspaceConfig(seed, 'preflight.yml');
    expect(checkinsOf(cfg, 'omega').map((c) => `${c.checkinId} ${c.plan.at}+${c.plan.closeAfterMs / 60_000}m`)).toEqual([
      'first 11:00+120m',
      'mid-point 13:00+60m',
      'midday 14:00+60m',
      // the leads' 16:00 sync is for other people: the members' 15:00 checkpoint keeps its two hours
      'final-push 15:00+120m',
      'leads-sync 16:00+60m',
      'sign-off 17:00+120m',
    ]);
    // what npm run preview shows for a member (Wed 4 Feb 2026): each checkpoint closes as the next one opens
    const closes = buildPreview(cfg, null, '2026-02-04', 1, { userId: 'U01' })
      .events.filter((e) => e.kind === 'checkin_close')
      .map((e) => `${e.checkinId} ${e.at.setZone('America/New_York').toFormat('HH:mm')}`);
    expect(closes).toEqual(['first 13:00', 'mid-point 14:00', 'midday 15:00', 'final-push 17:00']);
    // a reminder that no longer fits the shortened window is named, with the check-in that cuts it
    expect(problems(seed.replace('{ id: mid-point, at: "13:00" }', '{ id: mid-point, at: "11:20" }'))).toContain(
      'preflight.yml:15 workstreams.omega.checkins.0.at: remind_after (30m) must be shorter than the window of check-in "first": without its own close_after it closes after 20m, when check-in "mid-point" (11:20) opens for the same people; set close_after, or a shorter remind_after (got "11:00")',
    );
  });

  it('explains bad days, reserved group names and ranges', () => {
    const p = problems(base.replace('days: [mon, 2026-02-04, 2026-02-05..2026-02-06]', 'days: [monday, 2026-02-30, 2026-02-09..2026-02-06]').replace('critical_path:', 'leads:'));
    expect(p).toContain(
      'preflight.yml:17 workstreams.omega.checkins.2.days.0: expected a weekday (mon, tue, wed, thu, fri, sat, sun), a date such as 2026-02-04 or a range such as 2026-02-04..2026-02-06 (got "monday")',
    );
    expect(p).toContain('preflight.yml:17 workstreams.omega.checkins.2.days.1: 2026-02-30 is not a real calendar date (got "2026-02-30")');
    expect(p).toContain('preflight.yml:17 workstreams.omega.checkins.2.days.2: the range starts (2026-02-09) after it ends (2026-02-06) (got "2026-02-09..2026-02-06")');
    expect(p.some((l) => l.includes('program.groups.leads: "leads" is a reserved participant keyword'))).toBe(true);
  });

  it('keeps `standup:` valid on its own (the workstream then holds the `standup` check-in)', () => {
    const cfg = parseWorkspaceConfig(base.replace(/ {4}checkins:\n(.*\n){3}/, '    standup: { at: "10:30" }\n'), 'preflight.yml');
    expect(cfg.workstreams.omega!.checkins).toBeUndefined();
    expect(cfg.workstreams.omega!.standup).toMatchObject({ at: '10:30' });
  });
});

describe('preflight.yml checks that apply with or without `standup:`', () => {
  it('finds a member listed twice and a standup reminder after its close in a workstream that only has check-ins', () => {
    let message = '';
    try {
      parseWorkspaceConfig(`${base.replace('members: [U01, U02, U03]', 'members: [U01, U02, U01]')}standup: { remind_after: 3h }\n`, 'preflight.yml');
    } catch (err) {
      message = err instanceof ConfigError ? err.message : String(err);
    }
    expect(message).toContain('workstreams.omega.members.2: U01 is listed twice');
    expect(message).toContain('standup.remind_after: remind_after must be shorter than close_after');
  });
});
