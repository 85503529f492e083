import { and, eq, gt, lt, or } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { retrospectives, standupAnswers, standupRuns } from '../../db/schema/index.js';
import { retroMarkdown } from '../../domain/retro/markdown.js';
import { buildRetro, type RetroModel } from '../../domain/retro/retro.js';
import type { Deps } from '../deps.js';
import { platformError } from '../slack-errors.js';
import { readRetroInput } from './read.js';
import { retroAnswers, RETRO_CHECKIN, startRetroCheckin } from './checkin.js';

/** The one retrospective of the program (`retrospectives.key`). */
export const RETRO_KEY = 'launch';

/**
 * canvases.create errors meaning "no canvases here" (docs.slack.dev/reference/methods/canvases.create#errors, and
 * `missing_scope` when the app was installed without `canvases:write`): the retro goes out as a Markdown file instead.
 */
export const CANVAS_REFUSED = new Set([
  'missing_scope',
  'not_allowed',
  'not_allowed_token_type',
  'restricted_action',
  'team_tier_cannot_create_canvases',
  'free_teams_cannot_create_non_tabbed_canvases',
  'canvas_disabled_user_team',
  'canvas_creation_failed',
]);

/** What {@link publishRetro} did. */
export type PublishOutcome =
  | { kind: 'canvas'; canvasId: string; channel: string }
  | { kind: 'file'; fileId: string; channel: string; refused: string }
  | { kind: 'updated'; canvasId: string; channel: string }
  | { kind: 'already'; channel: string; canvasId: string | null; fileId: string | null }
  | { kind: 'busy' }
  | { kind: 'failed'; error: string };

/** The file name of the Markdown fallback: `retrospective-<program name as a slug>.md`. */
export const retroFilename = (programName: string) =>
  `retrospective-${
    programName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'launch'
  }.md`;

/** The whole launch's retro model now (every record, no span, the retro check-in's answers), from the record (services/retro/read.ts). */
export async function currentRetro(deps: Pick<Deps, 'db' | 'config' | 'clock'>): Promise<RetroModel> {
  return buildRetro(await readRetroInput(deps, { start: null, end: null }, deps.clock.now().toMillis(), await retroAnswers(deps)));
}

/** The retro as canvas Markdown: people as canvas mentions (`![](@U…)`). */
const canvasMarkdown = (model: RetroModel) => retroMarkdown(model, { mention: (u) => `![](@${u})` });

/**
 * Publishes the launch's retrospective in `program.channel`, exactly once across replicas (the `retrospectives`
 * row keyed {@link RETRO_KEY} is claimed before Slack is called; a claim left `drafting` by a crashed process is
 * taken over after `scheduler.reclaim_after`, and a `failed` one by the next call):
 * - first time: a standalone canvas (`canvases.create`, Markdown, people as mentions) shared read-only with the
 *   program channel (`canvases.access.set`); when canvases are refused ({@link CANVAS_REFUSED}: a free workspace,
 *   the scope missing) the same Markdown uploaded as a file into the channel (files.uploadV2);
 * - later (`/preflight retro` again, a retro check-in answer): the canvas's content replaced (`canvases.edit`);
 *   a file is not replaced (`already`).
 * Known gap: a process that dies between `canvases.create` and recording the canvas id leaves a canvas the next
 * claim does not know of, so a second one is created.
 * @param requestedBy who typed `/preflight retro`; null when the sweep drafts it after `program.end`
 * @param opts.refresh false: do nothing when already published (the sweep); true: bring the canvas up to date
 */
export async function publishRetro(deps: Deps, requestedBy: string | null, opts: { refresh: boolean } = { refresh: true }): Promise<PublishOutcome> {
  const now = deps.clock.now().toJSDate();
  const channel = deps.config.program.channel;
  const cutoff = new Date(now.getTime() - deps.config.scheduler.reclaim_after);
  const [claimed] = await deps.db
    .insert(retrospectives)
    .values({ key: RETRO_KEY, status: 'drafting', channel, requestedBy, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: retrospectives.key,
      set: { status: 'drafting', updatedAt: now, requestedBy, lastError: null },
      where: or(eq(retrospectives.status, 'failed'), and(eq(retrospectives.status, 'drafting'), lt(retrospectives.updatedAt, cutoff))),
    })
    .returning({ id: retrospectives.id, canvasId: retrospectives.canvasId });
  if (!claimed) {
    const [row] = await deps.db.select().from(retrospectives).where(eq(retrospectives.key, RETRO_KEY));
    if (!row || row.status === 'drafting') return { kind: 'busy' };
    if (!opts.refresh || !row.canvasId) return { kind: 'already', channel: row.channel, canvasId: row.canvasId, fileId: row.fileId };
    try {
      await deps.slack.canvases.edit({ canvas_id: row.canvasId, changes: [{ operation: 'replace', document_content: { type: 'markdown', markdown: canvasMarkdown(await currentRetro(deps)) } }] });
      await deps.db.update(retrospectives).set({ updatedAt: now }).where(eq(retrospectives.id, row.id));
      return { kind: 'updated', canvasId: row.canvasId, channel: row.channel };
    } catch (err) {
      deps.log.warn({ err: (err as Error).message }, 'could not update the retro canvas');
      return { kind: 'failed', error: platformError(err) ?? (err as Error).message };
    }
  }

  const model = await currentRetro(deps);
  const title = `Retrospective · ${deps.config.program.name}`;
  const done = (set: { canvasId?: string; fileId?: string }) =>
    deps.db
      .update(retrospectives)
      .set({ ...set, status: 'published', publishedAt: now, updatedAt: now })
      .where(eq(retrospectives.id, claimed.id));
  try {
    // a canvas an earlier claim created but did not share is shared now, not created again
    let canvasId = claimed.canvasId;
    if (!canvasId) {
      const created = await createCanvas(deps, title, canvasMarkdown(model));
      if ('refused' in created) {
        const upload = await deps.slack.filesUploadV2({
          channel_id: channel,
          file: Buffer.from(retroMarkdown(model), 'utf8'),
          filename: retroFilename(deps.config.program.name),
          title,
          initial_comment: `📝 The retrospective of ${deps.config.program.name}, drafted from the record (canvases are not available here: ${created.refused}).`,
        });
        const fileId = (upload.files as { files?: { id?: string }[] }[] | undefined)?.[0]?.files?.[0]?.id;
        if (!fileId) throw new Error('files.uploadV2 returned no file id for the retro');
        await done({ fileId });
        await openRetroCheckin(deps, requestedBy);
        deps.log.info({ fileId, refused: created.refused }, 'retro uploaded as a Markdown file');
        return { kind: 'file', fileId, channel, refused: created.refused };
      }
      canvasId = created.canvasId;
      // recorded before sharing: a retry shares the same canvas
      await deps.db.update(retrospectives).set({ canvasId, updatedAt: now }).where(eq(retrospectives.id, claimed.id));
    }
    await deps.slack.canvases.access.set({ canvas_id: canvasId, access_level: 'read', channel_ids: [channel] });
    await done({ canvasId });
    await openRetroCheckin(deps, requestedBy);
    deps.log.info({ canvasId }, 'retro canvas created');
    return { kind: 'canvas', canvasId, channel };
  } catch (err) {
    const error = platformError(err) ?? (err as Error).message;
    await deps.db.update(retrospectives).set({ status: 'failed', lastError: error, updatedAt: now }).where(eq(retrospectives.id, claimed.id));
    deps.log.warn({ err: error }, 'could not publish the retro');
    return { kind: 'failed', error };
  }
}

/** Opens the retro check-in (services/retro/checkin.ts) once the retro is out; its prompts go out through the wake-ups. */
async function openRetroCheckin(deps: Deps, requestedBy: string | null): Promise<void> {
  const runs = await startRetroCheckin(deps, requestedBy);
  deps.log.info({ runs }, 'retro check-in opened');
}

/** canvases.create; `refused` with Slack's error when canvases are not available ({@link CANVAS_REFUSED}); other errors are thrown. */
async function createCanvas(deps: Pick<Deps, 'slack'>, title: string, markdown: string): Promise<{ canvasId: string } | { refused: string }> {
  try {
    const res = await deps.slack.canvases.create({ title, document_content: { type: 'markdown', markdown } });
    if (!res.canvas_id) throw new Error('canvases.create returned no canvas id');
    return { canvasId: res.canvas_id };
  } catch (err) {
    const refused = platformError(err);
    if (refused && CANVAS_REFUSED.has(refused)) return { refused };
    throw err;
  }
}

/** `program.end` as Unix ms (a program-local date-time), null when not set. */
export function programEndAt(deps: Pick<Deps, 'config'>): number | null {
  const end = deps.config.program.end;
  return end ? DateTime.fromISO(end, { zone: deps.config.program.timezone }).toMillis() : null;
}

/**
 * The due-work sweep's retro check: once `program.end` has passed, drafts the retrospective ({@link publishRetro},
 * exactly once across replicas and restarts); once published as a canvas, brings it up to date when retro check-in
 * answers were completed since it was last written: answers are coalesced into one `canvases.edit` per sweep
 * (`escalation.sweep_every`), well within the method's rate tier.
 * @returns what happened, or 'not-due' before the end (or without one).
 */
export async function retroDue(deps: Deps): Promise<PublishOutcome['kind'] | 'not-due'> {
  const [row] = await deps.db
    .select({ status: retrospectives.status, canvasId: retrospectives.canvasId, updatedAt: retrospectives.updatedAt })
    .from(retrospectives)
    .where(eq(retrospectives.key, RETRO_KEY));
  if (row?.status === 'published') {
    // retro check-in answers completed since the canvas was last written: one edit for all of them
    if (!row.canvasId) return 'already';
    const [newer] = await deps.db
      .select({ id: standupAnswers.id })
      .from(standupAnswers)
      .innerJoin(standupRuns, eq(standupRuns.id, standupAnswers.runId))
      .where(and(eq(standupRuns.checkinId, RETRO_CHECKIN), eq(standupAnswers.complete, true), gt(standupAnswers.completedAt, row.updatedAt)))
      .limit(1);
    return newer ? (await publishRetro(deps, null, { refresh: true })).kind : 'already';
  }
  const end = programEndAt(deps);
  if (end === null || deps.clock.now().toMillis() < end) return 'not-due';
  return (await publishRetro(deps, null, { refresh: false })).kind;
}
