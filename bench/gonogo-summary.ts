/**
 * Go/no-go summary benchmark: how long `buildSummary(deps)` (verdictInput's queries + verdict + Block Kit)
 * takes on a large program, and what plans Postgres picks for the SQL behind it.
 *
 *   npx tsx bench/gonogo-summary.ts [--iterations 200] [--warmup 20] [--answers 200000] [--blockers 20000]
 *                                   [--workdays 105] [--try-fixes true|false] [--keep true|false]
 *
 * Everything runs in this process against a fresh Postgres database (unique name, migrated with the real
 * migrations, dropped at the end unless --keep true). Data is bulk-loaded with INSERT … SELECT
 * generate_series: 50 workstreams × 40 members (2,000), 5 checklist items each, 20 gates with `requires`
 * chains, 20,000 blockers (5 % unresolved, raised over 30 days), one standup run per workstream per workday
 * (~5,000 runs, ~2 % missed), a prompt per member per run and exactly --answers complete answers (plus some
 * incomplete ones); then VACUUM ANALYZE. The clock is fixed on a workday during the standup window.
 *
 * Phases: (1) buildSummary × N and verdictInput × N after a warm-up, plus the pure part (verdict + blocks)
 * alone; (2) per-statement client-side timings (pool.query wrapped); (3) EXPLAIN (ANALYZE, BUFFERS) of every
 * statement verdictInput issues, with the exact SQL text and parameters captured from drizzle's logger;
 * (4) with --try-fixes (default true): the proposed rewrite of two statements (a bench-local copy of
 * verdictInput, checked deep-equal to the original's result) explained and timed, end to end interleaved with
 * the original; a DateStyle check of the latest-run query; and two candidate indexes (created in the bench DB
 * only, then dropped) re-explained.
 *
 * Env: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres: only host/credentials are
 * used, a fresh database is created next to it).
 * Exit code: 0 when p95 of buildSummary is under 200 ms, 1 otherwise, 2 on error.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { WebClient } from '@slack/web-api';
import { isDeepStrictEqual } from 'node:util';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { DateTime } from 'luxon';
import pg from 'pg';
import { pino } from 'pino';
import { fixedClock } from '../src/clock.js';
import { parseWorkspaceConfig } from '../src/config/load.js';
import { resolveProgram } from '../src/config/resolve.js';
import { DEFAULT_QUESTIONS, type WorkspaceConfig } from '../src/config/workspace.js';
import { openDatabase, type Database, type Db } from '../src/db/client.js';
import { dropDatabase, ensureDatabase, runMigrations } from '../src/db/migrate.js';
import * as schema from '../src/db/schema/index.js';
import { blockers, checklistTicks, standupAnswers, standupPrompts, standupRuns } from '../src/db/schema/index.js';
import type { Severity } from '../src/domain/blockers/ladder.js';
import { verdict, type VerdictInput, type WorkstreamFacts } from '../src/domain/gonogo/verdict.js';
import type { Wakeups } from '../src/services/wakeups.js';
import type { Deps } from '../src/services/deps.js';
import { buildSummary } from '../src/services/gonogo/decisions.js';
import { blockKitRenderer } from '../src/slack/blocks/renderer.js';
import { gateFacts, verdictInput } from '../src/services/gonogo/facts.js';
import { gonogoSummaryMessage } from '../src/slack/blocks/gonogo.js';
import { blockProblems } from '../src/slack/blocks/limits.js';
import { parseArgs } from './lib.js';

// ---------------------------------------------------------------------------------------------- options

const KNOWN = ['iterations', 'warmup', 'answers', 'blockers', 'workdays', 'try-fixes', 'keep'];
const raw = parseArgs(process.argv.slice(2));
for (const k of Object.keys(raw)) if (!KNOWN.includes(k)) throw new Error(`unknown option --${k} (known: ${KNOWN.map((x) => `--${x}`).join(' ')})`);
const int = (k: string, dflt: number, min = 1) => {
  const v = raw[k] === undefined ? dflt : Number(raw[k]);
  if (!Number.isInteger(v) || v < min) throw new Error(`--${k} must be an integer ≥ ${min} (got ${raw[k]})`);
  return v;
};
const bool = (k: string, dflt: boolean) => {
  if (raw[k] === undefined) return dflt;
  if (raw[k] === 'true' || raw[k] === '1') return true;
  if (raw[k] === 'false' || raw[k] === '0') return false;
  throw new Error(`--${k} must be true or false (got ${raw[k]})`);
};
const opts = {
  iterations: int('iterations', 200),
  warmup: int('warmup', 20, 0),
  answers: int('answers', 200_000),
  blockers: int('blockers', 20_000, 100),
  workdays: int('workdays', 105, 2),
  tryFixes: bool('try-fixes', true),
  keep: bool('keep', false),
};

const WORKSTREAMS = 50;
const MEMBERS_PER_WS = 40;
const CHECKLIST_ITEMS = ['Runbook reviewed and linked', 'Load test at 2x peak passed', 'Rollback rehearsed end to end', 'Dashboards and alerts in place', 'On-call rota staffed for launch week'];
const GATES = 20;
const ZONE = 'America/New_York';
/** Tuesday 2026-03-10, 11:30 in New York (EDT since Mar 8): today's runs opened at 10:00 and close at 12:00. */
const NOW = DateTime.fromISO('2026-03-10T11:30:00', { zone: ZONE });
const TODAY = NOW.toISODate()!;
const TARGET_P95_MS = 200;

const runTag = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const dbBase = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbUrl = (() => {
  const u = new URL(dbBase);
  u.pathname = `/preflight_bench_gonogo_${runTag}`;
  return u.toString();
})();

// ---------------------------------------------------------------------------------------------- config

const userId = (i: number) => `U${String(i + 1).padStart(7, '0')}`; // i is 0-based: ws w has users w*40 … w*40+39
const wsId = (w: number) => `ws${String(w + 1).padStart(3, '0')}`;
const gateId = (g: number) => `g${String(g + 1).padStart(2, '0')}`;

/**
 * 20 gates in four tracks of five (each gate requires the previous one of its track); the last gate also
 * requires the end of the three other tracks. Every fourth gate is optional. Due times from 10 days ago to
 * 9 days ahead.
 */
function gateDefs() {
  return Array.from({ length: GATES }, (_, g) => {
    const requires: string[] = [];
    if (g % 5 !== 0) requires.push(gateId(g - 1));
    if (g === GATES - 1) requires.push(gateId(4), gateId(9), gateId(14));
    return {
      id: gateId(g),
      name: `Gate ${g + 1}: ${['Security review', 'Privacy review', 'Load test', 'Accessibility audit', 'Release train freeze'][g % 5]} (track ${Math.floor(g / 5) + 1})`,
      due: NOW.minus({ days: 10 }).plus({ days: g }).set({ hour: 14, minute: 0 }).toFormat("yyyy-LL-dd'T'HH:mm"),
      sign_off: [userId((g * 97) % (WORKSTREAMS * MEMBERS_PER_WS)), 'UEX000001'],
      requires,
      mandatory: g % 4 !== 3,
    };
  });
}

function buildYaml(): string {
  const lines = ['program:', '  name: Scale bench launch', `  timezone: ${ZONE}`, '  pm: UPM000001', '  execs: [UEX000001, UEX000002]', '  channel: CPROGRAM01', 'workstreams:'];
  for (let w = 0; w < WORKSTREAMS; w++) {
    lines.push(`  ${wsId(w)}:`, `    name: Workstream ${w + 1}`, `    channel: CWS${String(w + 1).padStart(5, '0')}`, `    leads: [${userId(w * MEMBERS_PER_WS)}]`, '    members:');
    for (let j = 0; j < MEMBERS_PER_WS; j++) lines.push(`      - ${userId(w * MEMBERS_PER_WS + j)}`);
    lines.push('    checklist:', ...CHECKLIST_ITEMS.map((c) => `      - ${JSON.stringify(c)}`));
  }
  lines.push('gates:');
  for (const g of gateDefs()) {
    lines.push(
      `  - id: ${g.id}`,
      `    name: ${JSON.stringify(g.name)}`,
      `    due: "${g.due}"`,
      `    sign_off: [${g.sign_off.join(', ')}]`,
      `    requires: [${g.requires.join(', ')}]`,
      `    mandatory: ${g.mandatory}`,
    );
  }
  lines.push('gonogo:', '  go_at_least: 100', '  conditional_at_least: 90', '  blocking_severities: [P0]');
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------- helpers

const progress = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { n: s.length, min: round(s[0]!), p50: round(q(0.5)), p95: round(q(0.95)), p99: round(q(0.99)), max: round(s[s.length - 1]!), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
}
const fmt = (s: ReturnType<typeof stats>) => `p50 ${s.p50} ms · p95 ${s.p95} ms · p99 ${s.p99} ms · max ${s.max} ms · min ${s.min} ms · mean ${s.mean} ms (n=${s.n})`;

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  progress(`${label}: ${round((performance.now() - t0) / 1000, 1)} s`);
  return r;
}

// ---------------------------------------------------------------------------------------------- load

async function load(c: pg.Client, config: WorkspaceConfig): Promise<void> {
  await c.query('SELECT setseed(0.4242)');
  const nowIso = NOW.toUTC().toISO()!;

  // checklist ticks: ~70 % of items ticked, ~10 % ticked then unticked (checked = false)
  const tw: string[] = [],
    ti: string[] = [],
    tc: boolean[] = [],
    tb: string[] = [];
  Object.keys(config.workstreams).forEach((id, w) =>
    CHECKLIST_ITEMS.forEach((item, k) => {
      const h = (w * 7 + k * 3) % 10;
      if (h >= 8) return;
      tw.push(id), ti.push(item), tc.push(h < 7), tb.push(userId(w * MEMBERS_PER_WS));
    }),
  );
  await c.query(
    `INSERT INTO checklist_ticks (workstream_id, item, checked, "by", "at")
     SELECT w, i, ch, b, $5::timestamptz - (random() * interval '20 days') FROM unnest($1::text[], $2::text[], $3::bool[], $4::text[]) AS t(w, i, ch, b)`,
    [tw, ti, tc, tb, nowIso],
  );

  // gate states: the first two gates of each track passed, gate 8 (optional) failed, the rest pending (no row)
  const gs = gateDefs().flatMap((g, i) => (i % 5 < 2 ? [{ id: g.id, status: 'passed', by: g.sign_off[0]! }] : i === 7 ? [{ id: g.id, status: 'failed', by: g.sign_off[0]! }] : []));
  await c.query(
    `INSERT INTO gate_states (gate_id, status, signed_by, signed_at, note, updated_at)
     SELECT id, st, b, $4::timestamptz - interval '3 days', 'bench', $4::timestamptz - interval '3 days' FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, st, b)`,
    [gs.map((g) => g.id), gs.map((g) => g.status), gs.map((g) => g.by), nowIso],
  );

  // blockers: exactly 5 % unresolved (70 % open, 30 % acknowledged); P0 4 %, P1 30 %, P2 66 %; raised over the
  // last 30 days (unresolved ones skewed recent); plus one source='gate' blocker for 10 gates.
  const nGate = 10;
  await c.query(
    `INSERT INTO blockers (workstream_id, gate_id, severity, text, reporter, owner, status, policy, levels_done, last_notified_at, next_due_at,
                           acknowledged_by, version, raised_at, resolved_at, resolved_by, source, channel, message_version, message_rendered_version)
     SELECT ws, NULL, sev, 'B' || i || ': ' || (ARRAY['Staging DB out of disk','Waiting on legal sign-off for copy','Flaky e2e suite blocks merges','Vendor API rate limit too low','Missing on-call for payments','Cert rotation failing in eu-west','Design review not scheduled','Load balancer config drift'])[1 + (i % 8)],
            rep, own, st, '{"ladder":[{"afterMs":900000,"notify":"lead"}],"stopWhen":"resolved"}'::jsonb,
            CASE WHEN raised < now_ - interval '15 minutes' THEN 1 ELSE 0 END,
            CASE WHEN raised < now_ - interval '15 minutes' THEN raised + interval '15 minutes' END,
            CASE WHEN st <> 'resolved' AND raised >= now_ - interval '15 minutes' THEN raised + interval '15 minutes' END,
            CASE WHEN st = 'acknowledged' THEN ARRAY[own] ELSE '{}'::text[] END, 1 + (i % 4), raised,
            CASE WHEN st = 'resolved' THEN least(now_, raised + r_res * interval '72 hours') END,
            CASE WHEN st = 'resolved' THEN own END,
            src, 'CBLOCKERS1', 1 + (i % 4), 1 + (i % 4)
     FROM (
       SELECT i, now_, r_res,
              'ws' || lpad((1 + floor(r_ws * ${WORKSTREAMS})::int)::text, 3, '0') AS ws,
              CASE WHEN r_sev < 0.04 THEN 'P0' WHEN r_sev < 0.34 THEN 'P1' ELSE 'P2' END AS sev,
              CASE WHEN i % 20 <> 0 THEN 'resolved' WHEN r_st < 0.7 THEN 'open' ELSE 'acknowledged' END AS st,
              CASE WHEN i % 20 = 0 THEN now_ - (r_t * r_t) * interval '30 days' ELSE now_ - r_t * interval '30 days' END AS raised,
              CASE WHEN r_src < 0.5 THEN 'command' WHEN r_src < 0.75 THEN 'modal' ELSE 'standup' END AS src,
              'U' || lpad((1 + floor(r_rep * ${WORKSTREAMS * MEMBERS_PER_WS})::int)::text, 7, '0') AS rep,
              'U' || lpad((1 + floor(r_own * ${WORKSTREAMS * MEMBERS_PER_WS})::int)::text, 7, '0') AS own
       FROM (SELECT i, $1::timestamptz AS now_, random() r_ws, random() r_sev, random() r_st, random() r_t, random() r_src, random() r_rep, random() r_own, random() r_res
             FROM generate_series(1, $2::int) i) x
     ) y
     ORDER BY raised`,
    [nowIso, opts.blockers - nGate],
  );
  // their messages, posted (the blocker message's delivery, services/blockers/delivery-kinds.ts)
  await c.query(
    `INSERT INTO deliveries (kind, owner_key, conversation, ts, status, created_at)
     SELECT 'blocker', id::text, channel, extract(epoch FROM raised_at)::bigint || '.000' || lpad((id % 1000)::text, 3, '0'), 'sent', raised_at FROM blockers`,
  );
  await c.query(
    `INSERT INTO blockers (workstream_id, gate_id, severity, text, reporter, owner, status, policy, levels_done, raised_at, resolved_at, resolved_by, source, channel)
     SELECT 'ws' || lpad((1 + g * 5)::text, 3, '0'), 'g' || lpad((1 + g * 2)::text, 2, '0'), 'P1', 'Gate not signed off by its due time', 'UPM000001', 'UEX000001',
            CASE WHEN g % 2 = 0 THEN 'open' ELSE 'resolved' END, '{"ladder":[{"afterMs":900000,"notify":"lead"}],"stopWhen":"resolved"}'::jsonb, 1,
            $1::timestamptz - g * interval '1 day', CASE WHEN g % 2 = 1 THEN $1::timestamptz - interval '1 hour' END, CASE WHEN g % 2 = 1 THEN 'UEX000001' END, 'gate', 'CBLOCKERS1'
     FROM generate_series(0, $2::int - 1) g`,
    [nowIso, nGate],
  );

  // standup runs: one per workstream per workday (the last --workdays workdays up to today), in date order;
  // today's is open, ~2 % of the others missed (no prompts), the rest closed.
  await c.query(
    `INSERT INTO standup_runs (workstream_id, local_date, status, open_at, close_at, started_by, questions, workstream_name, zone, report_channel,
                               report_version, report_rendered_version, closed_at, created_at)
     SELECT 'ws' || lpad(w::text, 3, '0'), d,
            CASE WHEN back = 1 THEN 'open' WHEN (w * 31 + back * 17) % 50 = 0 THEN 'missed' ELSE 'closed' END,
            (d + time '10:00') AT TIME ZONE $2, (d + time '12:00') AT TIME ZONE $2, NULL, $3::jsonb, 'Workstream ' || w, $2,
            'CWS' || lpad(w::text, 5, '0'),
            3, CASE WHEN back = 1 THEN 2 ELSE 3 END, CASE WHEN back = 1 THEN NULL ELSE (d + time '12:00') AT TIME ZONE $2 END, (d + time '10:00') AT TIME ZONE $2
     FROM (SELECT d::date AS d, row_number() OVER (ORDER BY d DESC) AS back
           FROM generate_series($1::date - 400, $1::date, interval '1 day') d WHERE extract(isodow FROM d) < 6 ORDER BY d DESC LIMIT $4) days
     CROSS JOIN generate_series(1, ${WORKSTREAMS}) w
     ORDER BY d, w`,
    [TODAY, ZONE, JSON.stringify(DEFAULT_QUESTIONS), opts.workdays],
  );
  // their reports, posted (the report's delivery, services/checkins/delivery-kinds.ts)
  await c.query(
    `INSERT INTO deliveries (kind, owner_key, conversation, ts, status, created_at)
     SELECT 'report', id::text, report_channel, extract(epoch FROM open_at)::bigint || '.000100', 'sent', created_at FROM standup_runs`,
  );

  // one prompt per member per (non-missed) run; exactly --answers of them answered (complete), chosen at random.
  await c.query(
    `CREATE TEMP TABLE bench_pp AS
     SELECT run_id, run_status, open_at, close_at, uidx, rk, r2, r3, r4, row_number() OVER (ORDER BY rk) AS rn
     FROM (SELECT r.id AS run_id, r.status AS run_status, r.open_at, r.close_at,
                  (substring(r.workstream_id FROM 3)::int - 1) * ${MEMBERS_PER_WS} + j + 1 AS uidx, random() AS rk, random() AS r2, random() AS r3, random() AS r4
           FROM standup_runs r CROSS JOIN generate_series(0, ${MEMBERS_PER_WS - 1}) j WHERE r.status <> 'missed') x`,
  );
  const { rows: ppCount } = await c.query<{ n: string }>('SELECT count(*) AS n FROM bench_pp');
  const nPrompts = Number(ppCount[0]!.n);
  if (nPrompts < opts.answers) throw new Error(`only ${nPrompts} prompts for ${opts.answers} answers: raise --workdays`);
  await c.query('ANALYZE bench_pp');
  // the member's part (expected, skipped, ooo) on the prompt; its DM's fate (sent, sent then reminded, failed) on
  // its delivery (services/checkins/delivery-kinds.ts)
  await c.query(
    `CREATE TEMP TABLE bench_ps AS
     SELECT *, CASE WHEN rn <= $1 THEN 'sent'
                    WHEN run_status = 'open' THEN 'sent'
                    WHEN r2 < 0.5 THEN 'expired' WHEN r2 < 0.7 THEN 'skipped' WHEN r2 < 0.9 THEN 'ooo' ELSE 'failed' END AS st
     FROM bench_pp`,
    [opts.answers],
  );
  await c.query(
    `INSERT INTO standup_prompts (run_id, user_id, zone, prompt_at, remind_at, close_at, status, dm_step)
     SELECT run_id, 'U' || lpad(uidx::text, 7, '0'), $1, open_at, open_at + interval '30 minutes', close_at,
            CASE WHEN st IN ('skipped', 'ooo') THEN st ELSE 'expected' END, CASE WHEN rn <= $2 THEN 5 ELSE 0 END
     FROM bench_ps p
     ORDER BY run_id, uidx`,
    [ZONE, opts.answers],
  );
  await c.query(
    `INSERT INTO deliveries (kind, owner_key, conversation, ts, status, claimed_at, claims, attempts, first_claimed_at, sent_at, created_at)
     SELECT 'prompt', sp.id::text, 'D' || lpad(p.uidx::text, 7, '0'),
            extract(epoch FROM p.open_at)::bigint || '.' || lpad(p.uidx::text, 6, '0'),
            CASE WHEN p.st = 'failed' THEN 'failed' ELSE 'sent' END, p.open_at, 1, 1, p.open_at,
            CASE WHEN p.st = 'failed' THEN NULL ELSE p.open_at + interval '1 second' END, p.open_at
     FROM bench_ps p JOIN standup_prompts sp ON sp.run_id = p.run_id AND sp.user_id = 'U' || lpad(p.uidx::text, 7, '0')
     WHERE p.st IN ('sent', 'expired', 'failed')`,
  );
  await c.query(
    `INSERT INTO deliveries (kind, owner_key, conversation, status, created_at)
     SELECT 'reminder', sp.id::text, 'D' || lpad(p.uidx::text, 7, '0'), CASE WHEN p.st = 'expired' THEN 'sent' ELSE 'cancelled' END, p.open_at
     FROM bench_ps p JOIN standup_prompts sp ON sp.run_id = p.run_id AND sp.user_id = 'U' || lpad(p.uidx::text, 7, '0')
     WHERE p.st IN ('sent', 'expired')`,
  );
  // answers: complete for the chosen prompts; an incomplete (two questions) answer for ~half of the
  // unanswered sent/expired prompts.
  await c.query(
    `INSERT INTO standup_answers (run_id, user_id, answers, complete, source, completed_at, updated_at, edits, late, late_version, late_posted_version)
     SELECT run_id, 'U' || lpad(uidx::text, 7, '0'),
            CASE WHEN complete THEN jsonb_build_object(
                   'yesterday', (ARRAY['Finished the migration of the billing tables and reviewed two PRs','Paired on the checkout flaky test; root cause is a race in the cart cache','Wrote the runbook section for failover and rehearsed it with SRE','Closed 4 accessibility tickets on the settings pages','Load-tested the search API at 2x peak, p99 within budget'])[1 + (uidx % 5)] || ' (PF-' || (run_id * 7 + uidx) % 9000 || ')',
                   'today', (ARRAY['Ship the feature flag cleanup and start on the launch dashboard','Fix the remaining P1 on the onboarding wizard','Review the security findings with the AppSec team','Finish the data backfill and verify counts','Prepare the demo for the go/no-go meeting'])[1 + ((uidx + run_id) % 5)],
                   'blockers', CASE WHEN r3 < 0.9 THEN 'none' ELSE 'Waiting on staging credentials from the platform team' END,
                   'progress', (r2 * 100)::int,
                   'risk', CASE WHEN r4 < 0.8 THEN 'green' WHEN r4 < 0.95 THEN 'yellow' ELSE 'red' END)
                 ELSE jsonb_build_object('yesterday', 'Half-typed answer', 'today', 'Still thinking') END,
            complete, CASE WHEN uidx % 3 = 0 THEN 'modal' ELSE 'dm' END,
            CASE WHEN complete THEN open_at + (r2 * interval '110 minutes') END, open_at + (r2 * interval '110 minutes'),
            CASE WHEN uidx % 17 = 0 THEN 1 ELSE 0 END, false, 0, 0
     FROM (SELECT *, rn <= $1 AS complete FROM bench_pp) p
     WHERE rn <= $1 OR ((run_status = 'open' OR r2 < 0.5) AND r3 < 0.5)
     ORDER BY run_id, uidx`,
    [opts.answers],
  );
  await c.query('DROP TABLE bench_pp');
  await c.query('DROP TABLE bench_ps');
}

// ---------------------------------------------------------------------------------------------- plans

interface Captured {
  label: string;
  text: string;
  params: unknown[];
}

/** A short label for each statement verdictInput issues, in order. */
function labelOf(text: string): string {
  if (/from "gate_states"/i.test(text)) return 'Q1 gate_states';
  if (/from "checklist_ticks"/i.test(text)) return 'Q2 checklist_ticks';
  if (/from "blockers"/i.test(text) && /group by/i.test(text)) return 'Q3 open blockers by ws/severity';
  if (/from "blockers"/i.test(text)) return 'Q4 blocking blockers';
  if (/"?standup_runs"?/i.test(text)) return 'Q5 latest run per ws';
  if (/"?standup_answers"?/i.test(text)) return 'Q6 answers of latest runs';
  if (/"?standup_prompts"?/i.test(text)) return 'Q7 expected per latest run';
  return text.slice(0, 40);
}

/** Index / scan nodes in an EXPLAIN text. */
function scansOf(plan: string): string[] {
  const out: string[] = [];
  for (const line of plan.split('\n')) {
    const m = /(Seq Scan on \S+|Index Only Scan(?: Backward)? using \S+ on \S+|Index Scan(?: Backward)? using \S+ on \S+|Bitmap Index Scan on \S+)/.exec(line);
    if (m) {
      const rows = /actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)/.exec(line);
      out.push(`${m[1]}${rows ? ` (rows=${rows[1]}${rows[2] !== '1' ? ` ×${rows[2]} loops` : ''})` : ''}`);
    }
  }
  return out;
}

async function explain(pool: pg.Pool, q: { text: string; params: unknown[] }): Promise<{ plan: string; execMs: number; planMs: number }> {
  const sql = `EXPLAIN (ANALYZE, BUFFERS) ${q.text}`;
  await pool.query(sql, q.params as unknown[]); // warm once
  const res = await pool.query<{ 'QUERY PLAN': string }>(sql, q.params as unknown[]);
  const plan = res.rows.map((r) => r['QUERY PLAN']).join('\n');
  const execMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
  const planMs = Number(/Planning Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
  return { plan, execMs, planMs };
}

/** Client-side round-trip times of one statement (same text and parameters), after a warm-up. */
async function timeStatement(pool: pg.Pool, q: { text: string; params: unknown[] }, n: number) {
  for (let i = 0; i < Math.min(10, n); i++) await pool.query(q.text, q.params as unknown[]);
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await pool.query(q.text, q.params as unknown[]);
    xs.push(performance.now() - t0);
  }
  return stats(xs);
}

// ---------------------------------------------------------------------------------------------- proposed variant

/**
 * `verdictInput` as proposed in RESULTS-gonogo.md (a bench-local copy of src/services/gonogo/facts.ts with two
 * statements changed; the rest is verbatim):
 *  - Q5: the latest non-missed run of each *configured* workstream by one backward probe of the
 *    (workstream_id, local_date) unique index each (LATERAL … LIMIT 1) instead of DISTINCT ON over every run
 *    (which sorts the whole table, by `local_date::text` since ORDER BY binds to the output alias), with the
 *    date rendered by to_char so DateStyle cannot change it;
 *  - Q6: answered / red / yellow counted in SQL (the risk question's id per run passed in) instead of fetching
 *    every complete answer's JSON of the latest runs and counting in JS.
 */
async function verdictInputProposed(deps: Deps): Promise<VerdictInput> {
  const { config, db } = deps;
  const gates = await gateFacts(deps);
  const ticks = await db.select().from(checklistTicks).where(eq(checklistTicks.checked, true));
  const ticked = new Set(ticks.map((t) => `${t.workstreamId}\u0000${t.item}`));
  const open = await db
    .select({ workstreamId: blockers.workstreamId, severity: blockers.severity, n: sql<number>`count(*)::int`, oldest: sql<Date>`min(${blockers.raisedAt})` })
    .from(blockers)
    .where(and(ne(blockers.status, 'resolved'), ne(blockers.source, 'gate')))
    .groupBy(blockers.workstreamId, blockers.severity);
  const blocking = config.gonogo?.blocking_severities ?? ['P0'];
  const blockingRows = await db
    .select({ id: blockers.id, severity: blockers.severity, workstreamId: blockers.workstreamId, gateId: blockers.gateId })
    .from(blockers)
    .where(and(ne(blockers.status, 'resolved'), ne(blockers.source, 'gate'), inArray(blockers.severity, blocking)))
    .orderBy(blockers.raisedAt)
    .limit(50);
  // latest non-missed run per configured workstream: one backward probe of the (workstream_id, local_date) index each
  const latest = await db.execute<{ id: number; workstream_id: string; local_date: string }>(
    sql`SELECT r.id, r.workstream_id, to_char(r.local_date, 'YYYY-MM-DD') AS local_date
        FROM unnest(${sql.param(Object.keys(config.workstreams))}::text[]) AS ws(id)
        CROSS JOIN LATERAL (SELECT id, workstream_id, local_date FROM ${standupRuns}
                            WHERE workstream_id = ws.id AND status <> 'missed' ORDER BY local_date DESC LIMIT 1) r`,
  );
  const runIds = latest.rows.map((r) => r.id);
  const questionsOf = (wsId: string) => config.workstreams[wsId]!.standup?.questions ?? config.standup.questions;
  // the risk question's id per run (riskOf: the first question of kind 'risk'), null when there is none
  const riskIds = latest.rows.map((r) => questionsOf(r.workstream_id).find((q) => q.kind === 'risk')?.id ?? null);
  const counts = runIds.length
    ? await db.execute<{ run_id: number; answered: number; red: number; yellow: number }>(
        sql`SELECT q.run_id, count(*)::int AS answered,
                   count(*) FILTER (WHERE a.answers ->> q.risk_id = 'red')::int AS red,
                   count(*) FILTER (WHERE a.answers ->> q.risk_id = 'yellow')::int AS yellow
            FROM unnest(${sql.param(runIds)}::int[], ${sql.param(riskIds)}::text[]) AS q(run_id, risk_id)
            JOIN ${standupAnswers} a ON a.run_id = q.run_id AND a.complete
            GROUP BY q.run_id`,
      )
    : { rows: [] };
  const expected = runIds.length
    ? await db
        .select({ runId: standupPrompts.runId, n: sql<number>`count(*)::int` })
        .from(standupPrompts)
        .where(and(inArray(standupPrompts.runId, runIds), eq(standupPrompts.status, 'expected')))
        .groupBy(standupPrompts.runId)
    : [];
  const workstreams: WorkstreamFacts[] = Object.entries(config.workstreams).map(([id, ws]) => {
    const sev = (s: Severity) => open.find((o) => o.workstreamId === id && o.severity === s)?.n ?? 0;
    const oldest = open.filter((o) => o.workstreamId === id).map((o) => new Date(o.oldest).getTime());
    const run = latest.rows.find((r) => r.workstream_id === id);
    let standup: WorkstreamFacts['standup'] = null;
    if (run) {
      const c = counts.rows.find((x) => x.run_id === run.id);
      standup = {
        localDate: run.local_date,
        red: c?.red ?? 0,
        yellow: c?.yellow ?? 0,
        answered: c?.answered ?? 0,
        expected: expected.find((e) => e.runId === run.id)?.n ?? 0,
      };
    }
    const items = ws.checklist;
    return {
      id,
      name: ws.name,
      checklistDone: items.filter((i) => ticked.has(`${id}\u0000${i}`)).length,
      checklistTotal: items.length,
      checklistOpen: items.filter((i) => !ticked.has(`${id}\u0000${i}`)),
      openBlockers: { P0: sev('P0'), P1: sev('P1'), P2: sev('P2') },
      oldestOpenBlockerAt: oldest.length ? Math.min(...oldest) : null,
      standup,
      activity: { state: 'active' as const },
    };
  });
  return {
    gates,
    workstreams,
    blockingBlockers: blockingRows,
    goAtLeast: config.gonogo?.go_at_least ?? 100,
    conditionalAtLeast: config.gonogo?.conditional_at_least ?? 90,
    now: deps.clock.now().toMillis(),
  };
}

/** buildSummary (src/services/gonogo/decisions.ts) on top of {@link verdictInputProposed}. */
async function buildSummaryProposed(deps: Deps) {
  const input = await verdictInputProposed(deps);
  const v = verdict(input);
  return gonogoSummaryMessage({ programName: deps.config.program.name, zone: deps.config.program.timezone, input, verdict: v, pm: deps.config.program.pm, now: input.now });
}

// ---------------------------------------------------------------------------------------------- run

async function timeLoop(label: string, n: number, warm: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < warm; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  const s = stats(xs);
  progress(`${label}: ${fmt(s)}`);
  return s;
}

async function main(): Promise<number> {
  const started = Date.now();
  const config = resolveProgram(parseWorkspaceConfig(buildYaml(), 'bench.yml'));
  const out: string[] = [];
  const say = (line = '') => {
    out.push(line);
    process.stdout.write(line + '\n');
  };
  progress(`db=${new URL(dbUrl).pathname.slice(1)} iterations=${opts.iterations} warmup=${opts.warmup} now=${NOW.toISO()}`);

  let database: Database | undefined;
  let dbCreated = false;
  let exit = 2;
  try {
    await ensureDatabase(dbUrl);
    dbCreated = true;
    await timed('migrate', () => runMigrations(dbUrl));

    const loader = new pg.Client({ connectionString: dbUrl });
    await loader.connect();
    try {
      await timed('bulk load', () => load(loader, config));
      await timed('VACUUM ANALYZE', () => loader.query('VACUUM ANALYZE'));
    } finally {
      await loader.end();
    }

    database = openDatabase(dbUrl, (err) => progress(`pool error: ${err.message}`));
    const { pool } = database;
    const sizes = await pool.query<{ t: string; rows: string; size: string }>(
      `SELECT t, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', t), false, true, '')))[1]::text AS rows,
              pg_size_pretty(pg_total_relation_size(t::regclass)) AS size
       FROM unnest(ARRAY['standup_runs','standup_prompts','standup_answers','blockers','checklist_ticks','gate_states']) t`,
    );
    const detail = await pool.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM standup_runs WHERE status = 'missed') AS runs_missed,
              (SELECT count(*) FROM standup_runs WHERE status = 'open') AS runs_open,
              (SELECT count(*) FROM standup_answers WHERE complete) AS answers_complete,
              (SELECT count(*) FROM standup_answers WHERE NOT complete) AS answers_incomplete,
              (SELECT count(*) FROM blockers WHERE status <> 'resolved') AS blockers_unresolved,
              (SELECT count(*) FROM blockers WHERE status <> 'resolved' AND severity = 'P0' AND source <> 'gate') AS blockers_open_p0,
              (SELECT string_agg(status || '=' || n, ' ') FROM (SELECT status, count(*) n FROM standup_prompts GROUP BY 1 ORDER BY 1) s) AS prompt_statuses,
              (SELECT min(local_date)::text || '…' || max(local_date)::text FROM standup_runs) AS run_dates,
              (SELECT count(*) FROM checklist_ticks WHERE checked) AS ticks_checked,
              (SELECT string_agg(status || '=' || n, ' ') FROM (SELECT status, count(*) n FROM gate_states GROUP BY 1 ORDER BY 1) s) AS gate_states`,
    );

    const deps: Deps = {
      db: database.db,
      config,
      clock: fixedClock(NOW),
      slack: {} as unknown as WebClient,
      wakeups: {} as unknown as Wakeups,
      renderer: blockKitRenderer,
      log: pino({ level: 'silent' }),
    };

    // sanity: the summary renders and stays within Block Kit limits
    const sample = await buildSummary(deps);
    const problems = blockProblems(sample.blocks as never, 'message');
    const input = await verdictInput(deps);
    const v = verdict(input);

    say(`# gonogo-summary bench output (${new Date().toISOString()})`);
    say();
    const pgVersion = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    say(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, load avg ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}, node ${process.version}, PostgreSQL ${pgVersion}`,
    );
    say(`command: npx tsx bench/gonogo-summary.ts ${process.argv.slice(2).join(' ')}`.trimEnd());
    say(
      `config: ${WORKSTREAMS} workstreams × ${MEMBERS_PER_WS} members (${WORKSTREAMS * MEMBERS_PER_WS}), ${CHECKLIST_ITEMS.length} checklist items each, ${config.gates.length} gates; clock ${NOW.toISO()}`,
    );
    say();
    say('| table | rows | size (with indexes) |');
    say('|---|---:|---:|');
    for (const r of sizes.rows) say(`| ${r.t} | ${r.rows} | ${r.size} |`);
    say();
    say(
      `details: ${Object.entries(detail.rows[0]!)
        .map(([k, val]) => `${k}: ${val}`)
        .join('; ')}`,
    );
    say();
    say(`summary: ${sample.text}; ${sample.blocks?.length ?? 0} blocks, ${sample.overflow.length} overflow thread message(s); Block Kit problems: ${problems.length ? problems.join('; ') : 'none'}`);
    say(
      `verdict input: ${input.gates.length} gates, ${input.workstreams.length} workstreams, ${input.blockingBlockers.length} blocking blockers, latest standups answered ${input.workstreams.reduce((n, w) => n + (w.standup?.answered ?? 0), 0)}/${input.workstreams.reduce((n, w) => n + (w.standup?.expected ?? 0), 0)}; decision ${v.decision} ${v.percent}%`,
    );
    say();

    // ---------------------------------------------------------------- phase 1: end-to-end timings
    const n = opts.iterations;
    const w = opts.warmup;
    say('## Timings (client side, sequential, after warm-up)');
    say();
    const tSummary = await timeLoop('buildSummary', n, w, () => buildSummary(deps));
    const tInput = await timeLoop('verdictInput', n, w, () => verdictInput(deps));
    const tPure = await timeLoop('verdict + gonogoSummaryMessage (no I/O)', n, w, async () => {
      const vv = verdict(input);
      return gonogoSummaryMessage({ programName: config.program.name, zone: config.program.timezone, input, verdict: vv, pm: config.program.pm, now: input.now });
    });
    say(`- buildSummary(deps): ${fmt(tSummary)}`);
    say(`- verdictInput(deps): ${fmt(tInput)}`);
    say(`- verdict + gonogoSummaryMessage only: ${fmt(tPure)}`);
    say(`- target p95 < ${TARGET_P95_MS} ms: ${tSummary.p95 < TARGET_P95_MS ? 'MET' : 'MISSED'}`);
    say();

    // ---------------------------------------------------------------- phase 2: capture the statements
    const captured: Captured[] = [];
    const capturingDb = drizzle(pool, {
      schema,
      logger: { logQuery: (text: string, params: unknown[]) => captured.push({ label: labelOf(text), text, params: [...params] }) },
    }) as unknown as Db;
    await verdictInput({ ...deps, db: capturingDb });

    // per-statement client-side timings (same text and parameters, sequential)
    say('## Per statement (client-side round trip of the exact statement, and EXPLAIN ANALYZE execution time)');
    say();
    say('| statement | rows | round trip p50 / p95 (ms) | plan: exec / planning (ms) | scans |');
    say('|---|---:|---:|---:|---|');
    const plans: { label: string; text: string; params: unknown[]; plan: string }[] = [];
    for (const q of captured) {
      const rows = (await pool.query(q.text, q.params as unknown[])).rowCount ?? 0;
      const st = await timeStatement(pool, q, Math.max(50, Math.min(n, 200)));
      const ex = await explain(pool, q);
      plans.push({ ...q, plan: ex.plan });
      say(`| ${q.label} | ${rows} | ${st.p50} / ${st.p95} | ${ex.execMs} / ${ex.planMs} | ${scansOf(ex.plan).join('; ')} |`);
    }
    say();
    say('## Plans (EXPLAIN (ANALYZE, BUFFERS), second run)');
    for (const p of plans) {
      say();
      say(`### ${p.label}`);
      say();
      say('```sql');
      say(p.text.length > 600 ? `${p.text.slice(0, 600)} …` : p.text);
      say(`-- params: ${JSON.stringify(p.params).slice(0, 300)}`);
      say('```');
      say('```');
      say(p.plan);
      say('```');
    }
    say();

    // ---------------------------------------------------------------- phase 3: proposed change and other candidates (bench DB only)
    if (opts.tryFixes) {
      say('## Proposed change and other candidates (tried in the bench DB only)');
      say();
      const capturedNew: Captured[] = [];
      const capturingDbNew = drizzle(pool, {
        schema,
        logger: { logQuery: (text: string, params: unknown[]) => capturedNew.push({ label: labelOf(text), text, params: [...params] }) },
      }) as unknown as Db;
      const proposedInput = await verdictInputProposed({ ...deps, db: capturingDbNew });
      const originalInput = await verdictInput(deps);
      const same = isDeepStrictEqual(proposedInput, originalInput);
      say(`- proposed verdictInput returns the same VerdictInput as src/services/gonogo/facts.ts: ${same ? 'yes (deep-equal)' : 'NO'}`);
      if (!same) throw new Error('the proposed verdictInput differs from the original: fix the bench before reading its figures');
      say();

      const pick = (list: Captured[], prefix: string) => list.find((c) => c.label.startsWith(prefix))!;
      const q5 = pick(captured, 'Q5');
      const q6 = pick(captured, 'Q6');
      const q5New = pick(capturedNew, 'Q5');
      const q6New = pick(capturedNew, 'Q6');
      const q5Qualified = {
        label: 'Q5 with ORDER BY standup_runs.local_date',
        text: q5.text.replace('ORDER BY workstream_id, local_date DESC', 'ORDER BY workstream_id, "standup_runs".local_date DESC'),
        params: [],
      };

      say('| statement | rows | round trip p50 / p95 / max (ms) | plan: exec (ms) | buffers | scans |');
      say('|---|---:|---:|---:|---:|---|');
      const newPlans: { label: string; text: string; params: unknown[]; plan: string }[] = [];
      for (const [label, q] of [
        ['Q5 original (DISTINCT ON)', q5],
        ['Q5 ORDER BY the column, not the alias', q5Qualified],
        ['Q5 proposed (LATERAL … LIMIT 1)', q5New],
        ['Q6 original (fetch 1,9xx JSON answers)', q6],
        ['Q6 proposed (counts in SQL)', q6New],
      ] as const) {
        const rows = (await pool.query(q.text, q.params as unknown[])).rowCount ?? 0;
        const st = await timeStatement(pool, q, Math.max(50, Math.min(n, 200)));
        const ex = await explain(pool, q);
        const buffers = /Buffers: shared hit=(\d+)(?: read=(\d+))?/.exec(ex.plan);
        if (label.includes('proposed') || label.includes('column')) newPlans.push({ label, text: q.text, params: q.params, plan: ex.plan });
        say(
          `| ${label} | ${rows} | ${st.p50} / ${st.p95} / ${st.max} | ${ex.execMs} | ${buffers ? `hit=${buffers[1]}${buffers[2] ? ` read=${buffers[2]}` : ''}` : '?'} | ${scansOf(ex.plan).join('; ')} |`,
        );
      }
      say();
      for (const p of newPlans) {
        say(`#### ${p.label}`);
        say();
        say('```sql');
        say(p.text.replace(/\s+/g, ' ').trim());
        say(`-- params: ${JSON.stringify(p.params).slice(0, 200)}`);
        say('```');
        say('```');
        say(p.plan);
        say('```');
        say();
      }

      // DateStyle: the original Q5 sorts by local_date::text, so a non-ISO DateStyle changes which run is "latest"
      const c = await pool.connect();
      try {
        await c.query(`SET DateStyle = 'SQL, DMY'`);
        const a = (await c.query<{ workstream_id: string; local_date: string }>(q5.text)).rows.find((r) => r.workstream_id === 'ws001');
        const b = (await c.query<{ workstream_id: string; local_date: string }>(q5New.text, q5New.params as unknown[])).rows.find((r) => r.workstream_id === 'ws001');
        say(`- with \`SET DateStyle = 'SQL, DMY'\` the latest run of ws001 (really ${TODAY}) is: original Q5 → \`${a?.local_date}\`; proposed Q5 → \`${b?.local_date}\``);
        say();
      } finally {
        await c.query('RESET DateStyle').catch(() => {});
        c.release();
      }

      // end to end, original and proposed alternating (same noise for both)
      for (let i = 0; i < w; i++) {
        await buildSummary(deps);
        await buildSummaryProposed(deps);
      }
      const xa: number[] = [],
        xb: number[] = [],
        ya: number[] = [],
        yb: number[] = [];
      for (let i = 0; i < n; i++) {
        const order = i % 2 === 0;
        for (const which of order ? ['a', 'b'] : ['b', 'a']) {
          const t0 = performance.now();
          if (which === 'a') await buildSummary(deps);
          else await buildSummaryProposed(deps);
          (which === 'a' ? xa : xb).push(performance.now() - t0);
        }
      }
      for (let i = 0; i < n; i++) {
        const order = i % 2 === 0;
        for (const which of order ? ['a', 'b'] : ['b', 'a']) {
          const t0 = performance.now();
          if (which === 'a') await verdictInput(deps);
          else await verdictInputProposed(deps);
          (which === 'a' ? ya : yb).push(performance.now() - t0);
        }
      }
      say('End to end, original and proposed interleaved (A B / B A …) so both see the same machine noise:');
      say();
      say(`- buildSummary, original: ${fmt(stats(xa))}`);
      say(`- buildSummary, proposed: ${fmt(stats(xb))}`);
      say(`- verdictInput, original: ${fmt(stats(ya))}`);
      say(`- verdictInput, proposed: ${fmt(stats(yb))}`);
      say();
      progress(`interleaved buildSummary original ${fmt(stats(xa))}`);
      progress(`interleaved buildSummary proposed ${fmt(stats(xb))}`);

      // other candidates: indexes (not proposed, see RESULTS-gonogo.md)
      say('Other candidates (indexes created in the bench DB, then dropped):');
      say();
      const q3 = pick(captured, 'Q3');
      const q4 = pick(captured, 'Q4');
      const q7 = pick(captured, 'Q7');
      const before3 = await explain(pool, q3);
      const before4 = await explain(pool, q4);
      const before7 = await explain(pool, q7);
      await pool.query(`CREATE INDEX bench_blockers_open_idx ON blockers (severity, raised_at) INCLUDE (workstream_id) WHERE status <> 'resolved' AND source <> 'gate'`);
      await pool.query('VACUUM ANALYZE blockers');
      for (const [q, before] of [
        [q3, before3],
        [q4, before4],
      ] as const) {
        const ex = await explain(pool, q);
        say(
          `- ${q.label} with \`CREATE INDEX … ON blockers (severity, raised_at) INCLUDE (workstream_id) WHERE status <> 'resolved' AND source <> 'gate'\`: exec ${before.execMs} → ${ex.execMs} ms; ${scansOf(ex.plan).join('; ')}`,
        );
      }
      await pool.query('DROP INDEX bench_blockers_open_idx');
      await pool.query('ANALYZE blockers');
      await pool.query('CREATE INDEX bench_prompts_run_status_idx ON standup_prompts (run_id, status)');
      await pool.query('VACUUM ANALYZE standup_prompts');
      {
        const ex = await explain(pool, q7);
        say(`- ${q7.label} with \`CREATE INDEX … ON standup_prompts (run_id, status)\`: exec ${before7.execMs} → ${ex.execMs} ms; ${scansOf(ex.plan).join('; ')}`);
      }
      await pool.query('DROP INDEX bench_prompts_run_status_idx');
      await pool.query('ANALYZE standup_prompts');
      say();
    }

    exit = tSummary.p95 < TARGET_P95_MS ? 0 : 1;
    progress(`done in ${round((Date.now() - started) / 1000, 1)} s`);
    return exit;
  } finally {
    if (database) await database.pool.end().catch(() => {});
    if (dbCreated && !opts.keep) await dropDatabase(dbUrl).catch((err) => progress(`could not drop ${dbUrl}: ${(err as Error).message}`));
    else if (dbCreated) progress(`kept database ${new URL(dbUrl).pathname.slice(1)}`);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
