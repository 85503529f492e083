import { desc, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { planVersions } from '../../db/schema/index.js';
import type { AppliedBy } from './holder.js';

/** A row of `plan_versions`. */
export interface PlanVersionRow {
  serial: number;
  version: string;
  appliedAt: Date;
  appliedBy: AppliedBy;
  configPath: string;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The plan applied last on any replica, or null before the first. */
export async function latestPlanVersion(db: Db | Tx): Promise<PlanVersionRow | null> {
  const [row] = await db.select().from(planVersions).orderBy(desc(planVersions.id)).limit(1);
  return row ? { serial: row.id, version: row.version, appliedAt: row.appliedAt, appliedBy: row.appliedBy, configPath: row.configPath } : null;
}

/**
 * Records that `version` is applied, unless it is already the latest row (another replica applied the same file
 * first): then that row is returned as it is, so every replica shows the same who and when.
 */
export async function recordPlanVersion(db: Db, row: Omit<PlanVersionRow, 'serial'>): Promise<PlanVersionRow> {
  return db.transaction(async (tx) => {
    // one replica at a time, so two replicas reloading the same file record it once
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('preflight:plan_versions'))`);
    const latest = await latestPlanVersion(tx);
    if (latest?.version === row.version) return latest;
    const [inserted] = await tx.insert(planVersions).values(row).returning({ id: planVersions.id });
    return { ...row, serial: inserted!.id };
  });
}
