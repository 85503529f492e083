/*
 * A rotation as declared under `program.oncall.<id>` (issue 22, "Rotations as ladder targets"): exactly one source.
 * Parsed and validated by src/config/schema/oncall.ts (durations in ms, people as user IDs or emails).
 */

/** `program.oncall.<id>`: one of `ics_url`, `pagerduty`, `opsgenie` or `members` (+ `handoff`, `shift`, `zone`). */
export interface RotationDeclaration {
  /** What people call it ("Omega"); defaults to the id. */
  name?: string | undefined;
  /** An iCalendar feed (PagerDuty, Opsgenie, Google Calendar and Grafana export one). */
  ics_url?: string | undefined;
  /** The environment variable holding a bearer token for `ics_url`, when the feed needs one. */
  token_env?: string | undefined;
  /** PagerDuty schedule id (REST API v2 `/oncalls`, token in `PAGERDUTY_TOKEN`). */
  pagerduty?: { schedule: string } | undefined;
  /** Opsgenie schedule id (`/v2/schedules/{id}/on-calls`, key in `OPSGENIE_API_KEY`). */
  opsgenie?: { schedule: string } | undefined;
  /** In-config rotation: the people, in turn (user IDs or emails). */
  members?: string[] | undefined;
  /** In-config rotation: the first hand-off's local weekday and time, "Mon 09:00" (or "09:00": any day). */
  handoff?: string | undefined;
  /** In-config rotation: one shift, ms (`12h`). */
  shift?: number | undefined;
  /** In-config rotation: the IANA zone of `handoff` (default: the program's). */
  zone?: string | undefined;
  /** In-config rotation: the local date of the first hand-off to `members[0]` (default 2024-01-01). */
  start?: string | undefined;
  /** A Slack user group handle kept in sync with who is on call (`omega-oncall`). */
  usergroup?: string | undefined;
}

/** Which source a rotation reads. */
export type RotationSource = 'ics' | 'pagerduty' | 'opsgenie' | 'config';

/** The source a declared rotation reads (the schema guarantees exactly one). */
export function sourceOf(r: RotationDeclaration): RotationSource {
  return r.ics_url ? 'ics' : r.pagerduty ? 'pagerduty' : r.opsgenie ? 'opsgenie' : 'config';
}

/** How the timeline names a source: "per PagerDuty". */
export const SOURCE_LABEL: Record<RotationSource, string> = { ics: 'the calendar feed', pagerduty: 'PagerDuty', opsgenie: 'Opsgenie', config: 'the rotation in preflight.yml' };

/** A ladder target naming a rotation: `oncall:<id>`. */
export const ONCALL_PREFIX = 'oncall:';

/** The rotation id of a ladder target (`oncall:omega` → `omega`), or null when it names no rotation. */
export function rotationIdOf(target: string): string | null {
  return target.startsWith(ONCALL_PREFIX) ? target.slice(ONCALL_PREFIX.length) : null;
}
