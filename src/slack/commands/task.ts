import type { App } from '@slack/bolt';
import { parseTaskCommand, TASK_USAGE } from '../../domain/tasks/command.js';
import { configuredTasks } from '../../services/tasks/catalog.js';
import { myTasks, workstreamTasks } from '../../services/tasks/queries.js';
import { updateTask } from '../../services/tasks/update.js';
import { helpMessage } from '../blocks/help.js';
import { refusalText } from '../blocks/refusal.js';
import { myTasksMessage, workstreamTasksMessage } from '../blocks/tasks.js';
import { ephemeral, TRY_AGAIN, type SlackContext } from '../context.js';

const help = (problem?: string) => {
  const m = helpMessage('Tasks with Preflight', TASK_USAGE, problem);
  return ephemeral(m.text, m.blocks);
};

/**
 * `/task` (my open tasks, NOW / NEXT…), `done <id>`, `progress <id> <0-100>`, `block <id> <reason>`, `list [ws]`,
 * `help`. Updates are checked on the server (owner, the workstream's leads, the PM); a refusal names who can.
 * Writes first, acks, then wakes the follow-ups (escalation stopped, "can start" DMs, blocker jobs).
 */
export function registerTaskCommand(app: App, ctx: SlackContext): void {
  const { deps } = ctx;
  app.command('/task', async ({ command, ack }) => {
    const userId = command.user_id;
    const cmd = parseTaskCommand(
      command.text ?? '',
      configuredTasks(deps.config).map((t) => t.task.id),
      Object.keys(deps.config.workstreams),
    );
    try {
      switch (cmd.kind) {
        case 'help':
          return await ack(help());
        case 'invalid':
          return await ack(help(cmd.message));
        case 'mine': {
          const msg = myTasksMessage(await myTasks(deps, userId));
          return await ack(ephemeral(msg.text, msg.blocks));
        }
        case 'list': {
          const model = await workstreamTasks(deps, userId, cmd.workstream);
          if (!model.ok) return await ack(help(model.message));
          const msg = workstreamTasksMessage(model);
          return await ack(ephemeral(msg.text, msg.blocks));
        }
        case 'done':
        case 'progress':
        case 'block': {
          const update =
            cmd.kind === 'done' ? { kind: 'done' as const } : cmd.kind === 'progress' ? { kind: 'progress' as const, percent: cmd.percent } : { kind: 'block' as const, reason: cmd.reason };
          const res = await updateTask(deps, cmd.task, userId, update);
          if (!res.ok) return await ack(ephemeral('refusal' in res ? refusalText(res.refusal) : res.message));
          await ack(ephemeral(res.message));
          await res.after().catch((err) => deps.log.warn({ task: cmd.task, err: (err as Error).message }, 'task follow-ups failed; the sweeper will redo them'));
          return;
        }
      }
    } catch (err) {
      deps.log.error({ err, command: '/task', sub: cmd.kind }, 'slash command failed');
      await ack(ephemeral(TRY_AGAIN)).catch(() => {});
    }
  });
}
