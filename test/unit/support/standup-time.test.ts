import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { decideRun, latestOpenedOccurrence, type StandupPlan } from '../../../src/domain/checkins/schedule.js';
import { standupTimeAwayFromNow } from '../../support/standup-time.js';

// The helper the real-clock tests rely on to never meet a scheduled run, checked with the scheduler's own rules
// at any instant, in zones with and without DST (members in the workstream's zone, as in those tests).
const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'];
const TEST_MINUTES = 30;

describe('standupTimeAwayFromNow', () => {
  it('no scheduled run opens, or is recorded as missed, during the half hour after now, any instant, any zone', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.constantFrom(...ZONES),
        fc.integer({ min: 1, max: 8 * 60 }),
        (date, zone, closeAfterMin) => {
          const now = DateTime.fromJSDate(date, { zone: 'utc' });
          const plan: StandupPlan = {
            workstreamId: 'ws1',
            checkinId: 'standup',
            zone,
            at: standupTimeAwayFromNow(zone, now),
            remindAfterMs: Math.floor((closeAfterMin * 60_000) / 2),
            closeAfterMs: closeAfterMin * 60_000,
            workdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
            holidays: [],
            members: [{ userId: 'U1', zone }],
          };
          for (let m = 0; m <= TEST_MINUTES; m += 5) {
            const t = now.plus({ minutes: m });
            const occ = latestOpenedOccurrence(plan, t);
            if (occ) expect(decideRun(occ, t, false, now), `${zone} at ${plan.at}, now ${now.toISO()}, +${m} min`).toBe('nothing');
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('names a wall-clock time 12 hours ahead', () => {
    expect(standupTimeAwayFromNow('UTC', DateTime.fromISO('2026-11-30T11:20:00Z'))).toBe('23:20');
    // 01:58 EST on the spring-forward day: 12 hours later it is 14:58 EDT
    expect(standupTimeAwayFromNow('America/New_York', DateTime.fromISO('2026-03-08T06:58:00Z'))).toBe('14:58');
  });
});
