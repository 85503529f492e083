import type { JiraSourceConfig } from '../../../config/schema/tasks-from.js';
import type { TrackerAdapter } from '../adapter.js';
import { connectJira } from './client.js';
import { JiraIssueReader } from './issues.js';
import { parseJiraWebhook, verifyJiraSignature } from './webhook.js';
import { addJiraComment, moveJiraIssueToDone } from './write-back.js';

/*
 * The Jira adapter (issue 21): one `tasks_from: jira:` source behind the TrackerAdapter contract, on jira.js's client.
 * client.ts builds the transport and maps faults, mapping.ts turns an issue into a TrackerIssue, issues.ts searches,
 * webhook.ts verifies and reads deliveries, write-back.ts moves issues to done and comments.
 */

/**
 * A source's label: `LAUNCH (acme.atlassian.net)` when its JQL names one project (`project = LAUNCH`,
 * `project in (LAUNCH)`), else the site's host (`project in (A, B)`, a filter, labels only).
 */
export function jiraLabel(source: Pick<JiraSourceConfig, 'site' | 'jql'>): string {
  const host = new URL(source.site).host;
  const m = /\bproject\s*(?:=\s*"?([A-Za-z][A-Za-z0-9_]*)"?|in\s*\(\s*"?([A-Za-z][A-Za-z0-9_]*)"?\s*\))/i.exec(source.jql);
  const project = m?.[1] ?? m?.[2];
  return project ? `${project.toUpperCase()} (${host})` : host;
}

/**
 * The adapter for one Jira source: Cloud (REST v3; basic auth with `email_env` + `token_env`, or an OAuth 2.0 access
 * token in `token_env`) or Data Center (REST v2; a personal access token in `token_env`), per
 * JiraSourceConfig.deployment. Every method throws the contract's TrackerAuthError / TrackerRateLimitError /
 * TrackerUnavailableError for those faults, never a jira.js error.
 * @param env where the variables the source names are read (process.env in production).
 * @param opts.baseUrl sends requests there instead of the site (the sandbox's Jira stand-in); issue URLs keep the site.
 * @param opts.timeoutMs per-request timeout in ms (default 30 s); no answer by then is a TrackerUnavailableError.
 * @throws Error naming the key and variable when a variable the source names is not set.
 */
export function createJiraAdapter(source: JiraSourceConfig, env: NodeJS.ProcessEnv, opts: { baseUrl?: string; timeoutMs?: number } = {}): TrackerAdapter {
  const conn = connectJira(source, env, opts.baseUrl, opts.timeoutMs);
  const reader = new JiraIssueReader(conn, source);
  return {
    kind: 'jira',
    label: jiraLabel(source),
    async checkAuth() {
      await conn.client.sendRequest({ url: `${conn.api}/${source.token_env ? 'myself' : 'serverInfo'}` });
    },
    listIssues: (cursor) => reader.page(cursor),
    getIssue: (key) => reader.one(key),
    verifyWebhook: async (headers, rawBody, secret) => verifyJiraSignature(headers, rawBody, secret),
    parseWebhook: (_headers, body) => parseJiraWebhook(body, source, conn.site),
    moveToDone: (key) => moveJiraIssueToDone(conn, key),
    addComment: (key, text) => addJiraComment(conn, key, text),
  };
}
