import { describe, expect, it } from 'vitest';
import { githubIssueKey, issueNumberOfKey, mapRestIssue, priorityOf, priorityOfLabels, restIssueSchema } from '../../../../../src/services/trackers/github/mapping.js';
import { issueRow } from './fixtures.js';

describe('githubIssueKey', () => {
  it('is <repo name>-<number>', () => {
    expect(githubIssueKey('launch', 42)).toBe('launch-42');
  });

  it('sanitises a repository name to the task-id rule', () => {
    expect(githubIssueKey('web.app', 7)).toBe('web-app-7');
    expect(githubIssueKey('.github', 3)).toBe('github-3');
    expect(githubIssueKey('2024', 3)).toBe('gh-3');
    const long = githubIssueKey('a'.repeat(60), 12345);
    expect(long).toHaveLength(40);
    expect(long.endsWith('-12345')).toBe(true);
    expect(long).toMatch(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/);
  });

  it('gives back the issue number', () => {
    expect(issueNumberOfKey(githubIssueKey('web.app', 7))).toBe(7);
    expect(issueNumberOfKey('launch')).toBeNull();
  });
});

describe('priority', () => {
  it('reads P0/P1/P2 and priority: labels, the most severe winning', () => {
    expect(priorityOfLabels(['bug', 'P2', 'p1'])).toBe('P1');
    expect(priorityOfLabels(['priority: high'])).toBe('P0');
    expect(priorityOfLabels(['priority/medium'])).toBe('P1');
    expect(priorityOfLabels(['Priority: Low'])).toBe('P2');
    expect(priorityOfLabels(['high', 'bug'])).toBeNull();
    expect(priorityOfLabels([])).toBeNull();
  });

  it('reads a Projects Priority option, bare words included', () => {
    expect(priorityOf('Urgent', { bare: true })).toBe('P0');
    expect(priorityOf('P2 - nice to have', { bare: true })).toBe('P2');
    expect(priorityOf('someday', { bare: true })).toBeNull();
  });
});

describe('mapRestIssue', () => {
  const map = (over: Record<string, unknown> = {}) => mapRestIssue('launch', restIssueSchema.parse(issueRow(1347, over)), []);

  it('maps the documented issue: title, link, assignee login without email, milestone due date, open', () => {
    expect(map()).toEqual({
      key: 'launch-1347',
      title: 'Task 1347',
      url: 'https://github.com/acme/launch/issues/1347',
      assigneeEmail: null,
      assigneeName: 'octocat',
      due: { date: '2012-10-09' },
      estimate: null,
      status: 'open',
      done: false,
      priority: null,
      blockedBy: [],
      updatedAt: '2011-04-22T13:33:48Z',
    });
  });

  it("takes the first assignee's public email when GitHub sends one", () => {
    const issue = map({ assignees: [{ login: 'ana', email: 'ana@acme.com' }, { login: 'bo' }] });
    expect(issue.assigneeEmail).toBe('ana@acme.com');
    expect(issue.assigneeName).toBe('ana');
  });

  it('is unassigned and without due when the issue has no assignee or milestone', () => {
    const issue = map({ assignee: null, assignees: [], milestone: null });
    expect(issue.assigneeName).toBeNull();
    expect(issue.due).toBeNull();
  });

  it('is done when closed as completed, and when closed as not planned (status says so)', () => {
    expect(map({ state: 'closed', state_reason: 'completed' })).toMatchObject({ done: true, status: 'closed' });
    expect(map({ state: 'closed', state_reason: 'not_planned' })).toMatchObject({ done: true, status: 'closed (not planned)' });
    expect(map({ state: 'open', state_reason: 'reopened' })).toMatchObject({ done: false, status: 'open' });
  });

  it('takes the priority from labels', () => {
    expect(map({ labels: [{ name: 'omega' }, { name: 'P0' }] }).priority).toBe('P0');
  });
});
