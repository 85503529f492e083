import type { Readable } from 'node:stream';
import { and, asc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { deliveries, gonogoAudit } from '../../db/schema/index.js';
import { shortId } from '../../domain/blockers/blocker.js';
import type { InstantRange } from '../../domain/records/range.js';
import type { RetroAnswer, RetroGateEvent, RetroInput, RetroLadderStep } from '../../domain/retro/retro.js';
import type { Deps } from '../deps.js';
import { gateDueAt } from '../gonogo/facts.js';
import { streamRecords } from '../records/read.js';
import type { BlockerRecord, CheckinRecord, DecisionRecord, RecordKind, RecordOf, TaskRecord } from '../records/schemas.js';

/**
 * A link to a Slack message from its conversation and `ts`, when Slack's own permalink (chat.getPermalink, stored on
 * the delivery) is not recorded: `https://slack.com/archives/<channel>/p<ts without the dot>`, the form Slack's
 * permalinks take, which slack.com redirects to the reader's workspace.
 */
export function archiveLink(conversation: string, ts: string): string {
  return `https://slack.com/archives/${conversation}/p${ts.replace('.', '')}`;
}

async function collect<K extends RecordKind>(deps: Pick<Deps, 'db' | 'config'>, kind: K, range: InstantRange): Promise<RecordOf<K>[]> {
  const out: RecordOf<K>[] = [];
  for await (const r of (await streamRecords(deps, kind, range)) as Readable) out.push(r as RecordOf<K>);
  return out;
}

const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));

/**
 * The first posted message of the outbound messages whose key starts with each prefix (`decision-12:` → the
 * decision's announcements): its permalink, or an {@link archiveLink} from its conversation and ts. Prefixes with no
 * message posted are absent from the map.
 */
async function outboundLinks(deps: Pick<Deps, 'db'>, prefixes: readonly string[]): Promise<Map<string, string>> {
  if (!prefixes.length) return new Map();
  const res = await deps.db.execute<{ prefix: string; conversation: string; ts: string; permalink: string | null }>(sql`
    select distinct on (p.prefix) p.prefix, d.conversation, d.ts, d.permalink
    from unnest(array[${sql.join(
      prefixes.map((p) => sql`${p}`),
      sql`, `,
    )}]::text[]) as p(prefix)
    join outbound_messages o on starts_with(o.key, p.prefix)
    join deliveries d on d.kind = o.kind and d.owner_key = o.id::text
    where d.status = 'sent' and d.ts is not null and d.conversation is not null
    order by p.prefix, o.id`);
  return new Map(res.rows.map((r) => [r.prefix, r.permalink ?? archiveLink(r.conversation, r.ts)]));
}

/** The delivered messages of `kind` owned by `ownerKeys` (services/delivery): owner key → permalink, or an {@link archiveLink}. */
async function deliveryLinks(deps: Pick<Deps, 'db'>, kind: string, ownerKeys: readonly string[]): Promise<Map<string, string>> {
  if (!ownerKeys.length) return new Map();
  const rows = await deps.db
    .select({ ownerKey: deliveries.ownerKey, conversation: deliveries.conversation, ts: deliveries.ts, permalink: deliveries.permalink })
    .from(deliveries)
    .where(and(eq(deliveries.kind, kind), inArray(deliveries.ownerKey, [...ownerKeys]), eq(deliveries.status, 'sent')));
  return new Map(rows.flatMap((r) => (r.permalink ? [[r.ownerKey, r.permalink]] : r.conversation && r.ts ? [[r.ownerKey, archiveLink(r.conversation, r.ts)]] : [])));
}

/** Escalation steps of a blocker's timeline (`escalated` events Preflight made, one per ladder level reached). */
function ladderOf(b: BlockerRecord): RetroLadderStep[] {
  return b.timeline.flatMap((e) => {
    if (e.kind !== 'escalated' || typeof e.data.level !== 'number') return [];
    return [{ level: e.data.level, to: Array.isArray(e.data.to) ? (e.data.to as string[]) : [], at: Date.parse(e.at) }];
  });
}

/** The span of a range as the retro's window: ±Infinity for an open side. */
export function rangeWindow(range: InstantRange): { from: number; to: number } {
  return { from: range.start?.getTime() ?? Number.NEGATIVE_INFINITY, to: range.end?.getTime() ?? Number.POSITIVE_INFINITY };
}

/**
 * Reads what the retrospective needs over `range` (instants, domain/records/range.ts) from the same records
 * `npm run export` streams (services/records: blockers by raised_at, tasks by due, check-ins by open_at, decisions
 * by at), plus the gates' passes, failures and withdrawals from the go/no-go audit (gonogo_audit, by at). Each
 * item's permalink: the blocker message's (its delivery's permalink, else built from its channel and ts), the first posted decision announcement or gate notice
 * (outbound messages keyed `decision-<audit id>:` / `gate-passed-<audit id>:` / `gate-failed-<audit id>:`).
 * @param now Unix ms, the instant the retro is drafted (open things are measured until then)
 * @param answers the retro check-in's answers, grouped by the model (none until it ran)
 */
export async function readRetroInput(deps: Pick<Deps, 'db' | 'config'>, range: InstantRange, now: number, answers: readonly RetroAnswer[] = []): Promise<RetroInput> {
  const { config } = deps;
  const [blockers, tasks, checkins, decisions] = [
    await collect(deps, 'blockers', range),
    await collect(deps, 'tasks', range),
    await collect(deps, 'checkins', range),
    await collect(deps, 'decisions', range),
  ] as [BlockerRecord[], TaskRecord[], CheckinRecord[], DecisionRecord[]];

  const conditions: SQL[] = [inArray(gonogoAudit.kind, ['gate_passed', 'gate_failed', 'gate_withdrawn'])];
  if (range.start) conditions.push(gte(gonogoAudit.at, range.start));
  if (range.end) conditions.push(lt(gonogoAudit.at, range.end));
  const audit = await deps.db
    .select({ id: gonogoAudit.id, kind: gonogoAudit.kind, gateId: gonogoAudit.gateId, actor: gonogoAudit.actor, at: gonogoAudit.at, data: gonogoAudit.data })
    .from(gonogoAudit)
    .where(and(...conditions))
    .orderBy(asc(gonogoAudit.id));

  const gatePrefix = (a: (typeof audit)[number]) => (a.kind === 'gate_passed' ? `gate-passed-${a.id}:` : a.kind === 'gate_failed' ? `gate-failed-${a.id}:` : `withdrawal-${a.id}:`);
  // a blocker message whose permalink Slack did not give: a link from its channel and ts
  const blockerLinks = await deliveryLinks(
    deps,
    'blocker',
    blockers.filter((b) => !b.permalink).map((b) => String(b.id)),
  );
  const links = await outboundLinks(deps, [...decisions.map((d) => `decision-${d.id}:`), ...audit.map(gatePrefix)]);

  const gates: RetroGateEvent[] = audit.map((a) => {
    const gate = config.gates.find((g) => g.id === a.gateId);
    const data = a.data as { note?: string | null; blocker?: number };
    const withdrawn = a.kind === 'gate_withdrawn';
    return {
      gateId: a.gateId ?? '',
      gateName: gate?.name ?? a.gateId ?? '',
      outcome: withdrawn ? 'withdrawn' : a.kind === 'gate_passed' ? 'passed' : 'failed',
      by: withdrawn ? null : a.actor,
      at: a.at.getTime(),
      due: gate ? gateDueAt(deps, gate.due) : null,
      note: withdrawn && typeof data.blocker === 'number' ? `blocker ${shortId(data.blocker)} raised against it` : (data.note ?? null),
      permalink: links.get(gatePrefix(a)) ?? null,
    };
  });

  return {
    programName: config.program.name,
    zone: config.program.timezone,
    span: rangeWindow(range),
    now,
    workstreams: Object.entries(config.workstreams).map(([id, ws]) => ({ id, name: ws.name })),
    gates,
    decisions: decisions.map((d) => ({
      decision: d.decision,
      verdict: d.verdict,
      by: d.actor,
      at: Date.parse(d.at),
      note: d.note,
      permalink: links.get(`decision-${d.id}:`) ?? null,
    })),
    blockers: blockers.map((b) => ({
      id: b.id,
      shortId: b.short_id,
      workstreamId: b.workstream_id,
      severity: b.severity,
      text: b.text,
      source: b.source,
      raisedAt: Date.parse(b.raised_at),
      firstAcknowledgedAt: ms(b.first_acknowledged_at),
      resolvedAt: ms(b.resolved_at),
      ladder: ladderOf(b),
      permalink: b.permalink ?? blockerLinks.get(String(b.id)) ?? null,
    })),
    tasks: tasks.map((t) => ({ id: t.id, workstreamId: t.workstream_id, title: t.title, owner: t.owner, due: ms(t.due), doneAt: ms(t.done_at), permalink: null })),
    checkins: checkins.map((c) => ({ workstreamId: c.workstream_id, prompted: c.prompted, answered: c.answered })),
    answers,
  };
}
