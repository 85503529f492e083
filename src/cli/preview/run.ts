import type { DateTime } from 'luxon';
import { loadWorkspaceConfig } from '../../config/load.js';
import { applyOverridesInForce } from '../../config/overrides.js';
import { emailRefs } from '../../config/user-refs.js';
import type { WorkspaceConfig } from '../../config/workspace.js';
import { openDatabase } from '../../db/client.js';
import type { PreviewFilter } from '../../domain/preview/enumerate.js';
import { buildPreview } from '../../services/preview/build.js';
import { activeOverrides } from '../../services/plan/overrides.js';
import { trackerTaskInputs } from '../../services/trackers/plan-tasks.js';
import { addTrackerTasks } from '../../config/tracker-tasks.js';
import { readLiveState, type LiveState } from '../../services/preview/live-state.js';
import { withCachedUserIds } from '../../services/preview/people.js';
import { previewToIcs } from './ics.js';
import { previewToJson } from './json.js';
import { previewToTable } from './table.js';

export const PREVIEW_FORMATS = ['table', 'json', 'ics'] as const;
export type PreviewFormat = (typeof PREVIEW_FORMATS)[number];

/**
 * The live state at `databaseUrl`, or why the preview goes without it, and the config with people given by email
 * replaced by the user IDs Preflight resolved for them (services/preview/people.ts). Never throws: an unreachable or
 * unmigrated database means previewing from the config alone, and the `source` line says so.
 * @param file the file `config` was read from: when given, the overrides made from Slack that it does not overrule
 *   (`plan_overrides`, issue 20 "Replan from Slack") are applied as a reload would, and the `source` line counts them;
 *   a file that does not validate with them keeps `config` as read, and the line says so.
 */
export async function liveStateOrReason(config: WorkspaceConfig, databaseUrl: string | undefined, file?: string): Promise<{ live: LiveState | null; source: string; config: WorkspaceConfig }> {
  const byEmail = new Set(emailRefs(config).map((r) => r.email)).size;
  const asWritten = byEmail ? ` People given by email are shown as written (${byEmail}).` : '';
  if (!databaseUrl) return { live: null, config, source: `Previewing from the config alone (DATABASE_URL is not set): nobody out of office, every gate pending.${asWritten}` };
  const database = openDatabase(databaseUrl, () => {}, 1);
  try {
    const overrides = file ? await activeOverrides(database.db) : [];
    // the tasks the trackers hold now (issue 21), added before the overrides as a reload does
    const tracker = file ? await trackerTaskInputs({ db: database.db }) : { rows: [], userIdByEmail: new Map<string, string | null>() };
    let planned = config;
    let overridden = '';
    if ((overrides.length || tracker.rows.length) && file) {
      try {
        planned = loadWorkspaceConfig(file, (raw) => applyOverridesInForce(addTrackerTasks(raw, tracker.rows, { userIdByEmail: tracker.userIdByEmail, file }), overrides));
        if (overrides.length) overridden = ` With the ${overrides.length === 1 ? 'override' : `${overrides.length} overrides`} made from Slack (/task show, npm run plan -- --overrides).`;
        if (tracker.rows.length) overridden += ` With the ${tracker.rows.length} task(s) from trackers as last synced.`;
      } catch (err) {
        overridden = ` The overrides made from Slack are left out: with them the file does not validate (${(err as Error).message.split('\n')[0]}).`;
      }
    }
    const resolved = await withCachedUserIds(database.db, planned);
    const live = await readLiveState(database.db, resolved.config);
    const passed = [...live.gateStatus.values()].filter((s) => s === 'passed').length;
    const failed = [...live.gateStatus.values()].filter((s) => s === 'failed').length;
    const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
    const unresolved = resolved.unresolved ? ` ${n(resolved.unresolved, 'email')} not resolved yet (Preflight resolves them when it starts) shown as written.` : '';
    return {
      live,
      config: resolved.config,
      source: `Live state from the database: ${n(live.outOfOffice.length, 'out-of-office span')}, ${n(live.skips.length, 'recorded skip')}, ${passed} gate(s) passed, ${failed} failed, ${n(live.blockers.length, 'open blocker')}.${unresolved}${overridden}`,
    };
  } catch (err) {
    // drizzle wraps the driver's error ("Failed query: …"): its cause says what went wrong
    const e = err as Error & { cause?: unknown };
    const reason = (e.cause instanceof Error ? e.cause : e).message.split('\n')[0];
    return { live: null, config, source: `Previewing from the config alone: the database at DATABASE_URL could not be read (${reason}).${asWritten}` };
  } finally {
    await database.pool.end().catch(() => {});
  }
}

/**
 * The preview of `days` program-local days from `fromDate` (YYYY-MM-DD) in `format`, as the text to print.
 * @param now the instant the file is made (the ICS DTSTAMP).
 */
export function renderPreview(
  config: WorkspaceConfig,
  live: LiveState | null,
  source: string,
  opts: { fromDate: string; days: number; format: PreviewFormat; filter?: PreviewFilter; now: DateTime },
): string {
  const preview = buildPreview(config, live, opts.fromDate, opts.days, opts.filter ?? {});
  if (opts.format === 'json') return previewToJson(preview, source);
  if (opts.format === 'ics') return previewToIcs(preview, config.program.name, opts.now);
  return previewToTable(preview, config.program.name, source);
}

/** Today's date in the program's zone (YYYY-MM-DD): the default `--from`. */
export function programToday(config: WorkspaceConfig, now: DateTime): string {
  return now.setZone(config.program.timezone).toISODate()!;
}
