import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBotToExit } from '../support/bot-process.js';
import { createTestDatabase, uniquePrefix } from '../support/db.js';
import { SlackApiFake } from '../support/slack-api-fake.js';

/*
 * Enterprise Grid set-up mistakes (issue 24), as `npm start` reports them: one message naming what to fix, exit
 * code 1, no stack trace. The fake is an org-wide install in the org E0GLOBEX with workspaces T0GLOBEXUS (granted)
 * and T0GLOBEXAPAC (not granted).
 */
const CONFIG = `
program: { name: Setup, timezone: UTC, pm: U0PM, channel: C0PROG }
workstreams:
  web: { name: Web, channel: C0WEB, members: [U01] }
  apac: { name: APAC, channel: C0APAC, team: T0GLOBEXAPAC, members: [U02] }
`;
const STACK_FRAME = /^\s+at /m;

describe('npm start on Enterprise Grid with a wrong setting', () => {
  let fake: SlackApiFake;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    const grid = { enterpriseId: 'E0GLOBEX', teams: ['T0GLOBEXUS'], channels: { C0PROG: 'T0GLOBEXUS', C0WEB: 'T0GLOBEXUS', C0APAC: 'T0GLOBEXAPAC' } };
    [fake, db] = await Promise.all([new SlackApiFake({ grid }).start(), createTestDatabase()]);
    env = {
      SLACK_BOT_TOKEN: 'xoxb-grid',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: fake.url,
      DATABASE_URL: db.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: uniquePrefix('gridsetup'),
    };
  });
  afterAll(async () => {
    await fake?.stop();
    await db?.drop();
  });

  it('a token of another org than SLACK_ENTERPRISE_ID: one line naming SLACK_ENTERPRISE_ID', async () => {
    const res = await runBotToExit({ ...env, SLACK_ENTERPRISE_ID: 'E0ACME' }, CONFIG);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr.trim()).toBe(
      'Preflight cannot start: SLACK_ENTERPRISE_ID is E0ACME, but SLACK_BOT_TOKEN is installed in the Enterprise Grid org E0GLOBEX (auth.test). Set SLACK_ENTERPRISE_ID to E0GLOBEX, or use the bot token of the app installed org-wide in E0ACME.',
    );
    expect(res.stdout + res.stderr).not.toMatch(STACK_FRAME);
  }, 90_000);

  it('a channel in a workspace the app is not granted: names the key and the channel', async () => {
    const res = await runBotToExit({ ...env, SLACK_ENTERPRISE_ID: 'E0GLOBEX' }, CONFIG);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stderr).toContain('names a channel the bot cannot reach:');
    expect(res.stderr).toContain('workstreams.apac.channel: channel C0APAC (team: T0GLOBEXAPAC) is in a workspace Preflight is not granted (team_access_not_granted)');
    expect(res.stdout + res.stderr).not.toMatch(STACK_FRAME);
  }, 90_000);
});
