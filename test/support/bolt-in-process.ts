import { App, type Receiver } from '@slack/bolt';
import { NOCK_SLACK_URL } from './slack-nock.js';
import { TEAM_ID } from './slack-payloads.js';

/** A receiver that never listens: requests are handed to the app with `app.processEvent`. */
class NoReceiver implements Receiver {
  init(): void {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/**
 * A Bolt app in this process, for driving one listener as Slack would (no HTTP, no signature): its Web API
 * calls go to the nock fake (test/support/slack-nock.ts). `register` adds the listeners under test.
 * `command` and `action` hand Bolt the same body Slack posts and return what the listener acked.
 */
export function boltInProcess(register: (app: App) => void) {
  const app = new App({ token: 'xoxb-test', receiver: new NoReceiver(), tokenVerificationEnabled: false, clientOptions: { slackApiUrl: NOCK_SLACK_URL } });
  register(app);
  const dispatch = async (body: Record<string, unknown>): Promise<any> => {
    let acked: unknown;
    await app.processEvent({
      body,
      ack: async (response?: unknown) => {
        acked = response;
      },
    });
    return acked;
  };
  return {
    app,
    /** A slash command; resolves to the ack payload (the ephemeral answer). */
    command: (command: string, text: string, userId: string, channelId = 'C0WS1') =>
      dispatch({ command, text, user_id: userId, channel_id: channelId, team_id: TEAM_ID, trigger_id: `${Date.now()}.1.abc`, response_url: `${NOCK_SLACK_URL}response_url` }),
    /** An Events API delivery (a `function_executed` event from slack-nock's `startFunction`); resolves to what was acked. */
    event: (body: Record<string, unknown>) => dispatch(body),
    /** A button click in an ephemeral message; the listener answers through `response_url` (recorded by nock as method "response_url"). */
    click: (actionId: string, value: string, userId: string, channelId = 'C0WS1') =>
      dispatch({
        type: 'block_actions',
        team: { id: TEAM_ID },
        user: { id: userId, team_id: TEAM_ID },
        channel: { id: channelId },
        container: { type: 'message', message_ts: '1700000000.000001', channel_id: channelId, is_ephemeral: true },
        trigger_id: `${Date.now()}.2.def`,
        response_url: `${NOCK_SLACK_URL}response_url`,
        actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: `${Date.now() / 1000}` }],
      }),
  };
}
