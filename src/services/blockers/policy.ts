import type { WorkspaceConfig } from '../../config/workspace.js';
import { DEFAULT_LADDERS } from '../../domain/program/severities.js';
import type { EscalationPolicy, LadderLevel, Roles, Severity } from '../../domain/blockers/ladder.js';

/** A ladder level as preflight.yml writes it once parsed: `after` in ms, `notify` a role, a person or a list of people. */
export interface ConfiguredLevel {
  after: number;
  notify: string | string[];
}

/** Configured levels (`escalation.ladders.<sev>`, `tasks.escalation`) → the domain's ladder: one person becomes a list of one. */
export function ladderOf(levels: readonly ConfiguredLevel[]): LadderLevel[] {
  return levels.map((l) => ({
    afterMs: l.after,
    notify: typeof l.notify === 'string' && !['lead', 'pm', 'exec'].includes(l.notify) ? [l.notify] : (l.notify as LadderLevel['notify']),
  }));
}

/**
 * The escalation policy for a new blocker of `severity`: the config's ladder for it (else DEFAULT_LADDERS),
 * `stop_when` and `repeat`. Frozen onto the blocker row when it is raised.
 */
export function policyFor(config: WorkspaceConfig, severity: Severity): EscalationPolicy {
  const esc = config.escalation;
  return {
    ladder: ladderOf(esc.ladders[severity] ?? DEFAULT_LADDERS[severity]),
    stopWhen: esc.stop_when,
    ...(esc.repeat ? { repeat: { everyMs: esc.repeat.every, max: esc.repeat.max } } : {}),
  };
}

/** The chain of command of a workstream: its leads, the program's PM and execs. */
export function rolesFor(config: WorkspaceConfig, workstreamId: string): Roles {
  return { leads: config.workstreams[workstreamId]?.leads ?? [], pm: config.program.pm, execs: config.program.execs };
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
