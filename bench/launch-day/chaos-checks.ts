import type pg from 'pg';
import type { RecordedCall } from '../../test/support/slack-api-fake.js';

/** What the chaos drill found (issue 25's target: 0 lost, 0 doubled, 0 early). */
export interface ChaosChecks {
  /** The prompt rows and deliveries of the people a slot's prompt never reached (JSON lines), to see why. */
  missingPrompts: string[];
  /** Messages Slack holds more than once for one delivery (the same reservation in two accepted chat.postMessage), by kind. */
  doubled: Record<string, number>;
  doubledSample: string[];
  /**
   * Deliveries still pending or sending at the end, or failed for good, by kind and status; prompts still pending are
   * checked per slot instead, and a pending escalation DM counts only once it has been due for {@link NOTICE_GRACE_S}
   * (`notice pending (due)`).
   */
  notDelivered: Record<string, number>;
  /** Escalation DMs: reserved, posted, posted before their due time (`not_before`). */
  escalation: { notices: number; posted: number; early: number; earlySample: string[] };
  /** Answers acknowledged with HTTP 200 that Postgres does not hold (per person: fewer stored than acknowledged). */
  answers: { acked: number; stored: number; lost: number; lostSample: string[] };
  /** `/blocker` commands acknowledged with HTTP 200 whose blocker Postgres does not hold. */
  blockers: { acked: number; stored: number; lost: string[] };
  /**
   * Check-in reports of the runs past their close time whose last version Slack shows (the last accepted post or
   * chat.update of the report's message) is not the run's final state: another count of answers than Postgres holds,
   * or not shown as closed. (A run of a slot not played, still open at the end, has no final state yet.)
   */
  reports: { runs: number; stale: number; staleSample: string[] };
  ok: boolean;
}

/**
 * How long an escalation DM may stay pending once due before the drill counts it as not delivered: twice the
 * compressed day's `scheduler.reclaim_after` (bench/launch-day/generate.ts), so a DM whose claim a killed replica held
 * has been released and sent again.
 */
export const NOTICE_GRACE_S = 60;

/** The reservation of a chat.postMessage (`<kind>-<owner key>` in its message metadata), null when none. */
function reservationOf(args: Record<string, unknown>): string | null {
  let meta = args.metadata as unknown;
  if (typeof meta === 'string') {
    try {
      meta = JSON.parse(meta);
    } catch {
      return null;
    }
  }
  const r = (meta as { event_payload?: { reservation?: unknown } } | undefined)?.event_payload?.reservation;
  return typeof r === 'string' ? r : null;
}

/**
 * The end-of-drill checks, from the stand-in's record of accepted calls and from Postgres:
 * every delivery posted at most once (by its metadata's reservation), none left undelivered, every escalation DM at
 * or after its due time, every acknowledged answer and `/blocker` stored, the report of every run past its close
 * time showing its final state (the answers Postgres holds, closed).
 * @param fake the stand-in's calls (`status` 200 = accepted by it; calls refused at the front never reach it).
 * @param answersSent each answer the people sent, with the HTTP status the bot answered, and whether the bot then asked
 *   for it again (its DM: the reply was not recorded); those count as not acknowledged (the person was told).
 */
export async function chaosChecks(args: {
  db: pg.Client;
  fake: { calls: RecordedCall[] };
  answersSent: { user: string; at: number; status: number; resendAsked?: boolean }[];
  blockersSent: { tag: string; status: number }[];
  /** people whose prompt of a slot never reached the stand-in: their prompt rows and deliveries are listed */
  missingPromptUsers?: string[];
}): Promise<ChaosChecks> {
  const { db, fake } = args;
  const posts = new Map<string, number[]>();
  for (const c of fake.calls) {
    if (c.method !== 'chat.postMessage' || c.status !== 200) continue;
    const r = reservationOf(c.args ?? {});
    if (!r) continue;
    const at = posts.get(r);
    if (at) at.push(c.at);
    else posts.set(r, [c.at]);
  }
  const doubled: Record<string, number> = {};
  const doubledSample: string[] = [];
  for (const [r, at] of posts) {
    if (at.length < 2) continue;
    const kind = r.replace(/-[^-]*$/, '');
    doubled[kind] = (doubled[kind] ?? 0) + 1;
    if (doubledSample.length < 10) doubledSample.push(`${r} ×${at.length}`);
  }

  const left = await db.query<{ kind: string; status: string; n: number }>(
    "SELECT kind, status, count(*)::int AS n FROM deliveries WHERE status IN ('pending', 'sending', 'failed') GROUP BY kind, status ORDER BY kind, status",
  );
  const notDelivered: Record<string, number> = {};
  // a prompt still pending is one of a slot not played (its prompts are checked per slot); a pending notice may not be due yet
  for (const r of left.rows) if (!(r.kind === 'prompt' && r.status === 'pending') && !(r.kind === 'notice' && r.status === 'pending')) notDelivered[`${r.kind} ${r.status}`] = r.n;
  const overdue = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM deliveries d JOIN blocker_notices n ON d.kind = 'notice' AND d.owner_key = n.id::text WHERE d.status = 'pending' AND n.not_before < now() - interval '${NOTICE_GRACE_S} seconds'`,
  );
  if (overdue.rows[0]!.n) notDelivered['notice pending (due)'] = overdue.rows[0]!.n;

  const notices = await db.query<{ id: number; not_before: Date }>('SELECT id, not_before FROM blocker_notices');
  let posted = 0;
  let early = 0;
  const earlySample: string[] = [];
  for (const n of notices.rows) {
    const at = posts.get(`notice-${n.id}`);
    if (!at) continue;
    posted++;
    const first = Math.min(...at);
    if (first < n.not_before.getTime()) {
      early++;
      if (earlySample.length < 10) earlySample.push(`notice ${n.id}: ${n.not_before.getTime() - first} ms early`);
    }
  }

  const acked = new Map<string, number>();
  // an answer the bot then asked to have sent again was not acknowledged as stored: the person was told (and resent it)
  for (const a of args.answersSent) if (a.status === 200 && !a.resendAsked) acked.set(a.user, (acked.get(a.user) ?? 0) + 1);
  const stored = new Map((await db.query<{ user_id: string; n: number }>('SELECT user_id, count(*)::int AS n FROM standup_answers GROUP BY user_id')).rows.map((r) => [r.user_id, r.n]));
  let answersLost = 0;
  const lostSample: string[] = [];
  for (const [user, n] of acked) {
    const lost = Math.max(0, n - (stored.get(user) ?? 0));
    answersLost += lost;
    if (lost && lostSample.length < 10) {
      const times = args.answersSent.filter((a) => a.user === user).map((a) => `${new Date(a.at).toISOString().slice(11, 23)} ${a.status}${a.resendAsked ? ' resend asked' : ''}`);
      const dms = fake.calls
        .filter((c) => c.method === 'chat.postMessage' && (c.args?.channel === user || c.args?.channel === `D${user.slice(1)}`))
        .map((c) => `${new Date(c.at).toISOString().slice(11, 23)} ${String(c.args?.text ?? '').slice(0, 60)}`);
      lostSample.push(`${user}: acked ${n}, stored ${stored.get(user) ?? 0}; sent [${times.join('; ')}]; DMs [${dms.join('; ')}]`);
    }
  }

  const texts = (await db.query<{ text: string }>('SELECT text FROM blockers')).rows.map((r) => r.text);
  const ackedBlockers = args.blockersSent.filter((b) => b.status === 200).map((b) => b.tag);
  const lostBlockers = ackedBlockers.filter((tag) => !texts.some((t) => new RegExp(`\\b${tag}\\b`).test(t)));

  const missingPrompts = args.missingPromptUsers?.length
    ? (
        await db.query(
          "SELECT p.user_id, p.run_id, p.status AS prompt_status, p.prompt_at, r.status AS run_status, r.close_at, d.status, d.claims, d.attempts, d.last_error, d.ts FROM standup_prompts p JOIN standup_runs r ON r.id = p.run_id LEFT JOIN deliveries d ON d.kind = 'prompt' AND d.owner_key = p.id::text WHERE p.user_id = ANY($1) ORDER BY p.user_id, p.run_id",
          [args.missingPromptUsers],
        )
      ).rows.map((r) => JSON.stringify(r))
    : [];
  const runs = await db.query<{ id: number; status: string; ts: string | null; answered: number; late: number }>(
    "SELECT r.id, r.status, d.ts, (SELECT count(DISTINCT a.user_id)::int FROM standup_answers a WHERE a.run_id = r.id AND a.complete) AS answered, (SELECT count(*)::int FROM standup_answers a WHERE a.run_id = r.id AND a.complete AND a.late) AS late FROM standup_runs r LEFT JOIN deliveries d ON d.kind = 'report' AND d.owner_key = r.id::text AND d.status = 'sent' WHERE r.close_at <= now() ORDER BY r.id",
  );
  const staleSample: string[] = [];
  for (const run of runs.rows) {
    const shown = fake.calls
      .filter(
        (c) =>
          c.status === 200 && ((c.method === 'chat.postMessage' && reservationOf(c.args ?? {}) === `report-${run.id}`) || (c.method === 'chat.update' && run.ts !== null && c.args?.ts === run.ts)),
      )
      .sort((a, b) => a.at - b.at)
      .at(-1);
    const text = String(shown?.args?.text ?? '');
    const blocks = typeof shown?.args?.blocks === 'string' ? shown.args.blocks : JSON.stringify(shown?.args?.blocks ?? '');
    const count = /: (\d+)\/\d+ answered/.exec(text)?.[1];
    const closedShown = blocks.includes('Closed at');
    if (!shown || Number(count) !== run.answered || closedShown !== (run.status === 'closed')) {
      if (staleSample.length < 10)
        staleSample.push(`run ${run.id} (${run.status}, ${run.answered} answered, ${run.late} late): ${shown ? `shows "${text.slice(0, 100)}"${closedShown ? ', closed' : ''}` : 'never shown'}`);
    }
  }
  const checks = {
    missingPrompts,
    doubled,
    doubledSample,
    notDelivered,
    escalation: { notices: notices.rowCount ?? 0, posted, early, earlySample },
    answers: { acked: [...acked.values()].reduce((a, b) => a + b, 0), stored: [...stored.values()].reduce((a, b) => a + b, 0), lost: answersLost, lostSample },
    blockers: { acked: ackedBlockers.length, stored: texts.length, lost: lostBlockers },
    reports: { runs: runs.rowCount ?? 0, stale: staleSample.length, staleSample },
  };
  const ok = Object.keys(doubled).length === 0 && Object.keys(notDelivered).length === 0 && early === 0 && answersLost === 0 && lostBlockers.length === 0 && staleSample.length === 0;
  return { ...checks, ok };
}
