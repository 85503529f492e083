import { ConfigError, loadWorkspaceConfig } from '../../config/load.js';
import { applyOverridesInForce, type PlanOverride } from '../../config/overrides.js';
import { resolveProgram } from '../../config/resolve.js';
import { emailsByUserId } from '../../config/user-refs.js';
import type { WorkspaceConfig } from '../../config/workspace.js';
import { openDatabase } from '../../db/client.js';
import type { Program } from '../../domain/program/program.js';
import type { ComparedPlan } from '../../services/plan/compare.js';
import { planVersion } from '../../services/plan/version.js';
import { latestRecordedPlan } from '../../services/plan/versions.js';
import { activeOverrides } from '../../services/plan/overrides.js';
import { type TrackerTaskInputs, trackerTaskInputs } from '../../services/trackers/plan-tasks.js';
import { addTrackerTasks } from '../../config/tracker-tasks.js';
import { withCachedUserIds } from '../../services/preview/people.js';
import { readLiveState } from '../../services/preview/live-state.js';

/** Where the running plan was read from, for the header and the JSON's `running`. */
export interface RunningPlanInfo {
  /** `database`: the latest `plan_versions` row; `file`: the current file, without a database. */
  source: 'database' | 'file';
  version: string;
  /** The file it was applied from (`plan_versions.config_path`), or the current file read. */
  file: string;
  /** Who applied it and when (database only). */
  appliedAt: Date | null;
  appliedBy: string | null;
  /** One line: what was read, and why the file when it is the file. */
  detail: string;
}

/** The two plans to compare, with their versions. */
export interface PlansToCompare {
  running: ComparedPlan & { info: RunningPlanInfo };
  next: ComparedPlan & { file: string; version: string };
}

/** A file that is not a valid config: the loader's problems (file, line, key path, reason); exit code 1. */
export class PlanFileError extends Error {}

/** A parsed config resolved as the bot resolves it (src/config/resolve.ts), with its version (services/plan/version.ts). */
function resolved(parsed: WorkspaceConfig, withIds: WorkspaceConfig): { program: Program; version: string } {
  const program = resolveProgram(withIds, emailsByUserId(parsed, withIds));
  return { program, version: planVersion(program) };
}

/** Loads a config file, or throws {@link PlanFileError} with the loader's problems ("file: 2 problems" and one line each). */
function load(file: string, role: string, overrides: readonly PlanOverride[] = [], tracker?: TrackerTaskInputs): WorkspaceConfig {
  try {
    // tracker tasks first, then the overrides, as services/plan/overrides.ts `loadPlanConfig` does
    const withTracker = (raw: unknown) => (tracker ? addTrackerTasks(raw, tracker.rows, { userIdByEmail: tracker.userIdByEmail, file }) : raw);
    return loadWorkspaceConfig(file, overrides.length || tracker?.rows.length ? (raw) => applyOverridesInForce(withTracker(raw), overrides) : undefined);
  } catch (err) {
    if (err instanceof ConfigError) throw new PlanFileError(`${file}${role}: ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}\n${err.message}`);
    throw new PlanFileError(`${file}${role}: ${(err as Error).message}`);
  }
}

/**
 * The plan the bot runs and the new one, ready to compare (issue 20, "Plan before apply"):
 * - with `databaseUrl` answering and a plan recorded with its Program (services/plan/versions.ts
 *   `latestRecordedPlan`): that plan, and the live state (services/preview/live-state.ts) read for each plan; people
 *   of the new file given by email get the user IDs Preflight resolved for them (services/preview/people.ts);
 * - else the current file `runningFile` from the config alone (the detail line says why), as is the new one.
 * Never asks Slack. Read-only.
 * @throws PlanFileError when the new file, or the current file used as the running plan, is not a valid config.
 */
export async function plansToCompare(newFile: string, runningFile: string, databaseUrl: string | undefined): Promise<PlansToCompare> {
  const parsed = load(newFile, '');
  const fromFile = async (why: string): Promise<PlansToCompare> => {
    const current = load(runningFile, ' (the running plan)');
    const running = resolved(current, current);
    const next = resolved(parsed, parsed);
    return {
      running: {
        config: running.program,
        live: null,
        info: {
          source: 'file',
          version: running.version,
          file: runningFile,
          appliedAt: null,
          appliedBy: null,
          detail: `${why}: the running plan is the current file ${runningFile}, compared from the config alone.`,
        },
      },
      next: { config: next.program, live: null, file: newFile, version: next.version },
    };
  };
  if (!databaseUrl) return fromFile('DATABASE_URL is not set');
  const database = openDatabase(databaseUrl, () => {}, 1);
  try {
    const recorded = await latestRecordedPlan(database.db);
    if (!recorded) return await fromFile('No plan with its content is recorded in the database yet (the bot records it when it starts or reloads)');
    // the overrides made from Slack that the new file does not overrule stay in force after a reload: apply them
    const overrides = await activeOverrides(database.db);
    // the tasks the trackers hold now (issue 21), as a reload would take them; nothing is asked of Slack or a tracker
    const tracker = await trackerTaskInputs({ db: database.db });
    const withOverrides = overrides.length || tracker.rows.length ? load(newFile, ' (with the overrides made from Slack and the tracker tasks in force)', overrides, tracker) : parsed;
    const withIds = (await withCachedUserIds(database.db, withOverrides)).config;
    const next = resolved(withOverrides, withIds);
    const runningLive = await readLiveState(database.db, recorded.program);
    const nextLive = await readLiveState(database.db, next.program);
    const by = recorded.appliedBy;
    return {
      running: {
        config: recorded.program,
        live: runningLive,
        info: {
          source: 'database',
          version: recorded.version,
          file: recorded.configPath,
          appliedAt: recorded.appliedAt,
          appliedBy: by,
          detail: `The running plan is the latest recorded in the database (applied ${recorded.appliedAt.toISOString()} by ${by}, from ${recorded.configPath}), with the live state both plans are previewed with (${runningLive.outOfOffice.length} out-of-office, ${runningLive.skips.length} skips, ${runningLive.blockers.length} open blockers).${overrides.length ? ` The new file is read with the ${overrides.length} override(s) made from Slack that it does not overrule, as a reload would.` : ''}`,
        },
      },
      next: { config: next.program, live: nextLive, file: newFile, version: next.version },
    };
  } catch (err) {
    if (err instanceof PlanFileError) throw err;
    // drizzle wraps the driver's error ("Failed query: …"): its cause says what went wrong
    const e = err as Error & { cause?: unknown };
    return fromFile(`The database at DATABASE_URL could not be read (${(e.cause instanceof Error ? e.cause : e).message.split('\n')[0]})`);
  } finally {
    await database.pool.end().catch(() => {});
  }
}
