import type { EscalationPolicy, LadderLevel } from '../blockers/ladder.js';
import type { CheckinSetup } from '../checkins/plans.js';
import type { PermissionRoles } from '../permissions.js';
import type { ProgramDeclaration } from './declaration.js';
import type { PeopleDirectory } from './people.js';
import { DEFAULT_LADDERS, SEVERITIES, type Severity } from './severities.js';

/*
 * The program as Preflight runs it: preflight.yml as declared, with the defaults that depend on other keys worked
 * out once by the rules below (src/config/resolve.ts applies them all and freezes the result). One immutable
 * value, handed to the services whole (Deps.config), so a new config can replace it whole.
 */

/** The resolved program: the declaration plus every cross-key default. Deep-frozen. */
export interface Program extends ProgramDeclaration {
  /** Each workstream's IANA zone, by workstream id ({@link workstreamZone}). */
  zones: Readonly<Record<string, string>>;
  /** The escalation policy of a new blocker, by severity ({@link escalationPolicyOf}). */
  policies: Readonly<Record<Severity, EscalationPolicy>>;
  /** The go/no-go's thresholds ({@link verdictThresholdsOf}). */
  verdictThresholds: Readonly<{ goAtLeast: number; conditionalAtLeast: number }>;
  /** The severities of open blockers that hold back the go/no-go ({@link blockingSeveritiesOf}). */
  blockingSeverities: readonly Severity[];
  /** Who holds which role: PM, execs, workstream leads, gate sign-off authorities ({@link permissionRolesOf}). */
  roles: PermissionRoles;
  /** Everyone preflight.yml names: zone, workstreams, roles, email (domain/program/people.ts). */
  people: PeopleDirectory;
  /**
   * Every check-in with every default applied and its answer window, by workstream id and `_program`
   * (domain/checkins/plans.ts `checkinsOf`, which reads them from here).
   */
  checkinSetups: Readonly<Record<string, readonly CheckinSetup[]>>;
}

export { workstreamZone } from './zones.js';

/** The go/no-go's thresholds (% of the checklist done) when `gonogo:` does not set them, or is absent. */
export const DEFAULT_VERDICT_THRESHOLDS = { go_at_least: 100, conditional_at_least: 90 } as const;

/** The go/no-go's thresholds: `gonogo.go_at_least` and `conditional_at_least`, else {@link DEFAULT_VERDICT_THRESHOLDS}. */
export function verdictThresholdsOf(config: ProgramDeclaration): { goAtLeast: number; conditionalAtLeast: number } {
  const g = config.gonogo ?? DEFAULT_VERDICT_THRESHOLDS;
  return { goAtLeast: g.go_at_least, conditionalAtLeast: g.conditional_at_least };
}

/** The severities of open blockers that hold back the go/no-go and withdraw sign-offs: `gonogo.blocking_severities`, else P0. */
export function blockingSeveritiesOf(config: ProgramDeclaration): readonly Severity[] {
  return config.gonogo?.blocking_severities ?? ['P0'];
}

/** Configured ladder levels (`escalation.ladders.<sev>`, `tasks.escalation`) → the domain's ladder: one person becomes a list of one. */
export function ladderOf(levels: readonly { after: number; notify: string | string[] }[]): LadderLevel[] {
  return levels.map((l) => ({
    afterMs: l.after,
    notify: typeof l.notify === 'string' && !['lead', 'pm', 'exec'].includes(l.notify) ? [l.notify] : (l.notify as LadderLevel['notify']),
  }));
}

/**
 * The escalation policy of a new blocker of `severity`: the config's ladder for it (else DEFAULT_LADDERS),
 * `stop_when` and `repeat`. Frozen onto the blocker row when it is raised.
 */
export function escalationPolicyOf(config: ProgramDeclaration, severity: Severity): EscalationPolicy {
  const esc = config.escalation;
  return {
    ladder: ladderOf(esc.ladders[severity] ?? DEFAULT_LADDERS[severity]),
    stopWhen: esc.stop_when,
    ...(esc.repeat ? { repeat: { everyMs: esc.repeat.every, max: esc.repeat.max } } : {}),
  };
}

/** Every severity's escalation policy ({@link escalationPolicyOf}). */
export function escalationPoliciesOf(config: ProgramDeclaration): Record<Severity, EscalationPolicy> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, escalationPolicyOf(config, s)])) as Record<Severity, EscalationPolicy>;
}

/** The roles preflight.yml gives people (PM, execs, workstream leads, gate sign-off authorities), as permissions read them. */
export function permissionRolesOf(config: ProgramDeclaration): PermissionRoles {
  return {
    pm: config.program.pm,
    execs: config.program.execs,
    workstreams: Object.fromEntries(Object.entries(config.workstreams).map(([id, w]) => [id, { name: w.name, leads: w.leads }])),
    gates: Object.fromEntries(config.gates.map((g) => [g.id, { name: g.name, signOff: g.sign_off }])),
  };
}
