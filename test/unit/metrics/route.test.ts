import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/metrics/metrics.js';
import { metricsRoute } from '../../../src/metrics/route.js';
import { socketModeRoutes } from '../../../src/slack/app.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Serves Socket Mode's side routes (healthz + metrics) on a free port; returns its base URL. */
async function serve(token: string | undefined): Promise<string> {
  const metrics = new Metrics();
  metrics.ackObserved('action', 'blocker_ack', 0.02);
  const health = (res: import('node:http').ServerResponse) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  server = createServer(socketModeRoutes(health, metricsRoute(metrics, token)));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('GET /metrics (the Socket Mode server; HTTP mode mounts the same handler as a Bolt custom route)', () => {
  it('without METRICS_TOKEN: open, Prometheus text format', async () => {
    const base = await serve(undefined);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await res.text()).toContain('preflight_slack_ack_duration_seconds_count{kind="action",name="blocker_ack"} 1');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('with METRICS_TOKEN: 401 without the bearer token or with a wrong one, 200 with it', async () => {
    const base = await serve('s3cret-metrics-token-123');
    const none = await fetch(`${base}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="preflight metrics"');
    expect(await none.text()).not.toContain('preflight_slack');
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer s3cret-metrics-token-12' } })).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 's3cret-metrics-token-123' } })).status).toBe(401);
    const ok = await fetch(`${base}/metrics?x=1`, { headers: { authorization: 'Bearer s3cret-metrics-token-123' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('preflight_slack_ack_duration_seconds');
    // healthz stays open for the orchestrator's probes
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
