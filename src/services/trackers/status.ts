import { asc } from 'drizzle-orm';
import type { WorkspaceConfig } from '../../config/workspace.js';
import type { TrackerSourceConfig } from '../../config/schema/tasks-from.js';
import type { Db } from '../../db/client.js';
import { trackerSources } from '../../db/schema/index.js';
import { type StaleTracker, staleTrackers, type TrackerSyncState } from '../../domain/trackers/staleness.js';
import type { Deps } from '../deps.js';

/** One tracker source's sync health as stored in `tracker_sources` (times are UTC instants as Unix ms; null: never). */
export interface TrackerSyncStatus {
  /** `<workstream>/<index>`: the source's place in `workstreams.<id>.tasks_from`. */
  sourceId: string;
  /** `Jira LAUNCH`, `Linear ENG`, `GitHub acme/launch`. */
  label: string;
  lastSyncedAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

/** Every tracker source's sync health, in source id order (issue 21). Reads `tracker_sources` only. */
export async function trackerSyncStatus(db: Db): Promise<TrackerSyncStatus[]> {
  const rows = await db.select().from(trackerSources).orderBy(asc(trackerSources.sourceId));
  const ms = (d: Date | null) => (d ? d.getTime() : null);
  return rows.map((r) => ({ sourceId: r.sourceId, label: r.label, lastSyncedAt: ms(r.lastSyncedAt), lastError: r.lastError, lastErrorAt: ms(r.lastErrorAt) }));
}

/** The default reconcile poll period (config/schema/tasks-from.ts `poll_every`), for a source no longer configured. */
const DEFAULT_POLL_MS = 5 * 60_000;

/**
 * The `poll_every` (ms) of source `<workstream>/<index>` in the running plan; the schema's default when the source
 * is no longer configured. `tasks_from` is parsed by the schema but not part of the domain's declaration, so it is
 * read with its schema type here.
 */
export function pollEveryOf(config: WorkspaceConfig, sourceId: string): number {
  const [workstreamId, index] = sourceId.split('/');
  const ws = workstreamId ? (config.workstreams[workstreamId] as { tasks_from?: TrackerSourceConfig[] } | undefined) : undefined;
  const source = ws?.tasks_from?.[Number(index)];
  const settings = source ? (Object.values(source)[0] as { poll_every?: number } | undefined) : undefined;
  return settings?.poll_every ?? DEFAULT_POLL_MS;
}

/**
 * The tracker sources `/gonogo` and the digest warn about at the clock's now ("LAUNCH tasks last synced 14:05 —
 * unavailable: 503"): the rule is domain/trackers/staleness.ts `staleTrackers`, with each source's poll period from
 * the running plan. Empty when every source is healthy or none is configured.
 * @param workstreamId only this workstream's sources (`/preflight stats <ws>`); all when absent.
 */
export async function staleTrackerSources(deps: Pick<Deps, 'db' | 'config' | 'clock'>, workstreamId?: string): Promise<StaleTracker[]> {
  const status = (await trackerSyncStatus(deps.db)).filter((s) => workstreamId === undefined || s.sourceId.startsWith(`${workstreamId}/`));
  if (!status.length) return [];
  const states: TrackerSyncState[] = status.map((s) => ({ ...s, pollEveryMs: pollEveryOf(deps.config, s.sourceId) }));
  return staleTrackers(states, deps.clock.now().toMillis());
}
