import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { afterStep, escalateNowStep, nextStep, quietUntil, recipients, stepOutcome, type EscalationPolicy, type LadderState, type StepOutcome } from '../../../../src/domain/blockers/ladder.js';
import { parseShortId } from '../../../../src/domain/blockers/blocker.js';

const min = 60_000;
const T0 = DateTime.fromISO('2026-02-03T15:00:00Z', { zone: 'utc' });
const at = (m: number) => T0.plus({ minutes: m });
// seed 004: lead triages within 15 min, PM within 30, PM decision within 1 h
const policy: EscalationPolicy = {
  ladder: [
    { afterMs: 15 * min, notify: 'lead' },
    { afterMs: 30 * min, notify: 'pm' },
    { afterMs: 60 * min, notify: 'exec' },
  ],
  stopWhen: 'resolved',
};
const fresh: LadderState = { raisedAt: T0, resolved: false, levelsDone: 0, repeatsDone: 0, lastNotifiedAt: null, snoozedUntil: null, acknowledgedBy: [] };
const roles = { leads: ['ULEAD'], pm: 'UPM', execs: ['UEXEC'] };

/** Runs the ladder with a fake clock that jumps to each due time; returns [minute, level, attempt] notified. */
function run(p: EscalationPolicy, s: LadderState, until: DateTime, events: { at: DateTime; apply: (s: LadderState) => LadderState }[] = []) {
  const sent: [number, number, number][] = [];
  let state = s;
  const pending = [...events].sort((a, b) => a.at.toMillis() - b.at.toMillis());
  for (let guard = 0; guard < 100; guard++) {
    const step = nextStep(p, state);
    const nextEvent = pending[0];
    if (nextEvent && (!step || nextEvent.at <= step.dueAt)) {
      state = nextEvent.apply(state);
      pending.shift();
      continue;
    }
    if (!step || step.dueAt > until) break;
    sent.push([step.dueAt.diff(T0, 'minutes').minutes, step.level, step.attempt]);
    state = afterStep(state, step, step.dueAt);
  }
  return sent;
}

describe('the escalation ladder (pure, fake clock)', () => {
  it('climbs lead → PM → exec at after-times counted from the raise, once per level', () => {
    expect(run(policy, fresh, at(240))).toEqual([
      [15, 0, 0],
      [30, 1, 0],
      [60, 2, 0],
    ]);
  });

  it('resolving stops everything', () => {
    expect(run(policy, fresh, at(240), [{ at: at(20), apply: (s) => ({ ...s, resolved: true }) }])).toEqual([[15, 0, 0]]);
  });

  it('acknowledging does not stop the resolution clock (stop_when: resolved)', () => {
    expect(run(policy, fresh, at(240), [{ at: at(16), apply: (s) => ({ ...s, acknowledgedBy: ['ULEAD'] }) }])).toHaveLength(3);
  });

  it('acknowledging stops the ladder under stop_when: acknowledged', () => {
    expect(run({ ...policy, stopWhen: 'acknowledged' }, fresh, at(240), [{ at: at(16), apply: (s) => ({ ...s, acknowledgedBy: ['ULEAD'] }) }])).toEqual([[15, 0, 0]]);
  });

  it('repeats the last level every `every`, at most `max` times', () => {
    const sent = run({ ...policy, repeat: { everyMs: 30 * min, max: 2 } }, fresh, at(600));
    expect(sent).toEqual([
      [15, 0, 0],
      [30, 1, 0],
      [60, 2, 0],
      [90, 2, 1],
      [120, 2, 2],
    ]);
  });

  it('a snooze defers what falls due during it, then resumes (never drops)', () => {
    const sent = run(policy, fresh, at(240), [{ at: at(10), apply: (s) => ({ ...s, snoozedUntil: at(40) }) }]);
    expect(sent[0]).toEqual([40, 0, 0]);
    // then one level at a time, keeping the ladder's own gaps (15 min lead → PM, 30 min PM → exec)
    expect(sent.slice(1)).toEqual([
      [55, 1, 0],
      [85, 2, 0],
    ]);
  });

  it('after downtime it climbs one level at a time, not straight to the top', () => {
    // the bot was down from minute 5 to minute 120: every level is overdue
    const first = nextStep(policy, fresh)!;
    expect(first).toMatchObject({ level: 0 });
    const s1 = afterStep(fresh, first, at(120));
    const second = nextStep(policy, s1)!;
    expect(second.level).toBe(1);
    expect(second.dueAt.diff(T0, 'minutes').minutes).toBe(135); // 15 min after the late lead notice
    const s2 = afterStep(s1, second, second.dueAt);
    expect(nextStep(policy, s2)!.dueAt.diff(T0, 'minutes').minutes).toBe(165);
  });

  it('"escalate now" notifies the next level at once and keeps the spacing after it', () => {
    const step = escalateNowStep(policy, fresh, at(2))!;
    expect(step).toMatchObject({ level: 0, attempt: 0 });
    const s1 = afterStep(fresh, step, at(2));
    expect(nextStep(policy, s1)!.dueAt.diff(T0, 'minutes').minutes).toBe(30); // PM still at 30 (≥ 2 + 15)
    const done = { ...fresh, levelsDone: 3 };
    expect(escalateNowStep(policy, done, at(90))).toBeNull();
  });

  it('resolves recipients by role, without those who acknowledged; an empty level is skipped', () => {
    expect(recipients('lead', roles, [])).toEqual(['ULEAD']);
    expect(recipients('pm', roles, [])).toEqual(['UPM']);
    expect(recipients(['UX', 'UY', 'UX'], roles, ['UY'])).toEqual(['UX']);
    expect(recipients('lead', roles, ['ULEAD'])).toEqual([]);
    expect(recipients('exec', { ...roles, execs: [] }, [])).toEqual([]);
  });
});

describe('what each step did (notified whom, or skipped and why)', () => {
  const sec = 1_000;
  // issue 8: P0 lead 3s → pm 6s → exec 9s → lead 12s, stop_when resolved; the lead acknowledges after the first ping
  const p0: EscalationPolicy = {
    ladder: [
      { afterMs: 3 * sec, notify: 'lead' },
      { afterMs: 6 * sec, notify: 'pm' },
      { afterMs: 9 * sec, notify: 'exec' },
      { afterMs: 12 * sec, notify: 'lead' },
    ],
    stopWhen: 'resolved',
  };
  it('the lead’s second level is skipped because the lead already acknowledged, not "notified"', () => {
    let state = fresh;
    const outcomes: StepOutcome[] = [];
    for (let step = nextStep(p0, state); step; step = nextStep(p0, state)) {
      outcomes.push(stepOutcome(step, p0.ladder[step.level]!.notify, roles, state.acknowledgedBy));
      state = afterStep(state, step, step.dueAt);
      if (step.level === 0) state = { ...state, acknowledgedBy: ['ULEAD'] };
    }
    expect(outcomes).toEqual([
      { level: 0, attempt: 0, to: ['ULEAD'], skipped: null },
      { level: 1, attempt: 0, to: ['UPM'], skipped: null },
      { level: 2, attempt: 0, to: ['UEXEC'], skipped: null },
      { level: 3, attempt: 0, to: [], skipped: 'acknowledged' },
    ]);
  });
  it('a level whose target names nobody is skipped for that reason; a partly acknowledged level still notifies the rest', () => {
    expect(stepOutcome({ level: 2, attempt: 0 }, 'exec', { ...roles, execs: [] }, [])).toEqual({ level: 2, attempt: 0, to: [], skipped: 'nobody' });
    expect(stepOutcome({ level: 0, attempt: 0 }, 'lead', { ...roles, leads: [] }, ['ULEAD'])).toMatchObject({ skipped: 'nobody' });
    expect(stepOutcome({ level: 0, attempt: 0 }, ['UX', 'UY'], roles, ['UX'])).toEqual({ level: 0, attempt: 0, to: ['UY'], skipped: null });
    expect(stepOutcome({ level: 0, attempt: 2 }, ['UX', 'UY'], roles, ['UY', 'UX'])).toEqual({ level: 0, attempt: 2, to: [], skipped: 'acknowledged' });
  });
});

describe('quiet hours (recipient zone)', () => {
  const quiet = { from: '22:00', to: '07:00' };
  it('defers a notice inside the window to its end, in the recipient’s zone', () => {
    // 03:30 UTC = 22:30 in New York (EST)
    expect(quietUntil(DateTime.fromISO('2026-02-04T03:30:00Z'), 'America/New_York', quiet)?.toISO()).toBe('2026-02-04T12:00:00.000Z');
    // the same instant is 03:30 in London: inside its window too, which ends at 07:00 London time
    expect(quietUntil(DateTime.fromISO('2026-02-04T03:30:00Z'), 'Europe/London', quiet)?.toISO()).toBe('2026-02-04T07:00:00.000Z');
    // 09:00 in Kolkata is outside
    expect(quietUntil(DateTime.fromISO('2026-02-04T03:30:00Z'), 'Asia/Kolkata', quiet)).toBeNull();
  });
  it('handles a window that does not wrap midnight', () => {
    expect(quietUntil(DateTime.fromISO('2026-02-04T13:00:00Z'), 'UTC', { from: '12:00', to: '14:00' })?.toISO()).toBe('2026-02-04T14:00:00.000Z');
    expect(quietUntil(DateTime.fromISO('2026-02-04T14:00:00Z'), 'UTC', { from: '12:00', to: '14:00' })).toBeNull();
  });
});

// who may act on a blocker: test/unit/domain/permissions.test.ts
describe('short ids', () => {
  it('parses short ids', () => {
    expect(parseShortId('B-42')).toBe(42);
    expect(parseShortId('b42')).toBe(42);
    expect(parseShortId('42')).toBe(42);
    expect(parseShortId('X-42')).toBeNull();
  });
});
