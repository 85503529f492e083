import { and, eq, isNotNull, ne } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { WorkspaceConfig } from '../../config/workspace.js';
import { deliveries, gateSignatures, gateStates, outboundMessages } from '../../db/schema/index.js';
import type { SettledGate, SignOffReminder } from '../../domain/gonogo/messages.js';
import type { Deps } from '../deps.js';
import { outboundDelivery, restateOutbound } from '../delivery/outbound.js';
import { zoneOf } from '../checkins/participation.js';

/** A gate's recorded state, as the reminder tells it: status, who passed or failed it and when, its standing signatures. */
export interface GateSignOffState {
  status: 'pending' | 'passed' | 'failed';
  signedBy: string | null;
  signedAt: Date | null;
  /** Standing signatures (a joint gate signed by some of its signers), by user id. */
  signatures: Map<string, Date>;
}

/** Every gate's recorded state (a gate without a row is pending, unsigned). */
export async function gateSignOffStates(deps: Pick<Deps, 'db'>): Promise<Map<string, GateSignOffState>> {
  const out = new Map<string, GateSignOffState>();
  for (const s of await deps.db.select().from(gateStates)) out.set(s.gateId, { status: s.status, signedBy: s.signedBy, signedAt: s.signedAt, signatures: new Map() });
  for (const sig of await deps.db.select().from(gateSignatures)) {
    const s = out.get(sig.gateId) ?? { status: 'pending' as const, signedBy: null, signedAt: null, signatures: new Map() };
    s.signatures.set(sig.userId, sig.signedAt);
    out.set(sig.gateId, s);
  }
  return out;
}

/**
 * The go/no-go reminder DM to one sign-off authority (seed 004: "GO/NO-GO MEETING Feb 4, 2pm"), as the gates it
 * named stand now: the gates still waiting on their signature, and for each of the others what became of it
 * (passed or failed, by whom and when; signed by them, and who else must sign a joint gate). A model, rendered by
 * `deps.renderer` (src/slack/blocks/gonogo-reminder.ts) with its times in the recipient's zone
 * (services/checkins/participation.ts zoneOf).
 * @param gonogoAt the go/no-go time as configured (`gonogo.at`, program-local ISO).
 * @param gateIds the gates the reminder named when it was sent (config ids; a gate no longer configured is left out).
 */
export function signOffReminder(config: WorkspaceConfig, gonogoAt: string, user: string, gateIds: readonly string[], states: ReadonlyMap<string, GateSignOffState>): SignOffReminder {
  const zone = zoneOf(config, user);
  const when = DateTime.fromISO(gonogoAt, { zone: config.program.timezone });
  const waiting: string[] = [];
  const settled: SettledGate[] = [];
  for (const id of gateIds) {
    const gate = config.gates.find((g) => g.id === id);
    if (!gate) continue;
    const s = states.get(id);
    if (s?.status === 'passed' || s?.status === 'failed') settled.push({ kind: s.status, gateName: gate.name, by: s.signedBy, at: s.signedAt });
    else if (s?.signatures.has(user)) {
      settled.push({ kind: 'signed', gateName: gate.name, at: s.signatures.get(user)!, missing: gate.sign_off.filter((u) => !s.signatures.has(u)) });
    } else waiting.push(gate.name);
  }
  return { gonogoAt: when.toJSDate(), zone, waiting, settled };
}

/**
 * Keeps every go/no-go reminder already queued or sent true to its gates' state (DESIGN.md invariant 5): each one's
 * text is derived again from the gates it named and, when it differs, restated (services/delivery/outbound.ts
 * restateOutbound: posted with the new text if not sent yet, else edited in place once by the `update-outbound` job).
 * Called after a gate is signed, passed, failed or withdrawn, and by every due-work sweep (a crash in between delays
 * the edit by one sweep); two processes restate a reminder once.
 * @returns how many reminders were restated.
 */
export async function restateSignOffReminders(deps: Deps): Promise<number> {
  const reminders = await deps.db
    .select({ id: outboundMessages.id, channel: outboundMessages.channel, about: outboundMessages.about })
    .from(outboundMessages)
    .innerJoin(deliveries, outboundDelivery)
    .where(and(eq(outboundMessages.kind, 'gonogo_reminder'), isNotNull(outboundMessages.about), ne(deliveries.status, 'failed')));
  if (!reminders.length) return 0;
  const states = await gateSignOffStates(deps);
  let restated = 0;
  for (const r of reminders) {
    if (!r.about?.gonogoAt) continue;
    if (await restateOutbound(deps, r.id, deps.renderer.signOffReminder(signOffReminder(deps.config, r.about.gonogoAt, r.channel, r.about.gates, states)))) restated++;
  }
  return restated;
}
