import nock from 'nock';

export const NOCK_SLACK_URL = 'https://slack.test/api/';

export interface NockedCall {
  method: string;
  args: Record<string, any>;
}

/**
 * Fakes the Slack Web API at the HTTP boundary with nock: every POST to https://slack.test/api/<method>
 * is recorded and answered like Slack (DM channels D…, increasing `ts`). `failNext` scripts errors.
 */
export function nockSlack() {
  const calls: NockedCall[] = [];
  const scripted: { method: string; status: number; body: unknown; headers?: Record<string, string> }[] = [];
  let seq = 0;
  const scope = nock('https://slack.test')
    .persist()
    .post(/\/api\/.+/)
    .reply(function (uri, body) {
      const method = uri.replace(/^\/api\//, '');
      const args: Record<string, any> = typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : { ...(body as object) };
      for (const k of ['blocks', 'view']) if (typeof args[k] === 'string') args[k] = JSON.parse(args[k]);
      const i = scripted.findIndex((s) => s.method === method);
      if (i >= 0) {
        const [s] = scripted.splice(i, 1);
        return [s!.status, s!.body, s!.headers ?? {}];
      }
      calls.push({ method, args });
      const ts = `1700000000.${String(++seq).padStart(6, '0')}`;
      switch (method) {
        case 'chat.postMessage': {
          const ch = String(args.channel);
          return [200, { ok: true, channel: /^[UW]/.test(ch) ? `D${ch.slice(1)}` : ch, ts }];
        }
        case 'chat.update':
          return [200, { ok: true, channel: args.channel, ts: args.ts }];
        case 'views.open':
          return [200, { ok: true, view: { id: `V${seq}` } }];
        default:
          return [200, { ok: true }];
      }
    });
  return {
    calls,
    /** Successful calls of `method` matching `where`. */
    of: (method: string, where: (a: Record<string, any>) => boolean = () => true) => calls.filter((c) => c.method === method && where(c.args)),
    /** The next call to `method` is answered with this status/body instead (e.g. 429 with Retry-After). */
    failNext(method: string, status: number, body: unknown, headers?: Record<string, string>) {
      scripted.push({ method, status, body, headers });
    },
    done() {
      scope.persist(false);
      nock.cleanAll();
    },
  };
}

/** Polls `predicate` every 25 ms; throws with `what` after `timeoutMs`. */
export async function eventually(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
