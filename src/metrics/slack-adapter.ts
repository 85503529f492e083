import axios, { type AxiosAdapter, type AxiosResponse } from 'axios';
import type { SlackCallOutcome } from './metrics.js';

/** The Web API method of a request URL (`https://slack.com/api/chat.postMessage` → `chat.postMessage`); `other` for anything else. */
export function slackMethodOf(url: string | undefined): string {
  const last = (url ?? '').split('?')[0]!.split('/').pop() ?? '';
  return /^[a-z][A-Za-z]*(\.[A-Za-z]+)+$/.test(last) && last.length <= 64 ? last : 'other';
}

/** `ok` for HTTP 2xx with `"ok": true` in the body, `429` for HTTP 429, else `error` (Slack's `ok: false`, 5xx…). */
export function slackOutcomeOf(res: Pick<AxiosResponse, 'status' | 'data'>): SlackCallOutcome {
  if (res.status === 429) return '429';
  if (res.status < 200 || res.status >= 300) return 'error';
  let data: unknown = res.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      return 'error';
    }
  } else if (Buffer.isBuffer(data)) {
    try {
      data = JSON.parse(data.toString('utf8'));
    } catch {
      return 'error';
    }
  }
  return (data as { ok?: unknown } | null)?.ok === true ? 'ok' : 'error';
}

/**
 * An axios adapter for @slack/web-api's `adapter` client option (WebClient ≥ 7.9; Bolt passes `clientOptions`
 * to every client it builds, so one option covers Bolt's clients and the workers' client): performs the request
 * with axios' own HTTP adapter and reports each HTTP attempt's method and outcome. A network error or timeout
 * counts as `error` and is rethrown unchanged.
 */
export function observedSlackAdapter(onCall: (method: string, outcome: SlackCallOutcome) => void): AxiosAdapter {
  const http = axios.getAdapter('http');
  return async (config) => {
    const method = slackMethodOf(config.url);
    try {
      const res = await http(config);
      onCall(method, slackOutcomeOf(res));
      return res;
    } catch (err) {
      onCall(method, 'error');
      throw err;
    }
  };
}

/** The WHATWG `fetch` signature (what @slack/web-api 8's `fetch` client option takes). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * The same observation as {@link observedSlackAdapter} as a `fetch` wrapper, for @slack/web-api 8, which
 * dropped axios for a `fetch` client option: reports each request's method and outcome (the body is read from a
 * clone, the caller gets the response untouched); a network error or abort counts as `error` and is rethrown.
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
 * hooked: with @slack/web-api 7 the `adapter` option (axios); with 8, return `{ fetch: observedSlackFetch(onCall) }`.
 */
export function observedClientOptions(onCall: (method: string, outcome: SlackCallOutcome) => void): { adapter: AxiosAdapter } {
  return { adapter: observedSlackAdapter(onCall) };
}
