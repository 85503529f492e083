import type { WorkspaceConfig } from '../../config/workspace.js';
import type { EscalationPolicy, Severity, StepOutcome } from '../../domain/blockers/ladder.js';
import { snoozeChoices } from './policy.js';
import type { BlockerRow } from './rows.js';

/** Everything the blocker messages show, independent of the database row. Times are Unix seconds. */
export interface BlockerView {
  id: number;
  severity: Severity;
  status: 'open' | 'acknowledged' | 'resolved';
  text: string;
  reporter: string;
  owner: string | null;
  workstreamName: string;
  gateId: string | null;
  raisedAt: number;
  levelsDone: number;
  /** What the latest level did (notified whom, or skipped and why); null before the first or on rows that predate it. */
  lastLevel: StepOutcome | null;
  policy: EscalationPolicy;
  acknowledgedBy: string[];
  snoozedUntil: number | null;
  resolvedBy: string | null;
  resolvedAt: number | null;
  permalink: string | null;
  /** Snooze menu choices, ms. */
  snoozeChoices: number[];
  /** "now" in Unix seconds, for the snooze line. */
  now: number;
}

const sec = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);

/** The view model of a blocker row at `now` (rendered to Block Kit in src/slack/blocks/blocker.ts). */
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
