import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/clock.js';
import { parseWorkspaceConfig } from '../../../src/config/load.js';
import { resolveProgram } from '../../../src/config/resolve.js';
import type { Deps } from '../../../src/services/deps.js';
import { createTrackerSync } from '../../../src/services/trackers/sync.js';
import { socketModeRoutes } from '../../../src/slack/app.js';
import { trackerWebhookRoutes } from '../../../src/slack/webhooks.js';
import { aConfig, aWorkstream } from '../../support/config-factories.js';
import { FakeTracker } from '../../support/tracker-fake.js';

// The webhook routes on the bot's HTTP port (issue 21): the signature is checked before anything is read or stored.
const YAML = aConfig({
  workstreams: [aWorkstream({ id: 'omega', tasks_from: [{ jira: { site: 'https://acme.atlassian.net', jql: 'project = LAUNCH', webhook_secret_env: 'JIRA_WEBHOOK_SECRET' } }] })],
});

describe('POST /webhooks/<tracker>', () => {
  const tracker = new FakeTracker();
  let server: Server;
  let base: string;
  let applied = 0;
  beforeAll(async () => {
    const config = resolveProgram(parseWorkspaceConfig(YAML, 'test.yml'));
    const log = pino({ level: 'silent' });
    const sync = createTrackerSync({
      deps: () => ({ config, log, clock: systemClock }) as unknown as Deps,
      adapterFor: () => tracker,
      reload: async () => {},
      lock: {
        run: async () => {
          applied++;
          return 'busy' as const;
        },
      },
    });
    const routes = trackerWebhookRoutes({ sync: () => sync, env: { JIRA_WEBHOOK_SECRET: 'whsec-1' }, log });
    server = createServer(socketModeRoutes(() => {}, undefined, routes));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (path: string, body: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('answers 401 to a bad or missing signature and applies nothing', async () => {
    const body = JSON.stringify({ changes: [{ kind: 'delete', key: 'LAUNCH-1' }] });
    expect((await post('/webhooks/jira', body, { 'x-fake-signature': FakeTracker.sign(body, 'another-secret') })).status).toBe(401);
    expect((await post('/webhooks/jira', body)).status).toBe(401);
    expect(applied).toBe(0);
  });

  it('answers 202 to a signed delivery and hands it to the sync', async () => {
    const body = JSON.stringify({ changes: [{ kind: 'delete', key: 'LAUNCH-1' }] });
    const res = await post('/webhooks/jira', body, { 'x-fake-signature': FakeTracker.sign(body, 'whsec-1') });
    expect(res.status).toBe(202);
    await expect.poll(() => applied).toBe(1);
  });

  it('answers 404 for a tracker no source takes webhooks from, and GET is not a webhook', async () => {
    expect((await post('/webhooks/github', '{}')).status).toBe(404);
    expect((await fetch(`${base}/webhooks/jira`)).status).toBe(404);
  });
});
