import type { DateTime } from 'luxon';
import { memberOutOfOffice } from '../../db/schema/index.js';
import type { StepOutcome } from '../../domain/blockers/ladder.js';
import { type AwaySpan, type CoverContext, type CoveredRecipients, coverRecipients, type NoDelegate } from '../../domain/people/cover.js';
import type { Program } from '../../domain/program/program.js';
import { zoneOf } from '../checkins/participation.js';
import type { DbOrTx } from '../delivery/transitions.js';

/*
 * Time off as the ladders see it (issue 22): the out-of-office spans in Postgres (`/standup ooo`, with their
 * delegate), and optionally Slack statuses (./away-status.ts, read before the step is written, never under a row lock), turned into the pure
 * cover rules' context (domain/people/cover.ts).
 */

/**
 * Every out-of-office span (`member_out_of_office`), as away spans, through `db` (one select of a small table; never a
 * Slack call). The escalation reads them beside the blocker, before it writes the step.
 */
export async function outOfOfficeSpans(db: DbOrTx): Promise<AwaySpan[]> {
  const rows = await db.select().from(memberOutOfOffice);
  return rows.map((r) => ({ userId: r.userId, from: r.fromDate, until: r.untilDate, delegate: r.delegate, source: 'ooo' as const }));
}

/** `program.delegates` as a map, person → delegate (user IDs once emails are resolved). */
export function configuredDelegates(config: Pick<Program, 'program'>): Record<string, string> {
  return Object.fromEntries(config.program.delegates.map((d) => [d.person, d.delegate]));
}

/**
 * The cover rules' context: `spans` (out of office first, then Slack statuses: an out-of-office span wins, being the
 * one that can name a delegate), the configured delegates and each person's zone (services/checkins/participation.ts).
 */
export function coverContext(config: Program, spans: readonly AwaySpan[]): CoverContext {
  return { spans, delegates: configuredDelegates(config), zoneOf: (u) => zoneOf(config, u) };
}

/**
 * Applies time off to the recipients of one step at `at` (domain/people/cover.ts coverRecipients), given every away
 * span: the out-of-office spans ({@link outOfOfficeSpans}) first, then Slack statuses (./away-status.ts), both read
 * before the escalation's transaction. `noDelegate` names the recipients no delegate may stand in for.
 */
export function coverStep(config: Program, spans: readonly AwaySpan[], recipients: readonly string[], at: DateTime, alreadyOut: readonly string[] = [], noDelegate?: NoDelegate): CoveredRecipients {
  return coverRecipients(recipients, at, coverContext(config, spans), alreadyOut, noDelegate);
}

/**
 * The out-of-office span of `userId` that covers every day of `from`…`until` (inclusive local dates), if any: a
 * delegate away for the whole span would cover nothing (issue 22, "Bad input and faults"), which `/standup ooo`
 * tells the person.
 */
export async function awayThroughout(db: DbOrTx, userId: string, from: string, until: string): Promise<AwaySpan | null> {
  const spans = await outOfOfficeSpans(db);
  return spans.find((s) => s.userId === userId && s.from <= from && until <= s.until) ?? null;
}

/**
 * A ladder step's outcome (domain/blockers/ladder.ts stepOutcome) with time off applied at `at`: every recipient
 * who is away is replaced by who covers them (once each: a delegate already on the step gets one notice), the
 * notes go in `away` for the timeline, and a step left with nobody because everyone is away is skipped with
 * reason `away` (the caller makes the next level due at once). `spans` are every away span, out of office first
 * then Slack statuses ({@link coverStep}), read before the escalation step is written (never
 * while its row is locked: issue 25's escalation lateness). Recipients in `noDelegate.for` who are away are dropped, never covered (a
 * gate's signers without `delegate_may_sign`). Pure: no I/O.
 * @returns the outcome, and for each delegate the notes of those they cover (their DM says so).
 */
export function coverOutcome(
  config: Program,
  spans: readonly AwaySpan[],
  outcome: StepOutcome,
  at: DateTime,
  acknowledgedBy: readonly string[] = [],
  noDelegate?: NoDelegate,
): { outcome: StepOutcome; coveringFor: Record<string, string[]> } {
  if (!outcome.to.length) return { outcome, coveringFor: {} };
  const covered = coverStep(config, spans, outcome.to, at, acknowledgedBy, noDelegate);
  const away = covered.away.map((c) => c.note!);
  const skipped = covered.to.length ? null : 'away';
  const coveringFor: Record<string, string[]> = {};
  for (const c of covered.away) if (c.by !== null && covered.to.includes(c.by)) coveringFor[c.by] = [...(coveringFor[c.by] ?? []), c.note!];
  return { outcome: { ...outcome, to: covered.to, skipped, ...(away.length ? { away } : {}) }, coveringFor };
}
