import { describe, expect, it } from 'vitest';
import { jiraInstant, jiraPriority, mapJiraIssue, requestedFields } from '../../../../../src/services/trackers/jira/mapping.js';
import { fixture, jiraSource, SITE } from './jira-fixtures.js';

describe('mapJiraIssue (a recorded GET issue, REST v3)', () => {
  const source = jiraSource();

  it('maps key, title as written, the browse URL, the assignee, the status and the update time', () => {
    const issue = mapJiraIssue(fixture('issue-cloud.json'), source, SITE);
    expect(issue).toMatchObject({
      key: 'LAUNCH-42',
      title: 'Ship the *billing* migration <!channel>',
      url: 'https://acme.atlassian.net/browse/LAUNCH-42',
      assigneeEmail: 'mia@acme.com',
      assigneeName: 'Mia Krystof',
      status: 'In Review',
      done: false,
      priority: 'P0',
      updatedAt: '2026-03-02T09:15:27.123Z',
    });
  });

  it('takes the due date as a date only, for the sync to place at due_hour', () => {
    expect(mapJiraIssue(fixture('issue-cloud.json'), source, SITE).due).toEqual({ date: '2026-03-06' });
  });

  it('takes a configured date-time due_field as an instant with its offset', () => {
    const issue = mapJiraIssue(fixture('issue-cloud.json'), jiraSource({ due_field: 'customfield_10042' }), SITE);
    expect(issue.due).toEqual({ at: '2026-03-06T14:00:00.000+01:00' });
  });

  it('has no due when the field is empty', () => {
    const raw = fixture('issue-cloud.json');
    raw.fields.duedate = null;
    expect(mapJiraIssue(raw, source, SITE).due).toBeNull();
  });

  it('turns the original estimate (seconds) into hours', () => {
    expect(mapJiraIssue(fixture('issue-cloud.json'), source, SITE).estimate).toEqual({ hours: 8 });
  });

  it('falls back to the points field when there is no original estimate, and to none without either', () => {
    const raw = fixture('issue-cloud.json');
    raw.fields.timeoriginalestimate = null;
    expect(mapJiraIssue(raw, jiraSource({ points_field: 'customfield_10016' }), SITE).estimate).toEqual({ points: 5 });
    expect(mapJiraIssue(raw, source, SITE).estimate).toBeNull();
  });

  it('is done exactly when the status category is done, whatever the status is called', () => {
    const raw = fixture('issue-cloud.json');
    raw.fields.status = { name: 'Shipped', statusCategory: { key: 'done', name: 'Done' } };
    expect(mapJiraIssue(raw, source, SITE)).toMatchObject({ status: 'Shipped', done: true });
    raw.fields.status = { name: 'Done-ish', statusCategory: { key: 'indeterminate', name: 'In Progress' } };
    expect(mapJiraIssue(raw, source, SITE)).toMatchObject({ status: 'Done-ish', done: false });
  });

  it('is blocked by the inward side of "Blocks" links only (not the issues it blocks, not "relates to")', () => {
    expect(mapJiraIssue(fixture('issue-cloud.json'), source, SITE).blockedBy).toEqual(['LAUNCH-40']);
  });

  it('reads a hidden email as null and keeps the display name; an unassigned issue has neither', () => {
    const raw = fixture('issue-cloud.json');
    delete raw.fields.assignee.emailAddress;
    expect(mapJiraIssue(raw, source, SITE)).toMatchObject({ assigneeEmail: null, assigneeName: 'Mia Krystof' });
    raw.fields.assignee = null;
    expect(mapJiraIssue(raw, source, SITE)).toMatchObject({ assigneeEmail: null, assigneeName: null });
  });

  it('names the issue and the field when a mapped field is missing', () => {
    const raw = fixture('issue-cloud.json');
    delete raw.fields.status;
    expect(() => mapJiraIssue(raw, source, SITE)).toThrow(/LAUNCH-42: fields\.status/);
  });

  it('asks Jira only for the fields it maps, with the configured due and points fields', () => {
    expect(requestedFields(jiraSource({ due_field: 'customfield_10042', points_field: 'customfield_10016' }))).toEqual([
      'summary',
      'assignee',
      'customfield_10042',
      'timeoriginalestimate',
      'customfield_10016',
      'status',
      'priority',
      'issuelinks',
      'updated',
    ]);
  });
});

describe('jiraPriority', () => {
  it.each([
    ['Highest', 'P0'],
    ['High', 'P0'],
    ['Medium', 'P1'],
    ['Low', 'P2'],
    ['Lowest', 'P2'],
    ['Blocker', 'P0'],
    ['Critical', 'P0'],
    ['Major', 'P1'],
    ['Minor', 'P2'],
    ['Trivial', 'P2'],
  ])('%s → %s', (name, severity) => {
    expect(jiraPriority(name)).toBe(severity);
  });

  it('has none for a custom priority or none at all', () => {
    expect(jiraPriority('Whenever')).toBeNull();
    expect(jiraPriority(undefined)).toBeNull();
  });
});

describe('jiraInstant', () => {
  it('reads REST timestamps (offset without a colon) and epoch ms', () => {
    expect(jiraInstant('2026-03-01T17:02:11.000+0100')).toBe('2026-03-01T17:02:11.000+01:00');
    expect(jiraInstant(Date.UTC(2026, 2, 1, 16, 2, 11))).toBe('2026-03-01T16:02:11.000Z');
    expect(jiraInstant('yesterday')).toBeNull();
  });
});
