import { and, asc, eq, gte, isNull, lt, or } from 'drizzle-orm';
import { loadWorkspaceConfig } from '../../config/load.js';
import { type PlanOverride, applyOverrides, partitionOverrides } from '../../config/overrides.js';
import type { WorkspaceConfig } from '../../config/workspace.js';
import type { Db } from '../../db/client.js';
import { planOverrides } from '../../db/schema/index.js';
import type { Deps } from '../deps.js';
import { addTrackerTasks } from '../../config/tracker-tasks.js';
import { trackerTaskInputs } from '../trackers/plan-tasks.js';
import type { OverrideChange, OverrideRecord } from './override-record.js';

export type { OverrideChange, OverrideRecord } from './override-record.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const toRecord = (r: typeof planOverrides.$inferSelect): OverrideRecord => ({
  id: r.id,
  kind: r.kind,
  target: r.target,
  workstreamId: r.workstreamId,
  value: r.value ?? null,
  fileValue: r.fileValue ?? null,
  reason: r.reason,
  createdBy: r.createdBy,
  createdAt: r.createdAt,
  droppedAt: r.droppedAt,
  droppedBy: r.droppedBy,
  dropReason: r.dropReason,
});

/** The active overrides (not dropped), in creation order. @throws when Postgres does not answer. */
export async function activeOverrides(db: Db | Tx): Promise<OverrideRecord[]> {
  const rows = await db.select().from(planOverrides).where(isNull(planOverrides.droppedAt)).orderBy(asc(planOverrides.id));
  return rows.map(toRecord);
}

/** Every override of one task or gate (active and dropped), in creation order: what `/task show` lists. */
export async function overridesOf(db: Db, target: string): Promise<OverrideRecord[]> {
  const rows = await db.select().from(planOverrides).where(eq(planOverrides.target, target)).orderBy(asc(planOverrides.id));
  return rows.map(toRecord);
}

/** Each override with the value it replaced, from a set holding the overrides it may have replaced (same target). */
export function withBefore(rows: readonly OverrideRecord[], all: readonly OverrideRecord[] = rows): OverrideChange[] {
  return rows.map((o) => ({ override: o, before: all.find((p) => p.kind === o.kind && p.dropReason === `replaced by #${o.id}`)?.value ?? o.fileValue }));
}

/**
 * The plan changes of a window (the digest's "Plan changes today"): overrides made, or dropped, in [from, to),
 * oldest first, each with the value it replaced.
 * @param from @param to Unix ms.
 */
export async function planChangesBetween(db: Db, from: number, to: number): Promise<OverrideChange[]> {
  const [a, b] = [new Date(from), new Date(to)];
  const rows = (
    await db
      .select()
      .from(planOverrides)
      .where(or(and(gte(planOverrides.createdAt, a), lt(planOverrides.createdAt, b)), and(gte(planOverrides.droppedAt, a), lt(planOverrides.droppedAt, b))))
      .orderBy(asc(planOverrides.id))
  ).map(toRecord);
  if (!rows.length) return [];
  const targets = [...new Set(rows.map((r) => r.target))];
  const related = (await db.select().from(planOverrides).orderBy(asc(planOverrides.id))).map(toRecord).filter((r) => targets.includes(r.target));
  return withBefore(rows, related);
}

/**
 * Marks an active override dropped (a row is never deleted: the table is the audit).
 * @param by a user id, or `file` when the file won.
 * @returns whether this call dropped it (false: it was dropped already).
 */
export async function dropOverride(db: Db | Tx, id: number, by: string, reason: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(planOverrides)
    .set({ droppedAt: at, droppedBy: by, dropReason: reason })
    .where(and(eq(planOverrides.id, id), isNull(planOverrides.droppedAt)))
    .returning({ id: planOverrides.id });
  return rows.length > 0;
}

/**
 * The config a replica runs: PREFLIGHT_CONFIG with the tracker tasks (issue 21: the stored issues of each
 * `tasks_from` source, config/tracker-tasks.ts; owners by email through `deps.lookup` when given, else the cache) and
 * then the active overrides applied before validation (config/overrides.ts), for the reloader and start-up alike, so
 * the plan version covers both. An id in both the file and a tracker is a ConfigError naming both. File wins:
 * an active override the file now overrules (its field changed in the file, its task gone…) is dropped with
 * `dropped_by = 'file'`, the reason (`file changed: 15:00 → 16:00`) and an info log line, once the file (with the
 * overrides that still hold) validates; a file that does not validate drops nothing.
 * @param extra an override not stored yet, applied last, built from the file's raw document (a command checks its
 *   change with it before storing it, and reads the field's file value there); nothing is dropped then.
 * @throws ConfigError when the file (with the overrides) does not validate; a database error when Postgres does not
 *   answer (the reload then fails: the running plan stays).
 */
export async function loadPlanConfig(deps: Pick<Deps, 'db' | 'log' | 'clock'> & { lookup?: Deps['slack'] }, path: string, extra?: (raw: unknown) => PlanOverride): Promise<WorkspaceConfig> {
  const active = await activeOverrides(deps.db);
  const tracker = await trackerTaskInputs(deps);
  let overruled: ReturnType<typeof partitionOverrides>['overruled'] = [];
  const config = loadWorkspaceConfig(path, (file) => {
    const raw = addTrackerTasks(file, tracker.rows, { userIdByEmail: tracker.userIdByEmail, file: path });
    const split = partitionOverrides(raw, active);
    overruled = split.overruled;
    return applyOverrides(raw, extra ? [...split.kept, extra(raw)] : split.kept);
  });
  if (!extra) {
    const now = deps.clock.now().toJSDate();
    for (const { override, reason } of overruled) {
      if (await dropOverride(deps.db, override.id, 'file', reason, now)) {
        deps.log.info({ override: override.id, kind: override.kind, target: override.target, reason }, 'plan override dropped: the file changed the same field (file wins)');
      }
    }
  }
  return config;
}
