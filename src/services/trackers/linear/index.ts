import type { LinearSourceConfig } from '../../../config/schema/tasks-from.js';
import type { TrackerAdapter } from '../adapter.js';

/**
 * PLACEHOLDER (issue 21): the Linear adapter is written on its own branch (i21-linear), which replaces this file; it
 * exists so the registry (services/trackers/adapters.ts) typechecks meanwhile.
 * @throws always: not implemented on this branch.
 */
export function createLinearAdapter(_source: LinearSourceConfig, _env: NodeJS.ProcessEnv, _opts: { baseUrl?: string } = {}): TrackerAdapter {
  throw new Error('the Linear adapter is not implemented on this branch (placeholder)');
}
