import type { WorkspaceConfig } from '../../config/workspace.js';
import { type CheckinSetup, checkinsOf, PROGRAM_WORKSTREAM } from '../../domain/checkins/plans.js';
import { personOf } from '../../domain/program/people.js';

/** Ids of the workstreams whose standup `userId` answers (they are listed under `members`). */
export function workstreamsOf(config: WorkspaceConfig, userId: string): string[] {
  return [...personOf(config, userId).memberOf];
}

/**
 * Every check-in that prompts `userId` (workstream check-ins in config order, then program check-ins), whoever
 * named them: members, leads, a group or their user ID.
 */
export function checkinsFor(config: WorkspaceConfig, userId: string): CheckinSetup[] {
  return [...Object.keys(config.workstreams), PROGRAM_WORKSTREAM].flatMap((id) => checkinsOf(config, id)).filter((c) => c.plan.members.some((m) => m.userId === userId));
}

/**
 * A person's IANA zone (their "today", their quiet hours), from the people directory (domain/program/people.ts):
 * their member override in any workstream, else the zone of a workstream they are in or lead, else the program's.
 */
export function zoneOf(config: WorkspaceConfig, userId: string): string {
  return personOf(config, userId).zone;
}
