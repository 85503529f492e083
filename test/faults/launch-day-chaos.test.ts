import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { ChaosEvent } from '../../bench/launch-day/chaos.js';
import type { ChaosChecks } from '../../bench/launch-day/chaos-checks.js';
import { reportFigures } from './report.js';

/*
 * Issue 25's chaos drill at a small scale, as CI runs it: `bench/launch-day.ts --chaos` plays two check-ins of 60
 * people, 3 minutes apart on the compressed clock, on two replicas of the compiled bot sharing Postgres and a Redis
 * of the drill's own, while a schedule drawn from seed 25 kills a replica every minute (restarted 0–30 s later),
 * restarts Redis empty, cuts Postgres for 10 s, answers every chat.postMessage 429 for 60 s around the second
 * fan-out and fails 2 % of the Web API calls (503s and lost replies). It then checks, from the Slack stand-in's record
 * and Postgres, what a user would see: every prompt once, no message posted twice, nothing left undelivered, no
 * escalation DM early, every acknowledged answer and /blocker stored, both reports showing their final state.
 *
 * The drill reads no hour or date: its day starts on the second minute boundary after it starts. It takes about
 * 8–9 minutes (most of it the day itself); the test allows 25.
 */

const DRILL_TIMEOUT_MS = 25 * 60_000;

/** The parts of the drill's JSON report (bench/launch-day.ts --json) this test reads. */
interface DrillReport {
  perSlot: { slot: string; expected: number; delivered: number; missing: number; missingSample: string[]; doubled: number; delay: { maxS: number } }[];
  chaos: { events: (ChaosEvent & { firedAt?: number; note?: string })[]; injected: Record<string, number>; checks: ChaosChecks };
  result: string;
}

/** The drill's process group while it runs (npx, tsx and the drill's node), so that it can be stopped. */
let running: number | undefined;

/** Asks the drill to stop (SIGTERM to its process group): it stops its bots and removes its database and Redis. */
function stopDrill(): void {
  if (running === undefined) return;
  try {
    process.kill(-running, 'SIGTERM');
  } catch {
    // already gone
  }
}

/**
 * Runs the drill (npx tsx bench/launch-day.ts …) to its end, in a process group of its own; stopped with SIGTERM
 * after `stopAfterMs`, so that a drill that hangs cleans up and fails the test before the test's own timeout.
 * Resolves with its exit code and output.
 */
function runDrill(args: string[], env: Record<string, string>, stopAfterMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'bench/launch-day.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running = child.pid;
    const timer = setTimeout(stopDrill, stopAfterMs);
    let output = '';
    child.stdout.on('data', (d) => {
      output += String(d);
    });
    child.stderr.on('data', (d) => {
      output += String(d);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      running = undefined;
      resolve({ code, output });
    });
  });
}

describe('the chaos drill (bench/launch-day.ts --chaos) at a small scale: nothing lost, doubled or early', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chaos-drill-'));
  afterAll(() => {
    stopDrill();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'two check-ins of 60 people on two replicas through kill -9s, a Redis restart, a Postgres outage, a 429 storm and failed calls',
    async () => {
      const json = join(dir, 'drill.json');
      const { code, output } = await runDrill(
        ['--people', '60', '--slots', '2', '--slot-min', '3', '--chaos', '--drain-max-s', '240', '--json', json],
        {
          // its own database on the test server (created, migrated and dropped by the drill) and a Redis of its own
          BENCH_DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
          BENCH_REDIS_URL: inject('redisUrl'),
        },
        DRILL_TIMEOUT_MS - 2 * 60_000,
      );
      const tail = output.split('\n').slice(-40).join('\n');
      let report: DrillReport;
      try {
        report = JSON.parse(readFileSync(json, 'utf8')) as DrillReport;
      } catch {
        throw new Error(`the drill wrote no report (exit code ${code}):\n${tail}`);
      }
      const { checks, events, injected } = report.chaos;
      reportFigures('chaos drill: 60 people, 2 check-ins, 2 replicas', {
        faults: events.map((e) => `${e.kind}${e.note ? ` (${e.note})` : ''}`),
        injected,
        perSlot: report.perSlot.map((s) => ({ slot: s.slot, delivered: s.delivered, expected: s.expected, doubled: s.doubled, worstDelayS: s.delay.maxS })),
        answers: checks.answers,
        reports: checks.reports,
        escalationDms: checks.escalation,
      });

      // the faults happened: every scheduled one fired, calls failed, and the storm answered 429
      expect(events.filter((e) => e.firedAt === undefined)).toEqual([]);
      expect(events.filter((e) => e.kind === 'kill').length).toBeGreaterThanOrEqual(4);
      expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['redis-restart', 'postgres-outage', 'post-storm']));
      expect((injected['5xx'] ?? 0) + (injected['lost-reply'] ?? 0)).toBeGreaterThan(0);
      expect(injected['429 (storm)'] ?? 0).toBeGreaterThan(0);

      // every prompt of both check-ins reached its person once
      for (const slot of report.perSlot) expect({ slot: slot.slot, missing: slot.missingSample, doubled: slot.doubled }).toEqual({ slot: slot.slot, missing: [], doubled: 0 });
      expect(checks.missingPrompts).toEqual([]);
      // no message posted twice (its metadata's reservation), none left pending, sending or failed
      expect(checks.doubled).toEqual({});
      expect(checks.notDelivered).toEqual({});
      // escalation DMs: some were sent, none before its due time
      expect(checks.escalation.posted).toBeGreaterThan(0);
      expect(checks.escalation.earlySample).toEqual([]);
      // every answer and /blocker the bot acknowledged (HTTP 200) is stored
      expect(checks.answers.acked).toBeGreaterThan(0);
      expect(checks.answers.lostSample).toEqual([]);
      expect(checks.blockers.lost).toEqual([]);
      // both check-ins' reports show their final state in the channel: every stored answer counted, closed (a slot
      // not played may have closed too if the drain ran long)
      expect(checks.reports.runs).toBeGreaterThanOrEqual(2);
      expect(checks.reports.staleSample).toEqual([]);
      expect({ code, result: report.result }).toMatchObject({ code: 0 });
    },
    DRILL_TIMEOUT_MS,
  );
});
