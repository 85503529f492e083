import type { App } from '@slack/bolt';
import { parseTaskCommand, TASK_USAGE } from '../../domain/tasks/command.js';
import { configuredTasks } from '../../services/tasks/catalog.js';
import { myTasks, workstreamTasks } from '../../services/tasks/queries.js';
import { replan, type ReplanChange } from '../../services/plan/replan.js';
import { showTask } from '../../services/tasks/show.js';
import { updateTask } from '../../services/tasks/update.js';
import { replanText, taskShowMessage } from '../blocks/replan.js';
import { helpMessage } from '../blocks/help.js';
import { refusalText } from '../blocks/refusal.js';
import { myTasksMessage, workstreamTasksMessage } from '../blocks/tasks.js';
import { escapeMrkdwn } from '../blocks/text.js';
import { ephemeral, TRY_AGAIN, type SlackContext } from '../context.js';

const help = (problem?: string) => {
  const m = helpMessage('Tasks with Preflight', TASK_USAGE, problem);
  return ephemeral(m.text, m.blocks);
};

/**
 * `/task` (my open tasks, NOW / NEXT…), `done <id>`, `progress <id> <0-100>`, `block <id> <reason>`, `list [ws]`,
 * `show <id>`, `help`; and the plan changes of issue 20 (`add`, `due`, `assign`, `drop`: overrides on top of
 * preflight.yml, the workstream's leads or the PM, services/plan/replan.ts), answered once the plan is reloaded. Updates are checked on the server (owner, the workstream's leads, the PM); a refusal names who can.
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
        case 'show': {
          const model = await showTask(deps, cmd.task);
          if (!model.ok) return await ack(ephemeral(model.message));
          const msg = taskShowMessage(model);
          return await ack(ephemeral(msg.text, msg.blocks));
        }
        case 'add':
        case 'due':
        case 'assign':
        case 'drop': {
          const change: ReplanChange =
            cmd.kind === 'add'
              ? { kind: 'task_add', workstreamId: cmd.workstream, title: cmd.title, owner: cmd.owner, due: cmd.due, estimate: cmd.estimate, requires: cmd.requires, priority: cmd.priority }
              : cmd.kind === 'due'
                ? { kind: 'task_due', taskId: cmd.task, due: cmd.due, reason: cmd.reason }
                : cmd.kind === 'assign'
                  ? { kind: 'task_owner', taskId: cmd.task, owner: cmd.owner, reason: cmd.reason }
                  : { kind: 'task_drop', taskId: cmd.task, reason: cmd.reason };
          const res = await replan(deps, ctx.plan, userId, change);
          if (!res.ok) return await ack(ephemeral('refusal' in res ? refusalText(res.refusal) : res.message));
          return await ack(ephemeral(replanText(res)));
        }
        case 'done':
        case 'progress':
        case 'block': {
          const update =
            cmd.kind === 'done' ? { kind: 'done' as const } : cmd.kind === 'progress' ? { kind: 'progress' as const, percent: cmd.percent } : { kind: 'block' as const, reason: cmd.reason };
          const res = await updateTask(deps, cmd.task, userId, update);
          // the answer names the task's title, tracker text (issue 21): escaped, never a live mention or link
          if (!res.ok) return await ack(ephemeral('refusal' in res ? refusalText(res.refusal) : escapeMrkdwn(res.message)));
          await ack(ephemeral(escapeMrkdwn(res.message)));
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
