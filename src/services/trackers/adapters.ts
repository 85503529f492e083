import type { GithubSourceConfig, JiraSourceConfig, LinearSourceConfig, TrackerSourceConfig } from '../../config/schema/tasks-from.js';
import type { TrackerKind } from '../../domain/trackers/tracker-issue.js';
import type { TrackerAdapter } from './adapter.js';
import { createGithubAdapter } from './github/index.js';
import { createJiraAdapter } from './jira/index.js';
import { createLinearAdapter } from './linear/index.js';

/** Options every adapter factory takes: `baseUrl` points the client at a replay server or a stand-in (tests, the sandbox). */
export interface AdapterOptions {
  baseUrl?: string;
}

/** Builds the adapter of one configured source: the settings under its kind, the environment its `*_env` keys name. */
export type AdapterFactory = (kind: TrackerKind, settings: TrackerSettings, env: NodeJS.ProcessEnv, opts?: AdapterOptions) => TrackerAdapter;

/** The object under a source's kind (`{ site, jql, … }`). */
export type TrackerSettings = JiraSourceConfig | LinearSourceConfig | GithubSourceConfig;

/**
 * The variable that points a tracker's client at another API base URL (the sandbox's tracker stand-in, a replay
 * server), as `SLACK_API_URL` does Slack's: `JIRA_API_URL` replaces the Jira site for API calls (issue links keep
 * the site), `LINEAR_API_URL` https://api.linear.app, `GITHUB_API_URL` https://api.github.com (also GitHub
 * Enterprise Server's `https://<host>/api/v3`). Unset or empty: the tracker's own.
 */
export const TRACKER_API_URL_ENV: Readonly<Record<TrackerKind, string>> = { jira: 'JIRA_API_URL', linear: 'LINEAR_API_URL', github: 'GITHUB_API_URL' };

/**
 * The one place that maps a tracker kind to its adapter's factory (services/trackers/jira/, linear/, github/).
 * `opts.baseUrl`, else the variable {@link TRACKER_API_URL_ENV} names, points the client elsewhere.
 * @throws what the factory throws (a missing variable: an Error naming it).
 */
export const createAdapter: AdapterFactory = (kind, settings, env, given) => {
  const baseUrl = given?.baseUrl ?? (env[TRACKER_API_URL_ENV[kind]] || undefined);
  const opts = baseUrl ? { ...given, baseUrl } : given;
  switch (kind) {
    case 'jira':
      return createJiraAdapter(settings as JiraSourceConfig, env, opts);
    case 'linear':
      return createLinearAdapter(settings as LinearSourceConfig, env, opts);
    case 'github':
      return createGithubAdapter(settings as GithubSourceConfig, env, opts);
  }
};

/** The kind and settings of one `tasks_from` entry. */
export function sourceParts(source: TrackerSourceConfig): { kind: TrackerKind; settings: TrackerSettings } {
  if ('jira' in source) return { kind: 'jira', settings: source.jira };
  if ('linear' in source) return { kind: 'linear', settings: source.linear };
  return { kind: 'github', settings: source.github };
}
