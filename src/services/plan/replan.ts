import { and, asc, eq, isNull } from 'drizzle-orm';
import { ConfigError } from '../../config/load.js';
import { type OverrideKind, type PlanOverride, fileValueOf } from '../../config/overrides.js';
import { planOverrides } from '../../db/schema/index.js';
import type { Refusal } from '../../domain/permissions.js';
import { type DueSpec, didYouMean, nextTaskId, resolveDue } from '../../domain/plan/replan.js';
import { workstreamZone } from '../../domain/program/program.js';
import type { Severity } from '../../domain/program/severities.js';
import type { Deps } from '../deps.js';
import { may } from '../permission-check.js';
import { configuredTasks, findTask } from '../tasks/catalog.js';
import { dropOverride, loadPlanConfig, type OverrideRecord } from './overrides.js';
import type { PlanControl } from './reload.js';

/** A change asked for from Slack (issue 20, "Replan from Slack"), as the commands parse it. */
export type ReplanChange =
  | { kind: 'task_add'; workstreamId: string; title: string; owner: string; due: DueSpec | null; estimate: number | null; requires: string[]; priority: Severity | null }
  | { kind: 'task_due'; taskId: string; due: DueSpec; reason: string | null }
  | { kind: 'task_owner'; taskId: string; owner: string; reason: string | null }
  | { kind: 'task_drop'; taskId: string; reason: string }
  | { kind: 'gate_due'; gateId: string; due: DueSpec; reason: string | null };

/** What a replan did: the override stored and the plan version now running, or why nothing was stored. */
export type ReplanResult =
  | {
      ok: true;
      override: OverrideRecord;
      /** The task's or gate's title (a task added: the new one's). */
      title: string;
      /** The zone its due time is in (the workstream's; a gate's: the program's). */
      zone: string;
      /** The plan version running after the reload. */
      version: string;
      /**
       * The value the plan ran before this change: the active override it replaced (`replacedValue` set), else the
       * file's (`override.fileValue`).
       */
      replacedValue?: unknown;
    }
  | { ok: false; message: string }
  | { ok: false; refusal: Refusal };

const no = (message: string): ReplanResult => ({ ok: false, message });

/**
 * Makes one change to the running plan from Slack, as an override on top of preflight.yml (issue 20): checked on the
 * server (the workstream's leads or the PM; a gate: the PM; domain/permissions.ts), then against the plan: a due
 * time not ahead of now, an owner nobody in the program is, a drop of a task others require, and whatever the
 * schema refuses once the change is applied to the file with the other active overrides (unknown `requires`, a
 * cycle: the schema's own message). A refusal stores nothing. Else the override is stored (replacing an active
 * one on the same field, dropped with `replaced by #<id>`) and the plan reloaded (`reloader.reload(actor)`: a new
 * version, recorded, applied on every replica). A reload that fails after all drops the override again.
 * @param plan the running plan and its reloader; without it (a process that does not reload) nothing can change.
 * @throws a database error when Postgres does not answer (nothing stored).
 */
export async function replan(deps: Deps, plan: PlanControl | undefined, actor: string, change: ReplanChange): Promise<ReplanResult> {
  if (!plan) return no('This Preflight process does not change its plan.');
  const config = deps.config;
  const now = deps.clock.now().toMillis();
  const tasks = configuredTasks(config);
  const taskIds = tasks.map((t) => t.task.id);

  let kind: OverrideKind;
  let target: string;
  let workstreamId: string | null;
  let value: unknown = null;
  let title: string;
  let reason: string | null = null;
  if (change.kind === 'gate_due') {
    const gate = config.gates.find((g) => g.id === change.gateId);
    if (!gate) {
      const near = didYouMean(
        change.gateId,
        config.gates.map((g) => g.id),
      );
      return no(`There is no gate \`${change.gateId}\`.${near ? ` Did you mean \`${near}\`?` : ''}`);
    }
    [kind, target, workstreamId, title, reason] = ['gate_due', gate.id, null, gate.name, change.reason];
  } else if (change.kind === 'task_add') {
    const ws = config.workstreams[change.workstreamId];
    if (!ws) return no(`There is no workstream \`${change.workstreamId}\`. Workstreams: ${Object.keys(config.workstreams).join(', ')}.`);
    const id = nextTaskId(
      change.workstreamId,
      ws.tasks.map((t) => t.id),
      [...taskIds, ...config.gates.map((g) => g.id)],
    );
    [kind, target, workstreamId, title] = ['task_add', id, change.workstreamId, change.title];
  } else {
    const found = findTask(config, change.taskId);
    if (!found) {
      const near = didYouMean(change.taskId, taskIds);
      return no(`There is no task \`${change.taskId}\`.${near ? ` Did you mean \`${near}\`?` : ''}`);
    }
    kind = change.kind;
    [target, workstreamId, title, reason] = [found.task.id, found.workstreamId, found.task.title, change.reason];
  }

  const allowed = may(config, actor, { on: 'plan', verb: 'replan', workstreamId });
  if (!allowed.allowed) return { ok: false, refusal: allowed };

  const zone = workstreamId === null ? config.program.timezone : workstreamZone(config, workstreamId);
  const inProgram = (userId: string) =>
    config.people[userId] ? null : `<@${userId}> is not in the program: hand it to someone preflight.yml names (a member, lead, PM…), or add them to preflight.yml first.`;
  switch (change.kind) {
    case 'task_due':
    case 'gate_due': {
      const due = resolveDue(change.due, zone, now);
      if (!due.ok) return no(due.message);
      value = due.local;
      break;
    }
    case 'task_owner': {
      const problem = inProgram(change.owner);
      if (problem) return no(problem);
      if (findTask(config, target)?.task.owner === change.owner) return no(`<@${change.owner}> already owns ${target}.`);
      value = change.owner;
      break;
    }
    case 'task_drop': {
      const dependents = tasks.filter((t) => t.task.id !== target && t.task.requires.includes(target)).map((t) => t.task.id);
      if (dependents.length)
        return no(
          `${dependents.join(', ')} ${dependents.length === 1 ? 'requires' : 'require'} ${target}: drop ${dependents.length === 1 ? 'it' : 'them'} or change what ${dependents.length === 1 ? 'it requires' : 'they require'} first (\`/task drop\`, or preflight.yml).`,
        );
      break;
    }
    case 'task_add': {
      const problem = inProgram(change.owner);
      if (problem) return no(problem);
      const task: Record<string, unknown> = { id: target, title: change.title, owner: change.owner };
      if (change.due) {
        const due = resolveDue(change.due, zone, now);
        if (!due.ok) return no(due.message);
        task.due = due.local;
      }
      if (change.estimate !== null) task.estimate = change.estimate;
      if (change.priority !== null) task.priority = change.priority;
      if (change.requires.length) task.requires = change.requires;
      value = task;
      break;
    }
  }

  // the change with every active override, judged by the schema as a file would be
  let candidate: PlanOverride | undefined;
  try {
    await loadPlanConfig(deps, plan.reloader.path, (raw) => {
      candidate = { id: Number.MAX_SAFE_INTEGER, kind, target, workstreamId, value, fileValue: fileValueOf(raw, { kind, target }) };
      return candidate;
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      const problems = err.problems.map((p) => p.message);
      return no(`That change does not fit the plan, so nothing was changed: ${problems.join('; ')}.`);
    }
    throw err;
  }

  const at = deps.clock.now().toJSDate();
  const storedWith = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(planOverrides)
      .values({ kind, target, workstreamId, value, fileValue: candidate?.fileValue ?? null, reason, createdBy: actor, createdAt: at })
      .returning();
    if (kind === 'task_due' || kind === 'task_owner' || kind === 'gate_due') {
      const before = await tx
        .select({ id: planOverrides.id, value: planOverrides.value })
        .from(planOverrides)
        .where(and(eq(planOverrides.kind, kind), eq(planOverrides.target, target), isNull(planOverrides.droppedAt)))
        .orderBy(asc(planOverrides.id));
      const replaced = before.filter((b) => b.id !== row!.id);
      for (const b of replaced) await dropOverride(tx, b.id, actor, `replaced by #${row!.id}`, at);
      if (replaced.length) return { row: row!, replacedValue: replaced.at(-1)!.value };
    }
    return { row: row!, replacedValue: undefined };
  });
  const stored = storedWith.row;
  deps.log.info({ override: stored.id, kind, target, actor }, 'plan override stored');

  const outcome = await plan.reloader.reload(actor);
  if (outcome.kind === 'invalid') {
    await dropOverride(deps.db, stored.id, actor, 'the plan could not be reloaded with it', deps.clock.now().toJSDate());
    return no(`Preflight could not reload the plan with that change, so nothing was changed: ${outcome.message}`);
  }
  const record: OverrideRecord = {
    id: stored.id,
    kind: stored.kind,
    target: stored.target,
    workstreamId: stored.workstreamId,
    value: stored.value ?? null,
    fileValue: stored.fileValue ?? null,
    reason: stored.reason,
    createdBy: stored.createdBy,
    createdAt: stored.createdAt,
    droppedAt: null,
    droppedBy: null,
    dropReason: null,
  };
  return { ok: true, override: record, title, zone, version: plan.holder.current.version, ...(storedWith.replacedValue !== undefined ? { replacedValue: storedWith.replacedValue } : {}) };
}
