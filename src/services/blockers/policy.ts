import { DEFAULT_LADDERS, type WorkspaceConfig } from '../../config/workspace.js';
import type { EscalationPolicy, Roles, Severity } from '../../domain/blockers/ladder.js';

/**
 * The escalation policy for a new blocker of `severity`: the config's ladder for it (else DEFAULT_LADDERS),
 * `stop_when` and `repeat`. Frozen onto the blocker row when it is raised.
 */
export function policyFor(config: WorkspaceConfig, severity: Severity): EscalationPolicy {
  const esc = config.escalation;
  const levels = esc.ladders[severity] ?? DEFAULT_LADDERS[severity];
  return {
    ladder: levels.map((l) => ({
      afterMs: l.after,
      notify: typeof l.notify === 'string' && !['lead', 'pm', 'exec'].includes(l.notify) ? [l.notify] : (l.notify as EscalationPolicy['ladder'][number]['notify']),
    })),
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
