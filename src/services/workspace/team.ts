import type { ProgramDeclaration } from '../../domain/program/declaration.js';

/**
 * The `team_id` argument for the Web API methods that an org-wide app (Enterprise Grid, issue 24) must tell which
 * workspace to act on: conversations.create, conversations.list, usergroups.list / .users.update (Slack's list
 * "API methods that accept team_id", docs.slack.dev/enterprise/organization-ready-apps, which @slack/web-api types
 * as `OptionalTeamAssignable`; a workspace token ignores it). users.lookupByEmail, conversations.info / .history /
 * .join / .open and chat.* take none: user and channel IDs are org-wide on Grid.
 * @returns `{ team_id: program.team }`, or `{}` when preflight.yml gives no `program.team` (a single workspace).
 */
export function programTeamArg(config: Pick<ProgramDeclaration, 'program'>): { team_id?: string } {
  return config.program.team ? { team_id: config.program.team } : {};
}
