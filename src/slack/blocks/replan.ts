import type { KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { ReplanResult } from '../../services/plan/replan.js';
import type { OverrideRecord } from '../../services/plan/overrides.js';
import type { TaskChange, TaskShowModel } from '../../services/tasks/show.js';
import { LIMITS } from './limits.js';
import { packSections } from './pack.js';
import { slackDate } from './slack-date.js';
import { escapeMrkdwn, mention, safeMrkdwn, safePlain, taskOwner, taskRef } from './text.js';

const isLocal = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v);

/**
 * Two local due times (`2026-12-06T15:00` as preflight.yml writes them) as a move: `15:00 → 16:00` on the same day,
 * else with the day (`Sat 5 Dec 15:00 → Sun 6 Dec 09:00`); `(none)` when there was none.
 */
export function dueMove(before: unknown, after: unknown): string {
  const sameDay = isLocal(before) && isLocal(after) && before.slice(0, 10) === after.slice(0, 10);
  const shown = (v: unknown) => (isLocal(v) ? DateTime.fromISO(v).toFormat(sameDay ? 'HH:mm' : 'ccc d LLL HH:mm') : '(none)');
  return `${shown(before)} → ${shown(after)}`;
}

const localDue = (v: unknown) => (isLocal(v) ? DateTime.fromISO(v).toFormat('ccc d LLL HH:mm') : '(none)');
const who = (v: unknown) => (typeof v === 'string' && /^[UW][A-Z0-9]+$/.test(v) ? mention(v) : safeMrkdwn(String(v ?? '(none)'), 80));

/** What one override changed, in words: `due moved 15:00 → 16:00`, `handed <@U1> → <@U2>`, `added`, `dropped`. */
function changeWords(o: OverrideRecord, before: unknown): string {
  switch (o.kind) {
    case 'task_due':
    case 'gate_due':
      return `due moved ${dueMove(before, o.value)}`;
    case 'task_owner':
      return `handed ${who(before)} → ${who(o.value)}`;
    case 'task_add':
      return 'added';
    case 'task_drop':
      return 'dropped';
  }
}

/**
 * One override as `/task show` lists it (issue 20): `due moved 15:00 → 16:00 by <@pm> at <when>: reason`, then, when
 * it no longer applies, why (`file changed: …`, `replaced by #12`).
 * @param zone the zone of the when's plain-text fallback.
 * @param opts.target start with the task or gate id (the digest lists several targets).
 */
export function overrideLine(change: TaskChange, zone: string, opts: { target?: boolean } = {}): string {
  const o = change.override;
  const head = `${opts.target ? `*${safeMrkdwn(o.target, 40)}* ` : ''}${changeWords(o, change.before)} by ${mention(o.createdBy)} at ${slackDate(DateTime.fromJSDate(o.createdAt), zone)}${o.reason ? `: ${safeMrkdwn(o.reason, 300)}` : ''}`;
  if (!o.droppedAt) return `• ${head}`;
  return `• ~${head}~ _no longer applies: ${safeMrkdwn(o.dropReason ?? 'dropped', 200)}${o.droppedBy && o.droppedBy !== 'file' ? ` (${mention(o.droppedBy)})` : ''}_`;
}

/** The ephemeral answer to a replan command that was applied: what changed, and the plan version now running. */
export function replanText(r: Extract<ReplanResult, { ok: true }>): string {
  const o = r.override;
  const title = `“${safeMrkdwn(r.title, 120)}”`;
  const version = `Plan version \`${r.version}\`.`;
  switch (o.kind) {
    case 'task_add': {
      const t = o.value as { owner?: string; due?: string; estimate?: number; requires?: string[]; priority?: string };
      const parts = [`owner ${mention(String(t.owner))}`];
      if (t.due) parts.push(`due ${localDue(t.due)} (${r.zone})`);
      if (t.estimate) parts.push(`${t.estimate}h`);
      if (t.priority) parts.push(t.priority);
      if (t.requires?.length) parts.push(`requires ${t.requires.map((x) => safeMrkdwn(x, 40)).join(', ')}`);
      return `➕ Added *${safeMrkdwn(o.target, 40)}* ${title}: ${parts.join(' · ')}. ${version}`;
    }
    case 'task_due':
    case 'gate_due':
      return `🗓️ ${safeMrkdwn(o.target, 40)} ${title} is now due ${localDue(o.value)} (${r.zone}), was ${r.replacedValue !== undefined ? `${localDue(r.replacedValue)} (changed from Slack before)` : `${localDue(o.fileValue)} in preflight.yml`}. ${version}`;
    case 'task_owner':
      return `🔁 ${safeMrkdwn(o.target, 40)} ${title} now belongs to ${who(o.value)}. ${version}`;
    case 'task_drop':
      return `🗑️ Dropped ${safeMrkdwn(o.target, 40)} ${title} from the plan. ${version}`;
  }
}

/**
 * `/task show O-2`: the task (its link and tracker source when it has them, owner or "owner not in Slack (email)", due,
 * estimate, priority, requires, status and progress) and its changes made
 * from Slack, oldest first.
 */
export function taskShowMessage(model: Extract<TaskShowModel, { ok: true }>): { text: string; blocks: KnownBlock[] } {
  const { task, status, zone } = model;
  const due = task.dueAt === null ? 'no due time' : `due ${DateTime.fromMillis(task.dueAt, { zone }).toFormat('ccc d LLL HH:mm')} (${zone})`;
  const state =
    status.kind === 'done'
      ? 'done'
      : status.kind === 'waiting'
        ? `${task.progress}% · waiting on ${status.on.map((r) => safeMrkdwn(r, 40)).join(', ')}`
        : status.kind === 'overdue'
          ? `${task.progress}% · *overdue*`
          : `${task.progress}%`;
  const lines = [
    `Owner ${taskOwner(task)}${task.ownerUnmatched ? `, told to ${mention(task.owner)} (lead)` : ''} · ${due} · ${task.estimate}h · ${task.priority}`,
    `Requires: ${task.requires.length ? task.requires.map((r) => safeMrkdwn(r, 40)).join(', ') : 'nothing'}`,
    `Status: ${state}`,
  ];
  // the header is plain text (no links): the id links to the task's page on the line below it (issue 21)
  if (task.url || task.source) lines.unshift([task.url ? `🔗 ${taskRef(task)}` : null, task.source ? `from ${safeMrkdwn(task.source, 120)}` : null].filter(Boolean).join(' · '));
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: safePlain(`${task.id} ${task.title}`, LIMITS.headerText), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: `*${safeMrkdwn(model.workstreamName, 80)}*\n${lines.join('\n')}` } },
  ];
  if (model.changes.length) {
    const packed = packSections(['*Changed from Slack* (on top of preflight.yml)', ...model.changes.map((c) => overrideLine(c, zone))], LIMITS.messageBlocks - blocks.length);
    blocks.push(...packed.blocks);
  }
  return { text: escapeMrkdwn(`${task.id} ${task.title}`), blocks };
}
