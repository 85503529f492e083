import { and, eq, inArray, sql } from 'drizzle-orm';
import { blockerEvents, blockerNotices, blockers, deliveries, type BlockerEventKind } from '../../db/schema/index.js';
import type { BlockerActReply } from '../../domain/blockers/act-reply.js';
import type { Refusal } from '../../domain/permissions.js';
import { escalateNowStep } from '../../domain/blockers/ladder.js';
import type { Deps } from '../deps.js';
import { may } from '../permission-check.js';
import { ladderState, nextDueAt } from './ladder-state.js';
import type { BlockerRow } from './rows.js';
import * as transitions from '../delivery/transitions.js';
import { NOTICE, noticeJoin, threadLineDelivery } from './delivery-kinds.js';
import { boardMoved } from '../board/moved.js';

/** `resolve`'s `note` is added to its line in the blocker's thread (why it was resolved, e.g. its gate was removed). */
export type BlockerAction = { kind: 'acknowledge' } | { kind: 'resolve'; note?: string } | { kind: 'snooze'; ms: number } | { kind: 'reassign'; owner: string } | { kind: 'escalate' };

/** `message`: the reply rendered by `deps.renderer` from its model (domain/blockers/act-reply.ts). */
export type ActResult =
  | { ok: true; blocker: BlockerRow; message: string }
  | { ok: false; reason: 'not-found' | 'resolved' | 'noop' | 'invalid'; message: string }
  /** Refused by the permissions (domain/permissions.ts): the refusal names who can. */
  | { ok: false; reason: 'forbidden'; refusal: Refusal };

/**
 * Applies a person's action to a blocker, checking on the server that they may (domain/permissions.ts: owner,
 * reporter, the workstream's leads, the PM, an exec, a user its ladder names), whatever the button or payload says.
 * Every change bumps the version (so older wake-ups become no-ops), recomputes `next_due_at` from the frozen
 * policy, records a timeline event (posted once in the blocker's thread), re-renders the message and edits the
 * escalation DMs already sent about it to its new state (delivery.ts updateNotices).
 * - acknowledge: stops re-pings to the acknowledger (and the whole ladder under `stop_when: acknowledged`);
 *   the resolution clock keeps running.
 * - resolve: stops everything, cancels notices not yet sent.
 * - snooze: notices due before its end wait for it (deferred, never dropped).
 * - escalate: the next level is notified now.
 */
export async function actOnBlocker(deps: Deps, blockerId: number, actor: string, action: BlockerAction, opts: { asSystem?: boolean } = {}): Promise<ActResult> {
  const now = deps.clock.now().toJSDate();
  const reply = (r: BlockerActReply) => deps.renderer.blockerActReply(r).text;
  const result = await deps.db.transaction(async (tx): Promise<ActResult & { eventId?: number; force?: boolean }> => {
    const [b] = await tx.select().from(blockers).where(eq(blockers.id, blockerId)).for('update');
    if (!b) return { ok: false, reason: 'not-found', message: reply({ kind: 'not-found', blockerId }) };
    if (b.status === 'resolved') return { ok: false, reason: 'resolved', message: reply({ kind: 'already-resolved', blockerId: b.id, resolvedBy: b.resolvedBy }) };
    if (!opts.asSystem) {
      const allowed = may(deps.config, actor, { on: 'blocker', verb: action.kind, blocker: b });
      if (!allowed.allowed) return { ok: false, reason: 'forbidden', refusal: allowed };
    }
    const patch: Partial<BlockerRow> = {};
    let kind: BlockerEventKind;
    let data: Record<string, unknown> = {};
    let message: string;
    let force = false;
    switch (action.kind) {
      case 'acknowledge':
        if (b.acknowledgedBy.includes(actor)) return { ok: false, reason: 'noop', message: reply({ kind: 'already-acknowledged', blockerId: b.id }) };
        patch.acknowledgedBy = [...b.acknowledgedBy, actor];
        patch.status = 'acknowledged';
        kind = 'acknowledged';
        message = reply({ kind: 'acknowledged', blockerId: b.id, stopsEscalation: b.policy.stopWhen === 'acknowledged' });
        break;
      case 'resolve':
        patch.status = 'resolved';
        patch.resolvedAt = now;
        patch.resolvedBy = actor;
        kind = 'resolved';
        data = { ageMs: now.getTime() - b.raisedAt.getTime(), ...(action.note ? { note: action.note } : {}) };
        message = reply({ kind: 'resolved', blockerId: b.id, openForMs: now.getTime() - b.raisedAt.getTime() });
        break;
      case 'snooze': {
        const max = deps.config.escalation.snooze_max;
        if (!(action.ms > 0) || action.ms > max) return { ok: false, reason: 'invalid', message: reply({ kind: 'snooze-too-long', maxMs: max }) };
        patch.snoozedUntil = new Date(now.getTime() + action.ms);
        kind = 'snoozed';
        data = { ms: action.ms, until: patch.snoozedUntil.toISOString() };
        message = reply({ kind: 'snoozed', blockerId: b.id, forMs: action.ms });
        break;
      }
      case 'reassign':
        if (action.owner === b.owner) return { ok: false, reason: 'noop', message: reply({ kind: 'already-owner', blockerId: b.id, owner: action.owner }) };
        patch.owner = action.owner;
        kind = 'reassigned';
        data = { from: b.owner, to: action.owner };
        message = reply({ kind: 'reassigned', blockerId: b.id, owner: action.owner });
        break;
      case 'escalate': {
        const step = escalateNowStep(b.policy, ladderState(b), deps.clock.now());
        if (!step) return { ok: false, reason: 'noop', message: reply({ kind: 'ladder-exhausted', blockerId: b.id }) };
        force = true;
        kind = 'escalated';
        data = { requested: true };
        message = reply({ kind: 'escalating', blockerId: b.id });
        break;
      }
    }
    const next = { ...b, ...patch } as BlockerRow;
    const [updated] = await tx
      .update(blockers)
      .set({
        ...patch,
        nextDueAt: force ? now : patch.status === 'resolved' ? null : nextDueAt(next),
        version: sql`${blockers.version} + 1`,
        messageVersion: sql`${blockers.messageVersion} + 1`,
      })
      .where(eq(blockers.id, blockerId))
      .returning();
    // the "escalate now" request itself is not a timeline event; the escalation it causes is
    let eventId: number | undefined;
    if (!force) {
      const [ev] = await tx.insert(blockerEvents).values({ blockerId, kind, actor, at: now, data }).returning({ id: blockerEvents.id });
      eventId = ev!.id;
      await transitions.open(tx, threadLineDelivery(eventId), now);
    }
    const stopsAll = action.kind === 'resolve' || (action.kind === 'acknowledge' && b.policy.stopWhen === 'acknowledged');
    if (stopsAll || action.kind === 'acknowledge') {
      // the notices not sent yet (all of them, or the acknowledger's own) are cancelled
      const pending = await tx
        .select({ id: blockerNotices.id })
        .from(blockerNotices)
        .innerJoin(deliveries, noticeJoin)
        .where(and(eq(blockerNotices.blockerId, blockerId), eq(deliveries.status, 'pending'), stopsAll ? undefined : inArray(blockerNotices.recipient, [actor])));
      await transitions.giveUp(
        tx,
        NOTICE,
        pending.map((n) => n.id),
        'cancelled',
      );
    }
    return { ok: true, blocker: updated!, message, eventId, force };
  });
  if (result.ok) {
    const b = result.blocker;
    deps.log.info({ blocker: b.id, action: action.kind, actor }, 'blocker action');
    if (b.nextDueAt) await deps.wakeups.escalate([{ blockerId: b.id, version: b.version, dueAt: b.nextDueAt, now }]);
    await deps.wakeups.renderBlockers([{ blockerId: b.id, version: b.messageVersion }]);
    // the DMs that escalated it show the change too (resolved by whom and when, acknowledged, snoozed, new owner)
    await deps.wakeups.updateNotices([{ blockerId: b.id, version: b.messageVersion }]);
    if (result.eventId) await deps.wakeups.postThreadLines([result.eventId]);
    await boardMoved(deps);
  }
  const { eventId: _e, force: _f, ...out } = result as ActResult & { eventId?: number; force?: boolean };
  return out;
}
