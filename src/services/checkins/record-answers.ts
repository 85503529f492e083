import { countsInReport } from '../../domain/checkins/late-answers.js';
import { and, desc, eq, gt, inArray, isNotNull, lt, not, or, sql } from 'drizzle-orm';
import pTimeout from 'p-timeout';
import { deliveries, standupAnswers, standupPrompts, standupRuns } from '../../db/schema/index.js';
import type { Db } from '../../db/client.js';
import { applyDmReply, isComplete, parseAnswer, type Answers } from '../../domain/checkins/answers.js';
import type { Deps } from '../deps.js';
import { raiseFromStandupAnswer } from '../blockers/raise.js';
import * as transitions from '../delivery/transitions.js';
import { answerReceiptDelivery, PROMPT, promptJoin } from './delivery-kinds.js';
import { boardMoved } from '../board/moved.js';
import type { AnswerReceiptModel } from '../delivery/renderer.js';
import { answerReceiptModel } from './answer-receipts.js';
import { findPostedMessage } from '../delivery/lookup.js';
import { deliveryMetadata } from '../delivery/send-once.js';
import { promptAnswerComplete } from './answer-complete.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Run = typeof standupRuns.$inferSelect;

/** What recording an answer changed, so the caller can wake the right job after commit. */
export interface Recorded {
  complete: boolean;
  late: boolean;
  /** This write completed the answer (it was not complete before). */
  completedNow: boolean;
  reportVersion?: number;
  lateAnswer?: { answerId: number; version: number };
  /** The answer is complete after this write: its receipt DM (opened in the same transaction) to send. */
  receipt?: { answerId: number; version: number };
  /** The answer is complete after this write and no receipt DM was opened (`receiptDm` false): the version to confirm. */
  unconfirmed?: { answerId: number; version: number };
}

/** Thrown when an on-time answer is edited after its run closed. */
export class RunClosedError extends Error {
  constructor() {
    super('run closed');
  }
}

/**
 * Upserts a member's answer for a run (inside the caller's transaction) and bumps what must be re-rendered: the
 * report for every complete answer, and for a late one (completed after close) its post in the report's thread. A
 * late answer within the late-answer window (12 h: domain/checkins/late-answers.ts) of the close edits the closed report too, which then counts
 * it, marked late, instead of still listing its member as not answered (the chaos drill caught a closed report short
 * of one answer that landed just after the close). A complete answer
 * opens its receipt DM's delivery (answer-receipts.ts), one per saved version, unless `receiptDm` is false (the
 * form's own view confirms it: {@link submitForm}).
 * An answer completed on time cannot be edited after close (throws RunClosedError).
 */
export async function recordAnswer(tx: Tx, run: Run, userId: string, answers: Answers, source: 'modal' | 'dm', now: Date, receiptDm = true): Promise<Recorded> {
  const complete = isComplete(run.questions, answers);
  const [existing] = await tx
    .select()
    .from(standupAnswers)
    .where(and(eq(standupAnswers.runId, run.id), eq(standupAnswers.userId, userId)))
    .for('update');
  const closed = run.status !== 'open';
  if (closed && existing?.complete && !existing.late) throw new RunClosedError();
  const late = closed && complete;
  const edit = Boolean(existing?.complete) && complete;
  let row: typeof standupAnswers.$inferSelect | undefined;
  if (existing) {
    [row] = await tx
      .update(standupAnswers)
      .set({
        answers,
        complete: complete || existing.complete,
        source,
        updatedAt: now,
        completedAt: existing.completedAt ?? (complete ? now : null),
        edits: edit ? existing.edits + 1 : existing.edits,
        late: existing.late || late,
        lateVersion: late ? existing.lateVersion + 1 : existing.lateVersion,
      })
      .where(eq(standupAnswers.id, existing.id))
      .returning();
  } else {
    [row] = await tx
      .insert(standupAnswers)
      .values({ runId: run.id, userId, answers, complete, source, updatedAt: now, completedAt: complete ? now : null, late, lateVersion: late ? 1 : 0 })
      .returning();
  }
  const out: Recorded = { complete, late, completedNow: complete && !existing?.complete };
  if (complete && (!late || countsInReport(run.closeAt.getTime(), now.getTime()))) {
    const [r] = await tx
      .update(standupRuns)
      .set({ reportVersion: sql`${standupRuns.reportVersion} + 1` })
      .where(eq(standupRuns.id, run.id))
      .returning({ version: standupRuns.reportVersion });
    out.reportVersion = r!.version;
  }
  if (late) out.lateAnswer = { answerId: row!.id, version: row!.lateVersion };
  if (complete && receiptDm) {
    // one receipt per saved version, opened with the answer: the sweep sends it if the wake-up is lost
    out.receipt = { answerId: row!.id, version: row!.edits + 1 };
    await transitions.open(tx, answerReceiptDelivery(row!.id, row!.edits + 1), now);
  } else if (complete) out.unconfirmed = { answerId: row!.id, version: row!.edits + 1 };
  return out;
}

/**
 * After commit: wakes the report / late-answer / receipt jobs for what {@link recordAnswer} changed, and raises a
 * blocker for a complete answer whose blockers field is not empty (once per answer).
 */
export async function wakeAfterAnswer(deps: Deps, runId: number, userId: string, rec: Recorded): Promise<void> {
  if (rec.reportVersion) await deps.wakeups.renderReports([{ runId, version: rec.reportVersion }]);
  if (rec.lateAnswer) await deps.wakeups.postLateAnswers([rec.lateAnswer]);
  if (rec.receipt) await deps.wakeups.sendAnswerReceipts([rec.receipt]);
  if (rec.completedNow) deps.observer?.promptAnswered(rec.late);
  if (rec.complete) {
    // a complete answer's flags move the workstream's status on the board
    await boardMoved(deps);
    // the answer is committed: a failure here is logged, never reported back as "try again"
    try {
      const raised = await raiseFromStandupAnswer(deps, deps.db, runId, userId);
      if (raised && !raised.ok) deps.log.warn({ runId, userId, reason: raised.reason }, 'standup blocker not raised');
    } catch (err) {
      deps.log.error({ runId, userId, err: (err as Error).message }, 'could not raise the blocker of a standup answer');
    }
  }
}

/** The member's answers so far for a run (partial DM answers included), or {}. */
export async function currentAnswers(db: Db, runId: number, userId: string): Promise<{ answers: Answers; complete: boolean } | null> {
  const [a] = await db
    .select()
    .from(standupAnswers)
    .where(and(eq(standupAnswers.runId, runId), eq(standupAnswers.userId, userId)));
  return a ? { answers: a.answers, complete: a.complete } : null;
}

/**
 * Pre-fill for a new answer: the same check-in's last run's "today" offered as this run's "yesterday" (when both questions exist).
 */
export async function prefillFromLastRun(db: Db, run: Run, userId: string): Promise<Answers> {
  if (!run.questions.some((q) => q.id === 'yesterday')) return {};
  const [prev] = await db
    .select({ answers: standupAnswers.answers })
    .from(standupAnswers)
    .innerJoin(standupRuns, eq(standupRuns.id, standupAnswers.runId))
    .where(
      and(
        eq(standupAnswers.userId, userId),
        eq(standupRuns.workstreamId, run.workstreamId),
        eq(standupRuns.checkinId, run.checkinId),
        lt(standupRuns.localDate, run.localDate),
        eq(standupAnswers.complete, true),
      ),
    )
    .orderBy(desc(standupRuns.localDate))
    .limit(1);
  const today = prev?.answers.today;
  return typeof today === 'string' && today !== '' ? { yesterday: today } : {};
}

/** How many prompts that may have landed without being recorded a DM reply looks for in Slack, at most (newest first). */
const IN_FLIGHT_LOOKUPS = 3;

/**
 * How long a DM reply waits for those lookups, in ms, before it counts them as not found: the reply is written after
 * them, so a slow or rate-limited conversations.history (Tier 3) must not hold it (the call itself may go on).
 */
const IN_FLIGHT_LOOKUP_DEADLINE_MS = 2_000;

/**
 * The member's prompts of open check-ins they have not finished that Slack may have posted without Preflight
 * recording it (claimed at least once, no `ts` yet: the process lost Postgres or died between the post and its
 * record, or the call timed out after Slack took it) and that the member's reply (`replyTs`, the DM's `ts`) follows:
 * - one the member already answered part of by DM (`dm_step` > 0) counts without asking Slack;
 * - any other counts when it is found in the member's DM `channel` posted before the reply (lookup.ts
 *   findPostedMessage: conversations.history by the prompt's message metadata, `latest` = the reply), so a prompt
 *   claimed but not posted yet (its post held by a rate limit), or posted after the reply, does not take it.
 * A search that fails or takes longer than {@link IN_FLIGHT_LOOKUP_DEADLINE_MS} is logged and counts as not found:
 * the reply then goes where it would without it.
 * @returns the ids (`standup_prompts.id`) of those prompts.
 */
async function promptsLandedUnrecorded(deps: Deps, userId: string, channel: string, replyTs: string | undefined): Promise<number[]> {
  const inFlight = await deps.db
    .select({ id: standupPrompts.id, since: deliveries.firstClaimedAt, dmStep: standupPrompts.dmStep })
    .from(standupPrompts)
    .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
    .innerJoin(deliveries, promptJoin)
    .where(and(openUnfinishedPromptOf(userId), inArray(deliveries.status, ['sending', 'pending']), gt(deliveries.claims, 0), isNotNull(deliveries.firstClaimedAt)))
    .orderBy(desc(standupPrompts.promptAt))
    .limit(IN_FLIGHT_LOOKUPS);
  if (!inFlight.length) return [];
  const seen = inFlight.filter((p) => p.dmStep > 0).map((p) => p.id);
  const toFind = inFlight.filter((p) => p.dmStep === 0);
  if (!toFind.length) return seen;
  const lookups = Promise.all(
    toFind.map(async ({ id, since }) => {
      const meta = deliveryMetadata(PROMPT, id);
      try {
        const q = { channel: userId, imChannel: channel, eventType: meta.event_type, reservation: meta.event_payload.reservation, since: since!, ...(replyTs ? { before: replyTs } : {}) };
        return (await findPostedMessage(deps, q)) ? id : null;
      } catch (err) {
        deps.log.warn({ userId, prompt: id, err: (err as Error).message }, 'DM reply: could not look in Slack for a prompt not recorded yet; the reply goes to the prompts recorded as sent');
        return null;
      }
    }),
  );
  const found = await pTimeout(lookups, { milliseconds: IN_FLIGHT_LOOKUP_DEADLINE_MS, fallback: () => null });
  if (found === null)
    deps.log.warn({ userId, prompts: toFind.map((p) => p.id) }, 'DM reply: the search in Slack for prompts not recorded yet took too long; the reply goes to the prompts recorded as sent');
  return [...seen, ...(found ?? []).filter((id): id is number => id !== null)];
}

/**
 * The member's prompts still owed an answer: expected of them, in a run that is open, with no complete answer. For
 * queries from `standup_prompts` joined to `standup_runs`.
 */
function openUnfinishedPromptOf(userId: string) {
  return and(eq(standupPrompts.userId, userId), eq(standupPrompts.status, 'expected'), eq(standupRuns.status, 'open'), not(promptAnswerComplete));
}

/**
 * The prompt's delivery (joined by `promptJoin`) shows it in the member's DM `channel`: recorded there (`sent`), or
 * found there in Slack though not recorded yet (`landed`: {@link promptsLandedUnrecorded}).
 */
function promptSeenIn(channel: string, landed: number[]) {
  const sent = and(eq(deliveries.status, 'sent'), eq(deliveries.conversation, channel));
  return landed.length ? or(sent, inArray(standupPrompts.id, landed)) : sent;
}

export type DmReplyOutcome =
  | { kind: 'no-run' }
  | { kind: 'already-answered'; runId: number }
  | { kind: 'invalid'; runId: number; hint: string; step: number; run: Run }
  | { kind: 'next'; runId: number; step: number; run: Run }
  | { kind: 'done'; runId: number; late: boolean }
  | { kind: 'closed'; runId: number };

/**
 * Applies a DM reply to the member's check-in conversation: the reply answers the question at the prompt's
 * `dm_step`, in the open check-in they have not finished (part-way through first, else the latest prompted; a
 * prompt Slack took that Preflight has not recorded yet counts once found in the DM before the reply: {@link
 * promptsLandedUnrecorded}), else their latest prompt recorded as sent. `replyTs` is the reply's `ts` (message.im's). Serialised per member with a row lock, so two quick replies land on consecutive questions.
 * The answer is written before anything is posted back, so a Slack failure never loses it.
 */
export async function handleDmReply(deps: Deps, userId: string, channel: string, text: string, replyTs?: string): Promise<DmReplyOutcome> {
  const now = deps.clock.now().toJSDate();
  // before the transaction (it holds a row lock; these are Slack calls): prompts Slack took that were not recorded
  const landed = await promptsLandedUnrecorded(deps, userId, channel, replyTs);
  const { outcome, rec } = await deps.db.transaction(async (tx) => {
    // several check-ins can be open for one member (a program check-in and their workstream's): a reply goes to an
    // open one they have not finished, the one whose questions they are part-way through first, else the latest
    // prompted; with none such, to the latest prompt (a late answer, or "already answered")
    const [unfinished] = await tx
      .select({ id: standupPrompts.id })
      .from(standupPrompts)
      .innerJoin(standupRuns, eq(standupRuns.id, standupPrompts.runId))
      .innerJoin(deliveries, promptJoin)
      .where(and(openUnfinishedPromptOf(userId), promptSeenIn(channel, landed)))
      .orderBy(desc(sql`${standupPrompts.dmStep} > 0`), desc(standupPrompts.promptAt))
      .limit(1);
    const [prompt] = await tx
      .select()
      .from(standupPrompts)
      .where(
        unfinished
          ? eq(standupPrompts.id, unfinished.id)
          : and(
              eq(standupPrompts.userId, userId),
              eq(standupPrompts.status, 'expected'),
              // raw SQL: the row lock below is taken on the prompt alone
              sql`EXISTS (SELECT 1 FROM deliveries d WHERE d.kind = ${PROMPT} AND d.owner_key = ${standupPrompts.id}::text AND d.conversation = ${channel} AND d.status = 'sent')`,
            ),
      )
      .orderBy(desc(standupPrompts.promptAt))
      .limit(1)
      .for('update');
    if (!prompt) return { outcome: { kind: 'no-run' } as DmReplyOutcome };
    const [run] = await tx.select().from(standupRuns).where(eq(standupRuns.id, prompt.runId));
    if (!run) return { outcome: { kind: 'no-run' } as DmReplyOutcome };
    const [existing] = await tx
      .select()
      .from(standupAnswers)
      .where(and(eq(standupAnswers.runId, run.id), eq(standupAnswers.userId, userId)));
    if (existing?.complete) return { outcome: { kind: 'already-answered', runId: run.id } as DmReplyOutcome };
    // a DM long after close (a day later) is conversation, not a late answer to an old run
    if (run.status !== 'open' && !countsInReport(run.closeAt.getTime(), now.getTime())) return { outcome: { kind: 'closed', runId: run.id } as DmReplyOutcome };
    const applied = applyDmReply(run.questions, existing?.answers ?? {}, prompt.dmStep, text);
    if (!applied.ok) return { outcome: { kind: 'invalid', runId: run.id, hint: applied.error, step: applied.step, run } as DmReplyOutcome };
    await tx.update(standupPrompts).set({ dmStep: applied.step }).where(eq(standupPrompts.id, prompt.id));
    const rec = await recordAnswer(tx, run, userId, applied.answers, 'dm', now);
    const outcome: DmReplyOutcome = applied.done ? { kind: 'done', runId: run.id, late: rec.late } : { kind: 'next', runId: run.id, step: applied.step, run };
    return { outcome, rec };
  });
  if (rec) await wakeAfterAnswer(deps, outcome.runId, userId, rec);
  return outcome;
}

/** Result of validating a submitted form: errors keyed by question id, or the parsed answers. */
export function validateForm(run: Run, raw: Record<string, string>): { ok: true; answers: Answers } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const answers: Answers = {};
  for (const q of run.questions) {
    const parsed = parseAnswer(q, raw[q.id]);
    if (!parsed.ok) errors[q.id] = parsed.error.replace(/`/g, '');
    else if (parsed.value !== null) answers[q.id] = parsed.value;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, answers };
}

/**
 * Stores a complete answer from the modal. The member must have a prompt in the run.
 *
 * The confirmation ("✅ Thanks! Your answer is in the … report") is shown by the form itself when Slack can still
 * take it: if the transaction reaches the answer's write before `opts.confirmInModalBy` (epoch ms on the real clock
 * of `Date.now()`, not the plan clock), no receipt DM is opened and `confirmation` is the receipt's model, for the
 * `view_submission` ack to render (`response_action: "update"`, no Web API call: issue 25's calls per answer).
 * Later, or without the option, the receipt DM is opened with the answer as before (answer-receipts.ts) and
 * `confirmation` is null: an ack after Slack's 3 s would not be shown, and the member must still be told. The
 * follow-ups that run before the ack (waking the report, the board, a blocker from the answer) are timed too: past
 * the deadline after them, the receipt DM is opened then (its own write) and `confirmation` is null.
 * @returns 'not-member' when they do not; throws RunClosedError for an on-time answer edited after close.
 */
export async function submitForm(
  deps: Deps,
  userId: string,
  runId: number,
  answers: Answers,
  opts: { confirmInModalBy?: number } = {},
): Promise<{ kind: 'not-member' } | { kind: 'saved'; late: boolean; edited: boolean; run: Run; confirmation: AnswerReceiptModel | null }> {
  const now = deps.clock.now().toJSDate();
  const result = await deps.db.transaction(async (tx) => {
    const [prompt] = await tx
      .select()
      .from(standupPrompts)
      .where(and(eq(standupPrompts.runId, runId), eq(standupPrompts.userId, userId)))
      .for('update');
    const [run] = await tx.select().from(standupRuns).where(eq(standupRuns.id, runId));
    if (!prompt || !run) return { kind: 'not-member' as const };
    const before = await tx
      .select({ complete: standupAnswers.complete })
      .from(standupAnswers)
      .where(and(eq(standupAnswers.runId, runId), eq(standupAnswers.userId, userId)));
    const inModal = opts.confirmInModalBy !== undefined && Date.now() < opts.confirmInModalBy;
    const rec = await recordAnswer(tx, run, userId, answers, 'modal', now, !inModal);
    // the form answers every question: the DM conversation is finished too
    await tx.update(standupPrompts).set({ dmStep: run.questions.length }).where(eq(standupPrompts.id, prompt.id));
    const confirmation = inModal && rec.complete ? answerReceiptModel(run, prompt, rec.late, now) : null;
    return { kind: 'saved' as const, late: rec.late, edited: Boolean(before[0]?.complete), run, rec, confirmation };
  });
  if (result.kind !== 'saved') return result;
  await wakeAfterAnswer(deps, runId, userId, result.rec);
  const unconfirmed = result.rec.unconfirmed;
  if (unconfirmed && opts.confirmInModalBy !== undefined && Date.now() >= opts.confirmInModalBy) {
    // the form may no longer show its ack: the receipt DM confirms the answer after all
    await transitions.open(deps.db, answerReceiptDelivery(unconfirmed.answerId, unconfirmed.version), now);
    await deps.wakeups.sendAnswerReceipts([unconfirmed]);
    return { ...result, confirmation: null };
  }
  return result;
}
