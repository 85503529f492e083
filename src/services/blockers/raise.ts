import { and, eq, sql } from 'drizzle-orm';
import { blockerEvents, blockers, standupAnswers, standupRuns } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import type { BlockerSource } from '../../domain/blockers/blocker.js';
import { blockersOf } from '../../domain/checkins/answers.js';
import { gatesWithdrawnBy } from '../../domain/gonogo/signoff.js';
import { nextStep, type EscalationPolicy, type Severity } from '../../domain/blockers/ladder.js';
import type { Deps } from '../deps.js';
import { workstreamsOf } from '../checkins/participation.js';
import { blockersChannel, policyFor } from './policy.js';
import type { BlockerRow } from './rows.js';
import { p0Check } from '../warroom/triggers.js';
import { boardMoved } from '../board/moved.js';

export interface RaiseInput {
  reporter: string;
  text: string;
  severity?: Severity;
  owner?: string;
  workstreamId?: string;
  /** The channel the command was typed in: a workstream's channel or blockers channel picks that workstream. */
  channelId?: string;
  gateId?: string;
  /** The task the blocker is about (`/task block`, or a task's due-time escalation). */
  taskId?: string;
  source: BlockerSource;
  standupAnswerId?: number;
  /** Internal raisers (gate escalations) bring their own ladder and channel. */
  policy?: EscalationPolicy;
  channel?: string;
  /** When the gate or task a "not done by its due time" escalation is about was due (shown in the reader's zone). */
  dueAt?: Date;
}

export type RaiseResult =
  | { ok: true; blocker: BlockerRow /** With `deferWakeups`: call after acking Slack. */; wake?: () => Promise<void> }
  | { ok: false; reason: 'no-workstream' | 'unknown-gate' | 'duplicate'; message: string };

/**
 * The workstream a blocker belongs to: the one named, else the channel's, else the reporter's (first) one.
 * @returns null when none fits.
 */
export function resolveWorkstream(deps: Pick<Deps, 'config'>, input: Pick<RaiseInput, 'workstreamId' | 'channelId' | 'reporter'>): string | null {
  const { config } = deps;
  if (input.workstreamId && config.workstreams[input.workstreamId]) return input.workstreamId;
  if (input.channelId) {
    const byChannel = Object.entries(config.workstreams).find(([, w]) => w.channel === input.channelId || w.blockers_channel === input.channelId);
    if (byChannel) return byChannel[0];
  }
  const mine = workstreamsOf(config, input.reporter);
  if (mine[0]) return mine[0];
  const led = Object.entries(config.workstreams).find(([, w]) => w.leads.includes(input.reporter));
  return led?.[0] ?? null;
}

/**
 * Raises a blocker: freezes the escalation policy for its severity onto the row, records the `raised` event,
 * and wakes the escalation processor at the first level's due time, the message renderer and the withdrawal
 * of the gate sign-offs it affects (with `deferWakeups`, the caller runs `wake()` after acking; if it never
 * runs, the sweeper re-derives all three: overdue escalations, stale messages, and sign-offs still to withdraw
 * through gonogo/gates.ts withdrawalsDue).
 * A standup answer raises at most one blocker (unique key on the answer id).
 */
export async function raiseBlocker(deps: Deps, input: RaiseInput, opts: { deferWakeups?: boolean } = {}): Promise<RaiseResult> {
  const workstreamId = resolveWorkstream(deps, input);
  if (!workstreamId) {
    return { ok: false, reason: 'no-workstream', message: `Which workstream is blocked? Add \`ws:<id>\` (${Object.keys(deps.config.workstreams).join(', ')}).` };
  }
  if (input.gateId && !deps.config.gates.some((g) => g.id === input.gateId)) {
    return { ok: false, reason: 'unknown-gate', message: `There is no gate \`${input.gateId}\`. Gates: ${deps.config.gates.map((g) => g.id).join(', ') || 'none configured'}.` };
  }
  const severity = input.severity ?? deps.config.escalation.default_severity;
  const policy = input.policy ?? policyFor(deps.config, severity);
  const now = deps.clock.now();
  const draft = {
    workstreamId,
    gateId: input.gateId ?? null,
    taskId: input.taskId ?? null,
    severity,
    text: input.text,
    reporter: input.reporter,
    owner: input.owner ?? null,
    status: 'open' as const,
    policy,
    raisedAt: now.toJSDate(),
    source: input.source,
    standupAnswerId: input.standupAnswerId ?? null,
    channel: input.channel ?? blockersChannel(deps.config, workstreamId),
    dueAt: input.dueAt ?? null,
  };
  const first = nextStep(policy, { raisedAt: now, resolved: false, levelsDone: 0, repeatsDone: 0, lastNotifiedAt: null, snoozedUntil: null, acknowledgedBy: [] });
  const row = await insertRaised(deps.db, { ...draft, nextDueAt: first?.dueAt.toJSDate() ?? null }, { actor: input.reporter, data: { severity, owner: input.owner ?? null, text: input.text } });
  if (!row) return { ok: false, reason: 'duplicate', message: 'This standup answer already raised a blocker.' };
  deps.log.info({ blocker: row.id, severity, workstream: workstreamId, source: input.source }, 'blocker raised');
  // the blocker is committed: what follows must not turn the answer into "try again" (a retry would raise it
  // twice), and a slash command acks before it (Slack's 3 s; bench/RESULTS-blockers.md measured the gain)
  // the wake-ups are independent (each is its own job; a failure to queue one is logged and left to the sweeper)
  const p0Item = p0Check(deps.config, row, now.toJSDate());
  const wake = async () => {
    await Promise.all([
      row.nextDueAt ? deps.wakeups.escalate([{ blockerId: row.id, version: row.version, dueAt: row.nextDueAt, now: now.toJSDate() }]) : undefined,
      deps.wakeups.renderBlockers([{ blockerId: row.id, version: row.messageVersion }]),
      boardMoved(deps),
      // a blocking-severity blocker withdraws the gate sign-offs it affects: a job (gonogo/gates.ts), not a call;
      // a blocker that cannot withdraw any (most of them: not blocking, or no gate it concerns) needs no job
      gatesWithdrawnBy(row, deps.config.gates, deps.config.blockingSeverities).length ? deps.wakeups.withdrawSignOffs([row.id]) : undefined,
      // issue 23: a P0 still open `p0_open_for` after now opens the war room (checked when the delayed job fires)
      p0Item ? deps.wakeups.checkP0WarRooms([p0Item]) : undefined,
    ]);
  };
  if (opts.deferWakeups) return { ok: true, blocker: row, wake };
  await wake();
  return { ok: true, blocker: row };
}

/** The insert of {@link insertRaised}, built once per database (a drizzle prepared query; see there). */
function prepareInsertRaised(db: Db) {
  const p = sql.placeholder;
  // timestamps go in as ISO strings cast in SQL: a placeholder given to a timestamp column is passed through the
  // column's encoder, which cannot take the null of a blocker without a ladder (no next due time)
  const b = db.$with('b').as(
    db
      .insert(blockers)
      .values({
        workstreamId: p('workstreamId'),
        gateId: p('gateId'),
        taskId: p('taskId'),
        severity: p('severity'),
        text: p('text'),
        reporter: p('reporter'),
        owner: p('owner'),
        status: 'open',
        policy: p('policy'),
        raisedAt: sql`${p('raisedAt')}::timestamptz`,
        source: p('source'),
        standupAnswerId: p('standupAnswerId'),
        channel: p('channel'),
        dueAt: sql`${p('dueAt')}::timestamptz`,
        nextDueAt: sql`${p('nextDueAt')}::timestamptz`,
      })
      .onConflictDoNothing()
      .returning(),
  );
  const e = db.$with('e', { id: sql<number>`id` }).as(
    sql`INSERT INTO ${blockerEvents} (blocker_id, kind, actor, at, data)
        SELECT ${b.id}, 'raised', ${p('actor')}, ${p('raisedAt')}::timestamptz, ${p('eventData')}::jsonb FROM ${b} RETURNING id`,
  );
  return db.with(b, e).select().from(b).prepare('preflight_raise_blocker');
}

const insertRaisedQueries = new WeakMap<Db, ReturnType<typeof prepareInsertRaised>>();

/**
 * Inserts a blocker and its `raised` event (not shown in the thread) in one statement: a data-modifying CTE is
 * atomic on its own and costs one round trip instead of BEGIN / INSERT / INSERT / COMMIT, which is most of
 * what `/blocker` waits for before it acks (bench/RESULTS-blockers.md, "lean"). The statement is a prepared
 * query, built once per database and parsed once per Postgres connection: building it with drizzle on every
 * call was a quarter of the ack path's CPU (bench/RESULTS-blockers.md, section 3).
 * @returns the stored row, or null when a unique key (one blocker per standup answer, one per gate's due
 *   time) already holds one: then nothing is written.
 */
async function insertRaised(
  db: Db,
  values: Omit<typeof blockers.$inferInsert, 'status'> & { raisedAt: Date; nextDueAt: Date | null; dueAt: Date | null },
  event: { actor: string; data: Record<string, unknown> },
): Promise<BlockerRow | null> {
  let query = insertRaisedQueries.get(db);
  if (!query) {
    query = prepareInsertRaised(db);
    insertRaisedQueries.set(db, query);
  }
  const [row] = await query.execute({
    workstreamId: values.workstreamId,
    gateId: values.gateId ?? null,
    taskId: values.taskId ?? null,
    severity: values.severity,
    text: values.text,
    reporter: values.reporter,
    owner: values.owner ?? null,
    policy: values.policy,
    raisedAt: values.raisedAt.toISOString(),
    source: values.source,
    standupAnswerId: values.standupAnswerId ?? null,
    channel: values.channel,
    dueAt: values.dueAt?.toISOString() ?? null,
    nextDueAt: values.nextDueAt?.toISOString() ?? null,
    actor: event.actor,
    eventData: JSON.stringify(event.data),
  });
  return row ?? null;
}

/**
 * A complete standup answer whose blockers field is not empty ("none", "-" and the like are empty) raises a
 * blocker linked to that answer, once.
 */
export async function raiseFromStandupAnswer(deps: Deps, db: Db, runId: number, userId: string): Promise<RaiseResult | null> {
  const [row] = await db
    .select({ answer: standupAnswers, run: standupRuns })
    .from(standupAnswers)
    .innerJoin(standupRuns, eq(standupRuns.id, standupAnswers.runId))
    .where(and(eq(standupAnswers.runId, runId), eq(standupAnswers.userId, userId)));
  if (!row || !row.answer.complete) return null;
  const texts = blockersOf(row.run.questions, row.answer.answers);
  if (texts.length === 0) return null;
  const [existing] = await db.select({ id: blockers.id }).from(blockers).where(eq(blockers.standupAnswerId, row.answer.id));
  if (existing) return null;
  return raiseBlocker(deps, { reporter: userId, text: texts.join('\n'), workstreamId: row.run.workstreamId, source: 'standup', standupAnswerId: row.answer.id });
}
