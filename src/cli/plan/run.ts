import type { DateTime } from 'luxon';
import { comparePlans } from '../../services/plan/compare.js';
import { PLAN_USAGE, PlanUsageError, parsePlanArgs, type PlanArgs, type PlanFormat } from './args.js';
import type { PlanComparison } from './comparison.js';
import { planToJson } from './json.js';
import { PlanFileError, plansToCompare } from './running.js';
import { planToTable } from './table.js';

/** Where to compare from. */
export interface CompareOptions {
  /** The new file. */
  newFile: string;
  /** The current file, the running plan when no database answers ($PREFLIGHT_CONFIG, else ./preflight.yml). */
  runningFile: string;
  databaseUrl: string | undefined;
  /** The first program-local day (YYYY-MM-DD); absent: today in the new plan's `program.timezone`, from `now` on. */
  fromDate?: string;
  days: number;
  /** The instant "today" and "from now on" are read from (the CLI: the wall clock; tests: their own now). */
  now: DateTime;
}

/**
 * Compares the plan the bot runs (the latest recorded in Postgres, else the current file: cli/plan/running.ts) with
 * a new file over `days` program-local days (issue 20, "Plan before apply"). Without `fromDate` the span starts today
 * in the new plan's zone and what happened before `now` is left out; with it, every event of those days counts.
 * The end-to-end test compares these changes with the DMs that follow a reload.
 * @throws PlanFileError when the new file (or the current file, used as the running plan) is not a valid config.
 */
export async function comparePlanWithRunning(opts: CompareOptions): Promise<PlanComparison> {
  const { running, next } = await plansToCompare(opts.newFile, opts.runningFile, opts.databaseUrl);
  const fromDate = opts.fromDate ?? opts.now.setZone(next.config.program.timezone).toISODate()!;
  const diff = comparePlans(running, next, fromDate, opts.days, opts.fromDate ? undefined : opts.now);
  return { diff, days: opts.days, running: running.info, next: { file: next.file, version: next.version }, programName: next.config.program.name };
}

/** The comparison as text: `table` (cli/plan/table.ts) or `json` (cli/plan/json.ts). */
export function renderPlan(comparison: PlanComparison, format: PlanFormat): string {
  return format === 'json' ? planToJson(comparison) : planToTable(comparison);
}

/** What a run of the command printed and its exit code: 0 printed, 1 an invalid file, 2 bad arguments. */
export interface PlanRun {
  code: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

/**
 * `npm run plan` as a function of its arguments and environment (src/cli/plan-cli.ts prints the result and exits
 * with its code). Never throws for a user's mistake: bad arguments → usage (2), an invalid file → the loader's
 * problems with file, line and key path (1).
 * @param env PREFLIGHT_CONFIG and DATABASE_URL, as `npm start` reads them.
 */
export async function runPlanCommand(argv: readonly string[], env: { PREFLIGHT_CONFIG?: string; DATABASE_URL?: string }, now: DateTime): Promise<PlanRun> {
  let args: PlanArgs;
  try {
    args = parsePlanArgs(argv);
  } catch (err) {
    if (err instanceof PlanUsageError) return { code: 2, stdout: '', stderr: `${err.message}\n\n${PLAN_USAGE}\n` };
    throw err;
  }
  if (args.help) return { code: 0, stdout: `${PLAN_USAGE}\n`, stderr: '' };
  try {
    const comparison = await comparePlanWithRunning({
      newFile: args.config,
      runningFile: env.PREFLIGHT_CONFIG || './preflight.yml',
      databaseUrl: env.DATABASE_URL || undefined,
      days: args.days,
      now,
      ...(args.from ? { fromDate: args.from } : {}),
    });
    return { code: 0, stdout: `${renderPlan(comparison, args.format)}\n`, stderr: '' };
  } catch (err) {
    if (err instanceof PlanFileError) return { code: 1, stdout: '', stderr: `${err.message}\n` };
    throw err;
  }
}
export type { PlanComparison } from './comparison.js';
