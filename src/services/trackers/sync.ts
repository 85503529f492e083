import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { stringify } from 'safe-stable-stringify';
import type { Db } from '../../db/client.js';
import { blockers, taskStates, trackerIssues, trackerSources } from '../../db/schema/index.js';
import type { TrackerChange, TrackerIssue, TrackerKind } from '../../domain/trackers/tracker-issue.js';
import { actOnBlocker } from '../blockers/act.js';
import { queueOutbound } from '../delivery/outbound.js';
import type { Deps } from '../deps.js';
import { reopenTask, updateTask } from '../tasks/update.js';
import { TrackerAuthError, type TrackerAdapter, TrackerRateLimitError, type WebhookHeaders } from './adapter.js';
import type { TrackerSettings } from './adapters.js';
import { type ConfiguredSource, configuredSources } from './sources.js';
import { performWriteBacks } from './write-back.js';
import pRetry from 'p-retry';

export { type ConfiguredSource, configuredSources } from './sources.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/*
 * The tracker sync (issue 21): keeps `tracker_issues` equal to each `tasks_from` source, and the plan and the task
 * states following it. Three ways in: the first sync at start-up and the reconcile poll (a complete listing: rows
 * missing from it are marked deleted), and webhook deliveries (one issue each). Every way ends in {@link storeIssues}
 * (never overwrites a newer `updatedAt`) and then, for what changed: ONE plan reload (coalesced) when tasks or their
 * fields changed, then done / re-opened / status percent through services/tasks/update.ts, and the escalation of a
 * deleted issue's task resolved with a note. One sync per source at a time across replicas ({@link SourceLock}).
 */

/** A warning about a source that keeps failing is logged at most once per this many ms. */
export const TRACKER_WARN_EVERY_MS = 30 * 60_000;

/**
 * A cross-replica lock per source (jobs/tracker-lock.ts: a Redis key set with NX and a TTL, released only by its
 * holder). `run` calls `fn` while holding it; `wait: false` gives `busy` at once when another replica holds it.
 */
export interface SourceLock {
  run<T>(sourceId: string, opts: { wait: boolean }, fn: () => Promise<T>): Promise<T | 'busy'>;
}

/** What the sync needs besides the Deps. */
export interface TrackerSyncOptions {
  /** The Deps of the running plan (read again after a reload). */
  deps: () => Deps;
  /**
   * Builds a source's adapter (services/trackers/adapters.ts `createAdapter` with the environment, in production; it
   * loads the tracker's client on first use, hence the promise). Called once per source and settings.
   */
  adapterFor: (source: ConfiguredSource) => TrackerAdapter | Promise<TrackerAdapter>;
  /** Reloads the plan (services/plan/reload.ts), so it takes the stored issues in. */
  reload: () => Promise<unknown>;
  lock: SourceLock;
}

/** One stored change: `before` null for an issue new (or back from deleted), `after` null for one deleted. */
export interface IssueChange {
  key: string;
  before: TrackerIssue | null;
  after: TrackerIssue | null;
}

/** What one sync of a source did. */
export type SyncOutcome =
  | { kind: 'synced'; changes: number; planChanged: boolean }
  /** Another replica syncs this source now. */
  | { kind: 'busy' }
  /** Waiting out a 429's Retry-After until `until` (Unix ms); no call made. */
  | { kind: 'rate-limited'; until: number }
  | { kind: 'failed'; error: string };

/** A webhook request's answer: 2xx accepted (applied in the background), 401 bad signature, 404 no source takes webhooks. */
export interface WebhookAnswer {
  status: 202 | 401 | 404;
  body: string;
}

/** The sync of every configured source of the running plan (see the file's comment). */
export interface TrackerSync {
  /** Reads the whole source (the first sync and the reconcile poll) and applies what changed. Never throws for a tracker fault. */
  syncSource(sourceId: string): Promise<SyncOutcome>;
  /** {@link syncSource} for every configured source, one after another. */
  syncAll(): Promise<Record<string, SyncOutcome>>;
  /**
   * Start-up's first sync: every source at once; a source whose sync failed (tracker down, slow, 5xx, a refused
   * token), waits out a 429 or is busy (its lock held by another sync, a write-back pass or a webhook delivery, which
   * need not list the issues) is tried again after about 5 s, 10 s, 20 s… (never further apart than its
   * `poll_every`; 8 tries in all), so a tracker that was down or slow at start-up is not left until the first poll.
   * Stops trying when `signal` aborts (shutdown). Never rejects.
   * @returns the last outcome per source id.
   */
  firstSync(signal?: AbortSignal): Promise<Record<string, SyncOutcome>>;
  /** Applies a webhook's changes to one source (refetching through `getIssue` when told); waits for the source's lock. */
  applyChanges(sourceId: string, changes: readonly TrackerChange[]): Promise<SyncOutcome>;
  /**
   * A webhook request for `kind`: verified with each source of that kind that has a secret (`webhook_secret_env`);
   * the first that verifies takes it. Parsing and applying run in the background (the poll repairs a lost one).
   */
  receiveWebhook(kind: TrackerKind, headers: WebhookHeaders, rawBody: Buffer, env: NodeJS.ProcessEnv): Promise<WebhookAnswer>;
  /**
   * Performs the source's pending write-backs (services/trackers/write-back.ts) under its lock; nothing for a source
   * without `write_back: true`. Faults are handled as a sync's (last_error, one warning, Retry-After).
   */
  writeBacks(sourceId: string): Promise<SyncOutcome>;
  /** Resolves when every background application started by {@link receiveWebhook} has finished (tests, shutdown). */
  idle(): Promise<void>;
  /**
   * Start-up's check of every source's token (adapter `checkAuth`), all at once.
   * @throws TrackerAuthError for the first refused token; an Error naming a variable that is not set.
   */
  checkTokens(): Promise<void>;
}

/** Fields of an issue that make the plan (the task); `status`, `done` and `updatedAt` go to task states instead. */
const planFields = (i: TrackerIssue) => stringify([i.title, i.url, i.assigneeEmail, i.due, i.estimate, i.priority, [...i.blockedBy].sort()]);

/** Whether a set of changes needs a plan reload: an issue added or deleted, or a field of its task changed. */
export function changesPlan(changes: readonly IssueChange[]): boolean {
  return changes.some((c) => !c.before || !c.after || planFields(c.before) !== planFields(c.after));
}

/** The percent of a status from `status_progress` (any case), or undefined when it is not listed. */
export function statusPercent(settings: Pick<TrackerSettings, 'status_progress'>, status: string): number | undefined {
  const wanted = status.trim().toLowerCase();
  const hit = Object.entries(settings.status_progress ?? {}).find(([name]) => name.trim().toLowerCase() === wanted);
  return hit?.[1];
}

/**
 * Stores issues of one source in one transaction, each only when it is newer than the row (`trackerUpdatedAt`) or
 * the row was deleted; with `complete` (a whole listing), the source's rows missing from `issues` are marked
 * deleted. Rows are locked while compared, so two writers store each change once.
 * @returns what changed, for the caller to apply.
 */
export async function storeIssues(
  db: Db,
  source: Pick<ConfiguredSource, 'sourceId' | 'workstreamId'>,
  issues: readonly TrackerIssue[],
  opts: { complete: boolean; deleted?: readonly string[]; now: Date },
): Promise<IssueChange[]> {
  return db.transaction(async (tx) => {
    const changes: IssueChange[] = [];
    const keys = issues.map((i) => i.key);
    const existing = new Map<string, typeof trackerIssues.$inferSelect>();
    const lockRows = async (where: ReturnType<typeof eq>) => {
      for (const r of await tx.select().from(trackerIssues).where(where).for('update')) existing.set(r.key, r);
    };
    if (opts.complete) await lockRows(eq(trackerIssues.sourceId, source.sourceId));
    const others = keys.filter((k) => !existing.has(k)).concat((opts.deleted ?? []).filter((k) => !existing.has(k)));
    for (let i = 0; i < others.length; i += 1000) await lockRows(inArray(trackerIssues.key, others.slice(i, i + 1000)) as ReturnType<typeof eq>);
    const seen = new Set<string>();
    for (const issue of issues) {
      seen.add(issue.key);
      const row = existing.get(issue.key);
      const at = new Date(issue.updatedAt);
      const live = row && row.deletedAt === null;
      // a key another source holds stays there (two sources' filters overlap): no flapping between them
      if (row && live && row.sourceId !== source.sourceId) continue;
      if (row && live && row.trackerUpdatedAt.getTime() >= at.getTime()) continue;
      if (row && !live && row.trackerUpdatedAt.getTime() > at.getTime()) continue;
      await upsertRow(tx, source, issue, at, opts.now);
      changes.push({ key: issue.key, before: live ? row.issue : null, after: issue });
    }
    const gone = opts.complete
      ? [...existing.values()].filter((r) => r.sourceId === source.sourceId && r.deletedAt === null && !seen.has(r.key)).map((r) => r.key)
      : (opts.deleted ?? []).filter((k) => existing.get(k)?.deletedAt === null);
    if (gone.length) {
      await tx.update(trackerIssues).set({ deletedAt: opts.now, syncedAt: opts.now }).where(inArray(trackerIssues.key, gone));
      for (const key of gone) changes.push({ key, before: existing.get(key)!.issue, after: null });
    }
    return changes;
  });
}

async function upsertRow(tx: Tx, source: Pick<ConfiguredSource, 'sourceId' | 'workstreamId'>, issue: TrackerIssue, at: Date, now: Date): Promise<void> {
  const values = { key: issue.key, sourceId: source.sourceId, workstreamId: source.workstreamId, issue, trackerUpdatedAt: at, syncedAt: now, deletedAt: null };
  await tx
    .insert(trackerIssues)
    .values(values)
    .onConflictDoUpdate({ target: trackerIssues.key, set: { sourceId: values.sourceId, workstreamId: values.workstreamId, issue, trackerUpdatedAt: at, syncedAt: now, deletedAt: null } });
}

/**
 * Creates the sync. Faults (adapter errors, services/trackers/adapter.ts): the stored issues stay (the plan keeps
 * the tasks), `tracker_sources.last_error` says what failed, one warning log per source per
 * {@link TRACKER_WARN_EVERY_MS} (`warned_at`); a 429 waits its Retry-After before the next call to that source; a
 * refused token DMs the PM once (`pm_notified_at`) until a sync works again, which clears the error and the notices.
 */
export function createTrackerSync(opts: TrackerSyncOptions): TrackerSync {
  const adapters = new Map<string, { fingerprint: string; adapter: Promise<TrackerAdapter> }>();
  const pausedUntil = new Map<string, number>();
  const background = new Set<Promise<unknown>>();

  const sourceOf = (sourceId: string) => configuredSources(opts.deps().config).find((s) => s.sourceId === sourceId);
  const adapterOf = (source: ConfiguredSource): Promise<TrackerAdapter> => {
    const fingerprint = stringify(source.settings) ?? '';
    const cached = adapters.get(source.sourceId);
    if (cached?.fingerprint === fingerprint) return cached.adapter;
    const adapter = Promise.resolve()
      .then(() => opts.adapterFor(source))
      .catch((err: unknown) => {
        // a missing variable set since: built again next time; unless a newer build (settings changed while this
        // one ran) has taken the entry, which stays
        if (adapters.get(source.sourceId)?.adapter === adapter) adapters.delete(source.sourceId);
        throw err;
      });
    adapters.set(source.sourceId, { fingerprint, adapter });
    return adapter;
  };

  // one plan reload for a burst of changes: a call while one runs waits for one more after it
  let reloading: Promise<unknown> | null = null;
  let again: Promise<unknown> | null = null;
  const reloadPlan = (): Promise<unknown> => {
    if (!reloading) {
      reloading = opts.reload().finally(() => {
        reloading = null;
      });
      return reloading;
    }
    again ??= reloading
      .catch(() => {})
      .then(() => {
        again = null;
        return reloadPlan();
      });
    return again;
  };

  const touchSource = async (deps: Deps, source: ConfiguredSource, set: Partial<typeof trackerSources.$inferInsert>) => {
    await deps.db
      .insert(trackerSources)
      .values({ sourceId: source.sourceId, workstreamId: source.workstreamId, kind: source.kind, label: source.label, ...set })
      .onConflictDoUpdate({ target: trackerSources.sourceId, set: { workstreamId: source.workstreamId, kind: source.kind, label: source.label, ...set } });
  };

  const succeeded = async (deps: Deps, source: ConfiguredSource, complete: boolean) => {
    const now = deps.clock.now().toJSDate();
    await touchSource(deps, source, { lastAttemptAt: now, lastError: null, lastErrorAt: null, warnedAt: null, authRefusedAt: null, pmNotifiedAt: null, ...(complete ? { lastSyncedAt: now } : {}) });
  };

  const failed = async (deps: Deps, source: ConfiguredSource, err: unknown): Promise<SyncOutcome> => {
    const now = deps.clock.now().toJSDate();
    const auth = err instanceof TrackerAuthError;
    const message = auth ? `token refused (${err.envVar})` : err instanceof TrackerRateLimitError ? 'rate limited' : ((err as Error).message ?? String(err));
    if (err instanceof TrackerRateLimitError) pausedUntil.set(source.sourceId, now.getTime() + err.retryAfterMs);
    await touchSource(deps, source, { lastAttemptAt: now, lastError: message, lastErrorAt: now, ...(auth ? { authRefusedAt: now } : {}) });
    // one warning per source per 30 min, whichever replica saw it
    const warn = await deps.db
      .update(trackerSources)
      .set({ warnedAt: now })
      .where(and(eq(trackerSources.sourceId, source.sourceId), or(isNull(trackerSources.warnedAt), lt(trackerSources.warnedAt, new Date(now.getTime() - TRACKER_WARN_EVERY_MS)))))
      .returning({ id: trackerSources.sourceId });
    if (warn.length) deps.log.warn({ source: source.label, source_id: source.sourceId, err: message }, 'tracker sync failed; its tasks keep their last known state');
    if (auth) {
      const first = await deps.db
        .update(trackerSources)
        .set({ pmNotifiedAt: now })
        .where(and(eq(trackerSources.sourceId, source.sourceId), isNull(trackerSources.pmNotifiedAt)))
        .returning({ id: trackerSources.sourceId });
      if (first.length) {
        const text = `⚠️ ${source.label} refused the token in ${err.envVar}: Preflight keeps its tasks as last synced until the token works again. Set a valid token in ${err.envVar} (and restart Preflight).`;
        await queueOutbound(deps, [{ kind: 'tracker_token_refused', key: `tracker_token_refused:${source.sourceId}:${now.getTime()}`, channel: deps.config.program.pm, message: { text } }]);
      }
    }
    return { kind: 'failed', error: message };
  };

  /** Applies stored changes: the plan first (new tasks must exist), then task states and deleted tasks' escalations. */
  const applyStored = async (source: ConfiguredSource, changes: IssueChange[]): Promise<boolean> => {
    const planChanged = changesPlan(changes);
    if (planChanged) await reloadPlan();
    const deps = opts.deps();
    for (const c of changes) {
      if (c.after) await applyTaskState(deps, source, { ...c, after: c.after });
      else await resolveDeletedEscalation(deps, source, c.key);
    }
    return planChanged;
  };

  const guarded = async (
    source: ConfiguredSource,
    wait: boolean,
    run: (adapter: TrackerAdapter, deps: Deps) => Promise<{ changes: IssueChange[]; complete: boolean; listed?: TrackerIssue[] }>,
  ): Promise<SyncOutcome> => {
    const until = pausedUntil.get(source.sourceId) ?? 0;
    if (until > opts.deps().clock.now().toMillis()) return { kind: 'rate-limited', until };
    const result = await opts.lock.run(source.sourceId, { wait }, async (): Promise<SyncOutcome> => {
      const deps = opts.deps();
      try {
        const { changes, complete, listed } = await run(await adapterOf(source), deps);
        await succeeded(deps, source, complete);
        const planChanged = await applyStored(source, changes);
        if (listed) await catchUpDone(opts.deps(), source, listed, new Set(changes.map((c) => c.key)));
        if (changes.length) deps.log.info({ source: source.label, changes: changes.length, plan_changed: planChanged }, 'tracker changes applied');
        return { kind: 'synced', changes: changes.length, planChanged };
      } catch (err) {
        return failed(deps, source, err);
      }
    });
    return result === 'busy' ? { kind: 'busy' } : result;
  };

  const syncSource = async (sourceId: string): Promise<SyncOutcome> => {
    const source = sourceOf(sourceId);
    if (!source) return { kind: 'failed', error: `no tracker source ${sourceId} in the running plan` };
    return guarded(source, false, async (adapter, deps) => {
      const issues: TrackerIssue[] = [];
      let cursor: string | undefined;
      do {
        const page = await adapter.listIssues(cursor);
        issues.push(...page.issues);
        cursor = page.next;
      } while (cursor);
      return { changes: await storeIssues(deps.db, source, issues, { complete: true, now: deps.clock.now().toJSDate() }), complete: true, listed: issues };
    });
  };

  const applyChanges = async (sourceId: string, changes: readonly TrackerChange[]): Promise<SyncOutcome> => {
    const source = sourceOf(sourceId);
    if (!source) return { kind: 'failed', error: `no tracker source ${sourceId} in the running plan` };
    return guarded(source, true, async (adapter, deps) => {
      const upserts: TrackerIssue[] = [];
      const deleted: string[] = [];
      for (const c of changes) {
        if (c.kind === 'upsert') upserts.push(c.issue);
        else if (c.kind === 'delete') deleted.push(c.key);
        else if (c.kind === 'refetch') {
          const issue = await adapter.getIssue(c.key);
          if (issue) upserts.push(issue);
          else deleted.push(c.key);
        } else deps.log.debug({ source: source.label, why: c.why }, 'tracker webhook ignored');
      }
      // a delivery only names issues of this source: a delete of a key another source holds is not ours
      const ours = deleted.length ? await ownedKeys(deps.db, source.sourceId, deleted) : [];
      return { changes: await storeIssues(deps.db, source, upserts, { complete: false, deleted: ours, now: deps.clock.now().toJSDate() }), complete: false };
    });
  };

  const secretsOf = (kind: TrackerKind, env: NodeJS.ProcessEnv) =>
    configuredSources(opts.deps().config)
      .filter((s) => s.kind === kind && s.settings.webhook_secret_env && env[s.settings.webhook_secret_env])
      .map((s) => ({ source: s, secret: env[s.settings.webhook_secret_env!]! }));

  return {
    syncSource,
    syncAll: async () => {
      const out: Record<string, SyncOutcome> = {};
      for (const s of configuredSources(opts.deps().config)) out[s.sourceId] = await syncSource(s.sourceId);
      return out;
    },
    firstSync: async (signal) => {
      const entries = await Promise.all(
        configuredSources(opts.deps().config).map(async (s): Promise<[string, SyncOutcome]> => {
          let last: SyncOutcome = { kind: 'failed', error: 'not tried' };
          await pRetry(
            async () => {
              last = await syncSource(s.sourceId).catch((err: Error): SyncOutcome => ({ kind: 'failed', error: err.message }));
              // busy is tried again too: the holder may be a write-back pass or a webhook delivery, which list nothing
              // (seen in CI: the write-back job held the lock at start and the first sync gave up, so no issue came)
              if (last.kind === 'busy') throw new Error('another sync, write-back pass or webhook delivery holds this source');
              if (last.kind === 'failed' || last.kind === 'rate-limited') throw new Error(last.kind === 'failed' ? last.error : 'rate limited');
            },
            {
              retries: 7,
              minTimeout: 5_000,
              factor: 2,
              maxTimeout: Math.max(5_000, s.settings.poll_every),
              randomize: true,
              signal,
              // every failed attempt is told (the sync's own warning is once per 30 min), so a first sync that does not
              // happen says why in the log
              onFailedAttempt: ({ error, attemptNumber, retriesLeft }) =>
                opts.deps().log.warn({ source: s.label, attempt: attemptNumber, retries_left: retriesLeft, err: error.message }, 'first tracker sync attempt failed'),
            },
          ).catch(() => {});
          if ((last as SyncOutcome).kind === 'busy') opts.deps().log.warn({ source: s.label }, 'first tracker sync: the source stayed busy through every attempt; the poll will list it');
          return [s.sourceId, last];
        }),
      );
      return Object.fromEntries(entries);
    },
    applyChanges,
    writeBacks: async (sourceId) => {
      const source = sourceOf(sourceId);
      if (!source?.settings.write_back) return { kind: 'synced', changes: 0, planChanged: false };
      return guarded(source, false, async (adapter, deps) => {
        await performWriteBacks(deps, source, adapter);
        return { changes: [], complete: false };
      });
    },
    receiveWebhook: async (kind, headers, rawBody, env) => {
      const candidates = secretsOf(kind, env);
      if (!candidates.length) return { status: 404, body: `no ${kind} source takes webhooks (set webhook_secret_env)` };
      for (const { source, secret } of candidates) {
        const adapter = await adapterOf(source).catch((err: unknown) => {
          opts
            .deps()
            .log.warn(
              { source: source.label, source_id: source.sourceId, err: (err as Error).message ?? String(err) },
              "tracker webhook: the source's adapter could not be built to check the signature (err says why); this source skips the delivery",
            );
          return null;
        });
        if (!adapter || !(await adapter.verifyWebhook(headers, rawBody, secret).catch(() => false))) continue;
        let body: unknown;
        try {
          body = JSON.parse(rawBody.toString('utf8'));
        } catch {
          return { status: 202, body: 'ignored: not JSON' };
        }
        const changes = adapter.parseWebhook(headers, body);
        const work = applyChanges(source.sourceId, changes)
          .then((outcome) => {
            if (outcome.kind === 'failed') opts.deps().log.warn({ source: source.label, err: outcome.error }, 'tracker webhook could not be applied; the next poll repairs it');
          })
          .catch((err: Error) => opts.deps().log.error({ source: source.label, err: err.message }, 'tracker webhook failed; the next poll repairs it'));
        background.add(work);
        void work.finally(() => background.delete(work));
        return { status: 202, body: 'accepted' };
      }
      return { status: 401, body: 'bad or missing signature' };
    },
    idle: async () => {
      while (background.size) await Promise.all([...background]);
    },
    checkTokens: async () => {
      await Promise.all(configuredSources(opts.deps().config).map(async (s) => (await adapterOf(s)).checkAuth()));
    },
  };
}

async function ownedKeys(db: Db, sourceId: string, keys: readonly string[]): Promise<string[]> {
  const rows = await db
    .select({ key: trackerIssues.key })
    .from(trackerIssues)
    .where(and(eq(trackerIssues.sourceId, sourceId), inArray(trackerIssues.key, [...keys])));
  return rows.map((r) => r.key);
}

/** Done / re-opened / status percent of one changed issue, through the task update service; its owner is the actor. */
async function applyTaskState(deps: Deps, source: ConfiguredSource, c: IssueChange & { after: TrackerIssue }): Promise<void> {
  const task = Object.values(deps.config.workstreams)
    .flatMap((w) => w.tasks)
    .find((t) => t.id === c.key);
  if (!task) return; // not in the plan (the reload failed: the PM was told); the next sync tries again
  const percent = statusPercent(source.settings, c.after.status);
  if (c.after.done) {
    if (c.before?.done) return;
    const res = await updateTask(deps, c.key, task.owner, { kind: 'done' }, 'tracker');
    if (res.ok) await res.after();
    return;
  }
  // re-opened in the tracker; a task done in Preflight only (its write-back pending, or none) is not re-opened
  if (c.before?.done) {
    await reopenTask(deps, c.key, task.owner, percent ?? 0, 'tracker');
    return;
  }
  if (percent !== undefined && (c.before?.status !== c.after.status || !c.before)) {
    const res = await updateTask(deps, c.key, task.owner, { kind: 'progress', percent }, 'tracker');
    if (res.ok) await res.after();
  }
}

/**
 * A complete listing's catch-up: issues done in the tracker whose task is not done in Preflight although no change
 * says so now (the plan could not take the task when the change came: a reload that failed, a crash after storing).
 */
async function catchUpDone(deps: Deps, source: ConfiguredSource, issues: readonly TrackerIssue[], changed: ReadonlySet<string>): Promise<void> {
  const done = issues.filter((i) => i.done && !changed.has(i.key)).map((i) => i.key);
  if (!done.length) return;
  const states = await deps.db.select({ id: taskStates.taskId, status: taskStates.status }).from(taskStates).where(inArray(taskStates.taskId, done));
  const doneNow = new Set(states.filter((s) => s.status === 'done').map((s) => s.id));
  for (const key of done.filter((k) => !doneNow.has(k))) {
    await applyTaskState(deps, source, { key, before: null, after: issues.find((i) => i.key === key)! });
  }
}

/** A deleted issue's task left the plan: its open due-time escalation is resolved with a note saying why. */
async function resolveDeletedEscalation(deps: Deps, source: ConfiguredSource, key: string): Promise<void> {
  const open = await deps.db
    .select({ id: blockers.id })
    .from(blockers)
    .where(and(eq(blockers.taskId, key), eq(blockers.source, 'task'), sql`${blockers.status} <> 'resolved'`));
  for (const b of open) {
    await actOnBlocker(
      deps,
      b.id,
      deps.config.program.pm,
      { kind: 'resolve', note: `${key} was deleted in ${source.label} (or left the source's filter), so the task left the plan` },
      { asSystem: true },
    );
  }
}
