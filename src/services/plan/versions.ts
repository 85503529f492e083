import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { planVersions } from '../../db/schema/index.js';
import { resolveProgram } from '../../config/resolve.js';
import type { WorkspaceConfig } from '../../config/workspace.js';
import type { Program } from '../../domain/program/program.js';
import type { AppliedBy } from './holder.js';

/** A row of `plan_versions`. */
export interface PlanVersionRow {
  serial: number;
  version: string;
  appliedAt: Date;
  appliedBy: AppliedBy;
  configPath: string;
}

/** A plan to record: its row, and the resolved Program it versions (stored as JSON in `plan_versions.program`). */
export type PlanVersionRecord = Omit<PlanVersionRow, 'serial'> & { program: Program };

/** The plan recorded last, with its Program: what `npm run plan` compares a new file with (issue 20, "Plan before apply"). */
export interface RecordedPlan extends PlanVersionRow {
  /** The Program as the bot resolved it, resolved again from its stored JSON (deep-frozen). */
  program: Program;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The plan applied last on any replica, or null before the first. */
export async function latestPlanVersion(db: Db | Tx): Promise<PlanVersionRow | null> {
  const [row] = await db
    .select({ id: planVersions.id, version: planVersions.version, appliedAt: planVersions.appliedAt, appliedBy: planVersions.appliedBy, configPath: planVersions.configPath })
    .from(planVersions)
    .orderBy(desc(planVersions.id))
    .limit(1);
  return row ? { serial: row.id, version: row.version, appliedAt: row.appliedAt, appliedBy: row.appliedBy, configPath: row.configPath } : null;
}

/**
 * Records that `version` is applied, with its Program, unless it is already the latest row (another replica applied
 * the same file first): then that row is returned as it is, so every replica shows the same who and when (a latest
 * row recorded before migration 0013, without its Program, gets it).
 */
export async function recordPlanVersion(db: Db, record: PlanVersionRecord): Promise<PlanVersionRow> {
  const { program, ...row } = record;
  return db.transaction(async (tx) => {
    // one replica at a time, so two replicas reloading the same file record it once
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('preflight:plan_versions'))`);
    const latest = await latestPlanVersion(tx);
    if (latest?.version === row.version) {
      await tx
        .update(planVersions)
        .set({ program })
        .where(and(eq(planVersions.id, latest.serial), isNull(planVersions.program)));
      return latest;
    }
    const [inserted] = await tx
      .insert(planVersions)
      .values({ ...row, program })
      .returning({ id: planVersions.id });
    return { ...row, serial: inserted!.id };
  });
}

/**
 * The plan recorded last, with its Program, or null when none is recorded or the latest row has no Program (recorded
 * before migration 0013; the next reload or start-up stores it). The stored JSON is the resolved Program, which
 * extends the parsed config: it is resolved again (src/config/resolve.ts `resolveProgram`, with the e-mail
 * addresses its people directory kept), so the derived parts follow this code's rules, as the preview's do.
 * @throws whatever the database throws (unreachable, not migrated).
 */
export async function latestRecordedPlan(db: Db): Promise<RecordedPlan | null> {
  const [row] = await db.select().from(planVersions).orderBy(desc(planVersions.id)).limit(1);
  if (!row?.program) return null;
  const stored = row.program as Program;
  const emails = new Map(Object.values(stored.people ?? {}).flatMap((p) => (p.email ? [[p.userId, p.email] as const] : [])));
  return {
    serial: row.id,
    version: row.version,
    appliedAt: row.appliedAt,
    appliedBy: row.appliedBy,
    configPath: row.configPath,
    program: resolveProgram(stored as WorkspaceConfig, emails),
  };
}
