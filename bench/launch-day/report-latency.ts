import { percentile } from '../lib.js';

/*
 * Issue 25: "an answer shows in the report within 10 s p95, with at most one chat.update per report per 5 s".
 * Read from the Web API calls the stand-in accepted: a check-in report's text is "<workstream> <check-in> <date>:
 * N/M answered, …" (src/slack/blocks/standup-report.ts), and a member who answered has an entry whose line starts
 * with their mention (`<@U…>`, then `_late_` / `_edited_`, then a newline); the "not answered yet" list and the risk
 * flags mention people mid-line.
 */

/** A Web API call as the stand-in recorded it (sandbox/slack-stand-in/web-api.ts `RecordedCall`). */
export interface AcceptedCall {
  method: string;
  args: Record<string, unknown>;
  /** When the stand-in received it, ms since the epoch. */
  at: number;
  status: number;
}

/** An answer the bench sent: the person, the check-in's name (its report's), when it was sent (ms since the epoch), the HTTP status. */
export interface SentAnswer {
  user: string;
  checkin: string;
  at: number;
  status: number;
}

/** What {@link reportLatency} finds. Seconds, rounded to 0.1 s. */
export interface ReportLatency {
  /** Answers acked with HTTP 200 that a later report message showed, and the time until the first one did. */
  shown: number;
  shownAfterS: { p50S: number | null; p95S: number | null; p99S: number | null; maxS: number | null };
  /** Answers acked with 200 that no report message showed after they were sent (a full message drops entries). */
  neverShown: number;
  /** Report messages (channel + ts) edited at least once, their edits, and edits less than 5 s after the previous one. */
  reportsEdited: number;
  edits: number;
  editsWithin5s: number;
  /** The shortest gap between two edits of one report, s (null with fewer than two edits of any report). */
  minEditGapS: number | null;
}

const REPORT_TEXT = /^.+ \d{4}-\d{2}-\d{2}: \d+\/\d+ answered/;
/** An answered member's entry: a line that starts with the mention (a block's text, or after a newline). */
const ENTRY = /(?:"text":"|\\n)<@(U[A-Z0-9]+)>(?: _late_| _edited_)*\\n/g;

const round = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);

/**
 * How long each answer took to show in its check-in's report, and how often each report was edited, from the calls
 * the stand-in accepted (status 200: 429'd attempts changed nothing in Slack). An answer is matched to the first
 * report message of its check-in (`checkin`, one of `checkins`: the names the reports' texts carry after the
 * workstream's) received at or after the answer was sent that has the person's entry.
 */
export function reportLatency(calls: readonly AcceptedCall[], answers: readonly SentAnswer[], checkins: readonly string[]): ReportLatency {
  // when each (check-in, person) was shown answered, in the order the stand-in received the messages
  const shownAt = new Map<string, number[]>();
  const editsOf = new Map<string, number[]>();
  for (const c of calls) {
    if (c.status !== 200 || (c.method !== 'chat.postMessage' && c.method !== 'chat.update')) continue;
    const text = String(c.args.text ?? '');
    if (!REPORT_TEXT.test(text)) continue;
    const blocks = typeof c.args.blocks === 'string' ? c.args.blocks : JSON.stringify(c.args.blocks ?? []);
    const head = text.slice(0, text.search(/ \d{4}-\d{2}-\d{2}: /));
    const checkin = checkins.find((name) => head.endsWith(` ${name}`));
    if (checkin !== undefined) {
      for (const m of blocks.matchAll(ENTRY)) {
        const key = `${checkin}\u0000${m[1]}`;
        const list = shownAt.get(key);
        if (list) list.push(c.at);
        else shownAt.set(key, [c.at]);
      }
    }
    if (c.method === 'chat.update') {
      const key = `${String(c.args.channel ?? '')} ${String(c.args.ts ?? '')}`;
      const list = editsOf.get(key);
      if (list) list.push(c.at);
      else editsOf.set(key, [c.at]);
    }
  }
  const delays: number[] = [];
  let neverShown = 0;
  for (const a of answers) {
    if (a.status !== 200) continue;
    const first = shownAt.get(`${a.checkin}\u0000${a.user}`)?.find((x) => x >= a.at);
    if (first === undefined) neverShown++;
    else delays.push(first - a.at);
  }
  delays.sort((x, y) => x - y);
  let edits = 0;
  let within5s = 0;
  let minGap: number | null = null;
  for (const times of editsOf.values()) {
    edits += times.length;
    times.sort((x, y) => x - y);
    for (let i = 1; i < times.length; i++) {
      const gap = times[i]! - times[i - 1]!;
      if (gap < 5_000) within5s++;
      minGap = minGap === null ? gap : Math.min(minGap, gap);
    }
  }
  return {
    shown: delays.length,
    shownAfterS: { p50S: round(percentile(delays, 50)), p95S: round(percentile(delays, 95)), p99S: round(percentile(delays, 99)), maxS: round(delays.at(-1) ?? null) },
    neverShown,
    reportsEdited: editsOf.size,
    edits,
    editsWithin5s: within5s,
    minEditGapS: round(minGap),
  };
}
