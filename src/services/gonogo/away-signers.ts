import type { DateTime } from 'luxon';
import type { GateDeclaration } from '../../domain/program/declaration.js';
import { type AwaySpan, awaySpanAt, coverFor, NO_END } from '../../domain/people/cover.js';
import type { Deps } from '../deps.js';
import { awayStatuses } from '../people/away-status.js';
import { coverContext, outOfOfficeSpans } from '../people/away.js';

/*
 * Gates and time off (issue 22): which signers are away (for `/gonogo` and the sign-off reminders), and whom a
 * delegate may sign for under `delegate_may_sign: true`.
 */

/** Every away span that counts at `now`: out of office, and Slack statuses of `people` (read first, no lock held). */
export async function awaySpansNow(deps: Deps, people: readonly string[], now: DateTime): Promise<AwaySpan[]> {
  return [...(await outOfOfficeSpans(deps.db)), ...(await awayStatuses(deps, people, now))];
}

/** The signers of `gate` who are away at `now`, with their last day away (null: a Slack status with no end). */
export function awaySignersOf(deps: Pick<Deps, 'config'>, gate: Pick<GateDeclaration, 'sign_off'>, spans: readonly AwaySpan[], now: DateTime): { userId: string; until: string | null }[] {
  const ctx = coverContext(deps.config, spans);
  return gate.sign_off.flatMap((u) => {
    const s = awaySpanAt(u, now, ctx);
    return s ? [{ userId: u, until: s.until === NO_END ? null : s.until }] : [];
  });
}

/**
 * The away signer of `gate` that `actor` covers at `now` (domain/people/cover.ts coverFor: the first delegate in the
 * chain who is not away), when the gate says `delegate_may_sign: true`; null otherwise (not allowed, nobody away,
 * or `actor` covers none of them). Config order decides between two signers `actor` covers.
 */
export function signerCoveredBy(deps: Pick<Deps, 'config'>, gate: Pick<GateDeclaration, 'sign_off' | 'delegate_may_sign'>, actor: string, spans: readonly AwaySpan[], now: DateTime): string | null {
  if (!gate.delegate_may_sign) return null;
  const ctx = coverContext(deps.config, spans);
  return gate.sign_off.find((u) => u !== actor && coverFor(u, now, ctx).by === actor) ?? null;
}

/**
 * Who gets the go/no-go sign-off reminder meant for `signer` of `gate` (issue 22): the signer when not away;
 * when away, their delegate if the gate says `delegate_may_sign: true` (the one who may sign for them), else
 * nobody (a signer away gets no reminder).
 */
export function reminderRecipient(deps: Pick<Deps, 'config'>, gate: Pick<GateDeclaration, 'delegate_may_sign'>, signer: string, spans: readonly AwaySpan[], now: DateTime): string | null {
  const ctx = coverContext(deps.config, spans);
  if (!awaySpanAt(signer, now, ctx)) return signer;
  return gate.delegate_may_sign ? coverFor(signer, now, ctx).by : null;
}
