import type { SourceSpec, StandInPerson } from '../tracker-stand-in/store.js';
import type { SandboxDirectory } from './people.js';

/*
 * The sandbox's trackers (issue 21): one source per tracker in the tracker stand-in, a `tasks_from` entry for each
 * in the sandbox's config, and the variables the bot needs to read them (tokens, webhook secrets, API URLs).
 */

/** The stand-in's sources: Jira project LAUNCH, Linear team ENG, GitHub repository acme/web (ids `web-12`). */
export const SANDBOX_TRACKER_SOURCES: SourceSpec[] = [
  { kind: 'jira', key: 'LAUNCH', count: 12 },
  { kind: 'linear', key: 'ENG', count: 12, label: 'launch' },
  { kind: 'github', key: 'acme/web', count: 12, label: 'launch' },
];

/** The sandbox's Jira site as the config names it (requests go to the stand-in through JIRA_API_URL). */
export const SANDBOX_JIRA_SITE = 'https://sandbox.atlassian.net';

/** The `tasks_from` entries, by tracker, naming the variables of {@link trackerEnv}. */
export function trackerSources(): Record<'jira' | 'linear' | 'github', Record<string, unknown>> {
  const common = { write_back: true, poll_every: '1m' };
  return {
    jira: { jira: { site: SANDBOX_JIRA_SITE, jql: 'project = LAUNCH', email_env: 'JIRA_EMAIL', token_env: 'JIRA_TOKEN', webhook_secret_env: 'JIRA_WEBHOOK_SECRET', ...common } },
    linear: { linear: { team: 'ENG', label: 'launch', token_env: 'LINEAR_API_KEY', webhook_secret_env: 'LINEAR_WEBHOOK_SECRET', ...common } },
    github: { github: { repo: 'acme/web', label: 'launch', token_env: 'GITHUB_TOKEN', webhook_secret_env: 'GITHUB_WEBHOOK_SECRET', ...common } },
  };
}

/**
 * Adds one `tasks_from` source per tracker to the config's workstreams (a raw, parsed preflight.yml, changed in
 * place): Jira to the first workstream, Linear to the second, GitHub to the third (the first when there are fewer).
 * A workstream's own `tasks_from` entries are kept, the sandbox's appended.
 */
export function addTrackerSources(raw: Record<string, any>): void {
  const ids = Object.keys(raw.workstreams ?? {});
  if (ids.length === 0) return;
  const sources = trackerSources();
  (['jira', 'linear', 'github'] as const).forEach((kind, i) => {
    const ws = raw.workstreams[ids[i] ?? ids[0]!];
    ws.tasks_from = [...(Array.isArray(ws.tasks_from) ? ws.tasks_from : []), sources[kind]];
  });
}

/** The workstream each tracker's source was added to by {@link addTrackerSources}, for the page. */
export function trackerWorkstreams(raw: Record<string, any>): Record<'jira' | 'linear' | 'github', string> {
  const ids = Object.keys(raw.workstreams ?? {});
  return { jira: ids[0] ?? '', linear: ids[1] ?? ids[0] ?? '', github: ids[2] ?? ids[0] ?? '' };
}

/**
 * The bot's variables for the sandbox's trackers: the stand-in's URL as each API's base, placeholder tokens (the
 * stand-in checks none), and the webhook secrets the stand-in signs with.
 */
export function trackerEnv(standInUrl: string, secrets: Record<'jira' | 'linear' | 'github', string>): Record<string, string> {
  return {
    JIRA_API_URL: standInUrl,
    LINEAR_API_URL: standInUrl,
    GITHUB_API_URL: standInUrl,
    JIRA_EMAIL: 'preflight-bot@sandbox.example',
    JIRA_TOKEN: 'sandbox-jira-token',
    LINEAR_API_KEY: 'lin_api_sandbox',
    GITHUB_TOKEN: 'github_pat_sandbox',
    JIRA_WEBHOOK_SECRET: secrets.jira,
    LINEAR_WEBHOOK_SECRET: secrets.linear,
    GITHUB_WEBHOOK_SECRET: secrets.github,
  };
}

/**
 * The people issues are assigned to: the sandbox's people, each with an email (`<user id>@sandbox.example`, lower
 * case) the Slack stand-in's users.lookupByEmail finds, so a tracker task's owner is a sandbox person. People the
 * config names by email keep theirs. Adds the new emails to `dir.usersByEmail`.
 */
export function trackerPeople(dir: SandboxDirectory): StandInPerson[] {
  const emailOf = new Map(Object.entries(dir.usersByEmail).map(([email, id]) => [id, email]));
  return dir.people.map((p) => {
    const email = emailOf.get(p.id) ?? `${p.id.toLowerCase()}@sandbox.example`;
    dir.usersByEmail[email] ??= p.id;
    return { name: p.name, email };
  });
}
