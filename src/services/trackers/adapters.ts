import type { GithubSourceConfig, JiraSourceConfig, LinearSourceConfig, TrackerSourceConfig } from '../../config/schema/tasks-from.js';
import type { TrackerKind } from '../../domain/trackers/tracker-issue.js';
import type { TrackerAdapter } from './adapter.js';

/** Options every adapter factory takes: `baseUrl` points the client at a replay server or a stand-in (tests, the sandbox). */
export interface AdapterOptions {
  baseUrl?: string;
}

/** Builds the adapter of one configured source: the settings under its kind, the environment its `*_env` keys name. */
export type AdapterFactory = (kind: TrackerKind, settings: TrackerSettings, env: NodeJS.ProcessEnv, opts?: AdapterOptions) => Promise<TrackerAdapter>;

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
 * Each adapter (and the tracker's client library: jira.js, @linear/sdk, @octokit/*) is imported here on first use,
 * so a bot pays the memory of the clients of the kinds its plan configures only (measured under tsx: ~53 MB for
 * jira.js, ~38 MB for @linear/sdk; bench/RESULTS-trackers.md), and none without `tasks_from`.
 * @returns a promise of the adapter.
 * @throws (rejects with) what the factory throws (a missing variable: an Error naming it).
 */
export const createAdapter: AdapterFactory = async (kind, settings, env, given) => {
  const baseUrl = given?.baseUrl ?? (env[TRACKER_API_URL_ENV[kind]] || undefined);
  const opts = baseUrl ? { ...given, baseUrl } : given;
  switch (kind) {
    case 'jira':
      return (await import('./jira/index.js')).createJiraAdapter(settings as JiraSourceConfig, env, opts);
    case 'linear':
      return (await import('./linear/index.js')).createLinearAdapter(settings as LinearSourceConfig, env, opts);
    case 'github':
      return (await import('./github/index.js')).createGithubAdapter(settings as GithubSourceConfig, env, opts);
  }
};

/** The kind and settings of one `tasks_from` entry. */
export function sourceParts(source: TrackerSourceConfig): { kind: TrackerKind; settings: TrackerSettings } {
  if ('jira' in source) return { kind: 'jira', settings: source.jira };
  if ('linear' in source) return { kind: 'linear', settings: source.linear };
  return { kind: 'github', settings: source.github };
}
