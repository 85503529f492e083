/*
 * The requests Slack sends to an app's Request URL, in Slack's shapes (fields as in the documented examples
 * copied to test/fixtures/slack/payload-examples/, docs.slack.dev/reference/interaction-payloads and
 * docs.slack.dev/reference/events): slash commands (form-encoded), block_actions and view_submission
 * (form field `payload=<json>`), and Events API callbacks (JSON).
 */

type AnyObj = Record<string, any>;

export interface Workspace {
  teamId: string;
  appId: string;
  botUserId: string;
}

const actionTs = () => (Date.now() / 1000).toFixed(6);
let eventSeq = 0;

/** A slash command POST body (application/x-www-form-urlencoded). */
export function slashCommand(
  ws: Workspace,
  a: { command: string; text: string; user: string; userName: string; channel: string; channelName: string; triggerId: string; responseUrl: string },
): string {
  return new URLSearchParams({
    token: 'sandbox-verification-token',
    team_id: ws.teamId,
    team_domain: 'sandbox',
    channel_id: a.channel,
    channel_name: a.channelName,
    user_id: a.user,
    user_name: a.userName,
    command: a.command,
    text: a.text,
    api_app_id: ws.appId,
    is_enterprise_install: 'false',
    response_url: a.responseUrl,
    trigger_id: a.triggerId,
  }).toString();
}

/** The container an action happened in: a message (with its channel and ts) or a view (modal or Home tab). */
export type ActionSource =
  | { kind: 'message'; channel: string; channelName: string; message: AnyObj; isEphemeral: boolean; responseUrl: string }
  | { kind: 'view'; view: AnyObj; viewId: string; state?: AnyObj };

/** A block_actions payload body (`payload=<json>`, form-encoded) for one action by `user`. */
export function blockActions(ws: Workspace, a: { user: string; userName: string; triggerId: string; source: ActionSource; action: AnyObj }): string {
  const base: AnyObj = {
    type: 'block_actions',
    user: { id: a.user, username: a.userName, name: a.userName, team_id: ws.teamId },
    api_app_id: ws.appId,
    token: 'sandbox-verification-token',
    trigger_id: a.triggerId,
    team: { id: ws.teamId, domain: 'sandbox' },
    enterprise: null,
    is_enterprise_install: false,
    actions: [{ ...a.action, action_ts: actionTs() }],
  };
  const s = a.source;
  if (s.kind === 'message') {
    Object.assign(base, {
      container: { type: 'message', message_ts: s.message.ts, channel_id: s.channel, is_ephemeral: s.isEphemeral },
      channel: { id: s.channel, name: s.channelName },
      message: { type: 'message', user: ws.botUserId, ...s.message },
      state: { values: {} },
      response_url: s.responseUrl,
    });
  } else {
    Object.assign(base, {
      container: { type: 'view', view_id: s.viewId },
      view: viewPayload(ws, s.view, s.viewId, s.state ?? {}),
    });
  }
  return `payload=${encodeURIComponent(JSON.stringify(base))}`;
}

function viewPayload(ws: Workspace, view: AnyObj, viewId: string, values: AnyObj): AnyObj {
  return {
    id: viewId,
    team_id: ws.teamId,
    app_id: ws.appId,
    bot_id: 'BSANDBOX',
    hash: `${Math.floor(Date.now() / 1000)}.sandbox`,
    root_view_id: viewId,
    previous_view_id: null,
    private_metadata: '',
    callback_id: '',
    ...view,
    state: { values },
  };
}

/** A view_submission payload body (`payload=<json>`): `values` in Slack's `view.state.values` shape. */
export function viewSubmission(ws: Workspace, a: { user: string; userName: string; triggerId: string; view: AnyObj; viewId: string; values: AnyObj }): string {
  const p = {
    type: 'view_submission',
    team: { id: ws.teamId, domain: 'sandbox' },
    user: { id: a.user, username: a.userName, name: a.userName, team_id: ws.teamId },
    api_app_id: ws.appId,
    token: 'sandbox-verification-token',
    trigger_id: a.triggerId,
    view: viewPayload(ws, a.view, a.viewId, a.values),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return `payload=${encodeURIComponent(JSON.stringify(p))}`;
}

function eventCallback(ws: Workspace, event: AnyObj): string {
  return JSON.stringify({
    token: 'sandbox-verification-token',
    team_id: ws.teamId,
    api_app_id: ws.appId,
    event,
    type: 'event_callback',
    event_id: `Ev${Date.now()}${++eventSeq}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: ws.teamId, user_id: ws.botUserId, is_bot: true }],
  });
}

/** A `message.im` event: a person wrote in their DM with the app. */
export function dmMessageEvent(ws: Workspace, a: { user: string; channel: string; text: string; ts: string; thread_ts?: string }): string {
  return eventCallback(ws, { type: 'message', channel: a.channel, user: a.user, text: a.text, ts: a.ts, event_ts: a.ts, channel_type: 'im', ...(a.thread_ts ? { thread_ts: a.thread_ts } : {}) });
}

/** An `app_home_opened` event for the Home tab. */
export function appHomeOpenedEvent(ws: Workspace, a: { user: string; channel: string; viewId?: string }): string {
  return eventCallback(ws, { type: 'app_home_opened', user: a.user, channel: a.channel, tab: 'home', event_ts: actionTs(), ...(a.viewId ? { view: { id: a.viewId, type: 'home' } } : {}) });
}
