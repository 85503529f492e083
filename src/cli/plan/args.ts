import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';

/** The formats `npm run plan` prints (a later `--overrides --format yaml` adds its own here). */
export const PLAN_FORMATS = ['table', 'json'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** What `npm run plan` was asked for. */
export interface PlanArgs {
  /** The new file to compare with the running plan (`--config`). */
  config: string;
  /** How many program-local days to compare, 1 to 366 (`--days`, default 3). */
  days: number;
  /** The first program-local day, YYYY-MM-DD (`--from`); absent: today, from now on. */
  from?: string;
  format: PlanFormat;
  help: boolean;
}

/** The usage text, printed with `--help` and under a usage error. */
export const PLAN_USAGE = `Usage: npm run plan -- --config new.yml [--days 3] [--from YYYY-MM-DD] [--format table|json]
  --config   the new preflight.yml to compare with the plan the bot runs (required)
  --days     how many program-local days to compare, 1 to 366 (default: 3)
  --from     the first program-local day (default: today, from now on)
  --format   table (default) or json (a stable shape for review bots: docs/preview.md, "Plan before apply")
The running plan is the latest recorded in Postgres (DATABASE_URL), else the current file ($PREFLIGHT_CONFIG, else ./preflight.yml).`;

/** Bad arguments: the message to print above the usage (exit code 2). */
export class PlanUsageError extends Error {}

/**
 * Parses `npm run plan`'s arguments (node:util parseArgs, strict). The one place that knows the option list: the
 * rest of the command takes a {@link PlanArgs}, so a later option (`--overrides`, `--format yaml`) is added here
 * and in the code that acts on it.
 * @throws PlanUsageError on an unknown option, a missing `--config`, or a bad `--days`, `--from` or `--format`.
 */
export function parsePlanArgs(argv: readonly string[]): PlanArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string' },
        days: { type: 'string', default: '3' },
        from: { type: 'string' },
        format: { type: 'string', default: 'table' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new PlanUsageError((err as Error).message);
  }
  if (values.help) return { config: '', days: 3, format: 'table', help: true };
  const config = values.config as string | undefined;
  if (!config) throw new PlanUsageError('--config: which new file to compare with the running plan (e.g. --config new.yml)');
  const format = values.format as string;
  if (!(PLAN_FORMATS as readonly string[]).includes(format)) throw new PlanUsageError(`--format ${format}: expected one of ${PLAN_FORMATS.join(', ')}`);
  const days = Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new PlanUsageError(`--days ${values.days}: expected a whole number of days from 1 to 366`);
  const from = values.from as string | undefined;
  if (from !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !DateTime.fromISO(from).isValid)) throw new PlanUsageError(`--from ${from}: expected a date such as 2026-12-01`);
  return { config, days, format: format as PlanFormat, help: false, ...(from ? { from } : {}) };
}
