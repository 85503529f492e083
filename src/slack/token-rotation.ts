import { type OauthV2AccessResponse, WebClient, type WebAPICallResult, type WebClientOptions } from '@slack/web-api';
import { isTokenExpired, type TokenRefresher, type TokenRotation } from '../services/slack-tokens/rotation.js';

/**
 * The Slack call behind token rotation: `oauth.v2.access` with grant_type=refresh_token, the app's Client ID and
 * Client Secret (docs.slack.dev/reference/methods/oauth.v2.access; `tooling.tokens.rotate` is for configuration
 * tokens, not bot tokens). Made with a client of its own (no bot token; `clientOptions` for SLACK_API_URL, the logger
 * and a timeout). @slack/oauth's InstallProvider does the same call but drops refusals silently and keeps no lock
 * across replicas, so Preflight makes it here and keeps the chain itself (services/slack-tokens/rotation.ts).
 * @returns the new access token, refresh token and `expires_in` (seconds).
 * @throws @slack/web-api's errors (a platform error such as `invalid_refresh_token`); an Error when Slack's answer
 *   lacks `access_token`, `refresh_token` or `expires_in` (token rotation off for the app).
 */
export function slackTokenRefresher(args: { clientId: string; clientSecret: string; clientOptions?: WebClientOptions }): TokenRefresher {
  // the app's credentials by HTTP Basic authentication, as oauth.v2.access's reference asks where possible: a header
  // the client's debug log redacts, where the body it logs would show client_secret
  const basic = Buffer.from(`${args.clientId}:${args.clientSecret}`).toString('base64');
  const client = new WebClient(undefined, { timeout: 10_000, retryConfig: { retries: 2 }, ...args.clientOptions, headers: { Authorization: `Basic ${basic}` } });
  return async (refreshToken) => {
    const r = (await client.apiCall('oauth.v2.access', { grant_type: 'refresh_token', refresh_token: refreshToken })) as OauthV2AccessResponse;
    if (!r.access_token || !r.refresh_token || typeof r.expires_in !== 'number') {
      throw new Error('oauth.v2.access answered without access_token, refresh_token or expires_in: is token rotation on for the app?');
    }
    return { accessToken: r.access_token, refreshToken: r.refresh_token, expiresInS: r.expires_in };
  };
}

/**
 * A Web API client whose every call carries the current rotated bot token (`tokens.current()`), so the listeners'
 * and the jobs' clients never hold an expired one; a call Slack answers `token_expired` is made once more with the
 * token `tokens.expired()` gives. A call that passes its own `token` is left alone. Options as WebClient's.
 */
export class RotatingWebClient extends WebClient {
  constructor(
    private readonly tokens: TokenRotation,
    options: WebClientOptions = {},
  ) {
    super(undefined, options);
  }

  /** WebClient's apiCall (every method goes through it) with `token` set to the current bot token. */
  override async apiCall(method: string, options: Record<string, unknown> = {}): Promise<WebAPICallResult> {
    if (options.token) return super.apiCall(method, options);
    const token = await this.tokens.current();
    try {
      return await super.apiCall(method, { ...options, token });
    } catch (err) {
      if (!isTokenExpired(err)) throw err;
      return super.apiCall(method, { ...options, token: await this.tokens.expired(token) });
    }
  }
}
