import type { WebClient } from '@slack/web-api';
import type { ProgramDeclaration } from '../../domain/program/declaration.js';
import { platformError } from '../slack-errors.js';

/** One channel preflight.yml names: its key path (`workstreams.web.blockers_channel`), its ID and the workspace `team:` gives it. */
export interface ChannelRef {
  key: string;
  channel: string;
  /** The `team:` of its workstream (else the program's), or undefined when the plan gives none. */
  team?: string;
}

/** Every channel of a plan with its key path, in config order: `program.channel`, then each workstream's `channel` and `blockers_channel`. */
export function channelRefsOf(plan: ProgramDeclaration): ChannelRef[] {
  const programTeam = plan.program.team;
  const refs: ChannelRef[] = [{ key: 'program.channel', channel: plan.program.channel, ...(programTeam ? { team: programTeam } : {}) }];
  for (const [id, ws] of Object.entries(plan.workstreams)) {
    const team = ws.team ?? programTeam;
    refs.push({ key: `workstreams.${id}.channel`, channel: ws.channel, ...(team ? { team } : {}) });
    if (ws.blockers_channel) refs.push({ key: `workstreams.${id}.blockers_channel`, channel: ws.blockers_channel, ...(team ? { team } : {}) });
  }
  return refs;
}

/** What start-up does after the channel check: go on, or stop with one line per channel it cannot reach. */
export type ChannelCheck = { kind: 'ok' } | { kind: 'stop'; message: string };

/**
 * Why a channel cannot be used, from Slack's conversations.info error (docs.slack.dev/reference/methods/
 * conversations.info: `channel_not_found` for a channel the token cannot see, including a private one the bot is
 * not in; `team_access_not_granted` when the org-wide app is not granted the channel's workspace).
 */
function why(ref: ChannelRef, error: string): string {
  const where = ref.team ? ` (team: ${ref.team})` : '';
  switch (error) {
    case 'channel_not_found':
      return `${ref.key}: Preflight cannot see channel ${ref.channel}${where}: check the ID, add Preflight to that channel's workspace (an org admin: Manage apps → Preflight → Add to more workspaces), and invite @Preflight if the channel is private`;
    case 'team_access_not_granted':
      return `${ref.key}: channel ${ref.channel}${where} is in a workspace Preflight is not granted (team_access_not_granted): an org admin must add Preflight to that workspace`;
    default:
      return `${ref.key}: Slack refused to show channel ${ref.channel}${where} (conversations.info: ${error})`;
  }
}

/**
 * Start-up's check (Enterprise Grid, issue 24) that the bot can reach every channel of the plan in its workspace:
 * conversations.info on each (scope channels:read / groups:read), one at a time (Tier 3). When a channel's `team:`
 * is given and Slack answers the workspaces the channel belongs to (`context_team_id`, `shared_team_ids`), it must
 * be among them. Each channel is asked once however many keys name it. `program.team` is required when the plan
 * opens a war room or updates on-call user groups (methods that need a `team_id` of an org-wide app).
 * @param config the config file's name, for the message.
 * @returns `stop` with one line per unreachable channel naming its key path; `ok` otherwise.
 * @throws errors that are not Slack's answer about a channel (Slack unreachable): start-up reports them as they are.
 */
export async function checkChannels(slack: Pick<WebClient, 'conversations'>, plan: ProgramDeclaration, config: string): Promise<ChannelCheck> {
  const problems: string[] = [];
  const oncallGroups = Object.values(plan.program.oncall ?? {}).some((r) => (r as { usergroup?: string }).usergroup);
  if (!plan.program.team && (plan.program.war_room || oncallGroups)) {
    const what = [plan.program.war_room ? 'opens the war room' : null, oncallGroups ? 'updates on-call user groups' : null].filter(Boolean).join(' and ');
    problems.push(`program.team: give the workspace (T…) where Preflight ${what}: an org-wide app must pass Slack a team_id for conversations.create and usergroups.*`);
  }
  const seen = new Map<string, { error?: string; teams?: string[] }>();
  for (const ref of channelRefsOf(plan)) {
    let answer = seen.get(ref.channel);
    if (!answer) {
      try {
        const res = (await slack.conversations.info({ channel: ref.channel })) as { channel?: { context_team_id?: string; shared_team_ids?: string[] } };
        const teams = [...new Set([...(res.channel?.context_team_id ? [res.channel.context_team_id] : []), ...(res.channel?.shared_team_ids ?? [])])];
        answer = teams.length ? { teams } : {};
      } catch (err) {
        const error = platformError(err);
        if (!error) throw err;
        answer = { error };
      }
      seen.set(ref.channel, answer);
    }
    if (answer.error) problems.push(why(ref, answer.error));
    else if (ref.team && answer.teams && !answer.teams.includes(ref.team))
      problems.push(`${ref.key}: channel ${ref.channel} is not in workspace ${ref.team} (Slack places it in ${answer.teams.join(', ')}): fix the channel ID or the team: of that key`);
  }
  if (!problems.length) return { kind: 'ok' };
  return { kind: 'stop', message: `Preflight cannot start: ${config} names ${problems.length === 1 ? 'a channel' : 'channels'} the bot cannot reach:\n${problems.map((p) => `  - ${p}`).join('\n')}` };
}
