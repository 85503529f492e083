import { and, eq, gte, isNotNull, isNull, sql } from 'drizzle-orm';
import { programTeamArg } from '../workspace/team.js';
import type { WebClient } from '@slack/web-api';
import { blockers, outboundMessages, warRooms } from '../../db/schema/index.js';
import { permission, type Refusal as PermissionRefusal } from '../../domain/permissions.js';
import { batches, inviteesOf, isRefusal, type Refusal, triggerEnabled, triggerTitle, warRoomChannelName, type WarRoomMessage, type WarRoomTrigger } from '../../domain/warroom/room.js';
import { blockerMessageDelivery } from '../blockers/delivery-kinds.js';
import type { Deps } from '../deps.js';
import { insertOutbound, outboundDelivery, queueOutbound, sendOutbound } from '../delivery/outbound.js';
import { stateOf } from '../delivery/transitions.js';
import { deliveries } from '../../db/schema/index.js';
import { rotationStatuses } from '../oncall/rotations.js';
import { platformError } from '../slack-errors.js';
import { boardRef } from '../board/board.js';

export type { BoardLookup, BoardRef } from './board-ref.js';

/** How many suffixed names (`-2`, `-3`, …) are tried when the room's name is taken by a channel that is not ours. */
const MAX_NAME_ATTEMPTS = 5;

/** What {@link openWarRoom} did. */
export type OpenOutcome =
  | { outcome: 'off' }
  | { outcome: 'opened' | 'posted'; roomId: number; channel: string }
  | { outcome: 'refused'; error: Refusal }
  /** The room is being closed (or was closed meanwhile): nothing posted. */
  | { outcome: 'closing' };

const botUsers = new WeakMap<WebClient, Promise<string>>();

/** The bot's own user id (auth.test, once per client). */
function botUserId(slack: WebClient): Promise<string> {
  let p = botUsers.get(slack);
  if (!p) {
    p = slack.auth.test().then((r) => String(r.user_id ?? ''));
    p.catch(() => botUsers.delete(slack));
    botUsers.set(slack, p);
  }
  return p;
}

/** The Slack error code of `err` when it is a refusal ({@link isRefusal}), else null. */
const refusalOf = (err: unknown): Refusal | null => {
  const code = platformError(err);
  return isRefusal(code ?? undefined) ? (code as Refusal) : null;
};

/**
 * Tells the PM, by DM, that Slack refused `step` with `error`: once per program and error kind (the outbound key
 * `war-room-refused:<program>:<error>`), however often it happens, so a refusal never becomes a stream of DMs.
 */
async function tellPmRefused(deps: Deps, error: Refusal, step: string, channelName: string): Promise<void> {
  const model: WarRoomMessage = { kind: 'refused', error, step, channelName };
  deps.log.warn({ error, step }, 'war room: Slack refused a step; the PM is told once');
  await queueOutbound(deps, [{ kind: 'war_room', key: `war-room-refused:${deps.config.program.name}:${error}`, channel: deps.config.program.pm, message: deps.renderer.warRoomMessage(model) }]);
}

/**
 * A channel named `name` the workspace already has (conversations.list over public and private channels the bot can
 * see, archived ones included), or null.
 */
async function findChannel(deps: Deps, name: string): Promise<{ id: string; creator?: string; is_archived?: boolean } | null> {
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const res = await deps.slack.conversations.list({ types: 'public_channel,private_channel', exclude_archived: false, limit: 1000, ...programTeamArg(deps.config), ...(cursor ? { cursor } : {}) });
    const hit = res.channels?.find((c) => c.name === name);
    if (hit?.id) return { id: hit.id, creator: hit.creator, is_archived: hit.is_archived };
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) return null;
  }
  return null;
}

/**
 * Creates the room's channel (conversations.create) and records its id on the claimed row, once. When the name is
 * taken: by a channel this bot created that is not archived and no closed room used (a second replica's, or ours
 * before a crash), that channel is the room; by any other, the next suffixed name is tried (up to
 * {@link MAX_NAME_ATTEMPTS}).
 * @returns the channel id, or the refusal. @throws other Slack errors (the job retries).
 */
async function ensureChannel(deps: Deps, room: typeof warRooms.$inferSelect): Promise<{ channel: string } | { refused: Refusal; name: string }> {
  const wr = deps.config.program.war_room!;
  for (let attempt = room.nameAttempt; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
    const name = warRoomChannelName(wr.name, deps.config.program.name, attempt);
    let channel: string | null = null;
    try {
      const res = await deps.slack.conversations.create({ name, is_private: wr.private, ...programTeamArg(deps.config) });
      channel = res.channel?.id ?? null;
    } catch (err) {
      const code = platformError(err);
      if (code !== 'name_taken') {
        const refused = refusalOf(err);
        if (refused) return { refused, name };
        throw err;
      }
      const found = await findChannel(deps, name);
      const me = await botUserId(deps.slack);
      const usedBefore = found
        ? (
            await deps.db
              .select({ id: warRooms.id })
              .from(warRooms)
              .where(and(eq(warRooms.channelId, found.id), isNotNull(warRooms.closedAt)))
          ).length > 0
        : true;
      if (found && found.creator === me && !found.is_archived && !usedBefore) channel = found.id;
      else {
        await deps.db
          .update(warRooms)
          .set({ nameAttempt: attempt + 1 })
          .where(eq(warRooms.id, room.id));
        continue;
      }
    }
    if (!channel) throw new Error('conversations.create answered without a channel id');
    const [recorded] = await deps.db
      .update(warRooms)
      .set({ channelId: channel, name })
      .where(and(eq(warRooms.id, room.id), isNull(warRooms.channelId)))
      .returning({ channelId: warRooms.channelId });
    if (recorded?.channelId) return { channel: recorded.channelId };
    const [now] = await deps.db.select({ channelId: warRooms.channelId }).from(warRooms).where(eq(warRooms.id, room.id));
    return { channel: now!.channelId! };
  }
  return { refused: 'name_taken', name: warRoomChannelName(wr.name, deps.config.program.name) };
}

/** Whoever is on call now, one per rotation (services/oncall/rotations.ts). */
async function onCallNow(deps: Deps): Promise<(string | null)[]> {
  const statuses = await rotationStatuses(deps, deps.clock.now());
  return [...statuses.values()].map((s) => s.now?.userId ?? null);
}

/**
 * Invites `users` (not the bot) into `channel`, in batches of at most 1000 (conversations.invite with `force`, so the
 * valid ids of a batch are invited when some are not). Already in the channel is fine; a refusal DMs the PM once.
 */
async function invite(deps: Deps, channel: string, users: string[], channelName: string): Promise<void> {
  const me = await botUserId(deps.slack);
  for (const batch of batches(users.filter((u) => u !== me))) {
    try {
      await deps.slack.conversations.invite({ channel, users: batch.join(','), force: true });
    } catch (err) {
      const code = platformError(err);
      if (code === 'already_in_channel' || code === 'cant_invite_self') continue;
      const refused = refusalOf(err);
      if (refused) await tellPmRefused(deps, refused, 'invite people into the war room', channelName);
      else if (code) deps.log.warn({ code, channel }, 'war room: an invitation failed');
      else throw err;
    }
  }
}

/** The Slack message a trigger is about (the blocker's message; for a NO-GO, its `/gonogo` post), when it was posted. */
async function messageOf(deps: Deps, trigger: WarRoomTrigger): Promise<{ channel: string; ts: string } | null> {
  if (trigger.kind === 'no_go') {
    if (!trigger.postKey) return null;
    const [row] = await deps.db
      .select({ ts: deliveries.ts, conversation: deliveries.conversation, channel: outboundMessages.channel })
      .from(outboundMessages)
      .innerJoin(deliveries, outboundDelivery)
      .where(eq(outboundMessages.key, trigger.postKey));
    return row?.ts ? { channel: row.conversation ?? row.channel, ts: row.ts } : null;
  }
  let blockerId: number | null = trigger.kind === 'p0_open' ? trigger.blockerId : null;
  if (trigger.kind === 'gate_failed') {
    const [b] = await deps.db
      .select({ id: blockers.id })
      .from(blockers)
      .where(and(eq(blockers.gateId, trigger.gateId), eq(blockers.source, 'gate')));
    blockerId = b?.id ?? null;
  }
  if (blockerId === null) return null;
  const state = await stateOf(deps, blockerMessageDelivery(blockerId));
  return state?.ts && state.conversation ? { channel: state.conversation, ts: state.ts } : null;
}

/** The permalink of a message (chat.getPermalink), or null when Slack gives none. */
async function permalink(deps: Deps, at: { channel: string; ts: string } | null): Promise<string | null> {
  if (!at) return null;
  try {
    const res = await deps.slack.chat.getPermalink({ channel: at.channel, message_ts: at.ts });
    return res.permalink ?? null;
  } catch (err) {
    deps.log.warn({ err: platformError(err) ?? String(err) }, 'war room: no permalink');
    return null;
  }
}

/**
 * Posts where the board is into the room and pins that post (pins.add), once: the post is an outbound message keyed
 * by the room (delivered here, exactly once), the pin recorded in `pinned_at`. The board is the program channel's
 * (services/board `boardRef`; `Deps.warRoomBoard` replaces the lookup in tests); no board yet: nothing (a later
 * trigger tries again).
 */
async function pinBoard(deps: Deps, roomId: number, channel: string, channelName: string): Promise<void> {
  const board = deps.warRoomBoard ? await deps.warRoomBoard() : await boardRef(deps);
  if (!board) return;
  const link = board.kind === 'message' ? await permalink(deps, { channel: board.channel, ts: board.id }) : null;
  const key = `war-room-board:${roomId}`;
  const message = deps.renderer.warRoomMessage({ kind: 'board', link, programChannel: board.channel });
  await deps.db.transaction((tx) => insertOutbound(tx, deps.clock.now().toJSDate(), [{ kind: 'war_room', key, channel, message }]));
  const [m] = await deps.db.select({ id: outboundMessages.id }).from(outboundMessages).where(eq(outboundMessages.key, key));
  await sendOutbound(deps, m!.id);
  const state = await stateOf(deps, { kind: 'war_room', ownerKey: m!.id });
  if (!state?.ts) return; // not delivered yet: the sweep delivers it, the next trigger pins it
  try {
    await deps.slack.pins.add({ channel, timestamp: state.ts });
  } catch (err) {
    const code = platformError(err);
    const refused = refusalOf(err);
    if (refused) await tellPmRefused(deps, refused, 'pin the board in the war room', channelName);
    else if (code !== 'already_pinned') throw err;
  }
  await deps.db.update(warRooms).set({ pinnedAt: deps.clock.now().toJSDate() }).where(eq(warRooms.id, roomId));
}

/**
 * A trigger fired (services/warroom/triggers.ts): opens the program's war room, or posts into the one already open.
 * 1. Claims the room: inserts the open row (one open room per program, a unique partial index), or finds it.
 * 2. Creates its channel (conversations.create, named from `program.war_room.name`, private per config) unless the
 *    row has one; a crash or a second replica in between finds the channel by its name (name_taken) instead of
 *    making a second one.
 * 3. Invites the PM, the execs, the leads of the workstreams involved, the blocker's owner and whoever is on call.
 * 4. Queues the "why" post for this trigger (with the permalink of what it is about), once per trigger key.
 * 5. Pins the board (once per room), when the composition root wired `Deps.warRoomBoard`.
 * A refusal (missing_scope, restricted_action, not_allowed, every name taken) DMs the PM once per kind and, at
 * creation, closes the claimed row so the next trigger tries again. Does nothing when `program.war_room` is absent
 * or its `when` does not name this trigger's kind.
 * @throws transient Slack or database errors (the job retries; every step is idempotent).
 */
export async function openWarRoom(deps: Deps, trigger: WarRoomTrigger): Promise<OpenOutcome> {
  const wr = deps.config.program.war_room;
  if (!wr || !triggerEnabled(wr.when, trigger)) return { outcome: 'off' };
  const program = deps.config.program.name;
  const now = deps.clock.now().toJSDate();
  await deps.db
    .insert(warRooms)
    .values({ program, name: warRoomChannelName(wr.name, program), openedAt: now, openedBy: trigger })
    .onConflictDoNothing({ target: warRooms.program, where: sql`closed_at is null` });
  const [room] = await deps.db
    .select()
    .from(warRooms)
    .where(and(eq(warRooms.program, program), isNull(warRooms.closedAt)));
  if (!room) return { outcome: 'closing' };
  let channel = room.channelId;
  if (!channel) {
    const made = await ensureChannel(deps, room);
    if ('refused' in made) {
      await deps.db
        .update(warRooms)
        .set({ closedAt: now, summary: `refused: ${made.refused}` })
        .where(and(eq(warRooms.id, room.id), isNull(warRooms.channelId), isNull(warRooms.closedAt)));
      await tellPmRefused(deps, made.refused, 'create the war room', made.name);
      return { outcome: 'refused', error: made.refused };
    }
    channel = made.channel;
  }
  const c = deps.config;
  const leads = Object.fromEntries(Object.entries(c.workstreams).map(([id, w]) => [id, w.leads]));
  await invite(deps, channel, inviteesOf(trigger, { pm: c.program.pm, execs: c.program.execs, leads, oncall: await onCallNow(deps) }), room.name);
  const opened = room.openedBy.key === trigger.key;
  const link = await permalink(deps, await messageOf(deps, trigger));
  await queueOutbound(deps, [{ kind: 'war_room', key: `war-room-why:${trigger.key}`, channel, message: deps.renderer.warRoomMessage({ kind: 'why', trigger, link, opened }) }]);
  if (!room.pinnedAt) await pinBoard(deps, room.id, channel, room.name);
  deps.log.info({ room: room.id, channel, trigger: trigger.key, opened }, opened ? 'war room opened' : 'war room: trigger posted into the open room');
  return { outcome: opened ? 'opened' : 'posted', roomId: room.id, channel };
}

/**
 * `/preflight warroom close` (the PM only): closes the program's open war room in Postgres with its summary line
 * (open for how long, what opened it, how many blockers were resolved since it opened) and asks for its archive
 * (the summary is posted first, then conversations.archive; {@link archiveWarRoom}).
 * @returns the summary, `none` when no room is open, or the refusal naming who can.
 */
export async function closeWarRoom(
  deps: Deps,
  actor: string,
): Promise<{ ok: true; summary: string; channel: string | null } | { ok: false; reason: 'none' } | { ok: false; refusal: PermissionRefusal }> {
  const may = permission(deps.config.roles, actor, { on: 'warroom', verb: 'close' });
  if (!may.allowed) return { ok: false, refusal: may };
  const program = deps.config.program.name;
  const now = deps.clock.now().toJSDate();
  const [room] = await deps.db
    .select()
    .from(warRooms)
    .where(and(eq(warRooms.program, program), isNull(warRooms.closedAt)));
  if (!room) return { ok: false, reason: 'none' };
  const [{ n }] = (await deps.db
    .select({ n: sql<number>`count(*)::int` })
    .from(blockers)
    .where(and(eq(blockers.status, 'resolved'), gte(blockers.resolvedAt, room.openedAt)))) as [{ n: number }];
  const { text: summary } = deps.renderer.warRoomMessage({
    kind: 'summary',
    openForMs: now.getTime() - room.openedAt.getTime(),
    openedBy: triggerTitle(room.openedBy),
    resolvedSince: n,
    closedBy: actor,
  });
  const [closed] = await deps.db
    .update(warRooms)
    .set({ closedAt: now, closedBy: actor, summary })
    .where(and(eq(warRooms.id, room.id), isNull(warRooms.closedAt)))
    .returning({ id: warRooms.id });
  if (!closed) return { ok: false, reason: 'none' };
  await deps.wakeups.archiveWarRooms([room.id]);
  return { ok: true, summary, channel: room.channelId };
}

/**
 * Archives a closed room's channel: posts its summary line first (an outbound message keyed by the room, delivered
 * here exactly once), then conversations.archive (already archived is fine; a refusal DMs the PM once).
 * @returns what happened. @throws when the summary is not posted yet (the job retries, so it never archives first).
 */
export async function archiveWarRoom(deps: Deps, roomId: number): Promise<'archived' | 'nothing' | 'refused'> {
  const [room] = await deps.db.select().from(warRooms).where(eq(warRooms.id, roomId));
  if (!room?.closedAt || !room.channelId || !room.summary) return 'nothing';
  const key = `war-room-summary:${room.id}`;
  await deps.db.transaction((tx) => insertOutbound(tx, deps.clock.now().toJSDate(), [{ kind: 'war_room', key, channel: room.channelId!, message: { text: room.summary! } }]));
  const [m] = await deps.db.select({ id: outboundMessages.id }).from(outboundMessages).where(eq(outboundMessages.key, key));
  await sendOutbound(deps, m!.id);
  const state = await stateOf(deps, { kind: 'war_room', ownerKey: m!.id });
  if (state?.status !== 'sent' && state?.status !== 'failed') throw new Error(`war room ${roomId}: its summary is not posted yet`);
  try {
    await deps.slack.conversations.archive({ channel: room.channelId });
  } catch (err) {
    const code = platformError(err);
    if (code === 'already_archived') return 'archived';
    const refused = refusalOf(err);
    if (!refused) throw err;
    await tellPmRefused(deps, refused, 'archive the war room', room.name);
    return 'refused';
  }
  return 'archived';
}

/**
 * Rooms whose opening a crash interrupted (claimed, open, no channel yet): the due-work sweep runs their opening
 * trigger again (the registry's `recover` of `openWarRooms`).
 */
export async function unfinishedRooms(deps: Pick<Deps, 'db'>): Promise<{ trigger: WarRoomTrigger }[]> {
  const rows = await deps.db
    .select({ openedBy: warRooms.openedBy })
    .from(warRooms)
    .where(and(isNull(warRooms.closedAt), isNull(warRooms.channelId)));
  return rows.map((r) => ({ trigger: r.openedBy }));
}
