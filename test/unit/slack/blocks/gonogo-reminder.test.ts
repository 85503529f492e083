import { describe, expect, it } from 'vitest';
import { signOffReminderMessage } from '../../../../src/slack/blocks/gonogo-reminder.js';

const token = (iso: string, fallback: string) => `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} at {time}|${fallback}>`;
// the go/no-go at 19:00 UTC on Wed 4 Feb 2026, read in Kolkata (UTC+5:30)
const base = { gonogoAt: new Date('2026-02-04T19:00:00Z'), zone: 'Asia/Kolkata' };
const head = `⏰ The go/no-go is at ${token('2026-02-04T19:00:00Z', 'Thu 5 Feb at 00:30 GMT+5:30')}.`;

describe('the go/no-go reminder', () => {
  it('names the gates still waiting on the reader, in the reader’s zone', () => {
    expect(signOffReminderMessage({ ...base, waiting: ['QA', 'Security'], settled: [] })).toEqual({
      text: `${head} Still waiting on your sign-off: “QA”, “Security”. Type \`/gonogo\` to see the summary and sign off.`,
    });
  });

  it('says what became of each settled gate, one line each', () => {
    const text = signOffReminderMessage({
      ...base,
      waiting: [],
      settled: [
        { kind: 'passed', gateName: 'QA', by: 'UQA', at: new Date('2026-02-04T18:08:00Z') },
        { kind: 'failed', gateName: 'Perf', by: null, at: null },
        { kind: 'signed', gateName: 'Security', at: new Date('2026-02-04T18:00:00Z'), missing: ['USEC2'] },
      ],
    }).text;
    expect(text.split('\n')).toEqual([
      `${head} Nothing waits on your sign-off any more.`,
      `✅ “QA” signed off by <@UQA> ${token('2026-02-04T18:08:00Z', 'Wed 4 Feb at 23:38 GMT+5:30')}.`,
      '❌ “Perf” failed.',
      `✍️ “Security”: you signed ${token('2026-02-04T18:00:00Z', 'Wed 4 Feb at 23:30 GMT+5:30')}; it passes when <@USEC2> signs too.`,
    ]);
  });
});
