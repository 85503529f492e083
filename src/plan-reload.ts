/**
 * The reload triggers of the composition root (issue 20, "Reload without a restart"): SIGHUP, a change of
 * PREFLIGHT_CONFIG (chokidar, also the symlink swap of a Kubernetes ConfigMap), and the other replicas' new plans
 * (Redis pub/sub on `<QUEUE_PREFIX>:plan`). Each calls the reloader (services/plan/reload.ts), which does the work;
 * `/preflight reload` calls it from the Slack listener.
 */
import { basename, dirname, resolve } from 'node:path';
import { watch } from 'chokidar';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { onAnnouncements } from './redis-announcements.js';
import type { PlanAnnouncement, Reloader } from './services/plan/reload.js';

/** How long the file must stay quiet before a change reloads it, ms (an editor or a ConfigMap swap writes several times). */
export const RELOAD_DEBOUNCE_MS = 200;

const announcementSchema = z.object({ serial: z.number().int().positive(), version: z.string().min(1) });

/** The pub/sub channel the replicas announce their new plans on. */
export const planChannel = (queuePrefix: string) => `${queuePrefix}:plan`;

/** Publishes an announcement for the other replicas (the reloader's `announce`). */
export function announceOn(publisher: Redis | Cluster, queuePrefix: string): (announcement: PlanAnnouncement) => Promise<void> {
  return async (announcement) => {
    await publisher.publish(planChannel(queuePrefix), JSON.stringify(announcement));
  };
}

/** The running triggers; `close()` stops them all (shutdown). */
export interface PlanTriggers {
  /** Resolves once the file watcher has read the directory and the subscriber listens to announcements (never rejects). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the reload triggers.
 * @param args.path PREFLIGHT_CONFIG. The watcher watches its directory (depth 0) and reloads after
 *   {@link RELOAD_DEBOUNCE_MS} of quiet when the file itself changes, or an entry whose name starts with `..`
 *   (a ConfigMap mount swaps its `..data` link: the file is a link to `..data/<name>`). A change that leaves the
 *   resolved plan as it was is a no-op (same version).
 * @param args.subscriber a Redis connection of its own (subscriber mode); closed by `close()`.
 * @param args.debounceMs default {@link RELOAD_DEBOUNCE_MS}.
 */
export function startPlanTriggers(args: { path: string; reloader: Reloader; log: Logger; subscriber: Redis | Cluster; queuePrefix: string; debounceMs?: number }): PlanTriggers {
  const { reloader, log, subscriber } = args;
  const file = resolve(args.path);
  const done = (what: string) => (err: unknown) => log.error({ err: (err as Error).message, what }, 'config reload failed unexpectedly');

  const onSighup = () => {
    log.info({ file }, 'SIGHUP: reloading the config');
    reloader.reload('sighup').catch(done('sighup'));
  };
  process.on('SIGHUP', onSighup);

  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dirname(file), { depth: 0, ignoreInitial: true, followSymlinks: true });
  watcher.on('all', (_event, changed) => {
    if (resolve(changed) !== file && !basename(changed).startsWith('..')) return;
    clearTimeout(timer);
    timer = setTimeout(() => reloader.reload('file').catch(done('file')), args.debounceMs ?? RELOAD_DEBOUNCE_MS);
  });
  watcher.on('error', (err) => log.warn({ err: (err as Error).message, file }, 'config watcher error'));

  const channel = planChannel(args.queuePrefix);
  onAnnouncements(
    subscriber,
    channel,
    announcementSchema,
    (announcement) => reloader.follow(announcement).catch(done('announcement')),
    () => log.warn({ channel }, 'ignoring a malformed plan announcement'),
  );
  const subscribed = subscriber
    .subscribe(channel)
    .then(() => {})
    .catch((err: Error) => log.warn({ err: err.message, channel }, 'could not subscribe to plan announcements'));
  const watching = new Promise<void>((ready) => watcher.once('ready', () => ready()));

  return {
    ready: Promise.all([watching, subscribed]).then(() => {}),
    async close() {
      process.off('SIGHUP', onSighup);
      clearTimeout(timer);
      await watcher.close();
      await subscriber.quit().catch(() => {});
    },
  };
}
