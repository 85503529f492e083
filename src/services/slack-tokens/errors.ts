import { platformError } from '../slack-errors.js';

/** The environment variable an error of token rotation is about. */
export type RotationVariable = 'SLACK_REFRESH_TOKEN' | 'SLACK_CLIENT_ID' | 'SLACK_CLIENT_SECRET';

/**
 * Slack refused to refresh the bot token (or could not be reached). `message` is one line naming the variable to fix
 * and how (never a token); `slackError` is Slack's `error` code (`invalid_refresh_token`, `bad_client_secret`, …) or
 * the request error's code.
 */
export class TokenRotationError extends Error {
  constructor(
    readonly variable: RotationVariable,
    readonly slackError: string,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRotationError';
  }
}

const REINSTALL =
  'reinstall the app ("OAuth & Permissions" → "Reinstall to Workspace"), then set SLACK_BOT_TOKEN to the new bot token (xoxe.xoxb-…) and SLACK_REFRESH_TOKEN to its refresh token (xoxe-…)';

/**
 * Turns an error of `oauth.v2.access` (grant_type=refresh_token) into a {@link TokenRotationError}.
 * Codes from docs.slack.dev/reference/methods/oauth.v2.access#errors: `invalid_client_id` → SLACK_CLIENT_ID,
 * `bad_client_secret` → SLACK_CLIENT_SECRET, anything else (`invalid_refresh_token`, `invalid_grant_type`,
 * `token_rotation_not_enabled`, no answer) → SLACK_REFRESH_TOKEN.
 * @param stored whether the refresh token came from Postgres (the chain started from SLACK_REFRESH_TOKEN) rather than
 *   from the environment.
 */
export function rotationError(err: unknown, stored: boolean): TokenRotationError {
  const code = platformError(err);
  if (code === 'invalid_client_id')
    return new TokenRotationError('SLACK_CLIENT_ID', code, `Slack refused SLACK_CLIENT_ID (invalid_client_id): copy the Client ID from "Basic Information" → "App Credentials".`);
  if (code === 'bad_client_secret')
    return new TokenRotationError('SLACK_CLIENT_SECRET', code, `Slack refused SLACK_CLIENT_SECRET (bad_client_secret): copy the Client Secret from "Basic Information" → "App Credentials".`);
  const which = stored ? 'the refresh token kept in Postgres (the chain started from SLACK_REFRESH_TOKEN)' : 'SLACK_REFRESH_TOKEN';
  if (code === 'token_rotation_not_enabled')
    return new TokenRotationError(
      'SLACK_REFRESH_TOKEN',
      code,
      `Slack refused to refresh ${which} (token_rotation_not_enabled): turn token rotation on ("OAuth & Permissions"), or unset SLACK_REFRESH_TOKEN, SLACK_CLIENT_ID and SLACK_CLIENT_SECRET and use the xoxb- token.`,
    );
  if (code !== null) return new TokenRotationError('SLACK_REFRESH_TOKEN', code, `Slack refused ${which} (${code}): it was revoked or already exchanged; ${REINSTALL}.`);
  const e = err as { code?: string; original?: { code?: string; message?: string }; statusCode?: number; message?: string };
  const why = e?.statusCode ? `HTTP ${e.statusCode}` : (e?.original?.code ?? e?.code ?? e?.message ?? 'no answer');
  return new TokenRotationError('SLACK_REFRESH_TOKEN', why, `Could not refresh the Slack bot token with ${which} (${why}): check the network, and SLACK_API_URL if you set it.`);
}
