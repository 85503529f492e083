import type { TaskConfig, WorkspaceConfig } from '../../config/workspace.js';
import type { BlockerView } from '../../domain/blockers/blocker.js';
import { workstreamZone } from '../../domain/program/program.js';
import { snoozeChoices } from './policy.js';
import type { BlockerRow } from './rows.js';

export type { BlockerView } from '../../domain/blockers/blocker.js';

/** The `url` of task `taskId` in the running plan (issue 21), or null (none written, or no longer planned). */
function taskUrl(config: WorkspaceConfig, taskId: string): string | null {
  const tasks: readonly TaskConfig[] = Object.values(config.workstreams).flatMap((w) => w.tasks);
  return tasks.find((t) => t.id === taskId)?.url ?? null;
}

const sec = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);

/**
 * The zone a blocker's channel message is read in: the program's for the program channel (a gate's escalation),
 * else its workstream's (`timezone`, else the program's).
 */
export function blockerChannelZone(config: WorkspaceConfig, b: Pick<BlockerRow, 'channel' | 'workstreamId'>): string {
  if (b.channel === config.program.channel) return config.program.timezone;
  return workstreamZone(config, b.workstreamId);
}

/**
 * The view model of a blocker row at `now` (rendered to Block Kit in src/slack/blocks/blocker.ts), for a reader
 * in `zone` (IANA; the plain-text fallbacks of its times are in it). Default: the blocker channel's zone
 * ({@link blockerChannelZone}); a DM or a list passes its reader's (services/checkins/participation.ts zoneOf).
 * `permalink` is the blocker message's (its delivery's, services/blockers/delivery-kinds.ts), shown by the
 * escalation DMs; null where it is not shown.
 */
export function blockerView(config: WorkspaceConfig, b: BlockerRow, now: Date, zone: string = blockerChannelZone(config, b), permalink: string | null = null): BlockerView {
  return {
    id: b.id,
    severity: b.severity,
    status: b.status,
    text: b.text,
    reporter: b.reporter,
    owner: b.owner,
    workstreamName: config.workstreams[b.workstreamId]?.name ?? b.workstreamId,
    gateId: b.gateId,
    task: b.taskId ? { id: b.taskId, url: taskUrl(config, b.taskId) } : null,
    raisedAt: sec(b.raisedAt)!,
    levelsDone: b.levelsDone,
    lastLevel: b.lastLevel,
    policy: b.policy,
    acknowledgedBy: b.acknowledgedBy,
    snoozedUntil: sec(b.snoozedUntil),
    resolvedBy: b.resolvedBy,
    resolvedAt: sec(b.resolvedAt),
    permalink,
    dueAt: sec(b.dueAt),
    snoozeChoices: snoozeChoices(config),
    now: Math.floor(now.getTime() / 1000),
    zone,
  };
}
