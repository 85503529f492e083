import type { ProgramDeclaration } from './declaration.js';

/*
 * The people directory of a program: for everyone preflight.yml names, their zone, their workstreams and their
 * roles, worked out once (the rules that `services/checkins/participation.ts zoneOf` and `domain/checkins/plans.ts`
 * each applied on their own before issue 19).
 */

/** A role preflight.yml gives a person. */
export type PersonRole = 'pm' | 'exec' | 'lead' | 'member' | 'sign_off';

/** One person of the program. */
export interface Person {
  userId: string;
  /**
   * Their IANA zone (their "today", their quiet hours, the times in their DMs): their own member override in any
   * workstream (the first, config order), else the zone of the first workstream they are in or lead that sets
   * one, else the program's.
   */
  zone: string;
  /** Their own zone override (`{ id, timezone }` member entry, the first in config order), if any. */
  ownZone?: string;
  /** Workstreams listing them under `members`, config order (the check-ins they answer). */
  memberOf: readonly string[];
  /** Workstreams they lead, config order. */
  leads: readonly string[];
  /** Their section in a program report: the first workstream (config order) listing them as member or lead. */
  home?: { id: string; name: string };
  /** Every role they hold, in the order of {@link PersonRole}. */
  roles: readonly PersonRole[];
  /** The email they were given by in preflight.yml, when it was one (resolved to their user ID at start-up). */
  email?: string;
}

/** Everyone preflight.yml names (members, leads, PM, execs, groups, gate sign-off authorities, task owners), by user ID. */
export type PeopleDirectory = Readonly<Record<string, Person>>;

const cache = new WeakMap<ProgramDeclaration, PeopleDirectory>();

/**
 * The people directory of a declared program, memoised per config object (a config is never changed once parsed).
 * @param emails user ID → the email they were given by, when known (src/services/people/resolve-emails.ts).
 */
export function peopleOf(config: ProgramDeclaration, emails?: ReadonlyMap<string, string>): PeopleDirectory {
  // a resolved Program (src/config/resolve.ts) carries its directory already
  const own = (config as { people?: PeopleDirectory }).people;
  if (own && !emails) return own;
  const cached = emails ? undefined : cache.get(config);
  if (cached) return cached;
  const ids = new Set<string>(); // in the order first named
  const note = (id: string) => ids.add(id);
  const workstreams = Object.entries(config.workstreams);
  for (const [, ws] of workstreams) {
    for (const m of ws.members) note(typeof m === 'string' ? m : m.id);
    for (const l of ws.leads) note(l);
  }
  note(config.program.pm);
  for (const e of config.program.execs) note(e);
  for (const g of Object.values(config.program.groups)) for (const u of g) note(u);
  for (const g of config.gates) for (const u of g.sign_off) note(u);
  for (const [, ws] of workstreams) for (const t of ws.tasks) note(t.owner);

  const signers = new Set(config.gates.flatMap((g) => g.sign_off));
  const directory: Record<string, Person> = {};
  for (const userId of ids) {
    let ownZone: string | undefined;
    for (const [, ws] of workstreams) {
      for (const m of ws.members) if (ownZone === undefined && typeof m !== 'string' && m.id === userId && m.timezone) ownZone = m.timezone;
    }
    const memberOf = workstreams.filter(([, ws]) => ws.members.some((m) => (typeof m === 'string' ? m : m.id) === userId)).map(([id]) => id);
    const leads = workstreams.filter(([, ws]) => ws.leads.includes(userId)).map(([id]) => id);
    const inOrLeads = workstreams.filter(([id]) => memberOf.includes(id) || leads.includes(id));
    const zoned = inOrLeads.find(([, ws]) => ws.timezone);
    const roles: PersonRole[] = [];
    if (config.program.pm === userId) roles.push('pm');
    if (config.program.execs.includes(userId)) roles.push('exec');
    if (leads.length) roles.push('lead');
    if (memberOf.length) roles.push('member');
    if (signers.has(userId)) roles.push('sign_off');
    const home = inOrLeads[0];
    const email = emails?.get(userId);
    directory[userId] = {
      userId,
      zone: ownZone ?? zoned?.[1].timezone ?? config.program.timezone,
      ...(ownZone !== undefined ? { ownZone } : {}),
      memberOf,
      leads,
      ...(home ? { home: { id: home[0], name: home[1].name } } : {}),
      roles,
      ...(email !== undefined ? { email } : {}),
    };
  }
  if (!emails) cache.set(config, directory);
  return directory;
}

/**
 * A person of the program by user ID; someone preflight.yml does not name (a Slack user who runs a command) is in
 * no workstream, holds no role and lives in the program's zone.
 */
export function personOf(config: ProgramDeclaration, userId: string): Person {
  return peopleOf(config)[userId] ?? { userId, zone: config.program.timezone, memberOf: [], leads: [], roles: [] };
}
