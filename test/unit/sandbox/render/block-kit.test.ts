import type { KnownBlock, View } from '@slack/types';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { renderBlocks, renderMessageBody, renderModal } from '../../../../sandbox/render/block-kit.js';
import type { RenderContext } from '../../../../sandbox/render/directory.js';
import { DEFAULT_QUESTIONS } from '../../../../src/config/workspace.js';
import { verdict, type GateFacts, type WorkstreamFacts } from '../../../../src/domain/gonogo/verdict.js';
import { buildReport } from '../../../../src/domain/checkins/report.js';
import { blockerListMessage, blockerMessage, blockerTimelineMessage, escalationDm, type BlockerView } from '../../../../src/slack/blocks/blocker.js';
import { blockerFormView } from '../../../../src/slack/blocks/blocker-form.js';
import { blockerHelpMessage } from '../../../../src/slack/blocks/blocker-help.js';
import { checklistView, gonogoSummaryMessage } from '../../../../src/slack/blocks/gonogo.js';
import { gonogoHistoryMessage } from '../../../../src/slack/blocks/gonogo-history.js';
import { homeView } from '../../../../src/slack/blocks/home.js';
import { standupHelpMessage } from '../../../../src/slack/blocks/standup-help.js';
import { answerRecordedMessage, formLinkMessage, lateAnswerMessage, reminderMessage, standupPromptMessage } from '../../../../src/slack/blocks/standup-dm.js';
import { standupFormView } from '../../../../src/slack/blocks/standup-modal.js';
import { standupReportMessage } from '../../../../src/slack/blocks/standup-report.js';

/*
 * Every message and modal Preflight builds (src/slack/blocks/), built by the real builders from sample models,
 * rendered as the sandbox page shows them.
 */

const NOW = Date.parse('2026-02-04T15:00:00Z');
const names: Record<string, string> = { U0PM: 'Program manager', U0LEAD: 'API lead', U01: 'API dev 1', U02: 'API dev 2' };
const ctx: RenderContext = {
  people: Object.entries(names).map(([id, name]) => ({ id, name })),
  userName: (id) => names[id] ?? id,
  channelName: (id) => (id === 'C0API' ? 'api' : id),
  zone: 'Asia/Tokyo',
  now: NOW,
};

const blocker = (over: Partial<BlockerView> = {}): BlockerView => ({
  id: 42,
  severity: 'P0',
  status: 'open',
  text: 'Staging DB down <script>alert(1)</script> <!channel>',
  reporter: 'U01',
  owner: 'U02',
  workstreamName: 'API',
  gateId: null,
  raisedAt: NOW / 1000 - 600,
  levelsDone: 1,
  lastLevel: { level: 0, attempt: 0, to: ['U0LEAD'], skipped: null },
  policy: {
    ladder: [
      { afterMs: 300_000, notify: 'lead' },
      { afterMs: 900_000, notify: 'pm' },
    ],
    stopWhen: 'resolved',
  },
  acknowledgedBy: ['U0LEAD'],
  snoozedUntil: null,
  resolvedBy: null,
  resolvedAt: null,
  permalink: 'https://example.slack.com/archives/C0BLK/p1',
  dueAt: null,
  snoozeChoices: [900_000, 3_600_000],
  now: NOW / 1000,
  zone: 'Asia/Tokyo',
  ...over,
});

const run = { runId: 7, workstreamName: 'API', localDate: '2026-02-04', closesAtLocal: '12:30 CET' };
const gates: GateFacts[] = [
  { id: 'security', name: 'Security review', mandatory: true, status: 'pending', dueAt: NOW + 3_600_000, signOff: ['U0PM'], signOffRule: 'any_of', signed: [], requires: [], signedBy: null },
];
const workstreams: WorkstreamFacts[] = [
  {
    id: 'api',
    name: 'API',
    checklistDone: 1,
    checklistTotal: 2,
    checklistOpen: ['Load test passed'],
    openBlockers: { P0: 1, P1: 0, P2: 0 },
    oldestOpenBlockerAt: NOW - 600_000,
    standup: { localDate: '2026-02-04', red: 0, yellow: 1, answered: 2, expected: 3 },
    activity: { state: 'active' },
  },
];
const gonogoInput = { gates, workstreams, blockingBlockers: [{ id: 42, severity: 'P0' as const, workstreamId: 'api', gateId: null }], goAtLeast: 100, conditionalAtLeast: 90, now: NOW };

const messages: Record<string, { blocks: KnownBlock[]; text: string }> = {
  'standup prompt': standupPromptMessage(run, DEFAULT_QUESTIONS),
  'standup reminder': reminderMessage(run, DEFAULT_QUESTIONS, 1),
  'answer recorded': answerRecordedMessage(run, 'C0API', false),
  'late answer': lateAnswerMessage('U01', [{ label: 'Today', value: 'Load tests' }], true),
  'form link': formLinkMessage(7, 'Open your form'),
  'standup report': standupReportMessage(
    buildReport({
      workstreamName: 'API',
      localDate: '2026-02-04',
      zone: 'Europe/Berlin',
      openAt: DateTime.fromMillis(NOW),
      closeAt: DateTime.fromMillis(NOW + 3_600_000),
      questions: DEFAULT_QUESTIONS,
      status: 'open',
      members: [
        { userId: 'U01', state: 'answered', answers: { yesterday: 'Rate limiter', today: 'Load tests', blockers: 'Waiting on <creds>', progress: 60, risk: 'yellow' } },
        { userId: 'U02', state: 'waiting' },
      ],
    }),
  ),
  'standup help': standupHelpMessage(),
  'blocker help': blockerHelpMessage('Say what is blocked'),
  'blocker message': blockerMessage(blocker()),
  'escalation DM': escalationDm({ blocker: blocker(), level: 0, attempt: 0, recipient: 'U0LEAD', sentAt: NOW / 1000 }),
  'blocker list': blockerListMessage([{ title: 'Waiting on you', items: [blocker(), blocker({ id: 43, severity: 'P2' })] }]),
  'blocker timeline': blockerTimelineMessage(blocker({ status: 'resolved', resolvedBy: 'U0LEAD', resolvedAt: NOW / 1000 }), [
    { kind: 'raised', actor: 'U01', at: NOW / 1000 - 600, data: {} },
    { kind: 'escalated', actor: null, at: NOW / 1000 - 300, data: { level: 1, levels: 2, to: ['U0LEAD'], age: '5m', attempt: 0 } },
  ]),
  'go/no-go summary': gonogoSummaryMessage({ programName: 'Launch day', zone: 'Europe/Berlin', input: gonogoInput, verdict: verdict(gonogoInput), pm: 'U0PM', now: NOW }),
  'go/no-go history': gonogoHistoryMessage(
    { events: [{ id: 1, kind: 'gate_passed', gateId: 'security', actor: 'U0PM', at: new Date(NOW), data: { note: null } }], checklist: [], older: { events: 1 } },
    { gates: { security: 'Security review' }, workstreams: { api: 'API' }, zone: 'Asia/Tokyo' },
    { older: true },
  ),
};

const modals: Record<string, View> = {
  'standup form': standupFormView({
    runId: 7,
    workstreamName: 'API',
    dayLabel: 'Wed 4 Feb',
    closesAtLocal: '12:30 CET',
    questions: DEFAULT_QUESTIONS,
    initial: { yesterday: 'Rate limiter', progress: 40, risk: 'green' },
    editing: true,
    late: false,
  }),
  'blocker form': blockerFormView({
    workstreams: [{ id: 'api', name: 'API' }],
    defaultWorkstream: 'api',
    defaultSeverity: 'P1',
    gates: [{ id: 'security', name: 'Security review' }],
    channelId: 'C0API',
  }),
  'checklist form': checklistView({
    workstreamId: 'api',
    workstreamName: 'API',
    items: [
      { item: 'Load test passed', checked: true },
      { item: 'Runbook <b>reviewed</b>', checked: false },
    ],
  }),
};

type AnyObj = Record<string, any>;
const elementsOf = (blocks: AnyObj[]) => blocks.flatMap((b) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : []), ...(b.element ? [b.element] : [])]) as AnyObj[];
const escapeForHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** What holds for any Block Kit rendered faithfully: every block and element shown, no raw markup left. */
function expectFaithful(blocks: AnyObj[], html: string) {
  expect(html).not.toMatch(/class="unsupported"/);
  expect(html).not.toMatch(/<script|<b>reviewed/);
  expect(html).not.toMatch(/&lt;[@#]|&lt;!date|<@|<!date/); // mentions and dates resolved, none left as raw tokens (user text's &lt;!channel&gt; stays text)
  expect((html.match(/class="bk-header"/g) ?? []).length).toBe(blocks.filter((b) => b.type === 'header').length);
  expect((html.match(/class="bk-divider"/g) ?? []).length).toBe(blocks.filter((b) => b.type === 'divider').length);
  for (const el of elementsOf(blocks)) {
    if (el.type === 'button') expect(html).toContain(`>${escapeForHtml(el.text.text)}</button>`);
    if (el.action_id && ['button', 'overflow', 'static_select'].includes(el.type) && !blocks.some((b) => b.element === el)) expect(html).toContain(`&quot;action_id&quot;:&quot;${el.action_id}&quot;`);
    for (const o of (el.options ?? []) as AnyObj[]) expect(html).toContain(escapeForHtml(o.text.text));
  }
}

describe('Block Kit → HTML for every message Preflight builds', () => {
  for (const [name, message] of Object.entries(messages)) {
    it(name, () => {
      const html = renderMessageBody(message, ctx);
      expectFaithful(message.blocks as AnyObj[], html);
    });
  }

  it('the blocker message: mentions as names, its text escaped, buttons with their styles and values, dates in the viewer’s zone', () => {
    const html = renderMessageBody(blockerMessage(blocker()), ctx);
    expect(html).toContain('@API dev 1');
    expect(html).toContain('Staging DB down &lt;script&gt;alert(1)&lt;/script&gt; &lt;!channel&gt;');
    expect(html).toMatch(/class="btn btn-(primary|danger)"/);
    expect(html).toContain('&quot;value&quot;:&quot;42&quot;');
    expect(html).toMatch(/10 minutes ago/);
  });

  it('the go/no-go summary shows its verdict, the gate and a Sign off button; its "As of" time is in the viewer’s zone', () => {
    const html = renderMessageBody(messages['go/no-go summary']!, ctx);
    expect(html).toContain('NO-GO');
    expect(html).toContain('Security review');
    expect(html).toContain('>✅ Sign off: Security review</button>');
    expect(html).toContain('today 12:00 AM'); // 15:00 UTC is midnight in Tokyo
  });

  it('the standup report leads with blockers and names who has not answered', () => {
    const html = renderMessageBody(messages['standup report']!, ctx);
    expect(html.indexOf('Blockers')).toBeLessThan(html.indexOf('Not answered'));
    expect(html).toContain('Waiting on &lt;creds&gt;');
    expect(html).toContain('@API dev 2');
  });
});

describe('Block Kit → HTML for every modal and the Home tab', () => {
  for (const [name, view] of Object.entries(modals)) {
    it(`${name}: a form with a label for every input and the view's submit and close`, () => {
      const html = renderModal(view as AnyObj, 'V1', ctx);
      expectFaithful(view.blocks as AnyObj[], html);
      const inputs = view.blocks.filter((b) => b.type === 'input') as AnyObj[];
      for (const b of inputs) expect(html).toContain(escapeForHtml(b.label.text));
      expect((html.match(/<label for="in-V1-\d+">|<legend>/g) ?? []).length).toBe(inputs.length);
      expect(html).toContain(`>${escapeForHtml((view as AnyObj).submit.text)}</button>`);
      expect(html).toContain('data-view-id="V1"');
    });
  }

  it('the standup form has each question’s control: text areas, a number from 0 to 100, the risk select with its initial option', () => {
    const html = renderModal(modals['standup form'] as AnyObj, 'V1', ctx);
    expect((html.match(/<textarea /g) ?? []).length).toBe(3);
    expect(html).toMatch(/<input type="number" [^>]*name="q_progress\/answer"[^>]*min="0" max="100" value="40">/);
    expect(html).toMatch(/<option value="green" selected>/);
    expect(html).toContain('>Rate limiter</textarea>');
  });

  it('the same view renders to the same HTML every time (the page keeps what was typed); ids differ between views', () => {
    const view = modals['standup form'] as AnyObj;
    const first = renderModal(view, 'V1', ctx);
    expect(renderModal(view, 'V1', ctx)).toBe(first);
    const ids = (html: string) => [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids(first)).size).toBe(ids(first).length);
    const other = renderModal(view, 'V2', ctx);
    expect(ids(other).filter((id) => ids(first).includes(id))).toEqual([]);
  });

  it('the blocker form has a users_select for the owner and the severity preselected', () => {
    const html = renderModal(modals['blocker form'] as AnyObj, 'V1', ctx);
    expect(html).toContain('data-type="users_select"');
    expect(html).toMatch(/<option value="P1" selected>/);
  });

  it('the checklist form ticks what is done (checkboxes) and escapes item text', () => {
    const html = renderModal(modals['checklist form'] as AnyObj, 'V1', ctx);
    expect(html).toMatch(/type="checkbox"[^>]*value="[^"]*"[^>]* checked>/);
    expect(html).toContain('Runbook &lt;b&gt;reviewed&lt;/b&gt;');
  });

  it('response_action errors show under the field they name, and only there', () => {
    const view = modals['standup form'] as AnyObj;
    const html = renderModal(view, 'V1', ctx, { q_progress: 'Progress must be a whole number from 0 to 100 <b>' });
    const progress = html.slice(html.indexOf('data-block-id="q_progress"'), html.indexOf('data-block-id="q_risk"'));
    expect(progress).toContain('role="alert">Progress must be a whole number from 0 to 100 &lt;b&gt;</div>');
    expect(progress).toContain('aria-invalid="true"');
    expect(html.match(/role="alert"/g)).toHaveLength(1);
  });

  it('the blocker message offers Reassign as a choice of people (users_select)', () => {
    const html = renderMessageBody(blockerMessage(blocker()), ctx);
    expect(html).toMatch(/<select aria-label="[^"]*" data-action="[^"]*users_select[^"]*">/);
    expect(html).toContain('<option value="U0LEAD">API lead</option>');
  });

  it('the Home tab: my standups and my blockers with their actions', () => {
    const v = homeView({ standups: [{ workstreamName: 'API', state: 'waiting', closesAt: '12:00 CET' }], blockers: [{ title: 'Waiting on you', items: [blocker()] }] });
    const html = renderBlocks(v.blocks, ctx);
    expectFaithful(v.blocks as AnyObj[], html);
    expect(html).toContain('12:00 CET');
  });
});

describe('Block Kit → HTML for the rest of what a message or modal may hold', () => {
  it('image, context image, overflow, a confirm dialog, radio buttons, a datepicker and an unknown block', () => {
    const blocks = [
      { type: 'image', image_url: 'https://example.com/chart.png', alt_text: 'burn-down "chart"', title: { type: 'plain_text', text: 'Burn-down' } },
      { type: 'image', image_url: 'javascript:alert(1)', alt_text: 'x' },
      {
        type: 'context',
        elements: [
          { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'avatar' },
          { type: 'plain_text', text: 'by <Ana>' },
        ],
      },
      {
        type: 'section',
        block_id: 'row',
        text: { type: 'mrkdwn', text: 'Deploy?' },
        accessory: { type: 'overflow', action_id: 'more', options: [{ text: { type: 'plain_text', text: 'Retry' }, value: 'retry' }] },
      },
      {
        type: 'actions',
        block_id: 'go',
        elements: [
          {
            type: 'button',
            action_id: 'ship',
            style: 'danger',
            text: { type: 'plain_text', text: 'Ship it' },
            value: 'v1',
            confirm: {
              title: { type: 'plain_text', text: 'Sure?' },
              text: { type: 'mrkdwn', text: '*No* way back &lt;script&gt;' },
              confirm: { type: 'plain_text', text: 'Ship' },
              deny: { type: 'plain_text', text: 'Wait' },
              style: 'danger',
            },
          },
        ],
      },
      { type: 'input', block_id: 'when', label: { type: 'plain_text', text: 'Launch date' }, element: { type: 'datepicker', action_id: 'd', initial_date: '2026-02-05' } },
      {
        type: 'input',
        block_id: 'how',
        optional: true,
        label: { type: 'plain_text', text: 'Mode' },
        element: {
          type: 'radio_buttons',
          action_id: 'm',
          options: [
            { text: { type: 'plain_text', text: 'Canary' }, value: 'canary' },
            { text: { type: 'plain_text', text: 'All' }, value: 'all' },
          ],
          initial_option: { text: { type: 'plain_text', text: 'All' }, value: 'all' },
        },
      },
      { type: 'rich_text', elements: [] },
    ];
    const html = renderBlocks(blocks, ctx);
    expect(html).toContain('<figure class="bk-image"><figcaption>Burn-down</figcaption><img src="https://example.com/chart.png" alt="burn-down &quot;chart&quot;"></figure>');
    expect(html).toContain('<img src="" alt="x">'); // only http(s) images load
    expect(html).toContain('alt="avatar"');
    expect(html).toContain('by &lt;Ana&gt;');
    expect(html).toMatch(/<select class="overflow" aria-label="More actions" data-action="[^"]*more[^"]*"><option value="">⋯<\/option><option value="retry">Retry<\/option><\/select>/);
    const confirm = /data-confirm="([^"]*)"/
      .exec(html)![1]!
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    expect(JSON.parse(confirm)).toEqual({ title: 'Sure?', text: '<b>No</b> way back &lt;script&gt;', confirm: 'Ship', deny: 'Wait', style: 'danger' });
    expect(html).toContain('class="btn btn-danger"');
    expect(html).toMatch(/<input type="date" [^>]*name="when\/d"[^>]* required value="2026-02-05">/);
    expect(html).toMatch(/<legend>Mode<\/legend>/);
    expect(html).toMatch(/type="radio"[^>]*value="all" checked>/);
    expect(html).toContain('[rich_text block]');
  });
});
