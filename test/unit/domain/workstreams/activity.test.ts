import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { activeSpanProblem, activityAt, boundaryInstant, isWorkstreamHoldingCheckins, type ActivityRule } from '../../../../src/domain/workstreams/activity.js';

const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });
const NY = 'America/New_York';

describe('activityAt: active from/until in the workstream zone', () => {
  const rule: ActivityRule = { zone: NY, from: '2026-02-04', until: '2026-02-06' };
  it('a from date starts at local midnight; an until date is inclusive (ends at the next local midnight)', () => {
    expect(activityAt(rule, utc('2026-02-04T04:59:59Z'), null)).toMatchObject({ state: 'not_started' });
    expect(activityAt(rule, utc('2026-02-04T05:00:00Z'), null)).toEqual({ state: 'active' });
    expect(activityAt(rule, utc('2026-02-07T04:59:59Z'), null)).toEqual({ state: 'active' });
    const ended = activityAt(rule, utc('2026-02-07T05:00:00Z'), null);
    expect(ended.state).toBe('ended');
    expect(ended.state === 'ended' && ended.until.toISO()).toBe('2026-02-07T05:00:00.000Z');
  });
  it('local date-times are instants: from inclusive, until exclusive', () => {
    const r: ActivityRule = { zone: NY, from: '2026-02-04T14:00', until: '2026-02-05T12:00' };
    expect(activityAt(r, utc('2026-02-04T18:59Z'), null).state).toBe('not_started');
    expect(activityAt(r, utc('2026-02-04T19:00Z'), null).state).toBe('active');
    expect(activityAt(r, utc('2026-02-05T16:59Z'), null).state).toBe('active');
    expect(activityAt(r, utc('2026-02-05T17:00Z'), null).state).toBe('ended');
  });
  it('a from time in the spring-forward gap moves forward by the gap; a repeated time is its first occurrence', () => {
    expect(boundaryInstant('2026-03-08T02:30', NY).toISO()).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
    expect(boundaryInstant('2026-11-01T01:30', NY).toISO()).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT, not EST
    expect(boundaryInstant('2026-03-08', NY, true).toISO()).toBe('2026-03-09T04:00:00.000Z'); // 23 h day
  });
});

describe('activityAt: starts_when a gate', () => {
  const rule: ActivityRule = { zone: 'UTC', startsWhen: { gateId: 'omega', gateName: 'Omega gate' } };
  const at = utc('2026-02-04T10:00Z');
  it('waits while the gate is pending or failed, or passed only later', () => {
    expect(activityAt(rule, at, null)).toEqual({ state: 'waiting', gate: { id: 'omega', name: 'Omega gate' } });
    expect(activityAt(rule, at, { status: 'failed', passedAt: null }).state).toBe('waiting');
    expect(activityAt(rule, at, { status: 'passed', passedAt: at.toMillis() + 1 }).state).toBe('waiting');
  });
  it('is active once the gate has passed', () => {
    expect(activityAt(rule, at, { status: 'passed', passedAt: at.toMillis() })).toEqual({ state: 'active' });
  });
  it('ended wins over waiting; waiting wins over not started', () => {
    expect(activityAt({ ...rule, until: '2026-02-03' }, at, null).state).toBe('ended');
    expect(activityAt({ ...rule, from: '2026-02-10' }, at, null).state).toBe('waiting');
    expect(activityAt({ ...rule, from: '2026-02-10' }, at, { status: 'passed', passedAt: 0 }).state).toBe('not_started');
  });
});

describe('isWorkstreamHoldingCheckins: the scheduler guard', () => {
  const rule: ActivityRule = { zone: 'UTC', startsWhen: { gateId: 'g', gateName: 'G' } };
  const window = { openAt: utc('2026-02-04T09:00Z'), closeAt: utc('2026-02-04T11:00Z') };
  it('a gate passing at 09:05 opens the 09:00 check-in at the next tick', () => {
    const passed = { status: 'passed' as const, passedAt: utc('2026-02-04T09:05Z').toMillis() };
    expect(isWorkstreamHoldingCheckins(rule, window, utc('2026-02-04T09:00Z'), null)).toBe(false);
    expect(isWorkstreamHoldingCheckins(rule, window, utc('2026-02-04T09:05Z'), passed)).toBe(true);
  });
  it('a check-in that closed while the workstream waited is not held (never recorded as missed)', () => {
    const passedAfter = { status: 'passed' as const, passedAt: utc('2026-02-04T12:00Z').toMillis() };
    expect(isWorkstreamHoldingCheckins(rule, window, utc('2026-02-04T13:00Z'), passedAfter)).toBe(false);
    const passedBefore = { status: 'passed' as const, passedAt: utc('2026-02-04T10:00Z').toMillis() };
    expect(isWorkstreamHoldingCheckins(rule, window, utc('2026-02-04T13:00Z'), passedBefore)).toBe(true);
  });
  it('outside active: none before from, none after until', () => {
    const span: ActivityRule = { zone: 'UTC', from: '2026-02-04T10:00', until: '2026-02-05' };
    expect(isWorkstreamHoldingCheckins(span, window, utc('2026-02-04T09:30Z'), null)).toBe(false);
    expect(isWorkstreamHoldingCheckins(span, window, utc('2026-02-04T10:00Z'), null)).toBe(true);
    const next = { openAt: utc('2026-02-06T09:00Z'), closeAt: utc('2026-02-06T11:00Z') };
    expect(isWorkstreamHoldingCheckins(span, next, utc('2026-02-06T09:00Z'), null)).toBe(false);
  });
});

describe('activeSpanProblem', () => {
  it('accepts a one-day span and refuses from after until', () => {
    expect(activeSpanProblem({ zone: 'UTC', from: '2026-02-04', until: '2026-02-04' })).toBeNull();
    expect(activeSpanProblem({ zone: 'UTC', from: '2026-02-05', until: '2026-02-04' })).toMatch(/must come before/);
    expect(activeSpanProblem({ zone: 'UTC', from: '2026-02-04T12:00', until: '2026-02-04T12:00' })).toMatch(/must come before/);
    expect(activeSpanProblem({ zone: 'UTC', from: '2026-02-04' })).toBeNull();
  });
});
