import type { Roles } from './ladder.js';

export type BlockerStatus = 'open' | 'acknowledged' | 'resolved';

/** Who is involved in a blocker, for permission checks. */
export interface BlockerParties {
  reporter: string;
  owner: string | null;
}

/**
 * Who may acknowledge, resolve, snooze or reassign a blocker: its owner, its reporter, the workstream's leads,
 * the PM or an exec. Anyone may raise one. Checked on the server whatever the button says.
 */
export function mayAct(actor: string, b: BlockerParties, roles: Roles): boolean {
  return actor === b.reporter || actor === b.owner || roles.leads.includes(actor) || actor === roles.pm || roles.execs.includes(actor);
}

/** The people to suggest when someone may not act ("ask …"): owner, then leads, then the PM. */
export function whoMayAct(b: BlockerParties, roles: Roles): string[] {
  return [...new Set([b.owner, ...roles.leads, roles.pm].filter((x): x is string => Boolean(x)))];
}

/** The short id users see: B-42. */
export const shortId = (id: number) => `B-${id}`;

/** Parses "B-42", "b42", "42" into 42, else null. */
export function parseShortId(text: string): number | null {
  const m = /^(?:b-?)?(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : null;
}
