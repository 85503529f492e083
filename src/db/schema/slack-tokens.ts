import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Slack token rotation (issue 24; services/slack-tokens/rotation.ts): the bot's current expiring access token
 * (`xoxe.xoxb-…`, 12 hours), its expiry (UTC) and the latest refresh token (`xoxe-…`, single use: Slack revokes it
 * when it is exchanged), shared by every replica. One row per installation, `key` `bot`. `seed_hash`: SHA-256 (hex)
 * of the SLACK_REFRESH_TOKEN the chain started from, so a new one in the environment (a reinstall) starts a new chain.
 */
export const slackTokens = pgTable('slack_tokens', {
  key: text('key').primaryKey(),
  accessToken: text('access_token').notNull(),
  refreshToken: text('refresh_token').notNull(),
  expiresAt: ts('expires_at').notNull(),
  seedHash: text('seed_hash').notNull(),
  refreshedAt: ts('refreshed_at').notNull(),
});
