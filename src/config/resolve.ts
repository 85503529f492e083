import { checkinsOf, PROGRAM_WORKSTREAM } from '../domain/checkins/plans.js';
import { type Program, blockingSeveritiesOf, escalationPoliciesOf, permissionRolesOf, verdictThresholdsOf, workstreamZone } from '../domain/program/program.js';
import { peopleOf } from '../domain/program/people.js';
import type { WorkspaceConfig } from './workspace.js';

/**
 * The parsed config (src/config/load.ts, emails already resolved to user IDs) → the `Program` the services run,
 * with every cross-key default applied by the domain's rules (src/domain/program, domain/checkins/plans.ts), each
 * worked out once: the zone of every workstream, every check-in (its defaults and answer window), the escalation
 * policy of every severity, the go/no-go's thresholds and blocking severities, the roles and the people directory
 * (zone, workstreams, roles, email). Deep-frozen, on a copy (the parsed config stays as it is), so it is one
 * immutable value that can be replaced whole.
 * @param emails user ID → the email preflight.yml gave them by, for the directory (user-refs.ts `emailsByUserId`).
 */
export function resolveProgram(config: WorkspaceConfig, emails?: ReadonlyMap<string, string>): Program {
  const declared = structuredClone(config);
  const program: Program = {
    ...declared,
    zones: Object.fromEntries(Object.keys(declared.workstreams).map((id) => [id, workstreamZone(declared, id)])),
    policies: escalationPoliciesOf(declared),
    verdictThresholds: verdictThresholdsOf(declared),
    blockingSeverities: blockingSeveritiesOf(declared),
    roles: permissionRolesOf(declared),
    people: peopleOf(declared, emails),
    checkinSetups: Object.fromEntries([...Object.keys(declared.workstreams), PROGRAM_WORKSTREAM].map((id) => [id, checkinsOf(declared, id)])),
  };
  return deepFreeze(program);
}

/** Freezes `value` and everything it holds (plain objects and arrays, as a parsed config is made of). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
