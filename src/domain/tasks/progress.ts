/**
 * A workstream's % complete (pure), shared by `/gonogo` and the daily digest.
 *
 * The rule: every task weighs its `estimate` in hours and counts its own progress (a done task counts 100%, an
 * open one the last percent reported for it, 0 when none); every go/no-go checklist item weighs one hour and
 * counts 100% once ticked. % complete = Σ weight × progress ÷ Σ weight, rounded down to a whole percent (so
 * 99.6% is not shown as done). A workstream with neither tasks nor a checklist has nothing to measure: null.
 * Without tasks this is the checklist's ticked/total; without a checklist, the estimate-weighted task progress.
 */

/** One task as the rule sees it: `estimate` in hours (> 0), `progress` 0–100. */
export interface TaskProgressInput {
  estimate: number;
  progress: number;
  done: boolean;
}

export interface WorkstreamProgressInput {
  tasks: readonly TaskProgressInput[];
  checklistDone: number;
  checklistTotal: number;
}

/** Weight of one checklist item, in the tasks' unit (hours). */
export const CHECKLIST_ITEM_HOURS = 1;

/** The rule in one line, for summaries and digests. */
export const PERCENT_COMPLETE_RULE = 'tasks weighted by their estimate (hours, at their reported %), each checklist item as 1 h (done when ticked)';

/**
 * % complete of a workstream under the rule above.
 * @returns an integer 0–100, or null when the workstream has no tasks and no checklist.
 */
export function percentComplete(input: WorkstreamProgressInput): number | null {
  let weight = 0;
  let done = 0;
  for (const t of input.tasks) {
    const p = t.done ? 100 : Math.min(100, Math.max(0, t.progress));
    weight += t.estimate;
    done += (t.estimate * p) / 100;
  }
  weight += input.checklistTotal * CHECKLIST_ITEM_HOURS;
  done += Math.min(input.checklistDone, input.checklistTotal) * CHECKLIST_ITEM_HOURS;
  if (weight <= 0) return null;
  // a small epsilon keeps 3 × (1/3 h) from rounding down to 99
  return Math.min(100, Math.floor((done * 100) / weight + 1e-9));
}
