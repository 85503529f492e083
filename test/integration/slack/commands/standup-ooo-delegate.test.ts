import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberOutOfOffice } from '../../../../src/db/schema/index.js';
import { registerStandupCommand } from '../../../../src/slack/commands/standup.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// Issue 22: `/standup ooo 2026-12-24 delegate:@ben`, as Slack sends it with escaping on (`<@U0BEN|ben>`).
// A fixed clock (Mon 21 Dec 2026, UTC); no workers: the command only writes and answers.
const YAML = aConfig({
  program: { name: 'Launch', delegates: [{ person: 'U01', delegate: 'U0CARL' }] },
  workstreams: [aWorkstream({ members: ['U01', 'U0BEN', 'U0CARL'] })],
});

describe('/standup ooo with a delegate (the command in process; real Postgres)', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  let slack: ReturnType<typeof boltInProcess>;
  const nocked = nockSlack();
  beforeAll(async () => {
    h = await harness(YAML, '2026-12-21T12:00:00Z');
    bot = await h.process({ workers: false });
    slack = boltInProcess((app) => registerStandupCommand(app, { deps: bot.deps, redis: null as never /* not used by /standup ooo */, keyPrefix: 'unused' }));
  });
  afterAll(async () => {
    await h.cleanup();
    nocked.done();
  });

  const row = async (u: string) => (await bot.deps.db.select().from(memberOutOfOffice).where(eq(memberOutOfOffice.userId, u)))[0];

  it('records the delegate named with the mention and says who covers', async () => {
    const answer = await slack.command('/standup', 'ooo 2026-12-24 delegate:<@U0BEN|ben>', 'U01');
    expect(answer.text).toContain('<@U0BEN> gets your escalations meanwhile');
    expect(await row('U01')).toMatchObject({ fromDate: '2026-12-21', untilDate: '2026-12-24', delegate: 'U0BEN' });
  });

  it('falls back to program.delegates, and warns when that delegate is away for the whole span', async () => {
    await slack.command('/standup', 'ooo 2026-12-20 2026-12-31', 'U0CARL');
    const answer = await slack.command('/standup', 'ooo 2026-12-23', 'U01');
    expect(answer.text).toMatch(/<@U0CARL> is away too until .*cannot cover/);
    expect((await row('U01'))?.delegate).toBeNull();
  });

  it('refuses a delegate written without picking the person, and oneself as delegate', async () => {
    expect((await slack.command('/standup', 'ooo 2026-12-24 delegate:@ben', 'U0BEN')).text).toMatch(/delegate:@name/);
    expect((await slack.command('/standup', 'ooo 2026-12-24 delegate:<@U0BEN|ben>', 'U0BEN')).text).toMatch(/cannot be your own delegate/);
    expect(await row('U0BEN')).toBeUndefined();
  });
});
