import { DateTime } from 'luxon';
import type { SettledGate, SignOffReminder } from '../../domain/gonogo/messages.js';
import { slackDate } from './slack-date.js';
import { mention } from './text.js';

/** A `<!date>` token Slack shows in each reader's zone, its fallback in `zone` (the recipient's). */
const dayAtTime = (at: Date, zone: string) => slackDate(DateTime.fromJSDate(at), zone, 'day at time');

/** One settled gate: "✅ “QA” signed off by @ana <time>.", "❌ … failed by …", "✍️ … you signed; it passes when @bo signs too." */
function settledLine(g: SettledGate, zone: string): string {
  const name = `“${g.gateName}”`;
  const at = (d: Date | null) => (d ? ` ${dayAtTime(d, zone)}` : '');
  if (g.kind === 'signed') return `✍️ ${name}: you signed${at(g.at)}; it passes when ${g.missing.map(mention).join(', ')} sign${g.missing.length === 1 ? 's' : ''} too.`;
  const by = g.by ? ` by ${mention(g.by)}` : '';
  return g.kind === 'passed' ? `✅ ${name} signed off${by}${at(g.at)}.` : `❌ ${name} failed${by}${at(g.at)}.`;
}

/**
 * The go/no-go reminder DM (seed 004: "GO/NO-GO MEETING Feb 4, 2pm"): the meeting's time, the gates still waiting
 * on the reader's sign-off, then one line per gate settled since; times in the reader's zone. Text only (it is
 * edited in place as the gates are signed).
 */
export function signOffReminderMessage(r: SignOffReminder): { text: string } {
  const head = `⏰ The go/no-go is at ${dayAtTime(r.gonogoAt, r.zone)}.`;
  const ask = r.waiting.length
    ? ` Still waiting on your sign-off: ${r.waiting.map((n) => `“${n}”`).join(', ')}. Type \`/gonogo\` to see the summary and sign off.`
    : ' Nothing waits on your sign-off any more.';
  return { text: [`${head}${ask}`, ...r.settled.map((g) => settledLine(g, r.zone))].join('\n') };
}
