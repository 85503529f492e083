/**
 * Enterprise Grid for the stand-ins (issue 24): the Web API as an org-wide install of Preflight sees it.
 * Sources: docs.slack.dev/enterprise/organization-ready-apps ("API methods that accept team_id": an org-wide app
 * must pass `team_id` to these, else `missing_argument`; a workspace the app is not granted answers
 * `team_access_not_granted`), docs.slack.dev/reference/methods/auth.test (`enterprise_id`, `is_enterprise_install`)
 * and conversations.info (`context_team_id`, `shared_team_ids`).
 */
export interface GridOrg {
  /** The org's ID (`E…`), what auth.test answers as `enterprise_id`. */
  enterpriseId: string;
  /** The workspaces the org-wide install is granted; the first is the one auth.test answers as `team_id`. */
  teams: string[];
  /** Channel ID → its workspace; conversations.info of a channel of a workspace not in `teams` is refused. */
  channels?: Record<string, string>;
}

/** Methods that take `team_id` of an org-wide app (@slack/web-api's `OptionalTeamAssignable`). */
export const TEAM_ID_METHODS: ReadonlySet<string> = new Set([
  'conversations.create',
  'conversations.list',
  'users.list',
  'users.conversations',
  'usergroups.create',
  'usergroups.disable',
  'usergroups.enable',
  'usergroups.list',
  'usergroups.update',
  'usergroups.users.list',
  'usergroups.users.update',
  'chat.scheduledMessages.list',
]);

/** Slack's error for `method` called by an org-wide app with `args`, or null when Slack would serve it. */
export function gridRefusal(grid: GridOrg, method: string, args: Record<string, any>): string | null {
  if (TEAM_ID_METHODS.has(method)) {
    const team = typeof args.team_id === 'string' ? args.team_id : '';
    if (!team) return 'missing_argument';
    if (!grid.teams.includes(team)) return 'team_access_not_granted';
  }
  if (method === 'conversations.info' && grid.channels) {
    const team = grid.channels[String(args.channel ?? '')];
    if (!team) return 'channel_not_found';
    if (!grid.teams.includes(team)) return 'team_access_not_granted';
  }
  return null;
}

/** `answer` as an org-wide install gets it: auth.test names the org; conversations.info the channel's workspace. */
export function gridDecorate(grid: GridOrg, method: string, args: Record<string, any>, answer: unknown): unknown {
  const a = answer as Record<string, any> | null;
  if (!a || a.ok !== true) return answer;
  if (method === 'auth.test') return { ...a, team_id: grid.teams[0], enterprise_id: grid.enterpriseId, is_enterprise_install: true };
  const team = grid.channels?.[String(args.channel ?? '')];
  if (method === 'conversations.info' && team) return { ...a, channel: { ...(a.channel ?? {}), context_team_id: team, shared_team_ids: [team] } };
  return answer;
}
