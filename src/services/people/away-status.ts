import { eq } from 'drizzle-orm';
import type { WebClient } from '@slack/web-api';
import { DateTime } from 'luxon';
import { blockers, memberOutOfOffice } from '../../db/schema/index.js';
import { nextStep, recipients } from '../../domain/blockers/ladder.js';
import { type AwaySpan, NO_END } from '../../domain/people/cover.js';
import { zoneOf } from '../checkins/participation.js';
import type { Deps } from '../deps.js';
import { ladderState } from '../blockers/ladder-state.js';
import { rolesFor } from '../blockers/policy.js';
import { configuredDelegates } from './away.js';

/*
 * Slack statuses that mean "away" (issue 22, `program.away_statuses: [":palm_tree:"]`): read with users.profile.get
 * (docs.slack.dev/reference/methods/users.profile.get: scope users.profile:read; `profile.status_emoji`, and
 * `profile.status_expiration` in Unix seconds, 0 when it never expires). Read BEFORE a ladder step is written (never
 * an HTTP call while its row is locked) and cached briefly, so a burst of escalations asks Slack once per person.
 */

/** How long a person's status is reused (ms): a status changed meanwhile counts within a minute. */
export const STATUS_TTL_MS = 60_000;

const caches = new WeakMap<WebClient, Map<string, { readAt: number; span: AwaySpan | null }>>();

/**
 * The away spans of `userIds` from their Slack status at `now`: a status emoji in `program.away_statuses` makes
 * them away from their local today until the status's expiry (local date), or with no end ({@link NO_END}) when
 * it has none. Nothing is asked when `away_statuses` is empty. A lookup that fails (missing scope, rate limit,
 * network) counts as "not away" and is logged: a status is a hint, never a reason to hold up an escalation.
 */
export async function awayStatuses(deps: Pick<Deps, 'config' | 'slack' | 'log'>, userIds: Iterable<string>, now: DateTime): Promise<AwaySpan[]> {
  const wanted = deps.config.program.away_statuses;
  if (!wanted.length) return [];
  const cache = caches.get(deps.slack) ?? new Map<string, { readAt: number; span: AwaySpan | null }>();
  caches.set(deps.slack, cache);
  const out: AwaySpan[] = [];
  for (const user of new Set(userIds)) {
    const hit = cache.get(user);
    let span: AwaySpan | null;
    if (hit && now.toMillis() - hit.readAt < STATUS_TTL_MS && now.toMillis() >= hit.readAt) span = hit.span;
    else {
      try {
        const res = await deps.slack.users.profile.get({ user });
        const emoji = res.profile?.status_emoji ?? '';
        const expires = res.profile?.status_expiration ?? 0;
        const zone = zoneOf(deps.config, user);
        span = wanted.includes(emoji)
          ? {
              userId: user,
              from: now.setZone(zone).toISODate()!,
              until: expires > 0 ? DateTime.fromSeconds(expires, { zone }).toISODate()! : NO_END,
              source: 'status',
              emoji,
            }
          : null;
        cache.set(user, { readAt: now.toMillis(), span });
      } catch (err) {
        deps.log.warn({ err, user }, 'Slack status not read (users.profile.get): counted as not away');
        span = null;
      }
    }
    if (span) out.push(span);
  }
  return out;
}

/**
 * The Slack statuses the next step of blocker `blockerId` may need, read beside the blocker before its escalation step is written: the
 * people its next level targets and every configured delegate (those named with `/standup ooo … delegate:` are
 * read at `now` too, from the out-of-office table). A blocker not found, or no `away_statuses`: none.
 */
export async function awayStatusesBefore(deps: Deps, blockerId: number): Promise<AwaySpan[]> {
  if (!deps.config.program.away_statuses.length) return [];
  const now = deps.clock.now();
  const [b] = await deps.db.select().from(blockers).where(eq(blockers.id, blockerId));
  if (!b) return [];
  const step = nextStep(b.policy, ladderState(b));
  const level = step ? b.policy.ladder[step.level] : undefined;
  const targets = level ? recipients(level.notify, rolesFor(deps.config, b.workstreamId), []) : [];
  const named = (await deps.db.select({ d: memberOutOfOffice.delegate }).from(memberOutOfOffice)).map((r) => r.d).filter((d): d is string => !!d);
  return awayStatuses(deps, [...targets, ...Object.values(configuredDelegates(deps.config)), ...named], now);
}
