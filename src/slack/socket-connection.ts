/** Whether the Socket Mode WebSocket to Slack is connected right now. */
export interface SocketConnection {
  connected(): boolean;
}

/**
 * Follows a Socket Mode client's state events (@slack/socket-mode's SocketModeClient: `connected` once Slack
 * sent its `hello`; `connecting`, `reconnecting`, `disconnecting` and `disconnected` otherwise).
 * @param client the receiver's SocketModeClient (any emitter of those event names).
 */
export function trackSocketConnection(client: { on(event: string, listener: () => void): unknown }): SocketConnection {
  let connected = false;
  client.on('connected', () => {
    connected = true;
  });
  for (const state of ['connecting', 'reconnecting', 'disconnecting', 'disconnected']) {
    client.on(state, () => {
      connected = false;
    });
  }
  return { connected: () => connected };
}
