import type { WorkspaceConfig } from '../../config/workspace.js';
import type { BlockerView } from '../../slack/blocks/blocker.js';
import { snoozeChoices } from './policy.js';
import type { BlockerRow } from './raise.js';

const sec = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);

/** The Block Kit view model of a blocker row at `now`. */
export function blockerView(config: WorkspaceConfig, b: BlockerRow, now: Date): BlockerView {
  return {
    id: b.id,
    severity: b.severity,
    status: b.status,
    text: b.text,
    reporter: b.reporter,
    owner: b.owner,
    workstreamName: config.workstreams[b.workstreamId]?.name ?? b.workstreamId,
    gateId: b.gateId,
    raisedAt: sec(b.raisedAt)!,
    levelsDone: b.levelsDone,
    lastLevel: b.lastLevel,
    policy: b.policy,
    acknowledgedBy: b.acknowledgedBy,
    snoozedUntil: sec(b.snoozedUntil),
    resolvedBy: b.resolvedBy,
    resolvedAt: sec(b.resolvedAt),
    permalink: b.permalink,
    snoozeChoices: snoozeChoices(config),
    now: Math.floor(now.getTime() / 1000),
  };
}
