import type { Program } from '../../domain/program/program.js';

/** Who applied a plan: a Slack user id (`/preflight reload`), or what triggered the reload. */
export type AppliedBy = 'startup' | 'file' | 'sighup' | (string & {});

/** A plan as one replica runs it, with its row in `plan_versions`. */
export interface AppliedPlan {
  readonly program: Program;
  /** services/plan/version.ts `planVersion`. */
  readonly version: string;
  /** `plan_versions.id`: a later row is a later plan. */
  readonly serial: number;
  readonly appliedAt: Date;
  readonly appliedBy: AppliedBy;
}

/**
 * The one place a replica's current plan lives. The Deps built by create-preflight.ts read `config` from here, so a
 * swap is one assignment: every unit of work that starts after it reads the new Program whole; one that started
 * before keeps the Program it copied (the workers copy their Deps per job).
 */
export class PlanHolder {
  #current: AppliedPlan;

  constructor(initial: AppliedPlan) {
    this.#current = initial;
  }

  /** The plan this replica runs now. */
  get current(): AppliedPlan {
    return this.#current;
  }

  /**
   * Swaps in `next` unless it is older than the plan running now (a lower `plan_versions` serial).
   * @returns whether it was applied.
   */
  apply(next: AppliedPlan): boolean {
    if (!isNewer(this.#current, next)) return false;
    this.#current = next;
    return true;
  }
}

/** Whether `next` may replace `current`: a later serial (never an older version than one already applied). */
export function isNewer(current: Pick<AppliedPlan, 'serial'>, next: Pick<AppliedPlan, 'serial'>): boolean {
  return next.serial > current.serial;
}
