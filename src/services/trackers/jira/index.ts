import type { JiraSourceConfig } from '../../../config/schema/tasks-from.js';
import type { TrackerAdapter } from '../adapter.js';

/**
 * PLACEHOLDER (issue 21): the Jira adapter is written on its own branch (i21-jira), which replaces this file; it
 * exists so the registry (services/trackers/adapters.ts) typechecks meanwhile.
 * @throws always: not implemented on this branch.
 */
export function createJiraAdapter(_source: JiraSourceConfig, _env: NodeJS.ProcessEnv, _opts: { baseUrl?: string } = {}): TrackerAdapter {
  throw new Error('the Jira adapter is not implemented on this branch (placeholder)');
}
