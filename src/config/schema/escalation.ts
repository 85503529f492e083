import { z } from 'zod';
import { SEVERITIES } from '../../domain/program/severities.js';
import { durationSchema } from '../duration.js';
import { localTimeSchema, userIdSchema } from './fields.js';

/*
 * Blocker escalation: the ladders by severity (levels `{ after, notify }`), repeats, snoozes and quiet hours.
 * Severities and the default ladders are the domain's (src/domain/program/severities.ts).
 */

/** A rotation as a ladder target: `oncall:<id>` (the id is checked against `program.oncall` by checkOncallTargets). */
export const oncallTargetSchema = z.string().regex(/^oncall:[a-z0-9][a-z0-9_-]{0,39}$/);
const roleSchema = z.enum(['lead', 'pm', 'exec']);
/**
 * Who a ladder level notifies: a role (`lead`, `pm`, `exec`), a rotation (`oncall:omega`), a person, or a list of
 * any of these (`[lead, oncall:omega]`).
 */
export const notifySchema = z.union([roleSchema, oncallTargetSchema, userIdSchema, z.array(z.union([roleSchema, oncallTargetSchema, userIdSchema])).min(1)], {
  error: 'expected lead, pm, exec, oncall:<rotation id>, a Slack user ID or email, or a list of these',
});
export const ladderLevelSchema = z.strictObject({ after: durationSchema, notify: notifySchema });

/** `escalation:` (every key has a default). */
export const escalationSchema = z
  .strictObject({
    stop_when: z.enum(['resolved', 'acknowledged']).default('resolved'),
    default_severity: z.enum(SEVERITIES).default('P1'),
    ladders: z.partialRecord(z.enum(SEVERITIES), z.array(ladderLevelSchema).min(1)).default({}),
    repeat: z.strictObject({ every: durationSchema, max: z.number().int().min(1).max(100) }).optional(),
    /** Longest snooze offered by the Snooze menu. */
    snooze_max: durationSchema.default(4 * 3_600_000),
    /** Daily quiet window in each recipient's own zone: notices wait for its end (except the listed severities). */
    quiet_hours: z.strictObject({ from: localTimeSchema, to: localTimeSchema, except: z.array(z.enum(SEVERITIES)).default(['P0']) }).optional(),
    /** How often the sweeper re-enqueues overdue escalations (a lost job or a flushed Redis delays a ping by at most this). */
    sweep_every: durationSchema.default(30_000).refine((v) => v <= 60_000, 'the sweeper must run every minute or less'),
  })
  .default({ stop_when: 'resolved', default_severity: 'P1', ladders: {}, snooze_max: 4 * 3_600_000, sweep_every: 30_000 });

/** Each level of a ladder comes after the one before it (`after` counts from when the blocker was raised). */
export function checkLadders(cfg: { escalation: { ladders: Partial<Record<string, { after: number }[]>> } }, ctx: z.RefinementCtx): void {
  for (const [sev, levels] of Object.entries(cfg.escalation.ladders)) {
    levels?.forEach((l, i) => {
      if (i > 0 && l.after <= levels[i - 1]!.after) {
        ctx.addIssue({ code: 'custom', path: ['escalation', 'ladders', sev, i, 'after'], message: 'each level must come after the one before it (after counts from when the blocker was raised)' });
      }
    });
  }
}
