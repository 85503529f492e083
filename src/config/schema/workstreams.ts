import { DateTime } from 'luxon';
import { z } from 'zod';
import type { ProgramDeclaration } from '../../domain/program/declaration.js';
import { workstreamZone } from '../../domain/program/zones.js';
import { activeSpanProblem } from '../../domain/workstreams/activity.js';
import { checkinSchema, standupOverridesSchema } from './checkins.js';
import { channelIdSchema, teamIdSchema, localDateOrDateTimeSchema, slugSchema, userIdSchema, zoneSchema } from './fields.js';
import { taskSchema } from './tasks.js';
import { tasksFromSchema } from './tasks-from.js';

/*
 * Workstreams: their people, channels and zone, their check-ins and tasks, when they are active; and the rules
 * across them (nobody listed twice, `starts_when` names a gate, a well-formed `active` span).
 */

/** A member: a user ID, or `{ id, timezone }` for someone in a zone of their own. */
export const memberSchema = z.union([userIdSchema, z.strictObject({ id: userIdSchema, timezone: zoneSchema.optional() })]);

export const workstreamSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  channel: channelIdSchema,
  blockers_channel: channelIdSchema.optional(),
  /**
   * Enterprise Grid (issue 24): the workspace (`T…`) of `channel` and `blockers_channel` when it is not the
   * program's (people are org-wide, so members may come from any workspace of the org). Absent: the program's.
   */
  team: teamIdSchema.optional(),
  /**
   * Slack Connect (issue 24): the workspaces (`T…`) of outside organizations this channel is shared with. Their
   * people whom preflight.yml lists are served like anyone else; their others are refused with a clear answer.
   */
  slack_connect: z.array(teamIdSchema).min(1, 'list at least one workspace ID, or leave slack_connect out').optional(),
  timezone: zoneSchema.optional(),
  leads: z.array(userIdSchema).default([]),
  members: z.array(memberSchema).default([]),
  /** Absent: the workstream holds the `standup` check-in only (program defaults). */
  standup: standupOverridesSchema.optional(),
  checkins: z.array(checkinSchema).optional(),
  checklist: z.array(z.string().trim().min(1).max(200)).default([]),
  tasks: z.array(taskSchema).default([]),
  /** Tracker sources whose issues become tasks of this workstream (issue 21): Jira, Linear or GitHub. */
  tasks_from: tasksFromSchema.optional(),
  /**
   * When the workstream holds check-ins: from `from` (a date: its start; a date-time: that instant) until `until`
   * (a date: inclusive, to its end; a date-time: exclusive), local to the workstream's zone (domain/workstreams/activity.ts).
   */
  active: z.strictObject({ from: localDateOrDateTimeSchema.optional(), until: localDateOrDateTimeSchema.optional() }).optional(),
  /** The workstream waits, without check-ins, until this gate has passed (seed 000: "Team Sigma: WAITING FOR OMEGA GATE"). */
  starts_when: z.strictObject({ gate: slugSchema }).optional(),
});

/** `workstreams:`, by id (at least one). */
export const workstreamsSchema = z.record(slugSchema, workstreamSchema).refine((w) => Object.keys(w).length > 0, 'declare at least one workstream');

/** The parts of the parsed config the workstream rules read. */
type WorkstreamsInConfig = ProgramDeclaration & {
  workstreams: Record<string, { active?: { from?: string | undefined; until?: string | undefined } | undefined; starts_when?: { gate: string } | undefined }>;
  gates: { id: string }[];
};

/** Workstream rules, each reported at its key path: nobody listed twice as a member, `starts_when` names a gate, `active` spans forward. */
export function checkWorkstreams(cfg: WorkstreamsInConfig, ctx: z.RefinementCtx): void {
  for (const [wsId, ws] of Object.entries(cfg.workstreams)) {
    const seen = new Set<string>();
    ws.members.forEach((m, i) => {
      const id = typeof m === 'string' ? m : m.id;
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['workstreams', wsId, 'members', i], message: `${id} is listed twice` });
      seen.add(id);
    });
  }
  const gateIds = new Set(cfg.gates.map((g) => g.id));
  for (const [wsId, ws] of Object.entries(cfg.workstreams)) {
    const gate = ws.starts_when?.gate;
    if (gate !== undefined && !gateIds.has(gate)) {
      ctx.addIssue({
        code: 'custom',
        path: ['workstreams', wsId, 'starts_when', 'gate'],
        message: `no gate with id "${gate}"${gateIds.size ? ` (gates: ${[...gateIds].join(', ')})` : ' (declare it under gates:)'}`,
      });
    }
    // zod runs this refinement even when a value inside failed its own check: only well-formed spans are compared
    const wellFormed = (v: unknown) => v === undefined || (typeof v === 'string' && DateTime.fromISO(v).isValid);
    if (ws.active && wellFormed(ws.active.from) && wellFormed(ws.active.until)) {
      const problem = activeSpanProblem({ zone: workstreamZone(cfg, wsId), from: ws.active.from, until: ws.active.until });
      if (problem) ctx.addIssue({ code: 'custom', path: ['workstreams', wsId, 'active', 'from'], message: problem });
    }
  }
}
