import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { z } from 'zod';
import { openApiDocument, pageSchema } from '../../../src/api/openapi.js';
import { apiRoutes } from '../../../src/api/routes.js';
import { loadEnv } from '../../../src/config/env.js';
import { actOnBlocker } from '../../../src/services/blockers/act.js';
import { raiseBlocker } from '../../../src/services/blockers/raise.js';
import { recordDecision } from '../../../src/services/gonogo/decisions.js';
import { signOffGate } from '../../../src/services/gonogo/gates.js';
import { answerSchema, blockerSchema, checkinSchema, decisionSchema, gateSchema, taskSchema } from '../../../src/services/records/schemas.js';
import { submitForm } from '../../../src/services/checkins/record-answers.js';
import { tick } from '../../../src/services/checkins/sweep.js';
import { sweepTasks } from '../../../src/services/tasks/escalate.js';
import { updateTask } from '../../../src/services/tasks/update.js';
import { createSlackApp, socketModeRoutes, type SlackApp } from '../../../src/slack/app.js';
import { harness, type Process } from '../../support/harness.js';
import { responseValidator } from '../../support/openapi.js';
import { NOCK_SLACK_URL, nockSlack } from '../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../support/config-factories.js';

// Program zone New York: 2026-11-02 is a Monday (the day after the fall-back), the standup is at 10:00 local = 15:00 UTC.
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'America/New_York', execs: ['U0EXEC'] },
  workstreams: [
    aWorkstream({
      name: 'Broker',
      members: ['U01', 'U02', 'U03'],
      standup: { at: '10:00' },
      tasks: [
        {
          id: 'O-2',
          title: 'Broker credentials',
          owner: 'U01',
          due: '2026-11-20T17:00',
          estimate: 2,
          priority: 'P0',
          url: 'https://acme.atlassian.net/browse/O-2',
          source: { tracker: 'jira', label: 'Jira LAUNCH' },
          owner_unmatched: 'ana@acme.com',
        },
        { id: 'O-3', title: 'Email the partners', owner: 'U02', due: '2026-11-21T09:30', requires: ['O-2'] },
        { id: 'O-10', title: 'Runbook', owner: 'U03' },
        { id: 'O-4', title: 'Load test report', owner: 'U03', due: '2026-11-03T09:00' },
      ],
    }),
  ],
  gates: [{ id: 'qa', name: 'QA sign-off', due: '2026-11-04T12:00', sign_off: ['U0QA'] }],
});
const TOKEN = 'test-api-token-0123456789abcdef';
const answers = (blockers = 'none') => ({ yesterday: 'wired the broker', today: 'load test', blockers, progress: 60, risk: 'green' });

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('read-only API under /api/v1 (mounted on the Bolt HTTP receiver)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  let redis: Redis;
  let slackApp: SlackApp;
  let offApp: SlackApp;
  let base: string;
  let offBase: string;
  const slack = nockSlack();

  const get = async (path: string, token: string | null = TOKEN, url = base) => {
    const res = await fetch(`${url}${path}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  /** GETs a page and checks it against the page schema of its kind (the same zod schema the OpenAPI document comes from). */
  let served: Record<string, unknown>;
  const page = async <S extends z.ZodType>(record: S, path: string) => {
    const res = await get(path);
    expect(res.status, res.text).toBe(200);
    const body = JSON.parse(res.text) as unknown;
    // valid for the document served at /api/v1/openapi.json as well
    expect(responseValidator(served, new URL(path, base).pathname)(body)).toBeNull();
    return pageSchema(record).parse(body);
  };

  beforeAll(async () => {
    h = await harness(YAML, '2026-11-02T15:00:00Z');
    bot = await h.process({ workers: false });
    // Monday's standup: two answers, one with a blocker
    await tick(bot.deps);
    await submitForm(bot.deps, 'U01', 1, answers('No VPN to the broker sandbox'));
    await submitForm(bot.deps, 'U02', 1, answers());
    h.clock.set('2026-11-02T16:00:00Z');
    await actOnBlocker(bot.deps, 1, 'U0LEAD', { kind: 'acknowledge' });
    // 22:30 in New York on Monday, already Tuesday in UTC
    h.clock.set('2026-11-03T03:30:00Z');
    await recordDecision(bot.deps, 'U0PM', 'conditional', 'pending QA');
    // Tuesday's standup: one answer, a blocker raised by command, the gate signed off
    h.clock.set('2026-11-03T15:00:00Z');
    await tick(bot.deps);
    await submitForm(bot.deps, 'U03', 2, answers());
    await raiseBlocker(bot.deps, { reporter: 'U02', text: 'Staging DB is down', workstreamId: 'ws1', source: 'command', severity: 'P0' } as never);
    await signOffGate(bot.deps, 'qa', 'U0QA', 'passed', 'all green');
    // tasks: O-2 done by its owner, O-10 at 40 %, O-3 never touched
    expect((await updateTask(bot.deps, 'O-2', 'U01', { kind: 'done' })).ok).toBe(true);
    h.clock.set('2026-11-03T15:05:00Z');
    expect((await updateTask(bot.deps, 'O-10', 'U03', { kind: 'progress', percent: 40 })).ok).toBe(true);
    // O-4 was due at 09:00 in New York (14:00 UTC): the sweep raises its escalation (a blocker of source `task`);
    // then `/task block O-10 …` raises a blocker about O-10 (source `command`)
    expect((await sweepTasks(bot.deps)).raised).toBe(1);
    expect((await updateTask(bot.deps, 'O-10', 'U03', { kind: 'block', reason: 'waiting for the partner list' })).ok).toBe(true);

    const redisUrl = inject('redisUrl');
    redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    const log = pino({ level: 'silent' });
    const start = async (token: string | undefined) => {
      const port = await freePort();
      const env = loadEnv({
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: NOCK_SLACK_URL,
        DATABASE_URL: 'postgres://unused',
        REDIS_URL: redisUrl,
        PORT: String(port),
        QUEUE_PREFIX: h.prefix,
        PREFLIGHT_API_TOKEN: token,
      });
      const app = createSlackApp({
        env,
        log,
        redis,
        health: async () => ({ ok: true, postgres: 'ok', redis: 'ok' }),
        routes: apiRoutes({ deps: () => bot.deps, token: env.PREFLIGHT_API_TOKEN, log }),
      });
      // Bolt checks the token (auth.test, answered by the nock fake) before it serves anything
      await app.init();
      await app.start();
      return { app, url: `http://127.0.0.1:${port}` };
    };
    ({ app: slackApp, url: base } = await start(TOKEN));
    ({ app: offApp, url: offBase } = await start(undefined));
    served = JSON.parse((await get('/api/v1/openapi.json', null)).text);
  });
  afterAll(async () => {
    await slackApp?.stop();
    await offApp?.stop();
    redis?.disconnect();
    await h.cleanup();
    slack.done();
  });

  it('without PREFLIGHT_API_TOKEN the API is off: 404 everywhere, /healthz still served', async () => {
    for (const path of ['/api/v1/checkins', '/api/v1/answers', '/api/v1/tasks', '/api/v1/openapi.json']) {
      expect((await get(path, TOKEN, offBase)).status).toBe(404);
    }
    expect((await get('/healthz', null, offBase)).status).toBe(200);
  });

  it('serves the OpenAPI document, without a token since it holds no data', async () => {
    const res = await get('/api/v1/openapi.json', null);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.text)).toEqual(openApiDocument());
    expect(served.openapi).toBe('3.1.0');
  });

  it('a missing, wrong or non-bearer token gets 401 and nothing of the data', async () => {
    const tries = [
      await get('/api/v1/answers', null),
      await get('/api/v1/answers', 'wrong-token-0123456789abcdef'),
      await get('/api/v1/answers', `${TOKEN}x`),
      await get('/api/v1/answers', TOKEN.slice(0, -1)),
      await fetch(`${base}/api/v1/answers`, { headers: { authorization: `Basic ${TOKEN}` } }).then(async (r) => ({ status: r.status, headers: r.headers, text: await r.text() })),
    ];
    for (const res of tries) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="preflight"');
      expect(JSON.parse(res.text)).toEqual({ error: 'unauthorized', message: 'send Authorization: Bearer <PREFLIGHT_API_TOKEN>' });
      expect(res.text).not.toContain('U01');
    }
  });

  it('check-ins: one per run with participation, in id order', async () => {
    const { data, next_cursor } = await page(checkinSchema, '/api/v1/checkins');
    expect(next_cursor).toBeNull();
    expect(data.map((c) => [c.id, c.checkin_id, c.workstream_id, c.local_date, c.open_at, c.prompted, c.answered])).toEqual([
      [1, 'standup', 'ws1', '2026-11-02', '2026-11-02T15:00:00.000Z', 0, 2],
      [2, 'standup', 'ws1', '2026-11-03', '2026-11-03T15:00:00.000Z', 0, 1],
    ]);
    expect(data[0]!.workstream_name).toBe('Broker');
  });

  it('answers: cursor pages of `limit` walk every answer once, oldest first; the last page has no cursor', async () => {
    const seen: z.infer<typeof answerSchema>[] = [];
    let path = '/api/v1/answers?limit=2';
    const cursors: (string | null)[] = [];
    for (;;) {
      const p = await page(answerSchema, path);
      expect(p.data.length).toBeLessThanOrEqual(2);
      seen.push(...p.data);
      cursors.push(p.next_cursor);
      if (!p.next_cursor) break;
      path = `/api/v1/answers?limit=2&cursor=${encodeURIComponent(p.next_cursor)}`;
    }
    expect(cursors.length).toBe(2);
    expect(seen.map((a) => [a.user_id, a.local_date, a.complete])).toEqual([
      ['U01', '2026-11-02', true],
      ['U02', '2026-11-02', true],
      ['U03', '2026-11-03', true],
    ]);
    expect(seen[0]!.answers).toEqual(answers('No VPN to the broker sandbox'));
  });

  it('from/to are days in the program zone: 22:30 Monday in New York is Monday, although Tuesday in UTC', async () => {
    const monday = '?from=2026-11-02&to=2026-11-02';
    expect((await page(checkinSchema, `/api/v1/checkins${monday}`)).data.map((c) => c.local_date)).toEqual(['2026-11-02']);
    expect((await page(answerSchema, `/api/v1/answers${monday}`)).data.map((a) => a.user_id)).toEqual(['U01', 'U02']);
    const decisions = await page(decisionSchema, `/api/v1/decisions${monday}`);
    expect(decisions.data).toEqual([
      { id: expect.any(Number), decision: 'conditional', verdict: expect.any(String), percent: expect.any(Number), note: 'pending QA', actor: 'U0PM', at: '2026-11-03T03:30:00.000Z' },
    ]);
    expect((await page(decisionSchema, '/api/v1/decisions?from=2026-11-03')).data).toEqual([]);
    expect((await page(blockerSchema, '/api/v1/blockers?from=2026-11-03')).data.map((b) => b.short_id)).toEqual(['B-2', 'B-3', 'B-4']);
    expect((await page(blockerSchema, '/api/v1/blockers?to=2026-11-02')).data.map((b) => b.text)).toEqual(['No VPN to the broker sandbox']);
  });

  it('blockers come with their timeline (raised, acknowledged) and when they were first acknowledged', async () => {
    const { data } = await page(blockerSchema, '/api/v1/blockers');
    expect(data.map((b) => [b.short_id, b.severity, b.status, b.source])).toEqual([
      ['B-1', 'P1', 'acknowledged', 'standup'],
      ['B-2', 'P0', 'open', 'command'],
      ['B-3', 'P1', 'open', 'task'],
      ['B-4', 'P1', 'open', 'command'],
    ]);
    const [vpn] = data;
    expect(vpn!.text).toBe('No VPN to the broker sandbox');
    expect(vpn!.raised_at).toBe('2026-11-02T15:00:00.000Z');
    expect(vpn!.first_acknowledged_at).toBe('2026-11-02T16:00:00.000Z');
    expect(vpn!.acknowledged_by).toEqual(['U0LEAD']);
    expect(vpn!.timeline.map((e) => [e.kind, e.actor, e.at])).toEqual([
      ['raised', 'U01', '2026-11-02T15:00:00.000Z'],
      ['acknowledged', 'U0LEAD', '2026-11-02T16:00:00.000Z'],
    ]);
  });

  it('blockers name the task they are about: the overdue task’s escalation (source task) and `/task block` (source command)', async () => {
    const { data } = await page(blockerSchema, '/api/v1/blockers');
    expect(data.map((b) => [b.short_id, b.source, b.task_id, b.gate_id])).toEqual([
      ['B-1', 'standup', null, null],
      ['B-2', 'command', null, null],
      ['B-3', 'task', 'O-4', null],
      ['B-4', 'command', 'O-10', null],
    ]);
    expect(data[2]!.text).toBe('Task O-4 “Load test report” is not done (0%).');
    expect(data[3]!.text).toBe('O-10 “Runbook”: waiting for the partner list');
    // the OpenAPI document says so: task_id is a (nullable) field of every blocker, and source may be task
    const blocker = (served.components as { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; required: string[] }> }).schemas.Blocker!;
    expect(blocker.required).toContain('task_id');
    expect(blocker.properties.task_id).toMatchObject({ type: ['string', 'null'] });
    expect(blocker.properties.source!.enum).toEqual(['command', 'modal', 'standup', 'gate', 'task', 'workflow']);
  });

  it('gates: the recorded state with its configured name', async () => {
    const { data } = await page(gateSchema, '/api/v1/gates');
    expect(data).toEqual([
      { gate_id: 'qa', name: 'QA sign-off', status: 'passed', signed_by: 'U0QA', signed_at: '2026-11-03T15:00:00.000Z', note: 'all green', updated_at: '2026-11-03T15:00:00.000Z' },
    ]);
  });

  it('tasks: every declared task with its state, by task id; one never updated is open at 0 %', async () => {
    const seen: z.infer<typeof taskSchema>[] = [];
    let path = '/api/v1/tasks?limit=2';
    for (;;) {
      const p = await page(taskSchema, path);
      seen.push(...p.data);
      if (!p.next_cursor) break;
      path = `/api/v1/tasks?limit=2&cursor=${encodeURIComponent(p.next_cursor)}`;
    }
    // byte order of the ids: O-10 before O-2
    expect(seen.map((t) => [t.id, t.status, t.progress])).toEqual([
      ['O-10', 'open', 40],
      ['O-2', 'done', 100],
      ['O-3', 'open', 0],
      ['O-4', 'open', 0],
    ]);
    const [runbook, creds, email] = seen;
    // due 17:00 in New York on 20 November (EST, UTC−5)
    expect(creds).toEqual({
      id: 'O-2',
      workstream_id: 'ws1',
      title: 'Broker credentials',
      owner: 'U01',
      due: '2026-11-20T22:00:00.000Z',
      due_local: '2026-11-20T17:00',
      estimate_h: 2,
      priority: 'P0',
      requires: [],
      status: 'done',
      progress: 100,
      done_at: '2026-11-03T15:00:00.000Z',
      done_by: 'U01',
      updated_at: '2026-11-03T15:00:00.000Z',
      updated_by: 'U01',
      // issue 21: a tracker task's link, source and unmatched assignee
      url: 'https://acme.atlassian.net/browse/O-2',
      source: 'Jira LAUNCH',
      owner_unmatched: 'ana@acme.com',
    });
    expect(email).toEqual({
      id: 'O-3',
      workstream_id: 'ws1',
      title: 'Email the partners',
      owner: 'U02',
      due: '2026-11-21T14:30:00.000Z',
      due_local: '2026-11-21T09:30',
      estimate_h: 1,
      priority: 'P1',
      requires: ['O-2'],
      status: 'open',
      progress: 0,
      done_at: null,
      done_by: null,
      updated_at: null,
      updated_by: null,
      url: null,
      source: null,
      owner_unmatched: null,
    });
    expect([runbook!.due, runbook!.due_local, runbook!.updated_at, runbook!.updated_by]).toEqual([null, null, '2026-11-03T15:05:00.000Z', 'U03']);
    // from/to apply to the due (days in the program zone); a task without a due is then left out
    expect((await page(taskSchema, '/api/v1/tasks?from=2026-11-20&to=2026-11-20')).data.map((t) => t.id)).toEqual(['O-2']);
    expect((await page(taskSchema, '/api/v1/tasks?from=2026-11-21')).data.map((t) => t.id)).toEqual(['O-3']);
    expect((await page(taskSchema, '/api/v1/tasks?to=2026-11-19')).data.map((t) => t.id)).toEqual(['O-4']);
  });

  it('tasks need the token too: 401 and no task in the answer', async () => {
    for (const res of [await get('/api/v1/tasks', null), await get('/api/v1/tasks', 'wrong-token-0123456789abcdef')]) {
      expect(res.status).toBe(401);
      expect(res.text).not.toContain('O-2');
      expect(res.text).not.toContain('Broker credentials');
    }
  });

  it('a bad query gets 400 with what to send instead', async () => {
    const bad = async (path: string) => {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      const body = JSON.parse(res.text) as { error: string; message: string };
      expect(body.error).toBe('bad_request');
      return body.message;
    };
    expect(await bad('/api/v1/answers?limit=201')).toBe('limit must be at most 200');
    expect(await bad('/api/v1/answers?limit=0')).toBe('limit must be a whole number from 1 to 200');
    expect(await bad('/api/v1/answers?limit=ten')).toBe('limit must be a whole number from 1 to 200');
    expect(await bad('/api/v1/answers?from=2026-11-31')).toBe('from must be a date written YYYY-MM-DD, such as 2026-11-01 (got "2026-11-31")');
    expect(await bad('/api/v1/answers?from=2026-11-03&to=2026-11-02')).toBe('to (2026-11-02) is before from (2026-11-03)');
    expect(await bad('/api/v1/answers?since=2026-11-01')).toBe('unknown query parameter since: use from, to, limit and cursor');
    const { next_cursor } = await page(checkinSchema, '/api/v1/checkins?limit=1');
    expect(await bad(`/api/v1/answers?cursor=${encodeURIComponent(next_cursor!)}`)).toMatch(/^cursor is not one this API returned for answers/);
    expect(await bad('/api/v1/answers?cursor=garbage')).toMatch(/^cursor is not one/);
  });

  it('the same routes answer on the Socket Mode server; other methods and paths are 404', async () => {
    const server: Server = createServer(socketModeRoutes(() => {}, undefined, apiRoutes({ deps: () => bot.deps, token: TOKEN, log: pino({ level: 'silent' }) })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await get('/api/v1/gates?limit=5', TOKEN, url)).status).toBe(200);
      expect((await get('/api/v1/gates', null, url)).status).toBe(401);
      expect((await get('/api/v1/tasks?limit=1', TOKEN, url)).status).toBe(200);
      expect((await get('/api/v1/nope', TOKEN, url)).status).toBe(404);
      expect((await fetch(`${url}/api/v1/gates`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
