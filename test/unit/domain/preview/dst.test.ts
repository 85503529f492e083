import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { dstNote, dstNoteBetween, offsetChangeOn } from '../../../../src/domain/preview/dst.js';
import { localTimeOn } from '../../../../src/domain/checkins/schedule.js';

const note = (date: string, zone: string, at: string) => dstNote(date, zone, at, localTimeOn(date, at, zone));

describe('offsetChangeOn (luxon alone)', () => {
  it.each([
    ['2026-03-08', 'America/New_York', '2026-03-08T07:00:00.000Z', '02:00', '03:00'],
    ['2026-11-01', 'America/New_York', '2026-11-01T06:00:00.000Z', '02:00', '01:00'],
    ['2026-03-29', 'Europe/London', '2026-03-29T01:00:00.000Z', '01:00', '02:00'],
    ['2026-10-04', 'Australia/Sydney', '2026-10-03T16:00:00.000Z', '02:00', '03:00'],
    ['2026-04-05', 'Australia/Lord_Howe', '2026-04-04T15:00:00.000Z', '02:00', '01:30'],
    ['2026-10-04', 'Australia/Lord_Howe', '2026-10-03T15:30:00.000Z', '02:00', '02:30'],
  ])('%s in %s: at %s, clocks %s → %s', (date, zone, at, fromClock, toClock) => {
    const c = offsetChangeOn(date, zone)!;
    expect({ at: c.at.toISO(), fromClock: c.fromClock, toClock: c.toClock }).toEqual({ at, fromClock, toClock });
  });

  it('is null on an ordinary day and in a zone without DST (Kolkata)', () => {
    expect(offsetChangeOn('2026-03-09', 'America/New_York')).toBeNull();
    expect(offsetChangeOn('2026-03-08', 'Asia/Kolkata')).toBeNull();
    expect(offsetChangeOn('2026-03-29', 'Asia/Kolkata')).toBeNull();
  });
});

describe('dstNote', () => {
  it('a time in the spring-forward gap says where it moves (the instant the scheduler uses)', () => {
    expect(note('2026-03-08', 'America/New_York', '02:30')).toBe('clocks go forward: 02:30 moves to 03:30');
    expect(note('2026-03-29', 'Europe/London', '01:30')).toBe('clocks go forward: 01:30 moves to 02:30');
    expect(note('2026-10-04', 'Australia/Lord_Howe', '02:15')).toBe('clocks go forward: 02:15 moves to 02:45');
  });

  it('a time repeated by the fall-back says the first one is used, with its offset', () => {
    expect(note('2026-11-01', 'America/New_York', '01:30')).toBe('clocks go back: 01:30 happens twice; the first one is used (UTC-04:00)');
    expect(note('2026-04-05', 'Australia/Lord_Howe', '01:45')).toBe('clocks go back: 01:45 happens twice; the first one is used (UTC+11:00)');
  });

  it('any other line on a change day says the clocks change that day; other days say nothing', () => {
    expect(note('2026-03-08', 'America/New_York', '10:00')).toBe('clocks go forward at 02:00 (to 03:00) today');
    expect(note('2026-04-05', 'Australia/Sydney', '10:00')).toBe('clocks go back at 03:00 (to 02:00) today');
    expect(dstNote('2026-03-08', 'America/New_York', null, DateTime.fromISO('2026-03-08T15:30:00Z'))).toBe('clocks go forward at 02:00 (to 03:00) today');
    expect(note('2026-03-09', 'America/New_York', '02:30')).toBeNull();
  });
});

describe('dstNoteBetween', () => {
  it('a line a fixed duration after another says so when the clocks changed in between (its wall time shifts)', () => {
    const prompt = localTimeOn('2026-11-01', '01:30', 'America/New_York'); // 05:30Z, the first 01:30 (EDT)
    expect(dstNoteBetween('America/New_York', prompt, prompt.plus({ minutes: 30 }), 'prompt')).toBe('clocks go back at 02:00 (to 01:00) since the prompt');
    expect(dstNoteBetween('America/New_York', prompt, prompt.plus({ minutes: 10 }), 'prompt')).toBeNull();
    const late = localTimeOn('2026-11-01', '10:00', 'America/New_York');
    expect(dstNoteBetween('America/New_York', late, late.plus({ hours: 2 }), 'prompt')).toBeNull();
  });
});
