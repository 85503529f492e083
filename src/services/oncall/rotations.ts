import { eq, inArray } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { oncallRotations, type StoredShift } from '../../db/schema/index.js';
import { type RotationSource, SOURCE_LABEL, sourceOf } from '../../domain/oncall/declaration.js';
import { configOnCallAt, onCallAt, type Shift } from '../../domain/oncall/rotation.js';
import type { Deps } from '../deps.js';
import { userIdsByEmail } from '../people/resolve-emails.js';
import { fetchShifts } from './sources.js';

/*
 * On-call rotations as Preflight knows them (issue 22): feeds are read every 10 minutes (jobs/registry.ts) and on
 * `/preflight oncall refresh`, their shifts kept in Postgres (`oncall_rotations`) so every replica sees the same;
 * a feed that cannot be read keeps its last known shifts. Rotations written in preflight.yml need no read.
 */

/** How often the feeds are read (issue 22: every 10 minutes), ms. */
export const ROTATION_REFRESH_MS = 10 * 60_000;

/** How far ahead a refresh reads a feed's shifts (for "next" and hand-offs), ms. */
export const REFRESH_HORIZON_MS = 14 * 86_400_000;

/** One person on call (or next): their Slack user ID (null when the feed names someone with no Slack account), as the feed named them, and the shift's bounds (UTC; `until` null: not known). */
export interface OnCallPerson {
  userId: string | null;
  person: string;
  from: DateTime;
  until: DateTime | null;
}

/** A rotation's state at an instant. */
export interface RotationStatus {
  id: string;
  /** `name` from the config, else the id. */
  name: string;
  source: RotationSource;
  /** "PagerDuty", "the calendar feed", … ("per PagerDuty"). */
  sourceLabel: string;
  now: OnCallPerson | null;
  next: OnCallPerson | null;
  /** Last successful read of the feed (null for a rotation in preflight.yml, or a feed never read). */
  fetchedAt: DateTime | null;
  /** Why the last read failed (null when it did not, or for a rotation in preflight.yml). */
  error: string | null;
  /** Whether any shift is known at all (false: the feed was never read successfully). */
  known: boolean;
}

const toPerson = (s: Shift | null): OnCallPerson | null => (s ? { userId: s.person.includes('@') ? null : s.person, person: s.person, from: s.start, until: s.end } : null);

/** A shift as `oncall_rotations` stores it → the domain's (the Slack user ID when one was found, else the feed's name). */
export const shiftFromStored = (s: StoredShift): Shift => ({
  start: DateTime.fromISO(s.start, { zone: 'UTC' }),
  end: s.end ? DateTime.fromISO(s.end, { zone: 'UTC' }) : null,
  person: s.userId ?? s.person,
});

/**
 * Who is on call at `at` (UTC) for each rotation of the running program (or only `ids`), from the stored shifts of
 * feeds and from the rules for rotations in preflight.yml. Reads Postgres only (no HTTP): safe to call before a
 * row-locking transaction. Unknown ids are left out.
 * @returns rotation id → status.
 */
export async function rotationStatuses(deps: Pick<Deps, 'db' | 'config'>, at: DateTime, ids?: readonly string[]): Promise<Map<string, RotationStatus>> {
  return (await rotationReader(deps, ids))(at);
}

/**
 * The stored shifts read once (Postgres only, as {@link rotationStatuses}), and who is on call at any instant from
 * them, without another read: for a caller that reads ahead of the instant it decides at (the escalation processor
 * woken just before a step is due, services/blockers/escalate.ts).
 * @returns `at` (UTC) → rotation id → status, as {@link rotationStatuses} gives it.
 */
export async function rotationReader(deps: Pick<Deps, 'db' | 'config'>, ids?: readonly string[]): Promise<(at: DateTime) => Map<string, RotationStatus>> {
  const decls = Object.entries(deps.config.program.oncall ?? {}).filter(([id]) => !ids || ids.includes(id));
  if (decls.length === 0) return () => new Map();
  const feedIds = decls.filter(([, r]) => sourceOf(r) !== 'config').map(([id]) => id);
  const rows = feedIds.length ? await deps.db.select().from(oncallRotations).where(inArray(oncallRotations.rotationId, feedIds)) : [];
  const byId = new Map(rows.map((r) => [r.rotationId, r]));
  return (at) => {
    const out = new Map<string, RotationStatus>();
    for (const [id, r] of decls) {
      const source = sourceOf(r);
      const base = { id, name: r.name ?? id, source, sourceLabel: SOURCE_LABEL[source] };
      if (source === 'config') {
        const who = configOnCallAt({ members: r.members!, handoff: r.handoff!, shiftMs: r.shift!, zone: r.zone ?? deps.config.program.timezone, start: r.start }, at);
        out.set(id, { ...base, now: toPerson(who.now), next: toPerson(who.next), fetchedAt: null, error: null, known: true });
        continue;
      }
      const row = byId.get(id);
      const shifts = row?.source === source ? row.shifts.map(shiftFromStored) : [];
      const who = onCallAt(shifts, at);
      out.set(id, {
        ...base,
        now: toPerson(who.now),
        next: toPerson(who.next),
        fetchedAt: row?.fetchedAt ? DateTime.fromJSDate(row.fetchedAt, { zone: 'UTC' }) : null,
        error: row?.error ?? null,
        known: !!row?.fetchedAt && row.source === source,
      });
    }
    return out;
  };
}

/** What one refresh did for one rotation. */
export interface RefreshResult {
  id: string;
  ok: boolean;
  /** Shifts stored (ok), or the error (not ok; the last known shifts stay). */
  shifts?: number;
  error?: string;
}

/**
 * Reads each feed rotation of the running program (or only `ids`) and stores its shifts from now − 1 h to
 * {@link REFRESH_HORIZON_MS} ahead, the people named by email resolved to Slack user IDs (users.lookupByEmail,
 * cached). A feed that cannot be read keeps its last known shifts; its row records the error and when.
 * Rotations written in preflight.yml are skipped (nothing to read). Rotations run one after another.
 * @param minBackoffMs first retry wait of the feeds' HTTP backoff (tests shorten it).
 */
export async function refreshRotations(deps: Pick<Deps, 'db' | 'config' | 'clock' | 'slack' | 'log'>, ids?: readonly string[], minBackoffMs?: number): Promise<RefreshResult[]> {
  const now = deps.clock.now().toUTC();
  const results: RefreshResult[] = [];
  for (const [id, r] of Object.entries(deps.config.program.oncall ?? {})) {
    if ((ids && !ids.includes(id)) || sourceOf(r) === 'config') continue;
    const source = sourceOf(r);
    try {
      const shifts = await fetchShifts(r, {
        from: now.minus({ hours: 1 }),
        to: now.plus({ milliseconds: REFRESH_HORIZON_MS }),
        zone: r.zone ?? deps.config.program.timezone,
        ...(minBackoffMs !== undefined ? { minBackoffMs } : {}),
      });
      const emails = shifts.map((s) => s.person).filter((p) => p.includes('@'));
      const ids = await userIdsByEmail(deps, emails);
      const stored: StoredShift[] = shifts.map((s) => ({
        start: s.start.toUTC().toISO()!,
        end: s.end?.toUTC().toISO() ?? null,
        person: s.person,
        userId: s.person.includes('@') ? (ids.get(s.person.toLowerCase()) ?? null) : s.person,
      }));
      await deps.db
        .insert(oncallRotations)
        .values({ rotationId: id, source, shifts: stored, fetchedAt: now.toJSDate(), checkedAt: now.toJSDate(), error: null })
        .onConflictDoUpdate({ target: oncallRotations.rotationId, set: { source, shifts: stored, fetchedAt: now.toJSDate(), checkedAt: now.toJSDate(), error: null } });
      const unknown = stored.filter((s) => !s.userId).map((s) => s.person);
      if (unknown.length) deps.log.warn({ rotation: id, people: [...new Set(unknown)] }, 'on-call feed names people with no Slack account');
      results.push({ id, ok: true, shifts: stored.length });
    } catch (err) {
      const message = (err as Error).message;
      deps.log.warn({ rotation: id, err: message }, 'on-call feed could not be read: keeping its last known shifts');
      const [row] = await deps.db.select({ source: oncallRotations.source }).from(oncallRotations).where(eq(oncallRotations.rotationId, id));
      if (row) await deps.db.update(oncallRotations).set({ checkedAt: now.toJSDate(), error: message }).where(eq(oncallRotations.rotationId, id));
      else await deps.db.insert(oncallRotations).values({ rotationId: id, source, shifts: [], fetchedAt: null, checkedAt: now.toJSDate(), error: message }).onConflictDoNothing();
      results.push({ id, ok: false, error: message });
    }
  }
  return results;
}
