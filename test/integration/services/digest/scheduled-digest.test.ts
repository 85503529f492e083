import { afterEach, describe, expect, it } from 'vitest';
import { actOnBlocker } from '../../../../src/services/blockers/act.js';
import { raiseBlocker } from '../../../../src/services/blockers/raise.js';
import { sendOutbound } from '../../../../src/services/delivery/outbound.js';
import { releaseStaleReservations } from '../../../../src/services/delivery/release-stale.js';
import { chartFilename, uploadDigestChart } from '../../../../src/services/digest/chart-upload.js';
import { digestStats, scheduledDigest } from '../../../../src/services/digest/scheduled-digest.js';
import { updateTask } from '../../../../src/services/tasks/update.js';
import { harness } from '../../../support/harness.js';
import { nockSlack } from '../../../support/slack-nock.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';

// program-local New York; Tue 2026-11-24 and Wed 2026-11-25 are workdays, Thu 2026-11-26 a holiday
const YAML = aConfig({
  program: { name: 'Launch', timezone: 'America/New_York', digest: { at: '18:00' } },
  calendar: { holidays: ['2026-11-26'] },
  workstreams: [
    aWorkstream({
      id: 'api',
      name: 'API',
      channel: 'C0API',
      checklist: ['Runbook'],
      tasks: [
        { id: 'A-1', title: 'Schema', owner: 'U01', estimate: 3 },
        { id: 'A-2', title: 'Endpoints', owner: 'U01', estimate: 1, due: '2026-11-24T12:00' },
      ],
    }),
    aWorkstream({ id: 'web', name: 'Web', channel: 'C0WEB', leads: ['U0LEAD2'], members: ['U02'], checklist: ['Copy', 'Launch page'] }),
  ],
});

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
type H = Awaited<ReturnType<typeof harness>>;

/** Every text of a message's blocks, joined (what a reader sees). */
const textOf = (blocks: any[]) =>
  blocks
    .flatMap((b) => [b.text?.text, ...(b.fields ?? []).map((f: any) => f.text), ...(b.elements ?? []).map((e: any) => e.text)])
    .filter(Boolean)
    .join('\n');

describe('the daily digest', () => {
  let h: H | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  it('goes out once per workday with two processes, with its numbers, and its chart is uploaded once into its thread', async () => {
    h = await harness(YAML, '2026-11-24T17:00:00Z'); // Tue 12:00 in New York
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const a = await h.process({ workers: false });
    const b = await h.process({ workers: false });

    // a blocker raised at 12:00, acknowledged 10 minutes later and resolved at 14:00; another raised and left open
    const raised = await raiseBlocker(a.deps, { reporter: 'U01', text: 'staging down', severity: 'P1', workstreamId: 'api', source: 'command' });
    const blockerId = raised.ok ? raised.blocker.id : 0;
    h.clock.advance({ minutes: 10 });
    expect(await actOnBlocker(a.deps, blockerId, 'U0LEAD', { kind: 'acknowledge' })).toMatchObject({ ok: true });
    h.clock.advance({ minutes: 110 });
    expect(await actOnBlocker(a.deps, blockerId, 'U0LEAD', { kind: 'resolve' })).toMatchObject({ ok: true });
    await raiseBlocker(a.deps, { reporter: 'U02', text: 'copy not approved', severity: 'P2', workstreamId: 'web', source: 'command' });
    // API: A-1 (3 h) done, A-2 (1 h) half-way and overdue, checklist 0/1 → (300 + 50 + 0) / 5 = 70 %
    expect(await updateTask(a.deps, 'A-1', 'U01', { kind: 'done' })).toMatchObject({ ok: true });
    expect(await updateTask(a.deps, 'A-2', 'U01', { kind: 'progress', percent: 50 })).toMatchObject({ ok: true });

    h.clock.set('2026-11-24T22:59:00Z'); // 17:59: not yet
    expect(await scheduledDigest(a.deps)).toBe('nothing');
    h.clock.set('2026-11-24T23:00:05Z'); // 18:00:05
    const [ra, rb] = await Promise.all([scheduledDigest(a.deps), scheduledDigest(b.deps)]);
    expect([ra, rb].sort()).toEqual(['nothing', 'posted']);
    expect(await scheduledDigest(b.deps)).toBe('nothing');

    const [msg] = await h.sql<{ id: number }>("SELECT id FROM outbound_messages WHERE kind = 'digest'");
    expect(await sendOutbound(a.deps, msg!.id)).toBe('sent');
    const posts = slack.of('chat.postMessage', (x) => x.channel === 'C0LAUNCH');
    expect(posts).toHaveLength(1);
    const seen = textOf(posts[0]!.args.blocks);
    expect(seen).toContain('📊 Daily digest · Launch');
    expect(seen).toContain('Mon 23 Nov 18:00 → Tue 24 Nov 18:00 (America/New_York)');
    expect(seen).toContain('1/2 done (+1 in this period) · 1 overdue');
    expect(seen).toContain('2 opened · 1 acknowledged · 1 resolved');
    expect(seen).toContain('*Time to acknowledge*\nmedian 10m, worst 10m');
    expect(seen).toContain('*Time to resolve*\nmedian 2h 00m, worst 2h 00m');
    expect(seen).toContain('🟡 *API* 70% (new) · tasks 1/2 done (+1), *1 overdue*');
    expect(seen).toContain('🟡 *Web* 0% (new)');
    expect(seen).toMatch(/On Track\s+░+\s+0%\s+\(0\)/);

    // the chart: both processes try, one uploads (files.uploadV2's three steps), into the digest's thread
    const [digest] = await h.sql<{ id: number }>('SELECT id FROM digests');
    const outcomes = await Promise.all([uploadDigestChart(a.deps, digest!.id), uploadDigestChart(b.deps, digest!.id)]);
    expect(outcomes.sort()).toEqual(['not-due', 'sent']);
    expect(slack.of('files.getUploadURLExternal')).toHaveLength(1);
    expect(slack.of('upload')).toHaveLength(1);
    const completed = slack.of('files.completeUploadExternal');
    expect(completed).toHaveLength(1);
    expect(completed[0]!.args).toMatchObject({ channel_id: 'C0LAUNCH', thread_ts: slack.messages.in('C0LAUNCH')[0]!.ts });
    const file = [...slack.messages.files.values()][0]!;
    expect(file.filename).toBe(chartFilename('2026-11-24'));
    expect(file.bytes!.subarray(0, 4).equals(PNG_MAGIC)).toBe(true);
    expect(await uploadDigestChart(a.deps, digest!.id)).toBe('not-due');

    // Wednesday: A-2 done → API 80 % (+10); Thursday is a holiday: no digest
    expect(await updateTask(a.deps, 'A-2', 'U01', { kind: 'done' })).toMatchObject({ ok: true });
    h.clock.set('2026-11-25T23:01:00Z');
    expect(await scheduledDigest(a.deps)).toBe('posted');
    const [wed] = await h.sql<{ id: number }>("SELECT id FROM outbound_messages WHERE kind = 'digest' AND key = 'digest:2026-11-25'");
    expect(await sendOutbound(a.deps, wed!.id)).toBe('sent');
    const wedText = textOf(slack.of('chat.postMessage', (x) => x.channel === 'C0LAUNCH')[1]!.args.blocks);
    expect(wedText).toContain('Tue 24 Nov 18:00 → Wed 25 Nov 18:00');
    expect(wedText).toContain('*API* 80% (▲ 10)');
    expect(wedText).toContain('changes since the digest of 2026-11-24');
    h.clock.set('2026-11-26T23:01:00Z');
    expect(await scheduledDigest(a.deps)).toBe('nothing');
    expect(await h.sql('SELECT local_date::text FROM digests ORDER BY local_date')).toEqual([{ local_date: '2026-11-24' }, { local_date: '2026-11-25' }]);
  });

  it('a chart an interrupted attempt uploaded is found in the thread and recorded, not uploaded again', async () => {
    h = await harness(YAML, '2026-11-24T23:00:05Z');
    slack = nockSlack({ now: () => h!.clock.now().toMillis() });
    const bot = await h.process({ workers: false });
    expect(await scheduledDigest(bot.deps)).toBe('posted');
    const [msg] = await h.sql<{ id: number }>("SELECT id FROM outbound_messages WHERE kind = 'digest'");
    await sendOutbound(bot.deps, msg!.id);
    const threadTs = slack.messages.in('C0LAUNCH')[0]!.ts;
    // a process claimed the upload, Slack shared the file, and the process died before recording it
    await h.sql("UPDATE deliveries SET status = 'sending', claims = 1, attempts = 1, claimed_at = $1, first_claimed_at = $1 WHERE kind = 'digest_chart'", [h.clock.now().toJSDate()]);
    slack.messages.files.set('F0EARLIER', { id: 'F0EARLIER', filename: chartFilename('2026-11-24'), bytes: PNG_MAGIC, completed: true });
    slack.messages.post({ channel: 'C0LAUNCH', thread_ts: threadTs, text: '' }).files = [{ id: 'F0EARLIER', name: chartFilename('2026-11-24'), title: 'chart' }];

    const [digest] = await h.sql<{ id: number }>('SELECT id FROM digests');
    expect(await uploadDigestChart(bot.deps, digest!.id)).toBe('not-due'); // still claimed by the dead process
    h.clock.advance({ minutes: 3 }); // past scheduler.reclaim_after (2 min)
    expect(await releaseStaleReservations(bot.deps)).toMatchObject({ digest_chart: 1 });
    expect(await uploadDigestChart(bot.deps, digest!.id)).toBe('found');
    expect(slack.of('files.getUploadURLExternal')).toEqual([]);
    expect(await h.sql("SELECT status, ts FROM deliveries WHERE kind = 'digest_chart'")).toEqual([{ status: 'sent', ts: 'F0EARLIER' }]);
  });

  it("/preflight stats gives one workstream's numbers over the last days", async () => {
    h = await harness(YAML, '2026-11-24T17:00:00Z');
    slack = nockSlack();
    const bot = await h.process({ workers: false });
    const raised = await raiseBlocker(bot.deps, { reporter: 'U02', text: 'copy', severity: 'P0', workstreamId: 'web', source: 'command' });
    h.clock.advance({ minutes: 30 });
    await actOnBlocker(bot.deps, raised.ok ? raised.blocker.id : 0, 'U0LEAD2', { kind: 'acknowledge' });
    await raiseBlocker(bot.deps, { reporter: 'U01', text: 'schema', severity: 'P2', workstreamId: 'api', source: 'command' });
    const { digest } = await digestStats(bot.deps, 'web', 2);
    expect(digest.workstreams.map((w) => [w.id, w.status])).toEqual([['web', 'blocked']]);
    expect(digest.blockers).toMatchObject({ opened: 1, acknowledged: 1, timeToAcknowledge: { medianMs: 30 * 60_000 } });
    expect(digest.window.to - digest.window.from).toBe(2 * 86_400_000 + 1);
  });
});
