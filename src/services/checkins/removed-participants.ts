import type { WorkspaceConfig } from '../../config/workspace.js';
import { scheduledCheckins } from '../../domain/checkins/plans.js';

/** A prompt row of an open run: whose it is and which workstream's check-in it belongs to. */
export interface ParticipantPrompt {
  id: number;
  userId: string;
  workstreamId: string;
  checkinId: string;
}

/**
 * The prompts (of runs already open) whose member the running plan no longer has in that check-in: a reload removed
 * them, and people removed get nothing more (issue 20, "What a change does to what is under way"). They stay in the
 * run (it keeps its participants); only their DMs not sent yet (prompt, reminder) are dropped. A check-in the plan no
 * longer schedules at all keeps every participant: its open run finishes as it started.
 * @returns the subset of `prompts` to drop, in their order.
 */
export function removedParticipants<T extends ParticipantPrompt>(config: WorkspaceConfig, prompts: readonly T[]): T[] {
  if (!prompts.length) return [];
  const planned = new Map(scheduledCheckins(config).map((c) => [`${c.workstreamId}/${c.checkinId}`, new Set(c.plan.members.map((m) => m.userId))]));
  return prompts.filter((p) => {
    const members = planned.get(`${p.workstreamId}/${p.checkinId}`);
    return members !== undefined && !members.has(p.userId);
  });
}
