import type { App } from '@slack/bolt';
import type { Logger } from 'pino';

/** The workspace (and Enterprise Grid org) this bot token is installed in, from `auth.test`. */
export interface Installation {
  teamId: string;
  enterpriseId: string | null;
}

/**
 * Where a request comes from, wherever Slack puts it in that payload type (slash command: `team_id`, `user_id`,
 * `channel_id`; interactions: `team.id`, `user.id`, `user.team_id`, `channel.id`; Events API: `team_id`,
 * `authorizations[0]`, `event.user`, `event.user_team`, `event.channel`, `is_ext_shared_channel`).
 * `userTeamId` is the person's own workspace, which differs from `teamId` for someone of another organization
 * acting in a Slack Connect channel (docs.slack.dev/apis/slack-connect).
 */
export interface RequestOrigin {
  teamId: string | null;
  enterpriseId: string | null;
  userId: string | null;
  userTeamId: string | null;
  channelId: string | null;
  /** Slack says the conversation is shared with another organization (`is_ext_shared_channel: true`). */
  extShared: boolean;
}

const str = (...xs: unknown[]): string | null => {
  for (const x of xs) if (typeof x === 'string' && x) return x;
  return null;
};

/** The {@link RequestOrigin} of a request body (any shape; a missing field is null, never an error). */
export function requestOrigin(body: Record<string, any>): RequestOrigin {
  const auth = Array.isArray(body.authorizations) ? body.authorizations[0] : undefined;
  const event = body.event && typeof body.event === 'object' ? body.event : {};
  const user = body.user && typeof body.user === 'object' ? body.user : {};
  const channel = body.channel && typeof body.channel === 'object' ? body.channel : {};
  return {
    teamId: str(body.team_id, body.team?.id, user.team_id, body.view?.team_id, auth?.team_id),
    enterpriseId: str(body.enterprise_id, body.enterprise?.id, auth?.enterprise_id),
    userId: str(body.user_id, user.id, event.user, typeof body.user === 'string' ? body.user : null),
    userTeamId: str(user.team_id, event.user_team, body.user_team),
    channelId: str(body.channel_id, channel.id, body.container?.channel_id, event.channel),
    extShared: body.is_ext_shared_channel === true || event.is_ext_shared_channel === true || channel.is_ext_shared === true,
  };
}

/**
 * The org Preflight serves: the installation, and with `SLACK_ENTERPRISE_ID` every workspace of that Enterprise Grid
 * org (`teams` adds the `team:` workspaces preflight.yml names, which are also home).
 */
export interface HomeOrg {
  installation: Installation;
  /** SLACK_ENTERPRISE_ID (`E…`), or undefined for a single-workspace Preflight. */
  enterpriseId?: string;
  /** Workspaces the plan names with `team: T…` (program, workstreams). */
  teams?: ReadonlySet<string>;
}

/** What the plan says about Slack Connect: the outside workspaces it shares channels with, and the people it lists. */
export interface ConnectRoster {
  /** Workspaces (`T…`) of outside organizations named by `slack_connect:` (program or workstreams). */
  teams: ReadonlySet<string>;
  /** Every user ID the plan lists in any role (member, lead, PM, exec, group, gate sign-off). */
  people: ReadonlySet<string>;
}

/**
 * True when a request may be served as coming from home. Without `enterpriseId` (SLACK_ENTERPRISE_ID unset) it is
 * the rule of a single-workspace Preflight: the installed workspace, or (org-wide installs, where `team` can be
 * null) the installed org. With it: any workspace whose request carries that `enterprise_id` (every workspace of the
 * org; user IDs are org-wide on Grid), or a request that names only the installed workspace or a `team:` of the plan.
 * Requests naming neither team nor enterprise are let through (the signature already proved they come from Slack
 * for this app).
 */
export function isFromInstallation(origin: Pick<RequestOrigin, 'teamId' | 'enterpriseId'>, inst: Installation, home: Omit<HomeOrg, 'installation'> = {}): boolean {
  if (home.enterpriseId) {
    if (origin.enterpriseId) return origin.enterpriseId === home.enterpriseId;
    if (origin.teamId) return origin.teamId === inst.teamId || (home.teams?.has(origin.teamId) ?? false);
    return true;
  }
  if (origin.enterpriseId && inst.enterpriseId) return origin.enterpriseId === inst.enterpriseId;
  if (origin.teamId) return origin.teamId === inst.teamId;
  return !origin.enterpriseId;
}

/** The guard's decision on one request. */
export type GuardDecision =
  /** serve it */
  | { kind: 'serve'; via: 'home' | 'slack-connect' }
  /** another workspace or org: today's refusal */
  | { kind: 'other-workspace' }
  /** a person of another organization in a Slack Connect channel whom the plan does not list */
  | { kind: 'unlisted-outsider'; userId: string | null };

/**
 * The workspace guard's rule, pure.
 *
 * 1. A request from home ({@link isFromInstallation}) by a person of home is served.
 * 2. Slack Connect: a person of another organization is one whose request comes from a workspace outside home that
 *    preflight.yml names under `slack_connect:` (program or a workstream), or one acting in a conversation Slack marks
 *    `is_ext_shared_channel` whose own workspace (`user.team_id`, `user_team`) is outside home. Such a person is
 *    served (answers check-ins in their DM or the form, raises blockers, everything their roles allow) when their
 *    workspace is named under `slack_connect:` and preflight.yml lists their user ID in any role; otherwise refused
 *    with {@link OUTSIDER_REFUSAL}. Naming the outside workspace and listing the person are the PM's two explicit
 *    choices to let them in.
 * 3. Anything else from outside home (another org, a stray workspace) gets today's {@link OTHER_WORKSPACE_REFUSAL}.
 */
export function guardDecision(origin: RequestOrigin, home: HomeOrg, roster: ConnectRoster): GuardDecision {
  const homeTeam = (t: string | null) => t === null || t === home.installation.teamId || t === origin.teamId || (home.teams?.has(t) ?? false);
  const outsider = (team: string | null) =>
    team !== null && roster.teams.has(team) && roster.people.has(origin.userId ?? '')
      ? ({ kind: 'serve', via: 'slack-connect' } as const)
      : ({ kind: 'unlisted-outsider', userId: origin.userId } as const);
  if (isFromInstallation(origin, home.installation, home)) {
    if (origin.extShared && !homeTeam(origin.userTeamId)) return outsider(origin.userTeamId);
    return { kind: 'serve', via: 'home' };
  }
  if (origin.teamId !== null && roster.teams.has(origin.teamId) && origin.userId) return outsider(origin.teamId);
  return { kind: 'other-workspace' };
}

/** Today's refusal of a request from a workspace or org Preflight does not serve. */
export const OTHER_WORKSPACE_REFUSAL = 'This Preflight serves another Slack workspace, so it cannot act on this request.';

/** The refusal of a person of another organization (Slack Connect) whom preflight.yml does not list. */
export const OUTSIDER_REFUSAL =
  'You are in this channel through Slack Connect, from another organization, and this launch plan does not list you, so Preflight cannot take this from you. Ask the program manager to add your user ID to preflight.yml (as a member of your workstream) to answer check-ins and raise blockers here.';

/**
 * Global middleware: applies {@link guardDecision} to every request. Slash commands and interactions refused get
 * an ephemeral explanation in their ack; refused events are dropped. Nothing refused reaches a listener, so it
 * changes nothing in Postgres and makes no Web API call.
 * @param home resolves the installation (auth.test, done once at start) with SLACK_ENTERPRISE_ID and the plan's teams.
 * @param roster the running plan's Slack Connect workspaces and people (read per request, so a reload applies at once).
 */
export function registerWorkspaceGuard(app: App, home: () => Promise<HomeOrg>, roster: () => ConnectRoster, log: Logger): void {
  app.use(async (args) => {
    const h = await home();
    const origin = requestOrigin(args.body as Record<string, any>);
    const decision = guardDecision(origin, h, roster());
    if (decision.kind === 'serve') return args.next();
    const ack = (args as { ack?: (r?: unknown) => Promise<void> }).ack;
    if (decision.kind === 'other-workspace') {
      log.warn({ origin: { teamId: origin.teamId, enterpriseId: origin.enterpriseId }, installed: h.installation }, 'request from another workspace refused');
      if (ack) await ack({ response_type: 'ephemeral', text: OTHER_WORKSPACE_REFUSAL }).catch(() => {});
      return;
    }
    log.info(
      { origin: { teamId: origin.teamId, userTeamId: origin.userTeamId, channelId: origin.channelId }, userId: decision.userId },
      'Slack Connect request from a person the plan does not list refused',
    );
    if (ack) await ack({ response_type: 'ephemeral', text: OUTSIDER_REFUSAL }).catch(() => {});
  });
}
