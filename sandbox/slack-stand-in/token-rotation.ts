/**
 * Slack's token rotation, for the stand-in and the tests' nock fake (docs.slack.dev/authentication/using-token-rotation,
 * docs.slack.dev/reference/methods/oauth.v2.access): `oauth.v2.access` with grant_type=refresh_token exchanges a
 * refresh token (`xoxe-…`, single use: revoked once exchanged) for a new bot token (`xoxe.xoxb-…`, `expires_in`
 * 43 200 s) and a new refresh token; a bot token past its expiry gets `token_expired` on every Web API call.
 * Off until {@link TokenRotationFake.start}: without it every token is accepted, as before.
 */
export class TokenRotationFake {
  private on = false;
  private clientId = '';
  private clientSecret = '';
  private readonly refreshTokens = new Set<string>();
  /** Bot tokens issued here → their expiry, epoch ms. */
  private readonly expiries = new Map<string, number>();
  private readonly expired = new Set<string>();
  private issued = 0;
  /** Seconds a new bot token lives (Slack: 43 200, 12 hours). */
  expiresInS = 43_200;

  /** @param now the fake's clock, epoch ms (the test's clock). */
  constructor(private readonly now: () => number = Date.now) {}

  /** Turns rotation on: `refreshToken` is the one valid refresh token, for this app's client ID and secret. */
  start(opts: { clientId: string; clientSecret: string; refreshToken: string }): void {
    this.on = true;
    this.clientId = opts.clientId;
    this.clientSecret = opts.clientSecret;
    this.refreshTokens.add(opts.refreshToken);
  }

  /** Makes `token` answer `token_expired` from now on (as a token issued before this fake started would). */
  expire(token: string): void {
    this.expired.add(token);
  }

  /** How many bot tokens `oauth.v2.access` issued. */
  get refreshes(): number {
    return this.issued;
  }

  /** Whether a call to `method` is this fake's to answer (`oauth.v2.access` once rotation is on). */
  handles(method: string): boolean {
    return this.on && method === 'oauth.v2.access';
  }

  /**
   * Slack's answer to `oauth.v2.access` (grant_type=refresh_token), in its documented shape and errors. The app's
   * credentials come as `client_id` / `client_secret` arguments or by HTTP Basic authentication (`authorization`).
   */
  refresh(args: Record<string, unknown>, team: { id: string; botUserId: string }, authorization?: string): Record<string, unknown> {
    const basic = /^Basic (.+)$/.exec(authorization ?? '');
    const [id, secret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [args.client_id, args.client_secret];
    if (id !== this.clientId) return { ok: false, error: 'invalid_client_id' };
    if (secret !== this.clientSecret) return { ok: false, error: 'bad_client_secret' };
    if (args.grant_type !== 'refresh_token') return { ok: false, error: 'invalid_grant_type' };
    const refreshToken = String(args.refresh_token ?? '');
    if (!this.refreshTokens.delete(refreshToken)) return { ok: false, error: 'invalid_refresh_token' };
    const n = ++this.issued;
    const accessToken = `xoxe.xoxb-1-rotated${n}-${Math.random().toString(36).slice(2, 10)}`;
    const next = `xoxe-1-refresh${n}-${Math.random().toString(36).slice(2, 10)}`;
    this.refreshTokens.add(next);
    this.expiries.set(accessToken, this.now() + this.expiresInS * 1000);
    return {
      ok: true,
      app_id: 'A0PREFLIGHT',
      scope: 'chat:write,commands,im:write,users:read,users:read.email',
      token_type: 'bot',
      access_token: accessToken,
      bot_user_id: team.botUserId,
      refresh_token: next,
      expires_in: this.expiresInS,
      team: { id: team.id, name: 'Example' },
      enterprise: null,
      is_enterprise_install: false,
    };
  }

  /** `token_expired` when a Web API call carries a bot token past its expiry (rotation on), else null. */
  refusal(authorization: string | undefined): string | null {
    if (!this.on || !authorization) return null;
    const token = authorization.replace(/^Bearer /, '');
    if (this.expired.has(token)) return 'token_expired';
    const expiry = this.expiries.get(token);
    return expiry !== undefined && this.now() >= expiry ? 'token_expired' : null;
  }
}
