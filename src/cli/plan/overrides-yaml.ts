import { createPatch } from 'diff';
import { type Document, isMap, isScalar, isSeq, parseDocument, stringify, type YAMLMap, type YAMLSeq } from 'yaml';
import { type PlanOverride, partitionOverrides } from '../../config/overrides.js';

/*
 * `npm run plan -- --overrides --format yaml` (issue 20: "prints the overrides as a patch to commit into
 * preflight.yml"): the active overrides made from Slack, written into the file's own text as a unified diff. Pure.
 */

type Node = { range?: [number, number, number] | null };

/** Start of the line holding `pos`. */
const lineStart = (text: string, pos: number) => text.lastIndexOf('\n', pos - 1) + 1;
/** Just after the newline ending the line holding `pos` (the text's end when it has none). */
const lineEnd = (text: string, pos: number) => {
  const nl = text.indexOf('\n', pos);
  return nl === -1 ? text.length : nl + 1;
};
const indentOf = (text: string, pos: number) => pos - lineStart(text, pos);

/** A scalar as YAML writes it on one line: plain when it reads back the same, else double-quoted. */
function scalarText(value: unknown): string {
  if (typeof value === 'string' && /^[A-Za-z][\w.@+-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(value)) return value;
  return JSON.stringify(value);
}

/** The task with this id: its workstream's map, its `tasks` sequence and its item, or undefined. */
function findTask(doc: Document, id: string): { seq: YAMLSeq; item: YAMLMap } | undefined {
  const workstreams = doc.get('workstreams', true);
  if (!isMap(workstreams)) return undefined;
  for (const pair of workstreams.items) {
    const tasks = isMap(pair.value) ? pair.value.get('tasks', true) : undefined;
    if (!isSeq(tasks)) continue;
    const item = tasks.items.find((t): t is YAMLMap => isMap(t) && t.get('id') === id);
    if (item) return { seq: tasks, item };
  }
  return undefined;
}

function findGate(doc: Document, id: string): YAMLMap | undefined {
  const gates = doc.get('gates', true);
  return isSeq(gates) ? gates.items.find((g): g is YAMLMap => isMap(g) && g.get('id') === id) : undefined;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Sets `key: value` in a mapping written in the file: replaces its value, or adds the pair (flow or block style). */
function setKey(text: string, map: YAMLMap, key: string, value: unknown): Edit | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  const valueNode = pair?.value as Node | undefined;
  if (valueNode?.range) return { start: valueNode.range[0], end: valueNode.range[1], text: scalarText(value) };
  const range = (map as Node).range;
  if (!range) return undefined;
  if (map.flow) {
    const close = text.lastIndexOf('}', range[1]);
    const before = text.slice(range[0], close).trimEnd();
    const at = range[0] + before.length;
    return { start: at, end: at, text: `${before.endsWith('{') ? ' ' : ', '}${key}: ${scalarText(value)}` };
  }
  const first = map.items[0]?.key as Node | undefined;
  const last = map.items.at(-1)?.value as Node | undefined;
  if (!first?.range || !last?.range) return undefined;
  const at = lineEnd(text, last.range[1] - 1);
  return { start: at, end: at, text: `${' '.repeat(indentOf(text, first.range[0]))}${key}: ${scalarText(value)}\n` };
}

/** A task as a sequence item in the style of its neighbours, at `indent` (the column of the `-`). */
function taskItemText(task: Record<string, unknown>, indent: number, flow: boolean): string {
  const pad = ' '.repeat(indent);
  if (flow) return `${pad}- ${stringify(task, { collectionStyle: 'flow', lineWidth: 0 }).trim()}\n`;
  const lines = stringify(task, { lineWidth: 0 }).trimEnd().split('\n');
  return lines.map((l, i) => `${pad}${i === 0 ? '- ' : '  '}${l}`).join('\n') + '\n';
}

/** The edit of one override on the file's current text, or undefined when its target is not found. */
function editFor(text: string, doc: Document, o: PlanOverride): Edit | undefined {
  switch (o.kind) {
    case 'task_due':
    case 'task_owner': {
      const found = findTask(doc, o.target);
      return found ? setKey(text, found.item, o.kind === 'task_due' ? 'due' : 'owner', o.value) : undefined;
    }
    case 'gate_due': {
      const gate = findGate(doc, o.target);
      return gate ? setKey(text, gate, 'due', o.value) : undefined;
    }
    case 'task_drop': {
      const range = (findTask(doc, o.target)?.item as Node | undefined)?.range;
      return range ? { start: lineStart(text, range[0]), end: lineEnd(text, range[1] - 1), text: '' } : undefined;
    }
    case 'task_add': {
      const ws = isMap(doc.get('workstreams', true)) ? (doc.get('workstreams', true) as YAMLMap).get(o.workstreamId, true) : undefined;
      if (!isMap(ws) || typeof o.value !== 'object' || o.value === null) return undefined;
      const task = o.value as Record<string, unknown>;
      const tasks = ws.get('tasks', true);
      const lastItem = isSeq(tasks) ? (tasks.items.at(-1) as (Node & { flow?: boolean }) | undefined) : undefined;
      if (lastItem?.range) {
        // the column of the last item's `-`: the first non-blank of its first line
        const indent = /^ */.exec(text.slice(lineStart(text, lastItem.range[0])))![0].length;
        const at = lineEnd(text, lastItem.range[1] - 1);
        return { start: at, end: at, text: taskItemText(task, indent, Boolean(lastItem.flow)) };
      }
      const first = ws.items[0]?.key as Node | undefined;
      const lastValue = ws.items.at(-1)?.value as Node | undefined;
      if (!first?.range || !lastValue?.range) return undefined;
      const indent = indentOf(text, first.range[0]);
      if (isSeq(tasks) && (tasks as Node).range) {
        // `tasks: []`
        const r = (tasks as Node).range!;
        return { start: r[0], end: r[1], text: `\n${taskItemText(task, indent + 2, true).trimEnd()}` };
      }
      const at = lineEnd(text, lastValue.range[1] - 1);
      return { start: at, end: at, text: `${' '.repeat(indent)}tasks:\n${taskItemText(task, indent + 2, true)}` };
    }
  }
}

/**
 * The active overrides as a unified diff of preflight.yml (jsdiff `createPatch`), to review and commit so the file
 * says what the plan runs: each override written into the file's own text (its comments, layout and style kept): a
 * due or owner replaced or added in its task (flow `{ … }` or block style, as written), a gate's due, a dropped
 * task's lines removed, an added task appended to its workstream's `tasks` in the style of its neighbours. Overrides
 * the file already overrules (config/overrides.ts `partitionOverrides`, file wins) are left out, as at a reload.
 * @param overrides the active overrides, in creation order (services/plan/overrides.ts `activeOverrides`).
 * @param fileText preflight.yml as it is now; @param fileName the name the patch gives it.
 * @returns the patch (`--- preflight.yml` / `+++ preflight.yml` and its hunks), or '' when nothing would change.
 */
export function overridesAsYamlPatch(overrides: readonly PlanOverride[], fileText: string, fileName = 'preflight.yml'): string {
  const { kept } = partitionOverrides(parseDocument(fileText).toJS(), overrides);
  let text = fileText;
  for (const o of kept) {
    // each override on the text the ones before it left (they may touch the same task)
    const edit = editFor(text, parseDocument(text), o);
    if (edit) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
  return text === fileText ? '' : createPatch(fileName, fileText, text, '', '');
}
