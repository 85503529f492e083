import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { homeModel } from '../../../../src/services/home.js';
import { PAGERDUTY_API } from '../../../../src/services/oncall/sources.js';
import { homeView } from '../../../../src/slack/blocks/home.js';
import { registerPreflightCommand } from '../../../../src/slack/commands/preflight.js';
import { boltInProcess } from '../../../support/bolt-in-process.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness, type Process } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

// issue 22: `/preflight oncall [refresh] [id]` and the App Home line; PagerDuty replayed by nock, the clock injected
const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/oncall/${name}`, import.meta.url), 'utf8');
const START = '2026-12-01T15:00:00Z'; // in Ana's PagerDuty shift (until 02:00 UTC), Ben's next
const YAML = aConfig({
  program: {
    name: 'Launch',
    oncall: {
      omega: { name: 'Omega', pagerduty: { schedule: 'PABC123' } },
      web: { name: 'Web', members: ['U0LEAD', 'U01'], handoff: 'Mon 09:00', shift: '24h', zone: 'Europe/Berlin', start: '2026-11-30' },
    },
  },
  workstreams: [aWorkstream({ members: ['U01', { id: 'U0ANA', timezone: 'Asia/Tokyo' }] })],
});

describe('/preflight oncall and the App Home line', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  let bot: Process;
  const slack = nockSlack();
  slack.usersByEmail.set('ana@example.com', 'U0ANA');
  slack.usersByEmail.set('ben@example.com', 'U0BEN');
  beforeAll(async () => {
    vi.stubEnv('PAGERDUTY_TOKEN', 'pd-test-token');
    h = await harness(YAML, START);
    bot = await h.process({ workers: false });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await h.cleanup();
    slack.done();
  });
  const app = () => boltInProcess((a) => registerPreflightCommand(a, { deps: bot.deps, redis: null as never, keyPrefix: 'unused' }));

  it('before any read: the feed rotation is not known yet, the in-config one is', async () => {
    const r = await app().command('/preflight', 'oncall', 'U01');
    expect(r).toMatchObject({ response_type: 'ephemeral' });
    expect(r.text).toContain('📟 *Omega* (`omega`, per PagerDuty): no rotation known yet');
    // Tue 1 Dec: the second 24 h shift from Mon 30 Nov 09:00 Berlin, so U01's, until Wed 09:00 Berlin (08:00 UTC)
    expect(r.text).toContain(`📟 *Web* (\`web\`, per the rotation in preflight.yml): on call now: <@U01> until <!date^${Date.parse('2026-12-02T08:00:00Z') / 1000}^`);
  });

  it('refresh reads the feed (ack first, answer after), then shows now and next with hand-offs as Slack dates in the viewer’s zone', async () => {
    nock(PAGERDUTY_API).get('/oncalls').query(true).reply(200, fixture('pagerduty-oncalls.json'));
    expect(await app().command('/preflight', 'oncall refresh omega', 'U0ANA')).toMatchObject({ text: 'Reading the on-call feeds…' });
    const [answer] = slack.of('response_url');
    const text = String(answer!.args.text);
    expect(text).toContain(`on call now: <@U0ANA> until <!date^${Date.parse('2026-12-02T02:00:00Z') / 1000}^{date_short_pretty} {time}|Wed 2 Dec 11:00 GMT+9>`);
    expect(text).toContain(`next: <@U0BEN> from <!date^${Date.parse('2026-12-02T02:00:00Z') / 1000}^`);
    expect(text).toContain('🔄 Read just now: 2 shifts');
    expect(text).not.toContain('*Web*');
  });

  it('App Home: "You are on call for Omega until …"', async () => {
    const view = JSON.stringify(homeView(await homeModel(bot.deps, 'U0ANA')).blocks);
    expect(view).toContain(`📟 You are on call for *Omega* until <!date^${Date.parse('2026-12-02T02:00:00Z') / 1000}^{date_short_pretty} {time}|Wed 2 Dec 11:00 GMT+9> per PagerDuty`);
    expect(JSON.stringify(homeView(await homeModel(bot.deps, 'U0BEN')).blocks)).not.toContain('You are on call');
  });

  it('a mistake says what to write', async () => {
    const r = await app().command('/preflight', 'oncall omgea', 'U01');
    expect(JSON.stringify(r)).toContain('There is no rotation `omgea`. Rotations: omega, web.');
  });
});
