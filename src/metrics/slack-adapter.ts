import type { SlackCallOutcome } from './metrics.js';

/** The Web API method of a request URL (`https://slack.com/api/chat.postMessage` → `chat.postMessage`); `other` for anything else. */
export function slackMethodOf(url: string | undefined): string {
  const last = (url ?? '').split('?')[0]!.split('/').pop() ?? '';
  return /^[a-z][A-Za-z]*(\.[A-Za-z]+)+$/.test(last) && last.length <= 64 ? last : 'other';
}

/** `ok` for HTTP 2xx with `"ok": true` in the body (a JSON string or object), `429` for HTTP 429, else `error` (Slack's `ok: false`, 5xx…). */
export function slackOutcomeOf(res: { status: number; data: unknown }): SlackCallOutcome {
  if (res.status === 429) return '429';
  if (res.status < 200 || res.status >= 300) return 'error';
  let data = res.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      return 'error';
    }
  }
  return (data as { ok?: unknown } | null)?.ok === true ? 'ok' : 'error';
}

/** The WHATWG `fetch` signature (what @slack/web-api 8's `fetch` client option takes). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A `fetch` for @slack/web-api's `fetch` client option (web-api 8; Bolt passes `clientOptions` to every client it
 * builds, so one option covers Bolt's clients and the workers' client): performs the request with `base` and
 * reports each HTTP attempt's method and outcome. The body is read from a clone, so the client gets the response
 * untouched; a network error, timeout or abort counts as `error` and is rethrown unchanged.
 */
export function observedSlackFetch(onCall: (method: string, outcome: SlackCallOutcome) => void, base: FetchLike = globalThis.fetch): FetchLike {
  return async (input, init) => {
    const method = slackMethodOf(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    let res: Response;
    try {
      res = await base(input, init);
    } catch (err) {
      onCall(method, 'error');
      throw err;
    }
    const data =
      res.status >= 200 && res.status < 300
        ? await res
            .clone()
            .text()
            .catch(() => '')
        : '';
    onCall(method, slackOutcomeOf({ status: res.status, data }));
    return res;
  };
}

/**
 * The Web API client options that report every call to `onCall`: spread them into the options of each WebClient
 * Preflight builds (Bolt's `clientOptions` and the workers' client). The one place that knows how a WebClient is
 * hooked (web-api 8: its `fetch` option).
 */
export function observedClientOptions(onCall: (method: string, outcome: SlackCallOutcome) => void): { fetch: FetchLike } {
  return { fetch: observedSlackFetch(onCall) };
}
