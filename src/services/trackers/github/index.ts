import type { GithubSourceConfig } from '../../../config/schema/tasks-from.js';
import type { TrackerIssue } from '../../../domain/trackers/tracker-issue.js';
import { type IssuePage, TrackerAuthError, type TrackerAdapter } from '../adapter.js';
import { createGithubClient, faultStatus, type GithubClient, type GithubClientOptions, graphqlErrorTypes, toTrackerFault } from './client.js';
import { githubIssueKey, hasLabel, issueNumberOfKey, mapRestIssue, type RestIssue } from './mapping.js';
import { type IssueItemsAnswer, ISSUE_IN_PROJECTS_QUERY, isIssueContent, mapProjectItem, PROJECT_ID_QUERY, PROJECT_ITEMS_QUERY, type ProjectItemsAnswer } from './project.js';
import { parseGithubWebhook, verifyGithubSignature } from './webhook.js';

/*
 * The GitHub adapter (issue 21): a `github:` source of `tasks_from` (a repository with an optional label, or a
 * Projects v2 project) behind the TrackerAdapter contract (../adapter.ts). Mapping: mapping.ts and project.ts;
 * client, auth and faults: client.ts; webhooks: webhook.ts. The table is in docs/trackers.md.
 */

export { githubIssueKey } from './mapping.js';

/** Where an issue lives, for keys whose repository cannot be read back from the (sanitised) key. */
interface IssueRef {
  owner: string;
  repo: string;
  number: number;
}

/**
 * The adapter of one GitHub source.
 * - Repository source (`repo`, optional `label`): `GET /repos/{owner}/{repo}/issues?state=all&labels=<label>&per_page=100`
 *   page by page (the cursor is the `rel="next"` URL of GitHub's Link header), pull requests skipped; for an issue
 *   whose `issue_dependencies_summary.blocked_by` is above 0, `GET …/issues/{n}/dependencies/blocked_by` gives its
 *   blockers (kept when in the same repository and carrying the label).
 * - Project source (`project: owner/number`): GraphQL `projectV2.items(first: 100, after: cursor)`, issue items only
 *   (cursor: GraphQL's `endCursor`).
 * Credentials are read from `env` when the adapter is made; a missing variable is not thrown here but by every
 * call (TrackerAuthError naming the variable), so the sync reports it like a refused token.
 * @param opts.baseUrl replaces https://api.github.com (GitHub Enterprise Server's `https://host/api/v3`, tests);
 *   GraphQL goes to `<baseUrl>/graphql`.
 * @param opts.maxRetryWaitS the longest rate-limit wait (s) the client sleeps through once before giving up with
 *   TrackerRateLimitError (default 10).
 */
export function createGithubAdapter(source: GithubSourceConfig, env: NodeJS.ProcessEnv, opts: GithubClientOptions = {}): TrackerAdapter {
  const now = opts.now ?? Date.now;
  const creds = createGithubClient(source, env, opts);
  const [owner, repoName] = source.repo ? (source.repo.split('/') as [string, string]) : [undefined, undefined];
  const [projectOwner, projectNumber] = source.project ? [source.project.split('/')[0]!, Number(source.project.split('/')[1])] : [undefined, undefined];
  const label = source.repo ?? source.project ?? 'github';
  let projectId: string | undefined;
  const refs = new Map<string, IssueRef>();
  const keyOfIssueNode = new Map<string, string>();
  const remember = (key: string, o: string, r: string, n: number, nodeId?: string) => {
    refs.set(key, { owner: o, repo: r, number: n });
    if (nodeId) keyOfIssueNode.set(nodeId, key);
  };

  /** The client, or the TrackerAuthError of a missing variable. */
  const client = (): GithubClient => {
    if (!creds.client) throw new TrackerAuthError('github', creds.envVar, creds.missing ?? 'no credentials');
    return creds.client;
  };
  /**
   * Runs `fn`, translating Octokit's faults (see client.ts toTrackerFault). An App private key that cannot be read
   * (WebCrypto's DataError, or universal-github-app-jwt's format error) is a TrackerAuthError naming its variable.
   */
  const guard = async <T>(fn: () => Promise<T>, notFoundIsAuth = false): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (source.app && err instanceof Error && (err.name === 'DataError' || err.message.includes('[universal-github-app-jwt]'))) {
        throw new TrackerAuthError('github', source.app.private_key_env, `the GitHub App private key cannot be read (expected a PEM, PKCS#8 or PKCS#1): ${err.message}`);
      }
      throw toTrackerFault(err, creds.envVar, now(), notFoundIsAuth);
    }
  };

  /** Keys of the issues `n` is blocked by, in this repository and (with a label filter) carrying the label. */
  const restBlockers = async (gh: GithubClient, issue: RestIssue): Promise<string[]> => {
    if ((issue.issue_dependencies_summary?.blocked_by ?? 0) === 0) return [];
    let res: { data: unknown };
    try {
      res = await gh.request('GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by', {
        owner: owner!,
        repo: repoName!,
        issue_number: issue.number,
        per_page: 100,
      });
    } catch (err) {
      // a GitHub Enterprise Server without issue dependencies, or the issue went away meanwhile
      if (faultStatus(err) === 404 || faultStatus(err) === 410) return [];
      throw err;
    }
    const sameRepo = (b: { repository_url?: string }) => (b.repository_url ?? '').toLowerCase().endsWith(`/repos/${source.repo!.toLowerCase()}`);
    return (res.data as unknown as (RestIssue & { repository_url?: string })[]).filter((b) => sameRepo(b) && hasLabel(b, source.label)).map((b) => githubIssueKey(repoName!, b.number));
  };

  const mapRest = async (gh: GithubClient, issue: RestIssue): Promise<TrackerIssue> => {
    remember(githubIssueKey(repoName!, issue.number), owner!, repoName!, issue.number, issue.node_id);
    return mapRestIssue(repoName!, issue, await restBlockers(gh, issue));
  };

  /** A stored cursor is a URL the token is sent to: it must point at the configured API, never elsewhere. */
  const apiOrigin = new URL(opts.baseUrl ?? 'https://api.github.com').origin;
  const sameApi = (cursor: string): string => {
    let origin: string | undefined;
    try {
      origin = new URL(cursor).origin;
    } catch {}
    if (origin !== apiOrigin) throw new Error(`github ${label}: the listing cursor ${cursor} is not a page of ${apiOrigin}`);
    return cursor;
  };

  const listRepo = async (cursor?: string): Promise<IssuePage> => {
    const gh = client();
    const res = await guard(
      () =>
        cursor
          ? gh.request({ method: 'GET', url: sameApi(cursor) })
          : gh.request('GET /repos/{owner}/{repo}/issues', { owner: owner!, repo: repoName!, state: 'all', per_page: 100, ...(source.label ? { labels: source.label } : {}) }),
      true,
    );
    const rows = (res.data as unknown as RestIssue[]).filter((i) => i.pull_request === undefined);
    const issues = await guard(() => Promise.all(rows.map((i) => mapRest(gh, i))));
    const next = /<([^>]+)>;\s*rel="next"/.exec(String(res.headers.link ?? ''))?.[1];
    return next ? { issues, next } : { issues };
  };

  const listProject = async (cursor?: string): Promise<IssuePage> => {
    const gh = client();
    const answer = await guard(() => gh.graphql<ProjectItemsAnswer>(PROJECT_ITEMS_QUERY, { owner: projectOwner!, number: projectNumber!, cursor: cursor ?? null }), true);
    const project = answer.repositoryOwner?.projectV2;
    if (!project) throw new TrackerAuthError('github', creds.envVar, `project ${source.project} not found or not visible to these credentials`);
    projectId = project.id;
    const issues: TrackerIssue[] = [];
    for (const item of project.items.nodes) {
      if (item.isArchived || !isIssueContent(item.content)) continue;
      const issue = mapProjectItem(project.id, item, item.content);
      remember(issue.key, item.content.repository.owner.login, item.content.repository.name, item.content.number, item.content.id);
      issues.push(issue);
    }
    const { hasNextPage, endCursor } = project.items.pageInfo;
    return hasNextPage && endCursor ? { issues, next: endCursor } : { issues };
  };

  const ensureProjectId = async (gh: GithubClient): Promise<string> => {
    if (projectId) return projectId;
    const answer = await guard(() => gh.graphql<ProjectItemsAnswer>(PROJECT_ID_QUERY, { owner: projectOwner!, number: projectNumber! }), true);
    const id = answer.repositoryOwner?.projectV2?.id;
    if (!id) throw new TrackerAuthError('github', creds.envVar, `project ${source.project} not found or not visible to these credentials`);
    projectId = id;
    return id;
  };

  /** Where `key` lives: remembered from a listing or a delivery, else the source's repository / the project's owner. */
  const refOf = (key: string): IssueRef | null => {
    const known = refs.get(key);
    if (known) return known;
    const n = issueNumberOfKey(key);
    if (n === null) return null;
    if (source.repo) return { owner: owner!, repo: repoName!, number: n };
    return { owner: projectOwner!, repo: key.slice(0, key.length - `-${n}`.length), number: n };
  };

  const getRepoIssue = async (key: string): Promise<TrackerIssue | null> => {
    const ref = refOf(key);
    if (!ref) return null;
    const gh = client();
    try {
      const res = await gh.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: ref.owner, repo: ref.repo, issue_number: ref.number });
      const issue = res.data as unknown as RestIssue;
      if (issue.pull_request !== undefined || !hasLabel(issue, source.label)) return null;
      return await mapRest(gh, issue);
    } catch (err) {
      // 404: deleted (or never an issue here); 410: deleted; 301 is followed by fetch for a transferred issue
      if (faultStatus(err) === 404 || faultStatus(err) === 410) return null;
      throw toTrackerFault(err, creds.envVar, now());
    }
  };

  const getProjectIssue = async (key: string): Promise<TrackerIssue | null> => {
    const ref = refOf(key);
    if (!ref) return null;
    const gh = client();
    const id = await ensureProjectId(gh);
    let answer: IssueItemsAnswer;
    try {
      answer = await gh.graphql<IssueItemsAnswer>(ISSUE_IN_PROJECTS_QUERY, { owner: ref.owner, repo: ref.repo, number: ref.number });
    } catch (err) {
      if (graphqlErrorTypes(err).includes('NOT_FOUND')) return null;
      throw toTrackerFault(err, creds.envVar, now());
    }
    const issue = answer.repository?.issue;
    const item = issue?.projectItems.nodes.find((i) => i.project?.id === id && !i.isArchived);
    if (!issue || !item) return null;
    return mapProjectItem(id, item, issue);
  };

  /** Runs a write-back call: faults as `guard`, and a 404/410 as an Error naming the issue (deleted or transferred). */
  const write = async (key: string, ref: IssueRef, fn: () => Promise<unknown>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      const status = faultStatus(err);
      if (status === 404 || status === 410)
        throw new Error(`github ${label}: issue ${key} (${ref.owner}/${ref.repo}#${ref.number}) is gone (deleted, transferred, or not writable with these credentials)`);
      throw toTrackerFault(err, creds.envVar, now());
    }
  };

  /** The repository and number a write-back targets; throws for a key this source cannot place. */
  const writeTarget = (key: string): IssueRef => {
    const ref = refOf(key);
    if (!ref) throw new Error(`github ${label}: ${key} is not an issue key of this source (expected <repo>-<number>)`);
    return ref;
  };

  return {
    kind: 'github',
    label,
    async checkAuth() {
      const gh = client();
      if (source.repo) await guard(() => gh.request('GET /repos/{owner}/{repo}', { owner: owner!, repo: repoName! }), true);
      else await ensureProjectId(gh);
    },
    listIssues: (cursor) => (source.repo ? listRepo(cursor) : listProject(cursor)),
    getIssue: (key) => (source.repo ? getRepoIssue(key) : getProjectIssue(key)),
    verifyWebhook: (headers, rawBody, secret) => verifyGithubSignature(headers, rawBody, secret),
    parseWebhook: (headers, body) =>
      parseGithubWebhook(headers, body, {
        repo: source.repo,
        label: source.label,
        project: source.project ? { id: projectId, keyOfIssueNode } : undefined,
        remember,
      }),
    async moveToDone(key) {
      const ref = writeTarget(key);
      const gh = client();
      await write(key, ref, () =>
        gh.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { owner: ref.owner, repo: ref.repo, issue_number: ref.number, state: 'closed', state_reason: 'completed' }),
      );
    },
    async addComment(key, text) {
      const ref = writeTarget(key);
      const gh = client();
      await write(key, ref, () => gh.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: ref.owner, repo: ref.repo, issue_number: ref.number, body: text }));
    },
  };
}
