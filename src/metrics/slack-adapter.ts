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
