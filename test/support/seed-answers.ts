import type pg from 'pg';

/**
 * Bulk-loads check-in runs and answers with `INSERT … SELECT generate_series` (for the export tests and benchmark):
 * `runs` runs of workstream `ws<n % 50>` opening at 15:00 UTC on consecutive days from 2026-11-01, and `perRun`
 * complete answers per run from users `U<k>`, with every default question answered.
 */
export async function seedAnswers(pool: pg.Pool, runs: number, perRun: number): Promise<void> {
  await pool.query(
    `INSERT INTO standup_runs (workstream_id, local_date, status, open_at, close_at, questions, workstream_name, zone, report_channel)
     SELECT 'ws' || (g % 50), date '2026-11-01' + (g / 50), 'closed', timestamptz '2026-11-01 15:00Z' + make_interval(days => g / 50),
            timestamptz '2026-11-01 17:00Z' + make_interval(days => g / 50), '[]'::jsonb, 'Workstream ' || (g % 50), 'UTC', 'C0WS' || (g % 50)
     FROM generate_series(0, $1::int - 1) g`,
    [runs],
  );
  await pool.query(
    `INSERT INTO standup_answers (run_id, user_id, answers, complete, source, completed_at, updated_at)
     SELECT r.id, 'U' || u,
            jsonb_build_object('yesterday', 'Wired the broker to the staging queue, item ' || u, 'today', 'Load test "round 2", then docs', 'blockers', 'none', 'progress', u % 101, 'risk', 'green'),
            true, 'dm', r.open_at + make_interval(mins => u % 60), r.open_at + make_interval(mins => u % 60)
     FROM standup_runs r CROSS JOIN generate_series(1, $1::int) u`,
    [perRun],
  );
}
