import type { ProgramDeclaration } from '../../domain/program/declaration.js';
import { peopleOf } from '../../domain/program/people.js';
import type { ConnectRoster } from './workspace.js';

const rosters = new WeakMap<ProgramDeclaration, ConnectRoster>();
const teamSets = new WeakMap<ProgramDeclaration, ReadonlySet<string>>();

/**
 * The workspace guard's view of a plan (issue 24): the outside organizations' workspaces it shares channels with
 * (`slack_connect:` of the program and the workstreams) and every user ID it lists in any role (domain/program/people.ts). Memoised per plan object (a plan is
 * immutable; a reload brings a new one).
 */
export function connectRoster(plan: ProgramDeclaration): ConnectRoster {
  const known = rosters.get(plan);
  if (known) return known;
  const teams = new Set<string>(plan.program.slack_connect ?? []);
  for (const ws of Object.values(plan.workstreams)) for (const t of ws.slack_connect ?? []) teams.add(t);
  const roster = { teams, people: new Set(Object.keys(peopleOf(plan))) };
  rosters.set(plan, roster);
  return roster;
}

/** The workspaces (`T…`) a plan names with `team:` (program and workstreams), memoised per plan object. */
export function planTeams(plan: ProgramDeclaration): ReadonlySet<string> {
  const known = teamSets.get(plan);
  if (known) return known;
  const teams = new Set<string>();
  if (plan.program.team) teams.add(plan.program.team);
  for (const ws of Object.values(plan.workstreams)) if (ws.team) teams.add(ws.team);
  teamSets.set(plan, teams);
  return teams;
}
