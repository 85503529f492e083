import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackApiFake } from '../../../../sandbox/slack-stand-in/web-api.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { channelRefsOf, checkChannels } from '../../../../src/services/workspace/channel-check.js';
import { programTeamArg } from '../../../../src/services/workspace/team.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

const plan = (over: Parameters<typeof aConfig>[0]) => resolveProgram(parseWorkspaceConfig(aConfig(over), 'preflight.yml'));
const TWO_WORKSPACES = {
  program: { channel: 'C0PROG', team: 'T0ACMEUS' },
  workstreams: [
    aWorkstream({ id: 'web', channel: 'C0WEB', blockers_channel: 'C0WEBBLK' }),
    aWorkstream({ id: 'eu', name: 'EU', channel: 'C0EU', team: 'T0ACMEEU', leads: ['U0EULEAD'], members: ['U0EU1'] }),
  ],
};

describe('the start-up channel check (Enterprise Grid)', () => {
  let standIn: SlackApiFake;
  let slack: WebClient;
  beforeAll(async () => {
    const channels = { C0PROG: 'T0ACMEUS', C0WEB: 'T0ACMEUS', C0WEBBLK: 'T0ACMEUS', C0EU: 'T0ACMEEU', C0APAC: 'T0ACMEAPAC' };
    standIn = await new SlackApiFake({ grid: { enterpriseId: 'E0ACME', teams: ['T0ACMEUS', 'T0ACMEEU'], channels } }).start();
    slack = new WebClient('xoxb-test', { slackApiUrl: standIn.url, retryConfig: { retries: 0 } });
  });
  afterAll(() => standIn.stop());

  it('lists every channel with its key path and workspace', () => {
    expect(channelRefsOf(plan(TWO_WORKSPACES))).toEqual([
      { key: 'program.channel', channel: 'C0PROG', team: 'T0ACMEUS' },
      { key: 'workstreams.web.channel', channel: 'C0WEB', team: 'T0ACMEUS' },
      { key: 'workstreams.web.blockers_channel', channel: 'C0WEBBLK', team: 'T0ACMEUS' },
      { key: 'workstreams.eu.channel', channel: 'C0EU', team: 'T0ACMEEU' },
    ]);
  });
  it('passes a program spread over two granted workspaces', async () => {
    expect(await checkChannels(slack, plan(TWO_WORKSPACES), 'preflight.yml')).toEqual({ kind: 'ok' });
  });
  it('names the key and channel Preflight cannot reach, and why', async () => {
    const bad = plan({
      ...TWO_WORKSPACES,
      workstreams: [
        ...TWO_WORKSPACES.workstreams,
        aWorkstream({ id: 'apac', name: 'APAC', channel: 'C0APAC', leads: ['U0APLEAD'], members: ['U0AP1'] }),
        aWorkstream({ id: 'typo', name: 'Typo', channel: 'C0NOPE', team: 'T0ACMEEU', leads: ['U0TLEAD'], members: ['U0T1'] }),
      ],
    });
    const checked = await checkChannels(slack, bad, 'preflight.yml');
    expect(checked.kind).toBe('stop');
    const message = checked.kind === 'stop' ? checked.message : '';
    expect(message.split('\n')).toEqual([
      'Preflight cannot start: preflight.yml names channels the bot cannot reach:',
      '  - workstreams.apac.channel: channel C0APAC (team: T0ACMEUS) is in a workspace Preflight is not granted (team_access_not_granted): an org admin must add Preflight to that workspace',
      "  - workstreams.typo.channel: Preflight cannot see channel C0NOPE (team: T0ACMEEU): check the ID, add Preflight to that channel's workspace (an org admin: Manage apps → Preflight → Add to more workspaces), and invite @Preflight if the channel is private",
    ]);
  });
  it('a channel given the wrong team: is named with the workspace Slack places it in', async () => {
    const wrong = plan({ ...TWO_WORKSPACES, workstreams: [aWorkstream({ id: 'eu', name: 'EU', channel: 'C0EU', team: 'T0ACMEUS' })] });
    const checked = await checkChannels(slack, wrong, 'preflight.yml');
    expect(checked.kind === 'stop' && checked.message).toContain('workstreams.eu.channel: channel C0EU is not in workspace T0ACMEUS (Slack places it in T0ACMEEU)');
  });
  it('a war room without program.team is a problem (conversations.create needs team_id of an org-wide app)', async () => {
    const noTeam = plan({ program: { channel: 'C0PROG', war_room: { when: ['no_go'] } }, workstreams: [aWorkstream({ channel: 'C0WEB' })] });
    const checked = await checkChannels(slack, noTeam, 'preflight.yml');
    expect(checked.kind === 'stop' && checked.message).toContain('program.team: give the workspace (T…) where Preflight opens the war room');
    expect(programTeamArg(noTeam)).toEqual({});
    expect(programTeamArg(plan(TWO_WORKSPACES))).toEqual({ team_id: 'T0ACMEUS' });
  });
});
