/**
 * Safe text for Slack. Rule from docs.slack.dev/messaging/formatting-message-text: in mrkdwn, `&`, `<` and
 * `>` must be escaped as `&amp;`, `&lt;`, `&gt;`; escaped user text can never form `<!channel>`, `<@U…>`
 * mentions or `<http://…|links>`.
 */

/** Escapes user text for a mrkdwn text object. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const CUT_MARKER = '… (cut)';

/**
 * Cuts `text` to at most `max` characters (UTF-16 units, as Slack counts), never inside a surrogate pair,
 * appending {@link CUT_MARKER} when it cut. `max` must exceed the marker's length.
 */
export function truncate(text: string, max: number, marker = CUT_MARKER): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max - marker.length) break;
    out += ch;
  }
  return out + marker;
}

/**
 * Escapes user text for mrkdwn and cuts it so the *escaped* result fits `max` characters.
 * Cutting happens on the raw text, so an escape entity is never split.
 */
export function safeMrkdwn(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let lo = 0;
  let hi = Math.min(text.length, max);
  // binary search the longest raw prefix whose escaped form plus marker fits
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escapeMrkdwn(truncate(text, mid + CUT_MARKER.length)).length <= max) lo = mid;
    else hi = mid - 1;
  }
  return escapeMrkdwn(truncate(text, lo + CUT_MARKER.length));
}

/** Plain text (plain_text objects are not parsed for mentions) cut to `max`. */
export function safePlain(text: string, max: number): string {
  const t = text.trim() === '' ? '—' : text;
  return truncate(t, max);
}

/** A user mention, `<@U123>`, for ids we validated ourselves (never for user-typed text). */
export function mention(userId: string): string {
  return `<@${userId}>`;
}

/** "1 open blocker", "2 open blockers", "0 open blockers": a count with its noun, singular only for exactly 1. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/**
 * A link target safe inside `<url|label>`: Slack ends the target at `|` or `>`, and mrkdwn wants `&`, `<`, `>`
 * escaped (docs.slack.dev/messaging/formatting-message-text). `|`, `<`, `>`, spaces and quotes are
 * percent-encoded (the link still opens the same page), then `&` is written `&amp;`.
 */
export function escapeLinkUrl(url: string): string {
  return url.replace(/[|<>"\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).replace(/&/g, '&amp;');
}

/**
 * A task's id as mrkdwn (issue 21): a link to its page, `<https://acme.atlassian.net/browse/LAUNCH-42|LAUNCH-42>`,
 * when it has a `url` (a tracker issue, or `url:` in preflight.yml); else the id, escaped. `maxId` cuts a long id.
 */
export function taskRef(task: { id: string; url?: string | null }, maxId = 40): string {
  const id = safeMrkdwn(task.id, maxId);
  return task.url ? `<${escapeLinkUrl(task.url)}|${id}>` : id;
}

/**
 * A task's owner as mrkdwn (issue 21): `<@U123>`, or "owner not in Slack (ana@acme.com)" for a tracker task whose
 * assignee's email matches no Slack user (`ownerUnmatched`; its `owner` is then the workstream's lead, who is
 * told instead). The email is tracker text, escaped.
 */
export function taskOwner(task: { owner: string; ownerUnmatched?: string | null }): string {
  return task.ownerUnmatched ? `owner not in Slack (${safeMrkdwn(task.ownerUnmatched, 120)})` : mention(task.owner);
}
