import type { TrackerChange, TrackerIssue, TrackerKind } from '../../domain/trackers/tracker-issue.js';

/*
 * The contract between the sync (services/trackers/sync.ts) and each tracker's adapter (services/trackers/jira/,
 * linear/, github/), which wraps the tracker's maintained client (jira.js, @linear/sdk, @octokit/*). The sync owns
 * scheduling, the cross-replica lock, storing and the plan; an adapter only talks to its tracker.
 */

/** The tracker refused the credentials (401/403 on auth). `envVar` names the variable to fix. */
export class TrackerAuthError extends Error {
  constructor(
    readonly kind: TrackerKind,
    readonly envVar: string,
    detail: string,
  ) {
    super(`${kind} refused the token in ${envVar}: ${detail}`);
    this.name = 'TrackerAuthError';
  }
}

/** The tracker is rate limiting (429, or GitHub's 403 with x-ratelimit-remaining: 0) after the client's own retries; retry after `retryAfterMs`. */
export class TrackerRateLimitError extends Error {
  constructor(
    readonly kind: TrackerKind,
    readonly retryAfterMs: number,
  ) {
    super(`${kind} is rate limiting; retry in ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = 'TrackerRateLimitError';
  }
}

/** The tracker is down, answered 5xx, or timed out. The sync keeps the last known state and retries at the next poll. */
export class TrackerUnavailableError extends Error {
  constructor(
    readonly kind: TrackerKind,
    detail: string,
  ) {
    super(`${kind} is unavailable: ${detail}`);
    this.name = 'TrackerUnavailableError';
  }
}

/** One page of a listing; `next` is the cursor of the following page (absent on the last). */
export interface IssuePage {
  issues: TrackerIssue[];
  next?: string;
}

/** Headers of a webhook request, lower-cased names. */
export type WebhookHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * A tracker's adapter for one configured source. Every method throws {@link TrackerAuthError},
 * {@link TrackerRateLimitError} or {@link TrackerUnavailableError} for those faults (never the client's own error
 * types), anything else for a bug.
 */
export interface TrackerAdapter {
  readonly kind: TrackerKind;
  /** A label for logs and messages: `LAUNCH (acme.atlassian.net)`, `ENG`, `acme/launch`. */
  readonly label: string;
  /** Checks the credentials with one cheap call (Jira `myself`, Linear `viewer`, GitHub `GET /repos/{repo}` or the app installation). */
  checkAuth(): Promise<void>;
  /** One page of the source's issues, every state (open and done), at the tracker's own page size (Jira 100, Linear 50… GitHub 100). */
  listIssues(cursor?: string): Promise<IssuePage>;
  /** One issue by key; null when it was deleted or left the source's filter. */
  getIssue(key: string): Promise<TrackerIssue | null>;
  /**
   * Whether a webhook request carries a valid signature for `secret` (GitHub `x-hub-signature-256` HMAC-SHA256 via
   * @octokit/webhooks; Linear `linear-signature` HMAC-SHA256 of the raw body plus `webhookTimestamp` within 60 s;
   * Jira `x-hub-signature` `sha256=…` of the raw body (Jira Cloud admin webhooks with a secret)). Constant-time.
   */
  verifyWebhook(headers: WebhookHeaders, rawBody: Buffer, secret: string): Promise<boolean>;
  /** What a verified delivery says; never throws on a payload it does not know (`ignored`). */
  parseWebhook(headers: WebhookHeaders, body: unknown): TrackerChange[];
  /** Write-back: moves the issue to the tracker's done state (Jira: the first transition into statusCategory done; Linear: the team's first `completed` state; GitHub: close as completed). */
  moveToDone(key: string): Promise<void>;
  /** Write-back: adds one comment (plain text; the adapter converts to ADF for Jira Cloud). */
  addComment(key: string, text: string): Promise<void>;
}
