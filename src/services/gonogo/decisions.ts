import { eq } from 'drizzle-orm';
import { staleTrackerSources } from '../trackers/status.js';
import { DateTime } from 'luxon';
import { checklistTicks, gonogoAudit } from '../../db/schema/index.js';
import type { DecisionKind } from '../../domain/gonogo/messages.js';
import { verdict } from '../../domain/gonogo/verdict.js';
import type { Deps } from '../deps.js';
import { insertOutbound, outboundQueued, queueOutbound } from '../delivery/outbound.js';
import type { OutgoingMessage } from '../delivery/renderer.js';
import { gateFacts, verdictInput } from './facts.js';
import { gateSignOffStates, signOffReminder } from './reminders.js';
import { awaySpansNow, reminderRecipient } from './away-signers.js';
import type { Refusal } from '../../domain/permissions.js';
import { may } from '../permission-check.js';
import { noGoVerdict } from '../warroom/triggers.js';
import { boardMoved } from '../board/moved.js';

/**
 * `/gonogo decide`: records the decision in the audit trail and queues its announcement, delivered once
 * (services/delivery), in each of `announceIn` (channel ids) and the program channel. Refused for anyone but
 * the PM or an exec (domain/permissions.ts). The announcement is rendered by `deps.renderer` from its model.
 * @returns the announcement text, or the refusal (naming who can).
 */
export async function recordDecision(
  deps: Deps,
  actor: string,
  decision: DecisionKind,
  note: string | null,
  announceIn: string[] = [],
): Promise<{ ok: true; announcement: string } | { ok: false; refusal: Refusal }> {
  const allowed = may(deps.config, actor, { on: 'decision', verb: 'decide' });
  if (!allowed.allowed) return { ok: false, refusal: allowed };
  const v = verdict(await verdictInput(deps));
  const { text: announcement } = deps.renderer.decisionAnnouncement({
    decision,
    programName: deps.config.program.name,
    actor,
    note,
    verdict: { decision: v.decision, percent: v.percent },
  });
  const channels = [...new Set([...announceIn, deps.config.program.channel])];
  const now = deps.clock.now().toJSDate();
  // the audit row and its announcements commit together: a crash leaves both or neither
  const queued = await deps.db.transaction(async (tx) => {
    const [audit] = await tx
      .insert(gonogoAudit)
      .values({ kind: 'decision', actor, at: now, data: { decision, note, verdict: v.decision, percent: v.percent } })
      .returning({ id: gonogoAudit.id });
    return insertOutbound(
      tx,
      now,
      channels.map((channel) => ({ kind: 'decision' as const, key: `decision-${audit!.id}:${channel}`, channel, message: { text: announcement } })),
    );
  });
  deps.log.info({ actor, decision }, 'go/no-go decision recorded');
  await deps.wakeups.sendOutbound(queued);
  return { ok: true, announcement };
}

/**
 * `/gonogo checklist <ws>`: the workstream's checklist as `actor` may edit it, or the refusal (its leads or the
 * PM may tick it; domain/permissions.ts).
 */
export async function checklistForm(deps: Deps, workstreamId: string, actor: string): Promise<{ ok: true; items: { item: string; checked: boolean }[] } | { ok: false; refusal: Refusal }> {
  const allowed = may(deps.config, actor, { on: 'checklist', verb: 'tick', workstreamId });
  if (!allowed.allowed) return { ok: false, refusal: allowed };
  return { ok: true, items: await checklistState(deps, workstreamId) };
}

/** The workstream's checklist with what is ticked. */
export async function checklistState(deps: Deps, workstreamId: string): Promise<{ item: string; checked: boolean }[]> {
  const items = deps.config.workstreams[workstreamId]?.checklist ?? [];
  const ticks = await deps.db.select().from(checklistTicks).where(eq(checklistTicks.workstreamId, workstreamId));
  return items.map((item) => ({ item, checked: ticks.some((t) => t.item === item && t.checked) }));
}

/**
 * Sets which items of a workstream's checklist are ticked. With `shown` (what the form showed as ticked), only
 * the items this person toggled change, so two leads saving at once do not undo each other; without it the
 * set replaces the current one. Items are keyed by their text (unknown texts are ignored). Changes are audited.
 * Only the workstream's leads or the PM may (domain/permissions.ts).
 * @returns the number of items that changed, or the refusal.
 */
export async function setChecklist(
  deps: Deps,
  workstreamId: string,
  actor: string,
  checkedItems: string[],
  shown?: string[],
): Promise<{ ok: true; changed: number } | { ok: false; refusal: Refusal }> {
  const allowed = may(deps.config, actor, { on: 'checklist', verb: 'tick', workstreamId });
  if (!allowed.allowed) return { ok: false, refusal: allowed };
  const now = deps.clock.now().toJSDate();
  const before = await checklistState(deps, workstreamId);
  const wanted = (item: string, current: boolean) => {
    if (!shown) return checkedItems.includes(item);
    const toggled = shown.includes(item) !== checkedItems.includes(item);
    return toggled ? checkedItems.includes(item) : current;
  };
  const changed = before.filter((b) => b.checked !== wanted(b.item, b.checked));
  if (!changed.length) return { ok: true, changed: 0 };
  await deps.db.transaction(async (tx) => {
    for (const c of changed) {
      const checked = !c.checked;
      await tx
        .insert(checklistTicks)
        .values({ workstreamId, item: c.item, checked, by: actor, at: now })
        .onConflictDoUpdate({ target: [checklistTicks.workstreamId, checklistTicks.item], set: { checked, by: actor, at: now } });
      await tx.insert(gonogoAudit).values({ kind: 'checklist', actor, at: now, data: { workstream: workstreamId, item: c.item, checked } });
    }
  });
  await boardMoved(deps);
  return { ok: true, changed: changed.length };
}

/**
 * Builds the go/no-go summary message through `deps.renderer` (blocks within Block Kit limits; what does not
 * fit is returned as `overflow` lines for the thread), with a line per tracker source whose tasks may be out of date.
 */
export async function buildSummary(deps: Deps): Promise<OutgoingMessage & { overflow: string[] }> {
  const input = await verdictInput(deps);
  const v = verdict(input);
  const staleTrackers = await staleTrackerSources(deps);
  return deps.renderer.gonogoSummary({ programName: deps.config.program.name, zone: deps.config.program.timezone, input, verdict: v, pm: deps.config.program.pm, now: input.now, staleTrackers });
}

/**
 * `/gonogo`: queues the summary for `channel`, where the command was typed (what does not fit goes in its
 * thread as replies), delivered once by the outbound worker like the scheduled summary (services/delivery).
 * Keyed by `invocation` (the command's `trigger_id`), so the same command handled twice queues it once, and a
 * 429 or a timeout on any of its messages is retried for that message alone, never re-posting the summary.
 * When Slack refuses `channel` for good (the bot is not in it, it is archived or gone), the worker posts it in
 * the program channel instead (delivery/outbound.ts).
 * @returns true when newly queued, false when this invocation was already queued.
 */
export async function queueSummary(deps: Deps, channel: string, invocation: string): Promise<boolean> {
  return queueSummaryUnder(deps, `gonogo-asked:${invocation}`, channel);
}

/** Builds the summary and queues it (overflow as thread replies) under the outbound `key`. @returns true when newly queued. */
async function queueSummaryUnder(deps: Deps, key: string, channel: string): Promise<boolean> {
  const input = await verdictInput(deps);
  const v = verdict(input);
  const s = deps.renderer.gonogoSummary({ programName: deps.config.program.name, zone: deps.config.program.timezone, input, verdict: v, pm: deps.config.program.pm, now: input.now });
  const queued = await queueOutbound(deps, [{ kind: 'gonogo_summary', key, channel, message: { text: s.text, blocks: s.blocks }, replies: s.overflow }]);
  // issue 23: a NO-GO opens the war room (or posts into it), once per summary
  if (queued.length > 0) await noGoVerdict(deps, key, input, v);
  return queued.length > 0;
}

/**
 * With `gonogo.at` set (seed 004: "GO/NO-GO MEETING Feb 4, 2pm"): an hour before, DM the sign-off authorities
 * of gates still pending (services/gonogo/reminders.ts: the time in each one's zone; edited as the gates are signed);
 * at the time, post the summary in the program channel. Each is queued once (an
 * outbound message keyed by `gonogo.at`) and delivered once (services/delivery); a post missed while the bot
 * was down goes out when it returns, up to 6 hours late.
 */
export async function scheduledGonogo(deps: Deps): Promise<'reminded' | 'posted' | 'nothing'> {
  const at = deps.config.gonogo?.at;
  if (!at) return 'nothing';
  const when = DateTime.fromISO(at, { zone: deps.config.program.timezone });
  const now = deps.clock.now();
  const postKey = `gonogo-post:${at}`;
  if (now >= when && now < when.plus({ hours: 6 }) && !(await outboundQueued(deps, postKey))) {
    return (await queueSummaryUnder(deps, postKey, deps.config.program.channel)) ? 'posted' : 'nothing';
  }
  const reminderKey = `gonogo-reminder:${at}:`;
  if (now >= when.minus({ hours: 1 }) && now < when && !(await outboundQueued(deps, reminderKey, 'prefix'))) {
    const pending = (await gateFacts(deps)).filter((g) => g.status === 'pending');
    const people = new Map<string, string[]>();
    // issue 22: a signer away gets no reminder; their delegate does when the gate lets them sign (away-signers.ts)
    const spans = await awaySpansNow(deps, [...new Set(pending.flatMap((g) => g.signOff))], now);
    // a joint gate's reminder goes to the signers who have not signed yet
    for (const g of pending) {
      const gate = deps.config.gates.find((x) => x.id === g.id);
      for (const signer of g.signOff.filter((x) => !g.signed.includes(x))) {
        const u = gate ? reminderRecipient(deps, gate, signer, spans, now) : signer;
        if (u && !(people.get(u) ?? []).includes(g.id)) people.set(u, [...(people.get(u) ?? []), g.id]);
      }
    }
    const states = await gateSignOffStates(deps);
    const queued = await queueOutbound(
      deps,
      [...people].map(([user, gates]) => ({
        kind: 'gonogo_reminder' as const,
        key: `${reminderKey}${user}`,
        channel: user,
        message: deps.renderer.signOffReminder(signOffReminder(deps.config, at, user, gates, states)),
        // edited as its gates are signed (services/gonogo/reminders.ts)
        about: { gates, gonogoAt: at },
      })),
    );
    return queued.length ? 'reminded' : 'nothing';
  }
  return 'nothing';
}
