import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { resolveProgram } from '../../../../src/config/resolve.js';
import { removedParticipants } from '../../../../src/services/checkins/removed-participants.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

const plan = resolveProgram(parseWorkspaceConfig(aConfig({ workstreams: [aWorkstream({ members: ['U01'] }), aWorkstream({ id: 'ws2', channel: 'C0WS2', members: ['U02'] })] }), 'preflight.yml'));

describe('removedParticipants', () => {
  it('picks the prompts of people the plan no longer has in that check-in', () => {
    const prompts = [
      { id: 1, userId: 'U01', workstreamId: 'ws1', checkinId: 'standup' },
      { id: 2, userId: 'U02', workstreamId: 'ws1', checkinId: 'standup' },
      { id: 3, userId: 'U02', workstreamId: 'ws2', checkinId: 'standup' },
    ];
    expect(removedParticipants(plan, prompts).map((p) => p.id)).toEqual([2]);
  });

  it('keeps every participant of a check-in the plan no longer schedules', () => {
    expect(removedParticipants(plan, [{ id: 4, userId: 'U09', workstreamId: 'ws1', checkinId: 'midday' }])).toEqual([]);
    expect(removedParticipants(plan, [{ id: 5, userId: 'U09', workstreamId: 'gone', checkinId: 'standup' }])).toEqual([]);
  });
});
