import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { checklistTicks, gonogoAudit, onceKeys } from '../../db/schema/index.js';
import { verdict } from '../../domain/gonogo/verdict.js';
import { gonogoSummaryMessage, type SummaryOverflow } from '../../slack/blocks/gonogo.js';
import type { Deps } from '../deps.js';
import { gateFacts, verdictInput } from './facts.js';
import { isLeadOrPm } from '../standups/plans.js';

export type DecisionKind = 'go' | 'no-go' | 'conditional';
const LABEL: Record<DecisionKind, string> = { go: 'GO', 'no-go': 'NO-GO', conditional: 'CONDITIONAL GO' };

/** Who may record the go/no-go decision: the PM or an exec. */
export function mayDecide(deps: Pick<Deps, 'config'>, userId: string): boolean {
  return userId === deps.config.program.pm || deps.config.program.execs.includes(userId);
}

/**
 * `/gonogo decide`: records the decision in the audit trail. Refused for anyone but the PM or an exec.
 * @returns the announcement text to post, or the refusal.
 */
export async function recordDecision(deps: Deps, actor: string, decision: DecisionKind, note: string | null): Promise<{ ok: true; announcement: string } | { ok: false; message: string }> {
  if (!mayDecide(deps, actor)) {
    const who = [deps.config.program.pm, ...deps.config.program.execs].map((u) => `<@${u}>`).join(', ');
    return { ok: false, message: `Only the PM or an exec can record the go/no-go decision: ${who}.` };
  }
  const v = verdict(await verdictInput(deps));
  await deps.db.insert(gonogoAudit).values({ kind: 'decision', actor, at: deps.clock.now().toJSDate(), data: { decision, note, verdict: v.decision, percent: v.percent } });
  deps.log.info({ actor, decision }, 'go/no-go decision recorded');
  const emoji = decision === 'go' ? '🟢' : decision === 'conditional' ? '🟡' : '🔴';
  return {
    ok: true,
    announcement: `${emoji} *Decision: ${LABEL[decision]}* for ${deps.config.program.name}, by <@${actor}>${note ? `: “${note.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!)}”` : ''}. (Preflight's verdict at the time: ${v.decision}, ${v.percent}% of the checklist.)`,
  };
}

/** Who may tick a workstream's checklist: its leads or the PM. */
export const mayTickChecklist = (deps: Pick<Deps, 'config'>, workstreamId: string, userId: string) => isLeadOrPm(deps.config, workstreamId, userId);

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
 * @returns the number of items that changed.
 */
export async function setChecklist(deps: Deps, workstreamId: string, actor: string, checkedItems: string[], shown?: string[]): Promise<number> {
  const now = deps.clock.now().toJSDate();
  const before = await checklistState(deps, workstreamId);
  const wanted = (item: string, current: boolean) => {
    if (!shown) return checkedItems.includes(item);
    const toggled = shown.includes(item) !== checkedItems.includes(item);
    return toggled ? checkedItems.includes(item) : current;
  };
  const changed = before.filter((b) => b.checked !== wanted(b.item, b.checked));
  if (!changed.length) return 0;
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
  return changed.length;
}

/**
 * Builds the go/no-go summary message (blocks within Block Kit limits; what does not fit is returned as
 * `overflow` lines for the thread).
 */
export async function buildSummary(deps: Deps): Promise<{ blocks: unknown[]; text: string; overflow: SummaryOverflow }> {
  const input = await verdictInput(deps);
  const v = verdict(input);
  return gonogoSummaryMessage({ programName: deps.config.program.name, zone: deps.config.program.timezone, input, verdict: v, pm: deps.config.program.pm, now: input.now });
}

/** Posts the summary in `channel` (thread for what does not fit). */
export async function postSummary(deps: Deps, channel: string): Promise<{ ts: string | undefined; channel: string }> {
  const s = await buildSummary(deps);
  const res = await deps.slack.chat.postMessage({ channel, text: s.text, blocks: s.blocks as never, unfurl_links: false });
  for (const chunk of s.overflow) {
    await deps.slack.chat.postMessage({ channel: res.channel ?? channel, thread_ts: res.ts, text: chunk });
  }
  return { ts: res.ts, channel: res.channel ?? channel };
}

/** Takes a once-only key (across processes): true for the first caller. */
async function once(deps: Deps, key: string): Promise<boolean> {
  const rows = await deps.db.insert(onceKeys).values({ key, at: deps.clock.now().toJSDate() }).onConflictDoNothing().returning();
  return rows.length > 0;
}

/**
 * With `gonogo.at` set (seed 004: "GO/NO-GO MEETING Feb 4, 2pm"): an hour before, DM the sign-off authorities
 * of gates still pending; at the time, post the summary in the program channel. Each once (keyed in Postgres);
 * a post missed while the bot was down goes out when it returns, up to 6 hours late.
 */
export async function scheduledGonogo(deps: Deps): Promise<'reminded' | 'posted' | 'nothing'> {
  const at = deps.config.gonogo?.at;
  if (!at) return 'nothing';
  const when = DateTime.fromISO(at, { zone: deps.config.program.timezone });
  const now = deps.clock.now();
  if (now >= when && now < when.plus({ hours: 6 }) && (await once(deps, `gonogo-post:${at}`))) {
    try {
      await postSummary(deps, deps.config.program.channel);
    } catch (err) {
      // give the key back so the next sweep tries again
      await deps.db.delete(onceKeys).where(eq(onceKeys.key, `gonogo-post:${at}`));
      throw err;
    }
    return 'posted';
  }
  if (now >= when.minus({ hours: 1 }) && now < when && (await once(deps, `gonogo-reminder:${at}`))) {
    const pending = (await gateFacts(deps)).filter((g) => g.status === 'pending');
    const people = new Map<string, string[]>();
    for (const g of pending) for (const u of g.signOff) people.set(u, [...(people.get(u) ?? []), g.name]);
    for (const [user, names] of people) {
      await deps.slack.chat
        .postMessage({ channel: user, text: `⏰ The go/no-go is at ${when.toFormat('HH:mm ZZZZ')}. Still waiting on your sign-off: ${names.map((n) => `“${n}”`).join(', ')}. Type \`/gonogo\` to see the summary and sign off.` })
        .catch((err) => deps.log.warn({ user, err: (err as Error).message }, 'could not send the go/no-go reminder'));
    }
    return 'reminded';
  }
  return 'nothing';
}
