import { describe, expect, it } from 'vitest';
import { type ConnectRoster, guardDecision, type HomeOrg, requestOrigin } from '../../../../src/slack/middleware/workspace.js';
import { gridBlockActionBody, gridDmEventBody, gridSlashCommandBody, gridViewSubmissionBody } from '../../../support/slack-payloads.js';

// An org E0ACME with two workspaces (T0ACMEUS where the token was installed, T0ACMEEU a sibling), a foreign org
// E0GLOBEX and a stray workspace T0STRAY outside any org. The plan shares C0WS1 with Globex's T0GLOBEX through Slack
// Connect (`slack_connect: [T0GLOBEX]`) and lists W0GLOBEXLISTED; Initech (T0INITECH) is shared with nothing.
const ORG: HomeOrg = { installation: { teamId: 'T0ACMEUS', enterpriseId: 'E0ACME' }, enterpriseId: 'E0ACME' };
const ROSTER: ConnectRoster = { teams: new Set(['T0GLOBEX']), people: new Set(['U0PM', 'U0ANA', 'W0GLOBEXLISTED']) };
const decide = (body: Record<string, unknown>, home: HomeOrg = ORG) => guardDecision(requestOrigin(body), home, ROSTER);
const form = (body: string) => Object.fromEntries(new URLSearchParams(body));
const payload = (body: string) => JSON.parse(decodeURIComponent(body.replace(/^payload=/, '')));

describe('the workspace guard with SLACK_ENTERPRISE_ID (Enterprise Grid)', () => {
  it('serves every workspace of the org: commands, clicks and events', () => {
    expect(decide(form(gridSlashCommandBody({ command: '/gonogo', text: '', userId: 'U0ANA', channelId: 'C0WS2', teamId: 'T0ACMEEU', enterpriseId: 'E0ACME' })))).toEqual({
      kind: 'serve',
      via: 'home',
    });
    expect(decide(payload(gridBlockActionBody({ userId: 'U0ANA', actionId: 'x', value: '1', channelId: 'C0WS1', messageTs: '1.2', teamId: 'T0ACMEUS', enterpriseId: 'E0ACME' })))).toEqual({
      kind: 'serve',
      via: 'home',
    });
    expect(decide(JSON.parse(gridDmEventBody({ eventId: 'Ev1', userId: 'U0ANA', channel: 'D0ANA', text: 'hi', teamId: 'T0ACMEEU', enterpriseId: 'E0ACME' })))).toEqual({ kind: 'serve', via: 'home' });
  });
  it('refuses another org and a stray workspace with the usual refusal', () => {
    expect(decide(form(gridSlashCommandBody({ command: '/gonogo', text: '', userId: 'U0EVE', channelId: 'C0INITECH', teamId: 'T0INITECH', enterpriseId: 'E0INITECH' })))).toEqual({
      kind: 'other-workspace',
    });
    expect(decide(form(gridSlashCommandBody({ command: '/gonogo', text: '', userId: 'U0EVE', channelId: 'C0STRAY', teamId: 'T0STRAY' })))).toEqual({ kind: 'other-workspace' });
    expect(decide(JSON.parse(gridDmEventBody({ eventId: 'Ev2', userId: 'U0EVE', channel: 'D0EVE', text: 'hi', teamId: 'T0INITECH', enterpriseId: 'E0INITECH' })))).toEqual({ kind: 'other-workspace' });
  });
  it("without SLACK_ENTERPRISE_ID, a sibling workspace of a workspace install stays refused only by team (today's rule)", () => {
    const single: HomeOrg = { installation: { teamId: 'T0ACMEUS', enterpriseId: null } };
    expect(decide({ team_id: 'T0ACMEEU', user_id: 'U0ANA', channel_id: 'C0OTHER' }, single)).toEqual({ kind: 'other-workspace' });
    expect(decide({ team_id: 'T0ACMEUS', user_id: 'U0ANA', channel_id: 'C0WS1' }, single)).toEqual({ kind: 'serve', via: 'home' });
  });
  it('a `team:` of the plan counts as home when a request carries no enterprise id', () => {
    expect(decide({ team_id: 'T0ACMEEU', user_id: 'U0ANA', channel_id: 'C0OTHER' }, { ...ORG, teams: new Set(['T0ACMEEU']) })).toEqual({ kind: 'serve', via: 'home' });
    expect(decide({ team_id: 'T0ACMEEU', user_id: 'U0ANA', channel_id: 'C0OTHER' })).toEqual({ kind: 'other-workspace' });
  });
});

describe('Slack Connect: people of another organization in a shared workstream channel', () => {
  const globex = (userId: string, extra: { channelId?: string } = {}) =>
    form(gridSlashCommandBody({ command: '/blocker', text: 'API down P1', userId, channelId: extra.channelId ?? 'C0WS1', teamId: 'T0GLOBEX', enterpriseId: 'E0GLOBEX' }));
  it('serves a listed outsider and refuses an unlisted one', () => {
    expect(decide(globex('W0GLOBEXLISTED'))).toEqual({ kind: 'serve', via: 'slack-connect' });
    expect(decide(globex('W0GLOBEXOTHER'))).toEqual({ kind: 'unlisted-outsider', userId: 'W0GLOBEXOTHER' });
  });
  it('a workspace of an org the plan does not share with is another workspace, listed user or not', () => {
    const initech = (userId: string) => form(gridSlashCommandBody({ command: '/blocker', text: 'x P1', userId, channelId: 'C0WS1', teamId: 'T0INITECH', enterpriseId: 'E0INITECH' }));
    expect(decide(initech('W0GLOBEXLISTED'))).toEqual({ kind: 'other-workspace' });
    expect(decide(initech('U0ANA'))).toEqual({ kind: 'other-workspace' });
  });
  it('an event delivered to home about an outsider in an ext-shared channel (user_team) is judged by the list', () => {
    const ev = (user: string) => ({
      team_id: 'T0ACMEUS',
      enterprise_id: 'E0ACME',
      is_ext_shared_channel: true,
      authorizations: [{ team_id: 'T0ACMEUS', enterprise_id: 'E0ACME', is_enterprise_install: true }],
      event: { type: 'message', user, user_team: 'T0GLOBEX', channel: 'C0WS1' },
    });
    expect(decide(ev('W0GLOBEXLISTED'))).toEqual({ kind: 'serve', via: 'slack-connect' });
    expect(decide(ev('W0GLOBEXOTHER'))).toEqual({ kind: 'unlisted-outsider', userId: 'W0GLOBEXOTHER' });
  });
  it('a click from an outsider (user.team_id of their org) in a shared channel', () => {
    const click = (userId: string) => payload(gridBlockActionBody({ userId, actionId: 'x', value: '1', channelId: 'C0WS1', messageTs: '1.2', teamId: 'T0GLOBEX', enterpriseId: 'E0GLOBEX' }));
    expect(decide(click('W0GLOBEXLISTED'))).toEqual({ kind: 'serve', via: 'slack-connect' });
    expect(decide(click('W0GLOBEXOTHER')).kind).toBe('unlisted-outsider');
  });
});

describe('Slack Connect: a listed outsider in their DM with Preflight and in its forms', () => {
  it("serves the check-in prompt's button in their DM and the form they submit; refuses an unlisted person there", () => {
    const click = (userId: string) =>
      payload(gridBlockActionBody({ userId, actionId: 'standup_open_form', value: '1', channelId: 'D0GLOBEX', messageTs: '1.2', teamId: 'T0GLOBEX', enterpriseId: 'E0GLOBEX' }));
    expect(decide(click('W0GLOBEXLISTED'))).toEqual({ kind: 'serve', via: 'slack-connect' });
    expect(decide(click('W0GLOBEXOTHER'))).toEqual({ kind: 'unlisted-outsider', userId: 'W0GLOBEXOTHER' });
    const submit = (userId: string) => payload(gridViewSubmissionBody({ userId, callbackId: 'standup_form', privateMetadata: '{}', values: {}, teamId: 'T0GLOBEX', enterpriseId: 'E0GLOBEX' }));
    expect(decide(submit('W0GLOBEXLISTED'))).toEqual({ kind: 'serve', via: 'slack-connect' });
    expect(decide(submit('W0GLOBEXOTHER'))).toEqual({ kind: 'unlisted-outsider', userId: 'W0GLOBEXOTHER' });
  });
  it('an ext-shared event about a person of an org the plan does not share with is refused as an outsider', () => {
    const ev = { team_id: 'T0ACMEUS', enterprise_id: 'E0ACME', is_ext_shared_channel: true, event: { type: 'message', user: 'U0ANA', user_team: 'T0INITECH', channel: 'C0WS1' } };
    expect(decide(ev)).toEqual({ kind: 'unlisted-outsider', userId: 'U0ANA' });
  });
});
