import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which of Slack's rate limits refused a call (HTTP 429) made while one piece of work ran, so that the work's caller
 * can tell one limit's 429 from another's when @slack/web-api's rate-limited error does not say (it carries only
 * `retryAfter`). The rate-limit gate's fetch (src/slack/rate-limit-gate.ts) notes each 429's limit in the current
 * async context; a job's runner (src/jobs/workers.ts) reads them after the job fails.
 *
 * Limits are named as the gate keys them: a method (`chat.update`), `chat.postMessage` for the workspace's limit on
 * posts, `chat.postMessage#<channel>` for one channel's (docs.slack.dev/apis/web-api/rate-limits).
 */
const current = new AsyncLocalStorage<Set<string>>();

/** The gate's key of chat.postMessage's workspace-wide limit, which every post (DM or channel) spends. */
export const WORKSPACE_POST_LIMIT = 'chat.postMessage';

/**
 * Runs `fn` and adds to `refused` the limit of every call inside it (awaited or not) that Slack answered 429.
 * @returns what `fn` returns; rethrows what it throws.
 */
export function recordingRefusedLimits<T>(refused: Set<string>, fn: () => Promise<T>): Promise<T> {
  return current.run(refused, fn);
}

/** Notes that `limit` answered 429 to a call made in the current async context; nothing outside {@link recordingRefusedLimits}. */
export function noteRefusedLimit(limit: string): void {
  current.getStore()?.add(limit);
}
