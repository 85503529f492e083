/** A parsed `/task` command. Task ids are matched case-insensitively against the configured ones. */
export type TaskCommand =
  | { kind: 'mine' }
  | { kind: 'help' }
  | { kind: 'list'; workstream: string | null }
  | { kind: 'done'; task: string }
  | { kind: 'progress'; task: string; percent: number }
  | { kind: 'block'; task: string; reason: string }
  | { kind: 'invalid'; message: string };

export const TASK_USAGE = [
  '*`/task`* your open tasks in order: NOW, NEXT… by priority and due; WAIT when they need something first',
  '*`/task done O-3`* marks a task done',
  '*`/task progress O-1 75`* reports a task’s progress in % (0–100)',
  '*`/task block O-2 <reason>`* raises a blocker linked to the task',
  '*`/task list [workstream]`* every task of a workstream (yours, or the one named)',
  'A task’s owner updates it; its workstream’s leads and the PM may update any of its tasks.',
].join('\n');

/**
 * Parses the text after `/task`.
 * @param taskIds the configured task ids (the answer carries the configured spelling).
 * @param workstreamIds the configured workstream ids.
 * @returns `invalid` with a message naming the problem (an unknown id lists a few known ones).
 */
export function parseTaskCommand(text: string, taskIds: readonly string[], workstreamIds: readonly string[]): TaskCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return { kind: 'mine' };
  const sub = words[0]!.toLowerCase();
  const findTask = (w: string | undefined): { id: string } | { message: string } => {
    if (!w) return { message: `Which task? Name it, e.g. \`/task ${sub} ${taskIds[0] ?? 'O-1'}\`.` };
    const id = taskIds.find((t) => t.toLowerCase() === w.toLowerCase());
    if (id) return { id };
    const known = taskIds.slice(0, 12).join(', ');
    return { message: `There is no task \`${w}\`. ${taskIds.length ? `Tasks: ${known}${taskIds.length > 12 ? ', …' : ''}.` : 'No tasks are configured in preflight.yml (`workstreams.<id>.tasks`).'}` };
  };
  switch (sub) {
    case 'help':
      return { kind: 'help' };
    case 'list': {
      const ws = words[1];
      if (!ws) return { kind: 'list', workstream: null };
      if (!workstreamIds.includes(ws)) return { kind: 'invalid', message: `There is no workstream \`${ws}\`. Workstreams: ${workstreamIds.join(', ')}.` };
      return { kind: 'list', workstream: ws };
    }
    case 'done': {
      const t = findTask(words[1]);
      if ('message' in t) return { kind: 'invalid', message: t.message };
      if (words.length > 2) return { kind: 'invalid', message: `\`/task done\` takes one task id, e.g. \`/task done ${t.id}\`.` };
      return { kind: 'done', task: t.id };
    }
    case 'progress': {
      const t = findTask(words[1]);
      if ('message' in t) return { kind: 'invalid', message: t.message };
      const raw = words[2]?.replace(/%$/, '');
      if (words.length !== 3 || !raw || !/^\d{1,3}$/.test(raw) || Number(raw) > 100)
        return { kind: 'invalid', message: `Give the progress as a whole percent from 0 to 100, e.g. \`/task progress ${t.id} 75\`.` };
      return { kind: 'progress', task: t.id, percent: Number(raw) };
    }
    case 'block': {
      const t = findTask(words[1]);
      if ('message' in t) return { kind: 'invalid', message: t.message };
      const reason = text.trim().split(/\s+/).slice(2).join(' ');
      if (!reason) return { kind: 'invalid', message: `Say what blocks it, e.g. \`/task block ${t.id} waiting for the staging database\`.` };
      return { kind: 'block', task: t.id, reason };
    }
    default:
      return { kind: 'invalid', message: `I don't know \`/task ${words[0]}\`.` };
  }
}
