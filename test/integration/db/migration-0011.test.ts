import { rmSync } from 'node:fs';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { parseWorkspaceConfig } from '../../../src/config/load.js';
import { openDatabase } from '../../../src/db/client.js';
import { dropDatabase, ensureDatabase, runMigrations } from '../../../src/db/migrate.js';
import type { Deps } from '../../../src/services/deps.js';
import { blockerMessageDelivery, noticeDelivery, threadLineDelivery } from '../../../src/services/blockers/delivery-kinds.js';
import { outboundDue } from '../../../src/services/delivery/outbound.js';
import { releaseStaleReservations } from '../../../src/services/delivery/release-stale.js';
import * as transitions from '../../../src/services/delivery/transitions.js';
import { chartDelivery } from '../../../src/services/digest/chart-upload.js';
import { lateAnswerDelivery, promptDelivery, reportDelivery } from '../../../src/services/checkins/delivery-kinds.js';
import { migrationsUpTo } from '../../support/migrations.js';
import { aConfig, aWorkstream } from '../../support/config-factories.js';

const YAML = aConfig({ program: { name: 'Launch' }, workstreams: [aWorkstream({ leads: undefined })] });

const T = (iso: string) => new Date(iso);

describe('migration 0011 (one table of deliveries) on a database holding 0010-era reservations', () => {
  const url = new URL(inject('templateDatabaseUrl'));
  url.pathname = `/preflight_m0011_${inject('testRunId')}`;
  const dir = migrationsUpTo('0010_message_state');
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(url.toString());
  });

  it('moves every digest chart, outbound message, escalation DM, blocker message, thread line, report, late answer, prompt and reminder reservation, in every state, into deliveries, then drops the old columns and once_keys', async () => {
    await ensureDatabase(url.toString());
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await migrate(drizzle(client), { migrationsFolder: dir });
    // the digest messages: 1 not posted yet, the others posted in the program channel (6 in a DM-less fallback channel)
    await client.query(`INSERT INTO outbound_messages (id, kind, key, channel, text, status, ts, posted_channel, created_at, sent_at) VALUES
      (1, 'digest', 'digest:2026-11-01', 'C0LAUNCH', 'd1', 'pending', NULL, NULL, '2026-11-01T18:00:00Z', NULL),
      (2, 'digest', 'digest:2026-11-02', 'C0LAUNCH', 'd2', 'sent', '1762106400.000100', 'C0LAUNCH', '2026-11-02T18:00:00Z', '2026-11-02T18:00:01Z'),
      (3, 'digest', 'digest:2026-11-03', 'C0LAUNCH', 'd3', 'sent', '1762192800.000100', 'C0LAUNCH', '2026-11-03T18:00:00Z', '2026-11-03T18:00:01Z'),
      (4, 'digest', 'digest:2026-11-04', 'C0LAUNCH', 'd4', 'sent', '1762279200.000100', 'C0LAUNCH', '2026-11-04T18:00:00Z', '2026-11-04T18:00:01Z'),
      (5, 'digest', 'digest:2026-11-05', 'C0LAUNCH', 'd5', 'sent', '1762365600.000100', 'C0LAUNCH', '2026-11-05T18:00:00Z', '2026-11-05T18:00:01Z'),
      (6, 'digest', 'digest:2026-11-06', 'C0LAUNCH', 'd6', 'sent', '1762452000.000100', NULL, '2026-11-06T18:00:00Z', '2026-11-06T18:00:01Z')`);
    // go/no-go messages in every state: a summary posted with two overflow replies (one posted, one claimed
    // mid-post for the second time), a DM Slack refused for good, a reminder released after a timeout
    await client.query(`INSERT INTO outbound_messages (id, kind, key, channel, parent_id, text, status, claimed_at, claims, first_claimed_at, ts, posted_channel, created_at, sent_at) VALUES
      (7, 'gonogo_summary', 'summary:1', 'C0WS1', NULL, 'GO', 'sent', '2026-11-06T09:00:01Z', 1, '2026-11-06T09:00:01Z', '1762419601.000200', 'C0WS1', '2026-11-06T09:00:00Z', '2026-11-06T09:00:02Z'),
      (8, 'gonogo_summary', 'summary:1:reply-1', 'C0WS1', 7, 'more 1', 'sent', '2026-11-06T09:00:03Z', 1, '2026-11-06T09:00:03Z', '1762419603.000300', 'C0WS1', '2026-11-06T09:00:00Z', '2026-11-06T09:00:04Z'),
      (9, 'gonogo_summary', 'summary:1:reply-2', 'C0WS1', 7, 'more 2', 'sending', '2026-11-06T09:05:00Z', 2, '2026-11-06T09:00:05Z', NULL, NULL, '2026-11-06T09:00:00Z', NULL),
      (10, 'withdrawal', 'withdrawal-1:U0GONE', 'U0GONE', NULL, 'withdrawn', 'failed', '2026-11-06T10:00:01Z', 1, '2026-11-06T10:00:01Z', NULL, NULL, '2026-11-06T10:00:00Z', NULL),
      (11, 'gonogo_reminder', 'reminder:1', 'U0QA', NULL, 'sign off', 'pending', NULL, 1, '2026-11-06T11:00:01Z', NULL, NULL, '2026-11-06T11:00:00Z', NULL)`);
    await client.query(`INSERT INTO digests (id, local_date, window_from, window_to, message_id, chart_status, chart_claimed_at, chart_claims, chart_first_claimed_at, chart_file_id, chart_sent_at, created_at) VALUES
      -- pending: never claimed (its message is not posted yet)
      (11, '2026-11-01', '2026-10-31T18:00:00Z', '2026-11-01T18:00:00Z', 1, 'pending', NULL, 0, NULL, NULL, NULL, '2026-11-01T18:00:00Z'),
      -- claimed, mid-upload: the process may have died in files.uploadV2
      (12, '2026-11-02', '2026-11-01T18:00:00Z', '2026-11-02T18:00:00Z', 2, 'sending', '2026-11-02T18:00:05Z', 1, '2026-11-02T18:00:05Z', NULL, NULL, '2026-11-02T18:00:00Z'),
      -- sent: the file id recorded
      (13, '2026-11-03', '2026-11-02T18:00:00Z', '2026-11-03T18:00:00Z', 3, 'sent', '2026-11-03T18:00:05Z', 1, '2026-11-03T18:00:05Z', 'F0SENT', '2026-11-03T18:00:07Z', '2026-11-03T18:00:00Z'),
      -- parked: Slack refused the channel for good
      (14, '2026-11-04', '2026-11-03T18:00:00Z', '2026-11-04T18:00:00Z', 4, 'failed', '2026-11-04T18:00:05Z', 2, '2026-11-04T18:00:02Z', NULL, NULL, '2026-11-04T18:00:00Z'),
      -- released after a timeout: pending again, its claim still counted (the next claim searches the thread first)
      (15, '2026-11-05', '2026-11-04T18:00:00Z', '2026-11-05T18:00:00Z', 5, 'pending', NULL, 1, '2026-11-05T18:00:05Z', NULL, NULL, '2026-11-05T18:00:00Z'),
      -- sent into the channel the message was queued for (no posted_channel recorded)
      (16, '2026-11-06', '2026-11-05T18:00:00Z', '2026-11-06T18:00:00Z', 6, 'sent', '2026-11-06T18:00:05Z', 1, '2026-11-06T18:00:05Z', 'F0SENT6', '2026-11-06T18:00:06Z', '2026-11-06T18:00:00Z')`);
    // escalation DMs of one blocker in every state: sent (its IM channel and ts kept for the in-place edits), claimed
    // mid-post, pending (quiet hours), cancelled (acknowledged before it went out), failed (Slack refused the user)
    await client.query(`INSERT INTO blockers (id, workstream_id, severity, text, reporter, status, policy, raised_at, source, channel, message_version, message_rendered_version)
      VALUES (7, 'ws1', 'P1', 'db down', 'U01', 'open', '{"ladder":[{"afterMs":0,"notify":"lead"}],"stopWhen":"resolved"}', '2026-11-06T10:00:00Z', 'command', 'C0WS1', 2, 2)`);
    await client.query(`INSERT INTO blocker_notices (id, blocker_id, level, attempt, recipient, due_at, not_before, status, claimed_at, claims, first_claimed_at, dm_channel, ts, sent_at) VALUES
      (21, 7, 0, 0, 'U0LEAD', '2026-11-06T10:00:00Z', '2026-11-06T10:00:00Z', 'sent', '2026-11-06T10:00:01Z', 1, '2026-11-06T10:00:01Z', 'D0LEAD', '1762423201.000100', '2026-11-06T10:00:02Z'),
      (22, 7, 0, 0, 'U0PM', '2026-11-06T10:00:00Z', '2026-11-06T10:00:00Z', 'sending', '2026-11-06T10:00:01Z', 1, '2026-11-06T10:00:01Z', NULL, NULL, NULL),
      (23, 7, 0, 0, 'U0QUIET', '2026-11-06T10:00:00Z', '2026-11-07T08:00:00Z', 'pending', NULL, 0, NULL, NULL, NULL, NULL),
      (24, 7, 0, 0, 'U0ACK', '2026-11-06T10:00:00Z', '2026-11-06T10:00:00Z', 'cancelled', '2026-11-06T10:00:01Z', 1, '2026-11-06T10:00:01Z', NULL, NULL, NULL),
      (25, 7, 0, 0, 'U0GONE', '2026-11-06T10:00:00Z', '2026-11-06T10:00:00Z', 'failed', '2026-11-06T10:00:01Z', 1, '2026-11-06T10:00:01Z', NULL, NULL, NULL)`);
    // its timeline: the raised event (no line), lines sent, claimed mid-post, pending, refused for good ('none' after a claim)
    // its message posted (with its permalink); a second blocker whose first post was claimed twice, never recorded
    await client.query(
      `UPDATE blockers SET message_ts = '1762423200.000100', permalink = 'https://x.slack.com/archives/C0WS1/p1762423200000100', message_claimed_at = '2026-11-06T10:00:00Z', message_claims = 1, message_first_claimed_at = '2026-11-06T10:00:00Z' WHERE id = 7`,
    );
    await client.query(`INSERT INTO blockers (id, workstream_id, severity, text, reporter, status, policy, raised_at, source, channel, message_version, message_rendered_version, message_claimed_at, message_claims, message_first_claimed_at)
      VALUES (8, 'ws1', 'P2', 'flaky', 'U01', 'open', '{"ladder":[{"afterMs":0,"notify":"lead"}],"stopWhen":"resolved"}', '2026-11-06T12:00:00Z', 'command', 'C0WS1', 1, 0, '2026-11-06T12:00:09Z', 2, '2026-11-06T12:00:01Z')`);
    await client.query(`INSERT INTO blocker_events (id, blocker_id, kind, actor, at, data, thread_status, thread_claimed_at, thread_claims, thread_first_claimed_at, thread_ts) VALUES
      (31, 7, 'raised', 'U01', '2026-11-06T10:00:00Z', '{}', 'none', NULL, 0, NULL, NULL),
      (32, 7, 'escalated', NULL, '2026-11-06T10:00:00Z', '{}', 'sent', '2026-11-06T10:00:03Z', 1, '2026-11-06T10:00:03Z', '1762423203.000100'),
      (33, 7, 'acknowledged', 'U0LEAD', '2026-11-06T10:05:00Z', '{}', 'sending', '2026-11-06T10:05:01Z', 1, '2026-11-06T10:05:01Z', NULL),
      (34, 7, 'snoozed', 'U0LEAD', '2026-11-06T10:06:00Z', '{}', 'pending', NULL, 0, NULL, NULL),
      (35, 7, 'reassigned', 'U0LEAD', '2026-11-06T10:07:00Z', '{}', 'none', '2026-11-06T10:07:01Z', 1, '2026-11-06T10:07:01Z', NULL)`);
    // check-in reports: the day's first (posted), a later check-in's (posted in its thread), one whose first post was
    // claimed and never recorded; late answers: one posted in the thread, one claimed and never recorded
    const q = `'[{"id":"today","prompt":"Today?","kind":"text","required":true}]'`;
    await client.query(`INSERT INTO standup_runs (id, workstream_id, checkin_id, local_date, status, open_at, close_at, questions, workstream_name, zone, report_channel, report_ts, report_thread_ts, report_claimed_at, report_claims, report_first_claimed_at, report_version, report_rendered_version, created_at) VALUES
      (41, 'ws1', 'standup', '2026-11-06', 'closed', '2026-11-06T09:00:00Z', '2026-11-06T11:00:00Z', ${q}, 'W', 'UTC', 'C0WS1', '1762419600.000500', NULL, '2026-11-06T09:00:01Z', 1, '2026-11-06T09:00:01Z', 3, 3, '2026-11-06T09:00:00Z'),
      (42, 'ws1', 'retro', '2026-11-06', 'closed', '2026-11-06T15:00:00Z', '2026-11-06T17:00:00Z', ${q}, 'W', 'UTC', 'C0WS1', '1762441200.000600', '1762419600.000500', '2026-11-06T15:00:01Z', 1, '2026-11-06T15:00:01Z', 2, 2, '2026-11-06T15:00:00Z'),
      (43, 'ws1', 'standup', '2026-11-07', 'open', '2026-11-07T09:00:00Z', '2026-11-07T11:00:00Z', ${q}, 'W', 'UTC', 'C0WS1', NULL, NULL, '2026-11-07T09:00:01Z', 1, '2026-11-07T09:00:01Z', 1, 0, '2026-11-07T09:00:00Z')`);
    await client.query(`INSERT INTO standup_answers (id, run_id, user_id, answers, complete, source, completed_at, updated_at, late, late_version, late_posted_version, late_ts, late_claimed_at, late_claims, late_first_claimed_at) VALUES
      (51, 41, 'U01', '{"today":"late"}', true, 'modal', '2026-11-06T12:00:00Z', '2026-11-06T12:00:00Z', true, 1, 1, '1762430400.000700', '2026-11-06T12:00:01Z', 1, '2026-11-06T12:00:01Z'),
      (52, 41, 'U02', '{"today":"later"}', true, 'modal', '2026-11-06T13:00:00Z', '2026-11-06T13:00:00Z', true, 1, 0, NULL, '2026-11-06T13:00:01Z', 1, '2026-11-06T13:00:01Z'),
      (53, 41, 'U03', '{"today":"on time"}', true, 'modal', '2026-11-06T09:30:00Z', '2026-11-06T09:30:00Z', false, 0, 0, NULL, NULL, 0, NULL)`);
    // prompts of run 43 in every state: pending, claimed mid-post, sent (reminded), sent then skipped, expired,
    // failed, out of office; a reminder claimed mid-post, one not needed
    await client.query(`INSERT INTO standup_prompts (id, run_id, user_id, zone, prompt_at, remind_at, close_at, status, attempts, claimed_at, first_claimed_at, dm_channel, prompt_ts, sent_at, reminder_status, reminder_claimed_at, reminder_claims, reminder_first_claimed_at, reminder_ts) VALUES
      (61, 43, 'U01', 'UTC', '2026-11-07T09:00:00Z', '2026-11-07T09:30:00Z', '2026-11-07T11:00:00Z', 'pending', 0, NULL, NULL, NULL, NULL, NULL, 'none', NULL, 0, NULL, NULL),
      (62, 43, 'U02', 'UTC', '2026-11-07T09:00:00Z', '2026-11-07T09:30:00Z', '2026-11-07T11:00:00Z', 'sending', 1, '2026-11-07T09:00:02Z', '2026-11-07T09:00:02Z', NULL, NULL, NULL, 'none', NULL, 0, NULL, NULL),
      (63, 43, 'U03', 'UTC', '2026-11-07T09:00:00Z', '2026-11-07T09:30:00Z', '2026-11-07T11:00:00Z', 'sent', 1, '2026-11-07T09:00:02Z', '2026-11-07T09:00:02Z', 'D03', '1762506002.000100', '2026-11-07T09:00:03Z', 'sent', '2026-11-07T09:30:01Z', 1, '2026-11-07T09:30:01Z', '1762507801.000100'),
      (64, 43, 'U04', 'UTC', '2026-11-07T09:00:00Z', '2026-11-07T09:30:00Z', '2026-11-07T11:00:00Z', 'skipped', 1, '2026-11-07T09:00:02Z', '2026-11-07T09:00:02Z', 'D04', '1762506002.000200', '2026-11-07T09:00:03Z', 'sending', '2026-11-07T09:30:01Z', 1, '2026-11-07T09:30:01Z', NULL),
      (65, 43, 'U05', 'UTC', '2026-11-07T09:00:00Z', '2026-11-07T09:30:00Z', '2026-11-07T09:45:00Z', 'expired', 0, NULL, NULL, NULL, NULL, NULL, 'none', NULL, 0, NULL, NULL),
      (66, 43, 'U06', 'UTC', '2026-11-07T09:00:00Z', '2026-11-07T09:30:00Z', '2026-11-07T11:00:00Z', 'failed', 1, '2026-11-07T09:00:02Z', '2026-11-07T09:00:02Z', NULL, NULL, NULL, 'not_needed', NULL, 0, NULL, NULL),
      (67, 43, 'U07', 'UTC', '2026-11-07T09:00:00Z', '2026-11-07T09:30:00Z', '2026-11-07T11:00:00Z', 'ooo', 0, NULL, NULL, NULL, NULL, NULL, 'none', NULL, 0, NULL, NULL)`);
    await client.query(`INSERT INTO once_keys (key, at) VALUES ('gonogo:2026-11-01', '2026-11-01T09:00:00Z')`);
    await client.end();

    await runMigrations(url.toString());
    const database = openDatabase(url.toString());
    try {
      const rows = async () =>
        (
          await database.pool.query(
            `SELECT kind, owner_key, version, conversation, thread_ts, ts, permalink, status, claimed_at, claims, first_claimed_at, attempts, last_error, sent_at, created_at
             FROM deliveries ORDER BY kind, owner_key::int`,
          )
        ).rows;
      const row = (over: Record<string, unknown>): Record<string, unknown> => ({
        kind: 'digest_chart',
        claims: 0,
        attempts: 0,
        version: 1,
        conversation: null,
        thread_ts: null,
        ts: null,
        permalink: null,
        claimed_at: null,
        first_claimed_at: null,
        last_error: null,
        sent_at: null,
        ...over,
      });
      const digest = (id: number, ts: string | null, conversation: string | null) =>
        row({
          kind: 'digest',
          owner_key: String(id),
          status: ts ? 'sent' : 'pending',
          ts,
          conversation,
          sent_at: ts ? T(`2026-11-0${id}T18:00:01Z`) : null,
          created_at: T(`2026-11-0${id}T18:00:00Z`),
        });
      const migrated = [
        digest(1, null, null),
        digest(2, '1762106400.000100', 'C0LAUNCH'),
        digest(3, '1762192800.000100', 'C0LAUNCH'),
        digest(4, '1762279200.000100', 'C0LAUNCH'),
        digest(5, '1762365600.000100', 'C0LAUNCH'),
        digest(6, '1762452000.000100', null),
        row({ owner_key: '11', status: 'pending', claims: 0, attempts: 0, created_at: T('2026-11-01T18:00:00Z') }),
        row({ owner_key: '12', status: 'sending', claimed_at: T('2026-11-02T18:00:05Z'), claims: 1, first_claimed_at: T('2026-11-02T18:00:05Z'), attempts: 1, created_at: T('2026-11-02T18:00:00Z') }),
        row({
          owner_key: '13',
          status: 'sent',
          ts: 'F0SENT',
          conversation: 'C0LAUNCH',
          thread_ts: '1762192800.000100',
          claimed_at: T('2026-11-03T18:00:05Z'),
          claims: 1,
          first_claimed_at: T('2026-11-03T18:00:05Z'),
          attempts: 1,
          sent_at: T('2026-11-03T18:00:07Z'),
          created_at: T('2026-11-03T18:00:00Z'),
        }),
        row({ owner_key: '14', status: 'failed', claimed_at: T('2026-11-04T18:00:05Z'), claims: 2, first_claimed_at: T('2026-11-04T18:00:02Z'), attempts: 2, created_at: T('2026-11-04T18:00:00Z') }),
        row({ owner_key: '15', status: 'pending', claims: 1, first_claimed_at: T('2026-11-05T18:00:05Z'), attempts: 1, created_at: T('2026-11-05T18:00:00Z') }),
        row({
          owner_key: '16',
          status: 'sent',
          ts: 'F0SENT6',
          conversation: 'C0LAUNCH',
          thread_ts: '1762452000.000100',
          claimed_at: T('2026-11-06T18:00:05Z'),
          claims: 1,
          first_claimed_at: T('2026-11-06T18:00:05Z'),
          attempts: 1,
          sent_at: T('2026-11-06T18:00:06Z'),
          created_at: T('2026-11-06T18:00:00Z'),
        }),
        row({ kind: 'gonogo_reminder', owner_key: '11', status: 'pending', claims: 1, attempts: 1, first_claimed_at: T('2026-11-06T11:00:01Z'), created_at: T('2026-11-06T11:00:00Z') }),
        row({
          kind: 'gonogo_summary',
          owner_key: '7',
          status: 'sent',
          ts: '1762419601.000200',
          conversation: 'C0WS1',
          claimed_at: T('2026-11-06T09:00:01Z'),
          claims: 1,
          first_claimed_at: T('2026-11-06T09:00:01Z'),
          attempts: 1,
          sent_at: T('2026-11-06T09:00:02Z'),
          created_at: T('2026-11-06T09:00:00Z'),
        }),
        row({
          kind: 'gonogo_summary',
          owner_key: '8',
          status: 'sent',
          ts: '1762419603.000300',
          conversation: 'C0WS1',
          thread_ts: '1762419601.000200',
          claimed_at: T('2026-11-06T09:00:03Z'),
          claims: 1,
          first_claimed_at: T('2026-11-06T09:00:03Z'),
          attempts: 1,
          sent_at: T('2026-11-06T09:00:04Z'),
          created_at: T('2026-11-06T09:00:00Z'),
        }),
        row({
          kind: 'gonogo_summary',
          owner_key: '9',
          status: 'sending',
          claimed_at: T('2026-11-06T09:05:00Z'),
          claims: 2,
          first_claimed_at: T('2026-11-06T09:00:05Z'),
          attempts: 2,
          created_at: T('2026-11-06T09:00:00Z'),
        }),
        row({
          kind: 'withdrawal',
          owner_key: '10',
          status: 'failed',
          claimed_at: T('2026-11-06T10:00:01Z'),
          claims: 1,
          first_claimed_at: T('2026-11-06T10:00:01Z'),
          attempts: 1,
          created_at: T('2026-11-06T10:00:00Z'),
        }),
        ...[
          row({
            owner_key: '21',
            status: 'sent',
            conversation: 'D0LEAD',
            ts: '1762423201.000100',
            claimed_at: T('2026-11-06T10:00:01Z'),
            claims: 1,
            first_claimed_at: T('2026-11-06T10:00:01Z'),
            attempts: 1,
            sent_at: T('2026-11-06T10:00:02Z'),
          }),
          row({ owner_key: '22', status: 'sending', claimed_at: T('2026-11-06T10:00:01Z'), claims: 1, first_claimed_at: T('2026-11-06T10:00:01Z'), attempts: 1 }),
          row({ owner_key: '23', status: 'pending' }),
          row({ owner_key: '24', status: 'cancelled', claimed_at: T('2026-11-06T10:00:01Z'), claims: 1, first_claimed_at: T('2026-11-06T10:00:01Z'), attempts: 1 }),
          row({ owner_key: '25', status: 'failed', claimed_at: T('2026-11-06T10:00:01Z'), claims: 1, first_claimed_at: T('2026-11-06T10:00:01Z'), attempts: 1 }),
        ].map((r) => ({ ...r, kind: 'notice', created_at: T('2026-11-06T10:00:00Z') })),
        row({
          kind: 'blocker',
          owner_key: '7',
          status: 'sent',
          conversation: 'C0WS1',
          ts: '1762423200.000100',
          permalink: 'https://x.slack.com/archives/C0WS1/p1762423200000100',
          claimed_at: T('2026-11-06T10:00:00Z'),
          claims: 1,
          first_claimed_at: T('2026-11-06T10:00:00Z'),
          attempts: 1,
          created_at: T('2026-11-06T10:00:00Z'),
        }),
        row({
          kind: 'report',
          owner_key: '41',
          status: 'sent',
          conversation: 'C0WS1',
          ts: '1762419600.000500',
          claimed_at: T('2026-11-06T09:00:01Z'),
          claims: 1,
          first_claimed_at: T('2026-11-06T09:00:01Z'),
          attempts: 1,
          created_at: T('2026-11-06T09:00:00Z'),
        }),
        row({
          kind: 'report',
          owner_key: '42',
          status: 'sent',
          conversation: 'C0WS1',
          thread_ts: '1762419600.000500',
          ts: '1762441200.000600',
          claimed_at: T('2026-11-06T15:00:01Z'),
          claims: 1,
          first_claimed_at: T('2026-11-06T15:00:01Z'),
          attempts: 1,
          created_at: T('2026-11-06T15:00:00Z'),
        }),
        row({ kind: 'report', owner_key: '43', status: 'pending', claims: 1, first_claimed_at: T('2026-11-07T09:00:01Z'), attempts: 1, created_at: T('2026-11-07T09:00:00Z') }),
        row({
          kind: 'late_answer',
          owner_key: '51',
          status: 'sent',
          conversation: 'C0WS1',
          thread_ts: '1762419600.000500',
          ts: '1762430400.000700',
          claimed_at: T('2026-11-06T12:00:01Z'),
          claims: 1,
          first_claimed_at: T('2026-11-06T12:00:01Z'),
          attempts: 1,
          created_at: T('2026-11-06T12:00:00Z'),
        }),
        row({ kind: 'late_answer', owner_key: '52', status: 'pending', claims: 1, first_claimed_at: T('2026-11-06T13:00:01Z'), attempts: 1, created_at: T('2026-11-06T13:00:00Z') }),
        ...[
          row({ owner_key: '61', status: 'pending' }),
          row({ owner_key: '62', status: 'sending', claimed_at: T('2026-11-07T09:00:02Z'), claims: 1, first_claimed_at: T('2026-11-07T09:00:02Z'), attempts: 1 }),
          row({
            owner_key: '63',
            status: 'sent',
            conversation: 'D03',
            ts: '1762506002.000100',
            claimed_at: T('2026-11-07T09:00:02Z'),
            claims: 1,
            first_claimed_at: T('2026-11-07T09:00:02Z'),
            attempts: 1,
            sent_at: T('2026-11-07T09:00:03Z'),
          }),
          row({
            owner_key: '64',
            status: 'sent',
            conversation: 'D04',
            ts: '1762506002.000200',
            claimed_at: T('2026-11-07T09:00:02Z'),
            claims: 1,
            first_claimed_at: T('2026-11-07T09:00:02Z'),
            attempts: 1,
            sent_at: T('2026-11-07T09:00:03Z'),
          }),
          row({ owner_key: '65', status: 'cancelled', last_error: 'expired' }),
          row({ owner_key: '66', status: 'failed', claimed_at: T('2026-11-07T09:00:02Z'), claims: 1, first_claimed_at: T('2026-11-07T09:00:02Z'), attempts: 1 }),
          row({ owner_key: '67', status: 'cancelled', last_error: 'ooo' }),
        ].map((r) => ({ ...r, kind: 'prompt', created_at: T('2026-11-07T09:00:00Z') })),
        ...[
          row({
            owner_key: '63',
            status: 'sent',
            conversation: 'D03',
            ts: '1762507801.000100',
            claimed_at: T('2026-11-07T09:30:01Z'),
            claims: 1,
            first_claimed_at: T('2026-11-07T09:30:01Z'),
            attempts: 1,
          }),
          row({ owner_key: '64', status: 'sending', claimed_at: T('2026-11-07T09:30:01Z'), claims: 1, first_claimed_at: T('2026-11-07T09:30:01Z'), attempts: 1 }),
          row({ owner_key: '66', status: 'cancelled', last_error: 'not_needed' }),
        ].map((r) => ({ ...r, kind: 'reminder', created_at: T('2026-11-07T09:30:00Z') })),
        row({ kind: 'blocker', owner_key: '8', status: 'pending', claims: 2, first_claimed_at: T('2026-11-06T12:00:01Z'), attempts: 2, created_at: T('2026-11-06T12:00:00Z') }),
        row({
          kind: 'thread_line',
          owner_key: '32',
          status: 'sent',
          conversation: 'C0WS1',
          thread_ts: '1762423200.000100',
          ts: '1762423203.000100',
          claimed_at: T('2026-11-06T10:00:03Z'),
          claims: 1,
          first_claimed_at: T('2026-11-06T10:00:03Z'),
          attempts: 1,
          created_at: T('2026-11-06T10:00:00Z'),
        }),
        row({
          kind: 'thread_line',
          owner_key: '33',
          status: 'sending',
          claimed_at: T('2026-11-06T10:05:01Z'),
          claims: 1,
          first_claimed_at: T('2026-11-06T10:05:01Z'),
          attempts: 1,
          created_at: T('2026-11-06T10:05:00Z'),
        }),
        row({ kind: 'thread_line', owner_key: '34', status: 'pending', created_at: T('2026-11-06T10:06:00Z') }),
        row({
          kind: 'thread_line',
          owner_key: '35',
          status: 'failed',
          claimed_at: T('2026-11-06T10:07:01Z'),
          claims: 1,
          first_claimed_at: T('2026-11-06T10:07:01Z'),
          attempts: 1,
          created_at: T('2026-11-06T10:07:00Z'),
        }),
      ].sort((a: Record<string, unknown>, b: Record<string, unknown>) => (a.kind === b.kind ? Number(a.owner_key) - Number(b.owner_key) : String(a.kind) < String(b.kind) ? -1 : 1));
      expect(await rows()).toEqual(migrated);
      const columns = await database.pool.query(
        "SELECT column_name FROM information_schema.columns WHERE (table_name = 'digests' AND column_name LIKE 'chart%') OR (table_name = 'outbound_messages' AND column_name IN ('status', 'claimed_at', 'claims', 'first_claimed_at', 'ts', 'posted_channel', 'sent_at')) OR (table_name = 'blocker_notices' AND column_name IN ('status', 'claimed_at', 'claims', 'first_claimed_at', 'ts', 'dm_channel', 'sent_at')) OR (table_name = 'blocker_events' AND column_name LIKE 'thread%') OR (table_name = 'blockers' AND (column_name LIKE 'message_%' AND column_name NOT IN ('message_version', 'message_rendered_version') OR column_name = 'permalink')) OR (table_name = 'standup_runs' AND column_name IN ('report_ts', 'report_claimed_at', 'report_claims', 'report_first_claimed_at')) OR (table_name = 'standup_answers' AND column_name IN ('late_ts', 'late_claimed_at', 'late_claims', 'late_first_claimed_at')) OR (table_name = 'standup_prompts' AND column_name IN ('attempts', 'claimed_at', 'first_claimed_at', 'dm_channel', 'prompt_ts', 'sent_at') OR column_name LIKE 'reminder%')",
      );
      expect(columns.rows).toEqual([]);
      expect((await database.pool.query("SELECT to_regclass('once_keys') AS t")).rows).toEqual([{ t: null }]);

      // migrating again (another process starting) changes nothing
      await runMigrations(url.toString());
      expect(await rows()).toEqual(migrated);

      // the migrated rows move through the transitions: the mid-upload claim is released as stale (its count
      // kept, so its next claim searches the thread first); a sent or parked one cannot be claimed
      const deps = {
        db: database.db,
        config: parseWorkspaceConfig(YAML, 'test.yml'),
        clock: fixedClock('2026-11-08T00:00:00Z'),
        log: pino({ level: 'silent' }),
      } as unknown as Deps;
      expect(await releaseStaleReservations(deps)).toEqual({ digest_chart: 1, gonogo_summary: 1, notice: 1, thread_line: 1, prompt: 1, reminder: 1 });
      expect(await transitions.claim(deps, chartDelivery(12))).toEqual({ claims: 2, firstClaimedAt: T('2026-11-02T18:00:05Z'), claimedAt: T('2026-11-08T00:00:00Z'), conversation: null });
      expect(await transitions.claim(deps, chartDelivery(13))).toBeNull();
      expect(await transitions.claim(deps, chartDelivery(14))).toBeNull();
      expect(await transitions.claim(deps, chartDelivery(15))).toMatchObject({ claims: 2, firstClaimedAt: T('2026-11-05T18:00:05Z') });
      expect(await transitions.claim(deps, { kind: 'gonogo_summary', ownerKey: 9 })).toMatchObject({ claims: 3, firstClaimedAt: T('2026-11-06T09:00:05Z') });
      expect(await transitions.claim(deps, { kind: 'withdrawal', ownerKey: 10 })).toBeNull();
      // the due outbound messages are those still pending (a reply: once its parent has a ts)
      expect(await outboundDue(deps, 100)).toEqual([1, 11]);
      // an escalation DM keeps what its in-place edits need; a cancelled or failed one is never sent
      expect(await transitions.stateOf(deps, noticeDelivery(21))).toEqual({ status: 'sent', ts: '1762423201.000100', conversation: 'D0LEAD', permalink: null });
      expect(await transitions.claim(deps, noticeDelivery(22))).toMatchObject({ claims: 2, firstClaimedAt: T('2026-11-06T10:00:01Z') });
      expect(await transitions.claim(deps, noticeDelivery(24))).toBeNull();
      expect(await transitions.claim(deps, noticeDelivery(25))).toBeNull();
      // a thread line claimed mid-post searches the thread first; the raised event never gets one
      expect(await transitions.claim(deps, threadLineDelivery(33))).toMatchObject({ claims: 2, firstClaimedAt: T('2026-11-06T10:05:01Z') });
      expect(await transitions.claim(deps, threadLineDelivery(31))).toBeNull();
      // a blocker message's next render takes over its unrecorded first posts (serialised): the third claim searches
      expect(await transitions.claim(deps, blockerMessageDelivery(8), { serialised: true })).toMatchObject({ claims: 3, firstClaimedAt: T('2026-11-06T12:00:01Z') });
      expect(await transitions.claim(deps, reportDelivery(43), { serialised: true })).toMatchObject({ claims: 2, firstClaimedAt: T('2026-11-07T09:00:01Z') });
      expect(await transitions.stateOf(deps, lateAnswerDelivery(51))).toMatchObject({ status: 'sent', ts: '1762430400.000700' });
      expect(await transitions.stateOf(deps, lateAnswerDelivery(53))).toBeNull();
      // prompts keep the member's part (expected, skipped, ooo); their DMs, their deliveries
      expect((await database.pool.query('SELECT id, status FROM standup_prompts ORDER BY id')).rows.map((r) => [r.id, r.status])).toEqual([
        [61, 'expected'],
        [62, 'expected'],
        [63, 'expected'],
        [64, 'skipped'],
        [65, 'expected'],
        [66, 'expected'],
        [67, 'ooo'],
      ]);
      expect(await transitions.claim(deps, promptDelivery(62))).toMatchObject({ claims: 2, conversation: null });
      expect(await transitions.claim(deps, promptDelivery(65))).toBeNull();
      expect(await transitions.stateOf(deps, promptDelivery(63))).toMatchObject({ status: 'sent', conversation: 'D03' });
      expect(await transitions.stateOf(deps, blockerMessageDelivery(7))).toMatchObject({ status: 'sent', ts: '1762423200.000100', permalink: 'https://x.slack.com/archives/C0WS1/p1762423200000100' });
    } finally {
      await database.pool.end();
    }
  });
});
