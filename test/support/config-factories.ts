import { stringify } from 'yaml';

/**
 * Small builders of valid preflight.yml texts for tests, so a test states only what it is about:
 * `aConfig({ workstreams: [aWorkstream({ id: 'omega', members: ['U01', 'U02'] })] })`. Every key of preflight.yml
 * can be given (docs/configuration.md); a key set to `undefined` is left out. The result is YAML text, what
 * `harness()` and `withBot()` take (and src/config parses and validates).
 */

/** Every day of the week, for `calendar.workdays` in a test that does not test the calendar (as standup-time.ts EVERY_DAY). */
export const EVERY_DAY_OF_WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** One workstream: its id (the key under `workstreams:`) and its keys. */
export type WorkstreamSpec = { id: string } & Record<string, unknown>;

/** `program:`, by default `{ name: L, timezone: UTC, pm: U0PM, channel: C0LAUNCH }`. */
export function aProgram(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'L', timezone: 'UTC', pm: 'U0PM', channel: 'C0LAUNCH', ...over };
}

/** A workstream, by default `ws1: { name: W, channel: C0WS1, leads: [U0LEAD], members: [U01] }`. */
export function aWorkstream(over: Partial<WorkstreamSpec> = {}): WorkstreamSpec {
  return { id: 'ws1', name: 'W', channel: 'C0WS1', leads: ['U0LEAD'], members: ['U01'], ...over };
}

/**
 * A whole preflight.yml: `program` merged over {@link aProgram}'s defaults, `workstreams` (default one
 * {@link aWorkstream}) keyed by their ids, and any other top-level section as given (calendar, scheduler, escalation,
 * gates, tasks…).
 */
export function aConfig(over: { program?: Record<string, unknown>; workstreams?: WorkstreamSpec[] } & Record<string, unknown> = {}): string {
  const { program, workstreams = [aWorkstream()], ...sections } = over;
  return stringify({
    program: aProgram(program),
    ...sections,
    workstreams: Object.fromEntries(workstreams.map(({ id, ...keys }) => [id, keys])),
  });
}
