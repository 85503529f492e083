import { escapeHtml, type RenderContext } from './directory.js';
import { formatSlackDate } from './slack-date.js';

/*
 * Slack's mrkdwn → HTML, following docs.slack.dev/messaging/formatting-message-text: *bold*, _italic_,
 * ~strike~, `code`, ``` pre ```, > quotes, <@U…> / <#C…|name> mentions, <!here>-style broadcasts,
 * <!date^…|…> tokens, <url|label> links; `&amp;` `&lt;` `&gt;` are the only entities. No npm package renders
 * Slack's dialect (they target Markdown), so this is sandbox code. Everything that is not markup is
 * HTML-escaped; link targets are kept only for http(s) and mailto.
 * Lists: Slack has no list syntax in mrkdwn, but lines starting with "• ", "- " or "1. " read as lists, so the
 * page shows them as HTML lists.
 */

const OPEN = '\uE000';
const CLOSE = '\uE001';

/** Decodes the three entities Slack escapes (once), so the text can be escaped again for HTML. */
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, e: string) => (e === 'amp' ? '&' : e === 'lt' ? '<' : '>'));
}

/**
 * Renders a mrkdwn string as HTML (inline content and <br>, <blockquote>, <ul>/<ol>, <pre>).
 * @param ctx names for mentions, the viewer's zone for dates.
 */
export function mrkdwnToHtml(source: string, ctx: RenderContext): string {
  const text = source.replace(/[\uE000\uE001]/g, '');
  // ``` blocks first: nothing inside them is formatted
  const parts = text.split(/```/);
  return parts.map((part, i) => (i % 2 === 1 && i < parts.length - 1 ? `<pre>${escapeHtml(decodeEntities(part.replace(/^\n/, '')))}</pre>` : blockLevel(part, ctx))).join('');
}

/**
 * A mrkdwn string as plain text with names (`<@U0PM>` → `@Program manager`, `<#C1>` or `<#C1|launch>` → `#launch`,
 * `<!here>` → `@here`, `<url|label>` → label), entities decoded: for what the page shows as text, such as a
 * workflow step's error, where Slack's reader sees names too. Emphasis marks are left as they are.
 * @param ctx names for mentions.
 */
export function mrkdwnToPlain(text: string, ctx: Pick<RenderContext, 'userName' | 'channelName'>): string {
  return text
    .replace(/<([^<>\n]+)>/g, (_, inner: string) => {
      const [target = '', label] = splitOnce(inner, '|');
      if (target.startsWith('@')) return `@${ctx.userName(target.slice(1))}`;
      if (target.startsWith('#')) return `#${label ? decodeEntities(label) : ctx.channelName(target.slice(1))}`;
      if (target.startsWith('!')) return label ? decodeEntities(label) : `@${target.slice(1)}`;
      return decodeEntities(label ?? target);
    })
    .replace(/&(amp|lt|gt);/g, (m) => decodeEntities(m));
}

/** Plain text (a plain_text object): escaped, newlines kept. */
export function plainToHtml(text: string): string {
  return escapeHtml(text).replace(/\n/g, '<br>');
}

function blockLevel(text: string, ctx: RenderContext): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let i = 0;
  const take = (re: RegExp) => {
    const group: string[] = [];
    while (i < lines.length && re.test(lines[i]!)) group.push(lines[i++]!.replace(re, ''));
    return group;
  };
  while (i < lines.length) {
    const line = lines[i]!;
    if (/^(>|&gt;)/.test(line))
      out.push(
        `<blockquote>${take(/^(>|&gt;) ?/)
          .map((l) => inline(l, ctx))
          .join('<br>')}</blockquote>`,
      );
    else if (/^\s*[•◦▪-] /.test(line))
      out.push(
        `<ul>${take(/^\s*[•◦▪-] /)
          .map((l) => `<li>${inline(l, ctx)}</li>`)
          .join('')}</ul>`,
      );
    else if (/^\s*\d+[.)] /.test(line))
      out.push(
        `<ol>${take(/^\s*\d+[.)] /)
          .map((l) => `<li>${inline(l, ctx)}</li>`)
          .join('')}</ol>`,
      );
    else {
      out.push(`${inline(line, ctx)}${i < lines.length - 1 && !/^(>|&gt;)|^\s*([•◦▪-]|\d+[.)]) /.test(lines[i + 1]!) ? '<br>' : ''}`);
      i++;
    }
  }
  return out.join('');
}

/** One line: tokens (`code`, <…>) become placeholders, the rest is escaped, then *_~ formatting applies. */
function inline(line: string, ctx: RenderContext): string {
  const tokens: string[] = [];
  const hold = (html: string) => `${OPEN}${tokens.push(html) - 1}${CLOSE}`;
  let s = line.replace(/`([^`\n]+)`/g, (_, code: string) => hold(`<code>${escapeHtml(decodeEntities(code))}</code>`));
  s = s.replace(/<([^<>\n]+)>/g, (_, inner: string) => hold(angleToken(inner, ctx)));
  s = escapeHtml(decodeEntities(s));
  const wrap = (mark: string, tag: string) => {
    const m = mark === '*' ? '\\*' : mark;
    const re = new RegExp(`(^|[\\s(${OPEN}${CLOSE}\\[{"'>;])${m}(?=\\S)([^${m === '\\*' ? '*' : mark}\\n]*?\\S)${m}(?=$|[\\s).,!?:;'"\\]}&${OPEN}${CLOSE}-])`, 'g');
    s = s.replace(re, (_, pre: string, body: string) => `${pre}<${tag}>${body}</${tag}>`);
  };
  wrap('*', 'b');
  wrap('_', 'i');
  wrap('~', 's');
  return s.replace(new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g'), (_, n: string) => tokens[Number(n)]!);
}

/** `<@U1>`, `<#C1|name>`, `<!here>`, `<!date^…|…>`, `<url|label>`; anything else shows as its escaped text. */
function angleToken(inner: string, ctx: RenderContext): string {
  const [target = '', label] = splitOnce(inner, '|');
  if (target.startsWith('@')) return `<span class="mention">@${escapeHtml(ctx.userName(target.slice(1)))}</span>`;
  if (target.startsWith('#')) return `<span class="mention">#${escapeHtml(label ? decodeEntities(label) : ctx.channelName(target.slice(1)))}</span>`;
  if (target.startsWith('!date^')) {
    const [, epoch, format = '', link] = target.split('^');
    const sec = Number(epoch);
    if (!Number.isFinite(sec)) return escapeHtml(decodeEntities(label ?? ''));
    const shown = escapeHtml(formatSlackDate(sec, decodeEntities(format), ctx.zone, ctx.now));
    return link && safeUrl(link)
      ? `<a href="${escapeHtml(decodeEntities(link))}" target="_blank" rel="noopener">${shown}</a>`
      : `<time datetime="${new Date(sec * 1000).toISOString()}">${shown}</time>`;
  }
  if (target.startsWith('!subteam^')) return `<span class="mention">@${escapeHtml(label ? decodeEntities(label) : 'group')}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  const url = decodeEntities(target);
  if (!safeUrl(url)) return escapeHtml(decodeEntities(label ?? target));
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener">${escapeHtml(decodeEntities(label ?? target.replace(/^mailto:/, '')))}</a>`;
}

function safeUrl(url: string): boolean {
  return /^(https?:\/\/|mailto:)/i.test(decodeEntities(url));
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}
