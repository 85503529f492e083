import type { TaskStartNotice } from '../../domain/tasks/start-notice.js';
import { escapeMrkdwn, taskRef } from './text.js';

/** The DM telling a task's owner it can start (its `requires` are all done); ids and title escaped, the id linked to the task's `url` when it has one. */
export function taskStartMessage(n: TaskStartNotice): { text: string } {
  const done = `${n.requires.map(escapeMrkdwn).join(', ')} ${n.requires.length === 1 ? 'is' : 'are'} done`;
  return { text: `▶️ *${taskRef({ id: n.taskId, url: n.url })}* “${escapeMrkdwn(n.title)}” can start now: ${done}. \`/task\` shows your queue.` };
}
