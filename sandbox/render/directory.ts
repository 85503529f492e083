/** Who and what the page names: the sandbox's people and channels, and the zone of the person viewing. */
export interface RenderContext {
  /** A user id's display name (`U0PM` → "Pat (PM)"); the id itself when unknown. */
  userName(id: string): string;
  /** A channel id's name without `#` (`C0WS1` → "ws1-broker"); the id itself when unknown. */
  channelName(id: string): string;
  /** IANA zone of the viewer: `<!date^…>` tokens are shown in it, as Slack shows them in each reader's zone. */
  zone: string;
  /** The people a users_select offers, in order. */
  people?: { id: string; name: string }[];
  /** "Now", epoch ms, for `{ago}` and `{date_pretty}` (today / yesterday / tomorrow). */
  now: number;
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
