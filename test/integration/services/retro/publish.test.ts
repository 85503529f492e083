import { afterEach, describe, expect, it } from 'vitest';
import { actOnBlocker } from '../../../../src/services/blockers/act.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { sendPrompt } from '../../../../src/services/checkins/prompts.js';
import { submitForm } from '../../../../src/services/checkins/record-answers.js';
import { publishRetro, retroDue, retroFilename } from '../../../../src/services/retro/publish.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';

// the launch ends Fri 13 Nov 2026 at 18:00 UTC
const YAML = aConfig({
  program: { name: 'Final Deployment', timezone: 'UTC', pm: 'U0PM', channel: 'C0LAUNCH', end: '2026-11-13T18:00' },
  workstreams: [aWorkstream({ id: 'omega', name: 'Team Omega', channel: 'C0OMEGA', leads: ['U0OL'], members: ['U0A'] })],
});

type H = Awaited<ReturnType<typeof harness>>;

/** The Markdown a canvases.create / canvases.edit call carried (form-encoded: document_content is JSON text). */
const markdownOf = (args: Record<string, unknown>): string => {
  const doc = (typeof args.document_content === 'string' ? JSON.parse(args.document_content) : args.document_content) as { markdown?: string } | undefined;
  return doc?.markdown ?? JSON.parse(String(args.changes))[0].document_content.markdown;
};

describe('the retrospective in Slack: a canvas shared with the program channel, once', () => {
  let h: H | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  it('after program.end the sweep of two replicas drafts one canvas, shared read-only with the program channel; never before the end', async () => {
    h = await harness(YAML, '2026-11-13T09:00:00Z');
    slack = nockSlack();
    const a = await h.process({ workers: false });
    const b = await h.process({ workers: false });
    const raised = await raiseBlocker(a.deps, { reporter: 'U0A', text: 'Staging DB is down', severity: 'P0', workstreamId: 'omega', source: 'command' });
    if (!raised.ok) throw new Error('not raised');
    h.clock.advance({ minutes: 12 });
    await actOnBlocker(a.deps, raised.blocker.id, 'U0OL', { kind: 'acknowledge' });

    h.clock.set('2026-11-13T17:59:00Z');
    expect(await Promise.all([retroDue(a.deps), retroDue(b.deps)])).toEqual(['not-due', 'not-due']);
    expect(slack.of('canvases.create')).toEqual([]);

    h.clock.set('2026-11-13T18:00:30Z');
    const outcomes = await Promise.all([retroDue(a.deps), retroDue(b.deps)]);
    expect(outcomes).toContain('canvas');
    expect(outcomes.filter((o) => o === 'canvas')).toHaveLength(1);
    h.clock.advance({ minutes: 5 });
    expect(await Promise.all([retroDue(a.deps), retroDue(b.deps)])).toEqual(['already', 'already']);

    const created = slack.of('canvases.create');
    expect(created).toHaveLength(1);
    expect(created[0]!.args.title).toBe('Retrospective · Final Deployment');
    const md = markdownOf(created[0]!.args);
    expect(md).toContain('# Retrospective · Final Deployment');
    expect(md).toContain('- Time to acknowledge: median 12m, worst 12m (1)');
    expect(md).toContain('acknowledged after 12m');
    expect(md).toContain('- Team Omega: 0/0 answered (–)');
    const shared = slack.of('canvases.access.set');
    expect(shared).toHaveLength(1);
    expect(shared[0]!.args).toMatchObject({ canvas_id: expect.stringMatching(/^F0CANVAS\d+$/), access_level: 'read' });
    expect(JSON.parse(shared[0]!.args.channel_ids)).toEqual(['C0LAUNCH']);
    expect(await h.sql('SELECT status, channel, requested_by FROM retrospectives')).toEqual([{ status: 'published', channel: 'C0LAUNCH', requested_by: null }]);
  });

  it('/preflight retro later brings the canvas up to date in place (canvases.edit), with what happened since', async () => {
    h = await harness(YAML, '2026-11-13T09:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    const first = await publishRetro(bot.deps, 'U0PM');
    expect(first).toMatchObject({ kind: 'canvas', channel: 'C0LAUNCH' });
    h.clock.advance({ minutes: 30 });
    await raiseBlocker(bot.deps, { reporter: 'U0A', text: 'Payments down', severity: 'P1', workstreamId: 'omega', source: 'command' });
    expect(await publishRetro(bot.deps, 'U0PM')).toEqual({ kind: 'updated', canvasId: (first as { canvasId: string }).canvasId, channel: 'C0LAUNCH' });
    expect(slack.of('canvases.create')).toHaveLength(1);
    const edits = slack.of('canvases.edit');
    expect(edits).toHaveLength(1);
    expect(JSON.parse(edits[0]!.args.changes)[0].operation).toBe('replace');
    expect(markdownOf(edits[0]!.args)).toContain('· Team Omega · “Payments down”: raised Fri 13 Nov 09:30, never acknowledged, open for 0s');
  });

  it('where canvases are refused (a free workspace), the retro goes to the program channel as a Markdown file, once', async () => {
    h = await harness(YAML, '2026-11-13T18:30:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    slack.failNext('canvases.create', 200, { ok: false, error: 'team_tier_cannot_create_canvases' });
    expect(await publishRetro(bot.deps, null)).toMatchObject({ kind: 'file', channel: 'C0LAUNCH', refused: 'team_tier_cannot_create_canvases' });
    const files = [...slack.messages.files.values()];
    expect(files).toHaveLength(1);
    expect(files[0]!.filename).toBe(retroFilename('Final Deployment'));
    expect(files[0]!.filename).toBe('retrospective-final-deployment.md');
    expect(files[0]!.bytes!.toString('utf8')).toMatch(/^# Retrospective · Final Deployment\n/);
    const posted = slack.messages.in('C0LAUNCH');
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toContain('canvases are not available here: team_tier_cannot_create_canvases');
    // the sweep does not post it again
    expect(await retroDue(bot.deps)).toBe('already');
    expect(await publishRetro(bot.deps, 'U0PM')).toMatchObject({ kind: 'already', canvasId: null });
    expect(slack.messages.files.size).toBe(1);
  });

  it('a Slack error other than a refusal leaves it failed, and the next call drafts it', async () => {
    h = await harness(YAML, '2026-11-13T18:30:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    slack.failNext('canvases.create', 200, { ok: false, error: 'internal_error' });
    expect(await publishRetro(bot.deps, null)).toEqual({ kind: 'failed', error: 'internal_error' });
    expect(await h.sql('SELECT status, last_error FROM retrospectives')).toEqual([{ status: 'failed', last_error: 'internal_error' }]);
    expect(await retroDue(bot.deps)).toBe('canvas');
    expect(slack.of('canvases.create')).toHaveLength(1);
  });

  it('opens the retro check-in for every participant; their answers come into the canvas grouped by workstream, several answers in one edit', async () => {
    const twoTeams = aConfig({
      program: { name: 'Final Deployment', timezone: 'UTC', pm: 'U0PM', channel: 'C0LAUNCH', end: '2026-11-13T18:00' },
      workstreams: [
        aWorkstream({ id: 'omega', name: 'Team Omega', channel: 'C0OMEGA', leads: ['U0OL'], members: ['U0A', 'U0B'] }),
        aWorkstream({ id: 'web', name: 'Web', channel: 'C0WEB', leads: ['U0WL'], members: ['U0C'] }),
      ],
    });
    h = await harness(twoTeams, '2026-11-13T18:00:30Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    expect(await retroDue(bot.deps)).toBe('canvas');
    const runs = await h.sql<{ id: number; workstream_id: string }>("SELECT id, workstream_id FROM standup_runs WHERE checkin_id = 'retro' ORDER BY workstream_id");
    expect(runs.map((r) => r.workstream_id)).toEqual(['omega', 'web']);
    for (const p of await h.sql<{ id: number }>('SELECT id FROM standup_prompts ORDER BY id')) await sendPrompt(bot.deps, p.id);
    for (const user of ['U0A', 'U0B', 'U0C']) expect(JSON.stringify(slack.of('chat.postMessage', (a) => a.channel === user).map((c) => c.args.blocks))).toContain('What went well?');

    const runOf = (ws: string) => runs.find((r) => r.workstream_id === ws)!.id;
    h.clock.advance({ minutes: 10 });
    await submitForm(bot.deps, 'U0C', runOf('web'), { went_well: 'The staged rollout', did_not: 'Copy came late', change: 'Freeze copy a day earlier' });
    await submitForm(bot.deps, 'U0A', runOf('omega'), { went_well: 'Runbooks', did_not: 'Staging DB fell over', change: 'A staging DB replica' });
    h.clock.advance({ minutes: 1 });
    await submitForm(bot.deps, 'U0B', runOf('omega'), { went_well: 'Pairing on the *migration*', did_not: 'none', change: 'Earlier load tests' });
    h.clock.advance({ minutes: 1 });
    expect(await retroDue(bot.deps)).toBe('updated');
    expect(await retroDue(bot.deps)).toBe('already'); // nothing new since
    const edits = slack.of('canvases.edit');
    expect(edits).toHaveLength(1);
    const md = markdownOf(edits[0]!.args);
    const said = md.slice(md.indexOf('## What the teams said'));
    expect(said).toBe(
      [
        '## What the teams said',
        '',
        '### Team Omega',
        '',
        '- ![](@U0A)',
        '  - Went well: Runbooks',
        "  - Didn't: Staging DB fell over",
        '  - Would change: A staging DB replica',
        '- ![](@U0B)',
        '  - Went well: Pairing on the \\*migration\\*',
        '  - Would change: Earlier load tests',
        '',
        '### Web',
        '',
        '- ![](@U0C)',
        '  - Went well: The staged rollout',
        "  - Didn't: Copy came late",
        '  - Would change: Freeze copy a day earlier',
        '',
      ].join('\n'),
    );
  });
});
