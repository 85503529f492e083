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
  it('divides durations by N, keeps ladder levels increasing, ticks every second', () => {
    const out = compressTime(raw(), 60, NOW);
    expect(out.standup).toMatchObject({ remind_after: '30s', close_after: '120s' });
    expect(out.workstreams.b.standup).toMatchObject({ close_after: '60s' });
    expect(out.workstreams.a.standup.remind_after).toBeUndefined(); // still inherits the program's (compressed) value
    expect(out.escalation.ladders.P0).toEqual([
      { after: '5s', notify: 'lead' },
      { after: '6s', notify: 'pm' },
    ]);
    expect(out.escalation.ladders.P1.map((l: { after: string }) => l.after)).toEqual(['15s', '30s', '60s']); // the defaults, compressed
    expect(out.escalation.repeat.every).toBe('30s');
    expect(out.scheduler.tick).toBe('1s');
    expect(parseWorkspaceConfig(JSON.stringify(out), 'x').workstreams.b?.standup?.close_after).toBe(60_000);
  });

  it('moves the earliest check-in within a minute of now and keeps the others’ spacing ÷ N; go/no-go and gates follow', () => {
    const out = compressTime(raw(), 30, NOW);
    // 10:00 → now's next minute (00:00 on Mar 8); 11:30 is 90 min later → 3 min later at ×30
    expect(out.standup.at).toBe('00:00');
    expect(out.workstreams.a.standup.at).toBe('00:00');
    expect(out.workstreams.b.standup.at).toBe('00:03');
    expect(out.gonogo.at).toBe('2026-03-08T00:08'); // 14:00 is 240 min after 10:00 → 8 min
    expect(out.gates[0].due).toBe('2026-03-08T00:04'); // 12:00 → 4 min
    expect(out.calendar.workdays).toHaveLength(7);
  });

  it('refuses a speed below 1', () => {
    expect(() => compressTime(raw(), 0.5, NOW)).toThrow(/--speed must be a number ≥ 1/);
  });

  it('every example still validates at --speed 60', () => {
    for (const name of ['minimal', 'phase11-four-workstreams', 'final-deployment-five-teams']) {
      const { config } = sandboxConfig(`examples/${name}.preflight.yml`, 60, NOW);
      expect(config.scheduler.tick).toBe(1000);
    }
  });
});
