import { createHash } from 'node:crypto';
import { ConfigError } from '../../config/load.js';
import { resolveProgram } from '../../config/resolve.js';
import { emailsByUserId } from '../../config/user-refs.js';
import type { Program } from '../../domain/program/program.js';
import { queueOutbound } from '../delivery/outbound.js';
import type { Deps } from '../deps.js';
import { EmailLookupError, resolveEmails } from '../people/resolve-emails.js';
import { type AppliedBy, type AppliedPlan, type PlanHolder, isNewer } from './holder.js';
import { loadPlanConfig } from './overrides.js';
import { planVersion } from './version.js';
import { recordPlanVersion } from './versions.js';

/** What a reload did. */
export type ReloadOutcome =
  | { kind: 'applied'; plan: AppliedPlan }
  | { kind: 'unchanged'; plan: AppliedPlan }
  /** A newer plan than this one runs already (another replica's, or a reload that finished first). */
  | { kind: 'stale'; version: string; plan: AppliedPlan }
  | { kind: 'invalid'; message: string; plan: AppliedPlan };

/** Another replica's announcement: it applied `version` as `plan_versions` row `serial`. */
export interface PlanAnnouncement {
  serial: number;
  version: string;
}

/** What the reloader needs: the workers' Deps, the start-up's e-mail lookup client, the holder, and the adapters' hooks. */
export interface ReloaderDeps {
  /** The Deps the PM's DM about an invalid file is queued with (send-once delivery, services/delivery/outbound.ts). */
  deps: Deps;
  /** users.lookupByEmail (create-preflight.ts's lookup client), the same path as start-up. */
  lookup: Deps['slack'];
  holder: PlanHolder;
  /** PREFLIGHT_CONFIG. */
  path: string;
  /** Called after a failed reload (the `preflight_config_reload_failures_total` counter). */
  onFailure?: () => void;
  /** Called after a plan is applied (the `preflight_config_version_info` gauge). */
  onApplied?: (plan: AppliedPlan) => void;
  /** Tells the other replicas (Redis pub/sub); a failure is logged, they still reload on their own triggers. */
  announce?: (announcement: PlanAnnouncement) => Promise<void>;
}

/** Reloads PREFLIGHT_CONFIG, one reload at a time (see {@link createReloader}). */
export interface Reloader {
  /** The file it reloads (PREFLIGHT_CONFIG). */
  readonly path: string;
  /** Reads, validates and resolves the file, and applies it if it differs from the plan running now. */
  reload(by: AppliedBy): Promise<ReloadOutcome>;
  /**
   * Another replica applied a plan: reload the file too, unless this replica already runs that plan or a newer one,
   * or its file resolves to another plan (not synced yet: its file watcher reloads it when it is).
   */
  follow(announcement: PlanAnnouncement): Promise<ReloadOutcome>;
}

/** The plan a replica runs and how to reload it: what the Slack listeners (`/preflight plan`, `/preflight reload`) get. */
export interface PlanControl {
  holder: PlanHolder;
  reloader: Reloader;
}

/**
 * What to do with a plan read from the file, given the plan running now: the decision logic of a reload, pure.
 * `unchanged` when the versions are equal (nothing recorded, nothing swapped), `apply` otherwise.
 */
export function reloadDecision(running: Pick<AppliedPlan, 'version'>, candidateVersion: string): 'unchanged' | 'apply' {
  return running.version === candidateVersion ? 'unchanged' : 'apply';
}

/**
 * The reloader (issue 20, "Reload without a restart"). A reload reads PREFLIGHT_CONFIG with the start-up's loader,
 * resolves people's e-mail addresses to user IDs the same way, resolves the Program, hashes it
 * (services/plan/version.ts), records the version in `plan_versions` and swaps it into the holder whole. The file is
 * read with the active Slack overrides applied (services/plan/overrides.ts `loadPlanConfig`, file wins), so the
 * version covers them; overrides that cannot be read (Postgres down) fail the reload like a bad file. A file
 * that does not validate changes nothing: one warn line and a DM to the PM with the loader's message (file, line,
 * key path, reason; sent once per distinct message, through the send-once outbound delivery), and `onFailure`.
 * Reloads run one after another (a file watcher, SIGHUP and a command can fire together). A file problem is an
 * outcome (`invalid`), not an error; only a failed write of `plan_versions` (Postgres down) rejects, and then
 * nothing is swapped either.
 */
export function createReloader(args: ReloaderDeps): Reloader {
  const { db, clock, log } = args.deps;
  const deps = { ...args, db, clock, log };
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => {});
    return next;
  };

  const read = async (): Promise<{ program: Program; version: string } | { message: string }> => {
    try {
      const parsed = await loadPlanConfig(deps, deps.path);
      const withIds = await resolveEmails({ db: deps.db, slack: deps.lookup, clock: deps.clock, log: deps.log }, parsed, deps.path);
      const program = resolveProgram(withIds, emailsByUserId(parsed, withIds));
      return { program, version: planVersion(program) };
    } catch (err) {
      if (err instanceof ConfigError || err instanceof EmailLookupError) return { message: err.message };
      return { message: `${deps.path}: ${(err as Error).message}` };
    }
  };

  const fail = async (by: AppliedBy, message: string): Promise<ReloadOutcome> => {
    const running = deps.holder.current;
    deps.log.warn({ file: deps.path, by, running: running.version, problems: message }, 'config reload failed; the running plan stays');
    deps.onFailure?.();
    // one DM per problem and running plan, however many replicas (or file events) see it: keyed by the running
    // version and the problem's text, so the same mistake made again after a good reload is told again
    const text = `⚠️ Preflight could not reload ${deps.path}; the running plan (version ${running.version}) stays.\n${message}`;
    await queueOutbound(args.deps, [
      {
        kind: 'plan_reload_failed',
        key: `plan_reload_failed:${running.version}:${createHash('sha256').update(message).digest('hex').slice(0, 16)}`,
        channel: running.program.program.pm,
        message: { text },
      },
    ]).catch((err: Error) => deps.log.warn({ err: err.message }, 'could not queue the DM to the PM about the failed reload'));
    return { kind: 'invalid', message, plan: running };
  };

  const reloadNow = async (by: AppliedBy, announced?: PlanAnnouncement): Promise<ReloadOutcome> => {
    if (announced && !isNewer(deps.holder.current, announced)) return { kind: 'stale', version: announced.version, plan: deps.holder.current };
    const candidate = await read();
    if ('message' in candidate) return fail(by, candidate.message);
    if (reloadDecision(deps.holder.current, candidate.version) === 'unchanged') return { kind: 'unchanged', plan: deps.holder.current };
    if (announced && candidate.version !== announced.version) {
      // this replica's copy of the file is not the announced plan yet (a ConfigMap syncs within a minute or so): the
      // file watcher reloads it when it arrives; recording this copy would make the announced plan look older
      deps.log.info({ file: deps.path, announced: announced.version, file_version: candidate.version }, 'another replica applied a plan this file does not have yet');
      return { kind: 'stale', version: announced.version, plan: deps.holder.current };
    }
    const row = await recordPlanVersion(deps.db, { program: candidate.program, version: candidate.version, appliedAt: deps.clock.now().toJSDate(), appliedBy: by, configPath: deps.path });
    const plan: AppliedPlan = { program: candidate.program, version: row.version, serial: row.serial, appliedAt: row.appliedAt, appliedBy: row.appliedBy };
    if (!deps.holder.apply(plan)) return { kind: 'stale', version: plan.version, plan: deps.holder.current };
    deps.log.info({ file: deps.path, version: plan.version, by }, 'config reloaded');
    deps.onApplied?.(plan);
    if (!announced) {
      await deps.announce?.({ serial: plan.serial, version: plan.version }).catch((err: Error) => deps.log.warn({ err: err.message }, 'could not tell the other replicas about the new plan'));
    }
    return { kind: 'applied', plan };
  };

  return {
    path: deps.path,
    reload: (by) => serially(() => reloadNow(by)),
    follow: (announcement) => serially(() => reloadNow('file', announcement)),
  };
}

/**
 * The plan a replica starts with, recorded in `plan_versions` as applied by `startup` (or, when the latest row is
 * the same version, that row: the plan another replica applied, with its who and when).
 * @param program the Program resolved at start-up (src/preflight.ts).
 */
export async function startupPlan(deps: Pick<Deps, 'db' | 'clock'> & { path: string }, program: Program): Promise<AppliedPlan> {
  const row = await recordPlanVersion(deps.db, { program, version: planVersion(program), appliedAt: deps.clock.now().toJSDate(), appliedBy: 'startup', configPath: deps.path });
  return { program, version: row.version, serial: row.serial, appliedAt: row.appliedAt, appliedBy: row.appliedBy };
}
