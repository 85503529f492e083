import { DateTime } from 'luxon';

/*
 * Time off and delegates (issue 22, "Time off and delegates"): who covers a recipient at an instant. Pure: the
 * away spans (Preflight's out-of-office, optionally a Slack status) and the configured delegates are read by the
 * services (src/services/people/away.ts) and handed in.
 */

/** One span someone is away: inclusive local dates in their own zone, and the delegate they named, if any. */
export interface AwaySpan {
  userId: string;
  /** First day away (YYYY-MM-DD, local to the person). */
  from: string;
  /** Last day away (YYYY-MM-DD, local to the person, inclusive). */
  until: string;
  /** The delegate named with `/standup ooo … delegate:@ben`; wins over `program.delegates`. */
  delegate?: string | null;
  /** Where the span comes from: `/standup ooo`, or a Slack status in `program.away_statuses` (until = its expiry). */
  source?: 'ooo' | 'status';
  /** The Slack status emoji that made them away (source `status`). */
  emoji?: string;
}

/** The `until` of a Slack status that has no expiry: away until they change it. */
export const NO_END = '9999-12-31';

/** What the cover rules read: the spans, the configured delegates (person → delegate) and each person's zone. */
export interface CoverContext {
  spans: readonly AwaySpan[];
  /** `program.delegates` as a map, person user ID → delegate user ID. */
  delegates: Readonly<Record<string, string>>;
  /** A person's IANA zone (their "today" decides whether a span covers the instant). */
  zoneOf: (userId: string) => string;
}

/** Who covers one recipient: themself, their delegate (`by` ≠ `for`), or nobody; `note` says why (null when themself). */
export interface Cover {
  /** The recipient the ladder named. */
  for: string;
  /** Who gets the step instead: the recipient, the first delegate in the chain who is not away, or null. */
  by: string | null;
  /** E.g. "<@ana> is away until 24 Dec; <@ben> is covering"; null when the recipient is not away. */
  note: string | null;
}

/** The span that makes `userId` away at `at` (UTC instant), judged on their local date; null when they are not away. */
export function awaySpanAt(userId: string, at: DateTime, ctx: Pick<CoverContext, 'spans' | 'zoneOf'>): AwaySpan | null {
  const today = at.setZone(ctx.zoneOf(userId)).toISODate()!;
  return ctx.spans.find((s) => s.userId === userId && s.from <= today && today <= s.until) ?? null;
}

/** How long someone is away, for notes: "until 24 Dec", or "(Slack status :palm_tree:)" for a status without expiry. */
export function awayLabel(span: AwaySpan, at: DateTime): string {
  if (span.until === NO_END) return span.emoji ? `(Slack status ${span.emoji})` : 'for now';
  return `until ${returnLabel(span.until, at)}`;
}

/** "24 Dec" (the last day away, as people say it); a span ending another year adds the year. */
export function returnLabel(until: string, at: DateTime): string {
  const d = DateTime.fromISO(until);
  return d.year === at.year ? d.toFormat('d LLL') : d.toFormat('d LLL yyyy');
}

const mention = (u: string) => `<@${u}>`;

/**
 * Who covers `recipient` at `at` (issue 22): themself when not away; else their delegate (the one named with
 * `/standup ooo`, else `program.delegates`) when that delegate is not away; else that delegate's delegate, and so
 * on; a chain that comes back to someone already in it stops there (a delegate loop, noted), as does a chain that
 * ends with someone away who has no delegate. Never loops: each person is visited once.
 * @returns the cover with the note for the timeline and the DM ("<@ana> is away until 24 Dec; <@ben> is covering").
 */
export function coverFor(recipient: string, at: DateTime, ctx: CoverContext): Cover {
  const first = awaySpanAt(recipient, at, ctx);
  if (!first) return { for: recipient, by: recipient, note: null };
  const head = `${mention(recipient)} is away ${awayLabel(first, at)}`;
  const seen = [recipient];
  let span: AwaySpan = first;
  let current = recipient;
  const awayToo: string[] = [];
  for (;;) {
    const next = span.delegate ?? ctx.delegates[current] ?? null;
    if (next === null) {
      const tail = awayToo.length ? `; ${awayToo.join('; ')}; nobody else is covering` : '; no delegate is covering';
      return { for: recipient, by: null, note: `${head}${tail}` };
    }
    if (seen.includes(next)) {
      const chain = [...seen, next].map(mention).join(' → ');
      return { for: recipient, by: null, note: `${head}; ${awayToo.length ? `${awayToo.join('; ')}; ` : ''}delegate loop ${chain}, nobody is covering` };
    }
    seen.push(next);
    const nextSpan = awaySpanAt(next, at, ctx);
    if (!nextSpan) return { for: recipient, by: next, note: `${head}; ${awayToo.length ? `${awayToo.join('; ')}; ` : ''}${mention(next)} is covering` };
    awayToo.push(`their delegate ${mention(next)} is away too ${awayLabel(nextSpan, at)}`);
    span = nextSpan;
    current = next;
  }
}

/** The recipients of one step once time off is applied. */
export interface CoveredRecipients {
  /** Who gets the step: each recipient not away, and each delegate covering, once (first-named order). */
  to: string[];
  /** The covers of recipients who are away (with their notes), in the order the step named them. */
  away: Cover[];
  /** For each delegate in `to`, whom they cover (their DM says so); a recipient who is also covering is listed too. */
  covering: Record<string, string[]>;
}

/**
 * Recipients of a step whom no delegate may stand in for, and why (the end of their note): a gate's "not signed off"
 * escalation to its signers when the gate does not say `delegate_may_sign: true` (issue 22: "their delegate may sign
 * when the config says `delegate_may_sign: true`").
 */
export interface NoDelegate {
  /** User IDs whose step never goes to a delegate. */
  for: readonly string[];
  /** E.g. "the gate's sign-off is not delegated (delegate_may_sign is off)". */
  why: string;
}

/** The note's end when an away signer's "not signed off" step goes to nobody (issue 22: `delegate_may_sign`). */
export const SIGN_OFF_NOT_DELEGATED = 'the gate’s sign-off is not delegated (delegate_may_sign is off)';

/**
 * Whom no delegate may stand in for on a gate's "not signed off" escalation: its signers, unless the gate says
 * `delegate_may_sign: true` (issue 22, "Time off and delegates"); undefined when delegates cover as usual.
 */
export function signersNotDelegated(gate: { sign_off: readonly string[]; delegate_may_sign?: boolean }): NoDelegate | undefined {
  return gate.delegate_may_sign ? undefined : { for: gate.sign_off, why: SIGN_OFF_NOT_DELEGATED };
}

/**
 * Who covers `recipient` at `at` when no delegate may stand in for them: themself when not away; else nobody, the
 * note saying so ("<@ana> is away until 24 Dec; the gate's sign-off is not delegated (delegate_may_sign is off)").
 */
export function coverWithoutDelegate(recipient: string, at: DateTime, ctx: Pick<CoverContext, 'spans' | 'zoneOf'>, why: string): Cover {
  const span = awaySpanAt(recipient, at, ctx);
  if (!span) return { for: recipient, by: recipient, note: null };
  return { for: recipient, by: null, note: `${mention(recipient)} is away ${awayLabel(span, at)}; ${why}` };
}

/**
 * Applies {@link coverFor} to every recipient of a step: the away ones are replaced by who covers them, and
 * everyone gets the step once (a delegate already on the step, or covering two people, gets one notice).
 * `alreadyOut` (e.g. people who acknowledged) are never added back as delegates. Recipients in `noDelegate.for`
 * who are away are covered by nobody ({@link coverWithoutDelegate}).
 */
export function coverRecipients(recipients: readonly string[], at: DateTime, ctx: CoverContext, alreadyOut: readonly string[] = [], noDelegate?: NoDelegate): CoveredRecipients {
  const to: string[] = [];
  const away: Cover[] = [];
  const covering: Record<string, string[]> = {};
  for (const r of recipients) {
    const c = noDelegate?.for.includes(r) ? coverWithoutDelegate(r, at, ctx, noDelegate.why) : coverFor(r, at, ctx);
    if (c.note !== null) away.push(c);
    if (c.by === null || alreadyOut.includes(c.by)) continue;
    if (!to.includes(c.by)) to.push(c.by);
    if (c.by !== r) covering[c.by] = [...(covering[c.by] ?? []), r];
  }
  return { to, away, covering };
}

/** A delegate loop in `program.delegates`: the chain of people, first = last (A → B → A). */
export function delegateLoops(delegates: Readonly<Record<string, string>>): string[][] {
  const loops: string[][] = [];
  const reported = new Set<string>();
  for (const start of Object.keys(delegates)) {
    const chain = [start];
    let cur = delegates[start];
    while (cur !== undefined && !chain.includes(cur)) {
      chain.push(cur);
      cur = delegates[cur];
    }
    if (cur === undefined) continue;
    const loop = [...chain.slice(chain.indexOf(cur)), cur];
    const key = [...new Set(loop)].sort().join(',');
    if (!reported.has(key)) {
      reported.add(key);
      loops.push(loop);
    }
  }
  return loops;
}
