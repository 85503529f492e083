import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUESTIONS } from '../../../../src/config/workspace.js';
import { buildReport } from '../../../../src/domain/checkins/report.js';
import { buildDigest } from '../../../../src/domain/digest/digest.js';
import { verdict } from '../../../../src/domain/gonogo/verdict.js';
import type { Task } from '../../../../src/domain/tasks/tasks.js';
import { escalationDm, type BlockerView } from '../../../../src/slack/blocks/blocker.js';
import { digestMessage } from '../../../../src/slack/blocks/digest.js';
import { gonogoSummaryMessage } from '../../../../src/slack/blocks/gonogo.js';
import { blockProblems } from '../../../../src/slack/blocks/limits.js';
import { taskShowMessage } from '../../../../src/slack/blocks/replan.js';
import { promptTasksBlock } from '../../../../src/slack/blocks/standup-dm.js';
import { standupReportMessage } from '../../../../src/slack/blocks/standup-report.js';
import { taskStartMessage } from '../../../../src/slack/blocks/task-start.js';
import { myTasksMessage, taskLine, workstreamTasksMessage } from '../../../../src/slack/blocks/tasks.js';
import { escapeLinkUrl, taskRef } from '../../../../src/slack/blocks/text.js';
import { staleTrackersBlock } from '../../../../src/slack/blocks/trackers.js';

/*
 * Issue 21 across the renderers: a task's id links to its `url`, an assignee not in Slack reads "owner not in Slack
 * (email)", and a title from a tracker (markdown, mentions, `<!channel>`, links, `&`) is shown as text everywhere.
 */

const HOSTILE = '*Fix* <!channel> <!here> <@U123> <https://evil.example|click> & _more_ > done';
/** The hostile title as mrkdwn must show it: every `&`, `<`, `>` escaped, so nothing is live. */
const SHOWN = '*Fix* &lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp; _more_ &gt; done';
const URL = 'https://acme.atlassian.net/browse/LAUNCH-42';
const LINK = `<${URL}|LAUNCH-42>`;

const NOW = Date.UTC(2026, 10, 13, 19, 5); // 14:05 in New York
const task = (over: Partial<Task> = {}): Task => ({
  id: 'LAUNCH-42',
  workstreamId: 'omega',
  title: HOSTILE,
  owner: 'U0LEAD',
  dueAt: NOW - 3_600_000,
  estimate: 2,
  priority: 'P1',
  requires: [],
  done: false,
  progress: 40,
  url: URL,
  source: 'Jira LAUNCH',
  ownerUnmatched: 'ana@acme.com',
  ...over,
});
const json = (v: unknown) => JSON.stringify(v);
/** Every live token a hostile text could form (the renderers' own links and mentions are checked separately). */
const LIVE = ['<!channel>', '<!here>', '<@U123>', '<https://evil.example'];
const noLive = (s: string) => {
  for (const token of LIVE) expect(s).not.toContain(token);
};

describe('task links and owners not in Slack (issue 21)', () => {
  it('taskRef links the id to the url, makes a url with | or > safe, and is the escaped id without a url', () => {
    expect(taskRef({ id: 'LAUNCH-42', url: URL })).toBe(LINK);
    expect(taskRef({ id: 'O-1', url: null })).toBe('O-1');
    expect(taskRef({ id: 'O<1>', url: undefined })).toBe('O&lt;1&gt;');
    expect(taskRef({ id: 'X-1', url: 'https://x.example/a?b=1&c=2|<x>' })).toBe('<https://x.example/a?b=1&amp;c=2%7C%3Cx%3E|X-1>');
    expect(escapeLinkUrl('https://x.example/a b"c')).toBe('https://x.example/a%20b%22c');
  });

  it('/task list: the linked id, the title as text and "owner not in Slack (email)" instead of a mention', () => {
    const line = taskLine({ task: task(), status: { kind: 'overdue', byMs: 3_600_000 } }, 'America/New_York', { owner: true });
    expect(line).toBe(`⚠️ *${LINK}* ${SHOWN} · P1 · 2h · owner not in Slack (ana@acme.com) · due Fri 13 Nov 13:05 · 40% · *overdue* by 1h`);
    noLive(line);
    // a task of preflight.yml: no link, the owner mentioned as before
    expect(taskLine({ task: task({ url: null, ownerUnmatched: null, source: null, title: 'Plain' }), status: { kind: 'open' } }, 'UTC', { owner: true })).toBe(
      '▫️ *LAUNCH-42* Plain · P1 · 2h · <@U0LEAD> · due Fri 13 Nov 18:05 · 40%',
    );
    const list = workstreamTasksMessage({ ok: true, workstreamId: 'omega', name: 'Omega', zone: 'UTC', percent: 10, lines: [{ task: task(), status: { kind: 'open' } }] });
    expect(json(list.blocks)).toContain(LINK);
    noLive(json(list.blocks));
  });

  it('/task (mine, as the lead who stands in): the owner not in Slack is named; the notification text is escaped too', () => {
    const m = myTasksMessage({ userId: 'U0LEAD', zone: 'UTC', lines: [{ task: task(), status: { kind: 'open' }, slot: 'NOW' }] });
    expect(json(m.blocks)).toContain(`*NOW* *${LINK}* ${SHOWN}`);
    expect(json(m.blocks)).toContain('owner not in Slack (ana@acme.com)');
    noLive(json(m));
    expect(blockProblems(m.blocks, 'message')).toEqual([]);
  });

  it('/task show: the link and the source under the header, the owner not in Slack and who is told instead', () => {
    const m = taskShowMessage({ ok: true, task: task(), status: { kind: 'open' }, workstreamName: 'Omega', zone: 'America/New_York', changes: [] });
    const section = (m.blocks[1] as { text: { text: string } }).text.text;
    expect(section.split('\n')).toEqual([
      '*Omega*',
      `🔗 ${LINK} · from Jira LAUNCH`,
      'Owner owner not in Slack (ana@acme.com), told to <@U0LEAD> (lead) · due Fri 13 Nov 13:05 (America/New_York) · 2h · P1',
      'Requires: nothing',
      'Status: 40%',
    ]);
    // the header is plain_text (never parsed for mentions); the fallback text is escaped
    expect((m.blocks[0] as { text: { type: string } }).text.type).toBe('plain_text');
    noLive(m.text);
    const plain = taskShowMessage({ ok: true, task: task({ url: null, source: null, ownerUnmatched: null }), status: { kind: 'open' }, workstreamName: 'Omega', zone: 'UTC', changes: [] });
    expect((plain.blocks[1] as { text: { text: string } }).text.text).not.toContain('🔗');
    expect((plain.blocks[1] as { text: { text: string } }).text.text).toContain('Owner <@U0LEAD> · ');
  });

  it('the check-in prompt lists the linked id and the title as text', () => {
    const block = promptTasksBlock([{ id: 'LAUNCH-42', title: HOSTILE, progress: 40, dueLocal: 'Fri 13 Nov 13:05', waitingOn: [], url: URL }]);
    expect(json(block)).toContain(`• *${LINK}* ${SHOWN} · 40% · due Fri 13 Nov 13:05`);
    noLive(json(block));
  });

  it('"can start" DM: the linked id and the title as text', () => {
    const m = taskStartMessage({ taskId: 'LAUNCH-42', title: HOSTILE, requires: ['LAUNCH-41'], url: URL });
    expect(m.text).toBe(`▶️ *${LINK}* “${SHOWN}” can start now: LAUNCH-41 is done. \`/task\` shows your queue.`);
  });

  it('the report’s "expected by now" lines: linked id, title as text, owner not in Slack', () => {
    const model = buildReport({
      workstreamName: 'Omega',
      localDate: '2026-11-13',
      zone: 'America/New_York',
      openAt: DateTime.fromMillis(NOW - 7_200_000),
      closeAt: DateTime.fromMillis(NOW + 3_600_000),
      questions: DEFAULT_QUESTIONS,
      status: 'open',
      members: [],
      expected: { total: 2, notDone: [{ id: 'LAUNCH-42', title: HOSTILE, owner: 'U0LEAD', progress: 40, url: URL, ownerUnmatched: 'ana@acme.com' }] },
    });
    const all = json(standupReportMessage(model));
    expect(all).toContain(`• *${LINK}* ${SHOWN} · owner not in Slack (ana@acme.com) · 40%`);
    noLive(all);
  });

  it('a task’s escalation DM names the linked task; the stored text (with the title) stays text', () => {
    const v: BlockerView = {
      id: 7,
      severity: 'P1',
      status: 'open',
      text: `Task LAUNCH-42 “${HOSTILE}” is not done (40%). Its assignee is not in Slack (ana@acme.com), so it comes to the lead.`,
      reporter: 'U0PM',
      owner: 'U0LEAD',
      workstreamName: 'Omega',
      gateId: null,
      task: { id: 'LAUNCH-42', url: URL },
      raisedAt: Math.floor(NOW / 1000) - 60,
      levelsDone: 1,
      lastLevel: { level: 0, attempt: 0, to: ['U0LEAD'], skipped: null },
      policy: { ladder: [{ afterMs: 0, notify: 'lead' }], stopWhen: 'resolved' },
      acknowledgedBy: [],
      snoozedUntil: null,
      resolvedBy: null,
      resolvedAt: null,
      permalink: null,
      dueAt: Math.floor(NOW / 1000) - 60,
      snoozeChoices: [900_000],
      now: Math.floor(NOW / 1000),
      zone: 'UTC',
    };
    const dm = escalationDm({ blocker: v, recipient: 'U0LEAD', level: 0, attempt: 0, sentAt: v.now } as Parameters<typeof escalationDm>[0]);
    const all = json(dm);
    expect(all).toContain(`task ${LINK}`);
    expect(all).toContain('Its assignee is not in Slack (ana@acme.com), so it comes to the lead.');
    expect(all).toContain('1. the lead at 0s');
    noLive(all);
  });
});

describe('tracker sources not synced lately (issue 21)', () => {
  const stale = [
    { label: 'Jira LAUNCH', lastSyncedAt: NOW - 20 * 60_000, reason: 'unavailable: 503 <!channel>' },
    { label: 'GitHub acme/launch', lastSyncedAt: NOW - 26 * 3_600_000, reason: 'no sync for 1560 min' },
  ];

  it('one context line per source, time in the program zone, the date when not today, tracker text escaped', () => {
    const block = staleTrackersBlock(stale, NOW, 'America/New_York')!;
    expect(block).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: '⏳ Jira LAUNCH tasks last synced 13:45 — unavailable: 503 &lt;!channel&gt;' },
        { type: 'mrkdwn', text: '⏳ GitHub acme/launch tasks last synced Thu 12 Nov 12:05 — no sync for 1560 min' },
      ],
    });
    expect(staleTrackersBlock([], NOW, 'UTC')).toBeNull();
    const many = staleTrackersBlock(
      Array.from({ length: 14 }, (_, i) => ({ ...stale[0]!, label: `Jira P${i}` })),
      NOW,
      'UTC',
    ) as { elements: { text: string }[] };
    expect(many.elements).toHaveLength(10);
    expect(many.elements[9]!.text).toBe('…and 5 more tracker sources not synced lately');
  });

  it('/gonogo and the digest show the lines; healthy sources (none given) show nothing', () => {
    const input = { gates: [], workstreams: [], blockingBlockers: [], goAtLeast: 100, conditionalAtLeast: 90, now: NOW };
    const g = gonogoSummaryMessage({ programName: 'Launch', zone: 'America/New_York', input, verdict: verdict(input), pm: 'U0PM', now: NOW, staleTrackers: stale });
    expect(json(g.blocks)).toContain('Jira LAUNCH tasks last synced 13:45 — unavailable: 503');
    expect(blockProblems(g.blocks, 'message')).toEqual([]);
    expect(json(gonogoSummaryMessage({ programName: 'Launch', zone: 'UTC', input, verdict: verdict(input), pm: 'U0PM', now: NOW }).blocks)).not.toContain('last synced');
    const d = buildDigest({ programName: 'Launch', zone: 'America/New_York', window: { from: NOW - 86_400_000, to: NOW }, workstreams: [], blockers: [], blockingSeverities: ['P0'] });
    const m = digestMessage({ kind: 'digest', digest: d, comparedWith: null, staleTrackers: stale });
    expect(json(m.blocks)).toContain('GitHub acme/launch tasks last synced Thu 12 Nov 12:05');
    expect(blockProblems(m.blocks, 'message')).toEqual([]);
    expect(json(digestMessage({ kind: 'digest', digest: d, comparedWith: null }).blocks)).not.toContain('last synced');
  });
});
