import { stringify } from 'safe-stable-stringify';

/*
 * Overrides: changes made from Slack on top of preflight.yml (issue 20, "Replan from Slack"), applied to the raw
 * config document (the plain object YAML parses to) BEFORE validation, so the schema's own rules (unknown
 * `requires`, cycles, owners, unique ids) judge the result. Pure: the service (services/plan/overrides.ts) reads
 * and writes the rows (db/schema/overrides.ts).
 */

/** What an override changes. */
export const OVERRIDE_KINDS = ['task_add', 'task_due', 'task_owner', 'task_drop', 'gate_due'] as const;
export type OverrideKind = (typeof OVERRIDE_KINDS)[number];

/**
 * One override, as stored. `target` is the task or gate id (exact spelling); `workstreamId` the task's workstream
 * (null for `gate_due`). `value`: for `task_add` the task as preflight.yml writes it (`{ id, title, owner, due?,
 * estimate?, priority?, requires? }`), for `task_due`/`gate_due` a local date-time `YYYY-MM-DDTHH:mm` in the
 * workstream's (the gate's: the program's) zone, for `task_owner` a Slack user id, for `task_drop` null.
 * `fileValue`: the file's value of that field when the override was made (see {@link fileValueOf}).
 */
export interface PlanOverride {
  id: number;
  kind: OverrideKind;
  target: string;
  workstreamId: string | null;
  value: unknown;
  fileValue: unknown;
}

type RawTask = Record<string, unknown> & { id?: unknown };
type Raw = Record<string, unknown>;

const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The task with this exact id in a raw config: its workstream, index in `tasks`, and the task. */
export function findRawTask(raw: unknown, id: string): { workstreamId: string; index: number; task: RawTask } | undefined {
  const workstreams = isRecord(raw) ? raw.workstreams : undefined;
  if (!isRecord(workstreams)) return undefined;
  for (const [workstreamId, ws] of Object.entries(workstreams)) {
    const tasks = isRecord(ws) && Array.isArray(ws.tasks) ? (ws.tasks as unknown[]) : [];
    const index = tasks.findIndex((t) => isRecord(t) && t.id === id);
    if (index >= 0) return { workstreamId, index, task: tasks[index] as RawTask };
  }
  return undefined;
}

/** The gate with this id in a raw config (`gates:` list), or undefined. */
export function findRawGate(raw: unknown, id: string): Raw | undefined {
  const gates = isRecord(raw) && Array.isArray(raw.gates) ? (raw.gates as unknown[]) : [];
  return gates.find((g): g is Raw => isRecord(g) && g.id === id);
}

/**
 * The file's value of the field an override changes, to store as its `file_value`: a task's `due` / `owner`, a
 * gate's `due` (null when the file writes none), the whole task for `task_drop`; null for `task_add` (and when the
 * target is not in the file, e.g. a task added by an override).
 */
export function fileValueOf(raw: unknown, o: Pick<PlanOverride, 'kind' | 'target'>): unknown {
  if (o.kind === 'task_add') return null;
  if (o.kind === 'gate_due') return findRawGate(raw, o.target)?.due ?? null;
  const found = findRawTask(raw, o.target);
  if (!found) return null;
  if (o.kind === 'task_drop') return found.task;
  return found.task[o.kind === 'task_due' ? 'due' : 'owner'] ?? null;
}

const shown = (v: unknown) => (v === null || v === undefined ? '(none)' : typeof v === 'string' ? v : (stringify(v) ?? String(v)));

/**
 * File wins (issue 20): why an active override no longer holds against this file, or null when it still does.
 * - `task_due` / `task_owner` / `gate_due`: the file's value of the field differs from the override's `fileValue`
 *   (`file changed: 15:00 → 16:00` style, the values as written), or its task / gate is gone from the file (unless
 *   an active `task_add` in `addedIds` adds that task);
 * - `task_add`: a task with its id (any case) is now in the file, or its workstream is gone;
 * - `task_drop`: its task is gone from the file (and no override adds it).
 * @param addedIds the targets of the active `task_add` overrides.
 * @returns a drop reason starting `file changed: `, or null.
 */
export function fileConflict(raw: unknown, o: PlanOverride, addedIds: ReadonlySet<string>): string | null {
  if (o.kind === 'task_add') {
    const workstreams = isRecord(raw) && isRecord(raw.workstreams) ? raw.workstreams : {};
    if (o.workstreamId === null || !isRecord(workstreams[o.workstreamId])) return `file changed: workstream ${o.workstreamId ?? '?'} → (gone)`;
    const clash = Object.values(workstreams).some(
      (ws) => isRecord(ws) && Array.isArray(ws.tasks) && (ws.tasks as unknown[]).some((t) => isRecord(t) && typeof t.id === 'string' && t.id.toUpperCase() === o.target.toUpperCase()),
    );
    return clash ? `file changed: (none) → task ${o.target} in the file` : null;
  }
  if (o.kind === 'gate_due') {
    const gate = findRawGate(raw, o.target);
    if (!gate) return `file changed: gate ${o.target} → (gone)`;
    return differs(gate.due, o.fileValue);
  }
  const found = findRawTask(raw, o.target);
  if (!found) return addedIds.has(o.target) ? null : `file changed: task ${o.target} → (gone)`;
  if (o.kind === 'task_drop') return null;
  return differs(found.task[o.kind === 'task_due' ? 'due' : 'owner'], o.fileValue);
}

function differs(now: unknown, then: unknown): string | null {
  const a = now ?? null;
  const b = then ?? null;
  return stringify(a) === stringify(b) ? null : `file changed: ${shown(b)} → ${shown(a)}`;
}

/**
 * Applies active overrides, in the order given (creation order: a later one on the same field wins), to a raw
 * config document, returning a new document (the input is not changed). An override whose target is missing
 * changes nothing here ({@link fileConflict} drops those first).
 * @param raw what YAML parsed preflight.yml to (`Document.toJS()`).
 */
export function applyOverrides(raw: unknown, overrides: readonly PlanOverride[]): unknown {
  if (!overrides.length || !isRecord(raw)) return raw;
  const doc = structuredClone(raw);
  for (const o of overrides) {
    switch (o.kind) {
      case 'task_add': {
        const ws = isRecord(doc.workstreams) && o.workstreamId !== null ? doc.workstreams[o.workstreamId] : undefined;
        if (!isRecord(ws) || !isRecord(o.value)) break;
        if (!Array.isArray(ws.tasks)) ws.tasks = [];
        (ws.tasks as unknown[]).push(structuredClone(o.value));
        break;
      }
      case 'gate_due': {
        const gate = findRawGate(doc, o.target);
        if (gate) gate.due = o.value;
        break;
      }
      case 'task_drop': {
        const found = findRawTask(doc, o.target);
        if (found) ((doc.workstreams as Raw)[found.workstreamId] as { tasks: unknown[] }).tasks.splice(found.index, 1);
        break;
      }
      case 'task_due':
      case 'task_owner': {
        const found = findRawTask(doc, o.target);
        if (found) found.task[o.kind === 'task_due' ? 'due' : 'owner'] = o.value;
        break;
      }
    }
  }
  return doc;
}

/**
 * Splits the active overrides against a file: those that still hold, and those the file overrules with why
 * ({@link fileConflict}).
 */
export function partitionOverrides(raw: unknown, overrides: readonly PlanOverride[]): { kept: PlanOverride[]; overruled: { override: PlanOverride; reason: string }[] } {
  const addedIds = new Set<string>();
  const kept: PlanOverride[] = [];
  const overruled: { override: PlanOverride; reason: string }[] = [];
  for (const o of overrides.filter((x) => x.kind === 'task_add')) {
    const reason = fileConflict(raw, o, addedIds);
    if (reason) overruled.push({ override: o, reason });
    else addedIds.add(o.target);
  }
  for (const o of overrides) {
    if (o.kind === 'task_add') {
      if (addedIds.has(o.target)) kept.push(o);
      continue;
    }
    const reason = fileConflict(raw, o, addedIds);
    if (reason) overruled.push({ override: o, reason });
    else kept.push(o);
  }
  return { kept, overruled };
}
