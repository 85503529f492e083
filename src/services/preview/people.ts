import { inArray } from 'drizzle-orm';
import { emailKey, emailRefs, withUserIds } from '../../config/user-refs.js';
import type { WorkspaceConfig } from '../../config/workspace.js';
import type { Db } from '../../db/client.js';
import { slackUserEmails } from '../../db/schema/index.js';

/**
 * The config with every person given by email replaced by the Slack user ID Preflight last resolved for them
 * (`slack_user_emails`, services/people/resolve-emails.ts), without asking Slack: the preview spends no Slack calls.
 * An address never resolved yet stays as written (the preview shows it so).
 * @returns the config and how many addresses stayed unresolved.
 * @throws whatever the database throws.
 */
export async function withCachedUserIds(db: Db, config: WorkspaceConfig): Promise<{ config: WorkspaceConfig; unresolved: number }> {
  const keys = [...new Set(emailRefs(config).map((r) => emailKey(r.email)))];
  if (keys.length === 0) return { config, unresolved: 0 };
  const rows = await db.select().from(slackUserEmails).where(inArray(slackUserEmails.email, keys));
  const userIdOf = new Map(keys.map((k) => [k, k]));
  for (const r of rows) userIdOf.set(r.email, r.userId);
  return { config: withUserIds(config, userIdOf), unresolved: keys.length - rows.length };
}
