import type { PlanDiff } from '../../domain/plan/plan-diff.js';
import type { RunningPlanInfo } from './running.js';

/** The running plan and the new one, compared: what `npm run plan` prints, as a model (cli/plan/run.ts makes it). */
export interface PlanComparison {
  diff: PlanDiff;
  /** How many program-local days were compared. */
  days: number;
  running: RunningPlanInfo;
  next: { file: string; version: string };
  programName: string;
}
