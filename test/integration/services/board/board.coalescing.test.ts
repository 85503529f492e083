import { afterEach, describe, expect, it } from 'vitest';
import { updateTask } from '../../../../src/services/tasks/update.js';
import { aConfig, aWorkstream } from '../../../support/config-factories.js';
import { harness } from '../../../support/harness.js';
import { eventually, nockSlack } from '../../../support/slack-nock.js';

const YAML = aConfig({
  program: { name: 'Launch', timezone: 'UTC' },
  workstreams: [
    aWorkstream({
      id: 'api',
      name: 'API',
      tasks: [
        { id: 'A-1', title: 'Schema', owner: 'U01', estimate: 4 },
        { id: 'A-2', title: 'Endpoints', owner: 'U01', estimate: 4, requires: ['A-1'] },
      ],
    }),
  ],
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the status board under a burst of changes (real Redis workers, real time)', () => {
  let h: Awaited<ReturnType<typeof harness>> | undefined;
  let slack: ReturnType<typeof nockSlack> | undefined;
  afterEach(async () => {
    await h?.cleanup();
    slack?.done();
  });

  it('100 changes in 10 s give at most 5 writes of the canvas, and the board ends showing the last one', async () => {
    h = await harness(YAML, 'real-time');
    slack = nockSlack();
    const { deps } = await h.process();
    // 99 progress reports then done: each one moves the board (% complete), each asks for a refresh
    // paced on a schedule (one every 100 ms from the start), so the burst spans 10 s however long each update takes
    const start = Date.now();
    for (let i = 1; i <= 100; i++) {
      const update = i < 100 ? ({ kind: 'progress', percent: i } as const) : ({ kind: 'done' } as const);
      expect(await updateTask(deps, 'A-1', 'U01', update)).toMatchObject({ ok: true });
      await sleep(Math.max(0, start + i * 100 - Date.now()));
    }
    const writes = () => slack!.of('conversations.canvases.create').length + slack!.of('canvases.edit').length;
    // generous: the last window's refresh runs within seconds on a loaded machine
    // (A-1 done, A-2 not started: 4 h of 8 → 50 %)
    await eventually('the board shows A-1 done', () => slack!.messages.canvases.get('C0LAUNCH')?.markdown.includes('**API** · 🟢 On Track · 50% complete') ?? false, 30_000);
    // a little longer: no refresh left behind writes again
    await sleep(4_000);
    expect(slack.of('conversations.canvases.create')).toHaveLength(1);
    expect(writes()).toBeGreaterThanOrEqual(2);
    expect(writes()).toBeLessThanOrEqual(5);
  }, 90_000);
});
