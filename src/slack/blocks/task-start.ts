import type { TaskStartNotice } from '../../domain/tasks/start-notice.js';
import { escapeMrkdwn } from './text.js';

/** The DM telling a task's owner it can start (its `requires` are all done); ids and title escaped. */
export function taskStartMessage(n: TaskStartNotice): { text: string } {
  const done = `${n.requires.map(escapeMrkdwn).join(', ')} ${n.requires.length === 1 ? 'is' : 'are'} done`;
  return { text: `▶️ *${escapeMrkdwn(n.taskId)}* “${escapeMrkdwn(n.title)}” can start now: ${done}. \`/task\` shows your queue.` };
}
