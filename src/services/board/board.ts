import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { statusBoards, type BoardKind } from '../../db/schema/index.js';
import { boardContentKey, buildBoard, type BoardModel } from '../../domain/board/board.js';
import { verdict } from '../../domain/gonogo/verdict.js';
import type { Deps } from '../deps.js';
import { postOrUpdateDelivery } from '../delivery/send-once.js';
import * as transitions from '../delivery/transitions.js';
import { verdictInput } from '../gonogo/facts.js';
import { platformError, rateLimitedFor } from '../slack-errors.js';
import { taskCatalog } from '../tasks/catalog.js';

/*
 * The live status board of the program channel (issue 23): a channel canvas (conversations.canvases.create, then
 * canvases.edit replacing the whole document), or, where canvases are not available, a pinned message (chat.postMessage
 * + pins.add, then chat.update). Created exactly once: the board's row (status_boards) is claimed under an advisory
 * lock, and the canvas or message is a delivery (services/delivery/transitions.ts) claimed before the Slack call and
 * recorded right after it; a claim left by an attempt that died or timed out first looks in Slack (the channel's
 * canvas, conversations.info; the message, by its metadata) before creating anything.
 */

/** Advisory-lock namespace of the board (first key of pg_advisory_xact_lock(int, int); 1–5 are taken, see report-message.ts). */
const LOCK_BOARD = 23;

/** Delivery kinds of the board (deliveries.kind), owner key = status_boards.id. */
export const BOARD_CANVAS = 'board_canvas';
export const BOARD_MESSAGE = 'board_message';

/**
 * Slack errors meaning "no canvas here" (docs.slack.dev/reference/methods/conversations.canvases.create#errors and
 * canvases.edit#errors, plus the Web API's common `missing_scope` / `not_allowed_token_type`): a free workspace
 * (`team_tier_cannot_create_channel_canvases`, `free_team_canvas_tab_already_exists`, `free_team_not_allowed`),
 * canvases turned off (`canvas_disabled_user_team`), the scope not granted (`missing_scope`), the app not allowed
 * (`not_allowed`, `restricted_action`), or a channel canvas that people made already
 * (`channel_canvas_already_exists` on a first attempt: Preflight never overwrites it). The board is then a pinned
 * message, for good (until the row is deleted).
 */
export const CANVAS_UNAVAILABLE = new Set([
  'not_allowed',
  'not_allowed_token_type',
  'missing_scope',
  'restricted_action',
  'free_team_not_allowed',
  'free_team_canvas_tab_already_exists',
  'team_tier_cannot_create_channel_canvases',
  'canvas_disabled_user_team',
  'channel_canvas_already_exists',
]);

/** What a refresh did. */
export type BoardOutcome = 'created' | 'posted' | 'edited' | 'unchanged' | 'failed';

/** Where the board is: the canvas id (`F…`) or the pinned message's `ts`, in `channel`. */
export interface BoardRef {
  kind: BoardKind;
  id: string;
  channel: string;
}

/**
 * Reads the board's facts now (services/gonogo/facts.ts verdictInput, the same read as `/gonogo` and the digest;
 * tasks from services/tasks/catalog.ts) and builds its model (domain/board/board.ts), with `program.board.include`.
 */
export async function readBoard(deps: Deps): Promise<BoardModel> {
  const facts = await verdictInput(deps);
  const catalog = await taskCatalog(deps);
  const { config } = deps;
  return buildBoard({
    programName: config.program.name,
    zone: config.program.timezone,
    include: config.program.board?.include,
    facts,
    verdict: verdict(facts),
    tasks: catalog.tasks,
    doneIds: catalog.doneIds,
    leads: Object.fromEntries(Object.entries(config.workstreams).map(([id, w]) => [id, w.leads])),
    blockingSeverities: config.blockingSeverities,
  });
}

/** sha256 (hex) of the board's content without its "updated" time. */
export function boardHash(model: BoardModel): string {
  return createHash('sha256').update(boardContentKey(model)).digest('hex');
}

/**
 * Where the board is now, for whoever links or pins it (the war room): the canvas, or the pinned message; null
 * before it was first shown.
 */
export async function boardRef(deps: Pick<Deps, 'db' | 'config'>): Promise<BoardRef | null> {
  const [row] = await deps.db.select().from(statusBoards).where(eq(statusBoards.channel, deps.config.program.channel));
  if (!row?.kind) return null;
  const state = await transitions.stateOf(deps, { kind: row.kind === 'canvas' ? BOARD_CANVAS : BOARD_MESSAGE, ownerKey: row.id });
  return state?.status === 'sent' && state.ts ? { kind: row.kind, id: state.ts, channel: state.conversation ?? row.channel } : null;
}

/**
 * The channel canvas `channel` has (conversations.info `channel.properties.canvas.file_id`), or null: how a claim
 * after an attempt that died between conversations.canvases.create and recording its id finds that canvas.
 */
async function channelCanvasOf(deps: Pick<Deps, 'slack'>, channel: string): Promise<string | null> {
  const res = await deps.slack.conversations.info({ channel });
  const props = (res.channel as { properties?: { canvas?: { file_id?: string } } } | undefined)?.properties;
  return props?.canvas?.file_id ?? null;
}

type CanvasResult = { outcome: 'created' | 'edited' | 'unchanged' } | { outcome: 'unavailable'; reason: string };

/** canvases.edit replacing the whole document (no section_id: docs.slack.dev/reference/methods/canvases.edit). */
async function editCanvas(deps: Pick<Deps, 'slack'>, canvasId: string, markdown: string): Promise<void> {
  await deps.slack.canvases.edit({ canvas_id: canvasId, changes: [{ operation: 'replace', document_content: { type: 'markdown', markdown } }] });
}

/** Shows `model` as the channel canvas of the board `boardId` (see {@link refreshBoard}). */
async function showCanvas(deps: Deps, boardId: number, channel: string, model: BoardModel, unchanged: boolean): Promise<CanvasResult> {
  const ref = { kind: BOARD_CANVAS, ownerKey: boardId };
  const { title, markdown } = deps.renderer.boardCanvas(model);
  const state = await transitions.stateOf(deps, ref);
  if (state?.status === 'failed') return { outcome: 'unavailable', reason: 'the canvas was refused before' };
  if (state?.status === 'sent' && state.ts) {
    if (unchanged) return { outcome: 'unchanged' };
    try {
      await editCanvas(deps, state.ts, markdown);
      return { outcome: 'edited' };
    } catch (err) {
      const code = platformError(err);
      if (code && CANVAS_UNAVAILABLE.has(code)) return { outcome: 'unavailable', reason: code };
      if (code !== 'canvas_not_found') throw err;
      deps.log.warn({ canvas: state.ts, channel }, 'the board canvas was deleted in Slack; creating it again');
      await transitions.forget(deps, ref);
    }
  }
  if (!state) await transitions.open(deps.db, ref, deps.clock.now().toJSDate());
  const claimed = await transitions.claim(deps, ref, { serialised: true });
  if (!claimed) throw new Error(`${transitions.reservationOf(ref)} could not be claimed`);
  try {
    if (claimed.claims > 1) {
      const found = await channelCanvasOf(deps, channel);
      if (found) {
        deps.log.info({ canvas: found, channel }, 'an earlier attempt had created the board canvas; recorded it instead of creating another');
        await transitions.record(deps, ref, claimed.claimedAt, { ts: found, channel });
        await editCanvas(deps, found, markdown);
        return { outcome: 'edited' };
      }
    }
    const res = await deps.slack.conversations.canvases.create({ channel_id: channel, title, document_content: { type: 'markdown', markdown } });
    if (!res.canvas_id) throw new Error('conversations.canvases.create returned no canvas_id');
    await transitions.record(deps, ref, claimed.claimedAt, { ts: res.canvas_id, channel });
    return { outcome: 'created' };
  } catch (err) {
    const code = platformError(err);
    if (code && CANVAS_UNAVAILABLE.has(code)) {
      await transitions.park(deps, ref, claimed.claimedAt, code);
      return { outcome: 'unavailable', reason: code };
    }
    // nothing recorded: the next refresh claims again, and (unless Slack said 429) looks for the canvas first
    await transitions.release(deps, ref, claimed.claimedAt, { uncount: rateLimitedFor(err) !== null });
    throw err;
  }
}

/** pins.add; `already_pinned` counts as pinned. @returns false when Slack refused it for good (logged). */
async function pin(deps: Deps, channel: string, ts: string): Promise<boolean> {
  try {
    await deps.slack.pins.add({ channel, timestamp: ts });
    return true;
  } catch (err) {
    const code = platformError(err);
    if (code === 'already_pinned') return true;
    if (!code) throw err;
    deps.log.warn({ channel, ts, error: code }, 'could not pin the status board message; it stays in the channel unpinned');
    return false;
  }
}

/**
 * Brings the board in `program.channel` up to date (the refreshBoard job and the due-work sweep): reads it now
 * ({@link readBoard}) and, under the board's advisory lock, creates the channel canvas the first time
 * (conversations.canvases.create, exactly once: see the module's note), then edits it (canvases.edit, one `replace`
 * of the whole document) only when its content (without the "updated" time) changed. Where Slack refuses the canvas
 * ({@link CANVAS_UNAVAILABLE}), the board becomes a message posted once, pinned (pins.add) and edited in place
 * (chat.update) from then on; the reason is recorded (status_boards.fallback_reason) and logged once.
 * @returns 'created' / 'posted' (first shown), 'edited', 'unchanged', or 'failed' (Slack refused the message for good).
 * @throws transient Slack errors (5xx, timeouts, 429): the job retries; nothing is created twice.
 */
export async function refreshBoard(deps: Deps): Promise<BoardOutcome> {
  const channel = deps.config.program.channel;
  await deps.db.insert(statusBoards).values({ channel }).onConflictDoNothing();
  return deps.db.transaction(async (tx) => {
    const [{ id }] = (await tx.select({ id: statusBoards.id }).from(statusBoards).where(eq(statusBoards.channel, channel))) as [{ id: number }];
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${LOCK_BOARD}, ${id})`);
    const [row] = await tx.select().from(statusBoards).where(eq(statusBoards.id, id));
    const model = await readBoard(deps);
    const hash = boardHash(model);
    const shown = async (kind: BoardKind, extra: Partial<typeof statusBoards.$inferInsert> = {}) =>
      tx
        .update(statusBoards)
        .set({ kind, contentHash: hash, editedAt: deps.clock.now().toJSDate(), edits: sql`${statusBoards.edits} + 1`, ...extra })
        .where(eq(statusBoards.id, id));
    if (row!.kind !== 'message') {
      const r = await showCanvas(deps, id, channel, model, row!.contentHash === hash);
      if (r.outcome !== 'unavailable') {
        if (r.outcome !== 'unchanged') await shown('canvas');
        return r.outcome;
      }
      deps.log.warn({ channel, reason: r.reason }, 'channel canvases are not available here; the status board is a pinned message instead');
      await tx.update(statusBoards).set({ kind: 'message', fallbackReason: r.reason, contentHash: null }).where(eq(statusBoards.id, id));
      row!.contentHash = null;
    }
    const ref = { kind: BOARD_MESSAGE, ownerKey: id };
    const state = await transitions.stateOf(deps, ref);
    if (state?.status === 'sent' && row!.contentHash === hash && row!.pinned) return 'unchanged';
    const res = await postOrUpdateDelivery(deps, ref, { channel, unfurlLinks: false }, deps.renderer.boardMessage(model), state);
    if (res.outcome === 'failed') return 'failed';
    const pinned = row!.pinned || (await pin(deps, res.channel, res.ts));
    await shown('message', { pinned });
    return res.outcome === 'posted' ? 'posted' : 'edited';
  });
}

/**
 * The due-work sweep's board check: refreshes a board already shown (its ages move; a wake-up lost to a Redis
 * outage is made up for), never creates one (the first change does). Errors are logged, not thrown, so the rest of
 * the sweep runs. @returns the refresh's outcome, 'none' (no board yet) or 'error'.
 */
export async function sweepBoard(deps: Deps): Promise<BoardOutcome | 'none' | 'error'> {
  const [row] = await deps.db.select({ kind: statusBoards.kind }).from(statusBoards).where(eq(statusBoards.channel, deps.config.program.channel));
  if (!row?.kind) return 'none';
  try {
    return await refreshBoard(deps);
  } catch (err) {
    deps.log.warn({ err: (err as Error).message }, 'the status board could not be refreshed; the next change or sweep tries again');
    return 'error';
  }
}
