import { DateTime } from 'luxon';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compressTime } from '../../../../sandbox/workspace/speed.js';
import { sandboxConfig } from '../../../../sandbox/workspace/sandbox-config.js';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';

// "now" is chosen by the test (23:59:30 in New York crosses midnight; the earliest check-in comes a minute later)
const NOW = DateTime.fromISO('2026-03-07T23:59:30', { zone: 'America/New_York' }).toMillis();
const raw = () =>
  parseDocument(`
program: { name: P, timezone: America/New_York, pm: U0PM, channel: C0P }
standup: { at: "10:00", remind_after: 30m, close_after: 2h }
workstreams:
  a: { name: A, channel: C0A, members: [U01] }
  b: { name: B, channel: C0B, members: [U02], standup: { at: "11:30", close_after: 1h } }
escalation:
  ladders: { P0: [{ after: 5m, notify: lead }, { after: 6m, notify: pm }] }
  repeat: { every: 30m, max: 3 }
gates: [{ id: g1, name: G1, due: "2026-05-01T12:00", sign_off: [U0PM] }]
gonogo: { at: "2026-05-01T14:00" }
`).toJS();

describe('--speed N (a transform over the parsed preflight.yml)', () => {
  it('divides durations by N, keeps ladder levels increasing, ticks every second, makes every day a workday', () => {
    const out = compressTime(raw(), 60);
    expect(out.standup).toMatchObject({ remind_after: '30s', close_after: '120s' });
    expect(out.workstreams.b.standup).toMatchObject({ close_after: '60s' });
    expect(out.workstreams.a.standup).toBeUndefined(); // still inherits the program's (compressed) values
    expect(out.escalation.ladders.P0).toEqual([
      { after: '5s', notify: 'lead' },
      { after: '6s', notify: 'pm' },
    ]);
    expect(out.escalation.ladders.P1.map((l: { after: string }) => l.after)).toEqual(['15s', '30s', '60s']); // the defaults, compressed
    expect(out.escalation.repeat.every).toBe('30s');
    expect(out.scheduler.tick).toBe('1s');
    expect(out.calendar).toEqual({ workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], holidays: [] });
    expect(parseWorkspaceConfig(JSON.stringify(out), 'x').workstreams.b?.standup?.close_after).toBe(60_000);
  });

  it('compresses check-ins’ durations (issue 9): each check-in’s own and the `checkins:` defaults', () => {
    const doc = parseDocument(`
program: { name: P, timezone: America/New_York, pm: U0PM, channel: C0P, checkins: [{ id: leads, at: "09:00", participants: [all_leads] }] }
checkins: { remind_after: 10m, close_after: 45m }
workstreams:
  a:
    name: A
    channel: C0A
    leads: [U0L]
    members: [U01]
    checkins: [{ id: one, at: "11:00" }, { id: two, at: "13:00", close_after: 30m }]
`).toJS();
    const out = compressTime(doc, 60);
    expect(out.checkins).toMatchObject({ remind_after: '10s', close_after: '45s' });
    expect(out.workstreams.a.checkins[1].close_after).toBe('30s');
    expect(out.workstreams.a.standup).toBeUndefined();
  });

  it('compresses tasks.escalation, the ladder every task climbs from its due time (issue 18, defect 10)', () => {
    const doc = {
      ...raw(),
      tasks: {
        escalation: [
          { after: '5m', notify: 'lead' },
          { after: '10m', notify: 'pm' },
          { after: '25m', notify: 'exec' },
        ],
      },
    };
    const out = compressTime(doc, 60);
    expect(out.tasks.escalation.map((l: { after: string }) => l.after)).toEqual(['5s', '10s', '25s']);
    expect(parseWorkspaceConfig(JSON.stringify(out), 'x').tasks.escalation?.map((l) => l.after)).toEqual([5_000, 10_000, 25_000]);
  });

  it('refuses a speed below 1', () => {
    expect(() => compressTime(raw(), 0.5)).toThrow(/--speed must be a number ≥ 1/);
  });

  it('sandboxConfig: durations ÷ N and times moved (onto-today.ts); the result validates', () => {
    const { config, yaml, moved } = sandboxConfig('examples/minimal.preflight.yml', 30, NOW);
    expect(config.scheduler.tick).toBe(1000);
    const startAt = DateTime.fromMillis(NOW, { zone: config.program.timezone }).startOf('minute').plus({ minutes: 1 }).toFormat('HH:mm');
    expect(moved).toEqual({ dates: null, start: { at: startAt, standsFor: '10:00', repeatedHour: false } });
    expect(yaml).toMatch(/^# examples\/minimal\.preflight\.yml \(--speed 30\)/);
  });

  it('every example still validates at --speed 60', () => {
    for (const name of ['minimal', 'phase11-four-workstreams', 'final-deployment-five-teams', 'phase3-two-hour-checkpoints']) {
      const { config } = sandboxConfig(`examples/${name}.preflight.yml`, 60, NOW);
      expect(config.scheduler.tick).toBe(1000);
    }
  });
});
