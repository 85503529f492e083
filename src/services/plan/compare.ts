import { DateTime } from 'luxon';
import type { WorkspaceConfig } from '../../config/workspace.js';
import { scheduledCheckins } from '../../domain/checkins/plans.js';
import { diffPlans, type PlanDiff, type PlanSide } from '../../domain/plan/plan-diff.js';
import { peopleOf } from '../../domain/program/people.js';
import { escalationPoliciesOf, escalationPolicyOf, ladderOf, workstreamZone } from '../../domain/program/program.js';
import { buildPreview } from '../preview/build.js';
import type { LiveState } from '../preview/live-state.js';
import { configuredTasks, taskDueAt } from '../tasks/catalog.js';

/** One plan to compare: its config (a parsed config or a resolved Program) and the live state read for it, if any. */
export interface ComparedPlan {
  config: WorkspaceConfig;
  /** services/preview/live-state.ts `readLiveState` for this config; null: from the config alone. */
  live: LiveState | null;
}

/**
 * One plan as the diff reads it (domain/plan/plan-diff.ts `PlanSide`): its preview over `days` program-local days
 * from `fromDate` (YYYY-MM-DD, services/preview/build.ts `buildPreview`, the engine `npm run preview` uses), its
 * scheduled check-ins (`at` in the workstream's zone), its tasks (due instants in their workstream's zone), its
 * gates (due in the program's zone), the ladders of new blockers by severity and `tasks.escalation`, and its people.
 * @param since when given, the preview's events before this instant are left out (what has happened already).
 */
export function planSide(plan: ComparedPlan, fromDate: string, days: number, since?: DateTime): PlanSide {
  const { config, live } = plan;
  const preview = buildPreview(config, live, fromDate, days);
  const zone = config.program.timezone;
  const custom = config.tasks.escalation;
  return {
    preview: since ? { ...preview, events: preview.events.filter((e) => e.at >= since) } : preview,
    checkins: scheduledCheckins(config).map((c) => ({
      workstreamId: c.workstreamId,
      checkinId: c.checkinId,
      label: `${c.name} · ${c.checkinName}`,
      at: c.plan.at,
      zone: c.plan.zone,
      participants: c.plan.members.map((m) => m.userId),
    })),
    tasks: configuredTasks(config).map(({ workstreamId, task }) => {
      const due = taskDueAt(config, workstreamId, task.due);
      return { id: task.id, title: task.title, workstreamId, owner: task.owner, dueAt: due === null ? null : DateTime.fromMillis(due).toUTC(), zone: workstreamZone(config, workstreamId) };
    }),
    gates: config.gates.map((g) => ({ id: g.id, name: g.name, dueAt: g.due ? DateTime.fromISO(g.due, { zone }).toUTC() : null, signOff: g.sign_off })),
    ladders: { ...escalationPoliciesOf(config), tasks: custom ? { ...escalationPolicyOf(config, 'P1'), ladder: ladderOf(custom) } : null },
    people: Object.fromEntries(Object.values(peopleOf(config)).map((p) => [p.userId, p.zone])),
  };
}

/**
 * What `next` changes compared with `running` over `days` program-local days from `fromDate` (YYYY-MM-DD, in the
 * new plan's `program.timezone`): both previewed by the same engine over the same span, then diffed
 * (domain/plan/plan-diff.ts `diffPlans`). This is what `npm run plan` and `config:check --plan` print.
 * @param since when given, events before this instant (UTC) are not compared: `npm run plan` compares from now on.
 */
export function comparePlans(running: ComparedPlan, next: ComparedPlan, fromDate: string, days: number, since?: DateTime): PlanDiff {
  return diffPlans(planSide(running, fromDate, days, since), planSide(next, fromDate, days, since));
}
