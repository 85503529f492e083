import { DateTime } from 'luxon';

/**
 * Slack's date formatting token `<!date^<epoch seconds>^<format>[^<link>]|<fallback>>`, rendered the way
 * Slack renders it in the reader's time zone. Tokens from docs.slack.dev/messaging/formatting-message-text#date-formatting:
 * {date_num} 2014-02-18 · {date} February 18th, 2014 · {date_short} Feb 18, 2014 · {date_long} Tuesday,
 * February 18th, 2014 · {date_pretty}/{date_short_pretty}/{date_long_pretty}: "today", "yesterday" or
 * "tomorrow" when it applies, else the plain form · {time} 6:39 AM · {time_secs} 6:39:42 AM · {ago} "3 minutes ago".
 * @param epochSec the token's Unix time in seconds; @param zone the reader's IANA zone; @param nowMs epoch ms.
 * @returns plain text (the caller escapes it for HTML).
 */
export function formatSlackDate(epochSec: number, format: string, zone: string, nowMs: number): string {
  const t = DateTime.fromSeconds(epochSec, { zone });
  const now = DateTime.fromMillis(nowMs, { zone });
  const ordinal = (d: number) => `${d}${d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th'}`;
  const date = `${t.toFormat('LLLL')} ${ordinal(t.day)}, ${t.year}`;
  const dateShort = t.toFormat('LLL d, yyyy');
  const dateLong = `${t.toFormat('cccc')}, ${date}`;
  const days = Math.round(t.startOf('day').diff(now.startOf('day'), 'days').days);
  const pretty = (plain: string) => (days === 0 ? 'today' : days === -1 ? 'yesterday' : days === 1 ? 'tomorrow' : plain);
  const tokens: Record<string, () => string> = {
    date_num: () => t.toFormat('yyyy-LL-dd'),
    date: () => date,
    date_short: () => dateShort,
    date_long: () => dateLong,
    date_pretty: () => pretty(date),
    date_short_pretty: () => pretty(dateShort),
    date_long_pretty: () => pretty(dateLong),
    time: () => t.toFormat('h:mm a'),
    time_secs: () => t.toFormat('h:mm:ss a'),
    ago: () => ago(nowMs - epochSec * 1000),
  };
  return format.replace(/\{([a-z_]+)\}/g, (whole, name: string) => tokens[name]?.() ?? whole);
}

function ago(ms: number): string {
  const future = ms < 0;
  const s = Math.abs(ms) / 1000;
  const [n, unit] = s < 60 ? [0, ''] : s < 3600 ? [Math.floor(s / 60), 'minute'] : s < 86_400 ? [Math.floor(s / 3600), 'hour'] : [Math.floor(s / 86_400), 'day'];
  if (n === 0) return 'just now';
  const phrase = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return future ? `in ${phrase}` : `${phrase} ago`;
}
