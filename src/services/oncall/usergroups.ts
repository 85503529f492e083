import { eq } from 'drizzle-orm';
import { programTeamArg } from '../workspace/team.js';
import { oncallRotations } from '../../db/schema/index.js';
import { sourceOf } from '../../domain/oncall/declaration.js';
import type { Deps } from '../deps.js';
import { rotationStatuses } from './rotations.js';

/** What one sync did for one rotation with a `usergroup`. */
export interface UsergroupSync {
  rotation: string;
  usergroup: string;
  /** `updated`: usergroups.users.update called; `unchanged`: the group already holds who is on call; `nobody`: no one
   *  known on call (the group is left as it is: Slack refuses an empty list); `no-such-usergroup`: no group has the
   *  handle; `failed`: Slack refused (logged). */
  outcome: 'updated' | 'unchanged' | 'nobody' | 'no-such-usergroup' | 'failed';
  users: string[];
}

/**
 * Keeps each rotation's Slack user group (`program.oncall.<id>.usergroup`, a handle such as `omega-oncall`) holding
 * whoever is on call now (issue 22: "kept in sync at each hand-off"), so `@omega-oncall` reaches them. Runs every
 * minute (jobs/registry.ts), so a hand-off reaches the group within a minute; a Slack call is made only when the
 * person changed since the last sync (`oncall_rotations.usergroup_users`). Handles are looked up with
 * usergroups.list (scope usergroups:read) and the group set with usergroups.users.update (scope usergroups:write;
 * docs.slack.dev/reference/methods/usergroups.users.update: `users` is a comma-separated list of at least one ID).
 * @returns one entry per rotation with a usergroup.
 */
export async function syncUsergroups(deps: Pick<Deps, 'db' | 'config' | 'clock' | 'slack' | 'log'>): Promise<UsergroupSync[]> {
  const withGroup = Object.entries(deps.config.program.oncall ?? {}).filter(([, r]) => r.usergroup);
  if (withGroup.length === 0) return [];
  const now = deps.clock.now();
  const statuses = await rotationStatuses(
    deps,
    now,
    withGroup.map(([id]) => id),
  );
  let handles: Map<string, string> | null = null;
  const out: UsergroupSync[] = [];
  for (const [id, r] of withGroup) {
    const usergroup = r.usergroup!;
    const user = statuses.get(id)?.now?.userId ?? null;
    if (!user) {
      out.push({ rotation: id, usergroup, outcome: 'nobody', users: [] });
      continue;
    }
    const [row] = await deps.db.select({ users: oncallRotations.usergroupUsers }).from(oncallRotations).where(eq(oncallRotations.rotationId, id));
    if (row?.users?.length === 1 && row.users[0] === user) {
      out.push({ rotation: id, usergroup, outcome: 'unchanged', users: [user] });
      continue;
    }
    try {
      if (!handles) {
        const res = await deps.slack.usergroups.list({ include_disabled: false, ...programTeamArg(deps.config) });
        handles = new Map((res.usergroups ?? []).filter((g) => g.handle && g.id).map((g) => [g.handle!, g.id!]));
      }
      const groupId = handles.get(usergroup);
      if (!groupId) {
        deps.log.warn({ rotation: id, usergroup }, 'no Slack user group has this handle: create it, or fix program.oncall.<id>.usergroup');
        out.push({ rotation: id, usergroup, outcome: 'no-such-usergroup', users: [] });
        continue;
      }
      await deps.slack.usergroups.users.update({ usergroup: groupId, users: user, ...programTeamArg(deps.config) });
      await deps.db
        .insert(oncallRotations)
        .values({ rotationId: id, source: sourceOf(r), shifts: [], fetchedAt: null, checkedAt: now.toJSDate(), error: null, usergroupUsers: [user] })
        .onConflictDoUpdate({ target: oncallRotations.rotationId, set: { usergroupUsers: [user] } });
      deps.log.info({ rotation: id, usergroup, user }, 'on-call user group updated');
      out.push({ rotation: id, usergroup, outcome: 'updated', users: [user] });
    } catch (err) {
      deps.log.warn({ rotation: id, usergroup, err: (err as Error).message }, 'could not update the on-call user group');
      out.push({ rotation: id, usergroup, outcome: 'failed', users: [] });
    }
  }
  return out;
}
