import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { checkinOf, checkinsOf, holdsStandup, PROGRAM_WORKSTREAM, scheduledCheckins } from '../../../../src/domain/checkins/plans.js';

const cfg = parseWorkspaceConfig(
  `
program:
  name: Final deployment
  timezone: America/New_York
  pm: U0PM
  channel: C0PROG
  groups: { critical_path: [U0B1, U0A2] }
  checkins:
    - { id: leads, name: All team leads, at: "09:00", participants: [all_leads, U0PM], close_after: 30m }
checkins: { remind_after: 10m, close_after: 45m }
standup: { at: "10:00" }
workstreams:
  alpha:
    name: Team Alpha
    channel: C0ALPHA
    leads: [U0AL]
    members: [U0A1, { id: U0A2, timezone: Europe/London }]
  beta:
    name: Team Beta
    channel: C0BETA
    timezone: America/Chicago
    leads: [U0BL]
    members: [U0B1, U0BL]
    checkins:
      - { id: checkpoint-11, at: "11:00" }
      - { id: critical, at: "13:00", participants: [leads, critical_path, U0X9], days: [2026-02-04] }
  gamma:
    name: Team Gamma
    channel: C0GAMMA
    leads: [U0GL]
    standup: { at: "08:30", close_after: 1h }
    checkins:
      - { id: sync, at: "16:00", participants: leads }
`,
  'preflight.yml',
);

describe('check-in plans from config', () => {
  it('gives a workstream without `checkins:` its standup, one with only `checkins:` those, and one with both both', () => {
    expect(checkinsOf(cfg, 'alpha').map((c) => c.checkinId)).toEqual(['standup']);
    expect(checkinsOf(cfg, 'beta').map((c) => c.checkinId)).toEqual(['checkpoint-11', 'critical']);
    expect(checkinsOf(cfg, 'gamma').map((c) => c.checkinId)).toEqual(['standup', 'sync']);
    expect(holdsStandup({ ...cfg.workstreams.alpha!, standup: { enabled: false } })).toBe(false);
  });

  it('applies standup defaults to the standup and `checkins:` defaults to the others', () => {
    const standup = checkinOf(cfg, 'gamma', 'standup')!;
    expect([standup.checkinName, standup.plan.at, standup.plan.closeAfterMs, standup.plan.remindAfterMs]).toEqual(['Standup', '08:30', 3_600_000, 30 * 60_000]);
    const cp = checkinOf(cfg, 'beta', 'checkpoint-11')!;
    expect([cp.checkinName, cp.zone, cp.channel, cp.plan.remindAfterMs, cp.plan.closeAfterMs]).toEqual(['Checkpoint 11', 'America/Chicago', 'C0BETA', 10 * 60_000, 45 * 60_000]);
    expect(cp.plan.workdays).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
  });

  it('resolves participants: members, leads, groups and user IDs, each once, with their own zone', () => {
    const critical = checkinOf(cfg, 'beta', 'critical')!;
    expect(critical.plan.members).toEqual([
      { userId: 'U0BL', zone: 'America/Chicago' },
      { userId: 'U0B1', zone: 'America/Chicago' },
      { userId: 'U0A2', zone: 'Europe/London' }, // alpha's member override follows them
      { userId: 'U0X9', zone: 'America/Chicago' },
    ]);
    expect(critical.plan.dates).toEqual(['2026-02-04']);
    expect(critical.plan.workdays).toEqual([]);
    expect(checkinOf(cfg, 'gamma', 'sync')!.plan.members.map((m) => m.userId)).toEqual(['U0GL']);
  });

  it('makes a program check-in of all leads with a section per workstream, in the program channel', () => {
    const [leads] = checkinsOf(cfg, PROGRAM_WORKSTREAM);
    expect([leads!.workstreamId, leads!.checkinName, leads!.channel, leads!.zone, leads!.program]).toEqual([PROGRAM_WORKSTREAM, 'All team leads', 'C0PROG', 'America/New_York', true]);
    expect(leads!.plan.members).toEqual([
      { userId: 'U0AL', zone: 'America/New_York', section: { id: 'alpha', name: 'Team Alpha' } },
      { userId: 'U0BL', zone: 'America/New_York', section: { id: 'beta', name: 'Team Beta' } },
      { userId: 'U0GL', zone: 'America/New_York', section: { id: 'gamma', name: 'Team Gamma' } },
      { userId: 'U0PM', zone: 'America/New_York', section: { id: PROGRAM_WORKSTREAM, name: 'Final deployment' } },
    ]);
  });

  it('schedules every check-in with someone to prompt (gamma’s standup has no members)', () => {
    expect(scheduledCheckins(cfg).map((c) => `${c.workstreamId}/${c.checkinId}`)).toEqual(['alpha/standup', 'beta/checkpoint-11', 'beta/critical', 'gamma/sync', `${PROGRAM_WORKSTREAM}/leads`]);
  });
});
