import { AsyncLocalStorage } from 'node:async_hooks';
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
 * before keeps its Program (the workers copy their Deps per job, the Slack listeners run pinned, {@link pin}).
 */
export class PlanHolder {
  #current: AppliedPlan;
  readonly #pinned = new AsyncLocalStorage<Program>();

  constructor(initial: AppliedPlan) {
    this.#current = initial;
  }

  /** The plan this replica runs now (the latest applied, pinned or not). */
  get current(): AppliedPlan {
    return this.#current;
  }

  /** The Program a unit of work reads (Deps.config): the one pinned by {@link pin} around it, else the current one. */
  get program(): Program {
    return this.#pinned.getStore() ?? this.#current.program;
  }

  /**
   * Runs `work` with the current Program pinned: {@link program} returns it inside `work` and everything it awaits,
   * even if a reload swaps the plan meanwhile (a Slack request is one unit of work: src/slack/app.ts pins around it).
   */
  pin<T>(work: () => T): T {
    return this.#pinned.run(this.#current.program, work);
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
