import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

/*
 * The field types of `preflight.yml` shared by its parts: people, channels, zones, local times and dates, ids.
 */

const USER_REF_HINT = 'expected a Slack user ID such as U012AB3CD or an email address such as ana@example.com';
/** A Slack user ID as Slack writes them: `U…` (or `W…` on Enterprise Grid). */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
/**
 * A person, wherever `preflight.yml` asks for one: a Slack user ID (`U012AB3CD`) or the email address of their
 * Slack account (`ana@example.com`). Emails are resolved to user IDs at start-up (users.lookupByEmail, cached in
 * Postgres: src/services/people/resolve-emails.ts), found by walking the config along this very schema object
 * (src/config/user-refs.ts). So a new key that takes a person must use `userIdSchema` itself (wrapped in
 * `.optional()`, `.default()`, arrays, records or unions as needed), not a copy or a refinement of it.
 */
export const userIdSchema = z.union([z.string().regex(SLACK_USER_ID), z.email({ pattern: z.regexes.html5Email })], {
  error: (iss) => (iss.input === undefined ? 'required: a Slack user ID such as U012AB3CD or an email address' : USER_REF_HINT),
});
/** The same schema under the name that says what it holds. */
export const userRefSchema = userIdSchema;
/** A Slack workspace ID (`T…`): where a channel lives in an Enterprise Grid org (issue 24). */
export const teamIdSchema = z
  .string({ error: 'expected a Slack workspace ID such as T012AB3CD' })
  .regex(/^T[A-Z0-9]{2,}$/, "expected a Slack workspace ID such as T012AB3CD (Slack: workspace settings, or the T… in the workspace's URL)");
export const channelIdSchema = z.string({ error: 'expected a Slack channel ID such as C012AB3CD' }).regex(/^[CG][A-Z0-9]{2,}$/, 'expected a Slack channel ID such as C012AB3CD (not a #name)');
export const zoneSchema = z
  .string({ error: 'expected an IANA time zone such as America/New_York' })
  .refine((z) => IANAZone.create(z).isValid, 'unknown IANA time zone (use a name such as America/New_York)');
export const localTimeSchema = z
  .string({ error: 'expected a 24-hour local time such as "10:00" (quote it in YAML)' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour local time such as "10:00"');
export const isoDateSchema = z
  .string({ error: 'expected a date such as 2026-02-05' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as 2026-02-05')
  .refine((d) => DateTime.fromISO(d).isValid, 'not a real calendar date');
export const localDateTimeSchema = z
  .string({ error: 'expected a local date and time such as 2026-02-04T14:00' })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'expected a local date and time such as 2026-02-04T14:00')
  .refine((d) => DateTime.fromISO(d).isValid, 'not a real date and time');
/** A local date (`2026-02-04`) or local date-time (`2026-02-04T14:00`), in the zone of whoever declares it. */
export const localDateOrDateTimeSchema = z
  .string({ error: 'expected a date such as 2026-02-04 or a local date and time such as 2026-02-04T14:00' })
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/, 'expected a date such as 2026-02-04 or a local date and time such as 2026-02-04T14:00')
  .refine((d) => DateTime.fromISO(d).isValid, 'not a real date (or date and time)');
export const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'expected a short id of lowercase letters, digits, - and _ (max 40)');

/** Indexes of the ids that repeat an earlier one (to report each repeat at its own key path). */
export function duplicateIds(ids: string[]): number[] {
  const seen = new Set<string>();
  const dup: number[] = [];
  ids.forEach((id, i) => (seen.has(id) ? dup.push(i) : seen.add(id)));
  return dup;
}
