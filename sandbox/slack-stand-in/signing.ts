import { createHmac } from 'node:crypto';

/**
 * Signs a request body the way Slack does (docs.slack.dev/authentication/verifying-requests-from-slack):
 * `v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{body}`), timestamp in Unix seconds.
 */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Headers Slack sends with a request to the app's Request URL, signed for `body`. */
export function signedHeaders(secret: string, body: string, contentType: 'application/x-www-form-urlencoded' | 'application/json', timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(secret, timestamp, body) };
}
