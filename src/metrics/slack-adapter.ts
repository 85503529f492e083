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
 * reports each HTTP attempt's method and outcome. A 2xx JSON body is read once and the client gets a new `Response` with
 * the same status, headers, URL and body text (other bodies are read from a clone); a network error, timeout or abort (also while reading the body) counts as
 * `error` and is rethrown unchanged.
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
    if (res.status < 200 || res.status >= 300 || res.body === null) {
      onCall(method, slackOutcomeOf({ status: res.status, data: '' }));
      return res;
    }
    if (!res.headers.get('content-type')?.includes('json')) {
      // not a Web API answer (an upload's "OK", a gzip file): read a copy, leave the original to the client
      onCall(
        method,
        slackOutcomeOf({
          status: res.status,
          data: await res
            .clone()
            .text()
            .catch(() => ''),
        }),
      );
      return res;
    }
    // read once and hand the client an identical response over the same text: `res.clone()` tees the body into
    // two web streams, which cost more CPU per call than the call's own JSON parsing (bench/RESULTS-blockers.md)
    let data: string;
    try {
      data = await res.text();
    } catch (err) {
      onCall(method, 'error');
      throw err;
    }
    onCall(method, slackOutcomeOf({ status: res.status, data }));
    const copy = new Response(data, { status: res.status, statusText: res.statusText, headers: res.headers });
    Object.defineProperty(copy, 'url', { value: res.url });
    return copy;
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
