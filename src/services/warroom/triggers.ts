import { and, eq, lte, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { blockers, outboundMessages, warRooms } from '../../db/schema/index.js';
import type { Verdict, VerdictInput } from '../../domain/gonogo/verdict.js';
import type { Program } from '../../domain/program/program.js';
import { p0OpenFor, triggerEnabled, type WarRoomTrigger } from '../../domain/warroom/room.js';
import type { Deps } from '../deps.js';
import { downstreamOf } from '../workstreams/start-gates.js';

/*
 * What opens the war room (issue 23), hooked where verdicts, gates and blockers change with the least coupling:
 * each hook only asks for a wake-up (`openWarRooms`, `checkP0WarRooms`); the job does the Slack work
 * (services/warroom/rooms.ts openWarRoom), so a slash command acks at once and a retry repeats nothing.
 */

/** A trigger key usable in a BullMQ job id (which forbids ':'). */
const keyPart = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/** The payload of an `open-war-room` job: a {@link WarRoomTrigger}. */
export const warRoomTriggerSchema: z.ZodType<WarRoomTrigger> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('no_go'), key: z.string(), reasons: z.array(z.string()), workstreams: z.array(z.string()), postKey: z.string().nullable() }),
  z.object({
    kind: z.literal('gate_failed'),
    key: z.string(),
    gateId: z.string(),
    gateName: z.string(),
    actor: z.string().nullable(),
    note: z.string().nullable(),
    workstreams: z.array(z.string()),
  }),
  z.object({ kind: z.literal('p0_open'), key: z.string(), blockerId: z.number().int(), text: z.string(), workstreamId: z.string(), owner: z.string().nullable(), openForMs: z.number() }),
]);

/** Whether `program.war_room.when` names this kind of trigger. */
const enabled = (config: Program, kind: WarRoomTrigger['kind']) => Boolean(config.program.war_room && triggerEnabled(config.program.war_room.when, { kind }));

/**
 * A `/gonogo` (or the scheduled) summary queued under outbound key `postKey` said NO-GO: asks for the war room, with
 * the verdict's reasons and the workstreams holding it back (those with open launch-blocking blockers, downstream of
 * a failed mandatory gate, else those whose checklist is not done). Nothing for any other verdict, or when
 * `when` has no `no_go`.
 */
export async function noGoVerdict(deps: Deps, postKey: string, input: VerdictInput, v: Verdict): Promise<void> {
  if (v.decision !== 'NO-GO' || !enabled(deps.config, 'no_go')) return;
  const failed = input.gates.filter((g) => g.mandatory && g.status === 'failed').flatMap((g) => downstreamOf(deps.config, g.id));
  let workstreams = [...new Set([...input.blockingBlockers.map((b) => b.workstreamId), ...failed])];
  if (!workstreams.length) workstreams = input.workstreams.filter((w) => w.checklistDone < w.checklistTotal).map((w) => w.id);
  const trigger: WarRoomTrigger = { kind: 'no_go', key: `no_go-${keyPart(postKey)}`, reasons: v.reasons, workstreams, postKey };
  await deps.wakeups.openWarRooms([{ trigger }]);
}

/** Gate `gateId` failed at `at` (by `actor`, with `note`): asks for the war room when `when` has `gate_failed`. */
export async function gateFailed(deps: Deps, gateId: string, actor: string, note: string | null, at: Date): Promise<void> {
  const gate = deps.config.gates.find((g) => g.id === gateId);
  if (!gate || !enabled(deps.config, 'gate_failed')) return;
  const trigger: WarRoomTrigger = {
    kind: 'gate_failed',
    key: `gate_failed-${keyPart(gateId)}-${at.getTime()}`,
    gateId,
    gateName: gate.name,
    actor,
    note,
    workstreams: downstreamOf(deps.config, gateId),
  };
  await deps.wakeups.openWarRooms([{ trigger }]);
}

/**
 * The delayed check a new P0 blocker asks for (`p0_open_for` after it was raised), or null when the blocker is not
 * a P0 or `when` has no `p0_open_for`. Called by services/blockers/raise.ts.
 */
export function p0Check(config: Program, row: { id: number; severity: string; raisedAt: Date }, now: Date): { blockerId: number; dueAt: Date; now: Date } | null {
  const after = config.program.war_room ? p0OpenFor(config.program.war_room.when) : null;
  if (after === null || row.severity !== 'P0') return null;
  return { blockerId: row.id, dueAt: new Date(row.raisedAt.getTime() + after), now };
}

/**
 * The P0 check fires: when blocker `blockerId` is still a P0 and not resolved (acknowledged still counts as open),
 * asks for the war room. @returns whether it asked.
 */
export async function checkP0(deps: Deps, blockerId: number): Promise<boolean> {
  const after = deps.config.program.war_room ? p0OpenFor(deps.config.program.war_room.when) : null;
  if (after === null) return false;
  const [b] = await deps.db.select().from(blockers).where(eq(blockers.id, blockerId));
  if (!b || b.status === 'resolved' || b.severity !== 'P0') return false;
  const openForMs = deps.clock.now().toMillis() - b.raisedAt.getTime();
  if (openForMs < after) return false;
  const trigger: WarRoomTrigger = { kind: 'p0_open', key: `p0-${b.id}`, blockerId: b.id, text: b.text, workstreamId: b.workstreamId, owner: b.owner, openForMs };
  await deps.wakeups.openWarRooms([{ trigger }]);
  return true;
}

/**
 * The P0 checks still due according to Postgres (the registry's `recover` of `checkP0WarRooms`, run by the due-work
 * sweep): P0 blockers not resolved, raised `p0_open_for` ago or more, that have neither a why-post in a room
 * (outbound key `war-room-why:p0-<id>`) nor a room they opened (a refused one included, so a refusal is not retried
 * every sweep). A lost delayed job (Redis flushed) therefore delays the room by one sweep.
 * @returns at most `limit` checks, due now.
 */
export async function p0ChecksDue(deps: Pick<Deps, 'db' | 'config' | 'clock'>, limit = 1_000): Promise<{ blockerId: number; dueAt: Date; now: Date }[]> {
  const after = deps.config.program.war_room ? p0OpenFor(deps.config.program.war_room.when) : null;
  if (after === null) return [];
  const now = deps.clock.now().toJSDate();
  const rows = await deps.db
    .select({ id: blockers.id })
    .from(blockers)
    .where(
      and(
        ne(blockers.status, 'resolved'),
        eq(blockers.severity, 'P0'),
        lte(blockers.raisedAt, new Date(now.getTime() - after)),
        sql`NOT EXISTS (SELECT 1 FROM ${outboundMessages} WHERE ${outboundMessages.key} = 'war-room-why:p0-' || ${blockers.id})`,
        sql`NOT EXISTS (SELECT 1 FROM ${warRooms} WHERE ${warRooms.openedBy}->>'key' = 'p0-' || ${blockers.id})`,
      ),
    )
    .orderBy(blockers.id)
    .limit(limit);
  return rows.map((r) => ({ blockerId: r.id, dueAt: now, now }));
}
