import type { PlanOverride } from '../../config/overrides.js';

/** A row of `plan_overrides` (migration 0014): the override and its audit (who, when, why; who dropped it, when, why). */
export interface OverrideRecord extends PlanOverride {
  reason: string | null;
  createdBy: string;
  createdAt: Date;
  droppedAt: Date | null;
  /** A user id, or `file` when the file won. */
  droppedBy: string | null;
  dropReason: string | null;
}

/** An override with the value it replaced, as `/task show` and the digest tell it. */
export interface OverrideChange {
  override: OverrideRecord;
  /** The value before it: the one of the override it replaced (`replaced by #id`), else the file's (`file_value`). */
  before: unknown;
}
