import { describe, expect, it } from 'vitest';
import { previewToJson } from '../../../../src/cli/preview/json.js';
import { previewToTable } from '../../../../src/cli/preview/table.js';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { buildPreview } from '../../../../src/services/preview/build.js';

// Sat 7 – Mon 9 Mar 2026; New York springs forward on Sunday 8 Mar, the Sydney member is prompted on their Monday
const YAML = `
program: { name: Launch, timezone: America/New_York, pm: U0PM, channel: C0LAUNCH }
calendar: { workdays: [mon, tue, wed, thu, fri, sun] }
workstreams:
  ops:
    name: Ops
    channel: C0OPS
    members: [U0NYC, { id: U0SYD, timezone: Australia/Sydney }]
    standup: { at: "02:30", remind_after: 30m, close_after: 1h }
`;
const config = parseWorkspaceConfig(YAML, 'test.yml');
const preview = buildPreview(config, null, '2026-03-07', 3);
const source = 'Previewing from the config alone (DATABASE_URL is not set): nobody out of office, every gate pending.';

describe('previewToTable', () => {
  const text = previewToTable(preview, 'Launch', source);

  it('starts with the span and where the preview comes from', () => {
    expect(text.split('\n').slice(0, 2)).toEqual(["Preflight preview: Launch, Sat 7 Mar 2026 to Mon 9 Mar 2026 (3 days, times in America/New_York and each recipient's zone)", source]);
  });

  it('groups lines by program-local day, with both times, what, for which check-in, to whom and the DST note', () => {
    expect(text).toContain('Sunday 8 March 2026');
    const line = text.split('\n').find((l) => l.startsWith('03:30') && l.includes('U0NYC') && l.includes('prompt'))!;
    expect(line.split(/\s{2,}/)).toEqual(['03:30', 'Sun 03:30 America/New_York', 'prompt', 'ops · standup (2026-03-08)', 'U0NYC', 'clocks go forward: 02:30 moves to 03:30']);
    const sydney = text.split('\n').find((l) => l.includes('U0SYD') && l.includes('prompt'))!;
    expect(sydney.split(/\s{2,}/).slice(0, 3)).toEqual(['10:30', 'Sun 02:30 Australia/Sydney', 'prompt']);
  });

  it('ends with the skipped days and their reasons; no trailing spaces', () => {
    expect(text).toMatch(/Skipped\nDate {8}For {12}Who {7}Why\n2026-03-07 {2}ops · standup {2}everyone {2}Saturday is not a workday \(calendar.workdays\)/);
    expect(text.split('\n').every((l) => l === l.trimEnd())).toBe(true);
  });

  it('a wall time that happens twice (the hour the clocks go back) carries its offset', () => {
    const fallBack = parseWorkspaceConfig(YAML.replace('"02:30", remind_after: 30m, close_after: 1h', '"01:30", remind_after: 10m, close_after: 30m'), 'test.yml');
    const out = previewToTable(buildPreview(fallBack, null, '2026-11-01', 1, { userId: 'U0NYC' }), 'Launch', source);
    const rows = out
      .split('\n')
      .filter((l) => l.includes('U0NYC'))
      .map((l) =>
        l
          .split(/\s{2,}/)
          .slice(0, 3)
          .join(' | '),
      );
    expect(rows).toEqual([
      '01:30 UTC-4 | Sun 01:30 UTC-4 America/New_York | prompt',
      '01:40 UTC-4 | Sun 01:40 UTC-4 America/New_York | reminder',
      '01:00 UTC-5 | Sun 01:00 UTC-5 America/New_York | close',
    ]);
    expect(out).toContain('clocks go back at 02:00 (to 01:00) since the prompt');
  });
});

describe('previewToJson', () => {
  it('gives each event its UTC instant and its time in the program’s and the recipient’s zone', () => {
    const json = JSON.parse(previewToJson(preview, source));
    expect(json.source).toBe(source);
    const e = json.events.find((x: { to: string; kind: string; localDate: string }) => x.to === 'U0NYC' && x.kind === 'checkin_prompt' && x.localDate === '2026-03-08');
    expect(e).toMatchObject({
      at: '2026-03-08T07:30:00.000Z',
      programTime: '2026-03-08T03:30:00.000-04:00',
      localTime: '2026-03-08T03:30:00.000-04:00',
      zone: 'America/New_York',
      dst: 'clocks go forward: 02:30 moves to 03:30',
    });
    expect(json.skipped).toEqual([{ localDate: '2026-03-07', workstreamId: 'ops', checkinId: 'standup', userId: null, reason: 'weekend', detail: 'Saturday is not a workday (calendar.workdays)' }]);
  });
});
