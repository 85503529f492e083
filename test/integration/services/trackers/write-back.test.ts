import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { redisSourceLock } from '../../../../src/jobs/tracker-lock.js';
import { escalate } from '../../../../src/services/blockers/escalate.js';
import { recordEscalationStep } from '../../../../src/services/blockers/record-step.js';
import { PlanHolder } from '../../../../src/services/plan/holder.js';
import { createReloader, startupPlan } from '../../../../src/services/plan/reload.js';
import { sweepTasks } from '../../../../src/services/tasks/escalate.js';
import { updateTask } from '../../../../src/services/tasks/update.js';
import { TrackerUnavailableError } from '../../../../src/services/trackers/adapter.js';
import { createTrackerSync, type TrackerSync } from '../../../../src/services/trackers/sync.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { anIssue, FakeTracker } from '../../../support/tracker-fake.js';

/* Write-back to the tracker (issue 21, write_back: true): each once, through tracker_writebacks, never on the ack path. */

const START = '2026-12-05T15:00:00Z';
const now = DateTime.fromISO(START, { zone: 'utc' });
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'UTC', pm: 'U0PM' },
  workstreams: [
    aWorkstream({
      id: 'omega',
      leads: ['U0LEAD'],
      members: ['U01'],
      tasks_from: [{ jira: { site: 'https://acme.atlassian.net', jql: 'project = LAUNCH', token_env: 'JIRA_TOKEN', write_back: true } }],
    }),
  ],
});

describe('write-back to the tracker', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  let redis: Redis;
  let sync: TrackerSync;
  const tracker = new FakeTracker();
  const slack = nockSlack();
  const rows = () => h.sql<{ issue_key: string; purpose: string; done: boolean }>('SELECT issue_key, purpose, done_at IS NOT NULL AS done FROM tracker_writebacks ORDER BY issue_key, purpose');

  beforeAll(async () => {
    h = await harness(YAML, START);
    slack.usersByEmail.set('ana@acme.com', 'U0ANA');
    const path = join(mkdtempSync(join(tmpdir(), 'preflight-writeback-')), 'preflight.yml');
    writeFileSync(path, YAML);
    const first = await h.process({ workers: false });
    const holder = new PlanHolder(await startupPlan({ db: first.deps.db, clock: first.deps.clock, path }, resolveProgram(parseWorkspaceConfig(YAML, path))));
    bot = await h.process({ workers: false, plan: holder });
    const reloader = createReloader({ deps: bot.deps, lookup: bot.deps.slack, holder, path });
    redis = new Redis(inject('redisUrl'));
    sync = createTrackerSync({ deps: () => bot.deps, adapterFor: () => tracker, reload: () => reloader.reload('tracker'), lock: redisSourceLock(redis, h.prefix, 20) });
    const yesterday = now.minus({ days: 1 }).toISODate()!;
    tracker.set(anIssue('LAUNCH-1', now.toISO()!, { assigneeEmail: 'ana@acme.com' }));
    tracker.set(anIssue('LAUNCH-2', now.toISO()!, { assigneeEmail: 'ana@acme.com' }));
    tracker.set(anIssue('LAUNCH-3', now.toISO()!, { due: { date: yesterday } }));
    tracker.set(anIssue('LAUNCH-4', now.toISO()!));
    expect(await sync.syncSource('omega/0')).toMatchObject({ kind: 'synced', changes: 4 });
  });
  afterAll(async () => {
    await redis?.quit();
    await h.cleanup();
  });

  it('/task done and 100 % in a check-in move the issue to done once; a tracker failure is retried later', async () => {
    const done = await updateTask(bot.deps, 'LAUNCH-1', 'U0ANA', { kind: 'done' });
    expect(done.ok).toBe(true);
    if (done.ok) await done.after();
    const full = await updateTask(bot.deps, 'LAUNCH-2', 'U0ANA', { kind: 'progress', percent: 100 }, 'checkin');
    if (full.ok) await full.after();
    expect(tracker.movedToDone).toEqual([]); // nothing on the ack path
    tracker.fault = new TrackerUnavailableError('jira', '502');
    expect(await sync.writeBacks('omega/0')).toMatchObject({ kind: 'failed' });
    expect(await rows()).toEqual([
      { issue_key: 'LAUNCH-1', purpose: 'done', done: false },
      { issue_key: 'LAUNCH-2', purpose: 'done', done: false },
    ]);
    tracker.fault = null;
    await sync.writeBacks('omega/0');
    await sync.writeBacks('omega/0');
    expect(tracker.movedToDone).toEqual(['LAUNCH-1', 'LAUNCH-2']);
    expect((await rows()).every((r) => r.done)).toBe(true);
  });

  it('a task done in the tracker is not written back to it', async () => {
    tracker.set(anIssue('LAUNCH-4', now.plus({ minutes: 1 }).toISO()!, { status: 'Done', done: true }));
    await sync.syncSource('omega/0');
    expect((await rows()).map((r) => r.issue_key)).not.toContain('LAUNCH-4');
  });

  it('each escalation step of an overdue tracker task comments once', async () => {
    expect((await sweepTasks(bot.deps)).raised).toBe(1);
    const [b] = await h.sql<{ id: number; version: number }>("SELECT id, version FROM blockers WHERE task_id = 'LAUNCH-3'");
    await Promise.all([escalate(bot.deps, b!.id, b!.version), escalate(bot.deps, b!.id, b!.version)]);
    await sync.writeBacks('omega/0');
    await sync.writeBacks('omega/0');
    const comments = tracker.comments.filter((c) => c.key === 'LAUNCH-3');
    expect(comments).toHaveLength(1);
    expect(comments[0]!.text).toMatch(/^Overdue since 17:00 \(UTC\); /);
  });

  it('an escalation step written after its blocker changed (the version it read moved on) queues no comment', async () => {
    const [b] = await h.sql<{ id: number; version: number; episode: number }>("SELECT id, version, episode FROM blockers WHERE task_id = 'LAUNCH-3'");
    const at = now.plus({ hours: 1 }).toJSDate();
    const purpose = `escalation:${b!.id}:7` as const;
    const step = (version: number) =>
      recordEscalationStep(bot.deps.db, {
        blockerId: b!.id,
        version,
        now: at,
        set: { levelsDone: 2, repeatsDone: 0, lastNotifiedAt: at, nextDueAt: null },
        notices: [],
        event: { kind: 'skipped', at, data: {} },
        writeBack: { config: bot.deps.config, issueKey: 'LAUNCH-3', purpose },
      });
    expect(await step(b!.version - 1)).toBeNull();
    expect((await rows()).filter((r) => r.purpose === purpose)).toEqual([]);
    expect(await step(b!.version)).not.toBeNull();
    expect((await rows()).filter((r) => r.purpose === purpose)).toEqual([{ issue_key: 'LAUNCH-3', purpose, done: false }]);
  });
});
