/*
 * Severities, defined once: of blockers (`/blocker … P0`, `escalation.ladders`), of tasks (`priority`) and of the
 * go/no-go's blocking rule (`gonogo.blocking_severities`). P0 is the most severe.
 */

export const SEVERITIES = ['P0', 'P1', 'P2'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The priority of a task that declares none. */
export const DEFAULT_TASK_PRIORITY = 'P1' satisfies Severity;

/** A severity as people type it in a command ("p0", "P1"), or undefined when `word` is not one. */
export function parseSeverity(word: string): Severity | undefined {
  const upper = word.toUpperCase();
  return SEVERITIES.find((s) => s === upper);
}

/** A role a ladder level notifies: the lead(s) of the blocker's workstream, the program's PM, or its execs. */
export type NotifyRole = 'lead' | 'pm' | 'exec';

/**
 * Ladders used for a severity the config does not list (`after` in ms from when the blocker was raised):
 * DESIGN.md's example, which follows the seeds (000: lead 5 min, managing engineer, exec; 004: lead 15 min, PM
 * 30 min, decision within 1 h).
 */
export const DEFAULT_LADDERS: Record<Severity, { after: number; notify: NotifyRole }[]> = {
  P0: [
    { after: 5 * 60_000, notify: 'lead' },
    { after: 15 * 60_000, notify: 'pm' },
    { after: 30 * 60_000, notify: 'exec' },
  ],
  P1: [
    { after: 15 * 60_000, notify: 'lead' },
    { after: 30 * 60_000, notify: 'pm' },
    { after: 60 * 60_000, notify: 'exec' },
  ],
  P2: [
    { after: 60 * 60_000, notify: 'lead' },
    { after: 4 * 3_600_000, notify: 'pm' },
  ],
};
