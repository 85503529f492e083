import { readFileSync } from 'node:fs';

/**
 * Request bodies exactly as Slack sends them, built from the documented examples in
 * test/fixtures/slack/payload-examples (docs.slack.dev) with our ids and values swapped in.
 */
const dir = new URL('../fixtures/slack/payload-examples/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');

export const TEAM_ID = 'T0PREFLIGHT';

/** A slash command POST body (application/x-www-form-urlencoded). */
export function slashCommandBody(args: { command: string; text: string; userId: string; channelId?: string; teamId?: string }): string {
  const p = new URLSearchParams(read('slash_command.docs-example.urlencoded.txt').trim());
  p.set('command', args.command);
  p.set('text', args.text);
  p.set('user_id', args.userId);
  p.set('user_name', args.userId.toLowerCase());
  p.set('channel_id', args.channelId ?? 'C0WS1');
  p.set('team_id', args.teamId ?? TEAM_ID);
  p.delete('enterprise_id');
  p.delete('enterprise_name');
  p.set('trigger_id', `${Date.now()}.${Math.floor(Math.random() * 1e9)}.abc`);
  return p.toString();
}

/** A block_actions payload for a button click in a message (form field `payload=<json>`). */
export function blockActionBody(args: { userId: string; actionId: string; value: string; channelId: string; messageTs: string; teamId?: string; responseUrl?: string }): string {
  const p = JSON.parse(read('block_actions.message.docs-example.json'));
  p.team.id = args.teamId ?? TEAM_ID;
  p.user = { id: args.userId, username: args.userId.toLowerCase(), team_id: p.team.id };
  p.container = { type: 'message', message_ts: args.messageTs, channel_id: args.channelId, is_ephemeral: false };
  p.channel = { id: args.channelId, name: 'directmessage' };
  p.message = { type: 'message', text: 'prompt', user: 'UBOTPREFLIGHT', ts: args.messageTs };
  p.trigger_id = `${Date.now()}.${Math.floor(Math.random() * 1e9)}.def`;
  p.response_url = args.responseUrl ?? 'https://hooks.slack.com/actions/T0PREFLIGHT/1/abc';
  p.actions = [{ action_id: args.actionId, block_id: 'b', text: { type: 'plain_text', text: 'Open the form' }, value: args.value, type: 'button', action_ts: `${Date.now() / 1000}` }];
  return `payload=${encodeURIComponent(JSON.stringify(p))}`;
}

/** A view_submission payload (form field `payload=<json>`). */
export function viewSubmissionBody(args: { userId: string; callbackId: string; privateMetadata: string; values: Record<string, Record<string, unknown>>; teamId?: string }): string {
  const p = JSON.parse(read('view_submission.docs-example.json'));
  p.team.id = args.teamId ?? TEAM_ID;
  p.user = { id: args.userId, username: args.userId.toLowerCase(), team_id: p.team.id };
  p.view.callback_id = args.callbackId;
  p.view.private_metadata = args.privateMetadata;
  p.view.state = { values: args.values };
  p.response_urls = [];
  return `payload=${encodeURIComponent(JSON.stringify(p))}`;
}

/** An Events API `message.im` delivery (application/json). */
export function dmEventBody(args: { eventId: string; userId: string; channel: string; text: string; teamId?: string }): string {
  const ts = `${(Date.now() / 1000).toFixed(6)}`;
  return JSON.stringify({
    token: 'verification-token-unused',
    team_id: args.teamId ?? TEAM_ID,
    api_app_id: 'A0PREFLIGHT',
    event: { type: 'message', channel: args.channel, user: args.userId, text: args.text, ts, event_ts: ts, channel_type: 'im' },
    type: 'event_callback',
    event_id: args.eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: args.teamId ?? TEAM_ID, user_id: 'UBOTPREFLIGHT', is_bot: true }],
  });
}

/**
 * Enterprise Grid (issue 24): a slash command as an org-wide install receives it, with `enterprise_id`,
 * `is_enterprise_install` and the workspace it was typed in (`team_id`); `extShared` adds `is_ext_shared_channel`.
 */
export function gridSlashCommandBody(args: { command: string; text: string; userId: string; channelId: string; teamId: string; enterpriseId?: string; extShared?: boolean }): string {
  const p = new URLSearchParams(slashCommandBody(args));
  if (args.enterpriseId) {
    p.set('enterprise_id', args.enterpriseId);
    p.set('enterprise_name', args.enterpriseId.toLowerCase());
    p.set('is_enterprise_install', 'true');
  }
  if (args.extShared) p.set('is_ext_shared_channel', 'true');
  return p.toString();
}

/** Enterprise Grid: a block_actions payload with `enterprise`, `is_enterprise_install` and `user.team_id` of the person's workspace. */
export function gridBlockActionBody(args: Parameters<typeof blockActionBody>[0] & { teamId: string; enterpriseId?: string; userTeamId?: string }): string {
  const p = JSON.parse(decodeURIComponent(blockActionBody(args).replace(/^payload=/, '')));
  p.enterprise = args.enterpriseId ? { id: args.enterpriseId, name: args.enterpriseId.toLowerCase() } : null;
  p.is_enterprise_install = Boolean(args.enterpriseId);
  p.user.team_id = args.userTeamId ?? args.teamId;
  return `payload=${encodeURIComponent(JSON.stringify(p))}`;
}

/** Enterprise Grid: a view_submission with `enterprise` and `is_enterprise_install`. */
export function gridViewSubmissionBody(args: Parameters<typeof viewSubmissionBody>[0] & { teamId: string; enterpriseId?: string }): string {
  const p = JSON.parse(decodeURIComponent(viewSubmissionBody(args).replace(/^payload=/, '')));
  p.enterprise = args.enterpriseId ? { id: args.enterpriseId, name: args.enterpriseId.toLowerCase() } : null;
  p.is_enterprise_install = Boolean(args.enterpriseId);
  return `payload=${encodeURIComponent(JSON.stringify(p))}`;
}

/**
 * Enterprise Grid: a `message.im` delivery to an org-wide install: `enterprise_id`, the per-event `team_id` and
 * `authorizations` with `is_enterprise_install: true` (docs.slack.dev/enterprise/organization-ready-apps).
 */
export function gridDmEventBody(args: { eventId: string; userId: string; channel: string; text: string; teamId: string; enterpriseId?: string }): string {
  const body = JSON.parse(dmEventBody(args));
  if (args.enterpriseId) {
    body.enterprise_id = args.enterpriseId;
    body.is_ext_shared_channel = false;
    body.event.user_team = args.teamId;
    body.authorizations = [{ enterprise_id: args.enterpriseId, team_id: args.teamId, user_id: 'UBOTPREFLIGHT', is_bot: true, is_enterprise_install: true }];
  }
  return JSON.stringify(body);
}
