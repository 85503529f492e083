import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { previewEvents, type PreviewInput } from '../../../../src/domain/preview/enumerate.js';
import type { Preview } from '../../../../src/domain/preview/events.js';
import { buildPreview, previewInput, previewSpan } from '../../../../src/services/preview/build.js';
import type { LiveState } from '../../../../src/services/preview/live-state.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// Tue 1 – Mon 7 Dec 2026 in New York (UTC−5, no DST change that week); a Madrid member is at UTC+1.
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'America/New_York', execs: ['U0EXEC'], checkins: [{ id: 'leads', at: '09:00', participants: ['all_leads'] }] },
  calendar: { holidays: ['2026-12-03'] },
  escalation: { quiet_hours: { from: '22:00', to: '07:00' } },
  workstreams: [
    aWorkstream({
      id: 'api',
      name: 'API',
      channel: 'C0API',
      members: ['U0ANN', { id: 'U0MAD', timezone: 'Europe/Madrid' }],
      standup: { at: '10:00', remind_after: '30m', close_after: '2h' },
      checkins: [{ id: 'demo', at: '16:00', days: ['mon', 'wed'], participants: ['leads'] }],
    }),
    aWorkstream({ id: 'web', name: 'Web', channel: 'C0WEB', leads: ['U0WLEAD'], members: ['U0BOB'] }),
  ],
  gates: [{ id: 'qa', name: 'QA sign-off', due: '2026-12-02T23:00', sign_off: ['U0QA'], unblocks: ['web'] }],
  gonogo: { at: '2026-12-04T14:00' },
});
const config = parseWorkspaceConfig(YAML, 'test.yml');
const lines = (p: Preview, kinds?: string[]) =>
  p.events
    .filter((e) => !kinds || kinds.includes(e.kind))
    .map((e) => `${e.at.setZone(e.zone).toFormat('ccc HH:mm')} ${e.kind} ${e.to ?? '-'} ${e.workstreamId ?? e.gateId ?? ''}${e.checkinId ? `/${e.checkinId}` : ''}`);
const noLive: LiveState = {
  outOfOffice: [],
  skips: [],
  startedRuns: [],
  gateStatus: new Map(),
  gateSigned: new Map(),
  doneIds: new Set(),
  tasksEscalating: new Set(),
  startGates: new Map(),
  gatesEscalating: new Set(),
  blockers: [],
};

describe('previewEvents: check-ins', () => {
  const preview = buildPreview(config, null, '2026-12-01', 7);

  it('lists each participant’s prompt, reminder and close in their own zone, the same instant for everyone in a zone', () => {
    expect(
      lines(preview, ['checkin_prompt', 'checkin_reminder', 'checkin_close'])
        .filter((l) => l.includes('api/standup'))
        .slice(0, 6),
    ).toEqual([
      'Tue 10:00 checkin_prompt U0MAD api/standup',
      'Tue 10:30 checkin_reminder U0MAD api/standup',
      'Tue 12:00 checkin_close U0MAD api/standup',
      'Tue 10:00 checkin_prompt U0ANN api/standup',
      'Tue 10:30 checkin_reminder U0ANN api/standup',
      'Tue 12:00 checkin_close U0ANN api/standup',
    ]);
    const reminder = preview.events.find((e) => e.kind === 'checkin_reminder')!;
    expect(reminder.condition).toBe('if not answered by then');
  });

  it('a check-in with its own days runs on those only; the program check-in prompts every lead', () => {
    expect(lines(preview, ['checkin_prompt']).filter((l) => l.includes('/demo'))).toEqual(['Wed 16:00 checkin_prompt U0LEAD api/demo', 'Mon 16:00 checkin_prompt U0LEAD api/demo']);
    expect(lines(preview, ['checkin_prompt']).filter((l) => l.startsWith('Tue') && l.includes('_program/leads'))).toEqual([
      'Tue 09:00 checkin_prompt U0LEAD _program/leads',
      'Tue 09:00 checkin_prompt U0WLEAD _program/leads',
    ]);
  });

  it('lists skipped days with the reason: holiday, weekend, not one of the check-in’s days (a Thursday holiday is not a day of a Mon/Wed check-in anyway)', () => {
    const api = preview.skipped.filter((s) => s.workstreamId === 'api').map((s) => `${s.localDate} ${s.checkinId} ${s.reason}`);
    expect(api).toEqual([
      '2026-12-01 demo not_a_checkin_day',
      '2026-12-03 demo not_a_checkin_day',
      '2026-12-03 standup holiday',
      '2026-12-04 demo not_a_checkin_day',
      '2026-12-05 demo weekend',
      '2026-12-05 standup weekend',
      '2026-12-06 demo weekend',
      '2026-12-06 standup weekend',
    ]);
    expect(preview.skipped.find((s) => s.reason === 'weekend')!.detail).toBe('Saturday is not a workday (calendar.workdays)');
  });

  it('live state: out of office and a recorded skip hold back that participant’s events, with the reason', () => {
    const live: LiveState = {
      ...noLive,
      outOfOffice: [{ userId: 'U0ANN', from: '2026-12-01', until: '2026-12-02' }],
      skips: [{ userId: 'U0BOB', workstreamId: 'web', checkinId: 'standup', localDate: '2026-12-04' }],
    };
    const p = buildPreview(config, live, '2026-12-01', 7);
    expect(p.skipped.filter((s) => s.userId).map((s) => `${s.localDate} ${s.userId} ${s.reason}: ${s.detail}`)).toEqual([
      '2026-12-01 U0ANN out_of_office: out of office (/standup ooo)',
      '2026-12-02 U0ANN out_of_office: out of office (/standup ooo)',
      '2026-12-04 U0BOB skipped: skipped (/standup skip)',
    ]);
    expect(lines(p, ['checkin_prompt']).filter((l) => l.includes('U0ANN'))).toEqual(['Fri 10:00 checkin_prompt U0ANN api/standup', 'Mon 10:00 checkin_prompt U0ANN api/standup']);
  });

  it('a check-in started early with /standup start took its date’s slot: the scheduled one is skipped, with who started it', () => {
    const live: LiveState = { ...noLive, startedRuns: [{ workstreamId: 'api', checkinId: 'standup', localDate: '2026-12-01', startedBy: 'U0LEAD' }] };
    const p = buildPreview(config, live, '2026-12-01', 1);
    expect(p.skipped.filter((s) => s.reason === 'started_early')).toEqual([
      { localDate: '2026-12-01', workstreamId: 'api', checkinId: 'standup', userId: null, reason: 'started_early', detail: 'started early by U0LEAD (/standup start)' },
    ]);
    expect(p.events.some((e) => e.checkinId === 'standup' && e.workstreamId === 'api')).toBe(false);
  });

  it('a workstream not holding check-ins skips them whole; in a program check-in only its people are skipped', () => {
    const input: PreviewInput = {
      ...previewInput(config, null),
      // the scheduler's guard (runOpening) leaves Web out until 3 Dec; `activity` gives the reason
      opening: (occ) => {
        const userIds = occ.members.filter((m) => !((m.section?.id ?? occ.workstreamId) === 'web' && occ.localDate < '2026-12-03')).map((m) => m.userId);
        return userIds.length ? { at: occ.openAt, userIds } : null;
      },
      activity: (ws, date) => (ws === 'web' && date < '2026-12-03' ? { state: 'waiting', detail: 'waiting for QA sign-off' } : { state: 'active' }),
    };
    const { from, until } = previewSpan(config, '2026-12-01', 2);
    const p = previewEvents(input, from, until);
    expect(p.skipped.map((s) => `${s.localDate} ${s.workstreamId}/${s.checkinId} ${s.userId ?? 'everyone'} ${s.reason}: ${s.detail}`)).toEqual([
      '2026-12-01 _program/leads U0WLEAD waiting_on_gate: Web: waiting for QA sign-off',
      "2026-12-01 api/demo everyone not_a_checkin_day: not one of the check-in's days (Tuesday)",
      '2026-12-01 web/standup everyone waiting_on_gate: waiting for QA sign-off',
      '2026-12-02 _program/leads U0WLEAD waiting_on_gate: Web: waiting for QA sign-off',
      '2026-12-02 web/standup everyone waiting_on_gate: waiting for QA sign-off',
    ]);
    expect(p.events.some((e) => e.to === 'U0BOB' || e.to === 'U0WLEAD')).toBe(false);
  });
});

describe('previewEvents: gates, go/no-go and blockers', () => {
  it('a gate’s due time, then its ladder (sign-off authority, PM 30 min later), deferred by quiet hours', () => {
    const p = buildPreview(config, null, '2026-12-02', 2);
    expect(lines(p, ['gate_due', 'gate_escalation'])).toEqual([
      'Wed 23:00 gate_due - qa',
      // U0QA's and the PM's zone is the program's: 23:00 and 23:30 are in their quiet hours (22:00–07:00)
      'Thu 07:00 gate_escalation U0PM qa',
      'Thu 07:00 gate_escalation U0QA qa',
    ]);
    expect(p.events.find((e) => e.kind === 'gate_escalation')!.condition).toBe('if still not signed off');
  });

  it('a gate signed off (live state) has no due line and no escalation', () => {
    const p = buildPreview(config, { ...noLive, gateStatus: new Map([['qa', 'passed']]) }, '2026-12-02', 2);
    expect(lines(p, ['gate_due', 'gate_escalation'])).toEqual([]);
  });

  it('go/no-go: an hour before, a reminder to the sign-off authorities of pending gates; then the post in the program channel', () => {
    const p = buildPreview(config, null, '2026-12-04', 1);
    expect(lines(p, ['gonogo_reminder', 'gonogo_post'])).toEqual(['Fri 13:00 gonogo_reminder U0QA ', 'Fri 14:00 gonogo_post C0LAUNCH ']);
    const passed = buildPreview(config, { ...noLive, gateStatus: new Map([['qa', 'passed']]) }, '2026-12-04', 1);
    expect(lines(passed, ['gonogo_reminder', 'gonogo_post'])).toEqual(['Fri 14:00 gonogo_post C0LAUNCH ']);
  });

  it('an open blocker’s next ladder steps (live state): the levels not yet notified, recipients from its roles', () => {
    const raisedAt = DateTime.fromISO('2026-12-01T15:00:00Z');
    const live: LiveState = {
      ...noLive,
      blockers: [
        {
          id: 7,
          severity: 'P0',
          text: 'Staging DB is down',
          workstreamId: 'api',
          policy: {
            stopWhen: 'resolved',
            ladder: [
              { afterMs: 5 * 60_000, notify: 'lead' },
              { afterMs: 15 * 60_000, notify: 'pm' },
              { afterMs: 30 * 60_000, notify: 'exec' },
            ],
          },
          state: { raisedAt, resolved: false, levelsDone: 1, repeatsDone: 0, lastNotifiedAt: raisedAt.plus({ minutes: 5 }), snoozedUntil: null, acknowledgedBy: [] },
          roles: { leads: ['U0LEAD'], pm: 'U0PM', execs: ['U0EXEC'] },
        },
      ],
    };
    const p = buildPreview(config, live, '2026-12-01', 1);
    expect(lines(p, ['blocker_escalation'])).toEqual(['Tue 10:15 blocker_escalation U0PM api', 'Tue 10:30 blocker_escalation U0EXEC api']);
    expect(p.events.find((e) => e.kind === 'blocker_escalation')!.summary).toBe('B-7 (P0) “Staging DB is down”: escalation level 2');
  });
});

describe('previewEvents: filters', () => {
  it('--person: only that person’s DMs and their check-ins', () => {
    const p = buildPreview(config, null, '2026-12-01', 7, { userId: 'U0LEAD' });
    expect(new Set(p.events.map((e) => e.to))).toEqual(new Set(['U0LEAD']));
    expect(new Set(p.events.map((e) => e.checkinId))).toEqual(new Set(['demo', 'leads']));
    expect(new Set(p.skipped.map((s) => s.checkinId))).toEqual(new Set(['demo', 'leads']));
  });

  it('--ws: that workstream’s check-ins and the gates that unblock it; no program-wide lines', () => {
    const web = buildPreview(config, null, '2026-12-01', 7, { workstreamId: 'web' });
    expect(new Set(web.events.map((e) => e.workstreamId ?? e.gateId))).toEqual(new Set(['web', 'qa']));
    const api = buildPreview(config, null, '2026-12-01', 7, { workstreamId: 'api' });
    expect(api.events.some((e) => e.gateId || e.kind.startsWith('gonogo'))).toBe(false);
  });
});
