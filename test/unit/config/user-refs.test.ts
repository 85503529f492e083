import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseWorkspaceConfig } from '../../../src/config/load.js';
import { mapLeaves, objectKeysAt } from '../../../src/config/schema-walk.js';
import { resolveProgram } from '../../../src/config/resolve.js';
import { emailRefs, emailsByUserId, withUserIds } from '../../../src/config/user-refs.js';
import { userIdSchema, workspaceSchema } from '../../../src/config/workspace.js';

const YAML = `
program: { name: L, timezone: UTC, pm: pm@example.com, execs: [U0EXEC], channel: C0P }
workstreams:
  web:
    name: Web
    channel: C0WEB
    leads: [lead@example.com]
    members: [U01, { id: Ana@Example.com, timezone: Europe/Berlin }]
    checklist: [ "mail ops@example.com about the cut-over" ]
  api: { name: API, channel: C0API, members: [ana@example.com] }
escalation:
  ladders:
    P1: [{ after: 1m, notify: lead }, { after: 2m, notify: [U0EXEC, exec@example.com] }]
gates: [{ id: g, name: G, sign_off: [exec@example.com] }]
`;

describe('people by email in the parsed config', () => {
  const config = parseWorkspaceConfig(YAML, 'preflight.yml');

  it('finds every email where the schema takes a person, with its key path, and no other string', () => {
    expect(emailRefs(config).map((r) => `${r.path.join('.')}=${r.email}`)).toEqual([
      'program.pm=pm@example.com',
      'workstreams.web.leads.0=lead@example.com',
      'workstreams.web.members.1.id=Ana@Example.com',
      'workstreams.api.members.0=ana@example.com',
      'escalation.ladders.P1.1.notify.1=exec@example.com',
      'gates.0.sign_off.0=exec@example.com',
    ]);
  });

  it('replaces them by user ID (case-insensitive addresses) and leaves everything else as parsed', () => {
    const ids = new Map([
      ['pm@example.com', 'U0PM'],
      ['lead@example.com', 'U0LEAD'],
      ['ana@example.com', 'U0ANA'],
      ['exec@example.com', 'U0EXEC2'],
    ]);
    const resolved = withUserIds(config, ids);
    expect(emailRefs(resolved)).toEqual([]);
    expect(resolved.workstreams.web!.members).toEqual(['U01', { id: 'U0ANA', timezone: 'Europe/Berlin' }]);
    expect(resolved.workstreams.web!.checklist).toEqual(['mail ops@example.com about the cut-over']);
    expect(resolved.escalation.ladders.P1).toEqual([
      { after: 60_000, notify: 'lead' },
      { after: 120_000, notify: ['U0EXEC', 'U0EXEC2'] },
    ]);
    expect(resolved.gates[0]!.sign_off).toEqual(['U0EXEC2']);
    expect(config.program.pm).toBe('pm@example.com'); // the input is not modified
  });

  it('tells the people directory who was given by which email (the first one written), and refuses a resolved program', () => {
    const ids = new Map([
      ['pm@example.com', 'U0PM'],
      ['lead@example.com', 'U0LEAD'],
      ['ana@example.com', 'U0ANA'],
      ['exec@example.com', 'U0EXEC2'],
    ]);
    const withIds = withUserIds(config, ids);
    const emails = emailsByUserId(config, withIds);
    expect([...emails]).toEqual([
      ['U0PM', 'pm@example.com'],
      ['U0LEAD', 'lead@example.com'],
      ['U0ANA', 'Ana@Example.com'],
      ['U0EXEC2', 'exec@example.com'],
    ]);
    const program = resolveProgram(withIds, emails);
    expect(program.people.U0ANA).toMatchObject({ email: 'Ana@Example.com', zone: 'Europe/Berlin', memberOf: ['web', 'api'] });
    expect(program.people.U01?.email).toBeUndefined();
    expect(() => withUserIds(program, ids)).toThrow(/before resolveProgram/);
  });

  it('covers a key added later with userIdSchema, however it is wrapped (the walk follows the schema)', () => {
    const extended = z.strictObject({
      checkins: z.strictObject({ owner: userIdSchema.optional(), people: z.array(userIdSchema).default([]), by_team: z.record(z.string(), z.union([userIdSchema, z.array(userIdSchema)])).optional() }),
      note: z.string(),
    });
    const value = extended.parse({ checkins: { owner: 'o@example.com', people: ['U01', 'p@example.com'], by_team: { a: 'a@example.com', b: ['U02', 'b@example.com'] } }, note: 'n@example.com' });
    const found: string[] = [];
    mapLeaves(extended, userIdSchema, value, (leaf, path) => {
      if (typeof leaf === 'string' && leaf.includes('@')) found.push(path.join('.'));
      return leaf;
    });
    expect(found).toEqual(['checkins.owner', 'checkins.people.1', 'checkins.by_team.a', 'checkins.by_team.b.1']);
  });

  it('knows the keys an object accepts at a path (for did-you-mean)', () => {
    expect(objectKeysAt(workspaceSchema, ['workstreams', 'anything', 'standup'])).toEqual(['at', 'remind_after', 'close_after', 'questions', 'enabled']);
    expect(objectKeysAt(workspaceSchema, ['workstreams', 'web', 'members', 3])).toEqual(['id', 'timezone']);
    expect(objectKeysAt(workspaceSchema, ['escalation', 'quiet_hours'])).toEqual(['from', 'to', 'except']);
    expect(objectKeysAt(workspaceSchema, ['program', 'name'])).toBeUndefined();
  });
});
