import { DateTime } from 'luxon';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveStateOrReason, renderPreview } from '../../../../src/cli/preview/run.js';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { createTestDatabase } from '../../../support/db.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// Tuesday 1 Dec 2026 in Berlin; the QA gate is due that afternoon.
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'Europe/Berlin' },
  workstreams: [aWorkstream({ id: 'web', name: 'Web', channel: 'C0WEB', leads: undefined, members: ['U0ANN', 'U0BOB', 'ana@example.com', 'new@example.com'], standup: { at: '10:00' } })],
  gates: [
    { id: 'qa', name: 'QA sign-off', due: '2026-12-01T15:00', sign_off: ['U0QA'] },
    { id: 'sec', name: 'Security', due: '2026-12-01T16:00', sign_off: ['U0SEC'] },
  ],
});
const config = parseWorkspaceConfig(YAML, 'test.yml');

describe('the preview CLI with a live database (real Postgres)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query("INSERT INTO member_out_of_office (user_id, from_date, until_date, set_at) VALUES ('U0BOB', '2026-12-01', '2026-12-01', now())");
    await client.query("INSERT INTO slack_user_emails (email, user_id, resolved_at) VALUES ('ana@example.com', 'U0ANA', now())");
    await client.query("INSERT INTO gate_states (gate_id, status, signed_by, signed_at, updated_at) VALUES ('qa', 'passed', 'U0QA', now(), now())");
    await client.end();
  });
  afterAll(async () => db?.drop());

  it('reads the live state, says what it found, and previews with it', async () => {
    const { live, source, config: resolved } = await liveStateOrReason(config, db.url);
    expect(source).toBe(
      'Live state from the database: 1 out-of-office span, 0 recorded skips, 1 gate(s) passed, 0 failed, 0 open blockers. 1 email not resolved yet (Preflight resolves them when it starts) shown as written.',
    );
    const text = renderPreview(resolved, live, source, { fromDate: '2026-12-01', days: 1, format: 'table', now: DateTime.utc() });
    expect(text).toMatch(/2026-12-01 +web · standup +U0BOB +out of office \(\/standup ooo\)/);
    expect(text).not.toContain('gate qa'); // signed off: no due line, no escalation
    expect(text).toMatch(/16:00 +Tue 16:00 Europe\/Berlin +gate escalation +gate sec +U0SEC/);
    // a person given by email: the user ID Preflight resolved for them (no Slack call); one never resolved, as written
    expect(text).toMatch(/10:00 +Tue 10:00 Europe\/Berlin +prompt +web · standup \(2026-12-01\) +U0ANA/);
    expect(text).toMatch(/10:00 +Tue 10:00 Europe\/Berlin +prompt +web · standup \(2026-12-01\) +new@example\.com/);
    expect(text).not.toContain('ana@example.com');
  });

  it('a database without Preflight’s tables: previews from the config alone, and says why', async () => {
    const { live, source } = await liveStateOrReason(config, db.url.replace(/\/[^/]+$/, '/postgres'));
    expect(live).toBeNull();
    expect(source).toMatch(
      /^Previewing from the config alone: the database at DATABASE_URL could not be read \(relation "slack_user_emails" does not exist\)\. People given by email are shown as written \(2\)\.$/,
    );
  });
  it('applies the overrides made from Slack that the file does not overrule, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-preview-'));
    const file = join(dir, 'preflight.yml');
    writeFileSync(file, YAML);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(
      `INSERT INTO plan_overrides (kind, target, workstream_id, value, file_value, created_by, created_at) VALUES
        ('gate_due', 'sec', NULL, '"2026-12-01T16:30"', '"2026-12-01T16:00"', 'U0PM', now()),
        ('gate_due', 'qa', NULL, '"2026-12-01T17:00"', '"2026-12-01T14:00"', 'U0PM', now())`,
    );
    await client.end();
    try {
      const { live, source, config: resolved } = await liveStateOrReason(config, db.url, file);
      expect(source).toContain('With the 2 overrides made from Slack');
      const text = renderPreview(resolved, live, source, { fromDate: '2026-12-01', days: 1, format: 'table', now: DateTime.utc() });
      // the gate moved from Slack escalates at its new due; the old time is gone
      expect(text).toMatch(/16:30 +Tue 16:30 Europe\/Berlin +gate escalation +gate sec +U0SEC/);
      expect(text).not.toMatch(/16:00 +Tue 16:00 Europe\/Berlin +gate escalation +gate sec/);
      // without the file, as before: the file's own due
      const plain = await liveStateOrReason(config, db.url);
      expect(renderPreview(plain.config, plain.live, plain.source, { fromDate: '2026-12-01', days: 1, format: 'table', now: DateTime.utc() })).toMatch(
        /16:00 +Tue 16:00 Europe\/Berlin +gate escalation +gate sec/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
