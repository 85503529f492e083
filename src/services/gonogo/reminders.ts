import { and, eq, isNotNull, ne } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { WorkspaceConfig } from '../../config/workspace.js';
import { deliveries, gateSignatures, gateStates, outboundMessages } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import type { OutgoingMessage } from '../delivery/renderer.js';
import { outboundDelivery, restateOutbound } from '../delivery/outbound.js';
import { slackDate } from '../delivery/slack-date.js';
import { zoneOf } from '../standups/plans.js';

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

const mention = (u: string) => `<@${u}>`;

/**
 * The go/no-go reminder DM to one sign-off authority (seed 004: "GO/NO-GO MEETING Feb 4, 2pm"), as the gates it
 * named stand now: the gates still waiting on their signature, and for each of the others what became of it
 * ("✅ “QA” signed off by @ana <time>", "❌ … failed by …", "✍️ … you signed; it passes when @bo signs too").
 * Times are `<!date>` tokens whose fallbacks are in the recipient's zone (services/standups/plans.ts zoneOf).
 * @param gonogoAt the go/no-go time as configured (`gonogo.at`, program-local ISO).
 * @param gateIds the gates the reminder named when it was sent (config ids; a gate no longer configured is left out).
 */
export function signOffReminder(config: WorkspaceConfig, gonogoAt: string, user: string, gateIds: readonly string[], states: ReadonlyMap<string, GateSignOffState>): OutgoingMessage {
  const zone = zoneOf(config, user);
  const when = DateTime.fromISO(gonogoAt, { zone: config.program.timezone });
  const waiting: string[] = [];
  const settled: string[] = [];
  for (const id of gateIds) {
    const gate = config.gates.find((g) => g.id === id);
    if (!gate) continue;
    const name = `“${gate.name}”`;
    const s = states.get(id);
    const at = (d: Date | null) => (d ? ` ${slackDate(DateTime.fromJSDate(d), zone, 'day at time')}` : '');
    if (s?.status === 'passed') settled.push(`✅ ${name} signed off${s.signedBy ? ` by ${mention(s.signedBy)}` : ''}${at(s.signedAt)}.`);
    else if (s?.status === 'failed') settled.push(`❌ ${name} failed${s.signedBy ? ` by ${mention(s.signedBy)}` : ''}${at(s.signedAt)}.`);
    else if (s?.signatures.has(user)) {
      const missing = gate.sign_off.filter((u) => !s.signatures.has(u));
      settled.push(`✍️ ${name}: you signed${at(s.signatures.get(user)!)}; it passes when ${missing.map(mention).join(', ')} sign${missing.length === 1 ? 's' : ''} too.`);
    } else waiting.push(name);
  }
  const head = `⏰ The go/no-go is at ${slackDate(when, zone, 'day at time')}.`;
  const ask = waiting.length ? ` Still waiting on your sign-off: ${waiting.join(', ')}. Type \`/gonogo\` to see the summary and sign off.` : ' Nothing waits on your sign-off any more.';
  return { text: [`${head}${ask}`, ...settled].join('\n') };
}

/**
 * Keeps every go/no-go reminder already queued or sent true to its gates' state (DESIGN.md invariant 5): each one's
 * text is derived again from the gates it named and, when it differs, restated (services/delivery/outbound.ts
 * restateOutbound: posted with the new text if not sent yet, else edited in place once by the `update-outbound` job).
 * Called after a gate is signed, passed, failed or withdrawn, and by every blocker sweep (a crash in between delays
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
    if (await restateOutbound(deps, r.id, signOffReminder(deps.config, r.about.gonogoAt, r.channel, r.about.gates, states))) restated++;
  }
  return restated;
}
