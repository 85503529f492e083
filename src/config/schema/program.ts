import { z } from 'zod';
import { BOARD_SECTIONS } from '../../domain/board/board.js';
import { WEEKDAYS } from '../../domain/checkins/days.js';
import { DEFAULT_WAR_ROOM_NAME } from '../../domain/warroom/room.js';
import { durationSchema } from '../duration.js';
import { checkinSchema } from './checkins.js';
import { oncallSchema } from './oncall.js';
import { channelIdSchema, teamIdSchema, isoDateSchema, localDateTimeSchema, localTimeSchema, slugSchema, userIdSchema, zoneSchema } from './fields.js';

/*
 * The program itself: its name, zone, PM, execs, channel, groups, program check-ins and digest; its calendar
 * (workdays, holidays) and the scheduler's pace.
 */

/** One entry of `program.delegates`: `delegate` covers `person` on every ladder while `person` is away. */
export const delegateSchema = z.strictObject({ person: userIdSchema, delegate: userIdSchema });

const WAR_ROOM_WHEN_ERROR = 'expected no_go, gate_failed or p0_open_for: <duration> (e.g. "p0_open_for: 30m")';

/** One entry of `program.war_room.when` (issue 23): `no_go`, `gate_failed`, or `{ p0_open_for: <duration> }` (ms). */
export const warRoomWhenSchema = z.union([z.enum(['no_go', 'gate_failed']), z.strictObject({ p0_open_for: durationSchema })], { error: WAR_ROOM_WHEN_ERROR });

/**
 * `program.war_room` (issue 23): the channel Preflight opens when things go wrong (services/warroom). `when` lists
 * what opens it; `name` is the channel name template (`{program}`: the program's name); `private` makes it private.
 */
export const warRoomSchema = z.strictObject({
  when: z
    .array(warRoomWhenSchema)
    .min(1, 'name at least one trigger: no_go, gate_failed or p0_open_for: <duration>')
    .refine((w) => w.filter((x) => typeof x === 'object').length <= 1, 'give p0_open_for once'),
  name: z
    .string()
    .trim()
    .min(1)
    .default(DEFAULT_WAR_ROOM_NAME)
    .refine((n) => /[a-z0-9]/i.test(n.replaceAll('{program}', 'x')), 'the name needs letters or digits (Slack channel names: lowercase letters, digits, - and _)'),
  private: z.boolean().default(false),
});

/** `program:`: the launch this file plans. */
export const programSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  timezone: zoneSchema,
  go_live: localDateTimeSchema.optional(),
  /**
   * When the launch is over (program-local date-time): the due-work sweep drafts the retrospective once after it
   * (issue 23, services/retro/publish.ts). Absent: only `/preflight retro` drafts it.
   */
  end: localDateTimeSchema.optional(),
  pm: userIdSchema,
  execs: z.array(userIdSchema).default([]),
  channel: channelIdSchema,
  /**
   * Enterprise Grid (issue 24): the workspace (`T…`) of `channel`, passed as `team_id` where Slack requires one of
   * an org-wide app (the war room). Absent: the workspace the bot token is installed in.
   */
  team: teamIdSchema.optional(),
  /**
   * Slack Connect (issue 24): the workspaces (`T…`) of outside organizations this channel is shared with. Their
   * people whom preflight.yml lists are served like anyone else; their others are refused with a clear answer.
   */
  slack_connect: z.array(teamIdSchema).min(1, 'list at least one workspace ID, or leave slack_connect out').optional(),
  /** Named lists of people a check-in's `participants` may name (e.g. `critical_path: [U…]`). */
  groups: z.record(slugSchema, z.array(userIdSchema).min(1, 'a group needs at least one user ID')).default({}),
  /** Program check-ins: one run and ONE report in `program.channel`, a section per workstream. */
  checkins: z.array(checkinSchema).default([]),
  /**
   * The daily digest in `program.channel` at `at` (program-local) on each workday of the calendar that is not
   * a holiday (services/digest). Absent: no digest (`/preflight stats` still answers).
   */
  digest: z.strictObject({ at: localTimeSchema }).optional(),
  /** On-call rotations ladder levels may notify as `oncall:<id>` (config/schema/oncall.ts, issue 22). */
  oncall: oncallSchema,
  /**
   * Who covers whom on every ladder while they are away (issue 22): `[{ person, delegate }]`, each a user ID or
   * email. `/standup ooo … delegate:@ben` wins over this for the span it sets. Checked in ./people.ts.
   */
  delegates: z.array(delegateSchema).default([]),
  /**
   * Slack status emoji that mean "away" (issue 22), e.g. `[":palm_tree:", ":face_with_thermometer:"]`, read with
   * `users.profile.get` (scope `users.profile:read`). Empty (the default): only `/standup ooo` counts.
   */
  away_statuses: z.array(z.string().regex(/^:[a-z0-9_+'-]+:$/, 'expected a Slack emoji code such as ":palm_tree:"')).default([]),
  /** The war room (issue 23): absent, Preflight never opens one. */
  war_room: warRoomSchema.optional(),
  /**
   * The live status board in `channel` (issue 23, services/board): `include` picks its sections, in the board's
   * order whatever the list's (`workstreams`, `gates`, `verdict`). Absent: every section.
   */
  board: z
    .strictObject({
      include: z
        .array(z.enum(BOARD_SECTIONS, { error: `expected one of ${BOARD_SECTIONS.join(', ')}` }))
        .min(1, 'list at least one section (leave `board` out for all of them)')
        .refine((xs) => new Set(xs).size === xs.length, 'a section is listed twice'),
    })
    .optional(),
});

/** `calendar:`: the workdays and holidays of every check-in that gives no `days:`. */
export const calendarSchema = z
  .strictObject({
    workdays: z
      .array(z.enum(WEEKDAYS, { error: `expected one of ${WEEKDAYS.join(', ')}` }))
      .min(1)
      .default(['mon', 'tue', 'wed', 'thu', 'fri']),
    holidays: z.array(isoDateSchema).default([]),
  })
  .default({ workdays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: [] });

/** `scheduler:`: how often it wakes up, and when a send interrupted by a crash is retried. */
export const schedulerSchema = z
  .strictObject({
    /** How often the scheduler wakes up to open, remind and close runs (and sweep anything overdue). */
    tick: durationSchema.default(5_000).refine((v) => v <= 60_000, 'the scheduler must tick every minute or less (prompts are correct to the minute)'),
    /**
     * A message reserved by a process that died mid-call is retried after this long; the retry first looks
     * for it in Slack by its message metadata (services/delivery), so it is not posted twice.
     */
    reclaim_after: durationSchema.default(120_000).refine((v) => v >= 15_000, 'must be at least 15s: a Slack call may take up to 10 s, and reclaiming sooner would send it twice'),
  })
  .default({ tick: 5_000, reclaim_after: 120_000 });
