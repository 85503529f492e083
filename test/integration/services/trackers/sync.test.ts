import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, inject, vi } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { redisSourceLock } from '../../../../src/jobs/tracker-lock.js';
import { PlanHolder } from '../../../../src/services/plan/holder.js';
import { createReloader, startupPlan } from '../../../../src/services/plan/reload.js';
import { findTask } from '../../../../src/services/tasks/catalog.js';
import { sweepTasks } from '../../../../src/services/tasks/escalate.js';
import { updateTask } from '../../../../src/services/tasks/update.js';
import { TrackerAuthError, TrackerRateLimitError, TrackerUnavailableError } from '../../../../src/services/trackers/adapter.js';
import { trackerSyncStatus } from '../../../../src/services/trackers/status.js';
import { createTrackerSync, type TrackerSync } from '../../../../src/services/trackers/sync.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { anIssue, FakeTracker } from '../../../support/tracker-fake.js';

/*
 * The tracker sync (issue 21) on a real Postgres and Redis, with an in-memory tracker (test/support/tracker-fake.ts)
 * and Slack faked at the HTTP boundary: the plan follows the tracker, task states follow its done / status, faults
 * keep the last state.
 */

const START = '2026-12-05T15:00:00Z';
const now = DateTime.fromISO(START, { zone: 'utc' });
const at = (minutes: number) => now.plus({ minutes }).toISO()!;
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'UTC', pm: 'U0PM' },
  workstreams: [
    aWorkstream({
      id: 'omega',
      leads: ['U0LEAD'],
      members: ['U01'],
      tasks: [{ id: 'O-1', title: 'MongoDB', owner: 'U01' }],
      tasks_from: [{ jira: { site: 'https://acme.atlassian.net', jql: 'project = LAUNCH', token_env: 'JIRA_TOKEN', webhook_secret_env: 'JIRA_WEBHOOK_SECRET', status_progress: { 'In Review': 80 } } }],
    }),
  ],
});
const ENV = { JIRA_TOKEN: 't', JIRA_WEBHOOK_SECRET: 'whsec-1' };

describe('the tracker sync', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  let holder: PlanHolder;
  let tracker: FakeTracker;
  let redis: Redis;
  let sync: TrackerSync;
  const slack = nockSlack();
  const makeSync = () =>
    createTrackerSync({
      deps: () => bot.deps,
      adapterFor: () => tracker,
      reload: () => reloader.reload('tracker'),
      lock: redisSourceLock(redis, h.prefix, 20),
    });
  let reloader: ReturnType<typeof createReloader>;
  const taskIds = () => Object.values(holder.program.workstreams).flatMap((w) => w.tasks.map((t) => t.id));
  const state = async (id: string) => (await h.sql<{ status: string; progress: number }>('SELECT status, progress FROM task_states WHERE task_id = $1', [id]))[0];
  const events = (id: string) => h.sql<{ kind: string; via: string }>('SELECT kind, via FROM task_events WHERE task_id = $1 ORDER BY id', [id]);
  const webhook = (changes: unknown, secret = 'whsec-1') => {
    const raw = Buffer.from(JSON.stringify({ changes }));
    return sync.receiveWebhook('jira', { 'x-fake-signature': FakeTracker.sign(raw, secret) }, raw, ENV);
  };

  beforeAll(async () => {
    h = await harness(YAML, START);
    slack.usersByEmail.set('ana@acme.com', 'U0ANA');
    const path = join(mkdtempSync(join(tmpdir(), 'preflight-trackers-')), 'preflight.yml');
    writeFileSync(path, YAML);
    const first = await h.process({ workers: false });
    holder = new PlanHolder(await startupPlan({ db: first.deps.db, clock: first.deps.clock, path }, resolveProgram(parseWorkspaceConfig(YAML, path))));
    bot = await h.process({ workers: false, plan: holder });
    reloader = createReloader({ deps: bot.deps, lookup: bot.deps.slack, holder, path });
    redis = new Redis(inject('redisUrl'));
    tracker = new FakeTracker();
    sync = makeSync();
  });
  afterAll(async () => {
    await redis?.quit();
    await h.cleanup();
  });

  it('first sync: every page is stored, the plan gains the tasks in one reload, owners matched by email or the lead', async () => {
    const yesterday = now.minus({ days: 1 }).toISODate()!;
    tracker.set(anIssue('LAUNCH-1', at(-60), { assigneeEmail: 'ana@acme.com', title: 'Email <!channel>' }));
    tracker.set(anIssue('LAUNCH-2', at(-60), { assigneeEmail: 'bo@acme.com', blockedBy: ['LAUNCH-1'] }));
    tracker.set(anIssue('LAUNCH-3', at(-60), { due: { date: yesterday }, estimate: { points: 2 } }));
    const before = holder.current.serial;
    expect(await sync.syncSource('omega/0')).toEqual({ kind: 'synced', changes: 3, planChanged: true });
    expect(tracker.calls.filter((c) => c.startsWith('listIssues'))).toEqual(['listIssues:', 'listIssues:2']);
    expect(holder.current.serial).toBeGreaterThan(before);
    expect(taskIds()).toEqual(['O-1', 'LAUNCH-1', 'LAUNCH-2', 'LAUNCH-3']);
    expect(findTask(holder.program, 'LAUNCH-1')?.task).toMatchObject({ owner: 'U0ANA', title: 'Email <!channel>', source: { tracker: 'jira', label: 'Jira LAUNCH' } });
    expect(findTask(holder.program, 'LAUNCH-2')?.task).toMatchObject({ owner: 'U0LEAD', owner_unmatched: 'bo@acme.com', requires: ['LAUNCH-1'] });
    expect(findTask(holder.program, 'LAUNCH-3')?.task).toMatchObject({ owner: 'U0LEAD', due: `${yesterday}T17:00`, estimate: 8 });
    const status = await trackerSyncStatus(bot.deps.db);
    expect(status).toEqual([{ sourceId: 'omega/0', label: 'Jira LAUNCH', lastSyncedAt: now.toMillis(), lastError: null, lastErrorAt: null }]);
    // the same listing again changes nothing and reloads nothing
    const serial = holder.current.serial;
    expect(await sync.syncSource('omega/0')).toEqual({ kind: 'synced', changes: 0, planChanged: false });
    expect(holder.current.serial).toBe(serial);
  });

  it('a webhook with a bad or missing signature gets 401 and changes nothing; without a secret configured, 404', async () => {
    const change = [{ kind: 'upsert', issue: anIssue('LAUNCH-1', at(1), { title: 'Hacked', assigneeEmail: 'ana@acme.com' }) }];
    expect((await webhook(change, 'wrong')).status).toBe(401);
    expect((await sync.receiveWebhook('jira', {}, Buffer.from('{}'), ENV)).status).toBe(401);
    expect((await sync.receiveWebhook('jira', {}, Buffer.from('{}'), { JIRA_TOKEN: 't' })).status).toBe(404);
    expect((await sync.receiveWebhook('linear', {}, Buffer.from('{}'), ENV)).status).toBe(404);
    await sync.idle();
    expect(findTask(holder.program, 'LAUNCH-1')?.task.title).toBe('Email <!channel>');
  });

  it('a webhook that marks an issue done: the task is done, via the tracker, and the task that waited on it gets its start notice', async () => {
    const done = tracker.set(anIssue('LAUNCH-1', at(2), { assigneeEmail: 'ana@acme.com', title: 'Email <!channel>', status: 'Done', done: true }));
    expect(await webhook([{ kind: 'upsert', issue: done }])).toEqual({ status: 202, body: 'accepted' });
    await sync.idle();
    expect(await state('LAUNCH-1')).toEqual({ status: 'done', progress: 100 });
    expect(await events('LAUNCH-1')).toEqual([{ kind: 'done', via: 'tracker' }]);
    const notices = await h.sql<{ channel: string; text: string }>("SELECT channel, text FROM outbound_messages WHERE kind = 'task_start'");
    expect(notices.map((n) => n.channel)).toEqual(['U0LEAD']);
    expect(notices[0]!.text).toContain('LAUNCH-2');
    // an older delivery of the same issue (out of order) never overwrites the newer state
    expect((await webhook([{ kind: 'upsert', issue: anIssue('LAUNCH-1', at(1), { assigneeEmail: 'ana@acme.com', title: 'Old title' }) }])).status).toBe(202);
    await sync.idle();
    expect(await state('LAUNCH-1')).toEqual({ status: 'done', progress: 100 });
    expect(findTask(holder.program, 'LAUNCH-1')?.task.title).toBe('Email <!channel>');
  });

  it('a done issue re-opened (refetched through getIssue) re-opens the task at its status percent', async () => {
    tracker.set(anIssue('LAUNCH-1', at(3), { assigneeEmail: 'ana@acme.com', title: 'Email <!channel>', status: 'In Review' }));
    await webhook([{ kind: 'refetch', key: 'LAUNCH-1' }]);
    await sync.idle();
    expect(tracker.calls).toContain('getIssue:LAUNCH-1');
    expect(await state('LAUNCH-1')).toEqual({ status: 'open', progress: 80 });
    expect((await events('LAUNCH-1')).map((e) => e.kind)).toEqual(['done', 'reopened']);
  });

  it('a change no webhook told is repaired by the poll', async () => {
    tracker.set(anIssue('LAUNCH-2', at(4), { assigneeEmail: 'bo@acme.com', blockedBy: ['LAUNCH-1'], title: 'Renamed in Jira' }));
    expect(await sync.syncSource('omega/0')).toMatchObject({ kind: 'synced', changes: 1, planChanged: true });
    expect(findTask(holder.program, 'LAUNCH-2')?.task.title).toBe('Renamed in Jira');
    // three reloads so far: the assignee outside Slack was asked of Slack once (ana once too, then cached)
    expect(slack.of('users.lookupByEmail', (a) => a.email === 'bo@acme.com')).toHaveLength(1);
    expect(slack.of('users.lookupByEmail', (a) => a.email === 'ana@acme.com')).toHaveLength(1);
  });

  it('a deleted issue: its task leaves the plan and its open escalation is resolved with a note', async () => {
    expect((await sweepTasks(bot.deps)).raised).toBe(1);
    expect(await h.sql("SELECT task_id, status FROM blockers WHERE source = 'task'")).toEqual([{ task_id: 'LAUNCH-3', status: 'open' }]);
    tracker.issues.delete('LAUNCH-3');
    expect(await sync.syncSource('omega/0')).toMatchObject({ kind: 'synced', changes: 1, planChanged: true });
    expect(taskIds()).not.toContain('LAUNCH-3');
    expect(await h.sql("SELECT task_id, status FROM blockers WHERE source = 'task'")).toEqual([{ task_id: 'LAUNCH-3', status: 'resolved' }]);
    expect((await h.sql<{ deleted: boolean }>("SELECT deleted_at IS NOT NULL AS deleted FROM tracker_issues WHERE key = 'LAUNCH-3'"))[0]).toEqual({ deleted: true });
  });

  it('a tracker that is down: tasks keep their last state, last_error is recorded, one warning per 30 min, and it resumes', async () => {
    const warn = vi.spyOn(bot.deps.log, 'warn');
    tracker.fault = new TrackerUnavailableError('jira', '503 Service Unavailable');
    const ids = taskIds();
    expect(await sync.syncSource('omega/0')).toEqual({ kind: 'failed', error: 'jira is unavailable: 503 Service Unavailable' });
    expect(await sync.syncSource('omega/0')).toMatchObject({ kind: 'failed' });
    expect(taskIds()).toEqual(ids);
    expect(warn.mock.calls.filter((c) => String(c[1]).startsWith('tracker sync failed'))).toHaveLength(1);
    expect((await trackerSyncStatus(bot.deps.db))[0]).toMatchObject({ lastSyncedAt: now.toMillis(), lastError: 'jira is unavailable: 503 Service Unavailable' });
    h.clock.advance(31 * 60_000);
    await sync.syncSource('omega/0');
    expect(warn.mock.calls.filter((c) => String(c[1]).startsWith('tracker sync failed'))).toHaveLength(2);
    tracker.fault = null;
    expect(await sync.syncSource('omega/0')).toMatchObject({ kind: 'synced' });
    expect((await trackerSyncStatus(bot.deps.db))[0]).toMatchObject({ lastSyncedAt: h.clock.now().toMillis(), lastError: null });
    warn.mockRestore();
  });

  it('start-up: a tracker down at the first sync is tried again on its own, well before its poll, and its tasks come in', async () => {
    tracker.set(anIssue('LAUNCH-1', at(-60)));
    tracker.set(anIssue('LAUNCH-2', at(-60)));
    tracker.fault = new TrackerUnavailableError('jira', '503 Service Unavailable');
    // the tracker answers again after a few tries (the source polls only every hour)
    const listCalls = () => tracker.calls.filter((c) => c.startsWith('listIssues')).length;
    const recover = setInterval(() => {
      if (listCalls() >= 2) tracker.fault = null;
    }, 50);
    const warn = vi.spyOn(bot.deps.log, 'warn');
    const outcome = await sync.firstSync();
    clearInterval(recover);
    expect(outcome['omega/0']).toMatchObject({ kind: 'synced' });
    expect(listCalls()).toBeGreaterThanOrEqual(3);
    expect(taskIds()).toEqual(['O-1', 'LAUNCH-1', 'LAUNCH-2']);
    // each failed attempt is a warning (the sync's own warning comes once per 30 min)
    expect(warn.mock.calls.filter((c) => c[1] === 'first tracker sync attempt failed').length).toBeGreaterThanOrEqual(1);
    warn.mockRestore();
  }, 60_000);

  it('start-up: a source busy at the first sync (its lock held, e.g. by a write-back pass) is tried again once it is free', async () => {
    tracker.set(anIssue('LAUNCH-1', at(-60)));
    const listCalls = () => tracker.calls.filter((c) => c.startsWith('listIssues')).length;
    const before = listCalls();
    // another holder keeps the source's lock a moment, listing nothing (as the write-back job does at start)
    let release = () => {};
    const held = redisSourceLock(redis, h.prefix, 20).run('omega/0', { wait: false }, () => new Promise<void>((r) => (release = r)));
    setTimeout(() => release(), 1_000);
    const outcome = await sync.firstSync();
    await held;
    expect(outcome['omega/0']).toMatchObject({ kind: 'synced' });
    expect(listCalls()).toBeGreaterThan(before);
    expect(taskIds()).toContain('LAUNCH-1');
  }, 60_000);

  it('start-up: the first sync stops trying at shutdown', async () => {
    tracker.fault = new TrackerUnavailableError('jira', '503 Service Unavailable');
    const stop = new AbortController();
    const done = sync.firstSync(stop.signal);
    setTimeout(() => stop.abort(), 200);
    expect((await done)['omega/0']).toMatchObject({ kind: 'failed' });
    tracker.fault = null;
  }, 30_000);

  it('rate limited (429): no call to the tracker before Retry-After, then it resumes', async () => {
    tracker.fault = new TrackerRateLimitError('jira', 60_000);
    expect(await sync.syncSource('omega/0')).toEqual({ kind: 'failed', error: 'rate limited' });
    tracker.fault = null;
    const calls = tracker.calls.length;
    h.clock.advance(59_000);
    expect(await sync.syncSource('omega/0')).toMatchObject({ kind: 'rate-limited' });
    expect(tracker.calls.length).toBe(calls);
    h.clock.advance(2_000);
    expect(await sync.syncSource('omega/0')).toMatchObject({ kind: 'synced' });
    expect(tracker.calls.length).toBeGreaterThan(calls);
  });

  it('a refused token: the PM gets one DM naming the variable, again only after it worked in between', async () => {
    const dms = () => h.sql<{ channel: string; text: string }>("SELECT channel, text FROM outbound_messages WHERE kind = 'tracker_token_refused' ORDER BY id");
    tracker.fault = new TrackerAuthError('jira', 'JIRA_TOKEN', '401 Unauthorized');
    await sync.syncSource('omega/0');
    await sync.syncSource('omega/0');
    expect(await dms()).toHaveLength(1);
    expect((await dms())[0]).toMatchObject({ channel: 'U0PM' });
    expect((await dms())[0]!.text).toContain('JIRA_TOKEN');
    expect((await trackerSyncStatus(bot.deps.db))[0]!.lastError).toBe('token refused (JIRA_TOKEN)');
    tracker.fault = null;
    await sync.syncSource('omega/0');
    tracker.fault = new TrackerAuthError('jira', 'JIRA_TOKEN', '401 Unauthorized');
    h.clock.advance(60_000);
    await sync.syncSource('omega/0');
    expect(await dms()).toHaveLength(2);
    tracker.fault = null;
  });

  it('two replicas: one sync of a source at a time, every change applied once', async () => {
    const other = makeSync();
    tracker.pageDelayMs = 50;
    tracker.maxActive = 0;
    tracker.set(anIssue('LAUNCH-4', at(200), { status: 'Done', done: true }));
    const outcomes = await Promise.all([sync.syncSource('omega/0'), other.syncSource('omega/0')]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['busy', 'synced']);
    expect(tracker.maxActive).toBe(1);
    // both replicas take the same webhook delivery (a retry): one change, applied once
    const done = tracker.set(anIssue('LAUNCH-2', at(300), { assigneeEmail: 'bo@acme.com', title: 'Renamed in Jira', blockedBy: ['LAUNCH-1'], status: 'Done', done: true }));
    await Promise.all([sync.applyChanges('omega/0', [{ kind: 'upsert', issue: done }]), other.applyChanges('omega/0', [{ kind: 'upsert', issue: done }])]);
    expect(await events('LAUNCH-4')).toEqual([{ kind: 'done', via: 'tracker' }]);
    expect(await events('LAUNCH-2')).toEqual([{ kind: 'done', via: 'tracker' }]);
    tracker.pageDelayMs = 0;
  });

  it('an adapter build that fails after a newer one (settings changed meanwhile) took its place leaves the newer one cached; the webhook says why it skipped', async () => {
    const warn = vi.spyOn(bot.deps.log, 'warn');
    const base = bot.deps.config;
    const omega = base.workstreams.omega!;
    const [entry] = omega.tasks_from as unknown as [{ jira: Record<string, unknown> }];
    // the same source (omega/0) with another JQL: another settings fingerprint, so a build of its own
    const changed = { ...base, workstreams: { ...base.workstreams, omega: { ...omega, tasks_from: [{ jira: { ...entry.jira, jql: 'project = OTHER' } }] } } } as unknown as typeof base;
    let config = base;
    let failFirst!: (err: Error) => void;
    const builds: string[] = [];
    const racing = createTrackerSync({
      deps: () => ({ ...bot.deps, config }),
      adapterFor: (source) => {
        builds.push(String((source.settings as { jql?: string }).jql));
        return builds.length === 1 ? new Promise<FakeTracker>((_, reject) => (failFirst = reject)) : tracker;
      },
      reload: () => reloader.reload('tracker'),
      lock: redisSourceLock(redis, h.prefix, 20),
    });
    const raw = Buffer.from(JSON.stringify({ changes: [{ kind: 'ignored', why: 'test' }] }));
    const deliver = () => racing.receiveWebhook('jira', { 'x-fake-signature': FakeTracker.sign(raw, 'whsec-1') }, raw, ENV);
    const slow = deliver(); // builds the adapter of the old settings, still pending
    await vi.waitFor(() => expect(builds).toHaveLength(1));
    config = changed;
    expect((await deliver()).status).toBe(202); // builds and caches the new settings' adapter
    failFirst(new Error('JIRA_TOKEN is not set'));
    expect((await slow).status).toBe(401);
    expect(warn.mock.calls.find((c) => String(c[1]).startsWith('tracker webhook: the source'))?.[0]).toMatchObject({ source_id: 'omega/0', err: 'JIRA_TOKEN is not set' });
    // the old build's failure did not evict the new one: the next delivery uses it, no third build
    expect((await deliver()).status).toBe(202);
    expect(builds).toEqual(['project = LAUNCH', 'project = OTHER']);
    await racing.idle();
    warn.mockRestore();
  });

  it('the poll catches up a done issue whose task is not done, and never re-opens a task done in Preflight only', async () => {
    await h.sql("DELETE FROM task_states WHERE task_id = 'LAUNCH-4'");
    await sync.syncSource('omega/0');
    expect(await state('LAUNCH-4')).toEqual({ status: 'done', progress: 100 });
    tracker.set(anIssue('LAUNCH-5', at(400)));
    await sync.syncSource('omega/0');
    const done = await updateTask(bot.deps, 'LAUNCH-5', 'U0LEAD', { kind: 'done' });
    expect(done.ok).toBe(true);
    tracker.set(anIssue('LAUNCH-5', at(401), { title: 'Renamed, still open in Jira' }));
    await sync.syncSource('omega/0');
    expect(await state('LAUNCH-5')).toEqual({ status: 'done', progress: 100 });
  });
});
