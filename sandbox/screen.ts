import { DateTime } from 'luxon';
import { escapeHtml, type RenderContext } from './render/directory.js';
import { renderMessageBody, renderModal, renderBlocks } from './render/block-kit.js';
import { imChannelOf, type StoredMessage } from './slack-stand-in/messages.js';
import type { SlackApiFake } from './slack-stand-in/web-api.js';
import type { Ephemeral } from './slack-stand-in/surfaces.js';
import type { SandboxDirectory } from './workspace/people.js';

/*
 * What one person sees on the sandbox page, as HTML rendered on the server: a conversation (top-level
 * messages and the ephemeral ones meant for them, oldest first), a thread, their open modal and their
 * App Home tab. Each message element carries data-channel / data-ts (data-ephemeral for ephemeral ones) so
 * the page can say which message an action came from.
 */

export interface Screen {
  conversation: string;
  thread: string;
  modal: string;
  home: string;
}

/** The render context for viewer `user`: names from the directory, dates in the viewer's zone. */
export function contextFor(dir: SandboxDirectory, user: string, now = Date.now()): RenderContext {
  const people = new Map(dir.people.map((p) => [p.id, p]));
  const channels = new Map(dir.channels.map((c) => [c.id, c]));
  return {
    people: dir.people.map((p) => ({ id: p.id, name: p.name })),
    userName: (id) => people.get(id)?.name ?? id,
    channelName: (id) => channels.get(id)?.name ?? (id.startsWith('D') ? 'direct message' : id),
    zone: people.get(user)?.zone ?? 'UTC',
    now,
  };
}

const cmpTs = (a: string, b: string) => Number(a) - Number(b);

function timeOf(ts: string, ctx: RenderContext): string {
  const t = DateTime.fromSeconds(Number(ts), { zone: ctx.zone });
  return `<time datetime="${escapeHtml(t.toISO() ?? '')}">${escapeHtml(t.toFormat('HH:mm:ss'))}</time>`;
}

function messageHtml(m: StoredMessage, ctx: RenderContext, replies: number, inThread: boolean): string {
  const author = m.user ? ctx.userName(m.user) : 'Preflight';
  const threadLink = !inThread && replies > 0 ? `<button type="button" class="thread-link" data-open-thread="${escapeHtml(m.ts)}">${replies} repl${replies === 1 ? 'y' : 'ies'}</button>` : '';
  const edited = m.edited ? ' <span class="edited">(edited)</span>' : '';
  return `<article class="message${m.user ? '' : ' from-app'}" data-channel="${escapeHtml(m.channel)}" data-ts="${escapeHtml(m.ts)}"><header><strong>${escapeHtml(author)}</strong>${m.user ? '' : ' <span class="app-badge">APP</span>'} ${timeOf(m.ts, ctx)}${edited}</header><div class="body">${renderMessageBody(m, ctx)}</div>${threadLink}</article>`;
}

/**
 * The channel's canvas (issue 23: the live status board), above its messages: its title and its markdown as text,
 * `![](@U…)` mentions shown as the person's name. Empty when the channel has none.
 */
export function canvasHtml(standIn: SlackApiFake, channel: string, ctx: RenderContext): string {
  const canvas = standIn.messages.canvases.get(channel);
  if (!canvas) return '';
  const text = canvas.markdown.replace(/!\[\]\(@([UW][A-Z0-9]+)\)/g, (_, id: string) => `@${ctx.userName(id)}`);
  return `<section class="canvas" data-canvas="${escapeHtml(canvas.id)}"><header><strong>📋 ${escapeHtml(canvas.title || 'Canvas')}</strong> <span class="app-badge">CANVAS</span></header><pre>${escapeHtml(text)}</pre></section>`;
}

function ephemeralHtml(e: Ephemeral, ctx: RenderContext): string {
  return `<article class="message ephemeral from-app" data-channel="${escapeHtml(e.channel)}" data-ts="${escapeHtml(e.ts)}" data-ephemeral="1"><header><strong>Preflight</strong> <span class="app-badge">APP</span> ${timeOf(e.ts, ctx)} <span class="only-you">Only visible to you</span></header><div class="body">${renderMessageBody(e, ctx)}</div></article>`;
}

/**
 * Renders what `user` sees.
 * @param conversation a channel id, or "dm" for the user's DM with the app, or "home".
 * @param threadTs the open thread's parent ts in that conversation, if any.
 */
export function screenFor(standIn: SlackApiFake, dir: SandboxDirectory, user: string, conversation: string, threadTs?: string): Screen {
  const ctx = contextFor(dir, user);
  const channel = conversation === 'dm' ? imChannelOf(user) : conversation;
  const all = standIn.messages.messages.filter((m) => m.channel === channel);
  const replyCount = (ts: string) => all.filter((m) => m.thread_ts === ts && m.ts !== ts).length;
  const top = all.filter((m) => !m.thread_ts || m.thread_ts === m.ts).map((m) => ({ ts: m.ts, html: messageHtml(m, ctx, replyCount(m.ts), false) }));
  const mine = standIn.surfaces.ephemerals.filter((e) => e.user === user && imChannelOf(e.channel) === channel && !e.thread_ts).map((e) => ({ ts: e.ts, html: ephemeralHtml(e, ctx) }));
  const items = [...top, ...mine].sort((a, b) => cmpTs(a.ts, b.ts));
  const pinned = standIn.messages.pins.get(channel);
  const pinnedNote = (html: string, ts: string) => (pinned?.has(ts) ? html.replace('<header>', '<header><span class="pinned">📌 Pinned</span> ') : html);
  const messagesHtml = items.length ? items.map((i) => pinnedNote(i.html, i.ts)).join('') : '<p class="empty">No messages yet.</p>';
  const conversationHtml = conversation === 'home' ? '' : canvasHtml(standIn, channel, ctx) + messagesHtml;
  let thread = '';
  if (threadTs && conversation !== 'home') {
    const parent = all.find((m) => m.ts === threadTs);
    if (parent) {
      const replies = all.filter((m) => m.thread_ts === threadTs && m.ts !== threadTs).sort((a, b) => cmpTs(a.ts, b.ts));
      thread = [
        messageHtml(parent, ctx, 0, true),
        `<div class="replies-count">${replies.length} repl${replies.length === 1 ? 'y' : 'ies'}</div>`,
        ...replies.map((r) => messageHtml(r, ctx, 0, true)),
      ].join('');
    }
  }
  const stack = standIn.surfaces.modals.get(user) ?? [];
  const top1 = stack[stack.length - 1];
  const modal = top1 ? renderModal(top1.view, top1.id, ctx, top1.errors) : '';
  const homeView = standIn.surfaces.homes.get(user);
  const home = homeView ? `<div class="home" data-view-id="${escapeHtml(homeView.id)}">${renderBlocks(homeView.view.blocks, ctx)}</div>` : '<p class="empty">Opening the Home tab…</p>';
  return { conversation: conversationHtml, thread, modal, home };
}
