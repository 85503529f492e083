import { z } from 'zod';
import { rotationIdOf } from '../../domain/oncall/declaration.js';
import { durationSchema } from '../duration.js';
import { isoDateSchema, slugSchema, userIdSchema, zoneSchema } from './fields.js';

/*
 * On-call rotations (`program.oncall.<id>`, issue 22): each reads exactly one source (an iCalendar feed, a
 * PagerDuty or Opsgenie schedule, or members written here), and ladder levels name them as `notify: oncall:<id>`.
 */

/** "Mon 09:00" or "09:00": the local weekday (optional) and 24-hour time of a hand-off. */
export const HANDOFF = /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun) )?([01]\d|2[0-3]):([0-5]\d)$/;

const scheduleId = z.string().trim().min(1, 'expected the schedule id').max(100);

/** One `program.oncall.<id>`. */
export const rotationSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(80).optional(),
    ics_url: z.url({ protocol: /^https?$/, error: 'expected the http(s) URL of an iCalendar feed' }).optional(),
    token_env: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'expected the name of an environment variable such as OMEGA_ICS_TOKEN')
      .optional(),
    pagerduty: z.strictObject({ schedule: scheduleId }).optional(),
    opsgenie: z.strictObject({ schedule: scheduleId }).optional(),
    members: z.array(userIdSchema).min(1, 'a rotation needs at least one member').optional(),
    handoff: z.string().regex(HANDOFF, 'expected a hand-off such as "Mon 09:00" or "09:00" (24-hour, local to zone)').optional(),
    shift: durationSchema.optional(),
    zone: zoneSchema.optional(),
    start: isoDateSchema.optional(),
    usergroup: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, 'expected a user group handle such as omega-oncall (no @)')
      .optional(),
  })
  .superRefine((r, ctx) => {
    const sources = (['ics_url', 'pagerduty', 'opsgenie', 'members'] as const).filter((k) => r[k] !== undefined);
    if (sources.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: sources.length === 0 ? 'give the rotation one source: ics_url, pagerduty, opsgenie or members' : `give the rotation one source only (found ${sources.join(' and ')})`,
      });
    }
    if (r.token_env && !r.ics_url) ctx.addIssue({ code: 'custom', path: ['token_env'], message: 'token_env goes with ics_url' });
    const inConfig = ['handoff', 'shift', 'zone', 'start'] as const;
    if (r.members) {
      if (!r.handoff) ctx.addIssue({ code: 'custom', path: ['handoff'], message: 'required with members: when the shift changes hands, e.g. "Mon 09:00"' });
      if (!r.shift) ctx.addIssue({ code: 'custom', path: ['shift'], message: 'required with members: how long one shift lasts, e.g. 12h' });
    } else {
      for (const k of inConfig) if (r[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: `${k} goes with members (a rotation written in preflight.yml)` });
    }
  });

/** `program.oncall:` rotations by id. */
export const oncallSchema = z.record(slugSchema, rotationSchema).default({});

/** The ladder levels of a parsed config that may name a rotation, with their key paths. */
function ladderTargets(cfg: LadderHolder): { path: (string | number)[]; notify: string | string[] }[] {
  const out: { path: (string | number)[]; notify: string | string[] }[] = [];
  for (const [sev, levels] of Object.entries(cfg.escalation.ladders)) levels?.forEach((l, i) => out.push({ path: ['escalation', 'ladders', sev, i, 'notify'], notify: l.notify }));
  cfg.tasks.escalation?.forEach((l, i) => out.push({ path: ['tasks', 'escalation', i, 'notify'], notify: l.notify }));
  return out;
}

interface LadderHolder {
  program: { oncall: Record<string, unknown> };
  escalation: { ladders: Partial<Record<string, { notify: string | string[] }[]>> };
  tasks: { escalation?: { notify: string | string[] }[] | undefined };
}

/** Every `notify: oncall:<id>` names a rotation of `program.oncall` (reported at the level's key path). */
export function checkOncallTargets(cfg: LadderHolder, ctx: z.RefinementCtx): void {
  const known = Object.keys(cfg.program.oncall);
  for (const { path, notify } of ladderTargets(cfg)) {
    const items = typeof notify === 'string' ? [notify] : notify;
    items.forEach((t, i) => {
      const id = rotationIdOf(t);
      if (id === null || id in cfg.program.oncall) return;
      ctx.addIssue({
        code: 'custom',
        path: typeof notify === 'string' ? path : [...path, i],
        message: `no rotation "${id}" under program.oncall${known.length ? ` (known: ${known.join(', ')})` : ': declare it there first'}`,
      });
    });
  }
}
