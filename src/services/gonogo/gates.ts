import { and, eq, gte, inArray, lte, ne, or, sql } from 'drizzle-orm';
import type { WorkspaceConfig } from '../../config/workspace.js';
import { blockers, gateSignatures, gateStates, gonogoAudit } from '../../db/schema/index.js';
import { gatesWithdrawnBy, signatureEffect, withdrawalRecipients } from '../../domain/gonogo/signoff.js';
import { cannotPassBecause } from '../../domain/gonogo/verdict.js';
import type { EscalationPolicy } from '../../domain/blockers/ladder.js';
import type { SignOffReply } from '../../domain/gonogo/messages.js';
import type { Refusal } from '../../domain/permissions.js';
import { may } from '../permission-check.js';
import type { Deps } from '../deps.js';
import { type DbOrTx, insertOutbound } from '../delivery/outbound.js';
import { actOnBlocker } from '../blockers/act.js';
import { raiseBlocker } from '../blockers/raise.js';
import { reopenEscalation } from '../blockers/reopen.js';
import { nextDueAt } from '../blockers/ladder-state.js';
import type { BlockerRow } from '../blockers/rows.js';
import { gateFacts } from './facts.js';
import { escalateFailedGates, gateFailedNotices, gatePassedNotices } from './gate-outcome.js';
import { restateSignOffReminders } from './reminders.js';
import { awaySpansNow, signerCoveredBy } from './away-signers.js';
import { startGates } from '../workstreams/start-gates.js';
import { gateFailed } from '../warroom/triggers.js';
import { boardMoved } from '../board/moved.js';

/** `message`: the reply rendered by `deps.renderer` from its model (domain/gonogo/messages.ts SignOffReply). */
export type SignOffResult =
  | { ok: true; message: string }
  | { ok: false; reason: 'unknown' | 'requires' | 'noop'; message: string }
  /** Not a sign-off authority of the gate (domain/permissions.ts): the refusal names who can. */
  | { ok: false; reason: 'forbidden'; refusal: Refusal };

/**
 * A gate's sign-off authority signs it off (or fails it). Checked on the server: anyone else is refused with the
 * names of who can. A gate cannot be signed while a gate it requires has not passed.
 * - `any_of`: the signature passes the gate. `all_of` (joint): each signature is recorded (`gate_signatures`,
 *   audit `gate_signed`) and the last one passes the gate.
 * - A fail by any one signer fails the gate at once and clears its signatures (all must sign again).
 * The gate row is locked while it changes, so two signers at once pass it once. A pass queues, in the same
 * transaction (keyed by its audit row: once per transition, also after a crash or with two processes), the notices
 * to each workstream waiting for it and its members (gate-outcome.ts); a fail the notices to its downstream
 * workstreams, then escalates through the ladder (`on_fail`). A pending "not signed off by its due time"
 * escalation is resolved by either outcome (its DMs are edited to say so), and the go/no-go reminders naming the
 * gate are edited to its new state (reminders.ts).
 */
export async function signOffGate(deps: Deps, gateId: string, actor: string, outcome: 'passed' | 'failed', note: string | null): Promise<SignOffResult> {
  const reply = (r: SignOffReply) => deps.renderer.signOffReply(r).text;
  const gate = deps.config.gates.find((g) => g.id === gateId);
  if (!gate) return { ok: false, reason: 'unknown', message: reply({ kind: 'unknown-gate', gateId, gateIds: deps.config.gates.map((g) => g.id) }) };
  const allowed = may(deps.config, actor, { on: 'gate', verb: outcome === 'passed' ? 'sign-off' : 'fail', gateId });
  // issue 22: under `delegate_may_sign`, the delegate of an away signer signs off for them (never fails the gate)
  const signingFor =
    !allowed.allowed && outcome === 'passed' && gate.delegate_may_sign ? signerCoveredBy(deps, gate, actor, await awaySpansNow(deps, gate.sign_off, deps.clock.now()), deps.clock.now()) : null;
  if (!allowed.allowed && !signingFor) return { ok: false, reason: 'forbidden', refusal: allowed };
  const signer = signingFor ?? actor;
  const forText = signingFor ? ` (for <@${signingFor}>, who is away)` : '';
  const facts = await gateFacts(deps);
  const current = facts.find((f) => f.id === gateId)!;
  if (current.status === outcome) return { ok: false, reason: 'noop', message: reply({ kind: 'already', gateName: gate.name, outcome }) };
  if (outcome === 'passed') {
    const why = cannotPassBecause(gate, facts);
    if (why) return { ok: false, reason: 'requires', message: reply({ kind: 'cannot-pass', gateName: gate.name, why }) };
  }
  const now = deps.clock.now();
  const at = now.toJSDate();
  const authority = { rule: gate.sign_off_rule, signers: gate.sign_off };
  const res = await deps.db.transaction(async (tx) => {
    await tx.insert(gateStates).values({ gateId, status: 'pending', updatedAt: at }).onConflictDoNothing();
    const [row] = await tx.select().from(gateStates).where(eq(gateStates.gateId, gateId)).for('update');
    if (row!.status === outcome) return { result: { ok: false as const, reason: 'noop' as const, message: reply({ kind: 'already', gateName: gate.name, outcome }) }, queued: [] };
    const signed = (await tx.select({ userId: gateSignatures.userId }).from(gateSignatures).where(eq(gateSignatures.gateId, gateId))).map((r) => r.userId);
    const effect = signatureEffect(authority, signed, signer, outcome);
    if (effect.effect === 'already-signed') {
      return { result: { ok: false as const, reason: 'noop' as const, message: reply({ kind: 'already-signed', gateName: gate.name, pending: effect.pending }) }, queued: [] };
    }
    if (effect.effect === 'signed') {
      await tx
        .insert(gateSignatures)
        .values({ gateId, userId: signer, signedAt: at, note, delegate: signingFor ? actor : null })
        .onConflictDoNothing();
      await tx.insert(gonogoAudit).values({ kind: 'gate_signed', gateId, actor, at, data: { note, pending: effect.pending, ...(signingFor ? { for: signingFor } : {}) } });
      return { result: { ok: true as const, message: reply({ kind: 'signed', gateName: gate.name, pending: effect.pending }) + forText }, queued: [] };
    }
    const status = effect.effect === 'passes' ? ('passed' as const) : ('failed' as const);
    if (status === 'passed')
      await tx
        .insert(gateSignatures)
        .values({ gateId, userId: signer, signedAt: at, note, delegate: signingFor ? actor : null })
        .onConflictDoNothing();
    else await tx.delete(gateSignatures).where(eq(gateSignatures.gateId, gateId));
    await tx.update(gateStates).set({ status, signedBy: actor, signedFor: signingFor, signedAt: at, note, updatedAt: at }).where(eq(gateStates.gateId, gateId));
    const [audit] = await tx
      .insert(gonogoAudit)
      .values({
        kind: status === 'passed' ? 'gate_passed' : 'gate_failed',
        gateId,
        actor,
        at,
        data: { note, ...(gate.sign_off_rule === 'all_of' && status === 'passed' ? { signers: [...signed, signer] } : {}), ...(signingFor ? { for: signingFor } : {}) },
      })
      .returning({ id: gonogoAudit.id });
    const items =
      status === 'passed'
        ? await gatePassedNotices({ db: tx, config: deps.config, renderer: deps.renderer }, gate, audit!.id, now, new Map([...(await startGates(tx)), [gateId, { status, passedAt: at.getTime() }]]))
        : gateFailedNotices(deps, gate, audit!.id, actor, note);
    const queued = await insertOutbound(tx, at, items);
    return { result: { ok: true as const, message: reply({ kind: status, gateName: gate.name }) + forText }, queued, status };
  });
  await deps.wakeups.sendOutbound(res.queued);
  if (res.result.ok) await boardMoved(deps);
  // the go/no-go reminders that named this gate say what became of it (a signature, a pass, a fail)
  if (res.result.ok) await restateSignOffReminders(deps);
  if (!res.result.ok || !('status' in res)) return res.result;
  const [escalation] = await deps.db
    .select({ id: blockers.id })
    .from(blockers)
    .where(and(eq(blockers.gateId, gateId), eq(blockers.source, 'gate'), ne(blockers.status, 'resolved')));
  if (escalation) await actOnBlocker(deps, escalation.id, actor, { kind: 'resolve' }, { asSystem: true });
  if (res.status === 'failed') {
    await escalateFailedGates(deps, gateId);
    // issue 23: a failed gate opens the war room (or posts into it)
    await gateFailed(deps, gateId, actor, note, at);
  }
  deps.log.info({ gate: gateId, outcome, actor }, 'gate signed');
  return res.result;
}

/**
 * The `withdraw-signoffs` job, asked for by raiseBlocker after its commit (a wake-up, not a call: raise does
 * not import the gates). Loads the blocker and runs {@link withdrawSignOffsFor}, unless the blocker is gone or
 * was resolved before the job ran (then there is nothing left to withdraw for).
 * @returns the gates withdrawn.
 */
export async function withdrawSignOffsForBlocker(deps: Deps, blockerId: number): Promise<string[]> {
  const [blocker] = await deps.db.select().from(blockers).where(eq(blockers.id, blockerId));
  if (!blocker || blocker.status === 'resolved') return [];
  return withdrawSignOffsFor(deps, blocker);
}

/**
 * When each gate's oldest standing sign-off was given (Unix ms): a passed gate's `signed_at`, or the earliest
 * standing signature of a joint gate not passed yet. Gates without any are absent.
 */
async function signedSince(db: DbOrTx): Promise<Map<string, Date>> {
  const since = new Map<string, Date>();
  const keep = (gateId: string, at: Date | null) => {
    if (at && (!since.has(gateId) || at < since.get(gateId)!)) since.set(gateId, at);
  };
  for (const st of await db.select().from(gateStates).where(eq(gateStates.status, 'passed'))) keep(st.gateId, st.signedAt);
  for (const sig of await db
    .select({ gateId: gateSignatures.gateId, at: sql<Date>`min(${gateSignatures.signedAt})` })
    .from(gateSignatures)
    .groupBy(gateSignatures.gateId)) {
    keep(sig.gateId, new Date(sig.at));
  }
  return since;
}

/**
 * The sweeper's half of sign-off withdrawal (Postgres is the truth; the `withdraw-signoffs` job is only a
 * wake-up): every open blocker at a blocking severity, raised at or after a sign-off (or a joint gate's signature)
 * that still stands, against that gate or a workstream it unblocks. A wake-up lost to a Redis outage is asked for
 * again at the next sweep.
 * @returns the blocker ids whose withdrawal is still due (empty when nothing is signed).
 */
export async function withdrawalsDue(deps: Deps): Promise<number[]> {
  const blocking = deps.config.blockingSeverities;
  const due = new Set<number>();
  for (const [gateId, since] of await signedSince(deps.db)) {
    const gate = deps.config.gates.find((g) => g.id === gateId);
    if (!gate) continue;
    const against = gate.unblocks.length ? or(eq(blockers.gateId, gate.id), inArray(blockers.workstreamId, gate.unblocks)) : eq(blockers.gateId, gate.id);
    const rows = await deps.db
      .select({ id: blockers.id })
      .from(blockers)
      .where(and(ne(blockers.status, 'resolved'), ne(blockers.source, 'gate'), ne(blockers.source, 'task'), inArray(blockers.severity, blocking), gte(blockers.raisedAt, since), against));
    for (const r of rows) due.add(r.id);
  }
  return [...due];
}

/**
 * A new blocker at a blocking severity against a gate, or against one of the workstreams a gate unblocks,
 * withdraws that gate's sign-off: every signature given before the blocker was raised is cleared and a passed gate
 * goes back to pending, audited, with a DM to every signer of a joint gate (all must sign again; for `any_of`, to
 * whoever had signed) and to the PM, each queued and delivered once (services/delivery, keyed by the audit row);
 * all in one transaction per gate. Only sign-offs given before the blocker was raised are withdrawn (a job that
 * runs late never undoes a newer one).
 * @returns the gates withdrawn.
 */
export async function withdrawSignOffsFor(deps: Deps, blocker: BlockerRow): Promise<string[]> {
  const affected = gatesWithdrawnBy(blocker, deps.config.gates, deps.config.blockingSeverities);
  const withdrawn: string[] = [];
  const now = deps.clock.now().toJSDate();
  for (const gate of affected) {
    // the gate back to pending, its signatures, its audit row and the DMs commit together: a crash leaves the
    // sign-off standing (so the sweeper's withdrawalsDue still sees it and withdraws it again), never a silent withdrawal
    const queued = await deps.db.transaction(async (tx) => {
      await tx.insert(gateStates).values({ gateId: gate.id, status: 'pending', updatedAt: now }).onConflictDoNothing();
      const [state] = await tx.select().from(gateStates).where(eq(gateStates.gateId, gate.id)).for('update');
      const wasPassed = state!.status === 'passed' && state!.signedAt !== null && state!.signedAt <= blocker.raisedAt;
      const cleared = (
        await tx
          .delete(gateSignatures)
          .where(and(eq(gateSignatures.gateId, gate.id), lte(gateSignatures.signedAt, blocker.raisedAt)))
          .returning({ userId: gateSignatures.userId })
      ).map((r) => r.userId);
      if (!wasPassed && cleared.length === 0) return null;
      if (wasPassed) await tx.update(gateStates).set({ status: 'pending', updatedAt: now }).where(eq(gateStates.gateId, gate.id));
      const signers = gate.sign_off.filter((u) => cleared.includes(u) || (wasPassed && state!.signedBy === u));
      if (wasPassed && state!.signedBy && !signers.includes(state!.signedBy)) signers.push(state!.signedBy);
      const [audit] = await tx
        .insert(gonogoAudit)
        .values({ kind: 'gate_withdrawn', gateId: gate.id, actor: blocker.reporter, at: now, data: { blocker: blocker.id, severity: blocker.severity, signedBy: state!.signedBy, signers } })
        .returning({ id: gonogoAudit.id });
      const message = deps.renderer.signOffsWithdrawn({
        gateName: gate.name,
        rule: gate.sign_off_rule,
        withdrawn: signers,
        signOff: gate.sign_off,
        blockerId: blocker.id,
        severity: blocker.severity,
      });
      const recipients = withdrawalRecipients({ rule: gate.sign_off_rule, signers: gate.sign_off }, signers, deps.config.program.pm);
      return insertOutbound(
        tx,
        now,
        recipients.map((to) => ({ kind: 'withdrawal' as const, key: `withdrawal-${audit!.id}:${to}`, channel: to, message })),
      );
    });
    if (!queued) continue;
    withdrawn.push(gate.id);
    await deps.wakeups.sendOutbound(queued);
    await boardMoved(deps);
    await restateSignOffReminders(deps);
    deps.log.warn({ gate: gate.id, blocker: blocker.id }, 'gate sign-off withdrawn');
  }
  return withdrawn;
}

/**
 * The text of a gate's "not signed off by its due time" escalation. Its due time is not in the text (stored once,
 * read by many): the blocker's `due_at` is, and every message shows it in its reader's zone.
 */
function overdueText(gate: WorkspaceConfig['gates'][number]): string {
  return `Gate “${gate.name}” is not signed off.`;
}

/** Gate escalation ladder: the sign-off authority at the due time, then the PM 30 minutes later. */
export function gatePolicy(signOff: string[]): EscalationPolicy {
  return {
    ladder: [
      { afterMs: 0, notify: signOff },
      { afterMs: 30 * 60_000, notify: 'pm' },
    ],
    stopWhen: 'resolved',
  };
}

/**
 * Resolves the open escalation of every gate the running plan no longer has (a reload removed it), as the PM, with
 * a note in its thread (issue 20, "What a change does to what is under way"). The due-work sweep runs it
 * (jobs/registry.ts).
 * @returns the blocker ids resolved.
 */
export async function resolveRemovedGates(deps: Deps): Promise<number[]> {
  const open = await deps.db
    .select({ id: blockers.id, gateId: blockers.gateId })
    .from(blockers)
    .where(and(eq(blockers.source, 'gate'), ne(blockers.status, 'resolved')));
  const planned = new Set(deps.config.gates.map((g) => g.id));
  const resolved: number[] = [];
  for (const b of open) {
    if (b.gateId === null || planned.has(b.gateId)) continue;
    const note = `gate ${b.gateId} was removed from the plan`;
    const r = await actOnBlocker(deps, b.id, deps.config.program.pm, { kind: 'resolve', note }, { asSystem: true });
    if (r.ok) resolved.push(b.id);
  }
  return resolved;
}

/**
 * Re-plans the open "not signed off" escalation of every pending gate whose `due` a reload changed (issue 20): its
 * ladder counts from the new due time (the blocker's `raised_at` and `due_at` move to it), the levels already sent
 * stay sent (never sent twice), and the next one waits for its time under the new due. The blocker's message and the
 * DMs already sent are re-rendered with the new due time. The due-work sweep runs it (jobs/registry.ts).
 * @returns the blocker ids re-planned.
 */
export async function replanGateEscalations(deps: Deps): Promise<number[]> {
  const due = new Map((await gateFacts(deps)).filter((g) => g.status === 'pending' && g.dueAt !== null).map((g) => [g.id, g.dueAt!]));
  if (!due.size) return [];
  const open = await deps.db
    .select()
    .from(blockers)
    .where(and(eq(blockers.source, 'gate'), ne(blockers.status, 'resolved'), inArray(blockers.gateId, [...due.keys()])));
  const now = deps.clock.now().toJSDate();
  const replanned: number[] = [];
  for (const b of open) {
    const newDue = due.get(b.gateId!)!;
    if (b.dueAt === null || b.dueAt.getTime() === newDue) continue;
    const at = new Date(newDue);
    const [row] = await deps.db
      .update(blockers)
      .set({
        raisedAt: at,
        dueAt: at,
        nextDueAt: nextDueAt({ ...b, raisedAt: at, dueAt: at }),
        version: sql`${blockers.version} + 1`,
        messageVersion: sql`${blockers.messageVersion} + 1`,
      })
      .where(and(eq(blockers.id, b.id), eq(blockers.version, b.version)))
      .returning();
    if (!row) continue; // changed meanwhile: the next sweep sees it again
    replanned.push(row.id);
    deps.log.info({ blocker: row.id, gate: row.gateId, due: at.toISOString() }, 'gate escalation re-planned for its new due time');
    if (row.nextDueAt) await deps.wakeups.escalate([{ blockerId: row.id, version: row.version, dueAt: row.nextDueAt, now }]);
    await deps.wakeups.renderBlockers([{ blockerId: row.id, version: row.messageVersion }]);
    await deps.wakeups.updateNotices([{ blockerId: row.id, version: row.messageVersion }]);
  }
  return replanned;
}

/**
 * A gate not signed off by its due time escalates to its owners and then the PM through the blocker ladder
 * machinery (a blocker of source `gate`, one per gate by a unique key; resolved when the gate is signed).
 */
export async function escalateOverdueGates(deps: Deps): Promise<number> {
  const now = deps.clock.now().toMillis();
  const facts = await gateFacts(deps);
  let raised = 0;
  for (const g of facts) {
    if (g.status !== 'pending' || g.dueAt === null || g.dueAt > now) continue;
    const gate = deps.config.gates.find((x) => x.id === g.id)!;
    const [exists] = await deps.db
      .select()
      .from(blockers)
      .where(and(eq(blockers.gateId, g.id), eq(blockers.source, 'gate')));
    // a joint gate half-signed escalates to the signers still missing
    const unsigned = g.signOff.filter((u) => !g.signed.includes(u));
    if (exists?.status === 'resolved') {
      // signed, then withdrawn: the same escalation row starts over from its first level, as an overdue-gate
      // escalation again (the row may last have escalated a failure: gate-outcome.ts), to the signers still missing
      const episode = { text: overdueText(gate), severity: 'P1' as const, owner: unsigned[0], policy: gatePolicy(unsigned), reporter: deps.config.program.pm, dueAt: new Date(g.dueAt) };
      if (await reopenEscalation(deps, exists.id, episode, eq(blockers.status, 'resolved'))) raised++;
      continue;
    }
    if (exists) continue;
    const res = await raiseBlocker(deps, {
      reporter: deps.config.program.pm,
      text: overdueText(gate),
      severity: 'P1',
      dueAt: new Date(g.dueAt),
      owner: unsigned[0],
      workstreamId: gate.unblocks[0] ?? Object.keys(deps.config.workstreams)[0],
      gateId: g.id,
      source: 'gate',
      policy: gatePolicy(unsigned),
      channel: deps.config.program.channel,
    });
    if (res.ok) raised++;
  }
  return raised;
}
