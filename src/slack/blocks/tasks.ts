import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import { formatDuration } from '../../config/duration.js';
import { PERCENT_COMPLETE_RULE } from '../../domain/tasks/progress.js';
import type { MyTasksModel, TaskLine, WorkstreamTasksModel } from '../../services/tasks/queries.js';
import { LIMITS } from './limits.js';
import { packSections } from './pack.js';
import { escapeMrkdwn, safeMrkdwn, safePlain, taskOwner, taskRef } from './text.js';

/**
 * One task as a mrkdwn line: slot or status icon, id (a link to the task's `url` when it has one), title (escaped:
 * tracker text never mentions or links), priority, estimate, owner (or "owner not in Slack (email)"), due, progress,
 * what it waits on.
 */
export function taskLine(line: TaskLine, zone: string, opts: { owner: boolean }): string {
  const { task, status, slot } = line;
  const icon = status.kind === 'done' ? '✅' : status.kind === 'waiting' ? '⏸️' : status.kind === 'overdue' ? '⚠️' : '▫️';
  const head = slot ? `*${slot}*` : icon;
  const parts = [`${head} *${taskRef(task)}* ${safeMrkdwn(task.title, 120)}`, `${task.priority} · ${task.estimate}h`];
  if (opts.owner || task.ownerUnmatched) parts.push(taskOwner(task));
  if (task.dueAt !== null) parts.push(`due ${DateTime.fromMillis(task.dueAt, { zone }).toFormat('ccc d LLL HH:mm')}`);
  parts.push(status.kind === 'done' ? 'done' : `${task.progress}%`);
  if (status.kind === 'overdue') parts.push(`*overdue* by ${formatDuration(status.byMs)}`);
  if (status.kind === 'waiting') parts.push(`waiting on ${status.on.map((r) => safeMrkdwn(r, 40)).join(', ')}`);
  return parts.join(' · ');
}

/** `/task`: the member's open tasks, NOW first (seed 002's queue); a hint on how to update them. */
export function myTasksMessage(model: MyTasksModel): { text: string; blocks: KnownBlock[] } {
  if (!model.lines.length) return { text: 'You have no open tasks.', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'You have no open tasks. `/task list` shows your workstream’s.' } }] };
  const lines = model.lines.map((l) => taskLine(l, model.zone, { owner: false }));
  const packed = packSections([`*Your open tasks (${model.lines.length})*`, ...lines], LIMITS.messageBlocks - 1);
  const blocks: KnownBlock[] = [...packed.blocks];
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: '`/task done <id>` · `/task progress <id> <0-100>` · `/task block <id> <reason>`' }] });
  const now = model.lines.find((l) => l.slot === 'NOW');
  return { text: now ? escapeMrkdwn(`NOW: ${now.task.id} ${now.task.title}`) : `${model.lines.length} open tasks, all waiting`, blocks };
}

/** `/task list [ws]`: the workstream's tasks (open, then done) with its % complete and the rule behind it. */
export function workstreamTasksMessage(model: Extract<WorkstreamTasksModel, { ok: true }>): { text: string; blocks: KnownBlock[] } {
  const title = `${model.name}: ${model.percent === null ? 'nothing to measure yet' : `${model.percent}% complete`}`;
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: safePlain(title, LIMITS.headerText), emoji: true } }];
  if (!model.lines.length)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `${safeMrkdwn(model.name, 80)} has no tasks in preflight.yml (\`workstreams.${model.workstreamId}.tasks\`).` } });
  else
    blocks.push(
      ...packSections(
        model.lines.map((l) => taskLine(l, model.zone, { owner: true })),
        LIMITS.messageBlocks - 2,
      ).blocks,
    );
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `% complete: ${PERCENT_COMPLETE_RULE}.` }] });
  return { text: title, blocks };
}
