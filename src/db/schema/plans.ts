import { index, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Every plan a replica applied (issue 20, "Reload without a restart"): the version is the resolved plan's hash
 * (services/plan/version.ts), `applied_by` a Slack user id (`/preflight reload`), `file` (the file changed),
 * `sighup` or `startup`. The serial id orders them: a replica never applies a version recorded before the one it
 * runs.
 */
export const planVersions = pgTable(
  'plan_versions',
  {
    id: serial('id').primaryKey(),
    version: text('version').notNull(),
    appliedAt: ts('applied_at').notNull(),
    appliedBy: text('applied_by').notNull(),
    configPath: text('config_path').notNull(),
  },
  (t) => [index('plan_versions_version_idx').on(t.version)],
);
