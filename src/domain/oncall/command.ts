/** `/preflight oncall [id]` and `/preflight oncall refresh [id]` (issue 22). */
export type OncallCommand = { kind: 'oncall'; rotation: string | null } | { kind: 'oncall-refresh'; rotation: string | null } | { kind: 'invalid'; message: string };

export const ONCALL_USAGE = [
  '*`/preflight oncall`* who is on call now and next for each rotation, hand-offs in your zone',
  '*`/preflight oncall omega`* one rotation’s',
  '*`/preflight oncall refresh`* read the rotations’ feeds now (PagerDuty, Opsgenie, calendars)',
];

/**
 * Parses the words after `/preflight oncall`: nothing, a rotation id, `refresh`, or `refresh <id>`.
 * @param rotationIds the ids under `program.oncall`.
 * @returns `invalid` with a message naming the problem (an unknown rotation lists the known ones).
 */
export function parseOncallCommand(words: readonly string[], rotationIds: readonly string[]): OncallCommand {
  if (rotationIds.length === 0) return { kind: 'invalid', message: 'No on-call rotation is configured: add one under `program.oncall` in preflight.yml.' };
  const refresh = words[0]?.toLowerCase() === 'refresh';
  const rest = refresh ? words.slice(1) : words;
  if (rest.length > 1) return { kind: 'invalid', message: 'Name one rotation, e.g. `/preflight oncall omega`.' };
  const id = rest[0] ?? null;
  if (id !== null && !rotationIds.includes(id)) return { kind: 'invalid', message: `There is no rotation \`${id}\`. Rotations: ${rotationIds.join(', ')}.` };
  return { kind: refresh ? 'oncall-refresh' : 'oncall', rotation: id };
}
