import { describe, expect, it } from 'vitest';
import { directoryFor } from '../../../../sandbox/workspace/people.js';
import { loadWorkspaceConfig } from '../../../../src/config/load.js';

describe('sample people named after their roles', () => {
  it('names everyone in the phase 11 example by role, once, and every channel', () => {
    const dir = directoryFor(loadWorkspaceConfig('examples/phase11-four-workstreams.preflight.yml'));
    const byId = new Map(dir.people.map((p) => [p.id, p]));
    expect(byId.get('U0PMJOHN')!.name).toBe('Program manager');
    expect(byId.get('U1BRKLEAD')!.name).toBe('Broker Integration lead');
    expect(byId.get('U1BRK001')!.name).toBe('Broker Integration dev 1');
    expect(new Set(dir.people.map((p) => p.id)).size).toBe(dir.people.length);
    expect(dir.people.length).toBeGreaterThan(100);
    expect(dir.channels.map((c) => c.name)).toContain('ws1-blockers');
    expect(dir.people.every((p) => p.zone === 'America/New_York' || p.zone.includes('/'))).toBe(true);
  });
});
