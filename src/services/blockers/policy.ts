import type { WorkspaceConfig } from '../../config/workspace.js';
import { escalationPolicyOf, ladderOf, type Program } from '../../domain/program/program.js';
import { permissionRoles } from '../permission-check.js';
import type { EscalationPolicy, Roles, Severity } from '../../domain/blockers/ladder.js';

/** Configured levels → the domain's ladder (domain/program/program.ts). */
export { ladderOf };

/**
 * The escalation policy for a new blocker of `severity` (the config's ladder for it, else DEFAULT_LADDERS;
 * `stop_when` and `repeat`): the resolved program's, else by domain/program/program.ts `escalationPolicyOf`.
 * Frozen onto the blocker row when it is raised.
 */
export function policyFor(config: WorkspaceConfig | Program, severity: Severity): EscalationPolicy {
  if ('policies' in config) {
    const p = config.policies[severity];
    return { ...p, ladder: [...p.ladder], ...(p.repeat ? { repeat: { ...p.repeat } } : {}) };
  }
  return escalationPolicyOf(config, severity);
}

/** The chain of command of a workstream: its leads, the program's PM and execs. */
export function rolesFor(config: WorkspaceConfig, workstreamId: string): Roles {
  const roles = permissionRoles(config);
  return { leads: roles.workstreams[workstreamId]?.leads ?? [], pm: roles.pm, execs: roles.execs };
}

/** Snooze choices offered in the menu: the usual steps up to `escalation.snooze_max`. */
export function snoozeChoices(config: WorkspaceConfig): number[] {
  const steps = [15 * 60_000, 30 * 60_000, 3_600_000, 2 * 3_600_000, 4 * 3_600_000, 8 * 3_600_000, 24 * 3_600_000];
  const max = config.escalation.snooze_max;
  const choices = steps.filter((s) => s <= max);
  return choices.length ? choices : [max];
}

/** The channel a workstream's blockers are posted in: `blockers_channel`, else its standup channel. */
export function blockersChannel(config: WorkspaceConfig, workstreamId: string): string {
  const ws = config.workstreams[workstreamId]!;
  return ws.blockers_channel ?? ws.channel;
}
