/**
 * Slack's Web API rate-limit tiers per method, as the launch-day benchmark enforces them (issue 25).
 *
 * Source (copied 2026-12-05 from the project's Slack reference, rate-limit-tiers.json):
 * - https://docs.slack.dev/apis/web-api/rate-limits : tiers are evaluated per method, per workspace, per app, in
 *   per-minute windows; Tier 1: 1+ per minute, Tier 2: 20+, Tier 3: 50+, Tier 4: 100+; `chat.postMessage` is
 *   special: about 1 message per second per channel, plus a workspace-wide limit of "several hundred messages per
 *   minute", generous bursts. A call past a limit gets HTTP 429 with `Retry-After` (seconds).
 * - slackapi/java-slack-sdk MethodsRateLimits.java (Slack-maintained method → tier map), which agrees with the docs'
 *   per-method pages for every method below.
 * - canvases.edit (Tier 3) and files.getUploadURLExternal (Tier 4): issue 25's text, from the methods' docs pages.
 *
 * The published figures are MINIMUMS ("1+ per minute"): the bench enforces exactly them, the strictest reading.
 * The workspace-wide chat.postMessage limit is unpublished: the bench takes it as a parameter (default 600/min,
 * "several hundred"); the per-channel burst is not published either (the bench allows 3).
 */

/** Calls per minute of each tier (docs.slack.dev/apis/web-api/rate-limits). */
export const TIER_PER_MINUTE = { Tier1: 1, Tier2: 20, Tier3: 50, Tier4: 100 } as const;
export type Tier = keyof typeof TIER_PER_MINUTE;

/** Method → tier; chat.postMessage is 'special' (per channel and workspace-wide, see the file's comment). */
export const METHOD_TIERS: Record<string, Tier | 'postMessage' | 'unlimited'> = {
  'chat.postMessage': 'postMessage',
  'chat.postEphemeral': 'Tier4',
  'chat.update': 'Tier3',
  'chat.scheduleMessage': 'Tier3',
  'conversations.open': 'Tier3',
  'conversations.info': 'Tier3',
  'users.info': 'Tier4',
  'users.list': 'Tier2',
  'users.lookupByEmail': 'Tier3',
  'views.open': 'Tier4',
  'views.publish': 'Tier4',
  'views.update': 'Tier4',
  'views.push': 'Tier4',
  'reactions.add': 'Tier3',
  'canvases.edit': 'Tier3',
  'files.getUploadURLExternal': 'Tier4',
  'apps.connections.open': 'Tier1',
  'oauth.v2.access': 'Tier4',
  // "special" with no published figure: not limited by the bench
  'auth.test': 'unlimited',
};

/** A method the table does not list is held to Tier 3, the common tier of the write methods above. */
export const DEFAULT_TIER: Tier = 'Tier3';
