import { DateTime } from 'luxon';

/**
 * How a time is written in a message: Slack's date formatting token (docs.slack.dev/messaging/formatting-message-text,
 * "Date formatting") and the luxon format of its plain-text fallback.
 * - `ago`: "5 minutes ago", kept current by Slack.
 * - `day time`: "Today 10:03" (`{date_short_pretty} {time}`).
 * - `day at time`: "Today at 10:03" (`{date_short_pretty} at {time}`).
 */
const STYLES = {
  ago: { token: '{ago}', fallback: 'ccc d LLL HH:mm ZZZZ' },
  'day time': { token: '{date_short_pretty} {time}', fallback: 'ccc d LLL HH:mm ZZZZ' },
  'day at time': { token: '{date_short_pretty} at {time}', fallback: "ccc d LLL 'at' HH:mm ZZZZ" },
} as const;

export type SlackDateStyle = keyof typeof STYLES;

/**
 * `<!date^<unix s>^<token>|<fallback>>`: Slack shows the instant in each reader's own zone; the fallback (what a
 * client that cannot render the token, or a notification, shows) is written in `zone`, the zone of the message's
 * recipient (a DM's member, a channel's workstream), e.g. `Wed 4 Feb at 10:17 EST`.
 * @param at the instant: Unix seconds, or a luxon DateTime.
 * @param zone IANA zone of the fallback.
 */
export function slackDate(at: number | DateTime, zone: string, style: SlackDateStyle = 'day time'): string {
  const dt = typeof at === 'number' ? DateTime.fromSeconds(Math.floor(at)) : at;
  const s = STYLES[style];
  return `<!date^${Math.floor(dt.toSeconds())}^${s.token}|${plainTime(dt, zone, style)}>`;
}

/**
 * The same instant as plain text in `zone` (for a message's `text` fallback, which Slack does not format), e.g.
 * `Wed 4 Feb 10:17 EST`; `day at time` gives `Wed 4 Feb at 10:17 EST`.
 * @param at Unix seconds, or a luxon DateTime.
 */
export function plainTime(at: number | DateTime, zone: string, style: SlackDateStyle = 'day time'): string {
  const dt = typeof at === 'number' ? DateTime.fromSeconds(Math.floor(at)) : at;
  return dt.setZone(zone).toFormat(STYLES[style].fallback);
}
