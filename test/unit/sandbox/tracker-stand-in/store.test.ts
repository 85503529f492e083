import { describe, expect, it } from 'vitest';
import { TrackerStore } from '../../../../sandbox/tracker-stand-in/store.js';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const sources = [
  { kind: 'jira' as const, key: 'LAUNCH', count: 40 },
  { kind: 'github' as const, key: 'acme/launch', count: 40 },
];

describe('TrackerStore', () => {
  it('generates the same issues from the same seed, and other issues from another seed', () => {
    const a = new TrackerStore({ sources, seed: 7, now: () => NOW });
    const b = new TrackerStore({ sources, seed: 7, now: () => NOW });
    const c = new TrackerStore({ sources, seed: 8, now: () => NOW });
    expect(b.sources).toEqual(a.sources);
    expect(c.sources[0]!.issues.map((i) => i.title)).not.toEqual(a.sources[0]!.issues.map((i) => i.title));
    // blockers always point at an earlier issue of the same source
    for (const s of a.sources) for (const i of s.issues) for (const n of i.blockedBy) expect(n).toBeLessThan(i.number);
  });

  it('tells a Jira key from a GitHub repository of the same name, and emits one change per edit with what changed', () => {
    let t = NOW;
    const store = new TrackerStore({ sources, now: () => t });
    const changes: { key: string; fields: string[] }[] = [];
    store.changes.on('change', (c) => changes.push({ key: `${c.source.key}#${c.issue.number}`, fields: c.fields }));
    expect(store.find('LAUNCH-3').issue.assignee).not.toBeNull(); // every 7th issue is unassigned
    t += 60_000;
    store.moveIssue('launch-3', store.find('launch-3').issue.status === 'Done' ? 'To Do' : 'Done');
    store.editIssue('LAUNCH-3', { due: '2026-12-24', assigneeEmail: null });
    store.editIssue('LAUNCH-3', { due: '2026-12-24' });
    expect(changes).toEqual([
      { key: 'acme/launch#3', fields: ['status'] },
      { key: 'LAUNCH#3', fields: ['assignee', 'due'] },
    ]);
    expect(store.find('LAUNCH-3').issue).toMatchObject({ due: '2026-12-24', assignee: null, updatedAt: NOW + 60_000 });
  });

  it('refuses an unknown key, status, assignee or a due that is not a date, naming the key', () => {
    const store = new TrackerStore({ sources, now: () => NOW });
    expect(() => store.moveIssue('NOPE-1', 'Done')).toThrow('no issue NOPE-1 in the tracker stand-in');
    expect(() => store.moveIssue('LAUNCH-1', 'Shipped' as never)).toThrow('LAUNCH-1: status must be one of To Do, In Progress, Done (got "Shipped")');
    expect(() => store.editIssue('LAUNCH-1', { assigneeEmail: 'ghost@example.com' })).toThrow('LAUNCH-1: no person with the email ghost@example.com');
    expect(() => store.editIssue('LAUNCH-1', { due: '24/12/2026' })).toThrow('LAUNCH-1: due must be a date YYYY-MM-DD (got "24/12/2026")');
  });
});
