import { ErrorCode } from '@slack/web-api';
import type { RotationVariable } from '../services/slack-tokens/errors.js';

/**
 * Which variable a start-up call depended on: the bot token (auth.test), the app-level token (apps.connections.open),
 * or with token rotation the refresh token and app credentials (oauth.v2.access, services/slack-tokens).
 */
export type SlackTokenVariable = 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN' | RotationVariable;

/**
 * Slack refused a token at start-up, or could not be reached. `message` is one line for a first-run terminal:
 * the variable, Slack's error code and what to do (never the token itself).
 */
export class SlackStartError extends Error {
  constructor(
    readonly variable: SlackTokenVariable | 'SLACK_ENTERPRISE_ID',
    /** Slack's `error` string (e.g. `invalid_auth`), or the request error's code. */
    readonly slackError: string,
    message: string,
  ) {
    super(message);
    this.name = 'SlackStartError';
  }
}

const WHERE: Record<SlackTokenVariable, string> = {
  SLACK_BOT_TOKEN: 'copy the Bot User OAuth Token (xoxb-…) from your app\'s "OAuth & Permissions" page (reinstall the app if it was revoked) into SLACK_BOT_TOKEN',
  SLACK_APP_TOKEN:
    'generate an app-level token with the connections:write scope under "Basic Information" → "App-Level Tokens" and set it as SLACK_APP_TOKEN, or leave SLACK_APP_TOKEN empty to receive Slack\'s requests over HTTP',
  SLACK_REFRESH_TOKEN:
    'reinstall the app ("OAuth & Permissions" → "Reinstall to Workspace"), then set SLACK_BOT_TOKEN to the new bot token (xoxe.xoxb-…) and SLACK_REFRESH_TOKEN to its refresh token (xoxe-…)',
  SLACK_CLIENT_ID: 'copy the Client ID from "Basic Information" → "App Credentials" into SLACK_CLIENT_ID',
  SLACK_CLIENT_SECRET: 'copy the Client Secret from "Basic Information" → "App Credentials" into SLACK_CLIENT_SECRET',
};

/**
 * Turns an error of the start-up call made with `variable` into a {@link SlackStartError}, or returns undefined
 * when it is not about the token or the connection to Slack (the caller rethrows it).
 * Platform errors (`{ ok: false, error }`, e.g. `invalid_auth`, `not_authed`, `token_revoked`, `account_inactive`:
 * docs.slack.dev/reference/methods/auth.test and apps.connections.open) mean Slack refused the token;
 * request and HTTP errors mean Slack (or SLACK_API_URL) could not be reached.
 */
export function slackStartError(err: unknown, variable: SlackTokenVariable): SlackStartError | undefined {
  const e = err as { code?: string; data?: { error?: string }; original?: { code?: string; message?: string }; statusCode?: number };
  if (e?.code === ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    return new SlackStartError(variable, code, `Preflight cannot start: Slack rejected ${variable} (${code}): ${WHERE[variable]}.`);
  }
  if (e?.code === ErrorCode.RequestError || e?.code === ErrorCode.HTTPError) {
    const why = e.code === ErrorCode.HTTPError ? `HTTP ${e.statusCode}` : (e.original?.code ?? e.original?.message ?? 'no answer');
    return new SlackStartError(variable, why, `Preflight cannot start: could not reach Slack to check ${variable} (${why}): check the network, and SLACK_API_URL if you set it.`);
  }
  return undefined;
}

/**
 * The start-up error for a call that got no answer within `ms` (the Web API client keeps retrying unreachable
 * hosts for many minutes; a first run should not wait that long to hear that SLACK_API_URL or the network is wrong).
 */
export function slackNoAnswerError(variable: SlackTokenVariable, ms: number): SlackStartError {
  const why = `no answer within ${Math.round(ms / 1000)} s`;
  return new SlackStartError(variable, 'timeout', `Preflight cannot start: could not reach Slack to check ${variable} (${why}): check the network, and SLACK_API_URL if you set it.`);
}

/**
 * With SLACK_ENTERPRISE_ID set (issue 24), the start-up error when auth.test's `enterprise_id` (the org of
 * SLACK_BOT_TOKEN's installation; absent for a workspace outside Enterprise Grid) is another one, else undefined.
 * @param expected SLACK_ENTERPRISE_ID; @param actual auth.test's `enterprise_id` (null when absent).
 */
export function enterpriseMismatchError(expected: string, actual: string | null): SlackStartError | undefined {
  if (actual === expected) return undefined;
  const found = actual ? `is installed in the Enterprise Grid org ${actual}` : 'is installed in a workspace outside any Enterprise Grid org';
  return new SlackStartError(
    'SLACK_ENTERPRISE_ID',
    'enterprise_mismatch',
    `Preflight cannot start: SLACK_ENTERPRISE_ID is ${expected}, but SLACK_BOT_TOKEN ${found} (auth.test). Set SLACK_ENTERPRISE_ID to ${actual ?? 'nothing (leave it empty)'}, or use the bot token of the app installed org-wide in ${expected}.`,
  );
}
