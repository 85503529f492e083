import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { SandboxBridge } from '../../../sandbox/bridge.js';
import { startPageServer } from '../../../sandbox/page-server.js';
import { SlackApiFake } from '../../../sandbox/slack-stand-in/web-api.js';
import { TrackerStandIn } from '../../../sandbox/tracker-stand-in/server.js';
import type { SandboxDirectory } from '../../../sandbox/workspace/people.js';
import { sandboxConfig } from '../../../sandbox/workspace/sandbox-config.js';
import { SANDBOX_TRACKER_SOURCES, trackerPeople } from '../../../sandbox/workspace/trackers.js';

/*
 * The sandbox's Tracker view through the page server's HTTP API (what sandbox/web/app.js calls): the issues, a
 * visitor's edit, the webhook it sends to Preflight and Preflight's answer; and the sandbox config's tasks_from.
 */

const NOW = Date.parse('2026-12-05T12:00:00Z');
const dir: SandboxDirectory = {
  programName: 'Launch',
  people: [
    { id: 'U1LEAD', name: 'Web lead', zone: 'UTC' },
    { id: 'U2DEV', name: 'Web dev 1', zone: 'UTC' },
    { id: 'U0EMAIL01', name: 'Web dev 2', zone: 'UTC' },
  ],
  channels: [],
  usersByEmail: { 'bob@example.com': 'U0EMAIL01' },
};

let bot: Server;
let botAnswer = 404;
const botReceived: { path: string; event: string | undefined }[] = [];
let tracker: TrackerStandIn;
let page: { server: Server; url: string };

beforeAll(async () => {
  // stands for Preflight: answers what the test says (404 today, as long as the sync is not merged)
  bot = createServer((req, res) => {
    req.resume().on('end', () => {
      botReceived.push({ path: req.url ?? '', event: (req.headers['x-github-event'] ?? req.headers['linear-event']) as string | undefined });
      res.writeHead(botAnswer).end();
    });
  });
  await new Promise<void>((r) => bot.listen(0, '127.0.0.1', r));
  const botUrl = `http://127.0.0.1:${(bot.address() as AddressInfo).port}`;
  tracker = await new TrackerStandIn({
    sources: SANDBOX_TRACKER_SOURCES,
    people: trackerPeople(dir),
    now: () => NOW,
    webhooks: { jira: { url: `${botUrl}/webhooks/jira`, secret: 's1' }, github: { url: `${botUrl}/webhooks/github`, secret: 's2' } },
  }).start();
  const bridge = { commands: ['/task'] } as unknown as SandboxBridge;
  page = await startPageServer({ standIn: new SlackApiFake(), bridge, dir, port: 0, host: '127.0.0.1', tracker: { standIn: tracker, workstreams: { jira: 'web', linear: 'api', github: 'web' } } });
});

afterAll(async () => {
  page?.server.closeAllConnections();
  page?.server.close();
  await tracker?.stop();
  bot?.closeAllConnections();
  bot?.close();
});

const get = async (path: string) => (await fetch(`${page.url.replace('localhost', '127.0.0.1')}${path}`)).json();
const post = async (path: string, body: unknown) => {
  const res = await fetch(`${page.url.replace('localhost', '127.0.0.1')}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};

describe('the sandbox Tracker view', () => {
  it('lists each tracker source with its issues, the workstream it feeds, and the sandbox people as assignees', async () => {
    const view = await get('/api/tracker');
    expect(view.sources.map((s: { tracker: string; key: string; workstream: string }) => `${s.tracker} ${s.key} → ${s.workstream}`)).toEqual([
      'Jira LAUNCH → web',
      'Linear ENG → api',
      'GitHub acme/web → web',
    ]);
    expect(view.sources[2].issues[0]).toMatchObject({ ref: 'acme/web#1', taskId: 'web-1' });
    expect(view.people).toEqual([
      { name: 'Web lead', email: 'u1lead@sandbox.example' },
      { name: 'Web dev 1', email: 'u2dev@sandbox.example' },
      { name: 'Web dev 2', email: 'bob@example.com' },
    ]);
    // Slack's users.lookupByEmail finds them, so a tracker task's owner is a sandbox person
    expect(dir.usersByEmail['u2dev@sandbox.example']).toBe('U2DEV');
    expect((await get('/api/workspace')).tracker).toBe(true);
  });

  it('moves an issue To Do → In Progress → Done, reassigns it and changes its due date, sending one webhook per change, and shows Preflight answers', async () => {
    const todo = tracker.store.firstOf('github')!.issues.find((i) => i.status === 'To Do')!;
    const ref = `acme/web#${todo.number}`;
    botReceived.length = 0;
    for (const status of ['In Progress', 'Done']) expect(await post('/api/tracker/issue', { ref, status })).toEqual({ status: 200, body: { issue: expect.objectContaining({ ref, status }) } });
    expect((await post('/api/tracker/issue', { ref, assigneeEmail: 'bob@example.com' })).body.issue.assignee).toEqual({ name: 'Web dev 2', email: 'bob@example.com' });
    expect((await post('/api/tracker/issue', { ref, due: '2026-12-24' })).body.issue.due).toBe('2026-12-24');
    expect((await post('/api/tracker/issue', { ref, assigneeEmail: '', due: '' })).body.issue).toMatchObject({ assignee: null, due: null });
    await tracker.settled();
    expect(botReceived).toEqual(Array.from({ length: 5 }, () => ({ path: '/webhooks/github', event: 'issues' })));
    const view = await get('/api/tracker');
    expect(view.webhooks[0]).toEqual({ kind: 'github', key: ref, status: 404 });
    botAnswer = 200;
    await post('/api/tracker/issue', { ref: 'LAUNCH-1', status: tracker.store.find('LAUNCH-1').issue.status === 'Done' ? 'To Do' : 'Done' });
    await tracker.settled();
    expect((await get('/api/tracker')).webhooks[0]).toEqual({ kind: 'jira', key: 'LAUNCH-1', status: 200 });
  });

  it('refuses a bad edit with a message naming the issue and the reason, and changes nothing', async () => {
    const before = JSON.stringify(tracker.store.sources);
    expect(await post('/api/tracker/issue', { ref: 'ENG-2', status: 'Shipped' })).toEqual({ status: 400, body: { error: 'ENG-2: status must be one of To Do, In Progress, Done (got "Shipped")' } });
    expect(await post('/api/tracker/issue', { ref: 'ENG-2', due: 'next friday' })).toEqual({ status: 400, body: { error: 'ENG-2: due must be a date YYYY-MM-DD (got "next friday")' } });
    expect(await post('/api/tracker/issue', { ref: 'ENG-2', assigneeEmail: 'ghost@example.com' })).toEqual({
      status: 400,
      body: { error: 'ENG-2: no person with the email ghost@example.com in the tracker stand-in' },
    });
    expect(await post('/api/tracker/issue', { ref: 'ENG-99', status: 'Done' })).toEqual({ status: 400, body: { error: 'no issue ENG-99 in the tracker stand-in' } });
    expect(await post('/api/tracker/issue', { ref: 'ENG-2' })).toEqual({ status: 400, body: { error: 'ENG-2: nothing to change (status, assigneeEmail or due)' } });
    expect(JSON.stringify(tracker.store.sources)).toBe(before);
  });
});

describe('the sandbox config with trackers', () => {
  it('adds a valid tasks_from source per tracker, naming variables and never secrets', () => {
    // sandboxConfig validates the YAML it returns (parseWorkspaceConfig): a bad source would throw a ConfigError
    const { yaml } = sandboxConfig('examples/minimal.preflight.yml', 1, NOW, { trackers: true });
    const tasksFrom = (text: string) => Object.values((parse(text) as { workstreams: Record<string, { tasks_from?: object[] }> }).workstreams).flatMap((ws) => ws.tasks_from ?? []);
    const sources = tasksFrom(yaml);
    expect(sources.map((s) => Object.keys(s)[0])).toEqual(['jira', 'linear', 'github']);
    expect(sources[0]).toMatchObject({ jira: { jql: 'project = LAUNCH', token_env: 'JIRA_TOKEN', webhook_secret_env: 'JIRA_WEBHOOK_SECRET', write_back: true } });
    expect(yaml).toContain('tasks from the tracker stand-in');
    const without = sandboxConfig('examples/minimal.preflight.yml', 1, NOW);
    expect(tasksFrom(without.yaml)).toEqual([]);
  });
});
