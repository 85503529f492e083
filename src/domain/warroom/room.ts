/*
 * The war room (issue 23): a Slack channel Preflight opens for the program when things go wrong (a NO-GO verdict,
 * a P0 blocker left open, a failed gate), one at a time per program. Pure rules: its channel name, what opened it,
 * who is invited, the "why" and the closing summary texts, and which Slack errors are refusals.
 */

/** `program.war_room.when`: what opens the room. `p0_open_for` is in ms. */
export type WarRoomWhen = 'no_go' | 'gate_failed' | { p0_open_for: number };

/** `program.war_room` as declared (config/schema/program.ts). */
export interface WarRoomDeclaration {
  when: WarRoomWhen[];
  /** Channel name template; `{program}` is the program's name, slugged ({@link warRoomChannelName}). */
  name: string;
  /** A private channel (`conversations.create` `is_private`) rather than a public one. */
  private: boolean;
}

/** The default channel name template of `program.war_room.name`. */
export const DEFAULT_WAR_ROOM_NAME = 'launch-{program}-war-room';

/**
 * One thing that opened, or would open, the room. `key` is unique per occurrence (a `/gonogo` invocation, a
 * gate failure, a blocker): the room's "why" post for it goes out once, whatever replays it.
 * - `no_go`: a `/gonogo` (or scheduled) summary said NO-GO, with its reasons; `workstreams` are those holding it back;
 *   `postKey` the outbound key of that summary (its permalink goes in the room).
 * - `gate_failed`: gate `gateId` failed, by `actor`, delaying `workstreams`.
 * - `p0_open`: P0 blocker `blockerId` of `workstreamId` is still open `openForMs` after it was raised.
 */
export type WarRoomTrigger =
  | { kind: 'no_go'; key: string; reasons: string[]; workstreams: string[]; postKey: string | null }
  | { kind: 'gate_failed'; key: string; gateId: string; gateName: string; actor: string | null; note: string | null; workstreams: string[] }
  | { kind: 'p0_open'; key: string; blockerId: number; text: string; workstreamId: string; owner: string | null; openForMs: number };

/** Whether `when` lets `trigger` open the room (or post into it). */
export function triggerEnabled(when: readonly WarRoomWhen[], trigger: Pick<WarRoomTrigger, 'kind'>): boolean {
  if (trigger.kind === 'p0_open') return when.some((w) => typeof w === 'object');
  return when.includes(trigger.kind);
}

/** `p0_open_for` of `when` in ms, or null when a P0 left open does not open the room. */
export function p0OpenFor(when: readonly WarRoomWhen[]): number | null {
  const w = when.find((x): x is { p0_open_for: number } => typeof x === 'object');
  return w ? w.p0_open_for : null;
}

/** Slack's longest channel name (docs.slack.dev/reference/methods/conversations.create: "80 characters or less"). */
export const MAX_CHANNEL_NAME = 80;

/**
 * The room's channel name: `template` with `{program}` replaced by the program's name, then made a valid Slack
 * channel name (lowercase letters, digits, `-` and `_`; anything else becomes `-`, repeats collapsed, at most
 * {@link MAX_CHANNEL_NAME} characters). `attempt` > 1 (the name was taken by a channel that is not ours) adds
 * `-<attempt>` within the 80 characters.
 * @throws Error when nothing usable is left of the name (a template of symbols only).
 */
export function warRoomChannelName(template: string, programName: string, attempt = 1): string {
  const raw = template.replaceAll('{program}', programName).toLowerCase();
  const base = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  if (!base) throw new Error(`program.war_room.name: "${template}" leaves no letters or digits for a channel name`);
  const suffix = attempt > 1 ? `-${attempt}` : '';
  return `${base.slice(0, MAX_CHANNEL_NAME - suffix.length).replace(/[-_]+$/, '')}${suffix}`;
}

/** Who the room invites, before removing duplicates and the bot itself. */
export interface InviteeRoles {
  pm: string;
  execs: readonly string[];
  /** Leads of each workstream, by id. */
  leads: Readonly<Record<string, readonly string[]>>;
  /** Whoever is on call now, per rotation (null: nobody known). */
  oncall: readonly (string | null)[];
}

/**
 * The people a trigger brings into the room: the PM, the execs, the leads of the workstreams involved, the
 * blocker's owner (a P0), who failed the gate, and whoever is on call; each once, in that order.
 */
export function inviteesOf(trigger: WarRoomTrigger, roles: InviteeRoles): string[] {
  const workstreams = trigger.kind === 'p0_open' ? [trigger.workstreamId] : trigger.workstreams;
  const out = [
    roles.pm,
    ...roles.execs,
    ...workstreams.flatMap((w) => roles.leads[w] ?? []),
    ...(trigger.kind === 'p0_open' && trigger.owner ? [trigger.owner] : []),
    ...(trigger.kind === 'gate_failed' && trigger.actor ? [trigger.actor] : []),
    ...roles.oncall.filter((u): u is string => Boolean(u)),
  ];
  return [...new Set(out)];
}

/** Slack allows at most this many user ids per conversations.invite (docs.slack.dev/reference/methods/conversations.invite). */
export const INVITE_BATCH = 1000;

/** `ids` in batches of at most `size` ({@link INVITE_BATCH}). */
export function batches<T>(ids: readonly T[], size = INVITE_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

/** What a trigger is called in the room's posts and its closing summary. */
export function triggerTitle(trigger: WarRoomTrigger): string {
  if (trigger.kind === 'no_go') return 'a NO-GO verdict';
  if (trigger.kind === 'gate_failed') return `gate “${trigger.gateName}” failed`;
  return `P0 blocker B-${trigger.blockerId} open for ${humanMs(trigger.openForMs)}`;
}

/** "2h 05m", "45m", "3d 4h": a span in ms for people. */
export function humanMs(spanMs: number): string {
  const m = Math.max(0, Math.floor(spanMs / 60_000));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${String(min).padStart(2, '0')}m`;
  return `${min}m`;
}

/**
 * The "why" post for a trigger, plain Slack mrkdwn: what happened, with `link` (a permalink of the message it is
 * about, or null), then its details. `opened` says whether this trigger opened the room or came while it was open.
 * User text (a blocker's, a gate note) is escaped by the caller's renderer; here it is passed through `escapeText`.
 */
export function whyText(trigger: WarRoomTrigger, link: string | null, opened: boolean, escapeText: (s: string) => string): string {
  const lead = opened ? '🚨 War room opened:' : '🚨 Also:';
  const see = link ? ` (<${link}|see>)` : '';
  if (trigger.kind === 'no_go') {
    const reasons = trigger.reasons.slice(0, 6).map((r) => `• ${r}`);
    return [`${lead} the go/no-go verdict is *NO-GO*${see}.`, ...reasons].join('\n');
  }
  if (trigger.kind === 'gate_failed') {
    const by = trigger.actor ? ` by <@${trigger.actor}>` : '';
    const note = trigger.note ? `\n> ${escapeText(trigger.note)}` : '';
    return `${lead} gate “${escapeText(trigger.gateName)}” failed${by}${see}.${note}`;
  }
  const owner = trigger.owner ? ` Owner: <@${trigger.owner}>.` : '';
  return `${lead} P0 blocker B-${trigger.blockerId} has been open for ${humanMs(trigger.openForMs)}${see}: ${escapeText(trigger.text)}.${owner}`;
}

/**
 * The line posted before the room is archived: how long it was open, what opened it, and how many blockers were
 * resolved while it was open. E.g. "🏁 Closing the war room: open for 2h 05m, opened by a NO-GO verdict; 3 blockers resolved since."
 */
export function summaryLine(openForMs: number, openedBy: string, resolvedSince: number, closedBy: string): string {
  const resolved = `${resolvedSince} blocker${resolvedSince === 1 ? '' : 's'} resolved since`;
  return `🏁 <@${closedBy}> closed the war room: open for ${humanMs(openForMs)}, opened by ${openedBy}; ${resolved}.`;
}

/**
 * Slack errors that mean "Preflight may not do this here" rather than a fault worth retrying: the PM is told once
 * per program and kind (docs.slack.dev/reference/methods/conversations.create, .invite, .archive, pins.add).
 */
export const REFUSALS = ['missing_scope', 'restricted_action', 'not_allowed', 'not_allowed_token_type', 'no_permission', 'name_taken'] as const;
export type Refusal = (typeof REFUSALS)[number];

/** Whether a Slack error code is a {@link Refusal}. */
export function isRefusal(code: string | undefined): code is Refusal {
  return (REFUSALS as readonly string[]).includes(code ?? '');
}

/** What the PM is told when Slack refuses `step` with `error`: what failed and what to do about it. */
export function refusalText(error: Refusal, step: string, channelName: string): string {
  const fix: Record<Refusal, string> = {
    missing_scope: 'the app lacks a scope it needs (`channels:manage`, `groups:write`, `pins:write`): reinstall it from manifest.yml',
    restricted_action: "the workspace's settings do not let apps do this: ask a Slack admin to allow apps to create and manage channels",
    not_allowed: 'Slack does not allow this here',
    not_allowed_token_type: "the bot token's type may not do this",
    no_permission: 'the bot has no permission to do this',
    name_taken: `every name tried for #${channelName} is taken: set another \`program.war_room.name\``,
  };
  return `⚠️ Preflight could not ${step} (Slack said \`${error}\`): ${fix[error]}. You are told once; it tries again at the next trigger.`;
}

/** A message Preflight posts about the war room; rendered by the `MessageRenderer` (src/slack/blocks/warroom.ts). */
export type WarRoomMessage =
  /** In the room: why it was opened (or, `opened` false, why it is posted to again), with the permalink of what it is about. */
  | { kind: 'why'; trigger: WarRoomTrigger; link: string | null; opened: boolean }
  /** In the room, pinned: where the launch board is (a message's permalink, or the program channel's canvas). */
  | { kind: 'board'; link: string | null; programChannel: string }
  /** In the room, before it is archived: {@link summaryLine}. */
  | { kind: 'summary'; openForMs: number; openedBy: string; resolvedSince: number; closedBy: string }
  /** DM to the PM: Slack refused a step ({@link refusalText}). */
  | { kind: 'refused'; error: Refusal; step: string; channelName: string };

/** The text of a {@link WarRoomMessage}, user text passed through `escapeText` (mrkdwn's `&`, `<`, `>`). */
export function warRoomText(m: WarRoomMessage, escapeText: (s: string) => string): string {
  if (m.kind === 'why') return whyText(m.trigger, m.link, m.opened, escapeText);
  if (m.kind === 'board') return m.link ? `📌 The launch board: <${m.link}|open it>.` : `📌 The launch board is the canvas of <#${m.programChannel}>.`;
  if (m.kind === 'summary') return summaryLine(m.openForMs, m.openedBy, m.resolvedSince, m.closedBy);
  return refusalText(m.error, m.step, m.channelName);
}
