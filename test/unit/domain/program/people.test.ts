import { describe, expect, it } from 'vitest';
import { parseWorkspaceConfig } from '../../../../src/config/load.js';
import { peopleOf, personOf } from '../../../../src/domain/program/people.js';

const config = parseWorkspaceConfig(
  `
program: { name: Launch, timezone: America/New_York, pm: U0PM, channel: C0LAUNCH, groups: { critical: [U0G] } }
workstreams:
  a: { name: A, channel: C0A, members: [U01] }
  b: { name: B, channel: C0B, timezone: Asia/Tokyo, leads: [U01], members: [{ id: U02, timezone: Europe/Paris }] }
  c: { name: C, channel: C0C, timezone: Europe/Berlin, members: [U02], tasks: [{ id: T-1, title: T, owner: U0OWNER }] }
`,
  'preflight.yml',
);

describe('peopleOf', () => {
  it('names everyone the config names, first-named order', () => {
    expect(Object.keys(peopleOf(config))).toEqual(['U01', 'U02', 'U0PM', 'U0G', 'U0OWNER']);
  });

  it('gives a zone: own override, else the first workstream they are in or lead that sets one, else the program’s', () => {
    expect(personOf(config, 'U01').zone).toBe('Asia/Tokyo');
    expect(personOf(config, 'U02').zone).toBe('Europe/Paris');
    expect(personOf(config, 'U0G').zone).toBe('America/New_York');
  });

  it('answers for someone the config does not name: no workstream, no role, the program’s zone', () => {
    expect(personOf(config, 'U0STRANGER')).toEqual({ userId: 'U0STRANGER', zone: 'America/New_York', memberOf: [], leads: [], roles: [] });
  });

  it('is worked out once per config', () => {
    expect(peopleOf(config)).toBe(peopleOf(config));
  });
});
