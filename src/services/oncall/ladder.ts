import type { NotifyTarget } from '../../domain/blockers/ladder.js';
import { rotationIdOf } from '../../domain/oncall/declaration.js';
import type { OncallNote } from '../../domain/oncall/note.js';
import type { DateTime } from 'luxon';
import type { Deps } from '../deps.js';
import { type RotationStatus, rotationStatuses } from './rotations.js';

export type { OncallNote } from '../../domain/oncall/note.js';

/**
 * The rotations a level's target names, resolved against their status at the moment the step fires.
 * @param zoneOf a person's IANA zone (null: nobody, the program's).
 * @returns `oncall`: rotation id → the on-call user ID (an empty list when nobody is known), for
 *   domain/blockers/ladder.ts `Roles.oncall`; `notes`: one per rotation named; `nobodyKnown`: some rotation named
 *   has nobody on call (the step falls through to the next at once when it reaches nobody else).
 */
export function oncallForTarget(
  target: NotifyTarget,
  statuses: ReadonlyMap<string, RotationStatus>,
  zoneOf: (userId: string | null) => string,
): { oncall: Record<string, string[]>; notes: OncallNote[]; nobodyKnown: boolean } {
  const ids = [...new Set((typeof target === 'string' ? [target] : target).map(rotationIdOf).filter((id): id is string => id !== null))];
  const oncall: Record<string, string[]> = {};
  const notes: OncallNote[] = [];
  for (const id of ids) {
    const s = statuses.get(id);
    const userId = s?.now?.userId ?? null;
    oncall[id] = userId ? [userId] : [];
    notes.push({
      rotation: id,
      name: s?.name ?? id,
      source: s?.sourceLabel ?? 'no source',
      userId,
      person: s?.now?.person ?? null,
      until: s?.now?.until ? Math.floor(s.now.until.toSeconds()) : null,
      staleSince: s?.error && s.fetchedAt ? Math.floor(s.fetchedAt.toSeconds()) : null,
      zone: zoneOf(userId),
    });
  }
  return { oncall, notes, nobodyKnown: notes.some((n) => !n.userId) };
}

/**
 * The rotations `userId` is on call for at `at`, as notes ("You are on call for Omega until 21:00 per PagerDuty"),
 * for the App Home tab. Postgres reads only.
 */
export async function myOnCall(deps: Pick<Deps, 'db' | 'config'>, userId: string, at: DateTime, zone: string): Promise<OncallNote[]> {
  const statuses = await rotationStatuses(deps, at);
  return [...statuses.values()].filter((s) => s.now?.userId === userId).map((s) => oncallForTarget([`oncall:${s.id}`], new Map([[s.id, s]]), () => zone).notes[0]!);
}
