import { index, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Every plan a replica applied (issue 20, "Reload without a restart"): the version is the resolved plan's hash
 * (services/plan/version.ts), `applied_by` a Slack user id (`/preflight reload`), `file` (the file changed),
 * `sighup` or `startup`. The serial id orders them: a replica never applies a version recorded before the one it
 * runs. `program` is the resolved plan itself (the Program as JSON, src/config/resolve.ts), so `npm run plan` can
 * compare a new file with the plan the bot runs (issue 20, "Plan before apply"); null on rows recorded before
 * migration 0013.
 */
export const planVersions = pgTable(
  'plan_versions',
  {
    id: serial('id').primaryKey(),
    version: text('version').notNull(),
    appliedAt: ts('applied_at').notNull(),
    appliedBy: text('applied_by').notNull(),
    configPath: text('config_path').notNull(),
    program: jsonb('program').$type<unknown>(),
  },
  (t) => [index('plan_versions_version_idx').on(t.version)],
);
