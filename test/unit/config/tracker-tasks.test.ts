import { afterEach, describe, expect, it } from 'vitest';
import { type ConfigError, parseWorkspaceConfig } from '../../../src/config/load.js';
import { addTrackerTasks, rawTrackerSources, type StoredTrackerIssue, trackerSourceLabel } from '../../../src/config/tracker-tasks.js';
import type { TrackerIssue } from '../../../src/domain/trackers/tracker-issue.js';
import { aConfig, aWorkstream } from '../../support/config-factories.js';

const issue = (key: string, over: Partial<TrackerIssue> = {}): TrackerIssue => ({
  key,
  title: `Issue ${key}`,
  url: `https://acme.atlassian.net/browse/${key}`,
  assigneeEmail: null,
  assigneeName: null,
  due: null,
  estimate: null,
  status: 'To Do',
  done: false,
  priority: null,
  blockedBy: [],
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});

const YAML = aConfig({
  program: { timezone: 'America/New_York' },
  workstreams: [
    aWorkstream({
      id: 'omega',
      timezone: 'Europe/Berlin',
      leads: ['U0LEAD'],
      tasks: [{ id: 'O-1', title: 'MongoDB', owner: 'U01' }],
      tasks_from: [{ jira: { site: 'https://acme.atlassian.net', jql: 'project = LAUNCH AND labels = omega', token_env: 'JIRA_TOKEN', due_hour: '15:00', hours_per_point: 3 } }],
    }),
  ],
});
const ctx = { userIdByEmail: new Map([['ana@acme.com', 'U0ANA']]), file: 'preflight.yml' };
const stored = (...issues: TrackerIssue[]): StoredTrackerIssue[] => issues.map((i) => ({ sourceId: 'omega/0', issue: i }));
const parse = (rows: StoredTrackerIssue[], yaml = YAML) => parseWorkspaceConfig(yaml, 'preflight.yml', (raw) => addTrackerTasks(raw, rows, ctx));
const problems = (rows: StoredTrackerIssue[], yaml = YAML) => {
  try {
    parse(rows, yaml);
    return [];
  } catch (err) {
    return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
};

describe('tracker issues become tasks of the plan (issue 21)', () => {
  it('labels each source as people name it', () => {
    expect(trackerSourceLabel('jira', { site: 'https://acme.atlassian.net', jql: 'project = launch AND labels = omega' })).toBe('Jira LAUNCH');
    expect(trackerSourceLabel('jira', { site: 'https://jira.acme.internal', jql: 'labels = omega' })).toBe('Jira jira.acme.internal');
    expect(trackerSourceLabel('linear', { team: 'ENG', project: 'Launch' })).toBe('Linear ENG / Launch');
    expect(trackerSourceLabel('github', { repo: 'acme/launch' })).toBe('GitHub acme/launch');
    expect(trackerSourceLabel('github', { project: 'acme/5' })).toBe('GitHub project acme/5');
    expect(rawTrackerSources({ workstreams: { omega: { tasks_from: [{ linear: { team: 'ENG' } }] } } })).toMatchObject([{ sourceId: 'omega/0', kind: 'linear', label: 'Linear ENG' }]);
  });

  it('maps key, title, owner by email, due at due_hour in the program zone, points × hours_per_point, priority, link and source', () => {
    const cfg = parse(stored(issue('LAUNCH-42', { title: '  Email <!channel>  ', assigneeEmail: 'Ana@Acme.com', due: { date: '2026-12-07' }, estimate: { points: 2 }, priority: 'P0' })));
    const task = cfg.workstreams.omega!.tasks.find((t) => t.id === 'LAUNCH-42');
    // 15:00 in New York is 21:00 in Berlin (the workstream's zone, in which `due` is written)
    expect(task).toMatchObject({
      id: 'LAUNCH-42',
      title: 'Email <!channel>',
      owner: 'U0ANA',
      due: '2026-12-07T21:00',
      estimate: 6,
      priority: 'P0',
      priority_given: true,
      url: 'https://acme.atlassian.net/browse/LAUNCH-42',
      source: { tracker: 'jira', label: 'Jira LAUNCH' },
    });
    expect(task).not.toHaveProperty('owner_unmatched');
    expect(cfg.workstreams.omega!.tasks.map((t) => t.id)).toEqual(['O-1', 'LAUNCH-42']);
  });

  it('gives a task whose assignee is not in Slack to the first lead with owner_unmatched, an unassigned one to the lead alone', () => {
    const cfg = parse(stored(issue('LAUNCH-1', { assigneeEmail: 'bo@acme.com' }), issue('LAUNCH-2')));
    const [a, b] = ['LAUNCH-1', 'LAUNCH-2'].map((id) => cfg.workstreams.omega!.tasks.find((t) => t.id === id));
    expect(a).toMatchObject({ owner: 'U0LEAD', owner_unmatched: 'bo@acme.com' });
    expect(b).toMatchObject({ owner: 'U0LEAD' });
    expect(b).not.toHaveProperty('owner_unmatched');
  });

  it('keeps an instant due as is, in the workstream zone, and hours estimates as hours', () => {
    const cfg = parse(stored(issue('LAUNCH-3', { due: { at: '2026-12-07T09:30:00-05:00' }, estimate: { hours: 2.5 } })));
    expect(cfg.workstreams.omega!.tasks.find((t) => t.id === 'LAUNCH-3')).toMatchObject({ due: '2026-12-07T15:30', estimate: 2.5 });
  });

  it('turns blockedBy into requires, only for keys that are tasks of the plan', () => {
    const cfg = parse(stored(issue('LAUNCH-5', { blockedBy: ['LAUNCH-4', 'LAUNCH-99', 'O-1'] }), issue('LAUNCH-4')));
    expect(cfg.workstreams.omega!.tasks.find((t) => t.id === 'LAUNCH-5')?.requires).toEqual(['LAUNCH-4', 'O-1']);
  });

  it('names both places when a key is also a task id of the file', () => {
    const yaml = YAML.replace('id: O-1', 'id: LAUNCH-42');
    expect(problems(stored(issue('LAUNCH-42')), yaml)).toEqual([
      "workstreams.omega.tasks_from.0: task id LAUNCH-42 is in preflight.yml (workstreams.omega.tasks[0]) and in Jira LAUNCH; rename one, or narrow the source's filter",
    ]);
  });

  it('leaves out the rows of a source no longer configured', () => {
    const cfg = parse([{ sourceId: 'omega/1', issue: issue('LAUNCH-7') }]);
    expect(cfg.workstreams.omega!.tasks.map((t) => t.id)).toEqual(['O-1']);
  });

  describe('memory: a plan of thousands of tracker tasks', () => {
    const Original = Intl.DateTimeFormat;
    afterEach(() => {
      Intl.DateTimeFormat = Original;
    });

    it('builds a handful of ICU date formatters, not one per task (each is native memory the GC does not see: ~50 MB per reload of 5,000 tasks)', () => {
      let built = 0;
      Intl.DateTimeFormat = new Proxy(Original, {
        construct(target, args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
          built++;
          return new target(...args);
        },
        apply(target, _this, args: Parameters<typeof Intl.DateTimeFormat>) {
          built++;
          return target(...args);
        },
      });
      const rows = stored(...Array.from({ length: 2_000 }, (_, i) => issue(`LAUNCH-${i + 1}`, { due: { date: '2026-03-02' } })));
      const cfg = parse(rows);
      expect(cfg.workstreams.omega!.tasks).toHaveLength(2_001);
      expect(built).toBeLessThan(50);
    });

    it('builds a handful of ICU collators, not one per comparison (natural task-id order shares one, domain/tasks/task-id-order.ts)', () => {
      const OriginalCollator = Intl.Collator;
      const originalCompare = String.prototype.localeCompare;
      let built = 0;
      // a localeCompare given locales or options builds an ICU collator per call, as `new Intl.Collator` does
      let comparedWithOptions = 0;
      try {
        Intl.Collator = new Proxy(OriginalCollator, {
          construct(target, args: ConstructorParameters<typeof Intl.Collator>) {
            built++;
            return new target(...args);
          },
          apply(target, _this, args: Parameters<typeof Intl.Collator>) {
            built++;
            return target(...args);
          },
        });
        String.prototype.localeCompare = function (this: string, that: string, ...rest: unknown[]) {
          if (rest.length) comparedWithOptions++;
          return originalCompare.call(this, that, ...(rest as [string?, Intl.CollatorOptions?]));
        };
        const rows = stored(...Array.from({ length: 2_000 }, (_, i) => issue(`LAUNCH-${2_000 - i}`, { due: { date: '2026-03-02' } })));
        const cfg = parse(rows);
        const ids = cfg.workstreams.omega!.tasks.map((t) => t.id);
        expect(ids).toHaveLength(2_001);
        expect(ids.slice(0, 4)).toEqual(['O-1', 'LAUNCH-1', 'LAUNCH-2', 'LAUNCH-3']); // natural order: LAUNCH-9 before LAUNCH-10
        expect(ids.indexOf('LAUNCH-9')).toBeLessThan(ids.indexOf('LAUNCH-10'));
        expect(built).toBeLessThan(50);
        expect(comparedWithOptions).toBeLessThan(50);
      } finally {
        Intl.Collator = OriginalCollator;
        String.prototype.localeCompare = originalCompare;
      }
    });
  });
});
