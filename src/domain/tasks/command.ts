import { SEVERITIES, type Severity } from '../program/severities.js';
import { type DueSpec, didYouMean, parseDueWords, parseEstimateHours, parseMention } from '../plan/replan.js';

/** `/task add`: a task added to a workstream from Slack (issue 20); the service picks its id. */
export interface TaskAddCommand {
  kind: 'add';
  workstream: string;
  title: string;
  /** A Slack user id (from a mention). */
  owner: string;
  due: DueSpec | null;
  /** Hours, or null for preflight.yml's default. */
  estimate: number | null;
  requires: string[];
  priority: Severity | null;
}

/** A parsed `/task` command. Task ids are matched case-insensitively against the configured ones. */
export type TaskCommand =
  | TaskAddCommand
  | { kind: 'due'; task: string; due: DueSpec; reason: string | null }
  | { kind: 'assign'; task: string; owner: string; reason: string | null }
  | { kind: 'drop'; task: string; reason: string }
  | { kind: 'show'; task: string }
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
  '*`/task show O-2`* one task: owner, due, estimate, requires, progress, and the changes made to it from Slack',
  'A task’s owner updates it; its workstream’s leads and the PM may update any of its tasks.',
  '*Change the plan* (the workstream’s leads and the PM; kept on top of preflight.yml until the file changes the same field):',
  '*`/task add ws1 "Load test the broker" owner:@ana due:15:30 est:2h [requires:O-2] [P1]`* adds a task (its id is shown)',
  '*`/task due O-2 16:00 [reason]`* moves its due time (today, in the workstream’s zone; or `2026-12-06 16:00`)',
  '*`/task assign O-2 @ben [reason]`* hands it to someone else in the program',
  '*`/task drop O-4 <reason>`* takes it out of the plan',
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
    const near = didYouMean(w, taskIds);
    return {
      message: `There is no task \`${w}\`.${near ? ` Did you mean \`${near}\`?` : ''} ${taskIds.length ? `Tasks: ${known}${taskIds.length > 12 ? ', …' : ''}.` : 'No tasks are configured in preflight.yml (`workstreams.<id>.tasks`).'}`,
    };
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
    case 'show': {
      const t = findTask(words[1]);
      if ('message' in t) return { kind: 'invalid', message: t.message };
      return { kind: 'show', task: t.id };
    }
    case 'due': {
      const t = findTask(words[1]);
      if ('message' in t) return { kind: 'invalid', message: t.message };
      const due = parseDueWords(words.slice(2));
      if (!due) return { kind: 'invalid', message: `Give the new due time, e.g. \`/task due ${t.id} 16:00\` (today) or \`/task due ${t.id} 2026-12-06 16:00\`.` };
      return { kind: 'due', task: t.id, due: due.due, reason: words.slice(2 + due.used).join(' ') || null };
    }
    case 'assign': {
      const t = findTask(words[1]);
      if ('message' in t) return { kind: 'invalid', message: t.message };
      const owner = words[2] ? parseMention(words[2]) : null;
      if (!owner) return { kind: 'invalid', message: `Name the new owner with an @-mention, e.g. \`/task assign ${t.id} @ben\`.` };
      return { kind: 'assign', task: t.id, owner, reason: words.slice(3).join(' ') || null };
    }
    case 'drop': {
      const t = findTask(words[1]);
      if ('message' in t) return { kind: 'invalid', message: t.message };
      const reason = words.slice(2).join(' ');
      if (!reason) return { kind: 'invalid', message: `Say why, e.g. \`/task drop ${t.id} moved to next week's release\`.` };
      return { kind: 'drop', task: t.id, reason };
    }
    case 'add':
      return parseAdd(text, workstreamIds);
    default:
      return { kind: 'invalid', message: `I don't know \`/task ${words[0]}\`.` };
  }
}

const ADD_EXAMPLE = '`/task add ws1 "Load test the broker" owner:@ana due:15:30 est:2h requires:O-2 P1`';

/** The words of a command, a quoted part ("…" or “…”) being one word. */
function tokens(text: string): { word: string; quoted: boolean }[] {
  return [...text.matchAll(/"([^"]*)"|“([^”]*)”|(\S+)/g)].map((m) => (m[3] !== undefined ? { word: m[3], quoted: false } : { word: (m[1] ?? m[2] ?? '').trim(), quoted: true }));
}

/**
 * `/task add <workstream> "<title>" owner:@who [due:15:30 | due:2026-12-06 16:00] [est:2h] [requires:O-2,gate1] [P0|P1|P2]`:
 * the title quoted, or the words up to the first `key:` word. Everything else is checked by the service against
 * the plan (the schema's rules).
 */
function parseAdd(text: string, workstreamIds: readonly string[]): TaskCommand {
  const words = tokens(text).slice(1);
  const ws = words[0]?.word;
  if (!ws || !workstreamIds.includes(ws)) return { kind: 'invalid', message: `Name the workstream first (${workstreamIds.join(', ')}), e.g. ${ADD_EXAMPLE}.` };
  let i = 1;
  let title = '';
  if (words[i]?.quoted) title = words[i++]!.word;
  else {
    const parts: string[] = [];
    while (i < words.length && !/^(owner|due|est|estimate|requires):/i.test(words[i]!.word) && !/^\[?P\d\]?$/i.test(words[i]!.word)) parts.push(words[i++]!.word);
    title = parts.join(' ');
  }
  if (!title) return { kind: 'invalid', message: `Give the task a title, e.g. ${ADD_EXAMPLE}.` };
  const cmd: TaskAddCommand = { kind: 'add', workstream: ws, title, owner: '', due: null, estimate: null, requires: [], priority: null };
  for (; i < words.length; i++) {
    const w = words[i]!.word.replace(/^\[(.*)\]$/, '$1');
    const kv = /^(owner|due|est|estimate|requires):(.*)$/i.exec(w);
    if (!kv) {
      const p = w.toUpperCase();
      if ((SEVERITIES as readonly string[]).includes(p)) {
        cmd.priority = p as Severity;
        continue;
      }
      return { kind: 'invalid', message: `I don't understand \`${w}\` in \`/task add\`: write ${ADD_EXAMPLE} (priority one of ${SEVERITIES.join(', ')}).` };
    }
    const key = kv[1]!.toLowerCase();
    const value = kv[2]!;
    if (key === 'owner') {
      const owner = parseMention(value || (words[i + 1]?.word ?? ''));
      if (!value && owner) i++;
      if (!owner) return { kind: 'invalid', message: `Name the owner with an @-mention (\`owner:@ana\`), e.g. ${ADD_EXAMPLE}.` };
      cmd.owner = owner;
    } else if (key === 'due') {
      const rest = [value, ...words.slice(i + 1).map((x) => x.word)].filter(Boolean);
      const due = parseDueWords(rest);
      if (!due) return { kind: 'invalid', message: 'Write the due time as `due:15:30` (today) or `due:2026-12-06 16:00`.' };
      i += due.used - (value ? 1 : 0);
      cmd.due = due.due;
    } else if (key === 'est' || key === 'estimate') {
      const hours = parseEstimateHours(value);
      if (hours === null) return { kind: 'invalid', message: 'Write the estimate as `est:2h`, `est:90m` or `est:1.5h`.' };
      cmd.estimate = hours;
    } else {
      cmd.requires = value
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean);
      if (!cmd.requires.length) return { kind: 'invalid', message: 'Write what it requires as `requires:O-2` or `requires:O-2,gate1`.' };
    }
  }
  if (!cmd.owner) return { kind: 'invalid', message: `Who owns it? Add \`owner:@ana\`, e.g. ${ADD_EXAMPLE}.` };
  return cmd;
}
