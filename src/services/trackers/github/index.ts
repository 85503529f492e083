import type { GithubSourceConfig } from '../../../config/schema/tasks-from.js';
import type { TrackerAdapter } from '../adapter.js';

/**
 * PLACEHOLDER (issue 21): the Github adapter is written on its own branch (i21-github), which replaces this file; it
 * exists so the registry (services/trackers/adapters.ts) typechecks meanwhile.
 * @throws always: not implemented on this branch.
 */
export function createGithubAdapter(_source: GithubSourceConfig, _env: NodeJS.ProcessEnv, _opts: { baseUrl?: string } = {}): TrackerAdapter {
  throw new Error('the Github adapter is not implemented on this branch (placeholder)');
}
