import { and, eq, gte, inArray, lte, ne, or, sql } from 'drizzle-orm';
import { blockers, gateStates, gonogoAudit } from '../../db/schema/index.js';
import { cannotPassBecause } from '../../domain/gonogo/verdict.js';
import type { EscalationPolicy } from '../../domain/blockers/ladder.js';
import type { Refusal } from '../../domain/permissions.js';
import { may } from '../permissions.js';
import type { Deps } from '../deps.js';
import { insertOutbound } from '../delivery/outbound.js';
import { actOnBlocker } from '../blockers/act.js';
import { raiseBlocker } from '../blockers/raise.js';
import type { BlockerRow } from '../blockers/rows.js';
import { gateDueAt, gateFacts } from './facts.js';

export type SignOffResult =
  | { ok: true; message: string }
  | { ok: false; reason: 'unknown' | 'requires' | 'noop'; message: string }
  /** Not a sign-off authority of the gate (domain/permissions.ts): the refusal names who can. */
  | { ok: false; reason: 'forbidden'; refusal: Refusal };

/**
 * A gate's sign-off authority marks it passed (or failed). Checked on the server: anyone else is refused with
 * the names of who can. A gate cannot pass while a gate it requires has not. Recorded in the audit trail; a
 * pending "not signed off by its due time" escalation is resolved.
 */
export async function signOffGate(deps: Deps, gateId: string, actor: string, outcome: 'passed' | 'failed', note: string | null): Promise<SignOffResult> {
  const gate = deps.config.gates.find((g) => g.id === gateId);
  if (!gate) return { ok: false, reason: 'unknown', message: `There is no gate \`${gateId}\`. Gates: ${deps.config.gates.map((g) => `\`${g.id}\``).join(', ') || 'none'}.` };
  const allowed = may(deps.config, actor, { on: 'gate', verb: outcome === 'passed' ? 'sign-off' : 'fail', gateId });
  if (!allowed.allowed) return { ok: false, reason: 'forbidden', refusal: allowed };
  const facts = await gateFacts(deps);
  const current = facts.find((f) => f.id === gateId)!;
  if (current.status === outcome) return { ok: false, reason: 'noop', message: `“${gate.name}” is already ${outcome}.` };
  if (outcome === 'passed') {
    const why = cannotPassBecause(gate, facts);
    if (why) return { ok: false, reason: 'requires', message: `“${gate.name}” cannot pass yet: ${why}.` };
  }
  const now = deps.clock.now().toJSDate();
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(gateStates)
      .values({ gateId, status: outcome, signedBy: actor, signedAt: now, note, updatedAt: now })
      .onConflictDoUpdate({ target: gateStates.gateId, set: { status: outcome, signedBy: actor, signedAt: now, note, updatedAt: now } });
    await tx.insert(gonogoAudit).values({ kind: outcome === 'passed' ? 'gate_passed' : 'gate_failed', gateId, actor, at: now, data: { note } });
  });
  const [escalation] = await deps.db
    .select({ id: blockers.id })
    .from(blockers)
    .where(and(eq(blockers.gateId, gateId), eq(blockers.source, 'gate'), ne(blockers.status, 'resolved')));
  if (escalation) await actOnBlocker(deps, escalation.id, actor, { kind: 'resolve' }, { asSystem: true });
  deps.log.info({ gate: gateId, outcome, actor }, 'gate signed');
  return { ok: true, message: outcome === 'passed' ? `✅ “${gate.name}” signed off.` : `❌ “${gate.name}” marked failed.` };
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
 * The sweeper's half of sign-off withdrawal (Postgres is the truth; the `withdraw-signoffs` job is only a
 * wake-up): every open blocker at a blocking severity, raised at or after a sign-off that still stands, against
 * that gate or a workstream it unblocks. A wake-up lost to a Redis outage is asked for again at the next sweep.
 * @returns the blocker ids whose withdrawal is still due (empty when nothing is signed off).
 */
export async function withdrawalsDue(deps: Deps): Promise<number[]> {
  const blocking = deps.config.gonogo?.blocking_severities ?? ['P0'];
  const passed = await deps.db.select().from(gateStates).where(eq(gateStates.status, 'passed'));
  const due = new Set<number>();
  for (const state of passed) {
    const gate = deps.config.gates.find((g) => g.id === state.gateId);
    if (!gate || !state.signedAt) continue;
    const against = gate.unblocks.length ? or(eq(blockers.gateId, gate.id), inArray(blockers.workstreamId, gate.unblocks)) : eq(blockers.gateId, gate.id);
    const rows = await deps.db
      .select({ id: blockers.id })
      .from(blockers)
      .where(and(ne(blockers.status, 'resolved'), ne(blockers.source, 'gate'), ne(blockers.source, 'task'), inArray(blockers.severity, blocking), gte(blockers.raisedAt, state.signedAt), against));
    for (const r of rows) due.add(r.id);
  }
  return [...due];
}

/**
 * A new blocker at a blocking severity against a gate, or against one of the workstreams a gate unblocks,
 * withdraws that gate's sign-off (back to pending) and audits it, with a DM to the signer and the PM, each queued and
 * delivered once (services/delivery, keyed by the audit row); all in one transaction per gate. Only a sign-off given before the blocker was
 * raised is withdrawn (a job that runs late never undoes a newer sign-off).
 * @returns the gates withdrawn.
 */
export async function withdrawSignOffsFor(deps: Deps, blocker: BlockerRow): Promise<string[]> {
  const blocking = deps.config.gonogo?.blocking_severities ?? ['P0'];
  if (!blocking.includes(blocker.severity) || blocker.source === 'gate' || blocker.source === 'task') return [];
  const affected = deps.config.gates.filter((g) => g.id === blocker.gateId || g.unblocks.includes(blocker.workstreamId));
  const withdrawn: string[] = [];
  const now = deps.clock.now().toJSDate();
  for (const gate of affected) {
    // the gate back to pending, its audit row and the DMs commit together: a crash leaves the sign-off standing
    // (so the sweeper's withdrawalsDue still sees it and withdraws it again), never a silent withdrawal
    const queued = await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .update(gateStates)
        .set({ status: 'pending', updatedAt: now })
        .where(and(eq(gateStates.gateId, gate.id), eq(gateStates.status, 'passed'), lte(gateStates.signedAt, blocker.raisedAt)))
        .returning();
      if (!row) return null;
      const [audit] = await tx
        .insert(gonogoAudit)
        .values({ kind: 'gate_withdrawn', gateId: gate.id, actor: blocker.reporter, at: now, data: { blocker: blocker.id, severity: blocker.severity, signedBy: row.signedBy } })
        .returning({ id: gonogoAudit.id });
      const text = `⚠️ The sign-off of gate “${gate.name}”${row.signedBy ? ` by <@${row.signedBy}>` : ''} was withdrawn: B-${blocker.id} (${blocker.severity}) was raised against it afterwards. Sign it off again once that is resolved.`;
      const recipients = [...new Set([row.signedBy, deps.config.program.pm].filter((x): x is string => Boolean(x)))];
      return insertOutbound(
        tx,
        now,
        recipients.map((to) => ({ kind: 'withdrawal' as const, key: `withdrawal-${audit!.id}:${to}`, channel: to, message: { text } })),
      );
    });
    if (!queued) continue;
    withdrawn.push(gate.id);
    await deps.wakeups.sendOutbound(queued);
    deps.log.warn({ gate: gate.id, blocker: blocker.id }, 'gate sign-off withdrawn');
  }
  return withdrawn;
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
    if (exists?.status === 'resolved') {
      // signed, then withdrawn: the same escalation starts over from its first level
      const now = deps.clock.now().toJSDate();
      const [reopened] = await deps.db
        .update(blockers)
        .set({
          status: 'open',
          levelsDone: 0,
          repeatsDone: 0,
          lastNotifiedAt: null,
          acknowledgedBy: [],
          resolvedAt: null,
          resolvedBy: null,
          raisedAt: now,
          nextDueAt: now,
          version: sql`${blockers.version} + 1`,
          messageVersion: sql`${blockers.messageVersion} + 1`,
        })
        .where(and(eq(blockers.id, exists.id), eq(blockers.status, 'resolved')))
        .returning();
      if (reopened) {
        await deps.wakeups.escalate([{ blockerId: reopened.id, version: reopened.version, dueAt: now, now }]);
        await deps.wakeups.renderBlockers([{ blockerId: reopened.id, version: reopened.messageVersion }]);
        raised++;
      }
      continue;
    }
    if (exists) continue;
    const res = await raiseBlocker(deps, {
      reporter: deps.config.program.pm,
      text: `Gate “${gate.name}” was due ${new Date(gateDueAt(deps, gate.due)!).toISOString().slice(0, 16).replace('T', ' ')} UTC and is not signed off.`,
      severity: 'P1',
      owner: gate.sign_off[0],
      workstreamId: gate.unblocks[0] ?? Object.keys(deps.config.workstreams)[0],
      gateId: g.id,
      source: 'gate',
      policy: gatePolicy(gate.sign_off),
      channel: deps.config.program.channel,
    });
    if (res.ok) raised++;
  }
  return raised;
}
